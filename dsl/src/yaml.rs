//! The YAML syntax: the serde form of [`ProcessModel`].
//!
//! Enums are written as single-key maps (`type: {choice: [ja, nee]}`, `- status: ontvangen`,
//! `on_deadline: {van_rechtswege: {result: verleend}}`) rather than YAML tags, and a step is a
//! map with `name`, an optional `label` and one key naming its kind (`task:`, `auto:`, ...).
//!
//! serde_yaml gives no spans, so after deserializing we locate every name, step and
//! expression in the source with a small line-based locator ([`Locator`]). That lets
//! validation point at the right line of a YAML file, just as it does for the text syntax.
//! A step's kind is flattened into the step, where serde cannot reject unknown keys; a
//! pre-pass over the YAML tree reports them instead.

use crate::diag::Diagnostic;
use crate::model::{
    Action, DataField, DeadlineEffect, Expr, Name, ProcessModel, Span, Step, StepKind, TimerWait,
};
use crate::validate::did_you_mean;
use crate::Code;
use crate::Loaded;
use std::ops::Range;

/// Reads a process from YAML. Never panics, whatever the input.
pub fn parse(source: &str) -> Loaded {
    let tree: serde_yaml::Value = match serde_yaml::from_str(source) {
        Ok(v) => v,
        Err(e) => {
            let span = error_span(source, &e);
            let line = e
                .location()
                .and_then(|l| source.lines().nth(l.line().saturating_sub(1)))
                .unwrap_or("");
            let help = if starts_with_bang(line) {
                BANG_HELP
            } else {
                "check the indentation and the quotes around this line"
            };
            let d = Diagnostic::new(
                Code::YamlSyntax,
                span,
                format!("this is not valid YAML: {}", strip_location(&e.to_string())),
            )
            .with_label("here")
            .with_help(help);
            return Loaded {
                model: None,
                diagnostics: vec![d],
            };
        }
    };
    let locator = Locator::new(source);
    let mut diagnostics = unknown_keys(&tree, &locator);

    let de = serde_yaml::Deserializer::from_str(source);
    match serde_yaml::with::singleton_map_recursive::deserialize::<ProcessModel, _>(de) {
        Ok(mut model) => {
            locator.fill(&mut model);
            Loaded {
                model: Some(model),
                diagnostics,
            }
        }
        Err(e) => {
            let d = not_a_process(source, &e);
            // serde stops at the first unknown key, which the pre-pass has already reported.
            let unknown = e.to_string();
            let key = unknown
                .split_once("unknown field `")
                .and_then(|(_, rest)| rest.split('`').next())
                .map(|k| format!("unknown key `{k}`"));
            let reported =
                key.is_some_and(|k| diagnostics.iter().any(|u| u.message.starts_with(&k)));
            if !reported {
                diagnostics.push(d);
            }
            Loaded {
                model: None,
                diagnostics,
            }
        }
    }
}

/// Writes a process as YAML, in the form [`parse`] reads.
pub fn print(model: &ProcessModel) -> String {
    let mut out = Vec::new();
    let mut ser = serde_yaml::Serializer::new(&mut out);
    match serde_yaml::with::singleton_map_recursive::serialize(model, &mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        // Every part of the model is a string, number, bool, list or map, so serde_yaml
        // accepts it; this arm exists so that a future field cannot make printing panic.
        Err(e) => format!("# this process could not be written as YAML: {e}\n"),
    }
}

const BANG_HELP: &str =
    "a value that starts with `!` is a YAML tag; put the expression in quotes: `when: \"!spoed\"`";

/// Whether a line's value starts with `!`, which YAML reads as a tag.
fn starts_with_bang(line: &str) -> bool {
    line.split_once(": ")
        .is_some_and(|(_, value)| value.trim_start().starts_with('!'))
}

/// serde_yaml puts " at line L column C" at the end of its messages; we show the place
/// ourselves.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The span of the token at which serde_yaml stopped.
fn error_span(source: &str, e: &serde_yaml::Error) -> Span {
    let Some(loc) = e.location() else {
        return Span::new(0, 0);
    };
    let start = loc.index().min(source.len());
    let end = source
        .get(start..)
        .map(|rest| {
            rest.find(|c: char| c.is_whitespace() || c == ':' || c == ',')
                .unwrap_or(rest.len())
        })
        .map(|n| start + n)
        .unwrap_or(start);
    Span::new(start, end)
}

