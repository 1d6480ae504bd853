//! Every (state, event) pair of the task lifecycle, driven through the runtime: the pairs the
//! table in `zaak_runtime::lifecycle` holds move the stored task to the state it says, every
//! other pair is refused and changes nothing.

mod common;

use common::{data, join, teams, TestDb, MELDING};
use zaak_runtime::lifecycle::{next, TaskEvent, LIFECYCLE};
use zaak_runtime::{Command, Redeploy, Runtime, Syntax, TaskState, TaskView};

/// A task of a new case brought to `state`.
async fn task_in(rt: &Runtime, state: TaskState) -> TaskView {
    let case = rt
        .start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap();
    let task = rt.case_tasks(case.id).await.unwrap().remove(0);
    match state {
        TaskState::Open => {}
        TaskState::Claimed => {
            rt.claim(task.id, "anna").await.unwrap();
        }
        TaskState::Done => {
            rt.claim(task.id, "anna").await.unwrap();
            rt.complete(task.id, "anna", Some("onterecht"), data(&[]))
                .await
                .unwrap();
        }
        TaskState::Cancelled => {
            rt.command(
                case.id,
                Command::Cancel {
                    reason: "ingetrokken".into(),
                },
                "fatima",
            )
            .await
            .unwrap();
        }
    }
    let task = rt.task(task.id).await.unwrap();
    assert_eq!(task.state, state);
    task
}

async fn apply(rt: &Runtime, task: &TaskView, event: TaskEvent) -> bool {
    let done = match event {
        TaskEvent::Claim => rt.claim(task.id, "anna").await.map(|_| ()),
        TaskEvent::Release => rt.release(task.id, "anna").await.map(|_| ()),
        TaskEvent::Assign => rt
            .assign(task.id, "bert", "drukte", "fatima")
            .await
            .map(|_| ()),
        TaskEvent::Complete => rt
            .complete(task.id, "anna", Some("onterecht"), data(&[]))
            .await
            .map(|_| ()),
        TaskEvent::Cancel => rt
            .command(
                task.case_id,
                Command::Cancel {
                    reason: "ingetrokken".into(),
                },
                "fatima",
            )
            .await
            .map(|_| ()),
    };
    done.is_ok()
}

async fn every_pair_does_what_the_table_says(db: &TestDb) {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    for name in ["anna", "bert", "fatima"] {
        join(&rt, name, &teams(&["intake"]), &[]).await;
    }
    let mut covered = 0;
    for state in TaskState::ALL {
        for event in TaskEvent::ALL {
            let task = task_in(&rt, state).await;
            let accepted = apply(&rt, &task, event).await;
            let after = rt.task(task.id).await.unwrap();
            match next(state, event) {
                Some(to) => {
                    assert!(accepted, "{state:?} --{event:?}--> {to:?} was refused");
                    assert_eq!(after.state, to, "{state:?} --{event:?}-->");
                    covered += 1;
                }
                None => {
                    // Cancelling the case of a finished task is allowed when the case is open
                    // (the case moves on), but the task itself must not change.
                    if event != TaskEvent::Cancel || state == TaskState::Cancelled {
                        assert!(!accepted, "{state:?} --{event:?}--> was accepted");
                    }
                    assert_eq!(after.state, state, "{state:?} --{event:?}--> changed it");
                    assert_eq!(after.assignee, task.assignee);
                }
            }
        }
    }
    assert_eq!(covered, LIFECYCLE.len());
}

on_both_backends!(every_pair_does_what_the_table_says);
