/// \file log.hpp
/// \brief The kernel log: leveled, timestamped lines on COM1, each naming the subsystem that wrote it.
///
/// A line looks like `[    0.004210] info  mm: 126 MiB available in 3 regions`. The timestamp is
/// seconds since boot (zero until the clock is calibrated). Levels below the threshold set with
/// `klog::set_level` (from the `loglevel=` command-line option) are dropped.
#pragma once

namespace klog {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level level);

void debug(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void info(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void warn(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void error(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/// Writes raw text with no prefix (used for panic dumps and user console output).
void raw(const char* text, unsigned long len);
/// printf to the console with no prefix.
void rawf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace klog
