/// \file time.h
/// \brief Calendar time from seconds since 1970 (UTC; Samsara has no time zones), and the clock since boot.
#pragma once

#include <sys/types.h>

struct tm {
    int tm_sec;
    int tm_min;
    int tm_hour;
    int tm_mday;   ///< 1..31
    int tm_mon;    ///< 0..11
    int tm_year;   ///< Years since 1900.
    int tm_wday;   ///< 0 = Sunday.
    int tm_yday;   ///< 0..365
    int tm_isdst;  ///< Always 0.
};

#ifdef __cplusplus
extern "C" {
#endif

/// Breaks `*t` (seconds since 1970, UTC) into `*out`; returns out.
struct tm* gmtime_r(const time_t* t, struct tm* out);
/// The same into a static struct.
struct tm* gmtime(const time_t* t);

#ifdef __cplusplus
}
#endif
