/// \file version.hpp
/// \brief The kernel's name and version, printed at boot and returned by system_info.
#pragma once

inline constexpr const char* kKernelVersion = "Samsara 0.1.0";
