/// \file executor.hpp
/// \brief Running a typed line: builtins in the shell, programs through proc, redirections, pipelines, `$?`.
#pragma once

namespace shell {

/// Parses and runs one command line (a syntax error anywhere runs nothing).
/// \return false when the shell should exit (the `exit` builtin); see exit_code().
bool run_line(const char* line);

/// The status of the last pipeline run (`$?`).
int last_status();

/// Makes run_line return false once the current command is done; the shell ends with `code`.
void request_exit(int code);

/// The code `exit` asked for.
int exit_code();

} // namespace shell
