//! The YAML syntax: the serde form of [`ProcessModel`].
//!
//! Enums are written as single-key maps (`type: {choice: [ja, nee]}`, `- status: ontvangen`,
//! `on_deadline: {van_rechtswege: {result: verleend}}`) rather than YAML tags, and a step is a
//! map with `name`, an optional `label` and one key naming its kind (`task:`, `auto:`, ...).
//!
//! A document is read twice. `saphyr-parser` reads it into a tree whose nodes know their place
//! in the source ([`tree`]); the tree is checked against the keys a process may have
//! ([`schema`]), which reports every problem at its own place and in the language's words.
//! serde_yaml then reads the model, as the design names it, and the tree gives the model its
//! spans ([`spans`]), so validation points into a YAML file as exactly as into a text one,
//! whatever the style: flow (`{team: x}`), anchors and aliases, or text over several lines.

mod schema;
mod spans;
mod tree;

use crate::diag::Diagnostic;
use crate::model::{ProcessModel, Span};
use crate::{Code, Loaded};

/// Reads a process from YAML. Never panics, whatever the input.
pub(crate) fn parse(source: &str) -> Loaded {
    let root = match tree::read(source) {
        Ok(root) => root,
        Err(e) => {
            return Loaded {
                model: None,
                diagnostics: vec![not_yaml(source, e.at, &e.message)],
            }
        }
    };
    let mut diagnostics = schema::check(&root);
    let de = serde_yaml::Deserializer::from_str(source);
    match serde_yaml::with::singleton_map_recursive::deserialize::<ProcessModel, _>(de) {
        Ok(mut model) => {
            spans::fill(&mut model, &root, source);
            if let Some(term) = &model.term {
                let at = root
                    .get("term")
                    .and_then(|t| t.get("duration"))
                    .map_or(model.span, |d| d.span);
                diagnostics.extend(crate::model::check_term(term, at));
            }
            Loaded {
                model: Some(model),
                diagnostics,
            }
        }
        Err(e) => {
            // The schema check has said what is wrong, where and in the language's words;
            // serde's report is needed only when it found nothing.
            if !diagnostics.iter().any(Diagnostic::is_error) {
                diagnostics.push(not_a_process(source, &e));
            }
            Loaded {
                model: None,
                diagnostics,
            }
        }
    }
}

/// Writes a process as YAML, in the form [`parse`] reads.
pub(crate) fn print(model: &ProcessModel) -> String {
    let mut out = Vec::new();
    let mut ser = serde_yaml::Serializer::new(&mut out);
    match serde_yaml::with::singleton_map_recursive::serialize(model, &mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        // Every part of the model is a string, number, bool, list or map, so serde_yaml
        // accepts it; this arm exists so that a future field cannot make printing panic.
        Err(e) => format!("# this process could not be written as YAML: {e}\n"),
    }
}

pub(super) const BANG_HELP: &str =
    "a value that starts with `!` is a YAML tag; put the expression in quotes: `when: \"!spoed\"`";

/// The source is not YAML at all: what the parser says, at the token where it stopped.
fn not_yaml(source: &str, at: usize, message: &str) -> Diagnostic {
    let at = at.min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = source[at..].find('\n').map_or(source.len(), |n| at + n);
    let help = if starts_with_bang(&source[line_start..line_end]) {
        BANG_HELP
    } else {
        "check the indentation and the quotes around this line"
    };
    Diagnostic::new(
        Code::YamlSyntax,
        token_at(source, at),
        format!("this is not valid YAML: {message}"),
    )
    .with_label("here")
    .with_help(help)
}

/// Whether a line's value starts with `!`, which YAML reads as a tag.
fn starts_with_bang(line: &str) -> bool {
    line.split_once(": ")
        .is_some_and(|(_, value)| value.trim_start().starts_with('!'))
}

/// The word at `at`, up to white space, `:` or `,`.
fn token_at(source: &str, at: usize) -> Span {
    let rest = source.get(at..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .unwrap_or(rest.len());
    Span::new(at, at + len)
}

/// serde's report of a problem the schema check did not catch, in plain words: without its
/// place (the diagnostic shows it) and with the Rust names of types replaced.
fn not_a_process(source: &str, e: &serde_yaml::Error) -> Diagnostic {
    let span = e
        .location()
        .map(|l| token_at(source, l.index()))
        .unwrap_or_default();
    let mut message = e.to_string();
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    // serde puts the path of the value in front: `steps[1].task: ...`.
    if let Some((path, rest)) = message.split_once(": ") {
        if !path.contains(' ') {
            message = rest.to_string();
        }
    }
    let message = plain_words(&message);
    let mut d = Diagnostic::new(
        Code::NotAProcess,
        span,
        format!("this YAML is not a process: {message}"),
    )
    .with_label("here");
    if message.contains("invalid type: enum") || message.contains("a tag") {
        d = d.with_help(BANG_HELP);
    } else {
        d = d.with_help("the YAML form mirrors the process model; see docs/language.md");
    }
    d
}

/// serde's names of Rust types, as the language calls what they hold.
fn plain_words(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("struct ProcessModel", "a process"),
        ("struct LegalTerm", "a term"),
        ("struct Team", "a team"),
        ("struct Role", "a role"),
        ("struct DataField", "a data field"),
        ("struct MessageDef", "a message"),
        ("struct StatusDef", "a status"),
        ("struct ResultDef", "a result"),
        ("struct Step", "a step"),
        ("struct TaskStep", "a task"),
        ("struct Outcome", "an outcome"),
        ("struct AutoStep", "an auto step"),
        ("struct ChoiceStep", "a choice"),
        ("struct Branch", "a branch"),
        ("struct ParallelStep", "a parallel step"),
        ("struct JoinStep", "a join"),
        ("struct WaitStep", "a wait step"),
        ("struct Timeout", "a timeout"),
        ("struct TimerStep", "a timer"),
        ("struct SubcaseStep", "a subcase"),
        ("struct EndStep", "an end step"),
        ("enum StepKind", "a kind of step"),
        ("enum Action", "an action"),
        ("enum DataType", "a type"),
        ("enum DeadlineEffect", "what happens at the deadline"),
        ("enum TimerWait", "`after` or `until`"),
        ("variant identifier", "word"),
        ("field identifier", "key"),
        ("unknown field", "unknown key"),
        ("missing field", "missing key"),
        ("unknown variant", "unknown word"),
        ("a string", "text"),
        ("string ", "text "),
        ("u32", "a whole number"),
        ("i32", "a whole number"),
        ("a boolean", "true or false"),
        ("unit value", "nothing"),
    ];
    let mut out = message.to_string();
    for (rust, words) in WORDS {
        out = out.replace(rust, words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn serde_messages_lose_their_rust_names() {
        assert_eq!(
            plain_words("invalid type: string \"klaar\", expected struct EndStep"),
            "invalid type: text \"klaar\", expected an end step"
        );
    }
}
