//! The legal term of a case: suspension, resumption, extension, warnings, the deadline passing,
//! and closing a case early.

mod exec_support;

use exec_support::check;
use exec_support::processes::VERGUNNING;

/// A short process whose deadline passes with a given `on_deadline`.
fn with_deadline_effect(on_deadline: &str) -> String {
    format!(
        r#"
process: woo
version: 1
title: Woo-verzoek
term:
  duration: 4 weeks
extension: 2 weeks
suspension_allowed: true
{on_deadline}
teams:
  - name: juristen
results:
  - name: openbaar_gemaakt
    archive: keep
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: juristen
      then: klaar
  - name: klaar
    end:
      result: openbaar_gemaakt
"#
    )
}

#[test]
fn suspend_and_resume_move_the_deadline() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        at 2026-01-12T09:00
        suspend zienswijze derde-belanghebbende
        at 2026-01-26T16:00
        resume
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > at 2026-01-12T09:00
        > suspend zienswijze derde-belanghebbende
          term deadline=2026-03-02 target=2026-02-16 (zienswijze derde-belanghebbende)
          cancel timer #2
          cancel timer #3
          cancel timer #4
        > at 2026-01-26T16:00
        > resume
          term deadline=2026-03-16 target=2026-03-02 (term resumed after 14 days suspended)
          schedule timer #5 target_warning at 2026-03-02T00:00
          schedule timer #6 deadline_warning at 2026-03-02T00:00
          schedule timer #7 deadline at 2026-03-17T00:00
        "#,
    );
}

#[test]
fn extension_moves_the_deadline_once() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        at 2026-02-20T09:00
        extend 6 weeks: complexe aanvraag (Awb 4:14)
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > at 2026-02-20T09:00
        > extend 6 weeks: complexe aanvraag (Awb 4:14)
          term deadline=2026-04-13 target=2026-03-30 (complexe aanvraag (Awb 4:14))
          cancel timer #2
          cancel timer #3
          cancel timer #4
          schedule timer #5 target_warning at 2026-03-30T00:00
          schedule timer #6 deadline_warning at 2026-03-25T00:00
          schedule timer #7 deadline at 2026-04-14T00:00
        "#,
    );
}

#[test]
fn warnings_come_before_the_target_and_the_deadline() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        at 2026-02-16T00:00
        fire target_warning
        at 2026-02-18T00:00
        fire deadline_warning
        at 2026-03-03T00:00
        fire deadline
        complete volledigheid ingetrokken
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > at 2026-02-16T00:00
        > fire target_warning
          warning target_warning 2026-02-16
        > at 2026-02-18T00:00
        > fire deadline_warning
          warning deadline_warning 2026-03-02
        > at 2026-03-03T00:00
        > fire deadline
          warning deadline 2026-03-02
        > complete volledigheid ingetrokken
          result ingetrokken
          status besluit_genomen (notify)
          close completed
        "#,
    );
}

#[test]
fn deadline_van_rechtswege_gives_the_result_and_the_case_goes_on() {
    check(
        &with_deadline_effect("on_deadline:\n  van_rechtswege:\n    result: openbaar_gemaakt"),
        r#"
        start {}
        at 2026-02-03T00:00
        fire deadline
        complete beoordelen
        "#,
        r#"
        > start {}
          term deadline=2026-02-02 target=- (term started)
          create task #1 beoordelen team=juristen
          schedule timer #2 deadline_warning at 2026-01-28T00:00
          schedule timer #3 deadline at 2026-02-03T00:00
        > at 2026-02-03T00:00
        > fire deadline
          result openbaar_gemaakt
          warning deadline 2026-02-02
        > complete beoordelen
          result openbaar_gemaakt
          cancel timer #2
          close completed
        "#,
    );
}

#[test]
fn deadline_with_dwangsom_records_the_first_notice_of_default() {
    check(
        &with_deadline_effect("on_deadline: dwangsom"),
        r#"
        start {}
        at 2026-02-03T00:00
        fire deadline
        default 2026-02-10
        default 2026-02-11
        "#,
        r#"
        > start {}
          term deadline=2026-02-02 target=- (term started)
          create task #1 beoordelen team=juristen
          schedule timer #2 deadline_warning at 2026-01-28T00:00
          schedule timer #3 deadline at 2026-02-03T00:00
        > at 2026-02-03T00:00
        > fire deadline
          warning deadline 2026-02-02
        > default 2026-02-10
          term deadline=2026-02-02 target=- (notice of default received on 2026-02-10)
        > default 2026-02-11
        "#,
    );
}

#[test]
fn withdraw_cancels_every_open_task_and_timer() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        complete volledigheid volledig
        at 2026-01-09T11:00
        withdraw de aanvrager ziet af van de verbouwing
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > complete volledigheid volledig
          create task #5 welstandsadvies team=welstand due=2026-01-19
          create task #6 brandadvies team=brandweer due=2026-01-19
        > at 2026-01-09T11:00
        > withdraw de aanvrager ziet af van de verbouwing
          result ingetrokken
          cancel task #5
          cancel task #6
          cancel timer #2
          cancel timer #3
          cancel timer #4
          close withdrawn (de aanvrager ziet af van de verbouwing)
        "#,
    );
}

#[test]
fn withdraw_during_a_suspending_wait_cancels_its_timeout() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        complete volledigheid onvolledig
        withdraw geen aanvulling meer
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > complete volledigheid onvolledig
          status aanvulling_gevraagd (notify)
          letter verzoek_om_aanvulling
          schedule timer #5 timeout at 2026-02-02T09:00
          term deadline=2026-03-02 target=2026-02-16 (Wachten op aanvulling (Awb 4:15))
          cancel timer #2
          cancel timer #3
          cancel timer #4
        > withdraw geen aanvulling meer
          result ingetrokken
          cancel timer #5
          close withdrawn (geen aanvulling meer)
        "#,
    );
}

#[test]
fn a_wait_reached_after_the_deadline_waits_without_suspending() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        at 2026-03-05T09:00
        complete volledigheid onvolledig
        deliver aanvulling_ontvangen
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > at 2026-03-05T09:00
        > complete volledigheid onvolledig
          status aanvulling_gevraagd (notify)
          letter verzoek_om_aanvulling
          schedule timer #5 timeout at 2026-04-02T09:00
        > deliver aanvulling_ontvangen
          cancel timer #5
          create task #6 volledigheid team=intake role=behandelaar due=2026-03-12
          status in_behandeling
        "#,
    );
}

/// A case received just after midnight Dutch time (23:30 UTC the day before) starts its term
/// on the Dutch day, and its deadline timer fires when the Dutch day after the deadline begins.
#[test]
fn the_term_starts_on_the_dutch_day_of_receipt() {
    let process = with_deadline_effect("on_deadline: dwangsom");
    let start = exec_support::time("2026-03-03T00:30");
    assert_eq!(start.to_rfc3339(), "2026-03-02T23:30:00+00:00");
    check(
        &process,
        r#"
        at 2026-03-03T00:30
        start {}
        "#,
        // Four weeks from 3 March; counted from the UTC date (2 March) it would be 30 March.
        r#"
        > at 2026-03-03T00:30
        > start {}
          term deadline=2026-03-31 target=- (term started)
          create task #1 beoordelen team=juristen
          schedule timer #2 deadline_warning at 2026-03-26T00:00
          schedule timer #3 deadline at 2026-04-01T00:00
        "#,
    );
}
