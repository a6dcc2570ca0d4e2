/// \file civil_core.cpp
/// \brief Seconds since 1970 to a calendar date and time (UTC), for gmtime_r and `ls -l`.
#include "core.hpp"

namespace libc {

Civil civil_from_seconds(int64_t seconds)
{
    // Floor division, so moments before 1970 land on the right day.
    int64_t days = seconds / 86400;
    int64_t rest = seconds % 86400;
    if (rest < 0) rest += 86400, --days;
    Civil c{};
    c.hour = static_cast<int>(rest / 3600);
    c.minute = static_cast<int>(rest / 60 % 60);
    c.second = static_cast<int>(rest % 60);
    // 1970-01-01 was a Thursday (4).
    int64_t weekday = (days + 4) % 7;
    c.weekday = static_cast<int>(weekday < 0 ? weekday + 7 : weekday);

    // Howard Hinnant's days_from_civil inverse: eras of 400 years (146097 days), with years
    // starting on March 1st so the leap day is the last day of a year.
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                    // [0, 146096]
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365], from March 1st
    int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11], March = 0
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);

    // The day of the year counted from January 1st.
    static const int kDaysBefore[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
    c.yday = kDaysBefore[c.month - 1] + c.day - 1 + (leap && c.month > 2 ? 1 : 0);
    return c;
}

} // namespace libc
