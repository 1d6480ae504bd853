//! Dutch calendar arithmetic for terms: public holidays, working days and the Algemene
//! termijnenwet (Awt).
//!
//! The module owns two kinds of day that must not be confused:
//!
//! * days the Awt knows (Saturday, Sunday, the holidays of art. 3 and the days a Royal Decree sets
//!   equal to them): they move the end of a *statutory* term (art. 1 and 2);
//! * working days of one municipality: Monday to Friday, not an Awt holiday and not one of the
//!   municipality's own closing days. They count the organisation's own norms (service norm, task
//!   due dates) and terms a process explicitly counts in working days.
//!
//! A municipality's closing day (say the Friday after Ascension Day, when no Royal Decree covers
//! it) is deliberately *not* an Awt day: the Awt lists the days that extend a statutory term, and
//! a municipality cannot add to that list by closing its offices. Treating a closing day as an
//! Awt day would give the organisation more time than the law does.
//!
//! Two parts of the Awt are not modelled. Art. 1, second paragraph (terms counted backwards
//! from an event) does not arise: every term here counts forwards from receipt. Art. 4 reportedly
//! excludes long terms (three months or more) from the Awt; that is unverified, so the Awt is
//! applied to every statutory term counted in days, weeks, months or years.
//!
//! Nothing here reads a clock: every function takes the dates it works on.
//!
//! A term counts days as they fall in the Netherlands, not in UTC: an application received at
//! 00:30 on 3 March Dutch time (23:30 UTC on 2 March) is received on 3 March. [`local_date`]
//! and [`start_of_day`] convert between instants and Dutch calendar days (Europe/Amsterdam:
//! CET in winter, CEST in summer).

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use zaak_dsl::{Duration, DurationUnit, LegalTerm, TermCounting};

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

