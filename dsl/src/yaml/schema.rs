//! What a process in YAML may hold, key by key, and the check of a document against it.
//!
//! serde reads the model, but it stops at the first problem, speaks of Rust types ("expected
//! struct EndStep") and ignores unknown keys inside a step (which it reads through `flatten`).
//! This check walks the whole document first and reports, each at its own place and in the
//! words of the language: keys the model does not know (Z0092), values of the wrong shape or
//! kind (Z0091), required keys left out (Z0014), durations and numbers that do not read (Z0010,
//! Z0011) and unknown confidentiality levels (Z0012). serde's own message is only shown for a
//! problem this check does not know about.

use super::tree::{Node, Value};
use crate::model::{Confidentiality, Span};
use crate::suggest::{did_you_mean, unknown_word};
use crate::{Code, Diagnostic};

/// The keys of one kind of map.
pub(crate) struct Keys {
    /// What the map is, for messages: "step", "task", "outcome"...
    pub(crate) what: &'static str,
    keys: &'static [Key],
    /// Exactly one of these keys must be given: a step's kind, a timer's `after` or `until`.
    one_of: &'static [&'static str],
    /// How the map is written, for the help when a value of another shape stands in its place.
    example: &'static str,
}

struct Key {
    name: &'static str,
    holds: Holds,
    required: bool,
}

const fn key(name: &'static str, holds: Holds) -> Key {
    Key {
        name,
        holds,
        required: false,
    }
}

const fn required(name: &'static str, holds: Holds) -> Key {
    Key {
        name,
        holds,
        required: true,
    }
}

/// What a key's value is.
enum Holds {
    /// Text, such as a title or a label.
    Text,
    /// A name of a step, team, field...
    Name,
    /// A condition or value in the expression language.
    Expr,
    /// A whole number in this range; `what` names it in messages.
    Whole(&'static str, i64, i64),
    /// `true` or `false`.
    Flag,
    /// A duration such as `8 weeks`.
    Duration,
    /// One of a fixed set of words, reported with `code` when it is not.
    Word(&'static str, fn() -> Vec<&'static str>, Code),
    /// A list of names.
    Names,
    /// A list of texts.
    Texts,
    /// A map with these keys.
    Map(&'static Keys),
    /// A list of maps with these keys.
    List(&'static Keys),
    /// A word, or a map with one key that is a word, holding what the word takes: how enums
    /// are written (`on_deadline: dwangsom`, `type: {choice: [ja, nee]}`, `- status: x`).
    Variant(
        &'static str,
        &'static [(&'static str, Option<&'static Holds>)],
    ),
    /// A list of such variants: the actions of an auto step.
    Variants(
        &'static str,
        &'static [(&'static str, Option<&'static Holds>)],
    ),
}

use Holds::{Flag, List, Map, Name, Names, Text, Texts, Variant, Word};

fn confidentiality_levels() -> Vec<&'static str> {
    Confidentiality::ALL.iter().map(|c| c.as_str()).collect()
}

fn countings() -> Vec<&'static str> {
    vec!["calendar", "working_days"]
}

fn archive_nominations() -> Vec<&'static str> {
    vec!["keep", "destroy"]
}

fn join_modes() -> Vec<&'static str> {
    vec!["all", "some"]
}

