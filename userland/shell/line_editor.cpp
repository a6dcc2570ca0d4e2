/// \file line_editor.cpp
/// \brief Line editing: what each typed byte does to the line and to the screen.
#include "line_editor.hpp"
#include "console.hpp"

namespace shell {

namespace {
constexpr char kBackspace = 0x08;
constexpr char kDelete = 0x7f;  // What most terminals send for the Backspace key.
constexpr char kCtrlU = 0x15;
constexpr char kEscape = 0x1b;
} // namespace

LineEditor::Outcome LineEditor::feed(char c)
{
    bool after_cr = m_after_cr;
    m_after_cr = c == '\r';

    // Escape sequences (arrow keys, function keys) are skipped whole: ESC [ params final, ESC O x.
    switch (m_escape) {
    case Escape::None: break;
    case Escape::Start:
        m_escape = c == '[' ? Escape::Csi : c == 'O' ? Escape::Ss3 : Escape::None;
        return Outcome::Editing;
    case Escape::Csi:
        if (c >= 0x40 && c <= 0x7e) m_escape = Escape::None;  // The final byte.
        return Outcome::Editing;
    case Escape::Ss3: m_escape = Escape::None; return Outcome::Editing;
    }

    if (c == '\r' || c == '\n') {
        // A terminal that sends "\r\n" for Enter must not run the line and then an empty one.
        if (c == '\n' && after_cr) return Outcome::Editing;
        console::write("\n", 1);
        bool too_long = m_too_long;
        m_text[m_length] = '\0';
        m_length = 0;
        m_too_long = false;
        return too_long ? Outcome::TooLong : Outcome::Line;
    }
    if (c == kBackspace || c == kDelete) {
        erase_one();
        return Outcome::Editing;
    }
    if (c == kCtrlU) {
        clear();
        return Outcome::Editing;
    }
    if (c == kEscape) {
        m_escape = Escape::Start;
        return Outcome::Editing;
    }
    if (c < 0x20 || c > 0x7e) return Outcome::Editing;  // Other control characters and non-ASCII.

    if (m_length == kMaxLine) {
        // Refused and not echoed, so the screen shows exactly what the line holds.
        m_too_long = true;
        return Outcome::Editing;
    }
    m_text[m_length++] = c;
    console::write(&c, 1);
    return Outcome::Editing;
}

void LineEditor::erase_one()
{
    if (m_length == 0) return;
    --m_length;
    console::write("\b \b", 3);
}

void LineEditor::clear()
{
    // Rub out the whole line on screen in one write.
    char rubout[3 * kMaxLine];
    for (size_t i = 0; i < m_length; ++i) {
        rubout[3 * i] = '\b';
        rubout[3 * i + 1] = ' ';
        rubout[3 * i + 2] = '\b';
    }
    console::write(rubout, 3 * m_length);
    m_length = 0;
    m_too_long = false;
}

} // namespace shell