/// Turns a serde error into a diagnostic, with a "did you mean" for unknown keys and values.
fn not_a_process(source: &str, e: &serde_yaml::Error) -> Diagnostic {
    let message = strip_location(&e.to_string());
    let mut d = Diagnostic::new(
        Code::NotAProcess,
        error_span(source, e),
        format!("this YAML is not a process: {message}"),
    )
    .with_label("here");
    // serde says "unknown field `tem`, expected one of `team`, `role`, ..." (or "unknown
    // variant"); the backticked words give the typo and the candidates.
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.contains("unknown field") {
        // Inside a step serde reports the step's first line; the key itself is further down.
        if let Some(key) = ticked.first() {
            if let Some(span) = key_after(source, d.span.start, key) {
                d.span = span;
            }
        }
    }
    if message.contains("unknown field") || message.contains("unknown variant") {
        if let Some((typo, rest)) = ticked.split_first() {
            if let Some(s) = did_you_mean(typo, rest.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
        }
    } else if message.contains("invalid type: enum") {
        d = d.with_help(BANG_HELP);
    } else if message.contains("missing field") {
        if let Some(field) = ticked.first() {
            d = d.with_help(format!("add `{field}:` here"));
        }
    }
    d
}

/// The first `key:` at or after `from`, as a mapping key at the start of a line.
fn key_after(source: &str, from: usize, key: &str) -> Option<Span> {
    let line_start = source.get(..from)?.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mut at = line_start;
    for line in source.get(line_start..)?.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '-']);
        let col = line.len() - body.len();
        if body
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'))
        {
            return Some(Span::new(at + col, at + col + key.len()));
        }
        at += line.len();
    }
    None
}

/// The keys a YAML map may have, and what each key holds.
struct Keys {
    /// What the map is, for messages: "step", "task", "outcome"...
    what: &'static str,
    keys: &'static [(&'static str, Holds)],
}

