//! Event logs in XES (IEEE 1849-2016, and the XES 1.0 files ProM, Disco and pm4py write).
//!
//! [`export`] writes one trace per case for process mining tools. [`import`] reads logs from
//! other systems, plain or gzip-compressed, into [`CaseHistory`] values so that the figures of a
//! process run elsewhere can be set beside those of the engine.
//!
//! How a case maps to events, both ways:
//!
//! | case                     | event `concept:name` | `lifecycle:transition`      |
//! |--------------------------|----------------------|-----------------------------|
//! | start, end               | `case: started`, `case: closed` | `complete`       |
//! | status reached           | `status: <status>`   | `complete`                  |
//! | task created, claimed, completed | the step     | `schedule`, `start`, `complete` |
//! | term suspended, resumed  | `term: suspension`   | `suspend`, `resume`         |
//!
//! Tasks carry `org:group` (team), `org:resource` (worker) and `concept:instance` (which task,
//! so that parallel tasks of one step pair up). The trace carries `concept:name` (reference),
//! `process`, `version` and `result` as strings, `deadline` and `target` as dates and `closed`
//! as a boolean.
//!
//! On import a case starts at its first event and ends at its last, so its lead time is the
//! case duration process mining tools show. Nothing is dropped silently: every event or trace
//! left out, and every guess (a fallback name, a time without offset, a reordering), is an
//! [`ImportWarning`].

use super::{CaseHistory, TaskSpan};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

const CASE_STARTED: &str = "case: started";
const CASE_CLOSED: &str = "case: closed";
const STATUS_PREFIX: &str = "status: ";
const SUSPENSION: &str = "term: suspension";

/// Why a log could not be read at all. Problems inside a readable log are warnings instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XesError {
    #[error("the gzip data could not be decompressed: {0}")]
    Gzip(String),
    #[error("malformed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("the document is not an XES log: its root element is <{0}>, not <log>")]
    NotALog(String),
    #[error("the document has no <log> element")]
    Empty,
    #[error("the document ends inside an open {0} element")]
    Truncated(String),
}

/// What kind of problem an [`ImportWarning`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A trace without `concept:name`: it got a name from its position.
    MissingTraceName,
    /// An event without `concept:name`: it got a name from its position.
    MissingEventName,
    /// An event without `time:timestamp`: skipped.
    MissingTimestamp,
    /// An event whose timestamp could not be read: skipped.
    BadTimestamp,
    /// Timestamps without an offset were read as UTC (reported once per log).
    TimestampWithoutOffset,
    /// A trace's events were not in time order: they were sorted.
    OutOfOrder,
    /// A trace without a single usable event: skipped.
    EmptyTrace,
    /// An event outside any trace: skipped.
    EventOutsideTrace,
    /// Events whose lifecycle transition has no place in a task (e.g. `ate_abort`): their
    /// time counts for the case's start and end only.
    UnmappedTransition,
    /// A trace attribute of the case (e.g. `version`) could not be read: left empty.
    BadTraceAttribute,
}

/// A problem in an imported log that did not stop the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportWarning {
    pub kind: WarningKind,
    /// The trace's position in the log, from 0.
    pub trace: usize,
    /// The event's position in its trace as written in the log, from 0.
    pub event: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The cases read from a log, with everything that was skipped or guessed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Imported {
    pub cases: Vec<CaseHistory>,
    pub warnings: Vec<ImportWarning>,
    /// Events that became part of a case.
    pub events: usize,
    pub skipped_traces: usize,
    pub skipped_events: usize,
}

/// Choices for logs that do not record everything the figures need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Many logs record only the completion of an activity. By default such a task is created,
    /// claimed and completed at that moment, so it has no waiting time. With this option it is
    /// created when the trace's previous event happened, the usual process-mining reading, so
    /// that the time between activities shows as waiting time of the later one.
    pub wait_since_previous_event: bool,
}

// ---------------------------------------------------------------------------------------------
// Export