pub(crate) const PROCESS: Keys = Keys {
    what: "process",
    keys: &[
        required("process", Name),
        required("version", Holds::Whole("version", 0, u32::MAX as i64)),
        required("title", Text),
        key("description", Text),
        key("legal_basis", Text),
        key("initiator_action", Name),
        key("term", Map(&TERM)),
        key("service_norm", Holds::Duration),
        key("suspension_allowed", Flag),
        key("extension", Holds::Duration),
        key(
            "confidentiality",
            Word(
                "confidentiality level",
                confidentiality_levels,
                Code::UnknownConfidentiality,
            ),
        ),
        key(
            "on_deadline",
            Variant(
                "what happens at the deadline",
                &[
                    ("warning", None),
                    ("van_rechtswege", Some(&Map(&VAN_RECHTSWEGE))),
                    ("dwangsom", None),
                ],
            ),
        ),
        key("teams", List(&TEAM)),
        key("roles", List(&ROLE)),
        key("data", List(&FIELD)),
        key("messages", List(&MESSAGE)),
        key("statuses", List(&STATUS)),
        key("results", List(&RESULT)),
        required("start", Name),
        required("steps", List(&STEP)),
    ],
    one_of: &[],
    example: "`process: KEY`, `version: 1`, `title: ...`, `start: STEP` and `steps:`",
};
const TERM: Keys = Keys {
    what: "term",
    keys: &[
        required("duration", Holds::Duration),
        key(
            "counting",
            Word("way of counting", countings, Code::NotAProcess),
        ),
    ],
    one_of: &[],
    example: "`term: {duration: 8 weeks, counting: calendar}`",
};
const VAN_RECHTSWEGE: Keys = Keys {
    what: "van_rechtswege",
    keys: &[required("result", Name)],
    one_of: &[],
    example: "`on_deadline: {van_rechtswege: {result: RESULT}}`",
};
const TEAM: Keys = Keys {
    what: "team",
    keys: &[required("name", Name), key("label", Text)],
    one_of: &[],
    example: "`- name: TEAM` with an optional `label:`",
};
const ROLE: Keys = Keys {
    what: "role",
    keys: &[required("name", Name), key("label", Text)],
    one_of: &[],
    example: "`- name: ROLE` with an optional `label:`",
};
const MESSAGE: Keys = Keys {
    what: "message",
    keys: &[required("name", Name), key("label", Text)],
    one_of: &[],
    example: "`- name: MESSAGE` with an optional `label:`",
};
const DATA_TYPE: Holds = Variant(
    "type",
    &[
        ("text", None),
        ("number", None),
        ("bool", None),
        ("date", None),
        ("choice", Some(&Texts)),
    ],
);
const FIELD: Keys = Keys {
    what: "data field",
    keys: &[
        required("name", Name),
        required("type", DATA_TYPE),
        key("label", Text),
        key("required", Flag),
        key("citizen", Flag),
    ],
    one_of: &[],
    example: "`- name: FIELD` and `type: text` (or number, bool, date, `{choice: [a, b]}`)",
};
const STATUS: Keys = Keys {
    what: "status",
    keys: &[
        required("name", Name),
        required("citizen_text", Text),
        key("notify", Flag),
    ],
    one_of: &[],
    example: "`- name: STATUS` and `citizen_text: ...`",
};
const RESULT: Keys = Keys {
    what: "result",
    keys: &[
        required("name", Name),
        key("label", Text),
        required(
            "archive",
            Word("archive nomination", archive_nominations, Code::NotAProcess),
        ),
        key("retention", Holds::Duration),
    ],
    one_of: &[],
    example: "`- name: RESULT` and `archive: keep` (or destroy)",
};
const STEP: Keys = Keys {
    what: "step",
    keys: &[
        required("name", Name),
        key("label", Text),
        key("task", Map(&TASK)),
        key("auto", Map(&AUTO)),
        key("choice", Map(&CHOICE)),
        key("parallel", Map(&PARALLEL)),
        key("inclusive", Map(&CHOICE)),
        key("join", Map(&JOIN)),
        key("wait", Map(&WAIT)),
        key("timer", Map(&TIMER)),
        key("subcase", Map(&SUBCASE)),
        key("end", Map(&END)),
    ],
    one_of: &[
        "task",
        "auto",
        "choice",
        "parallel",
        "inclusive",
        "join",
        "wait",
        "timer",
        "subcase",
        "end",
    ],
    example: "`- name: STEP` and one key for its kind, such as `task:` or `end: {}`",
};
const TASK: Keys = Keys {
    what: "task",
    keys: &[
        required("team", Name),
        key("role", Name),
        key("due", Holds::Duration),
        key(
            "priority",
            Holds::Whole("priority", i32::MIN as i64, i32::MAX as i64),
        ),
        key("outcomes", List(&OUTCOME)),
        key("fields", List(&FIELD)),
        key("status_on_start", Name),
        key("status_on_end", Name),
        key("then", Name),
    ],
    one_of: &[],
    example: "`task: {team: TEAM, then: STEP}`, or the keys on lines below `task:`",
};
const OUTCOME: Keys = Keys {
    what: "outcome",
    keys: &[
        required("name", Name),
        key("label", Text),
        key("then", Name),
    ],
    one_of: &[],
    example: "`- name: OUTCOME` with an optional `then: STEP`",
};
const AUTO: Keys = Keys {
    what: "auto step",
    keys: &[
        required(
            "actions",
            Holds::Variants(
                "action",
                &[
                    ("set", Some(&Map(&SET))),
                    ("status", Some(&Name)),
                    ("result", Some(&Name)),
                    ("letter", Some(&Name)),
                    ("notify", Some(&Name)),
                ],
            ),
        ),
        required("then", Name),
    ],
    one_of: &[],
    example: "`auto: {actions: [{status: STATUS}], then: STEP}`",
};
const SET: Keys = Keys {
    what: "set",
    keys: &[required("field", Name), required("value", Holds::Expr)],
    one_of: &[],
    example: "`set: {field: FIELD, value: EXPRESSION}`",
};
const CHOICE: Keys = Keys {
    what: "choice",
    keys: &[required("branches", List(&BRANCH)), key("otherwise", Name)],
    one_of: &[],
    example: "`branches:` with `- when: CONDITION` and `then: STEP`, and `otherwise: STEP`",
};
const BRANCH: Keys = Keys {
    what: "branch",
    keys: &[required("when", Holds::Expr), required("then", Name)],
    one_of: &[],
    example: "`- when: CONDITION` and `then: STEP`",
};
const PARALLEL: Keys = Keys {
    what: "parallel step",
    keys: &[required("branches", Names)],
    one_of: &[],
    example: "`parallel: {branches: [STEP, STEP]}`",
};
const JOIN: Keys = Keys {
    what: "join",
    keys: &[
        key("mode", Word("join mode", join_modes, Code::NotAProcess)),
        key("split", Name),
        required("then", Name),
    ],
    one_of: &[],
    example: "`join: {then: STEP}`, or `join: {mode: some, split: STEP, then: STEP}`",
};
const WAIT: Keys = Keys {
    what: "wait",
    keys: &[
        required("message", Name),
        key("suspend", Text),
        key("timeout", Map(&TIMEOUT)),
        required("then", Name),
    ],
    one_of: &[],
    example: "`wait: {message: MESSAGE, then: STEP}`",
};
const TIMEOUT: Keys = Keys {
    what: "timeout",
    keys: &[required("after", Holds::Duration), required("then", Name)],
    one_of: &[],
    example: "`timeout: {after: 4 weeks, then: STEP}`",
};
const TIMER: Keys = Keys {
    what: "timer",
    keys: &[
        key("after", Holds::Duration),
        key("until", Name),
        required("then", Name),
    ],
    one_of: &["after", "until"],
    example: "`timer: {after: 2 weeks, then: STEP}` or `timer: {until: FIELD, then: STEP}`",
};
const SUBCASE: Keys = Keys {
    what: "subcase",
    keys: &[
        required("process", Name),
        key("pass", Names),
        key("wait", Flag),
        required("then", Name),
    ],
    one_of: &[],
    example: "`subcase: {process: KEY, then: STEP}`",
};
const END: Keys = Keys {
    what: "end step",
    keys: &[key("result", Name), key("status", Name)],
    one_of: &[],
    example: "`end: {result: RESULT}`, or `end: {}` for an end without a result",
};

