/// \file main.cpp
/// \brief `crash KIND`: a disk program that takes a CPU exception, so `proctest` can check the wait status `proc` reports for it.
///
/// KIND: segv (store to address 0: page fault), gp (load from a non-canonical address: general
/// protection fault), ud (ud2: invalid opcode), de (divide by zero), bp (int3: breakpoint).
#include "lib/string.hpp"
#include "print.hpp"

int main(int argc, char** argv)
{
    // Started by proc, argv[0] may be the whole argument block (see exitcode/args.hpp): the
    // kind is then its third string.
    const char* kind = argc > 1 ? argv[1] : "";
    if (argc == 1 && argv[0][0] == '\x1e') {
        const char* p = argv[0] + 1;
        p += strlen(p) + 1;
        kind = p;
    }
    print("crash: taking a '%s' fault\n", kind);
    if (strcmp(kind, "segv") == 0) {
        *reinterpret_cast<volatile int*>(0) = 1;
    } else if (strcmp(kind, "gp") == 0) {
        return *reinterpret_cast<volatile int*>(0x8000000000000000ull);
    } else if (strcmp(kind, "ud") == 0) {
        asm volatile("ud2");
    } else if (strcmp(kind, "de") == 0) {
        volatile int zero = 0;
        return 10 / zero;
    } else if (strcmp(kind, "bp") == 0) {
        asm volatile("int3");
    } else {
        print("crash: unknown kind '%s'\n", kind);
        return 2;
    }
    print("crash: survived a '%s' fault\n", kind);
    return 1;
}