/// What a key's value is, for the purpose of checking keys below it.
enum Holds {
    /// A scalar, or something whose keys serde checks well enough (a data type).
    Value,
    /// A map with these keys.
    Map(&'static Keys),
    /// A list of maps with these keys.
    List(&'static Keys),
}

use Holds::{List, Map, Value};

const PROCESS: Keys = Keys {
    what: "process",
    keys: &[
        ("process", Value),
        ("version", Value),
        ("title", Value),
        ("description", Value),
        ("legal_basis", Value),
        ("initiator_action", Value),
        ("term", Map(&TERM)),
        ("service_norm", Value),
        ("suspension_allowed", Value),
        ("extension", Value),
        ("confidentiality", Value),
        ("on_deadline", Map(&ON_DEADLINE)),
        ("teams", List(&TEAM)),
        ("roles", List(&ROLE)),
        ("data", List(&FIELD)),
        ("messages", List(&MESSAGE)),
        ("statuses", List(&STATUS)),
        ("results", List(&RESULT)),
        ("start", Value),
        ("steps", List(&STEP)),
    ],
};
const TERM: Keys = Keys {
    what: "term",
    keys: &[("duration", Value), ("counting", Value)],
};
const ON_DEADLINE: Keys = Keys {
    what: "on_deadline",
    keys: &[
        ("warning", Value),
        ("van_rechtswege", Map(&VAN_RECHTSWEGE)),
        ("dwangsom", Value),
    ],
};
const VAN_RECHTSWEGE: Keys = Keys {
    what: "van_rechtswege",
    keys: &[("result", Value)],
};
const TEAM: Keys = Keys {
    what: "team",
    keys: &[("name", Value), ("label", Value)],
};
const ROLE: Keys = Keys {
    what: "role",
    keys: &[("name", Value), ("label", Value)],
};
const MESSAGE: Keys = Keys {
    what: "message",
    keys: &[("name", Value), ("label", Value)],
};
const FIELD: Keys = Keys {
    what: "data field",
    keys: &[
        ("name", Value),
        ("type", Value),
        ("label", Value),
        ("required", Value),
        ("citizen", Value),
    ],
};
const STATUS: Keys = Keys {
    what: "status",
    keys: &[("name", Value), ("citizen_text", Value), ("notify", Value)],
};
const RESULT: Keys = Keys {
    what: "result",
    keys: &[
        ("name", Value),
        ("label", Value),
        ("archive", Value),
        ("retention", Value),
    ],
};
const STEP: Keys = Keys {
    what: "step",
    keys: &[
        ("name", Value),
        ("label", Value),
        ("task", Map(&TASK)),
        ("auto", Map(&AUTO)),
        ("choice", Map(&CHOICE)),
        ("parallel", Map(&PARALLEL)),
        ("inclusive", Map(&CHOICE)),
        ("join", Map(&JOIN)),
        ("wait", Map(&WAIT)),
        ("timer", Map(&TIMER)),
        ("subcase", Map(&SUBCASE)),
        ("end", Map(&END)),
    ],
};
const TASK: Keys = Keys {
    what: "task",
    keys: &[
        ("team", Value),
        ("role", Value),
        ("due", Value),
        ("priority", Value),
        ("outcomes", List(&OUTCOME)),
        ("fields", List(&FIELD)),
        ("status_on_start", Value),
        ("status_on_end", Value),
        ("then", Value),
    ],
};
const OUTCOME: Keys = Keys {
    what: "outcome",
    keys: &[("name", Value), ("label", Value), ("then", Value)],
};
const AUTO: Keys = Keys {
    what: "auto step",
    keys: &[("actions", List(&ACTION)), ("then", Value)],
};
const ACTION: Keys = Keys {
    what: "action",
    keys: &[
        ("set", Map(&SET)),
        ("status", Value),
        ("result", Value),
        ("letter", Value),
        ("notify", Value),
    ],
};
const SET: Keys = Keys {
    what: "set",
    keys: &[("field", Value), ("value", Value)],
};
const CHOICE: Keys = Keys {
    what: "choice",
    keys: &[("branches", List(&BRANCH)), ("otherwise", Value)],
};
const BRANCH: Keys = Keys {
    what: "branch",
    keys: &[("when", Value), ("then", Value)],
};
const PARALLEL: Keys = Keys {
    what: "parallel step",
    keys: &[("branches", Value)],
};
const JOIN: Keys = Keys {
    what: "join",
    keys: &[("mode", Value), ("split", Value), ("then", Value)],
};
const WAIT: Keys = Keys {
    what: "wait",
    keys: &[
        ("message", Value),
        ("suspend", Value),
        ("timeout", Map(&TIMEOUT)),
        ("then", Value),
    ],
};
const TIMEOUT: Keys = Keys {
    what: "timeout",
    keys: &[("after", Value), ("then", Value)],
};
const TIMER: Keys = Keys {
    what: "timer",
    keys: &[("after", Value), ("until", Value), ("then", Value)],
};
const SUBCASE: Keys = Keys {
    what: "subcase",
    keys: &[
        ("process", Value),
        ("pass", Value),
        ("wait", Value),
        ("then", Value),
    ],
};
const END: Keys = Keys {
    what: "end step",
    keys: &[("result", Value), ("status", Value)],
};

/// Reports every key the process model does not know, wherever it is, with its location.
/// serde would stop at the first one, and inside a step (which it reads through `flatten`) it
/// would ignore it or report it at the step's first line.
fn unknown_keys(tree: &serde_yaml::Value, locator: &Locator<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_keys(
        tree,
        &PROCESS,
        Some(locator.document()),
        0,
        "the process",
        locator,
        &mut out,
    );
    out
}

fn check_keys(
    value: &serde_yaml::Value,
    schema: &Keys,
    region: Option<Range<usize>>,
    anchor: usize,
    context: &str,
    locator: &Locator<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(map) = value.as_mapping() else {
        return;
    };
    let anchor = region
        .clone()
        .and_then(|r| locator.lines.get(r.start).map(|l| l.start))
        .unwrap_or(anchor);
    for (key, child) in map {
        let Some(key) = key.as_str() else { continue };
        let known = schema.keys.iter().find(|(k, _)| *k == key);
        let Some((_, holds)) = known else {
            let span = region
                .clone()
                .and_then(|r| locator.key_span(r, key))
                .or_else(|| key_after(locator.text, anchor, key))
                .unwrap_or_else(|| Span::new(anchor, anchor));
            let names = schema.keys.iter().map(|(k, _)| *k);
            let help = match did_you_mean(key, names.clone()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "a {} takes {}",
                    schema.what,
                    names.collect::<Vec<_>>().join(", ")
                ),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownKey,
                    span,
                    format!("unknown key `{key}` in {context}"),
                )
                .with_label("unknown key")
                .with_help(help),
            );
            continue;
        };
        let inner = region.clone().and_then(|r| locator.child(r, key));
        match holds {
            Value => {}
            Map(keys) => {
                let context = match schema.what {
                    "process" => format!("`{key}`"),
                    _ => format!("the {} of {context}", keys.what),
                };
                check_keys(child, keys, inner, anchor, &context, locator, out);
            }
            List(keys) => {
                let items = inner.map(|r| locator.items(r)).unwrap_or_default();
                for (i, item) in child.as_sequence().into_iter().flatten().enumerate() {
                    let name = item.get("name").and_then(|n| n.as_str());
                    let here = match name {
                        Some(n) => format!("{} `{n}`", keys.what),
                        None => format!("{} {}", keys.what, i + 1),
                    };
                    let context = match schema.what {
                        "process" => format!("the {here}"),
                        _ => format!("the {here} of {context}"),
                    };
                    check_keys(
                        item,
                        keys,
                        items.get(i).cloned(),
                        anchor,
                        &context,
                        locator,
                        out,
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Locating names, steps and expressions in the YAML source.

/// One line of the source, as the locator sees it.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// Leading spaces.
    indent: usize,
    /// Column where a mapping key on this line starts, after any `- ` item markers.
    key_col: usize,
    /// Whether the line starts a sequence item (`- `).
    dash: bool,
    /// Blank or only a comment.
    blank: bool,
}

/// A line-based locator for block-style YAML: finds keys, their values and sequence items by
/// indentation. Regions are ranges of line indices. Flow-style YAML (`{team: x}`) is located by
/// searching for the name within the enclosing region instead.
pub(crate) struct Locator<'a> {
    text: &'a str,
    lines: Vec<Line>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Locator<'a> {
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let end = start + raw.trim_end_matches(['\n', '\r']).len();
            let line = &text[start..end];
            let indent = line.len() - line.trim_start_matches(' ').len();
            let mut rest = &line[indent..];
            let blank = rest.is_empty() || rest.starts_with('#');
            let mut key_col = indent;
            let mut dash = false;
            while let Some(after) = rest.strip_prefix('-') {
                if !(after.is_empty() || after.starts_with(' ')) {
                    break;
                }
                dash = true;
                let trimmed = after.trim_start_matches(' ');
                key_col += 1 + after.len() - trimmed.len();
                rest = trimmed;
            }
            lines.push(Line {
                start,
                end,
                indent,
                key_col,
                dash,
                blank,
            });
            start += raw.len();
        }
        Locator { text, lines }
    }

    fn document(&self) -> Range<usize> {
        0..self.lines.len()
    }

    fn line_text(&self, i: usize) -> &'a str {
        self.lines
            .get(i)
            .and_then(|l| self.text.get(l.start..l.end))
            .unwrap_or("")
    }

    fn first_content(&self, region: Range<usize>) -> Option<usize> {
        region
            .into_iter()
            .find(|&i| self.lines.get(i).is_some_and(|l| !l.blank))
    }

    /// The line in `region` where the mapping at the region's own level has `key`.
    fn key_line(&self, region: Range<usize>, key: &str) -> Option<usize> {
        let base = self.lines.get(self.first_content(region.clone())?)?.key_col;
        region.into_iter().find(|&i| {
            let Some(l) = self.lines.get(i) else {
                return false;
            };
            if l.blank || l.key_col != base {
                return false;
            }
            let rest = self
                .text
                .get(l.start + l.key_col..l.end)
                .unwrap_or("")
                .strip_prefix(key);
            rest.is_some_and(|r| r.trim_start_matches(' ').starts_with(':'))
        })
    }

    fn key_span(&self, region: Range<usize>, key: &str) -> Option<Span> {
        let l = self.lines.get(self.key_line(region, key)?)?;
        Some(Span::new(
            l.start + l.key_col,
            l.start + l.key_col + key.len(),
        ))
    }

    /// The lines nested under `key` (not including the key's own line).
    fn child(&self, region: Range<usize>, key: &str) -> Option<Range<usize>> {
        let i = self.key_line(region.clone(), key)?;
        let col = self.lines.get(i)?.key_col;
        let mut end = i + 1;
        while end < region.end {
            let Some(l) = self.lines.get(end) else { break };
            if !(l.blank || l.indent > col || (l.indent == col && l.dash)) {
                break;
            }
            end += 1;
        }
        Some(i + 1..end)
    }

    /// The lines of `key`, its own line included: where to search for flow-style values.
    fn scope(&self, region: Range<usize>, key: &str) -> Option<Range<usize>> {
        let i = self.key_line(region.clone(), key)?;
        let child = self.child(region, key)?;
        Some(i..child.end)
    }

    /// The items of the block sequence in `region`, each a range of lines.
    fn items(&self, region: Range<usize>) -> Vec<Range<usize>> {
        let Some(first) = self.first_content(region.clone()) else {
            return Vec::new();
        };
        let Some(indent) = self.lines.get(first).filter(|l| l.dash).map(|l| l.indent) else {
            return Vec::new();
        };
        let starts: Vec<usize> = region
            .clone()
            .filter(|&i| {
                self.lines
                    .get(i)
                    .is_some_and(|l| !l.blank && l.dash && l.indent == indent)
            })
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| s..starts.get(n + 1).copied().unwrap_or(region.end))
            .collect()
    }