/// The holidays and closing days of one municipality.
///
/// The holidays of Awt art. 3 are computed for any year; they are not stored. What is stored is
/// what differs per municipality or per decree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Calendar {
    /// Days set equal to a public holiday by Royal Decree (Awt art. 3, third paragraph), with
    /// the name the decree gives them. They count as holidays for the Awt and for working days.
    pub decreed_days: BTreeMap<NaiveDate, String>,
    /// The municipality's own closing days: not working days, but not Awt holidays either.
    pub closing_days: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// The calendar of the Awt alone: weekends and the holidays of art. 3, no decreed days and
    /// no closing days. Load the current Royal Decree with [`Calendar::with_decreed_days`].
    pub fn netherlands() -> Calendar {
        Calendar::default()
    }

    /// Adds the municipality's own closing days.
    pub fn with_closing_days(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        self.closing_days.extend(days);
        self
    }

    /// Adds days that a Royal Decree sets equal to a public holiday (Awt art. 3, third
    /// paragraph), each with its name.
    pub fn with_decreed_days<S: Into<String>>(
        mut self,
        days: impl IntoIterator<Item = (NaiveDate, S)>,
    ) -> Calendar {
        self.decreed_days
            .extend(days.into_iter().map(|(d, name)| (d, name.into())));
        self
    }

    /// The name of the public holiday on `date`: one of Awt art. 3 or a day a Royal Decree
    /// set equal to one. A closing day of the municipality is not a holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> Option<&str> {
        if let Some(name) = statutory_holiday(date) {
            return Some(name);
        }
        self.decreed_days.get(&date).map(String::as_str)
    }

    /// Whether the municipality closes its offices on `date` by its own decision.
    pub fn is_closing_day(&self, date: NaiveDate) -> bool {
        self.closing_days.contains(&date)
    }

    /// Whether `date` is a Saturday, a Sunday or a holiday: the days that move the end of a
    /// statutory term (Awt art. 1 and 2).
    pub fn is_weekend_or_holiday(&self, date: NaiveDate) -> bool {
        is_weekend(date) || self.is_holiday(date).is_some()
    }

    /// Monday to Friday, not a holiday and not a closing day of the municipality.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.is_weekend_or_holiday(date) && !self.is_closing_day(date)
    }

    /// The first working day on or after `date`.
    pub fn next_working_day_from(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
        day
    }

    /// The `n`-th working day after `date` (`date` itself does not count); `date` itself when
    /// `n` is 0. Saturates at the last date chrono can represent.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut remaining = i64::from(n);
        let mut day = date;
        // Jump whole weeks while far from the goal. A week holds at most five working days, so
        // a jump of (remaining - 1) / 5 weeks never passes the goal and leaves at least one
        // working day to find by stepping, which makes the result a working day.
        while remaining > 10 {
            let weeks = (remaining - 1) / 5;
            let Some(jumped) = day.checked_add_days(Days::new(weeks as u64 * 7)) else {
                return NaiveDate::MAX;
            };
            remaining -= self.working_days_between(day, jumped);
            day = jumped;
        }
        while remaining > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    /// The number of working days after `a` up to and including `b`; negative when `b` is
    /// before `a`. The inverse of [`Calendar::add_working_days`]:
    /// `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        let weekdays = weekdays_after_until(a, b);
        // Every weekday in (a, b] that is nevertheless not a working day, counted once even when
        // it is a holiday and a closing day at the same time.
        let mut off: BTreeSet<NaiveDate> = BTreeSet::new();
        let in_range = |d: &NaiveDate| *d > a && *d <= b && !is_weekend(*d);
        for year in a.year()..=b.year() {
            off.extend(
                statutory_holidays(year)
                    .into_iter()
                    .map(|(d, _)| d)
                    .filter(in_range),
            );
        }
        off.extend(self.decreed_days.keys().copied().filter(in_range));
        off.extend(self.closing_days.iter().copied().filter(in_range));
        weekdays - off.len() as i64
    }

    /// `date` plus a duration as designers say it. Calendar units count calendar days; months
    /// and years keep the day of the month, clamped to the month's last day (31 January plus
    /// one month is 28 or 29 February); working days count working days after `date`; hours
    /// count whole days only (under 24 hours adds nothing). Saturates at the last date chrono can
    /// represent.
    pub fn add(&self, date: NaiveDate, duration: Duration) -> NaiveDate {
        let n = duration.amount;
        let result = match duration.unit {
            DurationUnit::Hours => date.checked_add_days(Days::new(u64::from(n / 24))),
            DurationUnit::Days => date.checked_add_days(Days::new(u64::from(n))),
            DurationUnit::Weeks => date.checked_add_days(Days::new(u64::from(n) * 7)),
            DurationUnit::Months => date.checked_add_months(Months::new(n)),
            DurationUnit::Years => n
                .checked_mul(12)
                .and_then(|months| date.checked_add_months(Months::new(months))),
            DurationUnit::WorkingDays => return self.add_working_days(date, n),
        };
        result.unwrap_or(NaiveDate::MAX)
    }

    /// The last day of a statutory term received on `received`, counted from the day after
    /// receipt (Awb), with the Awt applied: 8 weeks from a receipt on Monday 5 January 2026
    /// end on Monday 2 March 2026.
    ///
    /// Terms counted in working days count working days of this municipality and need no Awt:
    /// they end on a working day, which is never a Saturday, Sunday or holiday.
    pub fn legal_deadline(&self, received: NaiveDate, term: &LegalTerm) -> NaiveDate {
        match term.counting {
            TermCounting::Calendar => {
                let end = self.add(received, term.duration);
                self.awt_end(received, end, term.duration)
            }
            TermCounting::WorkingDays => self.add_working_days(received, term.duration.amount),
        }
    }

    /// The target date of the organisation's service norm, counted from the day after
    /// receipt as its unit says. A service norm is not a statutory term, so the Awt does not
    /// move it.
    pub fn target_date(&self, received: NaiveDate, service_norm: Duration) -> NaiveDate {
        self.add(received, service_norm)
    }

    /// Applies the Awt to a statutory term that runs from the day after `received` up to and
    /// including `end`, where `duration` is the term's length as the law states it.
    ///
    /// Art. 1: an end on a Saturday, Sunday or holiday moves to the next day that is none of
    /// those. Art. 2: a term of at least three days contains at least two days that are none of
    /// those, so the end moves on until it does. A term stated in hours is left alone: the Awt
    /// counts days. Closing days of the municipality never move the end (see the module docs).
    pub fn awt_end(&self, received: NaiveDate, end: NaiveDate, duration: Duration) -> NaiveDate {
        if duration.unit == DurationUnit::Hours {
            return end;
        }
        let mut end = end;
        // Article 1.
        while self.is_weekend_or_holiday(end) {
            match end.succ_opt() {
                Some(next) => end = next,
                None => return end,
            }
        }
        // Article 2: only for terms of three days or more.
        if at_least_three_days(duration) {
            let mut ordinary = 0;
            let mut day = received;
            // Two ordinary days are all art. 2 asks for, so the count stops there.
            while let Some(next) = day.succ_opt() {
                if next > end || ordinary >= 2 {
                    break;
                }
                day = next;
                if !self.is_weekend_or_holiday(day) {
                    ordinary += 1;
                }
            }
            while ordinary < 2 {
                match end.succ_opt() {
                    Some(next) => end = next,
                    None => return end,
                }
                if !self.is_weekend_or_holiday(end) {
                    ordinary += 1;
                }
            }
        }
        end
    }
}