/// Writes the cases as an XES log (version 1.0 of the XML serialisation, which IEEE 1849-2016
/// tools read), events of each trace in time order.
pub fn export(cases: &[CaseHistory]) -> String {
    let mut out = String::with_capacity(256 + cases.len() * 2048);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<log xes.version=\"1.0\" xes.features=\"\" xmlns=\"http://www.xes-standard.org/\">\n",
        "  <extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n",
        "  <extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n",
        "  <extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n",
        "  <extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n",
        "  <global scope=\"trace\">\n",
        "    <string key=\"concept:name\" value=\"UNKNOWN\"/>\n",
        "  </global>\n",
        "  <global scope=\"event\">\n",
        "    <string key=\"concept:name\" value=\"UNKNOWN\"/>\n",
        "    <date key=\"time:timestamp\" value=\"1970-01-01T00:00:00+00:00\"/>\n",
        "    <string key=\"lifecycle:transition\" value=\"complete\"/>\n",
        "  </global>\n",
        "  <classifier name=\"Activity\" keys=\"concept:name\"/>\n",
        "  <classifier name=\"Activity and transition\" keys=\"concept:name lifecycle:transition\"/>\n",
        "  <classifier name=\"Resource\" keys=\"org:resource\"/>\n",
        "  <classifier name=\"Group\" keys=\"org:group\"/>\n",
        "  <string key=\"concept:name\" value=\"zaak cases\"/>\n",
    ));
    for case in cases {
        write_trace(&mut out, case);
    }
    out.push_str("</log>\n");
    out
}

/// One event to write; `rank` orders events with the same timestamp so that a case starts
/// before anything happens in it, and a task is created before it is claimed.
struct OutEvent<'a> {
    at: DateTime<Utc>,
    rank: u8,
    name: &'a str,
    status: bool,
    transition: &'static str,
    task: Option<(usize, &'a TaskSpan)>,
}

fn write_trace(out: &mut String, case: &CaseHistory) {
    out.push_str("  <trace>\n");
    attr(out, 4, "string", "concept:name", &case.reference);
    attr(out, 4, "string", "process", &case.process);
    attr(out, 4, "string", "version", &case.version.to_string());
    if let Some(result) = &case.result {
        attr(out, 4, "string", "result", result);
    }
    for (key, date) in [("deadline", case.deadline), ("target", case.target)] {
        if let Some(d) = date {
            attr(out, 4, "date", key, &format!("{d}T00:00:00+00:00"));
        }
    }
    let closed = if case.ended.is_some() {
        "true"
    } else {
        "false"
    };
    attr(out, 4, "boolean", "closed", closed);

    let mut events: Vec<OutEvent> =
        Vec::with_capacity(2 + case.statuses.len() + 3 * case.tasks.len());
    let mut push = |at, rank, name, status, transition, task| {
        events.push(OutEvent {
            at,
            rank,
            name,
            status,
            transition,
            task,
        })
    };
    push(case.started, 0, CASE_STARTED, false, "complete", None);
    for (from, to) in &case.suspensions {
        push(*from, 6, SUSPENSION, false, "suspend", None);
        if let Some(to) = to {
            push(*to, 1, SUSPENSION, false, "resume", None);
        }
    }
    for (status, at) in &case.statuses {
        push(*at, 2, status, true, "complete", None);
    }
    for (i, task) in case.tasks.iter().enumerate() {
        push(
            task.created,
            3,
            &task.step,
            false,
            "schedule",
            Some((i, task)),
        );
        if let Some(at) = task.claimed {
            push(at, 4, &task.step, false, "start", Some((i, task)));
        }
        if let Some(at) = task.completed {
            push(at, 5, &task.step, false, "complete", Some((i, task)));
        }
    }
    if let Some(ended) = case.ended {
        push(ended, 7, CASE_CLOSED, false, "complete", None);
    }
    // Stable, so that events with the same time and rank keep the order they were given in.
    events.sort_by_key(|e| (e.at, e.rank));

    for e in &events {
        out.push_str("    <event>\n");
        if e.status {
            attr(
                out,
                6,
                "string",
                "concept:name",
                &format!("{STATUS_PREFIX}{}", e.name),
            );
        } else {
            attr(out, 6, "string", "concept:name", e.name);
        }
        attr(out, 6, "string", "lifecycle:transition", e.transition);
        attr(out, 6, "date", "time:timestamp", &timestamp(e.at));
        if let Some((i, task)) = e.task {
            attr(
                out,
                6,
                "string",
                "concept:instance",
                &format!("task-{}", i + 1),
            );
            if let Some(team) = &task.team {
                attr(out, 6, "string", "org:group", team);
            }
            if let Some(worker) = &task.worker {
                attr(out, 6, "string", "org:resource", worker);
            }
        }
        out.push_str("    </event>\n");
    }
    out.push_str("  </trace>\n");
}

