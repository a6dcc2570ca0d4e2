/// \file commands.cpp
/// \brief Word splitting, the command table, and the small commands: help, echo, uptime, sleep, hello, exit.
#include "commands.hpp"
#include "console.hpp"
#include "lib/string.hpp"
#include "line_editor.hpp"
#include "protocols/hello.hpp"
#include "rs_client.hpp"
#include "sys.hpp"

namespace shell {

namespace {

constexpr int kMaxWords = 16;

/// One line of `help`.
struct HelpLine {
    const char* usage;
    const char* description;
};

constexpr HelpLine kHelp[] = {
    {"help", "list the commands"},
    {"echo ARGS...", "print the arguments"},
    {"uptime", "time since boot"},
    {"sleep MS", "wait MS milliseconds (for scripts and demos)"},
    {"hello [N]", "call the hello driver N times (default 1)"},
    {"service list", "every service: pid, state, restarts, last failure"},
    {"service up|down|restart|refresh LABEL", "start, stop, restart, restart with fresh state"},
    {"service fi LABEL FAULT [--seed N]", "inject a fault: crash panic exit hang wildwrite bitflip badipc"},
    {"service campaign LABEL COUNT [--seed N]", "inject COUNT random faults and report"},
    {"fi LABEL FAULT | fi campaign LABEL COUNT", "shorthands for service fi and service campaign"},
    {"exit", "leave the shell"},
};

void do_help(int, char**)
{
    console::puts("commands:\n");
    for (const HelpLine& h : kHelp) console::print("  %-40s %s\n", h.usage, h.description);
}

void do_echo(int argc, char** argv)
{
    // The words separated by one space, however many were typed.
    for (int i = 1; i < argc; ++i) {
        if (i > 1) console::write(" ", 1);
        console::puts(argv[i]);
    }
    console::write("\n", 1);
}

void do_uptime(int, char**)
{
    uint64_t ms = sys::clock_ns() / 1000000;
    console::print("up %lu.%03lu s\n", ms / 1000, ms % 1000);
}

void do_sleep(int argc, char** argv)
{
    uint64_t ms = 0;
    if (argc != 2 || !parse_number(argv[1], ms) || ms > 600000) {
        console::puts("usage: sleep MS (at most 600000)\n");
        return;
    }
    sys::sleep_ns(ms * 1000000);
}

/// Calls hello N times. A call that fails with PeerDied (the driver died under it) is retried
/// for up to two seconds: the endpoint stays, and the restarted driver answers.
void do_hello(int argc, char** argv)
{
    uint64_t count = 1;
    if (argc > 2 || (argc == 2 && (!parse_number(argv[1], count) || count == 0))) {
        console::puts("usage: hello [N]\n");
        return;
    }
    // The endpoint outlives the driver's instances: look it up once.
    static abi::CapSlot s_hello = abi::kNullSlot;
    if (s_hello == abi::kNullSlot) s_hello = rs_client::lookup("hello");
    if (s_hello == abi::kNullSlot) {
        console::puts("hello: no hello service\n");
        return;
    }
    // A call to a service that is down would wait for it forever.
    if (!rs_client::running("hello")) {
        console::puts("hello: the hello service is down\n");
        return;
    }
    protocol::hello::Client hello(s_hello);
    int64_t last = 0;
    uint64_t retries = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t deadline = sys::clock_ns() + 2000000000ull;
        int64_t n = hello.hello();
        while (n == -static_cast<int64_t>(abi::Error::PeerDied) && sys::clock_ns() < deadline) {
            ++retries;
            sys::sleep_ns(5000000);
            n = hello.hello();
        }
        if (n < 0) {
            console::print("hello: failed: %s\n", abi::error_name(static_cast<abi::Error>(-n)));
            return;
        }
        last = n;
    }
    console::print("hello: %lu calls, count now %ld, %lu retries after PeerDied\n", count, last, retries);
}

struct Command {
    const char* name;
    void (*run)(int argc, char** argv);
};

constexpr Command kCommands[] = {
    {"help", do_help}, {"echo", do_echo}, {"uptime", do_uptime}, {"sleep", do_sleep}, {"hello", do_hello}, {"service", service_command}, {"fi", fi_command},
};

} // namespace

bool parse_number(const char* text, uint64_t& out)
{
    uint64_t v = 0;
    if (!text || !*text) return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return false;
        uint64_t digit = static_cast<uint64_t>(*text - '0');
        if (v > (UINT64_MAX - digit) / 10) return false;
        v = v * 10 + digit;
    }
    out = v;
    return true;
}

bool run_line(const char* line)
{
    // Split a copy of the line in place at spaces.
    char words[LineEditor::kMaxLine + 1];
    size_t n = strnlen_bounded(line, sizeof(words) - 1);
    memcpy(words, line, n);
    words[n] = '\0';
    char* argv[kMaxWords + 1];
    int argc = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && words[i] == ' ') words[i++] = '\0';
        if (i >= n) break;
        if (argc == kMaxWords) {
            console::print("too many words (limit %d)\n", kMaxWords);
            return true;
        }
        argv[argc++] = &words[i];
        while (i < n && words[i] != ' ') ++i;
    }
    argv[argc] = nullptr;
    if (argc == 0) return true;  // An empty line: just a new prompt.

    if (strcmp(argv[0], "exit") == 0) return false;
    for (const Command& c : kCommands) {
        if (strcmp(argv[0], c.name) == 0) {
            c.run(argc, argv);
            return true;
        }
    }
    console::print("unknown command '%s' (try help)\n", argv[0]);
    return true;
}

} // namespace shell
