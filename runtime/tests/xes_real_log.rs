//! The public "Receipt phase of an environmental permit application process (WABO)" log
//! (1,434 cases, 8,577 events), read when a copy lies in `shared/data/` beside the repository.
//! The log is not part of the project; without it this test checks nothing and says so.
//!
//! `cargo test --release -p zaak-runtime --test xes_real_log -- --nocapture` prints the figures.

use chrono::{TimeZone, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use zaak_runtime::analytics::figures::days;
use zaak_runtime::analytics::{import_with, render_table, report, Filter, ImportOptions};

#[test]
fn receipt_log_imports_completely() {
    let path = std::env::var_os("ZAAK_RECEIPT_LOG")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/receipt.xes.gz")
        });
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("{} not found: nothing to check", path.display());
        return;
    };
    let clock = Instant::now();
    let options = ImportOptions {
        wait_since_previous_event: true,
    };
    let imported = import_with(&bytes, options).expect("the receipt log is valid XES");
    let import_time = clock.elapsed();
    assert_eq!(imported.cases.len(), 1434);
    assert_eq!(imported.events + imported.skipped_events, 8577);

    let now = Utc.with_ymd_and_hms(2012, 6, 1, 0, 0, 0).unwrap();
    let clock = Instant::now();
    let r = report(&imported.cases, &Filter::default(), now, 0.8);
    let report_time = clock.elapsed();
    assert_eq!(r.closed, 1434);

    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for w in &imported.warnings {
        *kinds.entry(format!("{:?}", w.kind)).or_default() += 1;
    }
    println!(
        "cases {}, events {}, skipped traces {}, skipped events {}",
        imported.cases.len(),
        imported.events,
        imported.skipped_traces,
        imported.skipped_events
    );
    println!("warnings by kind: {kinds:?}");
    if let Some(l) = &r.lead_time {
        println!(
            "lead time days: n {} mean {} p50 {} p90 {} p95 {} p99 {} max {}",
            l.count,
            days(l.mean),
            days(l.p50),
            days(l.p90),
            days(l.p95),
            days(l.p99),
            days(l.max)
        );
    }
    let weekly: Vec<usize> = r.throughput.iter().map(|w| w.closed).collect();
    println!(
        "throughput: {} weeks from {} to {}, {} to {} cases a week",
        weekly.len(),
        r.throughput.first().map_or("-", |w| w.week.as_str()),
        r.throughput.last().map_or("-", |w| w.week.as_str()),
        weekly.iter().min().unwrap_or(&0),
        weekly.iter().max().unwrap_or(&0)
    );
    for b in r.bottlenecks.iter().take(5) {
        println!(
            "bottleneck {}: total {} d, mean {} d, {} tasks, {:.1}%",
            b.step,
            days(b.total_waiting),
            days(b.mean_waiting),
            b.tasks_waited,
            b.share * 100.0
        );
    }
    println!("import {import_time:?}, report {report_time:?}");
    println!("{}", render_table(&r));
}
