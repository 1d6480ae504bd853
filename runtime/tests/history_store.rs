//! Case histories read from the store, and historical cases imported into it: on SQLite and
//! (when configured) PostgreSQL.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{claim_as, data, teams, TestDb};
use zaak_runtime::analytics::{export, import, report, CaseHistory, Filter, TaskSpan};
use zaak_runtime::history::{SkipReason, HISTORICAL_VERSION};
use zaak_runtime::{Command, Page, Redeploy, Runtime, Syntax};

on_both_backends!(
    a_case_run_through_the_runtime_gives_exact_figures,
    filters_select_in_the_store,
    export_then_import_keeps_the_durations,
    importing_twice_stores_each_case_once,
    an_import_never_takes_a_reference_another_case_holds,
    a_summary_goes_when_its_case_changes,
    a_large_import_keeps_every_case_and_the_order_of_its_skips,
);

const DAY: f64 = 86_400.0;

/// An application: intake judges it and the case ends with a decision.
const AANVRAAG: &str = r#"
process: aanvraag
version: 1
title: Aanvraag
term:
  duration: 8 weeks
service_norm: 4 weeks
suspension_allowed: true
teams:
  - name: intake
statuses:
  - name: ontvangen
    citizen_text: Ontvangen
  - name: afgehandeld
    citizen_text: Afgehandeld
results:
  - name: verleend
    archive: destroy
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: intake
      status_on_start: ontvangen
      then: klaar
  - name: klaar
    end:
      result: verleend
"#;

fn t0() -> DateTime<Utc> {
    common::start_of_test()
}

/// Runs one case: started Monday 2 March 09:00, suspended the next day for a week, claimed on
/// day 10 and completed on day 13 by anna of intake.
async fn run_one_case(db: &TestDb, rt: &Runtime) -> String {
    rt.deploy(AANVRAAG, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    let case = rt
        .start_case("aanvraag", data(&[]), "balie", None)
        .await
        .unwrap();
    db.clock.advance(Duration::days(1));
    rt.command(
        case.id,
        Command::Suspend {
            reason: "aanvulling gevraagd".into(),
        },
        "anna",
    )
    .await
    .unwrap();
    db.clock.advance(Duration::days(7));
    rt.command(case.id, Command::Resume, "anna").await.unwrap();
    db.clock.advance(Duration::days(2));
    let task = rt.worklist("intake", Page::default()).await.unwrap()[0].clone();
    claim_as(rt, task.id, "anna", &teams(&["intake"]))
        .await
        .unwrap();
    db.clock.advance(Duration::days(3));
    rt.complete(task.id, "anna", None, data(&[])).await.unwrap();
    case.reference
}

async fn a_case_run_through_the_runtime_gives_exact_figures(db: &TestDb) {
    let rt = db.open().await;
    let reference = run_one_case(db, &rt).await;
    let histories = rt.histories(&Filter::default()).await.unwrap();
    assert_eq!(histories.len(), 1);
    // The second read comes from the summary the first one kept of the closed case.
    assert_eq!(rt.histories(&Filter::default()).await.unwrap(), histories);
    let h = &histories[0];
    assert_eq!(h.reference, reference);
    assert_eq!((&*h.process, h.version), ("aanvraag", 1));
    assert!(!h.historical);
    assert_eq!(h.started, t0());
    assert_eq!(h.ended, Some(t0() + Duration::days(13)));
    assert_eq!(h.result.as_deref(), Some("verleend"));
    // The end status is reached when the case closes.
    assert_eq!(
        h.statuses,
        vec![
            ("ontvangen".into(), t0()),
            ("afgehandeld".into(), t0() + Duration::days(13))
        ]
    );
    // The term stood still on the whole (Dutch) days from the day of the suspension to the day
    // it was resumed: 3 to 10 March.
    let midnight =
        |d: u32| zaak_engine::calendar::start_of_day(NaiveDate::from_ymd_opt(2026, 3, d).unwrap());
    assert_eq!(h.suspensions, vec![(midnight(3), Some(midnight(10)))]);
    assert_eq!(
        h.tasks,
        vec![TaskSpan {
            step: "beoordelen".into(),
            team: Some("intake".into()),
            worker: Some("anna".into()),
            created: t0(),
            claimed: Some(t0() + Duration::days(10)),
            completed: Some(t0() + Duration::days(13)),
        }]
    );
    // Eight weeks and four weeks from 2 March, each moved by the seven suspended days.
    assert_eq!(h.deadline, NaiveDate::from_ymd_opt(2026, 5, 4));
    assert_eq!(h.target, NaiveDate::from_ymd_opt(2026, 4, 6));

    let r = report(
        &histories,
        &Filter::default(),
        t0() + Duration::days(20),
        0.8,
    );
    assert_eq!((r.cases, r.closed, r.open.open), (1, 1, 0));
    let lead = r.lead_time.unwrap();
    assert_eq!((lead.count, lead.mean), (1, 13.0 * DAY));
    assert_eq!(r.lead_time_net.unwrap().mean, 6.0 * DAY);
    let legal = r.within_legal_term.unwrap();
    assert_eq!((legal.met, legal.total), (1, 1));
    let norm = r.within_service_norm.unwrap();
    assert_eq!((norm.met, norm.total), (1, 1));
    assert_eq!(r.statuses[0].status, "ontvangen");
    assert_eq!(r.statuses[0].time.mean, 13.0 * DAY);
    let step = &r.steps[0];
    assert_eq!(
        (step.step.as_str(), step.tasks, step.open),
        ("beoordelen", 1, 0)
    );
    assert_eq!(step.waiting.as_ref().unwrap().p50, 10.0 * DAY);
    assert_eq!(step.working.as_ref().unwrap().p50, 3.0 * DAY);
    assert_eq!(step.workers[0].name, "anna");
    assert_eq!(step.teams[0].name, "intake");
    assert_eq!(r.bottlenecks[0].total_waiting, 10.0 * DAY);
}

/// Runs `sql` on the test database outside the runtime, and gives the first column of the
/// first row as a number.
async fn sql_number(db: &TestDb, sql: &str) -> i64 {
    use sqlx::Connection;
    if db.url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
        n
    } else {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
        n
    }
}

