/// \file selftest.hpp
/// \brief Deliberate kernel failures, chosen on the command line, that prove the crash reporting works.
///
/// `selftest=kernel-fault` makes the kernel dereference a bad pointer after boot, and
/// `selftest=panic` calls panic(). The system tests check the resulting dump: vector, error code,
/// registers, CR2 and a symbolized backtrace. Without the option nothing here runs.
#pragma once

namespace selftest {

/// Runs the self-test named by `selftest=` in the command line, if any.
void run_from_command_line(const char* cmdline);

} // namespace selftest
