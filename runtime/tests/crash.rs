//! A process that starts cases is killed with SIGKILL mid-flight; every case it reported as
//! started must be there afterwards, exactly once, and whole.

mod common;

use common::{check_case_is_whole, TestDb};
use rand::Rng;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use zaak_runtime::{CaseFilter, Page};

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
