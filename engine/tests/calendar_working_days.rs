//! Working-day arithmetic and adding durations, with hand-checked dates and a property test.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use zaak_dsl::Duration;
use zaak_engine::calendar::Calendar;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

fn duration(text: &str) -> Duration {
    text.parse().expect("a valid duration in a test")
}

#[test]
fn working_days_skip_easter() {
    let cal = Calendar::netherlands();
    // Thursday 2 April 2026: Goede Vrijdag, the weekend and Tweede Paasdag follow, so the first
    // working day after it is Tuesday 7 April.
    assert_eq!(cal.add_working_days(date(2026, 4, 2), 1), date(2026, 4, 7));
    assert_eq!(
        cal.working_days_between(date(2026, 4, 2), date(2026, 4, 7)),
        1
    );
    assert_eq!(
        cal.working_days_between(date(2026, 4, 7), date(2026, 4, 2)),
        -1
    );
    // The first working day on or after Goede Vrijdag is Tuesday 7 April too; a working day is
    // its own first.
    assert_eq!(
        cal.next_working_day_from(date(2026, 4, 3)),
        date(2026, 4, 7)
    );
    assert_eq!(
        cal.next_working_day_from(date(2026, 4, 2)),
        date(2026, 4, 2)
    );
    // Zero working days is the day itself, even a Sunday.
    assert_eq!(cal.add_working_days(date(2026, 4, 5), 0), date(2026, 4, 5));
}

#[test]
fn working_days_in_december_2026_with_closing_days() {
    // December 2026 starts on a Tuesday: weekdays 1-4, 7-11, 14-18, 21-25 and 28-31 make 23;
    // Eerste Kerstdag (Friday 25) leaves 22; Tweede Kerstdag is a Saturday.
    let cal = Calendar::netherlands();
    assert_eq!(
        cal.working_days_between(date(2026, 11, 30), date(2026, 12, 31)),
        22
    );
    // Closing on Thursday 24 and Thursday 31 December leaves 20.
    let closed = Calendar::netherlands().with_closing_days([
        (date(2026, 12, 24), "Kerstavond"),
        (date(2026, 12, 31), "Oudejaarsdag"),
    ]);
    assert_eq!(
        closed.working_days_between(date(2026, 11, 30), date(2026, 12, 31)),
        20
    );
    // Wednesday 23 December + 1 working day passes the closing day 24, Christmas and the
    // weekend, and lands on Monday 28 December.
    assert_eq!(
        closed.add_working_days(date(2026, 12, 23), 1),
        date(2026, 12, 28)
    );
}

#[test]
fn working_days_in_the_year_2026() {
    // 2026 starts on a Thursday and has 365 days: 52 weeks and one Thursday, 261 weekdays.
    // Weekday holidays of Awt art. 3: 1 Jan, 3 Apr, 6 Apr, 27 Apr, 5 May, 14 May, 25 May,
    // 25 Dec (26 Dec is a Saturday): 8. That leaves 253 working days.
    let awt_only = Calendar::without_decrees();
    assert_eq!(
        awt_only.working_days_between(date(2025, 12, 31), date(2026, 12, 31)),
        253
    );
    // The decree for 2026 to 2028 sets Friday 2 January and Friday 15 May equal to holidays:
    // 251.
    let cal = Calendar::netherlands();
    assert_eq!(
        cal.working_days_between(date(2025, 12, 31), date(2026, 12, 31)),
        251
    );
    // A closing day on a holiday, a decreed day or a Saturday takes nothing extra; on Thursday
    // 24 December it does.
    let closed = Calendar::netherlands().with_closing_days([
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 5, 15), "brugdag"),
        (date(2026, 5, 16), "zaterdag"),
    ]);
    assert_eq!(
        closed.working_days_between(date(2025, 12, 31), date(2026, 12, 31)),
        251
    );
    let christmas_eve = closed.with_closing_days([(date(2026, 12, 24), "Kerstavond")]);
    assert_eq!(
        christmas_eve.working_days_between(date(2025, 12, 31), date(2026, 12, 31)),
        250
    );
    // The 251st working day after 31 December 2025 is Thursday 31 December 2026.
    assert_eq!(
        cal.add_working_days(date(2025, 12, 31), 251),
        date(2026, 12, 31)
    );
}