fn timestamp(at: DateTime<Utc>) -> String {
    // AutoSi keeps every fraction the time has, so an import gives back the same instant;
    // `false` writes the offset as +00:00, which every XES reader accepts.
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn attr(out: &mut String, indent: usize, kind: &str, key: &str, value: &str) {
    for _ in 0..indent {
        out.push(' ');
    }
    out.push('<');
    out.push_str(kind);
    out.push_str(" key=\"");
    escape_into(out, key);
    out.push_str("\" value=\"");
    escape_into(out, value);
    out.push_str("\"/>\n");
}

/// Escapes text for an XML attribute value. Characters XML 1.0 does not allow become U+FFFD;
/// tab, newline and carriage return become character references so they survive attribute
/// value normalisation.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Import

/// Reads an XES log, plain or gzip-compressed, with the default [`ImportOptions`].
pub fn import(bytes: &[u8]) -> Result<Imported, XesError> {
    import_with(bytes, ImportOptions::default())
}

/// Reads an XES log, plain or gzip-compressed (recognised by its magic bytes `1f 8b`).
pub fn import_with(bytes: &[u8], options: ImportOptions) -> Result<Imported, XesError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut plain)
            .map_err(|e| XesError::Gzip(e.to_string()))?;
        parse(&plain, options)
    } else {
        parse(bytes, options)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Log,
    Trace,
    Event,
    Attribute,
    /// Anything the import does not read: extensions, globals, classifiers, foreign elements,
    /// events outside a trace.
    Other,
}

impl Frame {
    /// The element a frame stands for, for messages.
    fn element(self) -> &'static str {
        match self {
            Frame::Log => "log",
            Frame::Trace => "trace",
            Frame::Event => "event",
            Frame::Attribute => "attribute",
            Frame::Other => "element",
        }
    }
}

#[derive(Default)]
struct RawEvent {
    name: Option<String>,
    time: Option<String>,
    transition: Option<String>,
    resource: Option<String>,
    group: Option<String>,
    instance: Option<String>,
}

#[derive(Default)]
struct RawTrace {
    name: Option<String>,
    process: Option<String>,
    version: Option<String>,
    result: Option<String>,
    deadline: Option<String>,
    target: Option<String>,
    closed: Option<String>,
    events: Vec<RawEvent>,
}

struct Importer {
    options: ImportOptions,
    log_name: Option<String>,
    traces: usize,
    warned_no_offset: bool,
    out: Imported,
}