/// A closed case's summary is kept by the first report, and goes in the same transaction as
/// any later write of the case, so that the next report reads the case as it now is.
async fn a_summary_goes_when_its_case_changes(db: &TestDb) {
    let rt = db.open().await;
    run_one_case(db, &rt).await;
    let count = "SELECT count(*) FROM case_summaries";
    assert_eq!(sql_number(db, count).await, 0);
    let before = rt.histories(&Filter::default()).await.unwrap();
    assert_eq!(sql_number(db, count).await, 1);
    assert_eq!(before[0].result.as_deref(), Some("verleend"));
    // Nothing in the engine changes a closed case, so a write outside it stands in for a
    // later correction of the case.
    sql_number(
        db,
        "UPDATE cases SET result = 'geweigerd', row_version = row_version + 1 RETURNING id",
    )
    .await;
    assert_eq!(sql_number(db, count).await, 0);
    let after = rt.histories(&Filter::default()).await.unwrap();
    assert_eq!(after[0].result.as_deref(), Some("geweigerd"));
    assert_eq!(sql_number(db, count).await, 1);
    assert_eq!(rt.histories(&Filter::default()).await.unwrap(), after);
}

async fn filters_select_in_the_store(db: &TestDb) {
    let rt = db.open().await;
    // An open case is always rebuilt from its rows.
    rt.deploy(AANVRAAG, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    rt.start_case("aanvraag", data(&[]), "balie", None)
        .await
        .unwrap();
    check_filters(&rt, true).await;
    // A closed case is rebuilt from its rows once, then read from its summary.
    let other = TestDb::sqlite().await;
    let closed = other.open().await;
    run_one_case(&other, &closed).await;
    check_filters(&closed, false).await;
    check_filters(&closed, false).await;
    other.finish().await;
}

/// One case started at day 0 (of aanvraag version 1, with a task for intake); when closed it
/// closed on day 13.
async fn check_filters(rt: &Runtime, open: bool) {
    let count = |filter: Filter| {
        let rt = rt.clone();
        async move { rt.histories(&filter).await.unwrap().len() }
    };
    let process = |p: &str| Filter {
        process: Some(p.into()),
        ..Filter::default()
    };
    assert_eq!(count(process("aanvraag")).await, 1);
    assert_eq!(count(process("melding")).await, 0);
    let version = |v| Filter {
        version: Some(v),
        ..Filter::default()
    };
    assert_eq!(count(version(1)).await, 1);
    assert_eq!(count(version(2)).await, 0);
    let team = |t: &str| Filter {
        team: Some(t.into()),
        ..Filter::default()
    };
    assert_eq!(count(team("intake")).await, 1);
    assert_eq!(count(team("buitendienst")).await, 0);
    let period = |from: i64, to: i64| Filter {
        from: Some(t0() + Duration::days(from)),
        to: Some(t0() + Duration::days(to)),
        ..Filter::default()
    };
    // A period that touches the days the case was open selects it.
    assert_eq!(count(period(-5, 1)).await, 1);
    assert_eq!(count(period(13, 20)).await, 1);
    assert_eq!(count(period(-5, 0)).await, 0);
    assert_eq!(count(period(14, 20)).await, usize::from(open));
}

async fn export_then_import_keeps_the_durations(db: &TestDb) {
    let rt = db.open().await;
    run_one_case(db, &rt).await;
    let live = rt.histories(&Filter::default()).await.unwrap();
    let log = export(&live);
    let read = import(log.as_bytes()).unwrap();
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);

    let other = TestDb::sqlite().await;
    let rt2 = other.open().await;
    let summary = rt2.import_history("aanvraag", read.cases).await.unwrap();
    assert_eq!((summary.imported, summary.tasks), (1, 1));
    assert!(summary.skipped.is_empty());
    // The import kept the case's summary, so the first report reads it from there; read from
    // the case's rows instead, it is the same.
    let count = "SELECT count(*) FROM case_summaries";
    assert_eq!(sql_number(&other, count).await, 1);
    let back = rt2.histories(&Filter::default()).await.unwrap();
    sql_number(&other, "DELETE FROM case_summaries RETURNING case_id").await;
    assert_eq!(rt2.histories(&Filter::default()).await.unwrap(), back);
    assert_eq!(back.len(), 1);
    assert!(back[0].historical);
    assert_eq!(back[0].version, HISTORICAL_VERSION);

    let now = t0() + Duration::days(20);
    let before = report(&live, &Filter::default(), now, 0.8);
    let after = report(&back, &Filter::default(), now, 0.8);
    assert_eq!(after.lead_time, before.lead_time);
    assert_eq!(after.lead_time_net, before.lead_time_net);
    assert_eq!(after.within_legal_term, before.within_legal_term);
    assert_eq!(after.statuses, before.statuses);
    assert_eq!(after.steps[0].waiting, before.steps[0].waiting);
    assert_eq!(after.steps[0].working, before.steps[0].working);
    // Historical cases are in no queue and have no timers.
    assert!(rt2
        .worklist("intake", Page::default())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(rt2.fire_due_timers(100).await.unwrap(), 0);
    other.finish().await;
}

fn historical(reference: &str, days: i64) -> CaseHistory {
    CaseHistory {
        reference: reference.into(),
        process: "elders".into(),
        version: 0,
        started: t0(),
        ended: Some(t0() + Duration::days(days)),
        result: Some("verleend".into()),
        deadline: None,
        target: None,
        suspensions: vec![],
        statuses: vec![("ontvangen".into(), t0())],
        tasks: vec![TaskSpan {
            step: "beoordelen".into(),
            team: None,
            worker: Some("piet".into()),
            created: t0(),
            claimed: None,
            completed: Some(t0() + Duration::days(1)),
        }],
        historical: true,
    }
}

async fn importing_twice_stores_each_case_once(db: &TestDb) {
    let rt = db.open().await;
    let log = vec![
        historical("A-1", 3),
        historical("A-2", 5),
        historical("A-1", 9),
    ];
    let first = rt.import_history("aanvraag", log.clone()).await.unwrap();
    assert_eq!(first.imported, 2);
    assert_eq!(first.skipped.len(), 1);
    assert_eq!(first.skipped[0].reference, "A-1");
    assert_eq!(first.skipped[0].reason, SkipReason::DuplicateReference);

    let second = rt.import_history("aanvraag", log).await.unwrap();
    assert_eq!(second.imported, 0);
    let reasons: Vec<_> = second.skipped.iter().map(|s| s.reason.clone()).collect();
    assert_eq!(
        reasons,
        vec![
            SkipReason::AlreadyImported,
            SkipReason::AlreadyImported,
            SkipReason::DuplicateReference
        ]
    );
    let stored = rt.histories(&Filter::default()).await.unwrap();
    assert_eq!(stored.len(), 2);
    let mut leads: Vec<_> = stored
        .iter()
        .map(|c| (c.reference.as_str(), c.ended.unwrap() - c.started))
        .collect();
    leads.sort();
    assert_eq!(
        leads,
        vec![("A-1", Duration::days(3)), ("A-2", Duration::days(5))]
    );
    // An imported task without a team reads back without one.
    assert_eq!(stored[0].tasks[0].team, None);
    assert_eq!(&*stored[0].process, "aanvraag");
}

/// An import is stored in batches of cases; one larger than several batches keeps every case,
/// task and event, and reports its skips in the order of the log.
async fn a_large_import_keeps_every_case_and_the_order_of_its_skips(db: &TestDb) {
    let rt = db.open().await;
    rt.import_history("aanvraag", vec![historical("L-0700", 2)])
        .await
        .unwrap();
    let mut log: Vec<CaseHistory> = (0..1300)
        .map(|i| historical(&format!("L-{i:04}"), 1 + i % 20))
        .collect();
    log[40].reference = "  ".into();
    log[1250].reference = "L-0003".into();
    let summary = rt.import_history("aanvraag", log).await.unwrap();
    let skipped: Vec<(&str, &SkipReason)> = summary
        .skipped
        .iter()
        .map(|s| (s.reference.as_str(), &s.reason))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("", &SkipReason::EmptyReference),
            ("L-0700", &SkipReason::AlreadyImported),
            ("L-0003", &SkipReason::DuplicateReference),
        ]
    );
    assert_eq!(
        (summary.imported, summary.tasks, summary.events),
        (1297, 1297, 3 * 1297)
    );
    let stored = rt.histories(&Filter::default()).await.unwrap();
    assert_eq!(stored.len(), 1298);
    let last = stored.iter().find(|c| c.reference == "L-1299").unwrap();
    assert_eq!(
        last.ended.unwrap() - last.started,
        Duration::days(1 + 1299 % 20)
    );
    assert_eq!(last.tasks.len(), 1);
    let count = "SELECT count(*) FROM events";
    assert_eq!(sql_number(db, count).await, 3 * 1298);
}

async fn an_import_never_takes_a_reference_another_case_holds(db: &TestDb) {
    let rt = db.open().await;
    let live = run_one_case(db, &rt).await;
    rt.import_history("elders", vec![historical("B-1", 2)])
        .await
        .unwrap();
    let summary = rt
        .import_history("aanvraag", vec![historical(&live, 2), historical("B-1", 2)])
        .await
        .unwrap();
    assert_eq!(summary.imported, 0);
    assert_eq!(
        summary.skipped[0].reason,
        SkipReason::ReferenceInUse {
            process: "aanvraag".into(),
            version: 1
        }
    );
    assert_eq!(
        summary.skipped[1].reason,
        SkipReason::ReferenceInUse {
            process: "elders".into(),
            version: 0
        }
    );
    // The historical cases sit beside the live one, apart by version.
    let baseline = Filter {
        process: Some("aanvraag".into()),
        version: Some(HISTORICAL_VERSION),
        ..Filter::default()
    };
    assert!(rt.histories(&baseline).await.unwrap().is_empty());
    assert_eq!(rt.histories(&Filter::default()).await.unwrap().len(), 2);
}