/// Checks a document against the process's keys and reports every problem found.
pub(crate) fn check(root: &Node) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    map(root, &PROCESS, "the process", &mut out);
    out
}

fn map(node: &Node, keys: &Keys, context: &str, out: &mut Vec<Diagnostic>) {
    if !matches!(node.value, Value::Map(_)) {
        out.push(
            Diagnostic::new(
                Code::NotAProcess,
                node.span,
                format!("{context} is written as keys, not as {}", node.describe()),
            )
            .with_label("not written as keys")
            .with_help(format!("write it as {}", keys.example)),
        );
        return;
    }
    // A missing key that an unknown key is a slip for (`tem` for `team`) is reported once,
    // as the unknown key.
    let mut meant: Vec<&str> = Vec::new();
    for (k, v) in node.entries() {
        let Some(name) = k.scalar() else {
            out.push(
                Diagnostic::new(
                    Code::NotAProcess,
                    k.span,
                    format!("a key in {context} is not a word"),
                )
                .with_label("not a key")
                .with_help(format!("write it as {}", keys.example)),
            );
            continue;
        };
        let Some(known) = keys.keys.iter().find(|x| x.name == name) else {
            let names = keys.keys.iter().map(|x| x.name);
            let help = match did_you_mean(name, names.clone()) {
                Some(s) => {
                    meant.push(s);
                    format!("did you mean `{s}`?")
                }
                None => format!(
                    "a {} takes {}",
                    keys.what,
                    names.collect::<Vec<_>>().join(", ")
                ),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownKey,
                    k.span,
                    format!("unknown key `{name}` in {context}"),
                )
                .with_label("unknown key")
                .with_help(help),
            );
            continue;
        };
        if v.tagged {
            out.push(
                Diagnostic::new(
                    Code::NotAProcess,
                    v.span,
                    format!("`{name}` in {context} starts with `!`, which YAML reads as a tag"),
                )
                .with_label("a YAML tag")
                .with_help(super::BANG_HELP),
            );
            continue;
        }
        if v.is_null() {
            if known.required && keys.one_of.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::RequiredItemMissing,
                        k.span,
                        format!("`{name}` in {context} has no value"),
                    )
                    .with_label("no value")
                    .with_help(format!("write what `{name}` is after `{name}:`")),
                );
            }
            // An optional key without a value is left out; serde reads it that way too.
            if !matches!(known.holds, Map(_)) {
                continue;
            }
        }
        value(v, &known.holds, name, keys, context, out);
    }
    for k in keys.keys.iter().filter(|k| k.required) {
        if node.get(k.name).is_none() && !meant.contains(&k.name) {
            out.push(
                Diagnostic::new(
                    Code::RequiredItemMissing,
                    where_named(node),
                    format!("{context} has no `{}`", k.name),
                )
                .with_label(format!("`{}` missing", k.name))
                .with_help(format!("add `{}:` to the {}", k.name, keys.what)),
            );
        }
    }
    if !keys.one_of.is_empty() {
        let given: Vec<&(Node, Node)> = node
            .entries()
            .iter()
            .filter(|(k, _)| k.scalar().is_some_and(|k| keys.one_of.contains(&k)))
            .collect();
        let listed = keys
            .one_of
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        match given.as_slice() {
            [] => out.push(
                Diagnostic::new(
                    Code::RequiredItemMissing,
                    where_named(node),
                    format!("{context} has none of {listed}"),
                )
                .with_label("incomplete")
                .with_help(format!("write it as {}", keys.example)),
            ),
            [_] => {}
            [first, second, ..] => out.push(
                Diagnostic::new(
                    Code::NotAProcess,
                    second.0.span,
                    format!(
                        "{context} has both `{}` and `{}`",
                        first.0.scalar().unwrap_or(""),
                        second.0.scalar().unwrap_or("")
                    ),
                )
                .with_label("one too many")
                .with_related(first.0.span, "the first is here")
                .with_help(format!("keep one of {listed}")),
            ),
        }
    }
}

