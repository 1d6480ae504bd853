//! Cases, queues and timers, on SQLite and (when configured) PostgreSQL.

mod common;

use chrono::Duration;
use common::{claim_as, data, join, teams, TestDb, MELDING};
use serde_json::json;
use std::collections::HashSet;
use zaak_runtime::analytics::figures::Filter;
use zaak_runtime::{
    CaseFilter, Command, Error, NotEligible, Page, Redeploy, Runtime, Syntax, TaskState, TaskView,
};

on_both_backends!(
    a_case_runs_to_its_end,
    an_idempotency_key_returns_the_same_case,
    a_task_cannot_be_taken_twice,
    concurrent_claims_give_one_winner,
    the_worklist_puts_the_earliest_date_first,
    tokens_per_step_count_the_open_cases,
    cases_stay_on_their_version,
    a_timeout_fires_exactly_once,
    concurrent_starts_are_each_committed_once,
    a_process_with_errors_is_not_deployed,
    a_suspension_moves_the_deadline_of_open_tasks,
    a_parent_waits_for_its_subcase,
    withdrawing_a_case_cancels_its_tasks_and_timers,
    commands_sent_together_apply_in_order,
    a_deadline_warning_lands_in_the_history,
    concurrent_starts_with_one_key_make_one_case,
    references_count_per_dutch_year,
);

async fn only_task(rt: &Runtime, team: &str) -> TaskView {
    let list = rt.worklist(team, Page::default()).await.unwrap();
    assert_eq!(list.len(), 1, "one task in {team}'s queue: {list:?}");
    list.into_iter().next().unwrap()
}

async fn a_case_runs_to_its_end(db: &TestDb) {
    let rt = db.open().await;
    let deployed = rt
        .deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    assert_eq!(
        (deployed.key.as_str(), deployed.version, deployed.created),
        ("melding", 1, true)
    );

    let case = rt
        .start_case(
            "melding",
            data(&[("locatie", json!("Markt 1"))]),
            "balie",
            None,
        )
        .await
        .unwrap();
    assert_eq!(case.reference, "ZAAK-2026-000001");
    assert_eq!(case.public_token.len(), 64);
    let view = rt.case(case.id).await.unwrap();
    assert!(view.open);
    assert_eq!(view.status.as_deref(), Some("ontvangen"));
    assert!(view.deadline.is_some());
    assert_eq!(
        rt.case_by_public_token(&case.public_token)
            .await
            .unwrap()
            .map(|c| c.id),
        Some(case.id)
    );

    let intake = only_task(&rt, "intake").await;
    assert_eq!(intake.step, "beoordelen");
    claim_as(&rt, intake.id, "anna", &teams(&["intake"]))
        .await
        .unwrap();
    assert!(rt
        .worklist("intake", Page::default())
        .await
        .unwrap()
        .is_empty());
    rt.complete(intake.id, "anna", Some("terecht"), data(&[]))
        .await
        .unwrap();
    assert_eq!(rt.task(intake.id).await.unwrap().state, TaskState::Done);
    assert!(rt
        .my_tasks("anna", Page::default())
        .await
        .unwrap()
        .is_empty());

    let field = only_task(&rt, "buitendienst").await;
    claim_as(&rt, field.id, "bert", &teams(&["buitendienst"]))
        .await
        .unwrap();
    rt.complete(field.id, "bert", None, data(&[]))
        .await
        .unwrap();
    assert_eq!(
        rt.case_tokens(case.id).await.unwrap(),
        vec![("wachten".to_string(), 1)]
    );

    let applied = rt
        .command(
            case.id,
            Command::DeliverMessage {
                name: "bevestiging".into(),
                data: data(&[]),
            },
            "portaal",
        )
        .await
        .unwrap();
    assert!(!applied.open);
    let view = rt.case(case.id).await.unwrap();
    assert!(!view.open);
    assert_eq!(view.result.as_deref(), Some("opgelost"));
    assert_eq!(view.status.as_deref(), Some("afgehandeld"));
    assert!(view.closed_at.is_some());
    assert!(rt.case_tokens(case.id).await.unwrap().is_empty());
    // The wait's timeout was cancelled with the message: nothing left to fire.
    db.clock.advance(Duration::weeks(3));
    assert_eq!(rt.fire_due_timers(100).await.unwrap(), 0);

    let events = rt.events(case.id).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as i64).collect::<Vec<_>>());
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"start"));
    assert_eq!(kinds.last(), Some(&"close_case"));
    assert_eq!(kinds.iter().filter(|k| **k == "complete_task").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "task_claimed").count(), 2);

    let histories = rt.histories(&Filter::default()).await.unwrap();
    assert_eq!(histories.len(), 1);
    let h = &histories[0];
    assert_eq!(h.reference, case.reference);
    assert_eq!(h.ended, view.closed_at);
    let steps: Vec<(&str, Option<&str>, bool)> = h
        .tasks
        .iter()
        .map(|t| (&*t.step, t.worker.as_deref(), t.completed.is_some()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("beoordelen", Some("anna"), true),
            ("uitvoeren", Some("bert"), true)
        ]
    );
    assert_eq!(h.statuses.last().map(|s| &*s.0), Some("afgehandeld"));
}

