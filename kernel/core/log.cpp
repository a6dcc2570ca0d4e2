/// \file log.cpp
/// \brief Formats log lines and writes them to the serial console.
#include "core/log.hpp"
#include "arch/x86_64/serial.hpp"
#include "core/clock.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"

namespace klog {

namespace {
Level g_threshold = Level::Info;

const char* level_name(Level level)
{
    switch (level) {
    case Level::Debug: return "debug";
    case Level::Info: return "info ";
    case Level::Warn: return "warn ";
    case Level::Error: return "error";
    }
    return "?    ";
}

void emit(Level level, const char* subsystem, const char* fmt, va_list args)
{
    if (level < g_threshold) return;
    char line[512];
    uint64_t us = clock::now_ns() / 1000;
    size_t n = format(line, sizeof(line), "[%5lu.%06lu] %s %s: ", us / 1000000, us % 1000000,
                      level_name(level), subsystem);
    if (n < sizeof(line)) n += vformat(line + n, sizeof(line) - n, fmt, args);
    if (n > sizeof(line) - 2) n = sizeof(line) - 2;  // Truncated lines still end in a newline.
    line[n++] = '\n';
    serial::write(line, n);
}
} // namespace

void set_level(Level level) { g_threshold = level; }

#define KLOG_LEVEL_FUNCTION(name, level)                          \
    void name(const char* subsystem, const char* fmt, ...)        \
    {                                                             \
        va_list args;                                             \
        va_start(args, fmt);                                      \
        emit(level, subsystem, fmt, args);                        \
        va_end(args);                                             \
    }
KLOG_LEVEL_FUNCTION(debug, Level::Debug)
KLOG_LEVEL_FUNCTION(info, Level::Info)
KLOG_LEVEL_FUNCTION(warn, Level::Warn)
KLOG_LEVEL_FUNCTION(error, Level::Error)

void raw(const char* text, unsigned long len) { serial::write(text, len); }

void rawf(const char* fmt, ...)
{
    char line[512];
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(line, sizeof(line), fmt, args);
    va_end(args);
    serial::write(line, n < sizeof(line) ? n : sizeof(line) - 1);
}

} // namespace klog
