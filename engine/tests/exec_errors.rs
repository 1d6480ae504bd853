//! Commands the engine refuses, with a typed error naming what is wrong; the case stays as it was.

mod exec_support;

use exec_support::check;
use exec_support::processes::{SUBCASES, TIMERS, VERGUNNING};

#[test]
fn start_refuses_missing_wrong_and_unknown_fields() {
    check(
        VERGUNNING,
        r#"
        start {"activiteit": "bouwen"}
        start {"aanvrager": "Jan", "activiteit": "verbouwen"}
        start {"aanvrager": "Jan", "activiteit": "bouwen", "bouwsom": "veel"}
        start {"aanvrager": "Jan", "activiteit": "bouwen", "monument": "ja"}
        start {"aanvrager": "Jan", "activiteit": "bouwen", "ontvangen_op": "5 januari"}
        start {"aanvrager": "Jan", "activiteit": "bouwen", "kleur": "rood"}
        start {"aanvrager": "Jan", "activiteit": "bouwen", "motivering": "te vroeg"}
        "#,
        r#"
        > start {"activiteit": "bouwen"}
          error: field `aanvrager`: required, but missing
        > start {"aanvrager": "Jan", "activiteit": "verbouwen"}
          error: field `activiteit`: `verbouwen` is not one of: bouwen, slopen
        > start {"aanvrager": "Jan", "activiteit": "bouwen", "bouwsom": "veel"}
          error: field `bouwsom`: expected a number
        > start {"aanvrager": "Jan", "activiteit": "bouwen", "monument": "ja"}
          error: field `monument`: expected true or false
        > start {"aanvrager": "Jan", "activiteit": "bouwen", "ontvangen_op": "5 januari"}
          error: field `ontvangen_op`: `5 januari` is not a date; write it as YYYY-MM-DD, e.g. 2026-05-15
        > start {"aanvrager": "Jan", "activiteit": "bouwen", "kleur": "rood"}
          error: field `kleur`: not a field here
        > start {"aanvrager": "Jan", "activiteit": "bouwen", "motivering": "te vroeg"}
          error: field `motivering`: not a field here
        "#,
    );
}

#[test]
fn completing_a_task_twice_is_refused() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        complete volledigheid volledig
        complete #4 volledig
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
        > complete #4 volledig
          error: task #4 is not open (it was completed, cancelled or never existed)
        "#,
    );
}

#[test]
fn task_outcome_must_be_one_of_the_tasks() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        complete volledigheid misschien
        complete volledigheid
        complete volledigheid volledig
        complete welstandsadvies positief {"welstand": "positief"}
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
        > complete volledigheid misschien
          error: task `volledigheid` has no outcome `misschien`; choose one of: volledig, onvolledig, ingetrokken
        > complete volledigheid
          error: task `volledigheid` needs an outcome; choose one of: volledig, onvolledig, ingetrokken
        > complete volledigheid volledig
          create task #5 welstandsadvies team=welstand due=2026-01-19
          create task #6 brandadvies team=brandweer due=2026-01-19
        > complete welstandsadvies positief {"welstand": "positief"}
          error: task `welstandsadvies` has no outcomes, but `positief` was given
        "#,
    );
}

#[test]
fn form_data_is_checked_against_the_tasks_fields() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        complete volledigheid volledig
        complete brandadvies {}
        complete brandadvies {"brandveilig": "ja"}
        complete brandadvies {"brandveilig": true, "welstand": "positief"}
        complete brandadvies {"brandveilig": true}
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
        > complete brandadvies {}
          error: field `brandveilig`: required, but missing
        > complete brandadvies {"brandveilig": "ja"}
          error: field `brandveilig`: expected true or false
        > complete brandadvies {"brandveilig": true, "welstand": "positief"}
          error: field `welstand`: not a field here
        > complete brandadvies {"brandveilig": true}
        "#,
    );
}

#[test]
fn a_message_nobody_waits_for_is_refused() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        deliver aanvulling_ontvangen
        deliver onbekend
        complete volledigheid onvolledig
        deliver aanvulling_ontvangen {"kleur": "rood"}
        deliver aanvulling_ontvangen {"bouwsom": 1200}
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
        > deliver aanvulling_ontvangen
          error: no step of this case is waiting for message `aanvulling_ontvangen`
        > deliver onbekend
          error: no step of this case is waiting for message `onbekend`
        > complete volledigheid onvolledig
          status aanvulling_gevraagd (notify)
          letter verzoek_om_aanvulling
          schedule timer #5 timeout at 2026-02-02T09:00
          term deadline=2026-03-02 target=2026-02-16 (Wachten op aanvulling (Awb 4:15))
          cancel timer #2
          cancel timer #3
          cancel timer #4
        > deliver aanvulling_ontvangen {"kleur": "rood"}
          error: field `kleur`: not a field here
        > deliver aanvulling_ontvangen {"bouwsom": 1200}
          cancel timer #5
          term deadline=2026-03-02 target=2026-02-16 (term resumed after 0 days suspended)
          create task #6 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #7 target_warning at 2026-02-16T00:00
          schedule timer #8 deadline_warning at 2026-02-19T00:00
          schedule timer #9 deadline at 2026-03-03T00:00
        "#,
    );
}