fn parse(xml: &[u8], options: ImportOptions) -> Result<Imported, XesError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut seen_log = false;
    let mut trace: Option<RawTrace> = None;
    let mut event: Option<RawEvent> = None;
    let mut importer = Importer {
        options,
        log_name: None,
        traces: 0,
        warned_no_offset: false,
        out: Imported::default(),
    };
    loop {
        let position = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| XesError::Xml {
                position,
                message: e.to_string(),
            })?;
        let (start, empty) = match &ev {
            Event::Start(s) => (Some(s), false),
            Event::Empty(s) => (Some(s), true),
            _ => (None, false),
        };
        if let Some(start) = start {
            let local = start.local_name();
            let name = local.as_ref();
            let parent = stack.last().copied();
            let frame = match (parent, name) {
                (None, b"log") => {
                    seen_log = true;
                    Frame::Log
                }
                (None, _) => {
                    return Err(XesError::NotALog(
                        String::from_utf8_lossy(name).into_owned(),
                    ))
                }
                (Some(Frame::Log), b"trace") => {
                    trace = Some(RawTrace::default());
                    Frame::Trace
                }
                (Some(Frame::Trace), b"event") => {
                    event = Some(RawEvent::default());
                    Frame::Event
                }
                (Some(Frame::Log), b"event") => {
                    importer.out.skipped_events += 1;
                    let trace = importer.traces;
                    importer.warn(
                        WarningKind::EventOutsideTrace,
                        trace,
                        None,
                        "an event outside any trace belongs to no case: skipped".into(),
                    );
                    Frame::Other
                }
                (Some(Frame::Log | Frame::Trace | Frame::Event), _) if is_attribute(name) => {
                    let wanted = |key: &str| match parent {
                        Some(Frame::Event) => RawEvent::reads(key),
                        Some(Frame::Trace) => RawTrace::reads(key),
                        _ => key == "concept:name",
                    };
                    if let Some((key, value)) = key_value(start, &reader, wanted) {
                        match parent {
                            Some(Frame::Event) => {
                                if let Some(e) = event.as_mut() {
                                    e.set(&key, value);
                                }
                            }
                            Some(Frame::Trace) => {
                                if let Some(t) = trace.as_mut() {
                                    t.set(&key, value);
                                }
                            }
                            _ => importer.log_name = Some(value),
                        }
                    }
                    Frame::Attribute
                }
                // Nested attributes, lists, globals and anything unknown are read past.
                _ => Frame::Other,
            };
            if empty {
                close(frame, &mut trace, &mut event, &mut importer);
            } else {
                stack.push(frame);
            }
        } else if let Event::End(_) = ev {
            if let Some(frame) = stack.pop() {
                close(frame, &mut trace, &mut event, &mut importer);
            }
        } else if let Event::Eof = ev {
            break;
        }
        buf.clear();
    }
    if let Some(frame) = stack.pop() {
        return Err(XesError::Truncated(frame.element().to_string()));
    }
    if !seen_log {
        return Err(XesError::Empty);
    }
    Ok(importer.out)
}

fn close(
    frame: Frame,
    trace: &mut Option<RawTrace>,
    event: &mut Option<RawEvent>,
    importer: &mut Importer,
) {
    match frame {
        Frame::Event => {
            if let (Some(t), Some(e)) = (trace.as_mut(), event.take()) {
                t.events.push(e);
            }
        }
        Frame::Trace => {
            if let Some(t) = trace.take() {
                importer.finish_trace(t);
            }
        }
        _ => {}
    }
}

fn is_attribute(element: &[u8]) -> bool {
    matches!(
        element,
        b"string" | b"date" | b"int" | b"float" | b"boolean" | b"id" | b"list" | b"container"
    )
}

/// The key and value of an attribute element, when `wanted` says the key is read at all; the
/// value of an attribute the import does not use is never decoded.
fn key_value(
    start: &BytesStart,
    reader: &Reader<&[u8]>,
    wanted: impl Fn(&str) -> bool,
) -> Option<(String, String)> {
    let mut key = None;
    let mut value = None;
    // Duplicate attributes are not worth an allocation per element to detect: the last wins.
    for a in start.attributes().with_checks(false).flatten() {
        match a.key.local_name().as_ref() {
            b"key" => key = Some(a),
            b"value" => value = Some(a),
            _ => {}
        }
    }
    let key = key?.decode_and_unescape_value(reader.decoder()).ok()?;
    if !wanted(&key) {
        return None;
    }
    let value = value
        .and_then(|v| v.decode_and_unescape_value(reader.decoder()).ok())
        .map(|v| v.into_owned())
        .unwrap_or_default();
    Some((key.into_owned(), value))
}

impl RawEvent {
    fn reads(key: &str) -> bool {
        matches!(
            key,
            "concept:name"
                | "time:timestamp"
                | "lifecycle:transition"
                | "org:resource"
                | "org:group"
                | "concept:instance"
        )
    }

