/// \file time.cpp
/// \brief gmtime_r and gmtime over libc::civil_from_seconds.
#include "core.hpp"
#include <time.h>

extern "C" {

struct tm* gmtime_r(const time_t* t, struct tm* out)
{
    if (!t || !out) return nullptr;
    libc::Civil c = libc::civil_from_seconds(*t);
    out->tm_sec = c.second;
    out->tm_min = c.minute;
    out->tm_hour = c.hour;
    out->tm_mday = c.day;
    out->tm_mon = c.month - 1;
    out->tm_year = static_cast<int>(c.year - 1900);
    out->tm_wday = c.weekday;
    out->tm_yday = c.yday;
    out->tm_isdst = 0;
    return out;
}

struct tm* gmtime(const time_t* t)
{
    static struct tm result;
    return gmtime_r(t, &result);
}

} // extern "C"
