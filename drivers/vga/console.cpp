/// \file console.cpp
/// \brief The text console's byte interpreter: printing, control characters, wrapping, scrolling and ESC [ sequences.
#include "console.hpp"

namespace vga {

namespace {

constexpr uint32_t kCells = kColumns * kRows;
constexpr uint16_t kBlank = uint16_t(kAttribute) << 8 | ' ';
constexpr uint32_t kMaxParamValue = 999;  // ESC [ 99999999 A cannot overflow anything.

uint32_t min(uint32_t a, uint32_t b) { return a < b ? a : b; }

} // namespace

void Console::clear()
{
    blank(0, kCells);
    m_row = m_col = 0;
    m_row_wrapped = false;
    m_escape = Escape::None;
}

bool Console::set_cursor(Cursor c)
{
    if (c.row >= kRows || c.col > kColumns) return false;
    m_row = c.row;
    m_col = c.col;
    m_row_wrapped = false;
    m_escape = Escape::None;
    return true;
}

void Console::write(const char* text, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) {
        char c = text[i];
        if (m_escape != Escape::None) {
            escape(c);
            continue;
        }
        switch (static_cast<uint8_t>(c)) {
        case '\n': newline(); break;
        case '\r': m_col = 0; break;
        case '\b':
        case 0x7f: backspace(); break;
        case '\t':
            if (m_col >= kColumns) {
                newline();
                m_row_wrapped = true;
            }
            m_col = min((m_col / 8 + 1) * 8, kColumns);
            break;
        case 0x1b: m_escape = Escape::Esc; break;
        default:
            // Other C0 controls (bell, form feed, ...) are swallowed; the rest are glyphs.
            if (static_cast<uint8_t>(c) >= 0x20) put(c);
            break;
        }
    }
}

void Console::put(char c)
{
    // A full line wraps only now, so exactly 80 characters and a '\n' make one line, not two.
    if (m_col >= kColumns) {
        newline();
        m_row_wrapped = true;
    }
    m_cells[m_row * kColumns + m_col] = uint16_t(kAttribute) << 8 | static_cast<uint8_t>(c);
    ++m_col;
}

void Console::newline()
{
    m_col = 0;
    m_row_wrapped = false;
    if (m_row + 1 < kRows) {
        ++m_row;
        return;
    }
    // The bottom line: everything moves up one row and the last row starts blank.
    for (uint32_t i = 0; i < kCells - kColumns; ++i) m_cells[i] = m_cells[i + kColumns];
    blank(kCells - kColumns, kCells);
}

void Console::backspace()
{
    if (m_col == 0) {
        // Back over a wrap to the end of the row above, but never over a '\n' the text asked for.
        if (!m_row_wrapped || m_row == 0) return;
        --m_row;
        m_col = kColumns;
        m_row_wrapped = false;
    }
    --m_col;
    m_cells[m_row * kColumns + m_col] = kBlank;
}

void Console::escape(char c)
{
    uint8_t u = static_cast<uint8_t>(c);
    if (m_escape == Escape::Esc) {
        // Only CSI (ESC [) is understood; ESC and any other byte are dropped together.
        m_escape = c == '[' ? Escape::Csi : Escape::None;
        m_param_index = 0;
        m_params[0] = m_params[1] = 0;
        return;
    }
    if (u >= '0' && u <= '9') {
        if (m_param_index < kMaxParams) m_params[m_param_index] = min(m_params[m_param_index] * 10 + (u - '0'), kMaxParamValue);
    } else if (c == ';') {
        if (m_param_index < kMaxParams) ++m_param_index;
    } else if (u >= 0x40 && u <= 0x7e) {
        m_escape = Escape::None;
        csi(c);
    } else if (u < 0x20 || u > 0x7e) {
        m_escape = Escape::None;  // Not a sequence after all: abandon it.
    }
    // Intermediate and private-marker bytes ('?', ' ', ...) are ignored: ESC [ ? 25 l is swallowed.
}

uint32_t Console::param(uint32_t i, uint32_t fallback) const
{
    return i < kMaxParams && m_params[i] != 0 ? m_params[i] : fallback;
}

void Console::csi(char final)
{
    uint32_t col = min(m_col, kColumns - 1);
    uint32_t here = m_row * kColumns + m_col;
    uint32_t row_start = m_row * kColumns;
    switch (final) {
    case 'A': m_row -= min(param(0, 1), m_row); break;
    case 'B': m_row = min(m_row + param(0, 1), kRows - 1); break;
    case 'C': m_col = min(col + param(0, 1), kColumns - 1); break;
    case 'D': m_col = col - min(param(0, 1), col); break;
    case 'H':
    case 'f':
        m_row = min(param(0, 1), kRows) - 1;
        m_col = min(param(1, 1), kColumns) - 1;
        break;
    case 'J':
        if (m_params[0] == 0) blank(here, kCells);
        else if (m_params[0] == 1) blank(0, min(here + 1, kCells));
        else if (m_params[0] == 2) blank(0, kCells);
        return;  // Erasing leaves the cursor where it is.
    case 'K':
        if (m_params[0] == 0) blank(here, row_start + kColumns);
        else if (m_params[0] == 1) blank(row_start, min(here + 1, row_start + kColumns));
        else if (m_params[0] == 2) blank(row_start, row_start + kColumns);
        return;
    default: return;  // Colours (m) and the rest: swallowed.
    }
    m_row_wrapped = false;
}

void Console::blank(uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to && i < kCells; ++i) m_cells[i] = kBlank;
}

} // namespace vga