async fn an_idempotency_key_returns_the_same_case(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let first = rt
        .start_case("melding", data(&[]), "portaal", Some("form-42"))
        .await
        .unwrap();
    let again = rt
        .start_case("melding", data(&[]), "portaal", Some("form-42"))
        .await
        .unwrap();
    assert!(first.created);
    assert!(!again.created);
    assert_eq!((first.id, &first.reference), (again.id, &again.reference));
    let other = rt
        .start_case("melding", data(&[]), "portaal", Some("form-43"))
        .await
        .unwrap();
    assert_ne!(other.id, first.id);
    let all = rt
        .cases(&CaseFilter::default(), Page::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
}

async fn a_task_cannot_be_taken_twice(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let task = only_task(&rt, "intake").await;

    let outsider = claim_as(&rt, task.id, "otto", &teams(&["buitendienst"])).await;
    assert!(
        matches!(
            outsider,
            Err(Error::NotEligible(NotEligible::NotAMember { .. }))
        ),
        "{outsider:?}"
    );
    let unclaimed = rt
        .complete(task.id, "anna", Some("terecht"), data(&[]))
        .await;
    assert!(
        matches!(unclaimed, Err(Error::Conflict(_))),
        "{unclaimed:?}"
    );

    claim_as(&rt, task.id, "anna", &teams(&["intake"]))
        .await
        .unwrap();
    let second = claim_as(&rt, task.id, "bram", &teams(&["intake"])).await;
    assert!(matches!(second, Err(Error::Conflict(_))), "{second:?}");
    let by_other = rt
        .complete(task.id, "bram", Some("terecht"), data(&[]))
        .await;
    assert!(matches!(by_other, Err(Error::Conflict(_))), "{by_other:?}");
    let bad_outcome = rt
        .complete(task.id, "anna", Some("misschien"), data(&[]))
        .await;
    assert!(
        matches!(bad_outcome, Err(Error::Rejected(_))),
        "{bad_outcome:?}"
    );
    // The refused completion changed nothing: the task is still anna's.
    assert_eq!(
        rt.task(task.id).await.unwrap().assignee.as_deref(),
        Some("anna")
    );

    rt.complete(task.id, "anna", Some("onterecht"), data(&[]))
        .await
        .unwrap();
    let twice = rt
        .complete(task.id, "anna", Some("onterecht"), data(&[]))
        .await;
    assert!(matches!(twice, Err(Error::Conflict(_))), "{twice:?}");

    let events = rt.events(case.id).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.kind == "complete_task").count(),
        1
    );
    let view = rt.case(case.id).await.unwrap();
    assert_eq!(view.result.as_deref(), Some("afgewezen"));
    assert_eq!(view.row_version, 2);

    let no_reason = rt.assign(task.id, "bram", "  ", "coordinator").await;
    assert!(
        matches!(no_reason, Err(Error::BadRequest(_))),
        "{no_reason:?}"
    );
}