#[test]
fn a_timer_fires_once() {
    check(
        TIMERS,
        r#"
        start {"evenement_op": "2026-06-13"}
        fire #1
        fire #1
        fire #99
        "#,
        r#"
        > start {"evenement_op": "2026-06-13"}
          schedule timer #1 step at 2026-01-19T09:00
        > fire #1
          schedule timer #2 step at 2026-06-13T00:00
        > fire #1
          error: timer #1 is not pending (it fired, was cancelled or never existed)
        > fire #99
          error: timer #99 is not pending (it fired, was cancelled or never existed)
        "#,
    );
}

#[test]
fn timer_until_needs_a_date_in_the_case_data() {
    check(
        TIMERS,
        r#"
        start {}
        fire step:bedenktijd
        fire step:bedenktijd
        "#,
        r#"
        > start {}
          schedule timer #1 step at 2026-01-19T09:00
        > fire step:bedenktijd
          error: timer step `tot_evenement` waits until field `evenement_op`, which holds no date (YYYY-MM-DD)
        > fire step:bedenktijd
          error: timer step `tot_evenement` waits until field `evenement_op`, which holds no date (YYYY-MM-DD)
        "#,
    );
}

#[test]
fn subcase_closing_must_match_a_started_deelzaak() {
    check(
        SUBCASES,
        r#"
        start {"indiener": "Piet"}
        subcase_closed archief
        subcase_closed advies_commissie
        subcase_closed advies_commissie
        "#,
        r#"
        > start {"indiener": "Piet"}
          start subcase commissieadvies for advies_commissie {"indiener":"Piet"}
        > subcase_closed archief
          error: no deelzaak started by step `archief` is open
        > subcase_closed advies_commissie
          start subcase archivering for archief {}
          create task #1 beslissen team=juristen
        > subcase_closed advies_commissie
          error: no deelzaak started by step `advies_commissie` is open
        "#,
    );
}

#[test]
fn a_closed_case_takes_no_commands() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        cancel registered in error
        complete #4 volledig
        resume
        withdraw too late
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
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
        > cancel registered in error
          cancel task #1
          cancel timer #2
          cancel timer #3
          cancel timer #4
          close cancelled (registered in error)
        > complete #4 volledig
          error: the case is closed; no command can change it any more
        > resume
          error: the case is closed; no command can change it any more
        > withdraw too late
          error: the case is closed; no command can change it any more
        > start {"aanvrager": "Jan", "activiteit": "bouwen"}
          error: the case is closed; no command can change it any more
        "#,
    );
}

#[test]
fn term_commands_are_refused_when_the_term_does_not_allow_them() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen"}
        resume
        suspend waiting for the applicant
        suspend again
        extend 8 weeks: more time
        extend 6 weeks: more time
        extend 2 weeks: more time again
        default 2026-03-10
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
        > resume
          error: the term is not suspended
        > suspend waiting for the applicant
          term deadline=2026-03-02 target=2026-02-16 (waiting for the applicant)
          cancel timer #2
          cancel timer #3
          cancel timer #4
        > suspend again
          error: the term is already suspended since 2026-01-05
        > extend 8 weeks: more time
          error: an extension of 8 weeks is longer than the process allows (6 weeks)
        > extend 6 weeks: more time
          term deadline=2026-04-13 target=2026-03-30 (more time)
        > extend 2 weeks: more time again
          error: the term was already extended on 2026-01-05
        > default 2026-03-10
          error: the process owes no dwangsom for deciding late
        "#,
    );
}

const LOOPING: &str = r#"
process: rondje
version: 1
title: Rondje
start: heen
steps:
  - name: heen
    auto:
      actions:
        - letter: heen
      then: terug
  - name: terug
    auto:
      actions: []
      then: heen
  - name: klaar
    end: {}
"#;

#[test]
fn automatic_steps_that_loop_forever_are_stopped() {
    check(
        LOOPING,
        r#"
        start
        "#,
        r#"
        > start
          error: automatic steps fired 10000 times without coming to rest; the process loops
        "#,
    );
}

#[test]
fn a_process_whose_condition_cannot_be_read_does_not_run() {
    let model = exec_support::model(&LOOPING.replace(
        "        - letter: heen\n",
        "        - set:\n            field: x\n            value: 1 +\n",
    ));
    match zaak_engine::exec::Process::new(model) {
        Ok(_) => panic!("a process with an unreadable expression was accepted"),
        Err(diags) => {
            let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(codes, ["Z0201"], "{diags:?}");
            assert!(diags[0].message.contains("`1 +`"), "{}", diags[0].message);
        }
    }
}

#[test]
fn a_case_of_another_process_is_refused_not_run() {
    use zaak_engine::case::Command;
    let calendar = zaak_engine::calendar::Calendar::netherlands();
    let now = exec_support::time("2026-01-05T09:00");
    let timers = exec_support::process(TIMERS);
    let vergunning = exec_support::process(VERGUNNING);
    let start = Command::Start {
        data: serde_json::from_str(r#"{"evenement_op": "2026-06-13"}"#).expect("JSON"),
    };
    let case = zaak_engine::exec::step(&timers, &calendar, None, start, now)
        .expect("a valid start")
        .state;
    let resume = zaak_engine::exec::step(&vergunning, &calendar, Some(&case), Command::Resume, now);
    match resume {
        Err(zaak_engine::exec::EngineError::Inconsistent(message)) => {
            assert!(message.contains("vergunning version 1"), "{message}")
        }
        other => panic!("a case of another process was not refused: {other:?}"),
    }
}