    fn set(&mut self, key: &str, value: String) {
        match key {
            "concept:name" => self.name = Some(value),
            "time:timestamp" => self.time = Some(value),
            "lifecycle:transition" => self.transition = Some(value),
            "org:resource" => self.resource = Some(value),
            "org:group" => self.group = Some(value),
            "concept:instance" => self.instance = Some(value),
            _ => {}
        }
    }
}

impl RawTrace {
    fn reads(key: &str) -> bool {
        matches!(
            key,
            "concept:name" | "process" | "version" | "result" | "deadline" | "target" | "closed"
        )
    }

    fn set(&mut self, key: &str, value: String) {
        match key {
            "concept:name" => self.name = Some(value),
            "process" => self.process = Some(value),
            "version" => self.version = Some(value),
            "result" => self.result = Some(value),
            "deadline" => self.deadline = Some(value),
            "target" => self.target = Some(value),
            "closed" => self.closed = Some(value),
            _ => {}
        }
    }
}

/// An event with a usable time, ready to be mapped onto the case.
struct Timed {
    at: DateTime<Utc>,
    name: String,
    transition: String,
    resource: Option<String>,
    group: Option<String>,
    instance: Option<String>,
}

/// Events of one step waiting for the event that follows them in a task's life (a schedule
/// for its start, a start for its completion), oldest first.
struct Pending<T> {
    by_step: HashMap<String, Vec<(Option<String>, T)>>,
}

impl<T> Pending<T> {
    fn push(&mut self, step: &str, instance: Option<String>, item: T) {
        self.by_step
            .entry(step.to_string())
            .or_default()
            .push((instance, item));
    }

    /// The oldest pending event of the same step and task instance; when the log gives each
    /// event its own instance (so none matches), the oldest of the step.
    fn take(&mut self, step: &str, instance: &Option<String>) -> Option<T> {
        let list = self.by_step.get_mut(step)?;
        let i = list
            .iter()
            .position(|(i, _)| i == instance)
            .or((!list.is_empty()).then_some(0))?;
        Some(list.remove(i).1)
    }

    fn into_items(self) -> impl Iterator<Item = T> {
        self.by_step.into_values().flatten().map(|(_, item)| item)
    }
}

impl Importer {
    fn warn(&mut self, kind: WarningKind, trace: usize, event: Option<usize>, message: String) {
        self.out.warnings.push(ImportWarning {
            kind,
            trace,
            event,
            message,
        });
    }

    fn finish_trace(&mut self, raw: RawTrace) {
        let index = self.traces;
        self.traces += 1;
        let reference = match raw.name {
            Some(name) => name,
            None => {
                let name = format!("trace-{}", index + 1);
                self.warn(
                    WarningKind::MissingTraceName,
                    index,
                    None,
                    format!("trace {} has no concept:name: named {name}", index + 1),
                );
                name
            }
        };
        let mut events: Vec<Timed> = Vec::with_capacity(raw.events.len());
        for (j, e) in raw.events.into_iter().enumerate() {
            let name = match e.name {
                Some(name) => name,
                None => {
                    let name = format!("event-{}", j + 1);
                    self.warn(
                        WarningKind::MissingEventName,
                        index,
                        Some(j),
                        format!(
                            "trace {reference}, event {}: no concept:name: named {name}",
                            j + 1
                        ),
                    );
                    name
                }
            };
            let Some(text) = e.time else {
                self.out.skipped_events += 1;
                self.warn(
                    WarningKind::MissingTimestamp,
                    index,
                    Some(j),
                    format!(
                        "trace {reference}, event {} ({name}): no time:timestamp: event skipped",
                        j + 1
                    ),
                );
                continue;
            };
            let Some((at, has_offset)) = parse_time(&text) else {
                self.out.skipped_events += 1;
                self.warn(
                    WarningKind::BadTimestamp,
                    index,
                    Some(j),
                    format!(
                        "trace {reference}, event {} ({name}): time:timestamp {text:?} is not a date and time: event skipped",
                        j + 1
                    ),
                );
                continue;
            };
            if !has_offset && !self.warned_no_offset {
                self.warned_no_offset = true;
                self.warn(
                    WarningKind::TimestampWithoutOffset,
                    index,
                    Some(j),
                    format!(
                        "trace {reference}, event {} ({name}): time:timestamp {text:?} has no UTC offset: \
                         this and every other such timestamp in the log read as UTC",
                        j + 1
                    ),
                );
            }
            events.push(Timed {
                at,
                name,
                transition: e
                    .transition
                    .map(|t| t.trim().to_ascii_lowercase())
                    .unwrap_or_else(|| "complete".to_string()),
                resource: e.resource,
                group: e.group,
                instance: e.instance,
            });
        }
        if events.windows(2).any(|w| w[1].at < w[0].at) {
            self.warn(
                WarningKind::OutOfOrder,
                index,
                None,
                format!("trace {reference}: events are not in time order: sorted by time"),
            );
            events.sort_by_key(|e| e.at);
        }
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            self.out.skipped_traces += 1;
            self.warn(
                WarningKind::EmptyTrace,
                index,
                None,
                format!("trace {reference} has no event with a usable timestamp: trace skipped"),
            );
            return;
        };
        let (started, last_at) = (first.at, last.at);
        self.out.events += events.len();

