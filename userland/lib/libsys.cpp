/// \file libsys.cpp
/// \brief Program start-up (argument splitting, `main`, `exit`), `print`, and `spawn`.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"

int main(int argc, char** argv);

extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();

namespace {
constexpr int kMaxArgv = 64;
char* g_argv[kMaxArgv + 1];
} // namespace

// [libsys-start]
/// Splits the argument string in place at spaces, runs global constructors, calls main and exits
/// with its return value.
extern "C" [[noreturn]] void libsys_start(char* args, size_t len)
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
    for (auto* ctor = __init_array_start; ctor != __init_array_end; ++ctor) (*ctor)();
    sys::exit(main(argc, g_argv));
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

