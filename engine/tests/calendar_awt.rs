//! Statutory deadlines with the Algemene termijnenwet, against dates checked by hand.
//!
//! Every case says why the expected date is right. Weekdays: 5 January 2026 is a Monday.

use chrono::NaiveDate;
use zaak_dsl::{Duration, LegalTerm, TermCounting};
use zaak_engine::calendar::Calendar;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

fn duration(text: &str) -> Duration {
    text.parse().expect("a valid duration in a test")
}

/// Checks the deadline of a term counted in calendar units, received on `received`.
fn check(cal: &Calendar, received: NaiveDate, term: &str, expected: NaiveDate) {
    let term = LegalTerm {
        duration: duration(term),
        counting: TermCounting::Calendar,
    };
    assert_eq!(
        cal.legal_deadline(received, &term),
        expected,
        "{term:?} from {received}"
    );
}

#[test]
fn eight_weeks_from_the_day_after_receipt() {
    // Received Monday 5 January 2026; day 1 is Tuesday 6 January, day 56 is Monday 2 March.
    check(
        &Calendar::netherlands(),
        date(2026, 1, 5),
        "8 weeks",
        date(2026, 3, 2),
    );
}

#[test]
fn end_on_good_friday_moves_past_easter_monday() {
    // Friday 6 March 2026 + 4 weeks = Friday 3 April, Goede Vrijdag. Saturday 4 and Sunday 5
    // follow, Monday 6 April is Tweede Paasdag: the term ends Tuesday 7 April.
    check(
        &Calendar::netherlands(),
        date(2026, 3, 6),
        "4 weeks",
        date(2026, 4, 7),
    );
}

#[test]
fn end_on_kings_day_moves_a_day() {
    // Monday 30 March 2026 + 4 weeks = Monday 27 April, Koningsdag: Tuesday 28 April.
    check(
        &Calendar::netherlands(),
        date(2026, 3, 30),
        "4 weeks",
        date(2026, 4, 28),
    );
    // Saturday 29 March 2025 + 4 weeks = Saturday 26 April 2025, Koningsdag on a Saturday;
    // Sunday 27 April is no holiday in 2025 but a Sunday: Monday 28 April.
    check(
        &Calendar::netherlands(),
        date(2025, 3, 29),
        "4 weeks",
        date(2025, 4, 28),
    );
}

#[test]
fn end_on_liberation_day_moves_a_day() {
    // Tuesday 7 April 2026 + 4 weeks = Tuesday 5 May, Bevrijdingsdag (every year for the Awt):
    // Wednesday 6 May.
    check(
        &Calendar::netherlands(),
        date(2026, 4, 7),
        "4 weeks",
        date(2026, 5, 6),
    );
}

#[test]
fn end_on_ascension_day() {
    // Thursday 16 April 2026 + 4 weeks = Thursday 14 May, Hemelvaartsdag. The Act alone moves
    // the end to Friday 15 May.
    check(
        &Calendar::without_decrees(),
        date(2026, 4, 16),
        "4 weeks",
        date(2026, 5, 15),
    );
    // The decree for 2026 to 2028 sets Friday 15 May equal to a holiday and the weekend
    // follows: Monday 18 May, in the calendar every runtime uses.
    check(
        &Calendar::netherlands(),
        date(2026, 4, 16),
        "4 weeks",
        date(2026, 5, 18),
    );
    // A closing day of the municipality is not in the Awt and does not move the deadline.
    let closed = Calendar::without_decrees().with_closing_days([(date(2026, 5, 15), "brugdag")]);
    check(&closed, date(2026, 4, 16), "4 weeks", date(2026, 5, 15));
}

#[test]
fn a_deadline_on_friday_15_may_2026_moves_to_monday_18_may() {
    // Issue 11: a term of 8 weeks received on Friday 20 March 2026 ends on Friday 15 May 2026,
    // the day after Hemelvaartsdag. That Friday is set equal to a holiday by the decree for
    // 2026 to 2028, so the deadline is Monday 18 May, not the Friday.
    let cal = Calendar::netherlands();
    check(&cal, date(2026, 3, 20), "8 weeks", date(2026, 5, 18));
    assert_eq!(
        cal.is_holiday(date(2026, 5, 15)),
        Some("vrijdag na Hemelvaartsdag")
    );
    // Without the decree the Friday stays.
    check(
        &Calendar::without_decrees(),
        date(2026, 3, 20),
        "8 weeks",
        date(2026, 5, 15),
    );
}

#[test]
fn end_on_whit_monday_moves_a_day() {
    // Monday 13 April 2026 + 6 weeks = Monday 25 May, Tweede Pinksterdag: Tuesday 26 May.
    check(
        &Calendar::netherlands(),
        date(2026, 4, 13),
        "6 weeks",
        date(2026, 5, 26),
    );
}