async fn concurrent_claims_give_one_winner(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    rt.start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let task = only_task(&rt, "intake").await;
    for i in 0..8 {
        join(&rt, &format!("worker{i}"), &teams(&["intake"]), &[]).await;
    }
    join(&rt, "zoe", &teams(&["intake"]), &[]).await;
    let claims: Vec<_> = (0..8)
        .map(|i| {
            let rt = rt.clone();
            tokio::spawn(async move { rt.claim(task.id, &format!("worker{i}")).await })
        })
        .collect();
    let mut winners = Vec::new();
    for c in claims {
        match c.await.unwrap() {
            Ok(t) => winners.push(t.assignee),
            Err(Error::Conflict(_)) => {}
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert_eq!(winners.len(), 1);
    assert_eq!(rt.task(task.id).await.unwrap().assignee, winners[0]);

    // Assigning with a reason moves it, and the reason is in the history.
    let moved = rt
        .assign(task.id, "zoe", "vakantie", "coordinator")
        .await
        .unwrap();
    assert_eq!(moved.assignee.as_deref(), Some("zoe"));
    let events = rt.events(moved.case_id).await.unwrap();
    let assigned: Vec<_> = events
        .iter()
        .filter(|e| e.kind == "task_assigned")
        .collect();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].reason.as_deref(), Some("vakantie"));
    assert_eq!(assigned[0].actor, "coordinator");
    assert_eq!(rt.my_tasks("zoe", Page::default()).await.unwrap().len(), 1);
    rt.release(task.id, "zoe").await.unwrap();
    assert_eq!(only_task(&rt, "intake").await.id, task.id);
}

/// Same team, other priorities and terms, to see the queue order.
const URGENT: &str = r#"
process: spoed
version: 1
title: Spoedmelding
teams:
  - name: intake
statuses:
  - name: afgehandeld
    citizen_text: Afgehandeld
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: intake
      priority: 5
      due: 5 days
      then: klaar
  - name: klaar
    end: {}
"#;

const NO_DUE: &str = r#"
process: kort
version: 1
title: Korte termijn
term:
  duration: 1 week
suspension_allowed: true
teams:
  - name: intake
statuses:
  - name: afgehandeld
    citizen_text: Afgehandeld
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: intake
      then: klaar
  - name: klaar
    end: {}
"#;

async fn the_worklist_puts_the_earliest_date_first(db: &TestDb) {
    let rt = db.open().await;
    for p in [MELDING, URGENT, NO_DUE] {
        rt.deploy(p, Syntax::Yaml, Redeploy::UnlessLatest)
            .await
            .unwrap();
    }
    let t0 = common::start_of_test();
    db.clock.set(t0 + Duration::days(10));
    let late_low = rt
        .start_case("melding", data(&[]), "a", None)
        .await
        .unwrap(); // due day 15
    let late_high = rt.start_case("spoed", data(&[]), "a", None).await.unwrap(); // due day 15, priority 5
    db.clock.set(t0);
    let early = rt
        .start_case("melding", data(&[]), "a", None)
        .await
        .unwrap(); // due day 5
    db.clock.set(t0 + Duration::days(1));
    let deadline = rt.start_case("kort", data(&[]), "a", None).await.unwrap(); // deadline day 8
    let order: Vec<_> = rt
        .worklist("intake", Page::default())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.case_id)
        .collect();
    assert_eq!(
        order,
        vec![early.id, deadline.id, late_high.id, late_low.id]
    );
    let paged = rt
        .worklist(
            "intake",
            Page {
                limit: 2,
                offset: 1,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        paged.iter().map(|t| t.case_id).collect::<Vec<_>>(),
        vec![deadline.id, late_high.id]
    );
}