        let version = match raw.version.as_deref().map(str::trim) {
            None => 0,
            Some(v) => v.parse::<u32>().unwrap_or_else(|_| {
                self.warn(
                    WarningKind::BadTraceAttribute,
                    index,
                    None,
                    format!(
                        "trace {reference}: version {v:?} is not a whole number: version left 0"
                    ),
                );
                0
            }),
        };
        let deadline = self.trace_date(index, &reference, "deadline", raw.deadline.as_deref());
        let target = self.trace_date(index, &reference, "target", raw.target.as_deref());
        let closed = !raw
            .closed
            .as_deref()
            .map(str::trim)
            .is_some_and(|c| c.eq_ignore_ascii_case("false") || c == "0");

        let mut case = CaseHistory {
            reference,
            process: raw
                .process
                .or_else(|| self.log_name.clone())
                .unwrap_or_default()
                .into(),
            version,
            started,
            ended: closed.then_some(last_at),
            result: raw.result.map(Into::into),
            deadline,
            target,
            suspensions: Vec::new(),
            statuses: Vec::new(),
            tasks: Vec::new(),
            historical: true,
        };
        self.map_events(index, events, &mut case);
        self.out.cases.push(case);
    }

    fn trace_date(
        &mut self,
        index: usize,
        reference: &str,
        key: &str,
        value: Option<&str>,
    ) -> Option<NaiveDate> {
        let text = value?;
        match parse_time(text) {
            Some((at, _)) => Some(zaak_engine::calendar::local_date(at)),
            None => {
                self.warn(
                    WarningKind::BadTraceAttribute,
                    index,
                    None,
                    format!("trace {reference}: {key} {text:?} is not a date: left empty"),
                );
                None
            }
        }
    }

    /// Turns the sorted events of one trace into statuses, suspensions and tasks.
    fn map_events(&mut self, index: usize, events: Vec<Timed>, case: &mut CaseHistory) {
        let mut scheduled: Pending<Timed> = Pending {
            by_step: HashMap::new(),
        };
        let mut started: Pending<(DateTime<Utc>, Timed)> = Pending {
            by_step: HashMap::new(),
        };
        let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
        let mut previous: Option<DateTime<Utc>> = None;
        for e in events {
            let before = previous.replace(e.at);
            if e.name == CASE_STARTED || e.name == CASE_CLOSED {
                continue;
            }
            if let Some(status) = e.name.strip_prefix(STATUS_PREFIX) {
                case.statuses.push((status.into(), e.at));
                continue;
            }
            if e.name == SUSPENSION {
                match e.transition.as_str() {
                    "suspend" => case.suspensions.push((e.at, None)),
                    "resume" => match case.suspensions.last_mut() {
                        Some((_, to @ None)) => *to = Some(e.at),
                        _ => *unmapped.entry("resume without suspend".into()).or_default() += 1,
                    },
                    other => *unmapped.entry(other.to_string()).or_default() += 1,
                }
                continue;
            }
            match e.transition.as_str() {
                "schedule" => scheduled.push(&e.name.clone(), e.instance.clone(), e),
                "start" => {
                    let created = scheduled.take(&e.name, &e.instance).map_or(e.at, |s| s.at);
                    started.push(&e.name.clone(), e.instance.clone(), (created, e));
                }
                "complete" => {
                    if let Some((created, start)) = started.take(&e.name, &e.instance) {
                        case.tasks.push(TaskSpan {
                            step: e.name.into(),
                            team: e.group.or(start.group).map(Into::into),
                            worker: e.resource.or(start.resource).map(Into::into),
                            created,
                            claimed: Some(start.at),
                            completed: Some(e.at),
                        });
                    } else {
                        let created = match scheduled.take(&e.name, &e.instance) {
                            Some(s) => s.at,
                            None if self.options.wait_since_previous_event => {
                                before.unwrap_or(e.at)
                            }
                            None => e.at,
                        };
                        case.tasks.push(TaskSpan {
                            step: e.name.into(),
                            team: e.group.map(Into::into),
                            worker: e.resource.map(Into::into),
                            created,
                            claimed: Some(e.at),
                            completed: Some(e.at),
                        });
                    }
                }
                other => *unmapped.entry(other.to_string()).or_default() += 1,
            }
        }
        // Tasks started or scheduled but never completed stay open, as they were in the log.
        let mut open: Vec<TaskSpan> = started
            .into_items()
            .map(|(created, s)| TaskSpan {
                step: s.name.into(),
                team: s.group.map(Into::into),
                worker: s.resource.map(Into::into),
                created,
                claimed: Some(s.at),
                completed: None,
            })
            .chain(scheduled.into_items().map(|s| TaskSpan {
                step: s.name.into(),
                team: s.group.map(Into::into),
                worker: s.resource.map(Into::into),
                created: s.at,
                claimed: None,
                completed: None,
            }))
            .collect();
        open.sort_by(|a, b| (a.created, &a.step).cmp(&(b.created, &b.step)));
        case.tasks.extend(open);
        for (transition, count) in unmapped {
            self.warn(
                WarningKind::UnmappedTransition,
                index,
                None,
                format!(
                    "trace {}: {count} event(s) with lifecycle:transition {transition:?} mark no task's \
                     creation, claim or completion: they count only for the case's start and end",
                    case.reference
                ),
            );
        }
    }
}

