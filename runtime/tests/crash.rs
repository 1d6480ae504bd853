//! A process that starts cases is killed with SIGKILL mid-flight; every case it reported as
//! started must be there afterwards, exactly once, and whole.

mod common;

use common::TestDb;
use rand::Rng;
use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use zaak_runtime::{CaseFilter, Page, Runtime, TaskState, TimerState};

on_both_backends!(acknowledged_cases_survive_a_kill);

/// Runs the driver until it has acknowledged `stop_after` starts, kills it, and returns every
/// reference it printed (those printed between the count and the kill too).
fn run_driver_and_kill(url: &str, stop_after: usize) -> Vec<String> {
    let mut child = Process::new(env!("CARGO_BIN_EXE_zaak-crash-driver"))
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut references = Vec::new();
    let mut line = String::new();
    let mut killed = false;
    loop {
        line.clear();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        // A line cut off by the kill was not a whole acknowledgement.
        if let Some(reference) = line.strip_suffix('\n') {
            references.push(reference.to_string());
        }
        if !killed && references.len() >= stop_after {
            child.kill().unwrap();
            killed = true;
        }
    }
    child.wait().unwrap();
    assert!(killed, "the driver stopped by itself after {references:?}");
    references
}

const COMMANDS: [&str; 10] = [
    "complete_task",
    "deliver_message",
    "timer_fired",
    "subcase_closed",
    "suspend",
    "resume",
    "extend",
    "withdraw",
    "cancel",
    "notice_of_default",
];

async fn acknowledged_cases_survive_a_kill(db: &TestDb) {
    let stop_after = rand::thread_rng().gen_range(20..150);
    let url = db.url.clone();
    let printed = tokio::task::spawn_blocking(move || run_driver_and_kill(&url, stop_after))
        .await
        .unwrap();
    assert!(printed.len() >= stop_after);
    let unique: HashSet<&String> = printed.iter().collect();
    assert_eq!(unique.len(), printed.len(), "a reference was printed twice");

    let rt = db.open().await;
    for reference in &printed {
        let case = rt.case_by_reference(reference).await.unwrap();
        assert!(case.is_some(), "{reference} was acknowledged but is gone");
    }
    let all = rt
        .cases(
            &CaseFilter::default(),
            Page {
                limit: 100_000,
                offset: 0,
            },
        )
        .await
        .unwrap();
    let stored: HashSet<&String> = all.iter().map(|c| &c.reference).collect();
    assert_eq!(stored.len(), all.len());
    for case in &all {
        check_case_is_whole(&rt, case).await;
    }
}

/// The case row, its tokens, tasks, timers and history tell the same story.
async fn check_case_is_whole(rt: &Runtime, case: &zaak_runtime::CaseView) {
    let state = &case.state;
    assert_eq!(case.open, state.closed.is_none(), "{}", case.reference);

    let tokens = rt.case_tokens(case.id).await.unwrap();
    if case.open {
        let marked: i64 = state.marking.0.iter().map(|&n| i64::from(n)).sum();
        let stored: i64 = tokens.iter().map(|(_, n)| n).sum();
        assert_eq!(stored, marked, "{} tokens", case.reference);
        assert_eq!(tokens.len(), state.marking.occupied().count());
    } else {
        assert!(
            tokens.is_empty(),
            "{} is closed but holds tokens",
            case.reference
        );
    }

    let tasks = rt.case_tasks(case.id).await.unwrap();
    let unfinished: BTreeSet<u32> = tasks
        .iter()
        .filter(|t| matches!(t.state, TaskState::Open | TaskState::Claimed))
        .map(|t| t.task_key.0)
        .collect();
    let open_in_state: BTreeSet<u32> = state.open_tasks.iter().map(|t| t.key.0).collect();
    assert_eq!(unfinished, open_in_state, "{} tasks", case.reference);

    let timers = rt.case_timers(case.id).await.unwrap();
    let pending: BTreeSet<u32> = timers
        .iter()
        .filter(|t| t.state == TimerState::Pending)
        .map(|t| t.timer_key.0)
        .collect();
    let pending_in_state: BTreeSet<u32> = state.timers.iter().map(|t| t.key.0).collect();
    assert_eq!(pending, pending_in_state, "{} timers", case.reference);

    let events = rt.events(case.id).await.unwrap();
    assert_eq!(events.first().map(|e| e.kind.as_str()), Some("start"));
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=events.len() as i64).collect::<Vec<_>>());
    let created = events.iter().filter(|e| e.kind == "create_task").count();
    assert_eq!(created, tasks.len(), "{} task history", case.reference);
    let done = tasks.iter().filter(|t| t.state == TaskState::Done).count();
    let completions = events.iter().filter(|e| e.kind == "complete_task").count();
    assert_eq!(done, completions, "{} completions", case.reference);
    let commands = events
        .iter()
        .filter(|e| COMMANDS.contains(&e.kind.as_str()))
        .count() as i64;
    assert_eq!(
        case.row_version,
        1 + commands,
        "{} row version",
        case.reference
    );
}
