//! "Did you mean" hints: the defined name nearest to a misspelt one.
//!
//! Every hint in the language (keywords, keys, names, choice values, functions) comes from
//! here, so a slip is recognised the same way wherever it is made.

use crate::model::Span;
use crate::{Code, Diagnostic};

/// The closest of `candidates` to a misspelt `name`, when it is close enough to be a typo.
///
/// Distance is counted in characters, a swap of two neighbours being one edit (optimal string
/// alignment, `strsim::osa_distance`): `lable` is one slip from `label`. A third of the name's
/// length may differ, at least one character; a name cut short or run on (`ok` for `okay`) is as
/// likely a slip as a typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_lowercase();
    let prefix = |c: &str| {
        let c = c.to_lowercase();
        lower.len().min(c.len()) >= 2 && (lower.starts_with(&c) || c.starts_with(&lower))
    };
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::osa_distance(name, c), c))
        .filter(|(d, c)| *d <= limit || prefix(c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The diagnostic for a word that is not one of the words allowed here (a confidentiality
/// level, a way of counting, a type), with the nearest as a hint and the allowed words listed.
pub(crate) fn unknown_word(
    word: &str,
    span: Span,
    code: Code,
    what: &str,
    words: &[&str],
) -> Diagnostic {
    let listed = words.join(", ");
    let help = match did_you_mean(word, words.iter().copied()) {
        Some(w) => format!("did you mean `{w}`? It is one of {listed}"),
        None => format!("write one of {listed}"),
    };
    Diagnostic::new(code, span, format!("`{word}` is not a {what}"))
        .with_label(format!("unknown {what}"))
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn a_slip_finds_the_name_meant() {
        assert_eq!(did_you_mean("lable", ["label", "name"]), Some("label"));
        assert_eq!(did_you_mean("tem", ["team", "then"]), Some("team"));
        assert_eq!(did_you_mean("ok", ["okay", "nee"]), Some("okay"));
        assert_eq!(did_you_mean("bouwsom", ["activiteit", "monument"]), None);
        assert_eq!(did_you_mean("team", ["team"]), None);
    }
}
