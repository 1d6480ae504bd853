//! Writes a model in the canonical text syntax.
//!
//! The canonical form is the one of `processes/omgevingsvergunning.zaak`: the header items in a
//! fixed order, then teams and roles, data, messages, statuses and results, each group after a
//! blank line, then the steps in model order with a blank line between them (one-line steps of
//! the same kind, such as a row of `end` steps, stay together). Indentation is four spaces.
//!
//! Reading the printed text gives the same model back, and printing that model gives the same
//! text. Comments are not part of the model, so [`to_text`] cannot keep them;
//! [`format_source`] keeps the comment block before the `process` line, other comments are lost.
//!
//! Names and expressions are written as they are: a model built in code with a name that is not
//! an identifier, or an expression that is empty, has a line break, or has `->` or `#` outside a
//! string, does not read back. A `parallel` step needs at least one branch, and a `join all` has
//! no split. A `wait` step's `suspend` without a reason is `Some("")`.

use crate::model::*;
use crate::Diagnostic;
use std::fmt::Write as _;

const INDENT: &str = "    ";

/// The model in the canonical text syntax.
pub fn to_text(model: &ProcessModel) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_process(&mut out, model);
    out
}

/// Formats a process source: reads it and writes it back in the canonical form, keeping the
/// comment block before the `process` line. Returns the diagnostics when the source has errors,
/// since formatting would drop what could not be read.
pub fn format_source(source: &str) -> Result<String, Vec<Diagnostic>> {
    let loaded = crate::text::parse(source);
    let model = match loaded.model {
        Some(model) if !loaded.has_errors() => model,
        _ => return Err(loaded.diagnostics),
    };
    let prefix = source
        .get(..model.span.start)
        .unwrap_or("")
        .trim_start_matches('\u{feff}');
    let lines: Vec<&str> = prefix.lines().map(str::trim).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let mut out = String::new();
    if let (Some(first), Some(last)) = (first, last) {
        for line in &lines[first..=last] {
            out.push_str(line);
            out.push('\n');
        }
        if last + 1 < lines.len() {
            out.push('\n');
        }
    }
    out.push_str(&to_text(&model));
    Ok(out)
}

/// A string literal: quotes, backslashes and line breaks escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn label(out: &mut String, label: &Option<String>) {
    if let Some(l) = label {
        out.push(' ');
        out.push_str(&quote(l));
    }
}

fn write_process(out: &mut String, m: &ProcessModel) -> std::fmt::Result {
    writeln!(out, "process {} version {} {{", m.process, m.version)?;
    writeln!(out, "{INDENT}title {}", quote(&m.title))?;
    if let Some(d) = &m.description {
        writeln!(out, "{INDENT}description {}", quote(d))?;
    }
    if let Some(l) = &m.legal_basis {
        writeln!(out, "{INDENT}legal_basis {}", quote(l))?;
    }
    if let Some(i) = &m.initiator_action {
        writeln!(out, "{INDENT}initiator {i}")?;
    }
    if let Some(t) = &m.term {
        let counting = match t.counting {
            TermCounting::Calendar => "calendar",
            TermCounting::WorkingDays => "working_days",
        };
        writeln!(out, "{INDENT}term {} {counting}", t.duration)?;
    }
    if let Some(d) = &m.service_norm {
        writeln!(out, "{INDENT}service_norm {d}")?;
    }
    if m.suspension_allowed {
        writeln!(out, "{INDENT}suspension allowed")?;
    }
    if let Some(d) = &m.extension {
        writeln!(out, "{INDENT}extension {d}")?;
    }
    if m.confidentiality != Confidentiality::default() {
        writeln!(
            out,
            "{INDENT}confidentiality {}",
            m.confidentiality.as_str()
        )?;
    }
    match &m.on_deadline {
        DeadlineEffect::Warning => {}
        DeadlineEffect::VanRechtswege { result } => {
            writeln!(out, "{INDENT}on_deadline van_rechtswege {result}")?
        }
        DeadlineEffect::Dwangsom => writeln!(out, "{INDENT}on_deadline dwangsom")?,
    }
    writeln!(out, "{INDENT}start {}", m.start)?;

    let mut group = String::new();
    for t in &m.teams {
        write!(group, "{INDENT}team {}", t.name)?;
        label(&mut group, &t.label);
        group.push('\n');
    }
    for r in &m.roles {
        write!(group, "{INDENT}role {}", r.name)?;
        label(&mut group, &r.label);
        group.push('\n');
    }
    flush_group(out, &mut group);
    for d in &m.data {
        write!(group, "{INDENT}data ")?;
        field(&mut group, d)?;
    }
    flush_group(out, &mut group);
    for msg in &m.messages {
        write!(group, "{INDENT}message {}", msg.name)?;
        label(&mut group, &msg.label);
        group.push('\n');
    }
    flush_group(out, &mut group);
    for s in &m.statuses {
        write!(
            group,
            "{INDENT}status {} {}",
            s.name,
            quote(&s.citizen_text)
        )?;
        if s.notify {
            group.push_str(" notify");
        }
        group.push('\n');
    }
    flush_group(out, &mut group);
    for r in &m.results {
        write!(group, "{INDENT}result {}", r.name)?;
        label(&mut group, &r.label);
        group.push_str(match r.archive {
            ArchiveNomination::Keep => " keep",
            ArchiveNomination::Destroy => " destroy",
        });
        if let Some(d) = &r.retention {
            write!(group, " after {d}")?;
        }
        group.push('\n');
    }
    flush_group(out, &mut group);

    let mut previous: Option<&Step> = None;
    for s in &m.steps {
        let together = previous.is_some_and(|p| {
            p.kind_word() == s.kind_word() && is_one_line(&p.kind) && is_one_line(&s.kind)
        });
        if !together {
            out.push('\n');
        }
        step(out, s)?;
        previous = Some(s);
    }
    out.push_str("}\n");
    Ok(())
}