async fn tokens_per_step_count_the_open_cases(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    for _ in 0..3 {
        rt.start_case("melding", data(&[]), "balie", None)
            .await
            .unwrap();
    }
    let first = rt.worklist("intake", Page::default()).await.unwrap()[0].clone();
    claim_as(&rt, first.id, "anna", &teams(&["intake"]))
        .await
        .unwrap();
    rt.complete(first.id, "anna", Some("terecht"), data(&[]))
        .await
        .unwrap();
    let second = rt.worklist("intake", Page::default()).await.unwrap()[0].clone();
    claim_as(&rt, second.id, "anna", &teams(&["intake"]))
        .await
        .unwrap();
    rt.complete(second.id, "anna", Some("onterecht"), data(&[]))
        .await
        .unwrap();

    let counts: Vec<(String, Option<String>, i64)> = rt
        .step_counts("melding", 1)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.place, c.step, c.cases))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("beoordelen".to_string(), Some("beoordelen".to_string()), 1),
            ("uitvoeren".to_string(), Some("uitvoeren".to_string()), 1),
        ]
    );
    let open = rt
        .cases(
            &CaseFilter {
                open: Some(true),
                ..CaseFilter::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
}

async fn cases_stay_on_their_version(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let old = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let unchanged = rt
        .deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    assert_eq!((unchanged.version, unchanged.created), (1, false));
    // Version 2 puts reports first in the queue and waits one week for the confirmation.
    let v2 = MELDING
        .replace("priority: 1", "priority: 9")
        .replace("after: 2 weeks", "after: 1 week");
    let deployed = rt
        .deploy(&v2, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    assert_eq!((deployed.version, deployed.created), (2, true));
    let new = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    assert_eq!(rt.case(old.id).await.unwrap().process_version, 1);
    assert_eq!(rt.case(new.id).await.unwrap().process_version, 2);
    assert_eq!(rt.versions("melding").await.unwrap().len(), 2);
    let latest = rt.processes().await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!((latest[0].key.as_str(), latest[0].version), ("melding", 2));

    let intake = rt.worklist("intake", Page::default()).await.unwrap();
    let order: Vec<_> = intake.iter().map(|t| (t.case_id, t.priority)).collect();
    assert_eq!(order, vec![(new.id, 9), (old.id, 1)]);
    for (team, outcome) in [("intake", Some("terecht")), ("buitendienst", None)] {
        for task in rt.worklist(team, Page::default()).await.unwrap() {
            claim_as(&rt, task.id, "w", &teams(&[team])).await.unwrap();
            rt.complete(task.id, "w", outcome, data(&[])).await.unwrap();
        }
    }
    // Each case waits as long as its own version says.
    db.clock.advance(Duration::days(8));
    assert_eq!(rt.fire_due_timers(100).await.unwrap(), 1);
    assert!(!rt.case(new.id).await.unwrap().open);
    assert!(rt.case(old.id).await.unwrap().open);
    db.clock.advance(Duration::days(7));
    assert_eq!(rt.fire_due_timers(100).await.unwrap(), 1);
    assert!(!rt.case(old.id).await.unwrap().open);
}

async fn a_timeout_fires_exactly_once(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    for (team, outcome) in [("intake", Some("terecht")), ("buitendienst", None)] {
        let task = only_task(&rt, team).await;
        claim_as(&rt, task.id, "w", &teams(&[team])).await.unwrap();
        rt.complete(task.id, "w", outcome, data(&[])).await.unwrap();
    }
    db.clock.advance(Duration::days(13));
    assert_eq!(rt.fire_due_timers(100).await.unwrap(), 0);
    assert!(rt.case(case.id).await.unwrap().open);

    db.clock.advance(Duration::weeks(3));
    let (a, b) = tokio::join!(rt.fire_due_timers(100), rt.fire_due_timers(100));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(rt.fire_due_timers(100).await.unwrap(), 0);
    let view = rt.case(case.id).await.unwrap();
    assert!(!view.open);
    assert_eq!(view.result.as_deref(), Some("opgelost"));
    let events = rt.events(case.id).await.unwrap();
    let fired: Vec<_> = events.iter().filter(|e| e.kind == "timer_fired").collect();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].actor, "system");
}

async fn concurrent_starts_are_each_committed_once(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let starts: Vec<_> = (0..200)
        .map(|i| {
            let rt = rt.clone();
            tokio::spawn(async move {
                rt.start_case(
                    "melding",
                    data(&[("locatie", json!(format!("huis {i}")))]),
                    "portaal",
                    None,
                )
                .await
            })
        })
        .collect();
    let before = rt.commit_stats();
    let mut refs = HashSet::new();
    let mut ids = HashSet::new();
    for s in starts {
        let r = s.await.unwrap().unwrap();
        assert!(ids.insert(r.id));
        assert!(refs.insert(r.reference));
    }
    let all = rt
        .cases(
            &CaseFilter::default(),
            Page {
                limit: 1000,
                offset: 0,
            },
        )
        .await
        .unwrap();
    assert_eq!(all.len(), 200);
    let stored: HashSet<String> = all.into_iter().map(|c| c.reference).collect();
    assert_eq!(stored, refs);
    let tasks = rt
        .worklist(
            "intake",
            Page {
                limit: 1000,
                offset: 0,
            },
        )
        .await
        .unwrap();
    assert_eq!(tasks.len(), 200);
    // The starts were grouped: fewer transactions than starts.
    let stats = rt.commit_stats();
    assert_eq!(stats.commands - before.commands, 200);
    assert!(
        stats.transactions - before.transactions < 200,
        "{before:?} -> {stats:?}"
    );
}

