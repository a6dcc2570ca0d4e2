/// \file main.cpp
/// \brief `shell`: the console shell. Reads lines typed on serial or the PS/2 keyboard and runs commands.
///
/// The loop: (1) sleep on the notification until input or restart news arrives (sources.cpp);
/// (2) drain the input drivers that signalled; (3) feed each byte to the line editor, which
/// echoes it; (4) on Enter, run the line (executor.cpp) and print a new prompt. Output goes to
/// serial and VGA (console.cpp). init gives the shell a capability to RS's endpoint in slot 3
/// (badge 0x1000, as for rsctl); everything else it finds through RS's lookup, proc included:
/// the first command that needs processes or files makes the shell join proc (posix_world.hpp).
#include "console.hpp"
#include "executor.hpp"
#include "line_editor.hpp"
#include "posix_world.hpp"
#include "rs_client.hpp"
#include "protocols/chardev.hpp"
#include "sources.hpp"
#include <unistd.h>

namespace {

constexpr const char* kPrompt = "samsara> ";
constexpr uint64_t kInputs[] = {sources::kSerialBit, sources::kKeyboardBit};

shell::LineEditor g_editor;

/// Feeds typed bytes to the editor and runs finished lines. \return false on `exit`.
bool take_input(const char* bytes, uint32_t count)
{
    for (uint32_t i = 0; i < count; ++i) {
        switch (g_editor.feed(bytes[i])) {
        case shell::LineEditor::Outcome::Editing: continue;
        case shell::LineEditor::Outcome::TooLong:
            console::print("line too long (limit %zu characters); ignored\n", shell::LineEditor::kMaxLine);
            break;
        case shell::LineEditor::Outcome::Line:
            if (!shell::run_line(g_editor.line())) return false;
            break;
        }
        console::puts(kPrompt);
    }
    return true;
}

/// `exit`: what the session wrote goes to the disk first (fs writes back only every second,
/// and init powers the machine off once the shell is gone), as a logout would.
int leave()
{
    if (posix_world::joined()) sync();
    return shell::exit_code();
}

} // namespace

int main(int, char**)
{
    posix_world::reserve_slots();
    rs_client::wait_for_boot(10000000000ull);
    if (!sources::start()) return 1;
    console::puts("Samsara shell: type 'help' for the commands\n");
    console::puts(kPrompt);
    // Bytes typed before the subscriptions were made signalled nobody: read them first.
    uint64_t ready = sources::kInputBits;
    for (;;) {
        for (uint64_t bit : kInputs) {
            if (!(ready & bit)) continue;
            char bytes[protocol::chardev::kDataBytes];
            // Read until the driver has nothing more, so no signal is needed for what is left.
            while (uint32_t n = sources::read(bit, bytes, sizeof(bytes)))
                if (!take_input(bytes, n)) return leave();
        }
        ready = sources::wait();
    }
}
