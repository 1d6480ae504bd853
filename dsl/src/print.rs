//! Writes a model in the canonical text syntax.
//!
//! The canonical form is the one of `processes/omgevingsvergunning.zaak`: the header items in a
//! fixed order, then teams and roles, data, messages, statuses and results, each group after a
//! blank line, then the steps in model order with a blank line between them (one-line steps of
//! the same kind, such as a row of `end` steps, stay together). Indentation is four spaces.
//!
//! Reading the printed text gives the same model back, and printing that model gives the same
//! text. Comments are not part of the model, so [`to_text`] cannot keep them;
//! [`format_source`] carries them over from the source by position.
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
pub(crate) fn to_text(model: &ProcessModel) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_process(&mut out, model);
    out
}

/// Formats a process source: reads it and writes it back in the canonical form, keeping its
/// comments. Returns the diagnostics when the source has errors, since formatting would drop
/// what could not be read.
///
/// Comments are not part of the model, so they are carried over by position: a comment on a
/// line of its own goes before the item or step it stood before, at that item's indentation;
/// a comment at the end of a line stays at the end of that item's line. A comment after the
/// last item goes before the closing brace.
pub(crate) fn format_source(source: &str) -> Result<String, Vec<Diagnostic>> {
    let loaded = crate::text::parse(source);
    let model = match loaded.model {
        Some(model) if !loaded.has_errors() => model,
        _ => return Err(loaded.diagnostics),
    };
    let source = source.trim_start_matches('\u{feff}');
    let printed = to_text(&model);
    let reprinted = crate::text::parse(&printed);
    let clean = !reprinted.has_errors();
    let Some(printed_model) = reprinted.model.filter(|_| clean) else {
        // The printer writes only what the reader reads; if that ever fails, keep the source.
        return Ok(source.to_string());
    };
    let anchors = anchors(source, &model, &printed, &printed_model);
    Ok(place_comments(source, &printed, &anchors))
}

/// A comment found in the source: where it starts, its text, and whether code precedes it on
/// its line.
struct Comment<'a> {
    offset: usize,
    text: &'a str,
    trailing: bool,
    /// A blank line follows the comment in the source (a heading over a group, say).
    blank_after: bool,
}

/// The comments of a source, skipping `#` inside strings.
fn comments(source: &str) -> Vec<Comment<'_>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    let rest = &source[line_start + line.len()..];
                    out.push(Comment {
                        offset: line_start + i,
                        text: line[i..].trim_end(),
                        trailing: !line[..i].trim().is_empty(),
                        blank_after: rest.lines().next().is_some_and(|l| l.trim().is_empty()),
                    });
                    break;
                }
                _ => {}
            }
        }
        line_start += line.len();
    }
    out
}

/// Where each item or step stood in the source and where it stands in the printed text.
fn anchors(
    source: &str,
    old: &ProcessModel,
    printed: &str,
    new: &ProcessModel,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pair = |a: Span, b: Span| {
        if !a.is_empty() || a.start > 0 {
            out.push((a.start, b.start));
        }
    };
    pair(old.span, new.span);
    for (a, b) in old.teams.iter().zip(&new.teams) {
        pair(a.span, b.span);
    }
    for (a, b) in old.roles.iter().zip(&new.roles) {
        pair(a.span, b.span);
    }
    for (a, b) in old.data.iter().zip(&new.data) {
        pair(a.span, b.span);
    }
    for (a, b) in old.messages.iter().zip(&new.messages) {
        pair(a.span, b.span);
    }
    for (a, b) in old.statuses.iter().zip(&new.statuses) {
        pair(a.span, b.span);
    }
    for (a, b) in old.results.iter().zip(&new.results) {
        pair(a.span, b.span);
    }
    for (a, b) in old.steps.iter().zip(&new.steps) {
        pair(a.span, b.span);
        match (&a.kind, &b.kind) {
            (StepKind::Task(x), StepKind::Task(y)) => {
                for (f, g) in x.fields.iter().zip(&y.fields) {
                    pair(f.span, g.span);
                }
                for (o, p) in x.outcomes.iter().zip(&y.outcomes) {
                    pair(o.span, p.span);
                }
            }
            (StepKind::Choice(x), StepKind::Choice(y))
            | (StepKind::Inclusive(x), StepKind::Inclusive(y)) => {
                for (c, d) in x.branches.iter().zip(&y.branches) {
                    pair(c.span, d.span);
                }
            }
            _ => {}
        }
    }
    // Header items have no spans in the model; they are found by their keyword at the start of
    // a line, and each keyword appears at most once in a valid process.
    for keyword in crate::keywords::HEADER_ITEMS {
        if let (Some(a), Some(b)) = (header_line(source, keyword), header_line(printed, keyword)) {
            out.push((a, b));
        }
    }
    out.sort();
    out
}

/// The offset of the first line that starts with the header keyword `keyword`.
fn header_line(text: &str, keyword: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(keyword) {
            if rest.starts_with([' ', '\t']) {
                return Some(offset + line.len() - trimmed.len());
            }
        }
        offset += line.len();
    }
    None
}

/// The printed text with the source's comments put back next to their items.
fn place_comments(source: &str, printed: &str, anchors: &[(usize, usize)]) -> String {
    let lines: Vec<&str> = printed.split_inclusive('\n').collect();
    let line_of = |offset: usize| {
        let mut start = 0;
        for (i, l) in lines.iter().enumerate() {
            if offset < start + l.len() {
                return i;
            }
            start += l.len();
        }
        lines.len().saturating_sub(1)
    };
    let old_line_start = |offset: usize| source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut before: Vec<Vec<&Comment>> = vec![Vec::new(); lines.len() + 1];
    let mut after: Vec<Vec<&str>> = vec![Vec::new(); lines.len() + 1];
    let found = comments(source);
    for c in &found {
        if c.trailing {
            // The item that starts on the comment's line, if any, keeps the comment on its line.
            let line_start = old_line_start(c.offset);
            if let Some(&(_, new)) = anchors
                .iter()
                .rev()
                .find(|(old, _)| *old >= line_start && *old < c.offset)
            {
                after[line_of(new)].push(c.text);
                continue;
            }
        }
        match anchors.iter().find(|(old, _)| *old > c.offset) {
            Some(&(_, new)) => before[line_of(new)].push(c),
            // After the last item: before the process's closing brace.
            None => before[lines.len().saturating_sub(1)].push(c),
        }
    }
    let mut out = String::with_capacity(printed.len() + source.len() / 4);
    for (i, line) in lines.iter().enumerate() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let indent = if line.trim_start().starts_with('}') && i + 1 == lines.len() {
            INDENT
        } else {
            indent
        };
        for c in &before[i] {
            out.push_str(indent);
            out.push_str(c.text);
            out.push('\n');
            if c.blank_after {
                out.push('\n');
            }
        }
        if after[i].is_empty() {
            out.push_str(line);
        } else {
            out.push_str(line.trim_end_matches('\n'));
            for c in &after[i] {
                out.push(' ');
                out.push_str(c);
            }
            out.push('\n');
        }
    }
    out
}

/// A string literal: quotes, backslashes and line breaks escaped.
pub(crate) fn quote(s: &str) -> String {
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
