//! The term clock of a case: start, suspension, extension, decisions in time, dwangsom and
//! warning dates, against dates checked by hand.
//!
//! The usual process here is a regular omgevingsvergunning: 8 weeks, extendable once by
//! 6 weeks, suspension allowed, a service norm of 6 weeks, dwangsom when late. Received
//! Monday 5 January 2026, its deadline is Monday 2 March 2026 (day 56) and its target Monday
//! 16 February 2026 (day 42).

mod common;

use chrono::NaiveDate;
use zaak_dsl::{Duration, ProcessModel};
use zaak_engine::calendar::Calendar;
use zaak_engine::term::{Dwangsom, Suspension, TermClock, TermError, WarningDates};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in a test")
}

fn duration(text: &str) -> Duration {
    text.parse().expect("a valid duration in a test")
}

fn omgevingsvergunning() -> ProcessModel {
    common::with_fields(serde_json::json!({
        "term": { "duration": "8 weeks" },
        "service_norm": "6 weeks",
        "suspension_allowed": true,
        "extension": "6 weeks",
        "on_deadline": "dwangsom",
    }))
}

fn started(received: NaiveDate) -> TermClock {
    TermClock::start(received, &omgevingsvergunning(), &Calendar::netherlands())
}

#[test]
fn start_derives_deadline_and_target() {
    let clock = started(date(2026, 1, 5));
    assert_eq!(clock.start, Some(date(2026, 1, 5)));
    assert_eq!(clock.deadline, Some(date(2026, 3, 2)));
    assert_eq!(clock.original_deadline, Some(date(2026, 3, 2)));
    assert_eq!(clock.target, Some(date(2026, 2, 16)));
    assert!(!clock.is_suspended());
    assert_eq!(clock.extension, None);
}

#[test]
fn a_process_without_term_has_no_deadline_but_may_have_a_target() {
    let model = common::with_fields(serde_json::json!({ "service_norm": "5 working days" }));
    let mut clock = TermClock::start(date(2026, 5, 11), &model, &Calendar::netherlands());
    assert_eq!(clock.deadline, None);
    // Monday 11 May 2026 + 5 working days passes Hemelvaartsdag (14 May) and the Friday after
    // it, set equal to a holiday by the decree for 2026 to 2028: Wednesday 20 May.
    assert_eq!(clock.target, Some(date(2026, 5, 20)));
    assert_eq!(clock.met(date(2027, 1, 1)), None);
    assert!(!clock.deadline_passed(date(2027, 1, 1)));
    assert_eq!(
        clock.suspend(date(2026, 5, 12), "x"),
        Err(TermError::NoTerm)
    );
    assert_eq!(
        clock.resume(date(2026, 5, 13), &Calendar::netherlands()),
        Err(TermError::NoTerm)
    );
    assert_eq!(
        clock.extend(
            duration("1 week"),
            "x",
            date(2026, 5, 12),
            &Calendar::netherlands()
        ),
        Err(TermError::NoTerm)
    );
}

#[test]
fn resume_adds_the_days_suspended_to_both_dates() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    clock
        .suspend(date(2026, 1, 20), "aanvulling gevraagd")
        .expect("allowed");
    assert!(clock.is_suspended());
    // Still open: five days so far (20 to 24 January), the dates not moved yet.
    assert_eq!(clock.suspended_days(date(2026, 1, 25)), 5);
    assert_eq!(clock.deadline, Some(date(2026, 3, 2)));
    // Running again on 3 February: 20 January up to 2 February is 14 days.
    assert_eq!(clock.resume(date(2026, 2, 3), &cal), Ok(14));
    assert!(!clock.is_suspended());
    assert_eq!(clock.suspended_days(date(2026, 12, 31)), 14);
    // Monday 2 March + 14 = Monday 16 March; Monday 16 February + 14 = Monday 2 March.
    assert_eq!(clock.deadline, Some(date(2026, 3, 16)));
    assert_eq!(clock.target, Some(date(2026, 3, 2)));
    assert_eq!(clock.original_deadline, Some(date(2026, 3, 2)));
    assert_eq!(
        clock.suspensions,
        vec![Suspension {
            from: date(2026, 1, 20),
            to: Some(date(2026, 2, 3)),
            reason: "aanvulling gevraagd".to_string(),
        }]
    );
}

