//! The one way engine tests run cases: a process in YAML, a script of commands, and the effects
//! they emit as compact text, which the transcripts in `tests/cases/transcripts/` pin.
//!
//! A script has one command per line:
//!
//! ```text
//! at 2026-01-20T10:00                 -- the time of the commands that follow
//! start {"aanvrager": "Jan"}
//! complete volledigheid onvolledig {"ontbrekende_stukken": "tekening"}
//! complete #4 volledig                -- by task number instead of step
//! deliver aanvulling_ontvangen {}
//! fire timeout:wacht_op_aanvulling    -- a pending timer by purpose (and step), or `fire #7`
//! subcase_closed advies verleend
//! suspend reason...   | resume | extend 6 weeks: reason... | default 2026-03-20
//! withdraw reason...  | cancel reason...
//! ```
//!
//! Times, in the script and in the transcript, are Dutch wall-clock time (Europe/Amsterdam).
//!
//! The transcript echoes each command after `> ` and lists its effects below it, indented; a
//! refused command shows `  error: ...` and leaves the case as it was. After every command the
//! helper checks that the open tasks and the tokens agree.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use zaak_dsl::{Duration, ProcessModel};
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{CaseState, Closure, Command, Data, Effect, TaskKey, TimerKey};
use zaak_engine::exec::{step, Process};
use zaak_engine::net::PlaceKind;

pub fn model(yaml: &str) -> ProcessModel {
    let loaded = zaak_dsl::parse(yaml, zaak_dsl::Syntax::Yaml);
    assert!(
        loaded.diagnostics.is_empty(),
        "test process does not read: {:?}",
        loaded.diagnostics
    );
    loaded.model.expect("a model without diagnostics")
}

pub fn process(yaml: &str) -> Process {
    match Process::new(model(yaml)) {
        Ok(p) => p,
        Err(diags) => panic!("test process does not compile: {diags:?}"),
    }
}

