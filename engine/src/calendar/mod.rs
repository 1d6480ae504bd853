//! Dutch calendar arithmetic for terms: public holidays, days set equal to them by Royal
//! Decree, working days, and the Algemene termijnenwet (Awt).
//!
//! The module owns two kinds of day that must not be confused:
//!
//! * days the Awt knows (Saturday, Sunday, the holidays of art. 3 and the days a Royal Decree sets
//!   equal to them): they move the end of a *statutory* term (art. 1 and 2);
//! * working days of one municipality: Monday to Friday, not an Awt holiday and not one of the
//!   municipality's own closing days. They count the organisation's own norms (service norm, task
//!   due dates) and terms a process explicitly counts in working days.
//!
//! A municipality's closing day (say 24 December) is deliberately *not* an Awt day: the Awt lists
//! the days that extend a statutory term, and a municipality cannot add to that list by closing
//! its offices. Treating a closing day as an Awt day would give the organisation more time than
//! the law does.
//!
//! Where each part lives:
//!
//! * `holidays.rs`: the holidays of Awt art. 3(1) and 3(2), computed for any year;
//! * `decrees.rs`: the decrees under art. 3(3) this release ships, as cited data;
//! * `file.rs`: a municipality's calendar file (decrees published later, closing days);
//! * `awt.rs`: art. 1, 2 and 4 applied to the end of a statutory term;
//! * `time.rs`: instants and Dutch calendar days;
//! * here: the [`Calendar`] that holds all of it, and working-day arithmetic.
//!
//! Decrees are published for three years at a time, so the calendar knows the last year a decree
//! covers ([`Calendar::last_decreed_year`]). A term that ends after it may end too early, because
//! the days a later decree will set equal to holidays are not known yet
//! ([`Calendar::is_past_decrees`]).
//!
//! Nothing here reads a clock: every function takes the dates it works on.

mod awt;
pub mod decrees;
pub mod file;
mod holidays;
mod time;

pub use awt::awt_applies;
pub use decrees::{Decree, DecreedDay};
pub use holidays::{easter_sunday, is_weekend, statutory_holiday, statutory_holidays};
pub use time::{at_local, local_date, local_day_number, start_of_day, ZONE};

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};
use zaak_dsl::{Duration, DurationUnit};

/// The holidays, decreed days and closing days one municipality's terms are counted with.
///
/// The holidays of Awt art. 3(1) and 3(2) are computed for any year; they are not stored. What
/// is stored is what a decree or the municipality adds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// The decrees under Awt art. 3(3) the calendar knows, in the order they were added.
    decrees: Vec<Decree>,
    /// Every decreed day: its name and the index of its decree in `decrees`. When two decrees
    /// name the same day, the first added keeps it.
    decreed_days: BTreeMap<NaiveDate, (String, usize)>,
    /// The municipality's own closing days with their names: not working days, but not Awt
    /// holidays either.
    closing_days: BTreeMap<NaiveDate, String>,
}

impl Calendar {
    /// The calendar every runtime uses unless told otherwise: weekends, the holidays of Awt
    /// art. 3(1) and 3(2), and the days of every decree under art. 3(3) this release ships
    /// ([`decrees::shipped`]). No closing days.
    pub fn netherlands() -> Calendar {
        decrees::shipped()
            .into_iter()
            .fold(Calendar::without_decrees(), Calendar::with_decree)
    }

    /// Weekends and the holidays of Awt art. 3(1) and 3(2) alone: no decreed day, no closing
    /// day. For reasoning about the Act itself; cases use [`Calendar::netherlands`].
    pub fn without_decrees() -> Calendar {
        Calendar::default()
    }

    /// Adds a Royal Decree under Awt art. 3(3): its days count as holidays from now on. A day
    /// already set equal by a decree added earlier keeps its first name and decree.
    pub fn with_decree(mut self, decree: Decree) -> Calendar {
        let index = self.decrees.len();
        for day in &decree.days {
            self.decreed_days
                .entry(day.date)
                .or_insert_with(|| (day.name.clone(), index));
        }
        self.decrees.push(decree);
        self
    }

    /// Adds the municipality's own closing days, each with its name. A day given twice keeps
    /// its last name.
    pub fn with_closing_days<S: Into<String>>(
        mut self,
        days: impl IntoIterator<Item = (NaiveDate, S)>,
    ) -> Calendar {
        self.closing_days
            .extend(days.into_iter().map(|(d, name)| (d, name.into())));
        self
    }

    /// Adds what a municipality's calendar file holds: the decrees it lists and its closing
    /// days.
    pub fn with_file(self, file: file::CalendarFile) -> Calendar {
        let file::CalendarFile {
            decrees,
            closing_days,
        } = file;
        decrees
            .into_iter()
            .fold(self, Calendar::with_decree)
            .with_closing_days(closing_days)
    }

    /// The decrees the calendar knows, in the order they were added.
    pub fn decrees(&self) -> &[Decree] {
        &self.decrees
    }

    /// The decree that sets `date` equal to a holiday, if one does.
    pub fn decree_of(&self, date: NaiveDate) -> Option<&Decree> {
        let (_, index) = self.decreed_days.get(&date)?;
        self.decrees.get(*index)
    }

    /// The last year whose days a known decree sets; none when the calendar knows no decree.
    pub fn last_decreed_year(&self) -> Option<i32> {
        self.decrees.iter().map(|d| d.last_year).max()
    }

    /// Whether `date` lies in a year after the last one a known decree covers, so that a term
    /// ending on it may miss days a later decree sets equal to holidays. True for every date
    /// when the calendar knows no decree.
    pub fn is_past_decrees(&self, date: NaiveDate) -> bool {
        self.last_decreed_year()
            .is_none_or(|last| date.year() > last)
    }

    /// The name of the public holiday on `date`: one of Awt art. 3(1) or 3(2), or a day a Royal
    /// Decree set equal to one. A closing day of the municipality is not a holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> Option<&str> {
        if let Some(name) = statutory_holiday(date) {
            return Some(name);
        }
        self.decreed_days.get(&date).map(|(name, _)| name.as_str())
    }

    /// The name of the municipality's closing day on `date`, if it closes its offices then.
    pub fn closing_day(&self, date: NaiveDate) -> Option<&str> {
        self.closing_days.get(&date).map(String::as_str)
    }

    /// Whether the municipality closes its offices on `date` by its own decision.
    pub fn is_closing_day(&self, date: NaiveDate) -> bool {
        self.closing_days.contains_key(&date)
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
        off.extend(self.closing_days.keys().copied().filter(in_range));
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

    /// The target date of the organisation's service norm, counted from the day after
    /// receipt as its unit says. A service norm is not a statutory term, so the Awt does not
    /// move it.
    pub fn target_date(&self, received: NaiveDate, service_norm: Duration) -> NaiveDate {
        self.add(received, service_norm)
    }
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