#[test]
fn resume_counts_from_the_unshifted_end() {
    let cal = Calendar::netherlands();
    // Received Saturday 3 January 2026: 8 weeks end Saturday 28 February, which the Awt moves to
    // Monday 2 March.
    let mut clock = started(date(2026, 1, 3));
    assert_eq!(clock.deadline, Some(date(2026, 3, 2)));
    // Two days suspended move the end of the term itself to Monday 2 March; adding them to the
    // already moved deadline would wrongly give Wednesday 4 March.
    clock
        .suspend(date(2026, 1, 12), "aanvulling")
        .expect("allowed");
    assert_eq!(clock.resume(date(2026, 1, 14), &cal), Ok(2));
    assert_eq!(clock.deadline, Some(date(2026, 3, 2)));
    // The target is not a statutory term: Saturday 14 February + 2 = Monday 16 February.
    assert_eq!(clock.target, Some(date(2026, 2, 16)));
}

#[test]
fn resume_applies_the_awt_to_the_shifted_end() {
    let cal = Calendar::netherlands();
    // Wednesday 4 February 2026 + 8 weeks = Wednesday 1 April. Two days suspended move the end
    // to Goede Vrijdag 3 April; past the weekend and Tweede Paasdag it is Tuesday 7 April.
    let mut clock = started(date(2026, 2, 4));
    assert_eq!(clock.deadline, Some(date(2026, 4, 1)));
    clock
        .suspend(date(2026, 2, 10), "zienswijze")
        .expect("allowed");
    assert_eq!(clock.resume(date(2026, 2, 12), &cal), Ok(2));
    assert_eq!(clock.deadline, Some(date(2026, 4, 7)));
}

#[test]
fn two_suspensions_add_up() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    clock.suspend(date(2026, 1, 10), "eerste").expect("allowed");
    assert_eq!(clock.resume(date(2026, 1, 13), &cal), Ok(3));
    // A suspension cannot start inside the previous one.
    assert_eq!(
        clock.suspend(date(2026, 1, 12), "overlap"),
        Err(TermError::OverlapsPreviousSuspension {
            from: date(2026, 1, 12),
            previous_end: date(2026, 1, 13),
        })
    );
    clock.suspend(date(2026, 1, 20), "tweede").expect("allowed");
    assert_eq!(clock.resume(date(2026, 1, 24), &cal), Ok(4));
    // Monday 2 March + 7 = Monday 9 March.
    assert_eq!(clock.deadline, Some(date(2026, 3, 9)));
    assert_eq!(clock.suspended_days(date(2026, 2, 1)), 7);
}

#[test]
fn suspension_errors() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    assert_eq!(
        clock.resume(date(2026, 1, 10), &cal),
        Err(TermError::NotSuspended)
    );
    assert_eq!(
        clock.suspend(date(2026, 1, 4), "too early"),
        Err(TermError::BeforeStart {
            date: date(2026, 1, 4),
            start: date(2026, 1, 5),
        })
    );
    // The day after the deadline the term has run out and cannot stand still any more.
    assert_eq!(
        clock.suspend(date(2026, 3, 3), "too late"),
        Err(TermError::TermExpired {
            deadline: date(2026, 3, 2)
        })
    );
    clock
        .suspend(date(2026, 1, 20), "aanvulling")
        .expect("allowed");
    assert_eq!(
        clock.suspend(date(2026, 1, 21), "again"),
        Err(TermError::AlreadySuspended {
            since: date(2026, 1, 20)
        })
    );
    assert_eq!(
        clock.resume(date(2026, 1, 19), &cal),
        Err(TermError::ResumeBeforeSuspension {
            on: date(2026, 1, 19),
            from: date(2026, 1, 20),
        })
    );
    // The failed attempts changed nothing.
    assert_eq!(clock.suspensions.len(), 1);
    assert_eq!(clock.deadline, Some(date(2026, 3, 2)));

    let no_suspension =
        common::with_fields(serde_json::json!({ "term": { "duration": "6 weeks" } }));
    let mut clock = TermClock::start(date(2026, 1, 5), &no_suspension, &cal);
    assert_eq!(
        clock.suspend(date(2026, 1, 6), "x"),
        Err(TermError::SuspensionNotAllowed)
    );
}

