/// \file line_editor.hpp
/// \brief The shell's line editor: insert at the end, Backspace, Ctrl-U, Enter; escape sequences are skipped.
#pragma once

#include <stddef.h>

namespace shell {

/// Builds one command line from typed bytes and echoes what it keeps.
class LineEditor {
public:
    static constexpr size_t kMaxLine = 200;

    enum class Outcome { Editing, Line, TooLong };

    /// Takes one typed byte. \return Line when Enter ended a line (read it with line()), TooLong
    /// when Enter ended a line that went past kMaxLine characters (it is discarded), else Editing.
    Outcome feed(char c);

    /// The finished line, NUL-terminated; valid until the next feed().
    const char* line() const { return m_text; }

private:
    enum class Escape { None, Start, Csi, Ss3 };

    void erase_one();
    void clear();

    char m_text[kMaxLine + 1] = {};
    size_t m_length = 0;
    bool m_too_long = false;     ///< A character was refused since the line began.
    bool m_after_cr = false;     ///< The last byte was '\\r': a following '\\n' is the same Enter.
    Escape m_escape = Escape::None;
};

} // namespace shell