/// Writes a group of lines after a blank line, when it has any.
fn flush_group(out: &mut String, group: &mut String) {
    if !group.is_empty() {
        out.push('\n');
        out.push_str(group);
        group.clear();
    }
}

fn is_one_line(kind: &StepKind) -> bool {
    !matches!(
        kind,
        StepKind::Task(_)
            | StepKind::Auto(_)
            | StepKind::Choice(_)
            | StepKind::Inclusive(_)
            | StepKind::Wait(_)
    )
}

/// `NAME: TYPE required citizen "label"` and a line break.
fn field(out: &mut String, d: &DataField) -> std::fmt::Result {
    write!(out, "{}: ", d.name)?;
    match &d.ty {
        DataType::Choice(values) => {
            out.push_str("choice [");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(v));
            }
            out.push(']');
        }
        other => write!(out, "{other}")?,
    }
    if d.required {
        out.push_str(" required");
    }
    if d.citizen {
        out.push_str(" citizen");
    }
    label(out, &d.label);
    out.push('\n');
    Ok(())
}

fn step(out: &mut String, s: &Step) -> std::fmt::Result {
    write!(out, "{INDENT}{} {}", s.kind_word(), s.name)?;
    label(out, &s.label);
    let body = |out: &mut String, lines: &[String]| {
        out.push_str(" {\n");
        for l in lines {
            out.push_str(INDENT);
            out.push_str(INDENT);
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(INDENT);
        out.push_str("}\n");
    };
    match &s.kind {
        StepKind::Task(t) => {
            let mut lines = vec![format!("team {}", t.team)];
            if let Some(r) = &t.role {
                lines.push(format!("role {r}"));
            }
            if let Some(d) = &t.due {
                lines.push(format!("due {d}"));
            }
            if t.priority != 0 {
                lines.push(format!("priority {}", t.priority));
            }
            if let Some(st) = &t.status_on_start {
                lines.push(format!("on_start status {st}"));
            }
            if let Some(st) = &t.status_on_end {
                lines.push(format!("on_end status {st}"));
            }
            for f in &t.fields {
                let mut line = String::from("field ");
                field(&mut line, f)?;
                line.pop();
                lines.push(line);
            }
            for o in &t.outcomes {
                let mut line = format!("outcome {}", o.name);
                label(&mut line, &o.label);
                if let Some(then) = &o.then {
                    write!(line, " -> {then}")?;
                }
                lines.push(line);
            }
            if let Some(then) = &t.then {
                lines.push(format!("then {then}"));
            }
            body(out, &lines);
        }
        StepKind::Auto(a) => {
            let mut lines: Vec<String> = a
                .actions
                .iter()
                .map(|action| match action {
                    Action::Set { field, value } => format!("set {field} = {}", value.source),
                    Action::Status(n) => format!("status {n}"),
                    Action::Result(n) => format!("result {n}"),
                    Action::Letter(n) => format!("letter {n}"),
                    Action::Notify(n) => format!("notify {n}"),
                })
                .collect();
            lines.push(format!("then {}", a.then));
            body(out, &lines);
        }
        StepKind::Choice(c) | StepKind::Inclusive(c) => {
            let mut lines: Vec<String> = c
                .branches
                .iter()
                .map(|b| format!("when {} -> {}", b.when.source, b.then))
                .collect();
            if let Some(o) = &c.otherwise {
                lines.push(format!("otherwise -> {o}"));
            }
            body(out, &lines);
        }
        StepKind::Parallel(p) => {
            let branches: Vec<&str> = p.branches.iter().map(Name::as_str).collect();
            writeln!(out, " -> {}", branches.join(", "))?;
        }
        StepKind::Join(j) => match (&j.mode, &j.split) {
            (JoinMode::All, _) => writeln!(out, " all -> {}", j.then)?,
            (JoinMode::Some, Some(split)) => writeln!(out, " some of {split} -> {}", j.then)?,
            (JoinMode::Some, None) => writeln!(out, " some -> {}", j.then)?,
        },
        StepKind::Wait(w) => {
            write!(out, " for {}", w.message)?;
            let mut lines = Vec::new();
            match w.suspend.as_deref() {
                Some("") => lines.push("suspend".to_string()),
                Some(reason) => lines.push(format!("suspend {}", quote(reason))),
                None => {}
            }
            if let Some(t) = &w.timeout {
                lines.push(format!("timeout {} -> {}", t.after, t.then));
            }
            lines.push(format!("then {}", w.then));
            body(out, &lines);
        }
        StepKind::Timer(t) => match &t.wait {
            TimerWait::After(d) => writeln!(out, " after {d} -> {}", t.then)?,
            TimerWait::Until(f) => writeln!(out, " until {f} -> {}", t.then)?,
        },
        StepKind::Subcase(sc) => {
            write!(out, " process {}", sc.process)?;
            if !sc.pass.is_empty() {
                let pass: Vec<&str> = sc.pass.iter().map(Name::as_str).collect();
                write!(out, " pass [{}]", pass.join(", "))?;
            }
            if sc.wait {
                out.push_str(" wait");
            }
            writeln!(out, " -> {}", sc.then)?;
        }
        StepKind::End(e) => {
            if let Some(r) = &e.result {
                write!(out, " result {r}")?;
            }
            if let Some(st) = &e.status {
                write!(out, " status {st}")?;
            }
            out.push('\n');
        }
    }
    Ok(())
}
