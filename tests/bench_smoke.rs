//! `zaak bench` with tiny numbers: every workload runs its cases to the end and reports the
//! fields scripts read. No timing is asserted; the machine running the tests is not the one
//! the figures are about.

use serde_json::Value;
use std::process::Command;

fn bench(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_zaak"))
        .arg("bench")
        .args(args)
        .output()
        .expect("zaak runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "zaak bench {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line, got {stdout}");
    serde_json::from_str(lines[0]).expect("the line is JSON")
}

fn number(line: &Value, field: &str) -> f64 {
    line[field]
        .as_f64()
        .unwrap_or_else(|| panic!("`{field}` is a number in {line}"))
}

/// The fields every case workload reports, with the counts that follow from its shape.
fn check_cases(line: &Value, workload: &str, cases: u64, commands_per_case: Option<u64>) {
    assert_eq!(line["workload"], workload);
    assert_eq!(line["backend"], "sqlite");
    assert_eq!(line["durability"], "full");
    assert_eq!(line["cases"], cases);
    assert_eq!(line["cases_completed"], cases, "every case ends: {line}");
    if let Some(per_case) = commands_per_case {
        assert_eq!(line["commands"], cases * per_case, "{line}");
    }
    for field in [
        "wall_seconds",
        "cases_per_second",
        "commands_per_second",
        "p50_ms",
        "p99_ms",
    ] {
        assert!(number(line, field) > 0.0, "`{field}` is positive in {line}");
    }
    assert!(number(line, "p50_ms") <= number(line, "p99_ms"));
    assert!(number(line, "transactions") >= 1.0);
}

#[test]
fn straight_and_ten_steps_take_one_command_per_case() {
    let line = bench(&[
        "--workload",
        "straight",
        "--cases",
        "20",
        "--concurrency",
        "4",
    ]);
    check_cases(&line, "straight", 20, Some(1));
    let line = bench(&["--workload", "ten-steps", "--cases", "20"]);
    check_cases(&line, "ten-steps", 20, Some(1));
}

#[test]
fn human_cases_are_started_claimed_and_completed() {
    let line = bench(&["--workload", "human", "--cases", "20", "--concurrency", "4"]);
    check_cases(&line, "human", 20, Some(3));
    assert_eq!(line["via"], "inproc");
}

#[test]
fn permit_cases_end_with_the_mix_of_outcomes() {
    let line = bench(&[
        "--workload",
        "permit",
        "--cases",
        "20",
        "--durability",
        "normal",
    ]);
    assert_eq!(line["durability"], "normal");
    assert_eq!(line["cases_completed"], 20);
    // The mix: a start, then a claim and complete per task; monuments also get a message.
    // Ten cases hold 54 commands' worth of tasks and messages, so twenty hold more than 100.
    assert!(number(&line, "commands") > 100.0, "{line}");
}

#[test]
fn human_cases_run_through_http() {
    let line = bench(&[
        "--workload",
        "human",
        "--cases",
        "10",
        "--via",
        "http",
        "--concurrency",
        "2",
    ]);
    check_cases(&line, "human", 10, Some(3));
    assert_eq!(line["via"], "http");
}

#[test]
fn the_ceiling_is_reported_beside_the_workload() {
    let line = bench(&[
        "--workload",
        "straight",
        "--cases",
        "10",
        "--ceiling",
        "--ceiling-seconds",
        "0.2",
    ]);
    check_cases(&line, "straight", 10, Some(1));
    let ceiling = &line["ceiling"];
    assert!(number(ceiling, "single_commits_per_second") > 0.0);
    assert!(number(ceiling, "batched_rows_per_second") > 0.0);
    assert_eq!(ceiling["batch_rows"], 256);
    assert!(number(ceiling, "batched_rows_per_second_one_statement_per_row") > 0.0);
    assert!(number(&line, "share_of_batched_ceiling") > 0.0);
    assert!(number(&line, "share_of_statement_per_row_ceiling") > 0.0);
}

#[test]
fn the_worklist_returns_a_full_page_through_the_runtime_and_http() {
    let line = bench(&[
        "--workload",
        "worklist",
        "--tasks",
        "2000",
        "--teams",
        "10",
        "--fetches",
        "5",
    ]);
    assert_eq!(line["workload"], "worklist");
    assert_eq!(line["tasks"], 2000);
    assert_eq!(line["tasks_on_page"], 50);
    for field in [
        "runtime_p50_ms",
        "runtime_p99_ms",
        "http_p50_ms",
        "http_p99_ms",
    ] {
        assert!(number(&line, field) > 0.0, "`{field}` in {line}");
    }
}

#[test]
fn the_report_reads_the_imported_cases_the_same_every_time() {
    let line = bench(&["--workload", "report", "--cases", "300", "--fetches", "3"]);
    assert_eq!(line["workload"], "report");
    assert_eq!(line["cases"], 300);
    assert_eq!(line["runs_after_first"], 2);
    assert!(
        number(&line, "tasks") >= 600.0,
        "two tasks or more a case: {line}"
    );
    // Tiny numbers round to 0 ms; the fields must be there all the same.
    for field in [
        "first_report_seconds",
        "report_seconds_p50",
        "read_seconds_p50",
    ] {
        assert!(number(&line, field) >= 0.0, "`{field}` in {line}");
    }
}

#[test]
fn a_database_that_exists_is_left_alone() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("someone_elses.db");
    std::fs::write(&file, b"not ours").expect("written");
    let out = Command::new(env!("CARGO_BIN_EXE_zaak"))
        .args(["bench", "--workload", "straight", "--cases", "5", "--db"])
        .arg(format!("sqlite://{}", file.display()))
        .output()
        .expect("zaak runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("creates"));
    assert_eq!(std::fs::read(&file).expect("still there"), b"not ours");
}
