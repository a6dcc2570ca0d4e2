/// \file scancode.cpp
/// \brief Scan code set 1 translation for a US keyboard layout: tables, modifiers, and the 0xe0/0xe1 prefixes.
#include "scancode.hpp"

namespace ps2kbd {

namespace {

// Make codes 0x00..0x39 (Esc to Space) without and with Shift; 0 means "produces nothing".
// The literals are split so that a hex escape never swallows the digit after it.
constexpr char kPlain[] = "\0\x1b" "1234567890-=" "\x7f\t" "qwertyuiop[]" "\r\0" "asdfghjkl;'`" "\0\\"
                          "zxcvbnm,./" "\0*\0 ";
constexpr char kShifted[] = "\0\x1b" "!@#$%^&*()_+" "\x7f\t" "QWERTYUIOP{}" "\r\0" "ASDFGHJKL:\"~" "\0|"
                            "ZXCVBNM<>?" "\0*\0 ";
static_assert(sizeof(kPlain) == 0x3a + 1 && sizeof(kShifted) == 0x3a + 1, "one entry per make code 0x00..0x39");

// The keypad, 0x47..0x53, as with Num Lock on (the PC's default at boot).
constexpr uint8_t kKeypadFirst = 0x47;
constexpr char kKeypad[] = "789-456+1230.";
static_assert(sizeof(kKeypad) == 0x53 - 0x47 + 2);

// Modifier make codes.
constexpr uint8_t kLeftShift = 0x2a;
constexpr uint8_t kRightShift = 0x36;
constexpr uint8_t kCtrl = 0x1d;   // 0xe0 0x1d is the right Ctrl
constexpr uint8_t kAlt = 0x38;    // 0xe0 0x38 is the right Alt (AltGr)
constexpr uint8_t kCapsLock = 0x3a;

// Prefixes and the release bit.
constexpr uint8_t kExtendedPrefix = 0xe0;
constexpr uint8_t kPausePrefix = 0xe1;
constexpr uint8_t kReleaseBit = 0x80;

bool is_letter(char c) { return c >= 'a' && c <= 'z'; }

/// Copies a NUL-terminated sequence into `out`; returns its length.
uint32_t emit(const char* sequence, char out[kMaxKeyBytes])
{
    uint32_t n = 0;
    while (sequence[n] && n < kMaxKeyBytes) {
        out[n] = sequence[n];
        ++n;
    }
    return n;
}

} // namespace

uint32_t Decoder::feed(uint8_t code, char out[kMaxKeyBytes])
{
    // (1) Pause sends e1 1d 45 e1 9d c5: each e1 is followed by two bytes that mean nothing alone.
    if (m_skip) {
        --m_skip;
        return 0;
    }
    if (code == kPausePrefix) {
        m_skip = 2;
        return 0;
    }
    // (2) 0xe0 says the next byte is an AT-only key.
    if (code == kExtendedPrefix) {
        m_extended = true;
        return 0;
    }
    bool extended = m_extended;
    m_extended = false;
    bool released = code & kReleaseBit;
    uint8_t make = code & ~kReleaseBit;
    // (3) Modifiers count both presses and releases; other keys only presses.
    if (track_modifier(make, extended, released)) return 0;
    if (released) return 0;
    // (4) The byte(s) the key stands for, given the modifiers.
    return extended ? extended_key(make, out) : plain_key(make, out);
}

bool Decoder::track_modifier(uint8_t make, bool extended, bool released)
{
    switch (make) {
    case kLeftShift:
    case kRightShift:
        // e0 2a / e0 36 are "fake shifts" some keyboards wrap around Print Screen and the
        // navigation keys: swallowed, so they cannot leave Shift stuck.
        if (!extended) (make == kLeftShift ? m_mods.left_shift : m_mods.right_shift) = !released;
        return true;
    case kCtrl: (extended ? m_mods.right_ctrl : m_mods.left_ctrl) = !released; return true;
    case kAlt: m_mods.alt = !released; return true;
    case kCapsLock:
        if (released) {
            m_mods.caps_key_down = false;
        } else if (!m_mods.caps_key_down) {
            m_mods.caps_key_down = true;
            m_mods.caps_lock = !m_mods.caps_lock;
        }
        return true;
    default: return false;
    }
}

uint32_t Decoder::plain_key(uint8_t make, char out[kMaxKeyBytes]) const
{
    if (make >= kKeypadFirst && make < kKeypadFirst + sizeof(kKeypad) - 1) {
        out[0] = kKeypad[make - kKeypadFirst];
        return 1;
    }
    if (make >= sizeof(kPlain) - 1) return 0;  // F1..F12, Num Lock, Scroll Lock, unknown codes.
    char base = kPlain[make];
    if (!base) return 0;
    bool shift = m_mods.left_shift || m_mods.right_shift;
    bool ctrl = m_mods.left_ctrl || m_mods.right_ctrl;
    // Ctrl+letter and Ctrl+[ \ ] give the C0 control codes (Ctrl+C = 0x03, Ctrl+[ = ESC).
    if (ctrl && (is_letter(base) || base == '[' || base == '\\' || base == ']')) {
        out[0] = static_cast<char>(base & 0x1f);
        return 1;
    }
    // Caps Lock shifts letters only, and Shift undoes it.
    bool upper = is_letter(base) ? shift != m_mods.caps_lock : shift;
    out[0] = upper ? kShifted[make] : base;
    return 1;
}

uint32_t Decoder::extended_key(uint8_t make, char out[kMaxKeyBytes]) const
{
    switch (make) {
    case 0x1c: out[0] = '\r'; return 1;  // keypad Enter
    case 0x35: out[0] = '/'; return 1;   // keypad /
    case 0x48: return emit("\x1b[A", out);   // Up
    case 0x50: return emit("\x1b[B", out);   // Down
    case 0x4d: return emit("\x1b[C", out);   // Right
    case 0x4b: return emit("\x1b[D", out);   // Left
    case 0x47: return emit("\x1b[H", out);   // Home
    case 0x4f: return emit("\x1b[F", out);   // End
    case 0x53: return emit("\x1b[3~", out);  // Delete
    default: return 0;                       // Insert, Page Up/Down, the Windows keys, ...
    }
}

} // namespace ps2kbd
