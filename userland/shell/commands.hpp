/// \file commands.hpp
/// \brief The builtin commands: the table the executor looks names up in, and the ones defined in other files.
#pragma once

#include <stdint.h>

namespace shell {

/// A command that runs inside the shell. It prints with console::print (output) and
/// console::error (errors), which follow its redirections. \return Its exit status.
using BuiltinFunction = int (*)(int argc, char** argv);

struct Builtin {
    const char* name;
    BuiltinFunction run;
    /// cd, exit, export, unset: they change the shell itself. In a pipeline of several
    /// commands each command runs as if in a subshell, so these are skipped there (status 0).
    bool changes_shell;
};

/// The builtin called `name`, or nullptr.
const Builtin* find_builtin(const char* name);

/// The `service` command (service_command.cpp); argv[0] is "service".
int service_command(int argc, char** argv);
/// The `fi` shorthand (service_command.cpp): fault injection and campaigns.
int fi_command(int argc, char** argv);

/// Parses a decimal number with nothing after it. \return false if `text` is not one.
bool parse_number(const char* text, uint64_t& out);

} // namespace shell
