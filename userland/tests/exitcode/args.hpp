/// \file args.hpp
/// \brief How `exitcode` finds its argv and environment: split by libsys, or straight from the block `proc` builds.
///
/// A program started by `proc` receives kArgsMarker, argc, envc, argv strings, environment
/// strings (protocols/proc.hpp). Start-up code that knows the marker splits it (and sets `environ`);
/// start-up code that does not leaves the whole block in argv[0], which this reads itself. So
/// the test sees exactly what `proc` sent, whichever start-up code the program was linked with.
#pragma once

#include "protocols/proc.hpp"

extern "C" char** environ __attribute__((weak));

namespace exitcode {

inline constexpr int kMaxStrings = 70;

struct Args {
    int argc = 0;
    const char* argv[kMaxStrings + 1] = {};
    int envc = 0;
    const char* envp[kMaxStrings + 1] = {};
};

/// Reads `n` strings from `p`; returns where the next list starts.
inline const char* read_list(const char* p, int n, const char** out, int& count)
{
    for (int k = 0; k < n; ++k) {
        if (count < kMaxStrings) out[count++] = p;
        while (*p) ++p;
        ++p;
    }
    return p;
}

inline Args parse(int argc, char** argv)
{
    Args a;
    if (argc > 0 && argv[0][0] == protocol::proc::kArgsMarker) {
        const unsigned char* counts = reinterpret_cast<const unsigned char*>(argv[0]) + 1;
        const char* p = read_list(argv[0] + 3, counts[0], a.argv, a.argc);
        read_list(p, counts[1], a.envp, a.envc);
        return a;
    }
    for (int i = 0; i < argc && a.argc < kMaxStrings; ++i) a.argv[a.argc++] = argv[i];
    for (char** e = &environ ? environ : nullptr; e && *e && a.envc < kMaxStrings; ++e) a.envp[a.envc++] = *e;
    return a;
}

} // namespace exitcode