#[test]
fn a_suspended_term_does_not_run_out() {
    let mut clock = started(date(2026, 1, 5));
    clock.suspend(date(2026, 2, 20), "advies").expect("allowed");
    // Past the original deadline but standing still: not passed, and a decision now is in time.
    assert!(!clock.deadline_passed(date(2026, 3, 10)));
    assert_eq!(clock.met(date(2026, 3, 10)), Some(true));
}

#[test]
fn extension_moves_deadline_and_target() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    // Monday 2 March + 42 days = Monday 13 April; Monday 16 February + 42 = Monday 30 March.
    assert_eq!(
        clock.extend(
            duration("6 weeks"),
            "advies welstand",
            date(2026, 2, 20),
            &cal
        ),
        Ok(date(2026, 4, 13))
    );
    assert_eq!(clock.deadline, Some(date(2026, 4, 13)));
    assert_eq!(clock.target, Some(date(2026, 3, 30)));
    assert_eq!(clock.original_deadline, Some(date(2026, 3, 2)));
    let extension = clock.extension.as_ref().expect("recorded");
    assert_eq!(extension.on, date(2026, 2, 20));
    assert_eq!(extension.reason, "advies welstand");
    // Only once.
    assert_eq!(
        clock.extend(duration("1 week"), "again", date(2026, 2, 21), &cal),
        Err(TermError::AlreadyExtended {
            on: date(2026, 2, 20)
        })
    );
}

#[test]
fn extension_on_the_last_day_is_still_in_time() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    assert_eq!(
        clock.extend(
            duration("42 days"),
            "on the last day",
            date(2026, 3, 2),
            &cal
        ),
        Ok(date(2026, 4, 13))
    );
}

#[test]
fn extension_errors() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    // Longer than the 6 weeks the process allows, in any unit.
    assert_eq!(
        clock.extend(duration("7 weeks"), "too long", date(2026, 2, 1), &cal),
        Err(TermError::ExtensionTooLong {
            requested: duration("7 weeks"),
            maximum: duration("6 weeks"),
        })
    );
    assert!(matches!(
        clock.extend(duration("43 days"), "too long", date(2026, 2, 1), &cal),
        Err(TermError::ExtensionTooLong { .. })
    ));
    // The day after the deadline is too late (Awb 4:14: before the term expires).
    assert_eq!(
        clock.extend(duration("2 weeks"), "too late", date(2026, 3, 3), &cal),
        Err(TermError::TermExpired {
            deadline: date(2026, 3, 2)
        })
    );
    // None of the refused attempts used up the one extension.
    assert_eq!(clock.extension, None);
    assert_eq!(clock.deadline, Some(date(2026, 3, 2)));

    let no_extension =
        common::with_fields(serde_json::json!({ "term": { "duration": "6 weeks" } }));
    let mut clock = TermClock::start(date(2026, 1, 5), &no_extension, &cal);
    assert_eq!(
        clock.extend(duration("1 week"), "x", date(2026, 1, 6), &cal),
        Err(TermError::ExtensionNotAllowed)
    );
}

