//! Logs as other tools write them, with the odd cases real logs have: missing names and
//! timestamps, offsets around daylight saving time, times without offset, events out of order,
//! unknown extensions and nested attributes, gzip. Each odd thing must show as a warning.

use chrono::{DateTime, TimeZone, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use proptest::prelude::*;
use std::io::Write;
use zaak_runtime::analytics::xes::WarningKind;
use zaak_runtime::analytics::{import, import_with, ImportOptions, Imported, XesError};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid time")
}

/// One event; `None` leaves the attribute out.
fn event(name: Option<&str>, transition: &str, time: Option<&str>, extra: &str) -> String {
    let mut e = String::from("<event>");
    if let Some(n) = name {
        e += &format!(r#"<string key="concept:name" value="{n}"/>"#);
    }
    e += &format!(r#"<string key="lifecycle:transition" value="{transition}"/>"#);
    if let Some(t) = time {
        e += &format!(r#"<date key="time:timestamp" value="{t}"/>"#);
    }
    e + extra + "</event>\n"
}

fn trace(name: Option<&str>, events: &[String]) -> String {
    let mut t = String::from("<trace>\n");
    if let Some(n) = name {
        t += &format!(r#"<string key="concept:name" value="{n}"/>"#);
    }
    t += r#"<string key="channel" value="internet"><string key="nested" value="kept out"/></string>"#;
    t + &events.concat() + "</trace>\n"
}

fn odd_log() -> String {
    let nested = r#"<string key="cost:detail" value="x"><int key="inner" value="1"/></string><list key="tags"><values><string key="tag" value="a"/></values></list><container key="box"><float key="f" value="1.5"/></container><org:unknown xmlns:org="urn:x"/>"#;
    let staff =
        r#"<string key="org:resource" value="ann"/><string key="org:group" value="front"/>"#;
    let traces = [
        // Around the start (28 March) and end (31 October) of summer time in 2021.
        trace(
            Some("t-dst"),
            &[
                event(
                    Some("intake"),
                    "start",
                    Some("2021-03-28T01:30:00+01:00"),
                    &format!("{staff}{nested}"),
                ),
                event(
                    Some("intake"),
                    "complete",
                    Some("2021-03-28T03:30:00+02:00"),
                    staff,
                ),
                event(
                    Some("review"),
                    "complete",
                    Some("2021-10-31T02:30:00+02:00"),
                    "",
                ),
                event(
                    Some("close"),
                    "complete",
                    Some("2021-10-31T02:30:00+01:00"),
                    "",
                ),
            ],
        ),
        trace(
            None,
            &[
                event(None, "complete", Some("2021-01-01T10:00:00.123456Z"), ""),
                event(Some("check"), "complete", None, ""),
                event(Some("decide"), "complete", Some("2021-01-01 12:00:00"), ""),
                event(Some("send"), "complete", Some("2021-01-02T09:00:00"), ""),
            ],
        ),
        trace(
            Some("t-order"),
            &[
                event(Some("b"), "complete", Some("2021-02-02T10:00:00Z"), ""),
                event(Some("a"), "complete", Some("2021-02-01T10:00:00+01:00"), ""),
            ],
        ),
        trace(
            Some("t-bad"),
            &[event(Some("x"), "complete", Some("yesterday"), "")],
        ),
        trace(
            Some("t-abort"),
            &[
                event(Some("x"), "start", Some("2021-05-01T08:00:00+02:00"), ""),
                event(
                    Some("x"),
                    "ate_abort",
                    Some("2021-05-01T09:00:00+02:00"),
                    "",
                ),
            ],
        ),
    ];
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<log xes.version=\"1849-2016\" xes.features=\"nested-attributes\" xmlns=\"http://www.xes-standard.org/\">\n",
            "<extension name=\"Cost\" prefix=\"cost\" uri=\"http://www.xes-standard.org/cost.xesext\"/>\n",
            "<global scope=\"event\"><string key=\"concept:name\" value=\"__INVALID__\"/></global>\n",
            "<classifier name=\"Event Name\" keys=\"concept:name\"/>\n",
            "<string key=\"concept:name\" value=\"permits\"/>\n",
            "{}{}</log>\n"
        ),
        traces.concat(),
        event(Some("stray"), "complete", Some("2021-01-01T00:00:00Z"), "")
    )
}

fn kinds(imported: &Imported) -> Vec<(WarningKind, usize, Option<usize>)> {
    imported
        .warnings
        .iter()
        .map(|w| (w.kind, w.trace, w.event))
        .collect()
}

#[test]
fn every_odd_thing_is_a_warning() {
    let imported = import(odd_log().as_bytes()).expect("the log is readable");
    use WarningKind::*;
    assert_eq!(
        kinds(&imported),
        [
            (MissingTraceName, 1, None),
            (MissingEventName, 1, Some(0)),
            (MissingTimestamp, 1, Some(1)),
            (TimestampWithoutOffset, 1, Some(2)),
            (OutOfOrder, 2, None),
            (BadTimestamp, 3, Some(0)),
            (EmptyTrace, 3, None),
            (UnmappedTransition, 4, None),
            (EventOutsideTrace, 5, None),
        ]
    );
    assert_eq!(imported.cases.len(), 4);
    assert_eq!(imported.skipped_traces, 1);
    // The event without timestamp, the one with "yesterday" and the one outside a trace.
    assert_eq!(imported.skipped_events, 3);
    assert_eq!(imported.events, 4 + 3 + 2 + 2);
}

#[test]
fn warnings_say_which_trace_and_event() {
    let imported = import(odd_log().as_bytes()).expect("the log is readable");
    let message = |kind| {
        imported
            .warnings
            .iter()
            .find(|w| w.kind == kind)
            .map(|w| w.message.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        message(WarningKind::MissingTimestamp),
        "trace trace-2, event 2 (check): no time:timestamp: event skipped"
    );
    assert!(message(WarningKind::BadTimestamp).contains("trace t-bad, event 1 (x)"));
    assert!(message(WarningKind::BadTimestamp).contains("\"yesterday\""));
    assert!(message(WarningKind::TimestampWithoutOffset).contains("read as UTC"));
    assert!(message(WarningKind::UnmappedTransition).contains("\"ate_abort\""));
}

#[test]
fn offsets_around_daylight_saving_time_give_true_durations() {
    let imported = import(odd_log().as_bytes()).expect("the log is readable");
    let dst = &imported.cases[0];
    assert_eq!(dst.reference, "t-dst");
    // No process attribute on the trace: the log's name.
    assert_eq!((&*dst.process, dst.version), ("permits", 0));
    assert!(dst.historical);
    // 01:30 CET and 03:30 CEST on 28 March are one hour apart.
    assert_eq!(dst.started, utc(2021, 3, 28, 0, 30));
    let intake = &dst.tasks[0];
    assert_eq!(
        (&*intake.step, intake.claimed, intake.completed),
        (
            "intake",
            Some(utc(2021, 3, 28, 0, 30)),
            Some(utc(2021, 3, 28, 1, 30))
        )
    );
    assert_eq!(
        (intake.team.as_deref(), intake.worker.as_deref()),
        (Some("front"), Some("ann"))
    );
    // 02:30 CEST and 02:30 CET on 31 October, the hour that happens twice, are one hour apart.
    assert_eq!(dst.ended, Some(utc(2021, 10, 31, 1, 30)));
    let review = &dst.tasks[1];
    assert_eq!(review.completed, Some(utc(2021, 10, 31, 0, 30)));
}

#[test]
fn fallback_names_fractional_seconds_and_times_without_offset() {
    let imported = import(odd_log().as_bytes()).expect("the log is readable");
    let unnamed = &imported.cases[1];
    assert_eq!(unnamed.reference, "trace-2");
    let steps: Vec<&str> = unnamed.tasks.iter().map(|t| &*t.step).collect();
    assert_eq!(steps, ["event-1", "decide", "send"]);
    let first = utc(2021, 1, 1, 10, 0) + chrono::TimeDelta::microseconds(123_456);
    assert_eq!(unnamed.started, first);
    assert_eq!(unnamed.tasks[1].completed, Some(utc(2021, 1, 1, 12, 0)));
    assert_eq!(unnamed.ended, Some(utc(2021, 1, 2, 9, 0)));
}

#[test]
fn out_of_order_events_are_sorted() {
    let imported = import(odd_log().as_bytes()).expect("the log is readable");
    let c = &imported.cases[2];
    let steps: Vec<&str> = c.tasks.iter().map(|t| &*t.step).collect();
    assert_eq!(steps, ["a", "b"]);
    assert_eq!(
        (c.started, c.ended),
        (utc(2021, 2, 1, 9, 0), Some(utc(2021, 2, 2, 10, 0)))
    );
    // A completion without start is an instant task by default...
    let b = &c.tasks[1];
    assert_eq!(
        (b.created, b.claimed),
        (utc(2021, 2, 2, 10, 0), b.completed)
    );
    // ...or waits since the previous event when asked.
    let options = ImportOptions {
        wait_since_previous_event: true,
    };
    let waited = import_with(odd_log().as_bytes(), options).expect("the log is readable");
    let b = &waited.cases[2].tasks[1];
    assert_eq!(
        (b.created, b.claimed),
        (utc(2021, 2, 1, 9, 0), Some(utc(2021, 2, 2, 10, 0)))
    );
}

#[test]
fn a_started_task_without_completion_stays_open() {
    let imported = import(odd_log().as_bytes()).expect("the log is readable");
    let c = &imported.cases[3];
    assert_eq!(c.reference, "t-abort");
    assert_eq!(c.tasks.len(), 1);
    assert_eq!(
        (c.tasks[0].claimed, c.tasks[0].completed),
        (Some(utc(2021, 5, 1, 6, 0)), None)
    );
    // The abort still marks the end of the case.
    assert_eq!(c.ended, Some(utc(2021, 5, 1, 7, 0)));
}

#[test]
fn gzip_compressed_logs_read_the_same() {
    let plain = odd_log();
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(plain.as_bytes()).expect("compress in memory");
    let compressed = gz.finish().expect("compress in memory");
    assert_eq!(&compressed[..2], &[0x1f, 0x8b]);
    assert_eq!(import(&compressed), import(plain.as_bytes()));
}

#[test]
fn unreadable_documents_are_errors_not_panics() {
    assert_eq!(import(b"not xml at all"), Err(XesError::Empty));
    assert_eq!(import(b""), Err(XesError::Empty));
    assert_eq!(
        import(b"<html><body/></html>"),
        Err(XesError::NotALog("html".into()))
    );
    assert_eq!(
        import(b"<log><trace>"),
        Err(XesError::Truncated("trace".into()))
    );
    assert!(matches!(
        import(b"<log></trace>"),
        Err(XesError::Xml { .. })
    ));
    assert!(matches!(
        import(&[0x1f, 0x8b, 0, 1, 2]),
        Err(XesError::Gzip(_))
    ));
}

#[test]
fn an_empty_log_has_no_cases() {
    let imported = import(br#"<log xes.version="1.0"/>"#).expect("an empty log is a log");
    assert_eq!(imported, Imported::default());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever a damaged file holds, the import answers with cases or an error, and the cases
    /// it gives are consistent: time runs forward inside every case and every task.
    #[test]
    fn mutated_logs_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec![b'<', b'>', b'"', b'/', b'=', b'&', b'a', b' ', b'0', 0xff, b':', b'-'])), 0..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = odd_log().into_bytes();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Ok(imported) = import(&bytes) {
            for case in &imported.cases {
                prop_assert!(case.ended.is_none_or(|e| e >= case.started));
                for t in &case.tasks {
                    prop_assert!(t.created >= case.started);
                    prop_assert!(t.claimed.is_none_or(|c| c >= t.created));
                    prop_assert!(t.completed.is_none_or(|d| Some(d) >= t.claimed));
                }
            }
            prop_assert_eq!(imported.skipped_traces, imported.warnings.iter().filter(|w| w.kind == WarningKind::EmptyTrace).count());
        }
    }
}

fn log_of(traces: &[String]) -> String {
    format!("<log xes.version=\"1.0\">{}</log>", traces.concat())
}

fn with_instance(instance: &str, more: &str) -> String {
    format!(r#"<string key="concept:instance" value="{instance}"/>{more}"#)
}

#[test]
fn parallel_tasks_of_one_step_pair_by_instance() {
    let xml = log_of(&[trace(
        Some("p"),
        &[
            event(
                Some("advies"),
                "schedule",
                Some("2021-06-01T08:00:00Z"),
                &with_instance("1", ""),
            ),
            event(
                Some("advies"),
                "schedule",
                Some("2021-06-01T08:00:00Z"),
                &with_instance("2", ""),
            ),
            event(
                Some("advies"),
                "start",
                Some("2021-06-01T09:00:00Z"),
                &with_instance("2", r#"<string key="org:resource" value="bob"/>"#),
            ),
            event(
                Some("advies"),
                "start",
                Some("2021-06-01T10:00:00Z"),
                &with_instance("1", r#"<string key="org:resource" value="ann"/>"#),
            ),
            event(
                Some("advies"),
                "complete",
                Some("2021-06-01T11:00:00Z"),
                &with_instance("1", ""),
            ),
            event(
                Some("advies"),
                "complete",
                Some("2021-06-01T15:00:00Z"),
                &with_instance("2", ""),
            ),
        ],
    )]);
    let imported = import(xml.as_bytes()).expect("readable");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    type Span<'a> = (Option<&'a str>, DateTime<Utc>, Option<DateTime<Utc>>);
    let spans: Vec<Span> = imported.cases[0]
        .tasks
        .iter()
        .map(|t| (t.worker.as_deref(), t.created, t.completed))
        .collect();
    assert_eq!(
        spans,
        [
            (
                Some("ann"),
                utc(2021, 6, 1, 8, 0),
                Some(utc(2021, 6, 1, 11, 0))
            ),
            (
                Some("bob"),
                utc(2021, 6, 1, 8, 0),
                Some(utc(2021, 6, 1, 15, 0))
            ),
        ]
    );
}

#[test]
fn start_and_complete_pair_even_when_every_event_has_its_own_instance() {
    let xml = log_of(&[trace(
        Some("q"),
        &[
            event(
                Some("check"),
                "start",
                Some("2021-06-01T09:00:00+02:00"),
                &with_instance("task-1", ""),
            ),
            event(
                Some("check"),
                "complete",
                Some("2021-06-01T09:30:00+02:00"),
                &with_instance("task-2", ""),
            ),
        ],
    )]);
    let imported = import(xml.as_bytes()).expect("readable");
    let tasks = &imported.cases[0].tasks;
    assert_eq!(tasks.len(), 1);
    assert_eq!(
        (tasks[0].claimed, tasks[0].completed),
        (Some(utc(2021, 6, 1, 7, 0)), Some(utc(2021, 6, 1, 7, 30)))
    );
}

#[test]
fn a_byte_order_mark_is_no_problem() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        log_of(&[trace(
            Some("r"),
            &[event(
                Some("x"),
                "complete",
                Some("2021-01-01T00:00:00Z"),
                "",
            )],
        )])
        .as_bytes(),
    );
    let imported = import(&bytes).expect("readable");
    assert_eq!(imported.cases.len(), 1);
}
