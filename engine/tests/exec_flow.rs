//! Running cases through their steps: tasks, routing, loops, parallel branches, waits, timers
//! and deelzaken.

mod exec_support;

use exec_support::check;
use exec_support::processes::{SUBCASES, TIMERS, VERGUNNING};

const STRAIGHT: &str = r#"
process: melding
version: 1
title: Melding openbare ruimte
teams:
  - name: buitendienst
statuses:
  - name: ontvangen
    citizen_text: Wij hebben uw melding ontvangen.
    notify: true
  - name: in_behandeling
    citizen_text: Wij werken aan uw melding.
  - name: afgehandeld
    citizen_text: Uw melding is afgehandeld.
    notify: true
results:
  - name: opgelost
    archive: destroy
data:
  - name: melder
    type: text
    required: true
  - name: locatie
    type: text
start: registreren
steps:
  - name: registreren
    auto:
      actions:
        - status: ontvangen
        - letter: ontvangstbevestiging
      then: herstellen
  - name: herstellen
    label: Lantaarnpaal herstellen
    task:
      team: buitendienst
      due: 3 working days
      priority: 2
      status_on_start: in_behandeling
      then: klaar
  - name: klaar
    end:
      result: opgelost
"#;

#[test]
fn straight_process_runs_to_its_end() {
    check(
        STRAIGHT,
        r#"
        start {"melder": "Jan", "locatie": "Dorpsstraat 1"}
        at 2026-01-07T14:30
        complete herstellen
        "#,
        r#"
        > start {"melder": "Jan", "locatie": "Dorpsstraat 1"}
          status ontvangen (notify)
          letter ontvangstbevestiging
          create task #1 herstellen team=buitendienst due=2026-01-08 priority=2
          status in_behandeling
        > at 2026-01-07T14:30
        > complete herstellen
          result opgelost
          status afgehandeld (notify)
          close completed
        "#,
    );
}

#[test]
fn task_outcomes_route_and_parallel_advice_joins() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "bouwen", "bouwsom": 250000}
        complete volledigheid volledig
        complete brandadvies {"brandveilig": true}
        complete welstandsadvies {"welstand": "positief"}
        complete beoordelen weigeren {"motivering": "Past niet in het straatbeeld"}
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "bouwen", "bouwsom": 250000}
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
        > complete brandadvies {"brandveilig": true}
        > complete welstandsadvies {"welstand": "positief"}
          create task #7 beoordelen team=vergunningen role=behandelaar due=2026-01-19
        > complete beoordelen weigeren {"motivering": "Past niet in het straatbeeld"}
          status besluit_genomen (notify)
          result geweigerd
          cancel timer #2
          cancel timer #3
          cancel timer #4
          close completed
        "#,
    );
}

#[test]
fn incomplete_application_loops_back_through_completion() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "slopen"}
        at 2026-01-06T10:00
        complete volledigheid onvolledig {"ontbrekende_stukken": "bouwtekening"}
        at 2026-01-16T10:00
        deliver aanvulling_ontvangen
        complete volledigheid ingetrokken
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "slopen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > at 2026-01-06T10:00
        > complete volledigheid onvolledig {"ontbrekende_stukken": "bouwtekening"}
          status aanvulling_gevraagd (notify)
          letter verzoek_om_aanvulling
          schedule timer #5 timeout at 2026-02-03T10:00
          term deadline=2026-03-02 target=2026-02-16 (Wachten op aanvulling (Awb 4:15))
          cancel timer #2
          cancel timer #3
          cancel timer #4
        > at 2026-01-16T10:00
        > deliver aanvulling_ontvangen
          cancel timer #5
          term deadline=2026-03-11 target=2026-02-25 (term resumed after 9 days suspended)
          create task #6 volledigheid team=intake role=behandelaar due=2026-01-23
          status in_behandeling
          schedule timer #7 target_warning at 2026-02-25T00:00
          schedule timer #8 deadline_warning at 2026-02-26T00:00
          schedule timer #9 deadline at 2026-03-12T00:00
        > complete volledigheid ingetrokken
          result ingetrokken
          status besluit_genomen (notify)
          cancel timer #7
          cancel timer #8
          cancel timer #9
          close completed
        "#,
    );
}