/// Where a map is best pointed at: its name (or process key) when it has one, else its start.
fn where_named(node: &Node) -> Span {
    node.get("name")
        .or_else(|| node.get("process"))
        .map(|n| n.span)
        .unwrap_or(Span::new(node.span.start, node.span.start))
}

/// The context of what a key holds: `term`, the task of the step `x`, ...
fn inner_context(key: &str, keys: &Keys, inner: &Keys, context: &str) -> String {
    if keys.what == "process" {
        format!("`{key}`")
    } else {
        format!("the {} of {context}", inner.what)
    }
}

fn value(
    v: &Node,
    holds: &Holds,
    key: &str,
    keys: &Keys,
    context: &str,
    out: &mut Vec<Diagnostic>,
) {
    let how = match holds {
        Text => format!("write the text after `{key}:`"),
        Name => format!("write a name after `{key}:`"),
        Holds::Expr => {
            format!("write the expression after `{key}:`, in quotes when it starts with `!`")
        }
        Holds::Whole(..) => format!("write a whole number, such as `{key}: 1`"),
        Flag => format!("write `{key}: true` or `{key}: false`"),
        Holds::Duration => format!("write a duration, such as `{key}: 8 weeks`"),
        Names | Texts => format!("write them in brackets, such as `{key}: [a, b]`"),
        Map(inner) | List(inner) => format!("write it as {}", inner.example),
        Word(..) | Variant(..) | Holds::Variants(..) => format!("write it as {}", keys.example),
    };
    let wrong = |what: &str, out: &mut Vec<Diagnostic>| {
        out.push(
            Diagnostic::new(
                Code::NotAProcess,
                v.span,
                format!("`{key}` in {context} takes {what}, not {}", v.describe()),
            )
            .with_label(format!("not {what}"))
            .with_help(how.clone()),
        );
    };
    match holds {
        Text | Name | Holds::Expr => {
            if v.scalar().is_none() {
                let what = match holds {
                    Text => "text",
                    Name => "a name",
                    _ => "an expression",
                };
                wrong(what, out);
            }
        }
        Holds::Whole(what, min, max) => match plain(v) {
            Some(s) => match s.parse::<i128>() {
                Ok(n) if n < i128::from(*min) || n > i128::from(*max) => out.push(
                    Diagnostic::new(
                        Code::NumberTooLarge,
                        v.span,
                        format!("the {what} `{s}` is too large"),
                    )
                    .with_label("out of range")
                    .with_help(format!("a {what} lies between {min} and {max}")),
                ),
                Ok(_) => {}
                Err(_) if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') && !s.is_empty() => {
                    out.push(
                        Diagnostic::new(
                            Code::NumberTooLarge,
                            v.span,
                            format!("the {what} `{s}` is too large"),
                        )
                        .with_label("out of range")
                        .with_help(format!("a {what} lies between {min} and {max}")),
                    )
                }
                Err(_) => wrong("a whole number", out),
            },
            None => wrong("a whole number", out),
        },
        Flag => {
            if !plain(v).is_some_and(|s| {
                matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
            }) {
                wrong("`true` or `false`", out);
            }
        }
        Holds::Duration => match v.scalar() {
            Some(text) => {
                if let Err(d) = crate::model::read_duration(text, v.span) {
                    out.push(d);
                }
            }
            None => wrong("a duration such as `8 weeks`", out),
        },
        Word(what, words, code) => match v.scalar() {
            Some(s) if words().contains(&s) => {}
            Some(s) => out.push(unknown_word(s, v.span, *code, what, &words())),
            None => wrong(&format!("a {what}"), out),
        },
        Names | Texts => match &v.value {
            Value::List(items) => {
                for item in items.iter().filter(|i| i.scalar().is_none()) {
                    out.push(
                        Diagnostic::new(
                            Code::NotAProcess,
                            item.span,
                            format!(
                                "`{key}` in {context} lists {}, not {}",
                                if matches!(holds, Names) {
                                    "names"
                                } else {
                                    "texts"
                                },
                                item.describe()
                            ),
                        )
                        .with_label("not a name")
                        .with_help(format!("write `{key}` as {}", keys.example)),
                    );
                }
            }
            _ => wrong("a list in brackets, such as `[a, b]`", out),
        },
        Map(inner) => {
            if v.is_null() {
                // `end:` without keys reads as an end step without a result; other maps
                // without keys are reported for the keys they lack.
                if inner.keys.iter().any(|k| k.required) {
                    map(v, inner, &inner_context(key, keys, inner, context), out);
                }
                return;
            }
            map(v, inner, &inner_context(key, keys, inner, context), out);
        }
        List(inner) => match &v.value {
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let here = match item.get("name").and_then(Node::scalar) {
                        Some(n) => format!("the {} `{n}`", inner.what),
                        None => format!("{} {}", inner.what, i + 1),
                    };
                    let context = if keys.what == "process" {
                        here
                    } else {
                        format!("{here} of {context}")
                    };
                    map(item, inner, &context, out);
                }
            }
            _ => wrong(&format!("a list of {}s", inner.what), out),
        },
        Variant(what, variants) => variant(v, what, variants, key, keys, context, out),
        Holds::Variants(what, variants) => match &v.value {
            Value::List(items) => {
                for item in items {
                    variant(item, what, variants, key, keys, context, out);
                }
            }
            _ => wrong(&format!("a list of {what}s"), out),
        },
    }
}