    /// The span of the first line of a region, without trailing spaces.
    fn first_line_span(&self, region: Range<usize>) -> Span {
        match self.first_content(region).and_then(|i| self.lines.get(i)) {
            Some(l) => {
                let text = self.text.get(l.start..l.end).unwrap_or("").trim_end();
                Span::new(l.start + l.indent, l.start + text.len())
            }
            None => Span::default(),
        }
    }

    /// The span of the scalar value written after `key:` on its line, without quotes.
    fn value_span(&self, region: Range<usize>, key: &str) -> Option<Span> {
        let i = self.key_line(region, key)?;
        let l = self.lines.get(i)?;
        let line = self.line_text(i);
        let after_key = line.get(l.key_col..)?.find(':')? + l.key_col + 1;
        let raw = line.get(after_key..)?;
        let lead = raw.len() - raw.trim_start().len();
        let value = raw.trim_start();
        let start = l.start + after_key + lead;
        if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &value[1..];
            let close = closing_quote(inner, q).unwrap_or(inner.trim_end().len());
            return Some(Span::new(start + 1, start + 1 + close));
        }
        let value = match value.find(" #") {
            Some(n) => &value[..n],
            None => value,
        }
        .trim_end();
        if value.is_empty() {
            return None;
        }
        if value.starts_with('|') || value.starts_with('>') {
            // A block scalar: its text is on the lines below, indented deeper.
            let col = l.key_col;
            let lines: Vec<&Line> = self.lines[i + 1..]
                .iter()
                .take_while(|n| n.blank || n.indent > col)
                .filter(|n| !n.blank)
                .collect();
            let (first, last) = (lines.first()?, lines.last()?);
            return Some(Span::new(first.start + first.indent, last.end));
        }
        Some(Span::new(start, start + value.len()))
    }

    /// The first whole-word occurrence of `word` in a region.
    fn find_word(&self, region: Range<usize>, word: &str) -> Option<Span> {
        if word.is_empty() {
            return None;
        }
        let first = self.lines.get(region.start)?;
        let last = self.lines.get(region.end.checked_sub(1)?)?;
        let (from, to) = (first.start, last.end);
        let hay = self.text.get(from..to)?;
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let mut offset = 0;
        while let Some(pos) = hay.get(offset..)?.find(word) {
            let s = offset + pos;
            let e = s + word.len();
            let before = hay[..s].chars().next_back();
            let after = hay[e..].chars().next();
            if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
                return Some(Span::new(from + s, from + e));
            }
            offset = e;
        }
        None
    }

    /// Where `name`, the value of `key` in `region`, is written; `outer` is searched when the
    /// value is not on a `key:` line of its own (flow style).
    fn name_at(&self, region: Range<usize>, outer: Range<usize>, key: &str, name: &str) -> Span {
        if let Some(span) = self.value_span(region.clone(), key) {
            if self.text.get(span.start..span.end) == Some(name) {
                return span;
            }
        }
        self.find_word(outer.clone(), name)
            .unwrap_or_else(|| self.first_line_span(outer))
    }

    fn set_name(&self, name: &mut Name, region: Range<usize>, outer: Range<usize>, key: &str) {
        name.span = self.name_at(region, outer, key, &name.name.clone());
    }

    /// Spans for names written one after another in a list under `key`.
    fn set_list(&self, names: &mut [Name], region: Range<usize>, key: &str) {
        let Some(scope) = self.scope(region.clone(), key) else {
            return;
        };
        let mut from = scope.start;
        for name in names {
            let found = (from..scope.end).find_map(|i| self.find_word(i..scope.end, &name.name));
            if let Some(span) = found {
                name.span = span;
                from = self
                    .lines
                    .iter()
                    .position(|l| l.end >= span.end)
                    .unwrap_or(from);
            } else {
                name.span = self.first_line_span(scope.clone());
            }
        }
    }

    fn set_expr(&self, expr: &mut Expr, region: Range<usize>, key: &str) {
        expr.span = self
            .value_span(region.clone(), key)
            .or_else(|| self.find_text(region.clone(), &expr.source))
            .unwrap_or_else(|| self.first_line_span(region));
    }

    /// The first occurrence of `needle` in a region, e.g. an expression in flow style.
    fn find_text(&self, region: Range<usize>, needle: &str) -> Option<Span> {
        let from = self.lines.get(region.start)?.start;
        let to = self.lines.get(region.end.checked_sub(1)?)?.end;
        let pos = self.text.get(from..to)?.find(needle)?;
        Some(Span::new(from + pos, from + pos + needle.len()))
    }

    fn fields(&self, fields: &mut [DataField], region: Range<usize>, key: &str) {
        let Some(scope) = self.scope(region.clone(), key) else {
            return;
        };
        let items = self
            .child(region, key)
            .map(|r| self.items(r))
            .unwrap_or_default();
        for (i, f) in fields.iter_mut().enumerate() {
            let item = items.get(i).cloned().unwrap_or(scope.clone());
            f.span = self.first_line_span(item.clone());
            self.set_name(&mut f.name, item.clone(), item, "name");
        }
    }

    /// Fills in the spans of a model read from this source.
    fn fill(&self, m: &mut ProcessModel) {
        let doc = self.document();
        self.set_name(&mut m.process, doc.clone(), doc.clone(), "process");
        m.span = m.process.span;
        self.set_name(&mut m.start, doc.clone(), doc.clone(), "start");
        if let DeadlineEffect::VanRechtswege { result } = &mut m.on_deadline {
            let scope = self
                .scope(doc.clone(), "on_deadline")
                .unwrap_or(doc.clone());
            let inner = self
                .child(doc.clone(), "on_deadline")
                .and_then(|r| self.child(r, "van_rechtswege"))
                .unwrap_or(scope.clone());
            self.set_name(result, inner, scope, "result");
        }
        // Block-style items each get their own region; flow-style ones (`[{name: a}]`) are
        // found by name within the key's lines.
        macro_rules! named_items {
            ($list:expr, $key:literal) => {
                if let Some(scope) = self.scope(doc.clone(), $key) {
                    let items = self
                        .child(doc.clone(), $key)
                        .map(|r| self.items(r))
                        .unwrap_or_default();
                    for (i, x) in $list.iter_mut().enumerate() {
                        let item = items.get(i).cloned().unwrap_or(scope.clone());
                        x.span = self.first_line_span(item.clone());
                        self.set_name(&mut x.name, item.clone(), item, "name");
                    }
                }
            };
        }
        named_items!(m.teams, "teams");
        named_items!(m.roles, "roles");
        named_items!(m.messages, "messages");
        named_items!(m.statuses, "statuses");
        named_items!(m.results, "results");
        self.fields(&mut m.data, doc.clone(), "data");
        if let Some(region) = self.child(doc, "steps") {
            for (step, item) in m.steps.iter_mut().zip(self.items(region)) {
                self.step(step, item);
            }
        }
    }

    fn step(&self, step: &mut Step, item: Range<usize>) {
        step.span = self.first_line_span(item.clone());
        self.set_name(&mut step.name, item.clone(), item.clone(), "name");
        let word = step.kind_word();
        let k = self.child(item.clone(), word).unwrap_or(item.clone());
        let outer = self.scope(item.clone(), word).unwrap_or(item);
        let name = |n: &mut Name, key: &str| self.set_name(n, k.clone(), outer.clone(), key);
        match &mut step.kind {
            StepKind::Task(t) => {
                name(&mut t.team, "team");
                for (n, key) in [
                    (&mut t.role, "role"),
                    (&mut t.status_on_start, "status_on_start"),
                    (&mut t.status_on_end, "status_on_end"),
                    (&mut t.then, "then"),
                ] {
                    if let Some(n) = n {
                        name(n, key);
                    }
                }
                if let Some(region) = self.child(k.clone(), "outcomes") {
                    for (o, item) in t.outcomes.iter_mut().zip(self.items(region)) {
                        o.span = self.first_line_span(item.clone());
                        self.set_name(&mut o.name, item.clone(), item.clone(), "name");
                        if let Some(then) = &mut o.then {
                            self.set_name(then, item.clone(), item.clone(), "then");
                        }
                    }
                }
                self.fields(&mut t.fields, k.clone(), "fields");
            }
            StepKind::Auto(a) => {
                if let Some(region) = self.child(k.clone(), "actions") {
                    for (action, item) in a.actions.iter_mut().zip(self.items(region)) {
                        let (n, key) = match action {
                            Action::Set { field, value } => {
                                let set = self.child(item.clone(), "set").unwrap_or(item.clone());
                                self.set_expr(value, set.clone(), "value");
                                (field, "field")
                            }
                            Action::Status(n) => (n, "status"),
                            Action::Result(n) => (n, "result"),
                            Action::Letter(n) => (n, "letter"),
                            Action::Notify(n) => (n, "notify"),
                        };
                        let inner = self.child(item.clone(), "set").unwrap_or(item.clone());
                        self.set_name(n, inner, item, key);
                    }
                }
                name(&mut a.then, "then");
            }
            StepKind::Choice(c) | StepKind::Inclusive(c) => {
                let items = self
                    .child(k.clone(), "branches")
                    .map(|r| self.items(r))
                    .unwrap_or_default();
                for (i, b) in c.branches.iter_mut().enumerate() {
                    let item = items.get(i).cloned().unwrap_or(outer.clone());
                    b.span = self.first_line_span(item.clone());
                    self.set_expr(&mut b.when, item.clone(), "when");
                    self.set_name(&mut b.then, item.clone(), item, "then");
                }
                if let Some(o) = &mut c.otherwise {
                    name(o, "otherwise");
                }
            }
            StepKind::Parallel(p) => self.set_list(&mut p.branches, k.clone(), "branches"),
            StepKind::Join(j) => {
                if let Some(split) = &mut j.split {
                    name(split, "split");
                }
                name(&mut j.then, "then");
            }
            StepKind::Wait(w) => {
                name(&mut w.message, "message");
                if let Some(t) = &mut w.timeout {
                    let inner = self.child(k.clone(), "timeout").unwrap_or(k.clone());
                    let scope = self.scope(k.clone(), "timeout").unwrap_or(k.clone());
                    self.set_name(&mut t.then, inner, scope, "then");
                }
                name(&mut w.then, "then");
            }
            StepKind::Timer(t) => {
                if let TimerWait::Until(field) = &mut t.wait {
                    name(field, "until");
                }
                name(&mut t.then, "then");
            }
            StepKind::Subcase(s) => {
                name(&mut s.process, "process");
                self.set_list(&mut s.pass, k.clone(), "pass");
                name(&mut s.then, "then");
            }
            StepKind::End(e) => {
                if let Some(r) = &mut e.result {
                    name(r, "result");
                }
                if let Some(s) = &mut e.status {
                    name(s, "status");
                }
            }
        }
    }
}

/// The byte index of the quote that closes a quoted scalar, given the text after the opening.
fn closing_quote(inner: &str, q: char) -> Option<usize> {
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            // In single quotes, '' is an escaped quote.
            if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}
