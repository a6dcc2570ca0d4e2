/// \file main.cpp
/// \brief `fault KIND`: a program that takes a CPU exception on purpose, to show the kernel survives it.
///
/// KIND is one of: null (read address 0), kernel-write (store to a kernel address), ud2 (invalid
/// opcode), div0 (divide by zero), gp (a privileged instruction), stack (run off the stack).
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace {
volatile bool g_keep_going = true;  // Read at run time, so the compiler cannot see the loop is endless.

int recurse(int depth)
{
    volatile char pad[512];
    pad[0] = static_cast<char>(depth);
    return g_keep_going ? recurse(depth + 1) + pad[0] : depth;
}
} // namespace

int main(int argc, char** argv)
{
    const char* kind = argc > 1 ? argv[1] : "null";
    print("fault: about to take a '%s' fault\n", kind);
    if (strcmp(kind, "null") == 0) {
        volatile int* p = nullptr;
        return *p;
    }
    if (strcmp(kind, "kernel-write") == 0) {
        *reinterpret_cast<volatile uint64_t*>(0xffffffff80100000ull) = 0xdead;
    } else if (strcmp(kind, "ud2") == 0) {
        asm volatile("ud2");
    } else if (strcmp(kind, "div0") == 0) {
        volatile int zero = 0;
        return 10 / zero;
    } else if (strcmp(kind, "gp") == 0) {
        asm volatile("cli");
    } else if (strcmp(kind, "stack") == 0) {
        return recurse(0);
    } else {
        print("fault: unknown kind '%s'\n", kind);
        return 2;
    }
    print("fault: survived a '%s' fault, which should be impossible\n", kind);
    return 1;
}