#[test]
fn adding_calendar_units() {
    let cal = Calendar::netherlands();
    let from = date(2026, 1, 31);
    assert_eq!(cal.add(from, duration("3 days")), date(2026, 2, 3));
    assert_eq!(cal.add(from, duration("2 weeks")), date(2026, 2, 14));
    // The end of the month is clamped: there is no 31 February.
    assert_eq!(cal.add(from, duration("1 month")), date(2026, 2, 28));
    assert_eq!(
        cal.add(date(2024, 1, 31), duration("1 month")),
        date(2024, 2, 29)
    );
    assert_eq!(
        cal.add(date(2024, 2, 29), duration("1 year")),
        date(2025, 2, 28)
    );
    assert_eq!(cal.add(from, duration("2 years")), date(2028, 1, 31));
    // Hours count whole days only.
    assert_eq!(cal.add(from, duration("23 hours")), from);
    assert_eq!(cal.add(from, duration("24 hours")), date(2026, 2, 1));
    assert_eq!(cal.add(from, duration("49 hours")), date(2026, 2, 2));
    // Saturday 31 January 2026 + 1 working day is Monday 2 February.
    assert_eq!(cal.add(from, duration("1 working day")), date(2026, 2, 2));
}

#[test]
fn adding_saturates_instead_of_overflowing() {
    let cal = Calendar::netherlands();
    let near_end = NaiveDate::MAX - Days::new(3);
    assert_eq!(cal.add(near_end, duration("1000 years")), NaiveDate::MAX);
    assert_eq!(cal.add(near_end, duration("10 weeks")), NaiveDate::MAX);
    assert_eq!(cal.add_working_days(near_end, u32::MAX), NaiveDate::MAX);
}

/// Counts working days in (a, b] by walking, the slow and obvious way.
fn walk(cal: &Calendar, a: NaiveDate, b: NaiveDate) -> i64 {
    a.iter_days()
        .skip(1)
        .take_while(|d| *d <= b)
        .filter(|d| cal.is_working_day(*d))
        .count() as i64
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1990 to about 2100.
    (0u64..40_000).prop_map(|offset| date(1990, 1, 1) + Days::new(offset))
}

/// A calendar whose closing days lie within a year and a half after `from`, where they
/// matter, together with `from`.
fn date_and_calendar() -> impl Strategy<Value = (NaiveDate, Calendar)> {
    any_date().prop_flat_map(|from| {
        proptest::collection::vec(0u64..550, 0..40).prop_map(move |offsets| {
            let closing = offsets
                .into_iter()
                .map(|o| (from + Days::new(o), "gesloten"));
            (from, Calendar::netherlands().with_closing_days(closing))
        })
    })
}

proptest! {
    #[test]
    fn add_working_days_lands_on_a_working_day_and_inverts(
        (from, cal) in date_and_calendar(),
        n in 1u32..2_000,
    ) {
        let to = cal.add_working_days(from, n);
        prop_assert!(cal.is_working_day(to));
        prop_assert!(to > from);
        prop_assert_eq!(cal.working_days_between(from, to), i64::from(n));
        // No working day is skipped: the day before the result is only n - 1 working days on.
        let before = to.pred_opt().expect("after from, so not the first date");
        prop_assert_eq!(cal.working_days_between(from, before), i64::from(n) - 1);
    }

    #[test]
    fn working_days_between_counts_like_walking(
        (a, cal) in date_and_calendar(),
        span in 0u64..1_500,
    ) {
        let b = a + Days::new(span);
        prop_assert_eq!(cal.working_days_between(a, b), walk(&cal, a, b));
        prop_assert_eq!(cal.working_days_between(b, a), -walk(&cal, a, b));
    }
}