/// The text of a process file in `tests/cases/processes/`.
pub fn case_source(file: &str) -> String {
    let path = format!(
        "{}/tests/cases/processes/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A process from a file in `tests/cases/processes/`, read and compiled.
pub fn case_process(file: &str) -> Process {
    process(&case_source(file))
}

/// A process from a file of the repository's process library, read and validated.
pub fn library_process(file: &str) -> Process {
    let path = format!("{}/../processes/{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let syntax = zaak_dsl::Syntax::from_path(&path).expect("a .zaak or .yaml file");
    let loaded = zaak_dsl::load(&source, syntax);
    assert!(
        !loaded.has_errors(),
        "{path} does not load: {:?}",
        loaded.diagnostics
    );
    let model = loaded.model.expect("a model without errors");
    match Process::new(model) {
        Ok(p) => p,
        Err(diags) => panic!("{path} does not compile: {diags:?}"),
    }
}

/// A script's time is Dutch wall-clock time, as a municipality's staff read it; so is every
/// time in the transcript.
pub fn time(s: &str) -> DateTime<Utc> {
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .unwrap_or_else(|e| panic!("bad time `{s}`: {e}"));
    zaak_engine::calendar::at_local(local.date(), local.time())
}

/// Runs a script and returns the transcript.
pub fn run(process: &Process, script: &str) -> String {
    let calendar = Calendar::netherlands();
    let mut now = time("2026-01-05T09:00");
    let mut state: Option<CaseState> = None;
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(&format!("> {line}\n"));
        if let Some(t) = line.strip_prefix("at ") {
            now = time(t.trim());
            continue;
        }
        let command = match parse_command(line, state.as_ref()) {
            Ok(c) => c,
            Err(e) => {
                out.push_str(&format!("  script: {e}\n"));
                continue;
            }
        };
        match step(process, &calendar, state.as_ref(), command, now) {
            Ok(outcome) => {
                for e in &outcome.effects {
                    out.push_str(&format!("  {}\n", render(e)));
                }
                assert_consistent(process, &outcome.state);
                state = Some(outcome.state);
            }
            Err(e) => out.push_str(&format!("  error: {e}\n")),
        }
    }
    out
}

fn split_json(rest: &str) -> (&str, Data) {
    match rest.find('{') {
        Some(i) => {
            let data: Value = serde_json::from_str(&rest[i..])
                .unwrap_or_else(|e| panic!("bad JSON in `{rest}`: {e}"));
            match data {
                Value::Object(m) => (rest[..i].trim(), m),
                _ => panic!("data must be a JSON object: `{rest}`"),
            }
        }
        None => (rest.trim(), Data::new()),
    }
}

/// Reads a script line; refers to open tasks and pending timers of `state` by step. Names no
/// open task or pending timer: an error for the transcript.
pub fn parse_command(line: &str, state: Option<&CaseState>) -> Result<Command, String> {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.trim();
    Ok(match word {
        "start" => Command::Start {
            data: split_json(rest).1,
        },
        "complete" => {
            let (words, data) = split_json(rest);
            let mut words = words.split_whitespace();
            let target = words.next().expect("complete needs a step or #task");
            let outcome = words.next().map(str::to_string);
            let task = match target.strip_prefix('#') {
                Some(n) => TaskKey(n.parse().expect("task number")),
                None => state
                    .and_then(|s| s.open_tasks.iter().find(|t| t.step == target))
                    .map(|t| t.key)
                    .ok_or_else(|| format!("no open task for `{target}`"))?,
            };
            Command::CompleteTask {
                task,
                outcome,
                data,
            }
        }
        "deliver" => {
            let (name, data) = split_json(rest);
            Command::DeliverMessage {
                name: name.to_string(),
                data,
            }
        }
        "fire" => {
            let timer = match rest.strip_prefix('#') {
                Some(n) => TimerKey(n.parse().expect("timer number")),
                None => {
                    let (purpose, step) = rest.split_once(':').unwrap_or((rest, ""));
                    state
                        .and_then(|s| {
                            s.timers.iter().find(|t| {
                                purpose_name(t.purpose) == purpose
                                    && (step.is_empty() || t.step.as_deref() == Some(step))
                            })
                        })
                        .map(|t| t.key)
                        .ok_or_else(|| format!("no pending timer `{rest}`"))?
                }
            };
            Command::TimerFired { timer }
        }
        "subcase_closed" => {
            let mut words = rest.split_whitespace();
            Command::SubcaseClosed {
                step: words.next().expect("subcase_closed needs a step").into(),
                result: words.next().map(str::to_string),
            }
        }
        "suspend" => Command::Suspend {
            reason: rest.into(),
        },
        "resume" => Command::Resume,
        "extend" => {
            let (d, reason) = rest.split_once(':').expect("extend <duration>: <reason>");
            let duration: Duration = d.trim().parse().expect("a duration");
            Command::Extend {
                reason: reason.trim().into(),
                duration,
            }
        }
        "withdraw" => Command::Withdraw {
            reason: rest.into(),
        },
        "cancel" => Command::Cancel {
            reason: rest.into(),
        },
        "default" => Command::NoticeOfDefault {
            received: rest.parse().expect("a date"),
        },
        other => panic!("unknown script command `{other}`"),
    })
}

pub fn purpose_name(p: zaak_engine::case::TimerPurpose) -> String {
    match serde_json::to_value(p) {
        Ok(Value::String(s)) => s,
        other => panic!("timer purpose serializes as {other:?}"),
    }
}

fn render_time(t: &DateTime<Utc>) -> String {
    t.with_timezone(&zaak_engine::calendar::ZONE)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

pub fn render(e: &Effect) -> String {
    match e {
        Effect::CreateTask {
            task,
            step,
            team,
            role,
            due,
            priority,
            ..
        } => {
            let mut s = format!("create task #{} {step} team={team}", task.0);
            if let Some(r) = role {
                s.push_str(&format!(" role={r}"));
            }
            if let Some(d) = due {
                s.push_str(&format!(" due={d}"));
            }
            if *priority != 0 {
                s.push_str(&format!(" priority={priority}"));
            }
            s
        }
        Effect::CancelTask { task } => format!("cancel task #{}", task.0),
        Effect::ScheduleTimer { timer, at, purpose } => format!(
            "schedule timer #{} {} at {}",
            timer.0,
            purpose_name(*purpose),
            render_time(at)
        ),
        Effect::CancelTimer { timer } => format!("cancel timer #{}", timer.0),
        Effect::SetStatus { status, notify, .. } => {
            format!("status {status}{}", if *notify { " (notify)" } else { "" })
        }
        Effect::SetResult { result } => format!("result {result}"),
        Effect::SetData { field, value } => format!("set {field} = {value}"),
        Effect::SendLetter { template } => format!("letter {template}"),
        Effect::SendNotification { name } => format!("notification {name}"),
        Effect::StartSubcase {
            step,
            process,
            data,
        } => format!(
            "start subcase {process} for {step} {}",
            Value::Object(data.clone())
        ),
        Effect::TermChanged {
            deadline,
            target,
            reason,
        } => format!(
            "term deadline={} target={} ({reason})",
            deadline.map(|d| d.to_string()).unwrap_or("-".into()),
            target.map(|d| d.to_string()).unwrap_or("-".into()),
        ),
        Effect::DeadlineWarning { purpose, date } => {
            format!("warning {} {date}", purpose_name(*purpose))
        }
        Effect::CloseCase { how } => match how {
            Closure::Completed => "close completed".into(),
            Closure::Withdrawn { reason } => format!("close withdrawn ({reason})"),
            Closure::Cancelled { reason } => format!("close cancelled ({reason})"),
        },
    }
}

/// Open tasks and tokens agree: each task place holds exactly as many tokens as its step has
/// open tasks, and every pending step timer or timeout belongs to a token waiting for it.
pub fn assert_consistent(process: &Process, state: &CaseState) {
    if let Some(closed) = &state.closed {
        assert!(state.open_tasks.is_empty(), "a closed case has open tasks");
        assert!(state.timers.is_empty(), "a closed case has pending timers");
        if closed.how == Closure::Completed {
            let sink = process.net.sink;
            assert!(
                state.marking.tokens(sink) > 0 && state.marking.occupied().all(|(p, _)| p == sink),
                "a completed case has tokens outside the sink"
            );
        }
        return;
    }
    let mut keys: Vec<u32> = state.open_tasks.iter().map(|t| t.key.0).collect();
    keys.extend(state.timers.iter().map(|t| t.key.0));
    let count = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), count, "a task or timer number is used twice");
    assert!(
        keys.iter().all(|&k| k < state.next_key),
        "a key at or past next_key"
    );
    if let Some(step) = &state.suspended_by {
        assert!(state.term.is_suspended(), "`{step}` holds a term that runs");
        let waiting = process.net.places.iter().any(|p| {
            matches!(&p.kind, PlaceKind::Wait { step: s, .. } if s == step)
                && state.marking.tokens(p.id) > 0
        });
        assert!(waiting, "`{step}` holds the term but waits no more");
    }
    for place in &process.net.places {
        let tokens = state.marking.tokens(place.id) as usize;
        match &place.kind {
            PlaceKind::Task { step } => {
                let open = state.open_tasks.iter().filter(|t| t.step == *step).count();
                assert_eq!(open, tokens, "task `{step}`: {open} open, {tokens} tokens");
            }
            PlaceKind::Timer { step } | PlaceKind::Wait { step, .. } => {
                let timers = state
                    .timers
                    .iter()
                    .filter(|t| t.step.as_deref() == Some(step))
                    .count();
                assert!(
                    timers <= tokens,
                    "step `{step}`: {timers} timers, {tokens} tokens"
                );
            }
            _ => {}
        }
    }
}
