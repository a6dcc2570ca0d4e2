/// \file console.cpp
/// \brief Console output: the same bytes to serial and to VGA, or to a redirected builtin's descriptor.
#include "console.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "protocols/chardev.hpp"
#include "sys.hpp"
#include <unistd.h>

namespace console {

namespace {

abi::CapSlot g_serial = abi::kNullSlot;
abi::CapSlot g_vga = abi::kNullSlot;
int g_out = kDevices;
int g_err = kDevices;

void to_devices(const char* text, size_t length)
{
    // Sent as it is: the serial driver (like the kernel's console) turns "\n" into "\r\n", and
    // the VGA console starts a new line at column 0.
    if (length == 0) return;
    if (g_serial != abi::kNullSlot) protocol::chardev::Client(g_serial).write(text, length);
    else sys::debug_write(text, length);  // No serial driver: the kernel's console is the same UART.
    if (g_vga != abi::kNullSlot) protocol::chardev::Client(g_vga).write(text, length);
}

void to(int target, const char* text, size_t length)
{
    if (target == kDevices) to_devices(text, length);
    // A descriptor: libc's write sends it all, or stops at an error (a pipe whose reader has
    // gone), after which the rest is dropped as a real process would have it dropped.
    else if (target >= 0 && length > 0) ::write(target, text, length);
}

void vprint_to(int target, const char* fmt, va_list args)
{
    char line[512];
    size_t n = vformat(line, sizeof(line), fmt, args);
    if (n >= sizeof(line)) n = sizeof(line) - 1;
    to(target, line, n);
}

} // namespace

void attach(abi::CapSlot serial, abi::CapSlot vga)
{
    g_serial = serial;
    g_vga = vga;
}

void redirect(int out, int err)
{
    g_out = out;
    g_err = err;
}

void write(const char* text, size_t length) { to(g_out, text, length); }

void puts(const char* text) { write(text, strlen(text)); }

void print(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vprint_to(g_out, fmt, args);
    va_end(args);
}

void error(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vprint_to(g_err, fmt, args);
    va_end(args);
}

} // namespace console
