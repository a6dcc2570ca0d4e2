/// \file scancode.hpp
/// \brief Scan code set 1 to bytes: the keyboard's modifier state and its translation, with no system calls.
///
/// The i8042 controller translates whatever the keyboard sends into scan code set 1 (the PC/XT
/// codes), so that is what port 0x60 yields. A key press is one byte (the "make" code), its
/// release the same byte with bit 7 set (the "break" code). Keys added with the AT keyboard
/// (arrows, the right Ctrl and Alt, keypad Enter and /) send 0xe0 first; Pause sends the six
/// bytes e1 1d 45 e1 9d c5 and nothing on release.
///
/// Translation produces what a serial terminal would send: ASCII, Enter as '\\r', Backspace as
/// DEL (0x7f), Ctrl+letter as the control code, and the arrows as ANSI sequences (ESC [ A..D).
/// Releases are ignored except for the modifiers; function keys, Alt and Num Lock produce nothing.
#pragma once

#include <stdint.h>

namespace ps2kbd {

/// The longest translation of one key (ESC [ 3 ~ for Delete).
inline constexpr uint32_t kMaxKeyBytes = 4;

/// Which modifiers are held or locked. All false at start: a restarted driver forgets a held
/// Shift until it is pressed again, and turns Caps Lock off.
struct Modifiers {
    bool left_shift = false;
    bool right_shift = false;
    bool left_ctrl = false;
    bool right_ctrl = false;
    bool alt = false;
    bool caps_lock = false;
    bool caps_key_down = false;  ///< So the typematic repeat of a held Caps Lock toggles only once.
};

/// Decodes a stream of scan-code bytes one byte at a time.
class Decoder {
public:
    /// Feeds one byte from the keyboard.
    /// `code`: The byte read from port 0x60.
    /// `out`: Receives the bytes the key produces (at most kMaxKeyBytes).
    /// \return How many bytes were written to `out` (0 for prefixes, releases and modifiers).
    uint32_t feed(uint8_t code, char out[kMaxKeyBytes]);

    const Modifiers& modifiers() const { return m_mods; }

private:
    uint32_t plain_key(uint8_t make, char out[kMaxKeyBytes]) const;
    uint32_t extended_key(uint8_t make, char out[kMaxKeyBytes]) const;
    /// Updates the modifier state; true if `make` (with `extended`) was a modifier key.
    bool track_modifier(uint8_t make, bool extended, bool released);

    Modifiers m_mods;
    bool m_extended = false;   ///< The previous byte was 0xe0.
    uint8_t m_skip = 0;        ///< Bytes of a Pause sequence still to swallow.
};

} // namespace ps2kbd
