/// \file console.hpp
/// \brief A text console over an 80x25 array of VGA cells: control characters, wrapping, scrolling and a few ANSI sequences, with no system calls.
///
/// Each cell is a 16-bit word, the character in the low byte and its attribute (colours) in the
/// high byte; the VGA's text buffer at 0xb8000 is exactly such an array. The console keeps only
/// the cursor; the text is in the cells, so a new Console over the same memory carries on where
/// the old one stopped once it is given the old cursor.
///
/// Bytes understood: printable ASCII (and 0x80..0xff as code page 437 glyphs); '\\n' to the start
/// of the next line; '\\r' to the start of this line; '\\b' and DEL (0x7f) erase the character
/// before the cursor; '\\t' to the next multiple of 8; ESC [ sequences A B C D (move), H and f
/// (position), J (erase display: 0 to the end, 2 all), K (erase to the end of the line); any
/// other control character or escape sequence is swallowed. A line that reaches column 80
/// wraps when the next character arrives, and a write past the last line scrolls the screen up.
#pragma once

#include <stdint.h>

namespace vga {

inline constexpr uint32_t kColumns = 80;
inline constexpr uint32_t kRows = 25;
inline constexpr uint8_t kAttribute = 0x07;  ///< Light grey on black.

struct Cursor {
    uint32_t row;
    uint32_t col;  ///< 0..80: 80 means "at the end of a full line; wrap before the next character".
};

/// How the cursor is published in the data store: row in the high 32 bits, column in the low.
inline uint64_t encode_cursor(Cursor c) { return (uint64_t(c.row) << 32) | c.col; }
inline Cursor decode_cursor(uint64_t v) { return Cursor{static_cast<uint32_t>(v >> 32), static_cast<uint32_t>(v)}; }

class Console {
public:
    /// `cells`: kColumns x kRows cells, row after row.
    explicit Console(volatile uint16_t* cells) : m_cells(cells) {}

    /// Blanks the screen and homes the cursor.
    void clear();
    /// Puts `count` bytes of `text` on the screen.
    void write(const char* text, uint32_t count);

    Cursor cursor() const { return Cursor{m_row, m_col}; }
    /// Moves the cursor (to carry on after a restart). \return false, and no move, if out of range.
    bool set_cursor(Cursor c);

private:
    enum class Escape : uint8_t { None, Esc, Csi };
    static constexpr uint32_t kMaxParams = 2;

    void put(char c);
    void newline();
    void backspace();
    void escape(char c);
    void csi(char final);
    void blank(uint32_t from, uint32_t to);  ///< Blanks cells [from, to) of the whole screen.
    uint32_t param(uint32_t i, uint32_t fallback) const;

    volatile uint16_t* m_cells;
    uint32_t m_row = 0;
    uint32_t m_col = 0;
    bool m_row_wrapped = false;  ///< This row continues the one above (a backspace at column 0 goes up).
    Escape m_escape = Escape::None;
    uint32_t m_params[kMaxParams] = {};
    uint32_t m_param_index = 0;  ///< The parameter digits go to (a ';' moves on; 0 means default).
};

} // namespace vga