#[test]
fn wait_timeout_wins_and_the_message_is_no_longer_awaited() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "slopen"}
        complete volledigheid onvolledig
        at 2026-02-02T09:00
        fire timeout:wacht_op_aanvulling
        deliver aanvulling_ontvangen
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "slopen"}
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
        > at 2026-02-02T09:00
        > fire timeout:wacht_op_aanvulling
          term deadline=2026-03-30 target=2026-03-15 (term resumed after 27 days suspended)
          letter besluit_buiten_behandeling
          result buiten_behandeling
          status besluit_genomen (notify)
          close completed
        > deliver aanvulling_ontvangen
          error: the case is closed; no command can change it any more
        "#,
    );
}

#[test]
fn wait_message_wins_and_the_timeout_is_cancelled() {
    check(
        VERGUNNING,
        r#"
        start {"aanvrager": "Jan", "activiteit": "slopen"}
        complete volledigheid onvolledig
        at 2026-01-12T09:00
        deliver aanvulling_ontvangen
        fire #5
        "#,
        r#"
        > start {"aanvrager": "Jan", "activiteit": "slopen"}
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
        > at 2026-01-12T09:00
        > deliver aanvulling_ontvangen
          cancel timer #5
          term deadline=2026-03-09 target=2026-02-22 (term resumed after 6 days suspended)
          create task #6 volledigheid team=intake role=behandelaar due=2026-01-19
          status in_behandeling
          schedule timer #7 target_warning at 2026-02-22T00:00
          schedule timer #8 deadline_warning at 2026-02-25T00:00
          schedule timer #9 deadline at 2026-03-10T00:00
        > fire #5
          error: timer #5 is not pending (it fired, was cancelled or never existed)
        "#,
    );
}

#[test]
fn timers_wait_a_duration_and_until_a_date() {
    check(
        TIMERS,
        r#"
        start {"evenement_op": "2026-06-13"}
        at 2026-01-19T09:00
        fire step:bedenktijd
        at 2026-06-13T00:00
        fire step:tot_evenement
        complete evalueren
        "#,
        r#"
        > start {"evenement_op": "2026-06-13"}
          schedule timer #1 step at 2026-01-19T09:00
        > at 2026-01-19T09:00
        > fire step:bedenktijd
          schedule timer #2 step at 2026-06-13T00:00
        > at 2026-06-13T00:00
        > fire step:tot_evenement
          create task #3 evalueren team=vergunningen
        > complete evalueren
          close completed
        "#,
    );
}

#[test]
fn subcases_with_and_without_waiting() {
    check(
        SUBCASES,
        r#"
        start {"indiener": "Piet", "kenmerk": "B-12"}
        subcase_closed advies_commissie ongegrond
        subcase_closed archief
        complete beslissen
        "#,
        r#"
        > start {"indiener": "Piet", "kenmerk": "B-12"}
          start subcase commissieadvies for advies_commissie {"indiener":"Piet","kenmerk":"B-12"}
        > subcase_closed advies_commissie ongegrond
          start subcase archivering for archief {"kenmerk":"B-12"}
          create task #1 beslissen team=juristen
        > subcase_closed archief
        > complete beslissen
          close completed
        "#,
    );
}

#[test]
fn a_process_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(&exec_support::process(STRAIGHT));
}

#[test]
fn a_join_counts_every_arc_even_two_from_one_split() {
    check(
        r#"
process: dubbel
version: 1
title: Dubbel
teams:
  - name: team
start: splitsen
steps:
  - name: splitsen
    parallel:
      branches: [samen, samen, controle]
  - name: controle
    task:
      team: team
      then: samen
  - name: samen
    join:
      then: klaar
  - name: klaar
    end: {}
"#,
        r#"
        start
        complete controle
        "#,
        r#"
        > start
          create task #1 controle team=team
        > complete controle
          close completed
        "#,
    );
}
