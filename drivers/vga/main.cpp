/// \file main.cpp
/// \brief `vga`: the VGA text console driver: the chardev protocol in, text at 0xb8000 and the hardware cursor out.
///
/// The MINIX server skeleton on the service framework: main() maps the text buffer, restores or
/// clears the screen and calls service::run, whose loop hands requests to Vga::handle (one do_x()
/// per label). The console logic (control characters, scrolling) is in console.hpp.
///
/// Slots (services.conf `mmio=0xb8000:0x8000 ports=0x3d4:2`, in that order): 8 the text buffer,
/// mapped uncached at kVideoAddress; 9 the CRT controller's index and data ports.
///
/// Restart: the text survives in the device, so only the cursor must. After every write the
/// cursor is published to the data store as u64 `vga.cursor` (row << 32 | column), before the
/// reply: a client that sees PeerDied retries, and the retry writes the same text at the same
/// place. A restarted instance takes the cursor from the data store, or failing that from the
/// CRT controller, and leaves the screen alone; a fresh one clears it and prints a banner.
#include "console.hpp"
#include "print.hpp"
#include "protocols/chardev.hpp"
#include "protocols/ds.hpp"
#include "service.hpp"
#include "sys.hpp"
#include "lib/port_io.hpp"

namespace {

using namespace protocol::chardev;
using protocol::rs::kSlotFirstResource;

constexpr abi::CapSlot kSlotTextBuffer = kSlotFirstResource;
constexpr uint64_t kVideoAddress = 0x20000000;  // Anywhere free in our address space.

// The CRT controller: write a register number to the index port, then its value to the data port.
constexpr uint16_t kCrtcIndex = 0x3d4;
constexpr uint16_t kCrtcData = 0x3d5;
constexpr uint8_t kCursorStart = 0x0a;  // Bit 5 hides the cursor; bits 0..4 its top scan line.
constexpr uint8_t kCursorEnd = 0x0b;    // Bits 0..4 its bottom scan line.
constexpr uint8_t kCursorHigh = 0x0e;   // The cursor's cell index, row * 80 + column.
constexpr uint8_t kCursorLow = 0x0f;

constexpr char kCursorKey[] = "vga.cursor";
constexpr char kBanner[] = "Samsara console (vga)\n";

using port_io::inb;
using port_io::outb;
uint8_t crtc_read(uint8_t reg)
{
    outb(kCrtcIndex, reg);
    return inb(kCrtcData);
}
void crtc_write(uint8_t reg, uint8_t value)
{
    outb(kCrtcIndex, reg);
    outb(kCrtcData, value);
}

/// Shows the hardware cursor as an underline (scan lines 14-15); the firmware may have hidden it.
void show_hardware_cursor()
{
    crtc_write(kCursorStart, (crtc_read(kCursorStart) & 0xc0) | 14);
    crtc_write(kCursorEnd, (crtc_read(kCursorEnd) & 0xe0) | 15);
}

void move_hardware_cursor(vga::Cursor c)
{
    // Column 80 is "wrap before the next character": the blinking cursor stays on the last cell.
    uint32_t col = c.col < vga::kColumns ? c.col : vga::kColumns - 1;
    uint16_t cell = static_cast<uint16_t>(c.row * vga::kColumns + col);
    crtc_write(kCursorLow, cell & 0xff);
    crtc_write(kCursorHigh, cell >> 8);
}

vga::Cursor read_hardware_cursor()
{
    uint32_t cell = uint32_t(crtc_read(kCursorHigh)) << 8 | crtc_read(kCursorLow);
    if (cell >= vga::kColumns * vga::kRows) return vga::Cursor{0, 0};
    return vga::Cursor{cell / vga::kColumns, cell % vga::kColumns};
}

ipc::Message count_reply(uint32_t label, uint32_t count, abi::Error error)
{
    ipc::Message reply;
    ipc::pack(reply, label, Count{count, static_cast<uint32_t>(error)});
    return reply;
}

/// Everything a request needs: the console over the mapped text buffer, and the data store.
struct Screen {
    vga::Console& console;
    const protocol::ds::Client& ds;

