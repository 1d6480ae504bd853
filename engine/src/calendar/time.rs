//! Instants and Dutch calendar days.
//!
//! A term counts days as they fall in the Netherlands, not in UTC: an application received at
//! 00:30 on 3 March Dutch time (23:30 UTC on 2 March) is received on 3 March. [`local_date`]
//! and [`start_of_day`] convert between instants and Dutch calendar days (Europe/Amsterdam:
//! CET in winter, CEST in summer).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};

/// The time zone of Dutch administrative law.
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// 1946-01-01T00:00:00Z: from then on Dutch time is UTC+1 or UTC+2.
const CET_SINCE: i64 = -757_382_400;

/// The Dutch calendar day at instant `t`.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(
        i32::try_from(local_day_number(t) + EPOCH_DAYS_FROM_CE).unwrap_or(i32::MAX),
    )
    .unwrap_or_else(|| t.with_timezone(&ZONE).date_naive())
}

/// Days from 1 January 1 to 1 January 1970.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// The Dutch calendar day at instant `t`, counted in days since 1 January 1970.
pub fn local_day_number(t: DateTime<Utc>) -> i64 {
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;
    let s = t.timestamp();
    // When an hour and two hours later fall on the same UTC day, that is the Dutch day, and the
    // tz database need not be asked: a report asks for every task's week, and the lookup made
    // its figures a third slower.
    if s >= CET_SINCE {
        let winter = (s + HOUR).div_euclid(DAY);
        if winter == (s + 2 * HOUR).div_euclid(DAY) {
            return winter;
        }
    }
    let day = t.with_timezone(&ZONE).date_naive();
    i64::from(day.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
}

/// The instant a Dutch calendar day begins (midnight in Amsterdam, which daylight saving never
/// skips: the clocks change at 02:00 and 03:00).
pub fn start_of_day(d: NaiveDate) -> DateTime<Utc> {
    at_local(d, NaiveTime::MIN)
}

/// The instant of wall-clock time `time` on Dutch day `d`. An hour the clocks skip in spring
/// counts as the hour after; an hour they repeat in autumn as its first occurrence.
pub fn at_local(d: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = d.and_time(time);
    ZONE.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            ZONE.from_local_datetime(&(naive + chrono::TimeDelta::hours(1)))
                .earliest()
        })
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_day_is_the_tz_database_day() {
        // Every 20 minutes across 1945-1947 and 2025-2027, both changes of the clocks included.
        for (from, to) in [(1945, 1947), (2025, 2027)] {
            let mut t = Utc.with_ymd_and_hms(from, 1, 1, 0, 0, 0).unwrap();
            let end = Utc.with_ymd_and_hms(to, 12, 31, 0, 0, 0).unwrap();
            while t < end {
                assert_eq!(local_date(t), t.with_timezone(&ZONE).date_naive(), "{t}");
                t += chrono::TimeDelta::minutes(20);
            }
        }
    }

    #[test]
    fn dutch_days_start_at_dutch_midnight() {
        let utc = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // Winter: UTC+1. 23:30 UTC on 2 March is 00:30 on 3 March in the Netherlands.
        assert_eq!(local_date(utc(2026, 3, 2, 23, 30)), day(2026, 3, 3));
        assert_eq!(local_date(utc(2026, 3, 2, 22, 59)), day(2026, 3, 2));
        assert_eq!(start_of_day(day(2026, 3, 3)), utc(2026, 3, 2, 23, 0));
        // Summer: UTC+2.
        assert_eq!(local_date(utc(2026, 7, 1, 22, 0)), day(2026, 7, 2));
        assert_eq!(start_of_day(day(2026, 7, 2)), utc(2026, 7, 1, 22, 0));
        // 29 March 2026: 02:30 does not exist; it counts as 03:30 CEST.
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            at_local(day(2026, 3, 29), half_past_two),
            utc(2026, 3, 29, 1, 30)
        );
        // 25 October 2026: 02:30 happens twice; the first is CEST.
        assert_eq!(
            at_local(day(2026, 10, 25), half_past_two),
            utc(2026, 10, 25, 0, 30)
        );
    }
}
