//! Exporting cases to XES and importing them again keeps every duration and every figure.

mod analytics_fixture;

use analytics_fixture::{cases, now};
use quick_xml::events::Event;
use quick_xml::Reader;
use zaak_runtime::analytics::{export, import, report, CaseHistory, Filter, TaskSpan};

fn sorted_tasks(case: &CaseHistory) -> Vec<TaskSpan> {
    let mut tasks = case.tasks.clone();
    tasks.sort_by(|a, b| (a.created, &a.step).cmp(&(b.created, &b.step)));
    tasks
}

#[test]
fn export_then_import_keeps_cases() {
    let original = cases();
    let imported = import(export(&original).as_bytes()).expect("our own export reads back");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!((imported.skipped_traces, imported.skipped_events), (0, 0));
    assert_eq!(imported.cases.len(), original.len());
    for (before, after) in original.iter().zip(&imported.cases) {
        assert_eq!(after.reference, before.reference);
        assert_eq!(
            (&after.process, after.version),
            (&before.process, before.version)
        );
        assert_eq!((after.started, after.ended), (before.started, before.ended));
        assert_eq!(
            after.ended.map(|e| e - after.started),
            before.ended.map(|e| e - before.started)
        );
        assert_eq!(after.result, before.result);
        assert_eq!(
            (after.deadline, after.target),
            (before.deadline, before.target)
        );
        assert_eq!(after.suspensions, before.suspensions);
        assert_eq!(after.statuses, before.statuses);
        assert_eq!(sorted_tasks(after), sorted_tasks(before));
        assert!(after.historical);
    }
}

#[test]
fn export_then_import_gives_the_same_figures() {
    let original = cases();
    let imported = import(export(&original).as_bytes()).expect("our own export reads back");
    let before = report(&original, &Filter::default(), now(), 0.8);
    let mut after = report(&imported.cases, &Filter::default(), now(), 0.8);
    // Steps are listed in the order first met, which follows the order of tasks in the input.
    after
        .steps
        .sort_by_key(|s| before.steps.iter().position(|b| b.step == s.step));
    assert_eq!(after, before);
}

#[test]
fn exported_xml_is_well_formed_and_declares_its_extensions() {
    let mut with_markup = cases();
    with_markup[0].reference = "A<&\"'>".into();
    with_markup[0].tasks[0].step = "intake & \"check\"\n".into();
    let xml = export(&with_markup);

    let mut reader = Reader::from_str(&xml);
    let mut extensions = Vec::new();
    let mut timestamps = Vec::new();
    let mut traces = 0;
    let mut depth = 0i32;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => {
                depth += 1;
                traces += usize::from(e.name().as_ref() == b"trace");
            }
            Event::End(_) => depth -= 1,
            Event::Empty(e) => {
                let get = |key: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.unescape_value().expect("escaped value").into_owned())
                };
                if e.name().as_ref() == b"extension" {
                    extensions.push((get(b"prefix"), get(b"uri")));
                }
                if get(b"key").as_deref() == Some("time:timestamp") {
                    timestamps.push(get(b"value").unwrap_or_default());
                }
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(traces, 5);
    for prefix in ["concept", "time", "lifecycle", "org"] {
        let uri = format!("http://www.xes-standard.org/{prefix}.xesext");
        assert!(
            extensions.contains(&(Some(prefix.to_string()), Some(uri))),
            "{prefix} declared: {extensions:?}"
        );
    }
    assert!(xml.contains("<global scope=\"event\">"));
    assert!(xml.contains("<classifier name=\"Activity\" keys=\"concept:name\"/>"));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\""));
    // The global event timestamp and every event's: RFC 3339 with an explicit offset.
    assert!(timestamps.len() > 20);
    assert!(
        timestamps
            .iter()
            .all(|t| t.ends_with("+00:00") && t.contains('T')),
        "{timestamps:?}"
    );

    let back = import(xml.as_bytes()).expect("markup in names reads back");
    assert_eq!(back.cases[0].reference, "A<&\"'>");
    assert!(back.cases[0]
        .tasks
        .iter()
        .any(|t| &*t.step == "intake & \"check\"\n"));
}

#[test]
fn events_of_a_trace_are_written_in_time_order() {
    let xml = export(&cases()[..1]);
    let times: Vec<&str> = xml
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("<date key=\"time:timestamp\" value=\"")
        })
        .map(|rest| rest.trim_end_matches("\"/>"))
        .skip(1) // the global default
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    // case started, 3 statuses, 2 tasks with 3 events each, case closed.
    assert_eq!(times.len(), 1 + 3 + 6 + 1);
    assert!(xml.contains("<string key=\"concept:name\" value=\"status: in behandeling\"/>"));
    assert!(xml.contains("<string key=\"org:group\" value=\"back\"/>"));
    assert!(xml.contains("<string key=\"org:resource\" value=\"bob\"/>"));
    assert!(xml.contains("<string key=\"lifecycle:transition\" value=\"start\"/>"));
}
