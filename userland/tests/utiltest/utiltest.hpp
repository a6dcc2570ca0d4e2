/// \file utiltest.hpp
/// \brief `utiltest`'s parts: running one script line as a process, and the built-in checks of libc itself.
#pragma once

/// Runs one script line: "PROG ARG... [< IN] [> OUT] [>> OUT] [2> ERR] [2>&1]", with double
/// quotes around arguments that hold spaces; `$$` is utiltest's pid. PROG without a '/' is /bin/PROG. Standard output and
/// error not redirected go to files in /tmp and are printed afterwards, line by line:
/// - `utiltest: 1| LINE`: a line of standard output;
/// - `utiltest: 1% TEXT`: its last piece, when it does not end with a newline;
/// - `utiltest: 2| LINE` (and `2%`): standard error;
/// - `utiltest: exit N`, or `utiltest: signal N`, or `utiltest: spawn: MESSAGE`.
///
/// Bytes outside printable ASCII are shown as `\xNN`, and a backslash as two.
void run_line(const char* line);

/// The built-in checks ("!malloc", "!stdio", "!signals", "!files"); each prints its findings.
void check_malloc();
void check_files();
void check_stdio();
void check_signals();

/// Prints `text` (length `n`) to the console after `prefix`, escaped as run_line describes.
void print_escaped(const char* prefix, const char* text, unsigned long n);
