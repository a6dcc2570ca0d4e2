/// \file commands.hpp
/// \brief The shell's commands: splitting a line into words and running the command it names.
#pragma once

#include <stdint.h>

namespace shell {

/// Runs one command line. \return false when the shell should exit (the `exit` command).
bool run_line(const char* line);

/// The `service` command (service_command.cpp); argv[0] is "service".
void service_command(int argc, char** argv);
/// The `fi` shorthand (service_command.cpp): fault injection and campaigns.
void fi_command(int argc, char** argv);

/// Parses a decimal number with nothing after it. \return false if `text` is not one.
bool parse_number(const char* text, uint64_t& out);

} // namespace shell