#[tokio::test]
async fn an_in_memory_database_is_refused() {
    let opened = Runtime::open("sqlite::memory:", Default::default()).await;
    assert!(matches!(opened, Err(Error::UnsupportedUrl(_))));
    let opened = Runtime::open("mysql://localhost/zaak", Default::default()).await;
    assert!(matches!(opened, Err(Error::UnsupportedUrl(_))));
}

async fn a_process_with_errors_is_not_deployed(db: &TestDb) {
    let rt = db.open().await;
    let bad = rt
        .deploy("process: [", Syntax::Yaml, Redeploy::UnlessLatest)
        .await;
    match bad {
        Err(Error::Invalid(diags)) => assert!(!diags.is_empty()),
        other => panic!("expected diagnostics, got {other:?}"),
    }
    assert!(rt.versions("melding").await.unwrap().is_empty());
    let unknown = rt.start_case("melding", data(&[]), "balie", None).await;
    assert!(
        matches!(unknown, Err(Error::UnknownProcess(_))),
        "{unknown:?}"
    );
}

async fn a_suspension_moves_the_deadline_of_open_tasks(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(NO_DUE, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("kort", data(&[]), "balie", None)
        .await
        .unwrap();
    let before = rt.case(case.id).await.unwrap().deadline.unwrap();
    let task = only_task(&rt, "intake").await;
    assert_eq!(task.case_deadline, Some(before));

    rt.command(
        case.id,
        Command::Suspend {
            reason: "aanvulling gevraagd".into(),
        },
        "anna",
    )
    .await
    .unwrap();
    // A whole week, so that the moved deadline is a working day again and the Awt leaves it.
    db.clock.advance(Duration::days(7));
    rt.command(case.id, Command::Resume, "anna").await.unwrap();

    let after = rt.case(case.id).await.unwrap().deadline.unwrap();
    assert_eq!(after, before + Duration::days(7));
    assert_eq!(rt.task(task.id).await.unwrap().case_deadline, Some(after));
    let events = rt.events(case.id).await.unwrap();
    let suspend = events.iter().find(|e| e.kind == "suspend").unwrap();
    assert_eq!(suspend.reason.as_deref(), Some("aanvulling gevraagd"));
    assert_eq!(suspend.actor, "anna");
    // The case cannot be resumed twice.
    let again = rt.command(case.id, Command::Resume, "anna").await;
    assert!(matches!(again, Err(Error::Rejected(_))), "{again:?}");
}

const PARENT: &str = r#"
process: hoofd
version: 1
title: Hoofdzaak
teams:
  - name: intake
statuses:
  - name: afgehandeld
    citizen_text: Afgehandeld
data:
  - name: adres
    type: text
start: advies
steps:
  - name: advies
    subcase:
      process: advies
      pass: [adres]
      wait: true
      then: besluiten
  - name: besluiten
    task:
      team: intake
      then: klaar
  - name: klaar
    end: {}
"#;

const ADVICE: &str = r#"
process: advies
version: 1
title: Advies
teams:
  - name: welstand
statuses:
  - name: afgehandeld
    citizen_text: Afgehandeld
data:
  - name: adres
    type: text
results:
  - name: positief
    archive: destroy
start: adviseren
steps:
  - name: adviseren
    task:
      team: welstand
      then: klaar
  - name: klaar
    end:
      result: positief
"#;

async fn a_parent_waits_for_its_subcase(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(ADVICE, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    rt.deploy(PARENT, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let parent = rt
        .start_case("hoofd", data(&[("adres", json!("Markt 1"))]), "balie", None)
        .await
        .unwrap();
    let children = rt
        .cases(
            &CaseFilter {
                parent: Some(parent.id),
                ..CaseFilter::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(children.len(), 1);
    let child = &children[0];
    assert_eq!(child.process_key, "advies");
    assert_eq!(child.parent_step.as_deref(), Some("advies"));
    assert_eq!(child.state.data.get("adres"), Some(&json!("Markt 1")));
    assert!(rt
        .worklist("intake", Page::default())
        .await
        .unwrap()
        .is_empty());

    let advice = only_task(&rt, "welstand").await;
    assert_eq!(advice.case_id, child.id);
    claim_as(&rt, advice.id, "wim", &teams(&["welstand"]))
        .await
        .unwrap();
    rt.complete(advice.id, "wim", None, data(&[]))
        .await
        .unwrap();
    // The deelzaak closed, and in the same transaction its parent moved on.
    assert!(!rt.case(child.id).await.unwrap().open);
    let decide = only_task(&rt, "intake").await;
    assert_eq!(decide.case_id, parent.id);
    let events = rt.events(parent.id).await.unwrap();
    let closed = events.iter().find(|e| e.kind == "subcase_closed").unwrap();
    assert_eq!(closed.data["result"], json!("positief"));
}

async fn withdrawing_a_case_cancels_its_tasks_and_timers(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let task = only_task(&rt, "intake").await;
    claim_as(&rt, task.id, "anna", &teams(&["intake"]))
        .await
        .unwrap();
    rt.command(
        case.id,
        Command::Withdraw {
            reason: "opgelost door melder".into(),
        },
        "portaal",
    )
    .await
    .unwrap();
    let view = rt.case(case.id).await.unwrap();
    assert!(!view.open);
    assert_eq!(rt.task(task.id).await.unwrap().state, TaskState::Cancelled);
    assert!(rt
        .my_tasks("anna", Page::default())
        .await
        .unwrap()
        .is_empty());
    assert!(rt.case_tokens(case.id).await.unwrap().is_empty());
    let late = rt
        .complete(task.id, "anna", Some("terecht"), data(&[]))
        .await;
    assert!(matches!(late, Err(Error::Conflict(_))), "{late:?}");
    let again = rt
        .command(
            case.id,
            Command::Cancel {
                reason: "dubbel".into(),
            },
            "anna",
        )
        .await;
    assert!(matches!(again, Err(Error::Rejected(_))), "{again:?}");
    let withdraw = rt
        .events(case.id)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "withdraw")
        .unwrap();
    assert_eq!(withdraw.reason.as_deref(), Some("opgelost door melder"));
}

async fn commands_sent_together_apply_in_order(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let task = only_task(&rt, "intake").await;
    join(&rt, "anna", &teams(&["intake"]), &[]).await;
    // Sent one after the other without waiting: usually one batch, where the completion must
    // see the claim before it.
    let (claimed, completed) = tokio::join!(
        rt.claim(task.id, "anna"),
        rt.complete(task.id, "anna", Some("terecht"), data(&[])),
    );
    claimed.unwrap();
    let completed = completed.unwrap();
    assert_eq!(completed.row_version, 2);
    assert_eq!(only_task(&rt, "buitendienst").await.case_id, case.id);
}

async fn a_deadline_warning_lands_in_the_history(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let deadline = rt.case(case.id).await.unwrap().deadline.unwrap();
    // Eight weeks of term; the warning comes when a fifth of it is left.
    db.clock.advance(Duration::weeks(7));
    assert!(rt.fire_due_timers(100).await.unwrap() >= 1);
    let events = rt.events(case.id).await.unwrap();
    let warning = events
        .iter()
        .find(|e| e.kind == "deadline_warning")
        .expect("a deadline warning in the history");
    assert_eq!(warning.actor, "system");
    assert_eq!(warning.data["date"], json!(deadline.to_string()));
    assert!(rt.case(case.id).await.unwrap().open);
    assert_eq!(rt.fire_due_timers(100).await.unwrap(), 0);
}

async fn concurrent_starts_with_one_key_make_one_case(db: &TestDb) {
    let a = db.open().await;
    let b = db.open().await;
    a.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    // Two runtimes, several committers each on PostgreSQL: the same key reaches the database
    // from transactions that run at once.
    let starts: Vec<_> = (0..12)
        .map(|i| {
            let rt = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move {
                rt.start_case("melding", data(&[]), "portaal", Some("form-7"))
                    .await
            })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut created = 0;
    for s in starts {
        let r = s.await.unwrap().unwrap();
        ids.insert(r.id);
        created += usize::from(r.created);
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(created, 1);
    let all = a
        .cases(&CaseFilter::default(), Page::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

async fn references_count_per_dutch_year(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let mut references = Vec::new();
    for at in [
        "2026-03-02T09:00:00Z",
        "2026-12-31T22:59:00Z",
        // Half past midnight in Amsterdam: already 2027 there.
        "2026-12-31T23:30:00Z",
        "2027-01-01T10:00:00Z",
    ] {
        db.clock.set(at.parse().unwrap());
        let case = rt
            .start_case("melding", data(&[]), "balie", None)
            .await
            .unwrap();
        references.push(case.reference);
    }
    assert_eq!(
        references,
        vec![
            "ZAAK-2026-000001",
            "ZAAK-2026-000002",
            "ZAAK-2027-000001",
            "ZAAK-2027-000002"
        ]
    );
}
