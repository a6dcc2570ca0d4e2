/// \file libsys.cpp
/// \brief Program start-up (argv and the environment from the argument block, `main`, `exit`), and `print`.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/proc.hpp"
#include "sys.hpp"

int main(int argc, char** argv);

extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();

/// Flushes libc's stdio streams; defined only in programs that link libc's stdio (a weak
/// reference: a program without stdio has nothing to flush and does not pull it in).
extern "C" void libc_flush_at_exit() __attribute__((weak));

namespace {
constexpr int kMaxArgv = 128;
constexpr int kMaxEnv = 128;
char* g_argv[kMaxArgv + 1];
char* g_envp[kMaxEnv + 1];

/// The old argument string (init, RS): words separated by spaces. Returns argc.
int split_at_spaces(char* args, size_t len)
{
    int argc = 0;
    size_t i = 0;
    while (i < len && argc < kMaxArgv) {
        while (i < len && args[i] == ' ') args[i++] = '\0';
        if (i >= len) break;
        g_argv[argc++] = &args[i];
        while (i < len && args[i] != ' ') ++i;
    }
    if (i < len) args[i] = '\0';
    g_argv[argc] = nullptr;
    return argc;
}

/// Collects `count` NUL-terminated strings (some may be empty) from `*at` into `out` (at most
/// `max`, then NULL), and moves `*at` past them. A block cut short ends the list early.
int collect_strings(char* args, size_t len, size_t* at, int count, char** out, int max)
{
    int n = 0;
    size_t i = *at;
    for (int k = 0; k < count && i < len; ++k) {
        char* s = &args[i];
        // The kernel puts a NUL after the block, so a string cut short still ends.
        while (i < len && args[i] != '\0') ++i;
        if (n < max) out[n++] = s;
        ++i;
    }
    *at = i;
    out[n] = nullptr;
    return n;
}
} // namespace

extern "C" {
/// The environment: "NAME=value" strings from proc's argument block, ending with NULL.
char** environ = g_envp;
/// argv[0], or "" (libc's posix_join tells proc this name).
const char* libsys_program_name = "";
}

// [libsys-start]
/// Builds argv (and environ) from the argument block, runs global constructors, calls main,
/// flushes stdio and exits with main's return value. A block from proc starts with
/// protocol::proc::kArgsMarker, a byte argc, a byte envc, then that many argv and environment
/// strings, NUL-terminated. Any other block is the old space-separated argument string.
extern "C" [[noreturn]] void libsys_start(char* args, size_t len)
{
    int argc;
    if (len >= 3 && args[0] == protocol::proc::kArgsMarker) {
        int want_argc = static_cast<unsigned char>(args[1]);
        int want_envc = static_cast<unsigned char>(args[2]);
        size_t at = 3;
        argc = collect_strings(args, len, &at, want_argc, g_argv, kMaxArgv);
        collect_strings(args, len, &at, want_envc, g_envp, kMaxEnv);
    } else {
        argc = split_at_spaces(args, len);
    }
    if (argc > 0) libsys_program_name = g_argv[0];
    for (auto* ctor = __init_array_start; ctor != __init_array_end; ++ctor) (*ctor)();
    int code = main(argc, g_argv);
    if (libc_flush_at_exit) libc_flush_at_exit();
    sys::exit(code);
}
// [libsys-start]

long print(const char* fmt, ...)
{
    char line[512];
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(line, sizeof(line), fmt, args);
    va_end(args);
    if (n >= sizeof(line)) n = sizeof(line) - 1;
    return sys::debug_write(line, n);
}