fn variant(
    v: &Node,
    what: &str,
    variants: &[(&'static str, Option<&'static Holds>)],
    key: &str,
    keys: &Keys,
    context: &str,
    out: &mut Vec<Diagnostic>,
) {
    let words: Vec<&str> = variants.iter().map(|(w, _)| *w).collect();
    let unknown = |word: &str, span: Span, out: &mut Vec<Diagnostic>| {
        out.push(unknown_word(word, span, Code::NotAProcess, what, &words));
    };
    match &v.value {
        Value::Scalar(word, _) => match variants.iter().find(|(w, _)| w == word) {
            Some((_, None)) => {}
            Some((w, Some(_))) => out.push(
                Diagnostic::new(
                    Code::NotAProcess,
                    v.span,
                    format!("the {what} `{w}` needs a value"),
                )
                .with_label("value missing")
                .with_help(format!("write `{key}` as {}", keys.example)),
            ),
            None => unknown(word, v.span, out),
        },
        Value::Map(entries) if entries.len() == 1 => {
            let (k, inner) = &entries[0];
            let word = k.scalar().unwrap_or("");
            match variants.iter().find(|(w, _)| *w == word) {
                Some((_, Some(holds))) => {
                    value(inner, holds, word, keys, context, out);
                }
                Some((_, None)) => {}
                None => unknown(word, k.span, out),
            }
        }
        _ => out.push(
            Diagnostic::new(
                Code::NotAProcess,
                v.span,
                format!("a {what} is one word or one key, not {}", v.describe()),
            )
            .with_label(format!("not a {what}"))
            .with_help(format!("write `{key}` as {}", keys.example)),
        ),
    }
}

/// The text of a plain scalar: numbers and `true`/`false` are written without quotes.
fn plain(v: &Node) -> Option<&str> {
    match &v.value {
        Value::Scalar(s, true) => Some(s),
        _ => None,
    }
}
