//! `zaak import xes`, `zaak report` and `zaak export xes` on a database file, with a log made
//! here that has the odd things real logs have.

use std::path::Path;
use std::process::{Command, Output};

fn zaak(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zaak"))
        .args(args)
        .output()
        .expect("zaak runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// CRC-32 (IEEE), bit by bit: the gzip trailer needs it and the logs here are small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A gzip member holding `data` in stored (uncompressed) deflate blocks.
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn event(name: &str, transition: &str, time: Option<&str>) -> String {
    let time = time
        .map(|t| format!(r#"<date key="time:timestamp" value="{t}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<event><string key="concept:name" value="{name}"/><string key="lifecycle:transition" value="{transition}"/><string key="org:group" value="balie"/>{time}</event>"#
    )
}

/// Three cases: one in a time zone with its events out of order, one without a name and with
/// an event without a time, one with a time without offset; and an empty trace.
fn odd_log() -> String {
    let traces = [
        format!(
            r#"<trace><string key="concept:name" value="Z-1"/>{}{}{}</trace>"#,
            event("beoordelen", "complete", Some("2021-03-05T11:00:00+01:00")),
            event("beoordelen", "start", Some("2021-03-04T10:00:00+01:00")),
            event("registreren", "complete", Some("2021-03-01T10:00:00+01:00")),
        ),
        format!(
            r#"<trace>{}{}{}</trace>"#,
            event("registreren", "complete", Some("2021-03-01T09:00:00Z")),
            event("beoordelen", "complete", None),
            event("beoordelen", "complete", Some("2021-03-03T09:00:00Z")),
        ),
        format!(
            r#"<trace><string key="concept:name" value="Z-3"/>{}{}</trace>"#,
            event("registreren", "complete", Some("2021-03-01T09:00:00")),
            event("beoordelen", "complete", Some("2021-03-02T09:00:00")),
        ),
        r#"<trace><string key="concept:name" value="Z-4"/></trace>"#.to_string(),
    ];
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
<extension name="Vendor" prefix="vendor" uri="http://example.invalid/vendor.xesext"/>
{}
</log>"#,
        traces.concat()
    )
}

fn write_log(dir: &Path) -> String {
    let path = dir.join("oud.xes.gz");
    std::fs::write(&path, gzip(odd_log().as_bytes())).unwrap();
    path.display().to_string()
}

#[test]
fn an_odd_gzip_log_imports_with_every_warning_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(dir.path());
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let first = stdout(&zaak(&[
        "import",
        "xes",
        &log,
        "--process",
        "oud",
        "--db",
        &db,
    ]));
    for line in [
        "4 traces, 7 events read; 1 traces and 1 events skipped",
        "imported 3 cases",
        "into `oud` as historical cases (version 0)",
        "1 x missing_trace_name",
        "1 x missing_timestamp",
        "1 x timestamp_without_offset",
        "1 x out_of_order",
        "1 x empty_trace",
    ] {
        assert!(first.contains(line), "`{line}` missing from:\n{first}");
    }

    let second = stdout(&zaak(&[
        "import",
        "xes",
        &log,
        "--process",
        "oud",
        "--db",
        &db,
    ]));
    assert!(second.contains("imported 0 cases"), "{second}");
    assert!(second.contains("3 x already imported: Z-1, "), "{second}");

    // Z-1 ran from 1 March 09:00 UTC to 5 March 10:00 UTC, its events sorted by time; the
    // nameless case 2 days; Z-3 one day.
    let json = stdout(&zaak(&[
        "report",
        "--process",
        "oud",
        "--format",
        "json",
        "--db",
        &db,
        "--now",
        "2022-01-01",
    ]));
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["closed"], 3);
    let lead = &r["lead_time"];
    assert_eq!(lead["min"], 86_400.0);
    assert_eq!(lead["max"], 4.0 * 86_400.0 + 3_600.0);
    assert_eq!(lead["p50"], 2.0 * 86_400.0);

    let table = stdout(&zaak(&["report", "--db", &db, "--now", "2022-01-01"]));
    assert!(table.contains("Lead time (days)"), "{table}");
    assert!(table.contains("beoordelen / waiting"), "{table}");

    // The export gives the same cases back.
    let xes = stdout(&zaak(&["export", "xes", "--process", "oud", "--db", &db]));
    let read = zaak_runtime::analytics::import(xes.as_bytes()).unwrap();
    assert_eq!(read.cases.len(), 3);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

#[test]
fn an_imported_baseline_compares_with_a_live_version() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(dir.path());
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    stdout(&zaak(&[
        "import",
        "xes",
        &log,
        "--process",
        "oud",
        "--db",
        &db,
    ]));
    let out = stdout(&zaak(&[
        "report",
        "--compare",
        "0",
        "1",
        "--process",
        "oud",
        "--db",
        &db,
    ]));
    assert!(
        out.starts_with("oud version 0 (3 closed cases) against version 1 (0 closed cases)"),
        "{out}"
    );
    let json = stdout(&zaak(&[
        "report",
        "--compare",
        "0",
        "1",
        "--process",
        "oud",
        "--db",
        &db,
        "--format",
        "json",
    ]));
    let c: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(c["before"]["closed"], 3);
    assert_eq!(c["after"]["cases"], 0);
}

#[test]
fn mistakes_are_told_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("none.db").display());
    let out = zaak(&["report", "--db", &db]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database at"));

    let out = zaak(&["report", "--from", "gisteren", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from `gisteren`"));

    let out = zaak(&["report", "--compare", "0", "1", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--compare needs --process"));

    let bad = dir.path().join("bad.xes");
    std::fs::write(&bad, "<html/>").unwrap();
    let out = zaak(&[
        "import",
        "xes",
        &bad.display().to_string(),
        "--process",
        "p",
        "--db",
        &db,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an XES log"));
}
