/// \file console.cpp
/// \brief Console output: the same bytes to serial and to VGA.
#include "console.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "protocols/chardev.hpp"
#include "sys.hpp"

namespace console {

namespace {

abi::CapSlot g_serial = abi::kNullSlot;
abi::CapSlot g_vga = abi::kNullSlot;

} // namespace

void attach(abi::CapSlot serial, abi::CapSlot vga)
{
    g_serial = serial;
    g_vga = vga;
}

void write(const char* text, size_t length)
{
    // Sent as it is: the serial driver (like the kernel's console) turns "\n" into "\r\n", and
    // the VGA console starts a new line at column 0.
    if (length == 0) return;
    if (g_serial != abi::kNullSlot) protocol::chardev::Client(g_serial).write(text, length);
    else sys::debug_write(text, length);  // No serial driver: the kernel's console is the same UART.
    if (g_vga != abi::kNullSlot) protocol::chardev::Client(g_vga).write(text, length);
}

void puts(const char* text) { write(text, strlen(text)); }

void print(const char* fmt, ...)
{
    char line[512];
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(line, sizeof(line), fmt, args);
    va_end(args);
    if (n >= sizeof(line)) n = sizeof(line) - 1;
    write(line, n);
}

} // namespace console
