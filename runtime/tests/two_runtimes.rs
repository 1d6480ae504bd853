//! Two runtimes on one database work the same queue and the same timers at once: no task is
//! claimed twice and no timer fires twice.

mod common;

use chrono::Duration;
use common::{claim_as, data, teams, TestDb};
use std::collections::HashMap;
use zaak_runtime::{CaseFilter, Error, Page, Redeploy, Runtime, Syntax};

on_both_backends!(two_runtimes_share_queue_and_timers);

const CASES: usize = 40;

/// A task, then a one-day wait, then the end.
const PROCESS: &str = r#"
process: gedeeld
version: 1
title: Gedeeld werk
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
      then: wachten
  - name: wachten
    timer:
      after: 1 day
      then: einde
  - name: einde
    end: {}
"#;

/// Claims and completes whatever the queue offers until it is empty; returns the tasks this
/// worker won.
async fn work_the_queue(rt: Runtime, worker: String) -> Vec<i64> {
    let mut won = Vec::new();
    loop {
        let queue = rt
            .worklist(
                "intake",
                Page {
                    limit: 5,
                    offset: 0,
                },
            )
            .await
            .unwrap();
        if queue.is_empty() {
            return won;
        }
        for task in queue {
            match claim_as(&rt, task.id, &worker, &teams(&["intake"])).await {
                Ok(_) => {
                    rt.complete(task.id, &worker, None, data(&[]))
                        .await
                        .unwrap();
                    won.push(task.id.0);
                }
                Err(Error::Conflict(_)) => {}
                Err(e) => panic!("{worker}: {e}"),
            }
        }
    }
}

async fn fire_until_quiet(rt: Runtime) -> usize {
    let mut fired = 0;
    loop {
        let n = rt.fire_due_timers(3).await.unwrap();
        if n == 0 {
            return fired;
        }
        fired += n;
    }
}

async fn two_runtimes_share_queue_and_timers(db: &TestDb) {
    let a = db.open().await;
    let b = db.open().await;
    a.deploy(PROCESS, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    // The other runtime finds the version in the database.
    assert!(
        !b.deploy(PROCESS, Syntax::Yaml, Redeploy::UnlessLatest)
            .await
            .unwrap()
            .created
    );
    for i in 0..CASES {
        let rt = if i % 2 == 0 { &a } else { &b };
        rt.start_case("gedeeld", data(&[]), "balie", None)
            .await
            .unwrap();
    }

    let workers: Vec<_> = (0..6)
        .map(|w| {
            let rt = if w % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(work_the_queue(rt, format!("w{w}")))
        })
        .collect();
    let mut winners: HashMap<i64, usize> = HashMap::new();
    for w in workers {
        for task in w.await.unwrap() {
            *winners.entry(task).or_default() += 1;
        }
    }
    assert_eq!(winners.len(), CASES);
    assert!(winners.values().all(|&n| n == 1), "a task was won twice");

    db.clock.advance(Duration::days(2));
    let firing: Vec<_> = [a.clone(), b.clone(), a.clone(), b.clone()]
        .into_iter()
        .map(|rt| tokio::spawn(fire_until_quiet(rt)))
        .collect();
    let mut fired = 0;
    for f in firing {
        fired += f.await.unwrap();
    }
    assert_eq!(fired, CASES);

    let cases = a
        .cases(
            &CaseFilter::default(),
            Page {
                limit: 1000,
                offset: 0,
            },
        )
        .await
        .unwrap();
    assert_eq!(cases.len(), CASES);
    for case in cases {
        assert!(!case.open, "{} is still open", case.reference);
        let events = b.events(case.id).await.unwrap();
        let count = |kind: &str| events.iter().filter(|e| e.kind == kind).count();
        assert_eq!(count("task_claimed"), 1, "{}", case.reference);
        assert_eq!(count("complete_task"), 1, "{}", case.reference);
        assert_eq!(count("timer_fired"), 1, "{}", case.reference);
    }
}