fn at_least_three_days(duration: Duration) -> bool {
    match duration.unit {
        // The Awt counts days; `awt_end` leaves terms in hours alone before asking.
        DurationUnit::Hours => false,
        DurationUnit::Days | DurationUnit::WorkingDays => duration.amount >= 3,
        DurationUnit::Weeks | DurationUnit::Months | DurationUnit::Years => duration.amount >= 1,
    }
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday to Friday in (a, b], for a <= b, without walking the days.
fn weekdays_after_until(a: NaiveDate, b: NaiveDate) -> i64 {
    let span = (b - a).num_days();
    let full_weeks = span / 7;
    let mut count = full_weeks * 5;
    // The remaining days, fewer than seven, follow a's weekday.
    let mut weekday = a.weekday();
    for _ in 0..span % 7 {
        weekday = weekday.succ();
        if !matches!(weekday, Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
    }
    count
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, also known as
/// Meeus/Jones/Butcher). `None` only for years outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The day the King's (before 2014 the Queen's) birthday is celebrated in `year`.
///
/// From 2014: 27 April, or Saturday 26 April when the 27th is a Sunday. From 1980 to 2013:
/// 30 April, or Saturday 29 April when the 30th is a Sunday. Earlier years follow the 1980 rule,
/// which is not exact for them; terms that old are out of scope.
fn kings_day(year: i32) -> Option<NaiveDate> {
    let (day, name_day) = if year >= 2014 { (27, 26) } else { (30, 29) };
    let date = NaiveDate::from_ymd_opt(year, 4, day)?;
    if date.weekday() == Weekday::Sun {
        NaiveDate::from_ymd_opt(year, 4, name_day)
    } else {
        Some(date)
    }
}

/// The public holidays of Awt art. 3 in `year`, in date order, with their Dutch names.
/// Easter Sunday and Whit Sunday are left out: they are Sundays anyway.
pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut days = Vec::with_capacity(10);
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let mut push = |date: Option<NaiveDate>, name| {
        if let Some(date) = date {
            days.push((date, name));
        }
    };
    push(fixed(1, 1), "Nieuwjaarsdag");
    if let Some(easter) = easter_sunday(year) {
        let offset = |n: i64| easter.checked_add_signed(chrono::Duration::days(n));
        push(offset(-2), "Goede Vrijdag");
        push(offset(1), "Tweede Paasdag");
        push(offset(39), "Hemelvaartsdag");
        push(offset(50), "Tweede Pinksterdag");
    }
    push(
        kings_day(year),
        if year >= 2014 {
            "Koningsdag"
        } else {
            "Koninginnedag"
        },
    );
    push(fixed(5, 5), "Bevrijdingsdag");
    push(fixed(12, 25), "Eerste Kerstdag");
    push(fixed(12, 26), "Tweede Kerstdag");
    days.sort();
    days
}

/// The name of the Awt art. 3 holiday on `date`, if it is one.
pub fn statutory_holiday(date: NaiveDate) -> Option<&'static str> {
    match (date.month(), date.day()) {
        (1, 1) => return Some("Nieuwjaarsdag"),
        (5, 5) => return Some("Bevrijdingsdag"),
        (12, 25) => return Some("Eerste Kerstdag"),
        (12, 26) => return Some("Tweede Kerstdag"),
        _ => {}
    }
    // Every other holiday falls between Goede Vrijdag (20 March at the earliest) and Tweede
    // Pinksterdag (14 June at the latest); most days of the year need no Easter computation,
    // which matters because working-day arithmetic asks this for every day it passes.
    if !(3..=6).contains(&date.month()) {
        return None;
    }
    let year = date.year();
    if date.month() == 4 && kings_day(year) == Some(date) {
        return Some(if year >= 2014 {
            "Koningsdag"
        } else {
            "Koninginnedag"
        });
    }
    let easter = easter_sunday(year)?;
    match (date - easter).num_days() {
        -2 => Some("Goede Vrijdag"),
        1 => Some("Tweede Paasdag"),
        39 => Some("Hemelvaartsdag"),
        50 => Some("Tweede Pinksterdag"),
        _ => None,
    }
}

#[cfg(test)]
mod local_time_tests {
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