#[test]
fn christmas_and_new_year() {
    let cal = Calendar::netherlands();
    // Friday 27 November 2026 + 4 weeks = Friday 25 December; Saturday 26 is Tweede Kerstdag
    // and a Saturday, Sunday 27 follows: Monday 28 December.
    check(&cal, date(2026, 11, 27), "4 weeks", date(2026, 12, 28));
    // Friday 4 December 2026 + 4 weeks = Friday 1 January 2027, Nieuwjaarsdag, then a
    // weekend: Monday 4 January 2027.
    check(&cal, date(2026, 12, 4), "4 weeks", date(2027, 1, 4));
    // Saturday 27 November 2027 + 4 weeks = Saturday 25 December 2027; Sunday 26 is Tweede
    // Kerstdag; Monday 27 December is an ordinary day.
    check(&cal, date(2027, 11, 27), "4 weeks", date(2027, 12, 27));
}

#[test]
fn months_clamp_to_the_end_of_the_month_before_the_awt() {
    let cal = Calendar::netherlands();
    // 31 January 2026 + 1 month = 28 February 2026 (no 31st), a Saturday: Monday 2 March.
    check(&cal, date(2026, 1, 31), "1 month", date(2026, 3, 2));
    // Monday 30 November 2026 + 3 months = 28 February 2027 (no 30th), a Sunday: Monday 1
    // March. (Six months would stay on the Sunday: see calendar_awt_scope.)
    check(&cal, date(2026, 11, 30), "3 months", date(2027, 3, 1));
}

#[test]
fn article_2_gives_a_short_term_two_ordinary_days() {
    let cal = Calendar::netherlands();
    // Friday 9 January 2026 + 3 days: Saturday 10, Sunday 11, Monday 12. Monday is an ordinary
    // day, so art. 1 does nothing, but the term holds only one ordinary day: art. 2 extends it
    // to Tuesday 13 January.
    check(&cal, date(2026, 1, 9), "3 days", date(2026, 1, 13));
    // Thursday 8 January 2026 + 3 days ends Sunday 11; art. 1 moves it to Monday 12, and the
    // term then holds Friday 9 and Monday 12: two ordinary days, art. 2 adds nothing.
    check(&cal, date(2026, 1, 8), "3 days", date(2026, 1, 12));
    // Thursday 2 April 2026 + 3 days: Goede Vrijdag, Saturday, Sunday 5 April. Art. 1 passes
    // Tweede Paasdag to Tuesday 7 April, the first ordinary day; art. 2 asks for a second one:
    // Wednesday 8 April.
    check(&cal, date(2026, 4, 2), "3 days", date(2026, 4, 8));
    // A 2-day term is too short for art. 2: Friday 9 January 2026 + 2 days ends Sunday 11, art. 1
    // moves it to Monday 12 and no further.
    check(&cal, date(2026, 1, 9), "2 days", date(2026, 1, 12));
}

#[test]
fn terms_in_hours_are_left_alone() {
    // 48 hours from Friday 9 January 2026 is Sunday 11 January; the Awt does not apply to terms
    // "omschreven in uren" (art. 4, under a).
    check(
        &Calendar::netherlands(),
        date(2026, 1, 9),
        "48 hours",
        date(2026, 1, 11),
    );
}

#[test]
fn terms_in_working_days_count_working_days() {
    let term = LegalTerm {
        duration: duration("5 working days"),
        counting: TermCounting::WorkingDays,
    };
    // Monday 11 May 2026, by the Act alone: Tuesday 12 (1), Wednesday 13 (2), Hemelvaartsdag
    // 14 skipped, Friday 15 (3), Monday 18 (4), Tuesday 19 (5).
    let awt_only = Calendar::without_decrees();
    assert_eq!(
        awt_only.legal_deadline(date(2026, 5, 11), &term),
        date(2026, 5, 19)
    );
    // The decree for 2026 sets Friday 15 May equal to a holiday, so it is no working day:
    // Wednesday 20 May.
    assert_eq!(
        Calendar::netherlands().legal_deadline(date(2026, 5, 11), &term),
        date(2026, 5, 20)
    );
    // A closing day on that Friday has the same effect on a term in working days.
    let closed = Calendar::without_decrees().with_closing_days([(date(2026, 5, 15), "brugdag")]);
    assert_eq!(
        closed.legal_deadline(date(2026, 5, 11), &term),
        date(2026, 5, 20)
    );
}

#[test]
fn a_target_date_is_not_moved_by_the_awt() {
    // Friday 6 March 2026 + 4 weeks = Goede Vrijdag 3 April; a service norm is the
    // organisation's own target, not a statutory term, so it stays there.
    let cal = Calendar::netherlands();
    assert_eq!(
        cal.target_date(date(2026, 3, 6), duration("4 weeks")),
        date(2026, 4, 3)
    );
    // A norm in working days lands on a working day: Thursday 2 April 2026 + 1 working day
    // passes Goede Vrijdag, the weekend and Tweede Paasdag to Tuesday 7 April.
    assert_eq!(
        cal.target_date(date(2026, 4, 2), duration("1 working day")),
        date(2026, 4, 7)
    );
}