#[test]
fn extension_and_suspension_together() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    clock
        .suspend(date(2026, 1, 20), "aanvulling")
        .expect("allowed");
    assert_eq!(clock.resume(date(2026, 2, 3), &cal), Ok(14));
    // Monday 2 March + 6 weeks + 14 days = Monday 27 April, Koningsdag: Tuesday 28 April.
    assert_eq!(
        clock.extend(duration("6 weeks"), "advies", date(2026, 3, 10), &cal),
        Ok(date(2026, 4, 28))
    );
}

#[test]
fn decisions_in_time_or_late() {
    let clock = started(date(2026, 1, 5));
    assert_eq!(clock.met(date(2026, 3, 2)), Some(true));
    assert_eq!(clock.met(date(2026, 3, 3)), Some(false));
    assert_eq!(clock.target_met(date(2026, 2, 16)), Some(true));
    assert_eq!(clock.target_met(date(2026, 2, 17)), Some(false));
    assert!(!clock.deadline_passed(date(2026, 3, 2)));
    assert!(clock.deadline_passed(date(2026, 3, 3)));
}

#[test]
fn dwangsom_amounts() {
    let mut clock = started(date(2026, 1, 5));
    // The term ran out after Monday 2 March; notice received Tuesday 10 March, so the penalty
    // is owed from Tuesday 24 March, two weeks later.
    clock
        .notice_of_default(date(2026, 3, 10))
        .expect("a dwangsom process");
    let owed = |y, m, d| clock.dwangsom(date(y, m, d)).expect("notice given");
    assert_eq!(
        owed(2026, 3, 23),
        Dwangsom {
            starts: date(2026, 3, 24),
            days: 0,
            amount_eur: 0,
        }
    );
    // Day 1 on 24 March: EUR 23.
    assert_eq!(owed(2026, 3, 24).amount_eur, 23);
    // Day 14 on 6 April: 14 x 23 = 322. Day 15: + 35 = 357.
    assert_eq!(owed(2026, 4, 6).days, 14);
    assert_eq!(owed(2026, 4, 6).amount_eur, 322);
    assert_eq!(owed(2026, 4, 7).amount_eur, 357);
    // Day 28 on 20 April: 322 + 14 x 35 = 812. Day 29: + 45 = 857.
    assert_eq!(owed(2026, 4, 20).amount_eur, 812);
    assert_eq!(owed(2026, 4, 21).amount_eur, 857);
    // Day 42 on 4 May: 812 + 14 x 45 = 1442, the most there is.
    assert_eq!(owed(2026, 5, 4).days, 42);
    assert_eq!(owed(2026, 5, 4).amount_eur, 1442);
    assert_eq!(owed(2026, 12, 31).days, 42);
    assert_eq!(owed(2026, 12, 31).amount_eur, 1442);
}

#[test]
fn an_early_notice_counts_from_the_day_the_term_ran_out() {
    let mut clock = started(date(2026, 1, 5));
    assert_eq!(clock.dwangsom(date(2026, 6, 1)), None);
    clock
        .notice_of_default(date(2026, 2, 20))
        .expect("recorded");
    // A later notice changes nothing; the first counts.
    clock.notice_of_default(date(2026, 4, 1)).expect("recorded");
    // The term ran out on Tuesday 3 March; two weeks later is Tuesday 17 March.
    let owed = clock.dwangsom(date(2026, 3, 17)).expect("notice given");
    assert_eq!(owed.starts, date(2026, 3, 17));
    assert_eq!(owed.days, 1);
}

#[test]
fn no_dwangsom_where_the_process_owes_none() {
    // A complaint (klacht, Awb 9:11) has a term but no dwangsom.
    let klacht = common::with_fields(serde_json::json!({ "term": { "duration": "6 weeks" } }));
    let mut clock = TermClock::start(date(2026, 1, 5), &klacht, &Calendar::netherlands());
    assert_eq!(
        clock.notice_of_default(date(2026, 3, 1)),
        Err(TermError::NoDwangsom)
    );
    assert_eq!(clock.dwangsom(date(2026, 6, 1)), None);
}