    /// The cursor, on the screen and in the data store, after the text has changed.
    void sync_cursor() const
    {
        move_hardware_cursor(console.cursor());
        (void)ds.publish_u64(kCursorKey, vga::encode_cursor(console.cursor()));
    }
};

/// kWrite: Data -> Count. Every byte is accepted.
ipc::Message do_write(const Screen& screen, const ipc::Message& m)
{
    if (m.length != sizeof(Data) / 8) return count_reply(kWrite, 0, abi::Error::InvalidArgument);
    Data data = ipc::unpack<Data>(m);
    if (data.length > kDataBytes) return count_reply(kWrite, 0, abi::Error::InvalidArgument);
    screen.console.write(data.bytes, data.length);
    screen.sync_cursor();
    return count_reply(kWrite, data.length, abi::Error::None);
}

/// kRead: a screen has no input. The reply is still a Data, so clients parse it as usual.
ipc::Message do_read()
{
    Data data{};
    data.status = static_cast<uint32_t>(abi::Error::InvalidArgument);
    ipc::Message reply;
    ipc::pack(reply, kRead, data);
    return reply;
}

class Vga final : public service::Handler {
public:
    explicit Vga(const Screen& screen) : m_screen(screen) {}

    ipc::Message handle(const ipc::Message& m) override
    {
        ipc::Message reply;
        switch (m.label) {
        case kWrite: reply = do_write(m_screen, m); break;
        case kRead: reply = do_read(); break;
        case kSubscribe: reply = count_reply(kSubscribe, 0, abi::Error::InvalidArgument); break;  // Nothing to wait for.
        default: reply = service::error_reply(m.label, abi::Error::InvalidArgument); break;
        }
        // We keep no capabilities: whatever came with the request (a subscribe's notification,
        // garbage) is deleted, so it cannot fill our table.
        for (uint32_t i = 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
            if (m.send_caps[i] != abi::kNullSlot) (void)sys::cap_delete(m.send_caps[i]);
        return reply;
    }

private:
    const Screen& m_screen;
};

/// Where a restarted instance carries on: the published cursor, else the hardware's.
vga::Cursor restored_cursor(const protocol::ds::Client& ds, const char*& source)
{
    uint64_t saved = 0;
    if (ds.retrieve_u64(kCursorKey, saved) == abi::Error::None) {
        vga::Cursor c = vga::decode_cursor(saved);
        if (c.row < vga::kRows && c.col <= vga::kColumns) {
            source = "data store";
            return c;
        }
    }
    // The data store lost it (it restarted too, or we died before the first publish).
    source = "CRT controller";
    return read_hardware_cursor();
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    int64_t mapped = sys::mmio_map(kSlotTextBuffer, kVideoAddress);
    if (mapped < 0) {
        print("vga: mmio_map: %s\n", abi::error_name(sys::error_of(mapped)));
        service::panic(ctx, "cannot map the text buffer (services.conf: mmio=0xb8000:0x8000 must come first)");
    }
    vga::Console console(reinterpret_cast<volatile uint16_t*>(kVideoAddress));
    protocol::ds::Client ds(protocol::rs::kSlotDs);
    Screen screen{console, ds};
    show_hardware_cursor();
    if (ctx.restarted) {
        const char* source = "";
        vga::Cursor c = restored_cursor(ds, source);
        (void)console.set_cursor(c);
        print("vga: restarted; carrying on at row %u column %u (from the %s)\n", c.row, c.col, source);
    } else {
        console.clear();
        console.write(kBanner, sizeof(kBanner) - 1);
    }
    screen.sync_cursor();
    Vga handler(screen);
    service::ready(ctx);
    service::run(ctx, handler);
}
