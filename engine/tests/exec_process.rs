//! Preparing a process version for running, and refusing what does not fit it. The runs of
//! cases themselves are transcripts in `tests/cases/transcripts/`.

mod exec_support;

use zaak_engine::case::Command;
use zaak_engine::exec::{step, EngineError, Process};

#[test]
fn a_process_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(&exec_support::case_process("melding.yaml"));
}

#[test]
fn a_process_whose_condition_cannot_be_read_does_not_run() {
    let source = exec_support::case_source("rondje.yaml");
    let model = exec_support::model(&source.replace(
        "        - letter: heen\n",
        "        - set:\n            field: x\n            value: 1 +\n",
    ));
    match Process::new(model) {
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
    let calendar = zaak_engine::calendar::Calendar::netherlands();
    let now = exec_support::time("2026-01-05T09:00");
    let timers = exec_support::case_process("timers.yaml");
    let vergunning = exec_support::case_process("vergunning.yaml");
    let start = Command::Start {
        data: serde_json::from_str(r#"{"evenement_op": "2026-06-13"}"#).expect("JSON"),
    };
    let case = step(&timers, &calendar, None, start, now)
        .expect("a valid start")
        .state;
    match step(&vergunning, &calendar, Some(&case), Command::Resume, now) {
        Err(EngineError::Inconsistent(message)) => {
            assert!(message.contains("vergunning version 1"), "{message}")
        }
        other => panic!("a case of another process was not refused: {other:?}"),
    }
}

#[test]
fn script_times_are_dutch_wall_clock_time() {
    let start = exec_support::time("2026-03-03T00:30");
    assert_eq!(start.to_rfc3339(), "2026-03-02T23:30:00+00:00");
}