#[test]
fn warning_dates_at_a_share_of_the_term() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    // The term is 56 days: 80% is 44.8, rounded up to day 45, Thursday 19 February. The service
    // norm is 42 days: 80% is 33.6, day 34, Sunday 8 February.
    assert_eq!(
        clock.warning_dates(0.8),
        WarningDates {
            deadline: Some(date(2026, 2, 19)),
            target: Some(date(2026, 2, 8)),
        }
    );
    // 90% (10% left): 50.4, day 51, Wednesday 25 February.
    assert_eq!(clock.warning_dates(0.9).deadline, Some(date(2026, 2, 25)));
    assert_eq!(clock.warning_dates(1.0).deadline, Some(date(2026, 3, 2)));
    assert_eq!(clock.warning_dates(0.0).deadline, Some(date(2026, 1, 5)));
    // The current term counts: after 14 days of suspension it is 70 days, 80% is day 56,
    // Monday 2 March.
    clock
        .suspend(date(2026, 1, 20), "aanvulling")
        .expect("allowed");
    clock.resume(date(2026, 2, 3), &cal).expect("suspended");
    assert_eq!(clock.warning_dates(0.8).deadline, Some(date(2026, 3, 2)));
}

#[test]
fn the_clock_survives_json() {
    let cal = Calendar::netherlands();
    let mut clock = started(date(2026, 1, 5));
    clock
        .suspend(date(2026, 1, 20), "aanvulling")
        .expect("allowed");
    clock.resume(date(2026, 2, 3), &cal).expect("suspended");
    clock
        .extend(duration("2 weeks"), "advies", date(2026, 2, 10), &cal)
        .expect("allowed");
    let json = serde_json::to_string(&clock).expect("serialises");
    let back: TermClock = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, clock);
    // The old shape with only the three dates still reads.
    let old: TermClock =
        serde_json::from_str(r#"{"start":"2026-01-05","deadline":"2026-03-02","target":null}"#)
            .expect("reads");
    assert_eq!(old.deadline, Some(date(2026, 3, 2)));
}

#[test]
fn a_term_in_working_days_moves_by_the_working_days_suspended() {
    let cal = Calendar::netherlands();
    let model = common::with_fields(serde_json::json!({
        "term": { "duration": "10 working days", "counting": "working_days" },
        "service_norm": "5 working days",
        "suspension_allowed": true,
    }));
    // Monday 4 May 2026: Bevrijdingsdag (5 May), Hemelvaartsdag (14 May) and the Friday after
    // it (15 May, set equal to a holiday by the decree for 2026 to 2028) do not count. Working
    // days 6, 7, 8, 11, 12, 13, 18, 19, 20, 21 May: the tenth is Thursday 21 May; the fifth is
    // Tuesday 12 May.
    let mut clock = TermClock::start(date(2026, 5, 4), &model, &cal);
    assert_eq!(clock.deadline, Some(date(2026, 5, 21)));
    assert_eq!(clock.target, Some(date(2026, 5, 12)));
    // Standing still from Friday 8 May up to Tuesday 12 May: 4 calendar days, of which Friday 8
    // and Monday 11 are working days. The deadline moves two working days: Friday 22 May, then
    // past Tweede Pinksterdag (25 May) to Tuesday 26 May. The target too: Tuesday 12 + 2
    // working days is Wednesday 13, then past 14 and 15 May to Monday 18 May.
    clock
        .suspend(date(2026, 5, 8), "aanvulling")
        .expect("allowed");
    assert_eq!(clock.resume(date(2026, 5, 12), &cal), Ok(4));
    assert_eq!(clock.deadline, Some(date(2026, 5, 26)));
    assert_eq!(clock.target, Some(date(2026, 5, 18)));
}