/// Reads an XES timestamp: RFC 3339 with `Z` or any offset, with or without fractional
/// seconds; also `+hhmm` offsets, a space instead of `T`, and times without an offset, which
/// are read as UTC (the flag says whether an offset was given).
fn parse_time(text: &str) -> Option<(DateTime<Utc>, bool)> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t.with_timezone(&Utc), true));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some((t.with_timezone(&Utc), true));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some((t.and_utc(), false));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| (t.and_utc(), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_every_form_agree() {
        let utc = |s| parse_time(s).map(|(t, offset)| (t.to_rfc3339(), offset));
        let want = Some(("2011-10-11T11:45:40.276+00:00".to_string(), true));
        assert_eq!(utc("2011-10-11T13:45:40.276+02:00"), want);
        assert_eq!(utc("2011-10-11T11:45:40.276Z"), want);
        assert_eq!(utc("2011-10-11T12:45:40.276000+01:00"), want);
        assert_eq!(utc("2011-10-11T13:45:40.276+0200"), want);
        assert_eq!(
            utc("2011-10-11T11:45:40.276"),
            Some(("2011-10-11T11:45:40.276+00:00".to_string(), false))
        );
        assert_eq!(utc("11 Oct 2011"), None);
    }

    #[test]
    fn escape_keeps_markup_out_of_attributes() {
        let escape = |s: &str| {
            let mut out = String::new();
            escape_into(&mut out, s);
            out
        };
        assert_eq!(escape("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;&#10;");
        assert_eq!(escape("x\u{1}y"), "x\u{FFFD}y");
    }
}
