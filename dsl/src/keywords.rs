//! The vocabulary of the text syntax: which words start an item of the process, a step, or a
//! line in the body of a step.
//!
//! The reader's recovery (where to go on after an error, whether a word is in the wrong place),
//! its "did you mean" hints, its messages and the formatter all take the words from here. The
//! grammar (`zaak.pest`) spells the same words as its rules.

use std::sync::LazyLock;

/// Items of the process that are written at most once, in the order the formatter writes them.
pub(crate) const HEADER_ITEMS: &[&str] = &[
    "title",
    "description",
    "legal_basis",
    "initiator",
    "term",
    "service_norm",
    "suspension",
    "extension",
    "confidentiality",
    "on_deadline",
    "start",
];

/// Items of the process that define a name and may be written many times.
pub(crate) const DEFINITIONS: &[&str] = &["team", "role", "data", "message", "status", "result"];

/// The kinds of step.
pub(crate) const STEPS: &[&str] = &[
    "task",
    "auto",
    "choice",
    "inclusive",
    "parallel",
    "join",
    "wait",
    "timer",
    "subcase",
    "end",
];

/// The steps written with a body in braces, and the words a line of each body starts with.
pub(crate) const BODY_LINES: &[(&str, &[&str])] = &[
    (
        "task",
        &[
            "team", "role", "due", "priority", "on_start", "on_end", "field", "outcome", "then",
        ],
    ),
    (
        "auto",
        &["status", "result", "letter", "notify", "set", "then"],
    ),
    ("choice", &["when", "otherwise"]),
    ("inclusive", &["when", "otherwise"]),
    ("wait", &["suspend", "timeout", "then"]),
];

/// Every word that starts an item or a step at the level of the process.
pub(crate) static TOP: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    HEADER_ITEMS
        .iter()
        .chain(DEFINITIONS)
        .chain(STEPS)
        .copied()
        .collect()
});

/// The words a line of the body of `step` starts with; none for a step without a body.
pub(crate) fn lines_of(step: &str) -> &'static [&'static str] {
    BODY_LINES
        .iter()
        .find(|(s, _)| *s == step)
        .map_or(&[], |(_, words)| words)
}

/// Whether a word starts a line in the body of some step.
fn starts_a_line(word: &str) -> bool {
    BODY_LINES.iter().any(|(_, words)| words.contains(&word))
}

/// Whether a word starts an item of the process (not a step).
pub(crate) fn is_item(word: &str) -> bool {
    HEADER_ITEMS.contains(&word) || DEFINITIONS.contains(&word)
}

/// Whether a word only ever starts an item or a step, never a line inside a body: where it
/// stands first on a line, the body before it has ended.
pub(crate) fn only_at_top(word: &str) -> bool {
    TOP.contains(&word) && !starts_a_line(word)
}

/// Whether a word only ever starts a line inside a body.
pub(crate) fn only_in_bodies(word: &str) -> bool {
    starts_a_line(word) && !TOP.contains(&word)
}

/// `` `a`, `b` or `c` ``, for messages.
pub(crate) fn listed(words: &[&str]) -> String {
    let ticked: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match ticked.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_sorted_into_places() {
        assert!(only_at_top("title") && only_at_top("task") && only_at_top("data"));
        assert!(
            !only_at_top("team") && !only_at_top("status"),
            "lines of bodies too"
        );
        assert!(only_in_bodies("then") && only_in_bodies("when"));
        assert!(!only_in_bodies("team"));
        assert!(is_item("term") && is_item("team") && !is_item("task"));
        assert_eq!(lines_of("wait"), ["suspend", "timeout", "then"]);
        assert!(lines_of("end").is_empty());
        assert_eq!(listed(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
