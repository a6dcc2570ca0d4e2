/// \file variables.hpp
/// \brief Shell variables and the environment: `NAME=value`, `$NAME`, and the builtins export, unset and env.
///
/// As in POSIX, a variable is either a *shell variable*, which only `$NAME` sees, or part of
/// the *environment* (libc's `environ`), which every command started gets a copy of. An
/// assignment to a name already in the environment changes the environment; `export` moves a
/// shell variable into it (or sets one there). `NAME=value cmd` puts NAME in cmd's environment
/// only (executor.cpp builds that list).
#pragma once

#include <stddef.h>

namespace shell::variables {

/// The value of `name`: a shell variable first, else the environment; nullptr when unset.
const char* lookup(const char* name);

/// Whether text[0..length) is a valid name: a letter or '_', then letters, digits and '_'.
bool valid_name(const char* text, size_t length);

/// Performs the assignment "NAME=value" (the parser found a valid NAME). Prints why not on
/// failure. \return true if it was stored.
bool assign(const char* assignment);

/// `export [NAME[=VALUE]]...`: without arguments prints the environment like env.
int export_command(int argc, char** argv);
/// `unset NAME...`: forgets shell variables and environment entries.
int unset_command(int argc, char** argv);
/// `env`: prints the environment, one NAME=value per line.
int env_command(int argc, char** argv);

} // namespace shell::variables
