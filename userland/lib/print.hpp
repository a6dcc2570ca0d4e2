/// \file print.hpp
/// \brief `print(fmt, ...)`: formatted output to the console through debug_write.
#pragma once

#include <stddef.h>

/// printf-style output (see kernel/lib/format.hpp for the conversions). Lines longer than 512
/// bytes are truncated. Returns the number of bytes written, or a negated error.
long print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
