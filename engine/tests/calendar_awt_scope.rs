//! Which terms the Algemene termijnenwet moves at all: art. 4, under a.
//!
//! "Deze wet geldt niet voor termijnen: a. omschreven in uren, in meer dan 90 dagen, in meer dan
//! twaalf weken, in meer dan drie maanden, of in een of meer jaren". The words are "meer dan", so
//! 90 days, 12 weeks and 3 months are still moved and 91 days, 13 weeks and 4 months are not.
//!
//! Every term below ends on Saturday 29 August 2026; the Monday after it, 31 August, is an
//! ordinary day. A term the Awt applies to ends on that Monday, any other on the Saturday.

mod common;

use chrono::NaiveDate;
use zaak_dsl::{Duration, LegalTerm, ProcessModel, TermCounting};
use zaak_engine::calendar::{awt_applies, Calendar};
use zaak_engine::term::TermClock;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

fn duration(text: &str) -> Duration {
    text.parse().expect("a valid duration in a test")
}

const SATURDAY: (i32, u32, u32) = (2026, 8, 29);
const MONDAY: (i32, u32, u32) = (2026, 8, 31);

/// Checks the deadline of `term` received on `received`, and that the unmoved end is the
/// Saturday, so that each case really tests the end on a Saturday.
fn check(received: NaiveDate, term: &str, expected: (i32, u32, u32)) {
    let cal = Calendar::netherlands();
    let duration = duration(term);
    let (y, m, d) = SATURDAY;
    assert_eq!(
        cal.add(received, duration),
        date(y, m, d),
        "{term} from {received}"
    );
    let term_of_law = LegalTerm {
        duration,
        counting: TermCounting::Calendar,
    };
    let (y, m, d) = expected;
    assert_eq!(
        cal.legal_deadline(received, &term_of_law),
        date(y, m, d),
        "{term} from {received}"
    );
}

#[test]
fn a_six_month_term_ending_on_a_saturday_stays_on_the_saturday() {
    // Awb 3:18: six months. Thursday 12 March 2026 + 6 months = Saturday 12 September 2026. Six
    // months are "meer dan drie maanden", so the Awt does not apply and the deadline is the
    // Saturday itself; the Act would have moved it to Monday 14 September.
    let cal = Calendar::netherlands();
    let term = LegalTerm {
        duration: duration("6 months"),
        counting: TermCounting::Calendar,
    };
    assert_eq!(
        cal.legal_deadline(date(2026, 3, 12), &term),
        date(2026, 9, 12)
    );
}

#[test]
fn twelve_weeks_are_moved_and_thirteen_are_not() {
    // Saturday 6 June 2026 + 84 days; Saturday 30 May + 91 days; Saturday 13 June + 77 days.
    check(date(2026, 6, 6), "12 weeks", MONDAY);
    check(date(2026, 5, 30), "13 weeks", SATURDAY);
    check(date(2026, 6, 13), "11 weeks", MONDAY);
}

#[test]
fn ninety_days_are_moved_and_ninety_one_are_not() {
    // Sunday 31 May 2026 + 90 days; Saturday 30 May + 91; Monday 1 June + 89.
    check(date(2026, 5, 31), "90 days", MONDAY);
    check(date(2026, 5, 30), "91 days", SATURDAY);
    check(date(2026, 6, 1), "89 days", MONDAY);
}

#[test]
fn three_months_are_moved_and_four_are_not() {
    // Friday 29 May 2026 + 3 months; Wednesday 29 April + 4 months; Monday 29 June + 2 months.
    check(date(2026, 5, 29), "3 months", MONDAY);
    check(date(2026, 4, 29), "4 months", SATURDAY);
    check(date(2026, 6, 29), "2 months", MONDAY);
    // Three months are moved even when they hold more than 90 days: 29 May to 29 August is 92
    // days. The law looks at how the term is stated, not at its length in days.
    assert_eq!((date(2026, 8, 29) - date(2026, 5, 29)).num_days(), 92);
}

#[test]
fn a_term_in_years_is_never_moved() {
    // Saturday 29 August 2026 is one year after Friday 29 August 2025: "een of meer jaren".
    check(date(2025, 8, 29), "1 year", SATURDAY);
}

#[test]
fn the_scope_of_article_4_by_unit() {
    let cases = [
        ("48 hours", false),
        ("1 hour", false),
        ("0 days", true),
        ("90 days", true),
        ("91 days", false),
        ("90 working days", true),
        ("91 working days", false),
        ("12 weeks", true),
        ("13 weeks", false),
        ("3 months", true),
        ("4 months", false),
        ("6 months", false),
        ("1 year", false),
        ("2 years", false),
    ];
    for (term, applies) in cases {
        assert_eq!(awt_applies(duration(term)), applies, "{term}");
    }
}

/// A process with a legal term of `term`, suspension allowed and an extension of `extension`.
fn process(term: &str, extension: &str) -> ProcessModel {
    common::with_fields(serde_json::json!({
        "term": { "duration": term },
        "suspension_allowed": true,
        "extension": extension,
    }))
}

#[test]
fn the_term_clock_applies_article_4_after_suspension_and_extension() {
    let cal = Calendar::netherlands();
    // Six months from Monday 2 March 2026 end on Wednesday 2 September. A suspension of 10
    // days moves the end to Saturday 12 September, where it stays: six months are outside the
    // Awt whatever happened to the case.
    let mut clock = TermClock::start(date(2026, 3, 2), &process("6 months", "6 weeks"), &cal);
    assert_eq!(clock.deadline, Some(date(2026, 9, 2)));
    clock
        .suspend(date(2026, 4, 1), "aanvulling gevraagd")
        .expect("the term may stand still");
    clock
        .resume(date(2026, 4, 11), &cal)
        .expect("the suspension ends");
    assert_eq!(clock.deadline, Some(date(2026, 9, 12)));

    // Eight weeks from Saturday 4 July 2026 end on Saturday 29 August; extended by 6 weeks they
    // end on Saturday 10 October. Art. 4 looks at the term of 8 weeks as the law states it,
    // so the Awt applies and the deadline is Monday 12 October.
    let mut clock = TermClock::start(date(2026, 7, 4), &process("8 weeks", "6 weeks"), &cal);
    assert_eq!(clock.deadline, Some(date(2026, 8, 31)));
    let extended = clock
        .extend(duration("6 weeks"), "advies nodig", date(2026, 8, 20), &cal)
        .expect("the extension is allowed");
    assert_eq!(extended, date(2026, 10, 12));
}
