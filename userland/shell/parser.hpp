/// \file parser.hpp
/// \brief The shell's grammar: a typed line becomes pipelines of commands, with quoting, `$` expansion, redirections and comments.
///
/// The grammar, a small subset of the POSIX shell's:
///
///     line        := [ list ] [ '#' comment ]
///     list        := pipeline { ( ';' | '&&' | '||' ) pipeline } [ ';' ]
///     pipeline    := command { '|' command }
///     command     := { NAME=value } { word | redirection }      (at least one of them)
///     redirection := [0-2] ( '<' | '>' | '>>' ) word  |  [0-2] '>&' [0-2]
///
/// Words are separated by blanks (space, tab) and by the operator characters `| & ; < >`.
/// Inside a word: a backslash makes the next character ordinary; single quotes keep what they
/// enclose literally; double quotes do too, except that `$` still expands and a backslash
/// escapes a dollar sign, a double quote, a backslash or a backquote; `$?` is the last exit
/// status, `$NAME` and `${NAME}` a variable's value (nothing if unset). An unquoted word
/// that expands to nothing is dropped (`echo $UNSET x` has two words), as in POSIX; unlike
/// POSIX, an expansion is never split into several words. `#` at the start of a word begins a
/// comment. `NAME=value` words before the command's name are assignments.
///
/// The parser hands out one pipeline at a time, expanded with the variables as they are *now*,
/// so in `false; echo $?` the `$?` sees the status `false` left. To run nothing when any part
/// of a line is malformed, the shell first walks the whole line in check-only mode (no
/// Expansion), then parses it again pipeline by pipeline while running it.
#pragma once

#include <stddef.h>

namespace shell {

inline constexpr int kMaxWords = 32;          ///< argv entries in one command.
inline constexpr int kMaxAssignments = 8;     ///< NAME=value words before one command.
inline constexpr int kMaxRedirections = 8;    ///< Redirections in one command.
inline constexpr int kMaxStages = 64;         ///< Commands in one pipeline.
inline constexpr size_t kTextBytes = 4096;    ///< Expanded words of one pipeline, NULs included.

/// What a redirection does to its descriptor.
enum class RedirectKind {
    Input,      ///< `< file`: open for reading.
    Output,     ///< `> file`: create or truncate, open for writing.
    Append,     ///< `>> file`: create, open for writing at the end.
    Duplicate,  ///< `2>&1`: the same open file as descriptor `from`.
};

struct Redirection {
    int fd;               ///< The descriptor redirected: 0, 1 or 2.
    RedirectKind kind;
    const char* target;   ///< The file name (Input, Output, Append).
    int from;             ///< Duplicate: the descriptor copied.
};

/// One simple command: its words, the assignments before it, its redirections in order.
struct Command {
    int argc;
    char* argv[kMaxWords + 1];             ///< NULL-terminated.
    int assignment_count;
    char* assignments[kMaxAssignments];    ///< "NAME=value", expanded.
    int redirection_count;
    Redirection redirections[kMaxRedirections];
};

/// How the pipeline after this one is run.
enum class Connector {
    End,       ///< Nothing follows.
    Sequence,  ///< `;`: always.
    And,       ///< `&&`: if this one's status is 0.
    Or,        ///< `||`: if this one's status is not 0.
};

/// One pipeline; the words point into `text`.
struct Pipeline {
    int count;                        ///< Commands (stages).
    Command commands[kMaxStages];
    Connector next;
    size_t used;                      ///< Bytes of `text` in use.
    char text[kTextBytes];
};

/// Where `$` gets its values.
struct Expansion {
    int status;                                 ///< The value of `$?`.
    const char* (*variable)(const char* name);  ///< The value of `$NAME`, or nullptr when unset.
};

/// Reads a line one pipeline at a time.
class Parser {
public:
    /// \param line the typed line (NUL-terminated; must outlive the parser).
    /// \param expansion the values of `$...`, or nullptr to check the syntax only.
    Parser(const char* line, const Expansion* expansion) : m_line(line), m_expansion(expansion) {}

    enum class Outcome { Pipeline, End, Error };

    /// Parses the next pipeline into `out`. \return Pipeline, End when the line has no more,
    /// or Error (the message is message(); nothing of this pipeline should run).
    Outcome next(Pipeline& out);

    /// What was wrong, e.g. "syntax error: unterminated single quote".
    const char* message() const { return m_error; }

private:
    /// Records the message. \return false, for `return fail(...)` in the helpers.
    bool fail(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    /// Records the message. \return Outcome::Error, for `return error(...)` in next().
    Outcome error(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    void skip_blanks();
    bool at_word_end(size_t pos) const;
    bool put(Pipeline& p, char c);
    bool put_text(Pipeline& p, const char* s);
    bool read_word(Pipeline& p, char*& word, bool& keep);
    bool dollar(Pipeline& p, bool& expanded);
    bool redirection(Pipeline& p, Command& c);
    size_t assignment_name_length() const;

    const char* m_line;
    size_t m_pos = 0;
    const Expansion* m_expansion;
    const char* m_pending = nullptr;  ///< An operator just read that needs a command after it.
    char m_error[96] = {};
};

} // namespace shell
