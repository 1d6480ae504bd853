//! Reading YAML never panics, whatever the input: random text and mutations of a real process.

use proptest::prelude::*;
use zaak_dsl::{load, Syntax};

const FIXTURE: &str = include_str!("yaml_fixtures/omgevingsvergunning.yaml");

/// Loads and validates, then checks that every span lies inside the source.
fn load_checked(source: &str) {
    let loaded = load(source, Syntax::Yaml);
    for d in &loaded.diagnostics {
        assert!(d.span.start <= d.span.end, "{d:?}");
        assert!(d.span.end <= source.len(), "{d:?}");
        assert!(!d.message.is_empty());
    }
    if let Some(model) = &loaded.model {
        // Whatever we read must print and read back.
        let again = zaak_dsl::parse(&zaak_dsl::to_yaml(model), zaak_dsl::Syntax::Yaml);
        assert_eq!(again.model.as_ref(), Some(model));
    }
}

fn char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_text(source in "\\PC{0,300}") {
        load_checked(&source);
    }

    #[test]
    fn yaml_like_text(source in "([a-z_]{1,8}: ?[a-z0-9 \"'!|>\\[\\]{},-]{0,12}\n {0,6}-? ?){0,30}") {
        load_checked(&source);
    }

    #[test]
    fn deleting_a_piece(at in 0usize..FIXTURE.len(), len in 1usize..40) {
        let start = char_boundary(FIXTURE, at);
        let end = char_boundary(FIXTURE, start + len);
        let source = format!("{}{}", &FIXTURE[..start], &FIXTURE[end..]);
        load_checked(&source);
    }

    #[test]
    fn inserting_text(at in 0usize..FIXTURE.len(), text in "[ a-z:\\-\n\"'#!{}\\[\\],|>]{1,10}") {
        let at = char_boundary(FIXTURE, at);
        let source = format!("{}{}{}", &FIXTURE[..at], text, &FIXTURE[at..]);
        load_checked(&source);
    }

    #[test]
    fn swapping_lines(a in 0usize..200, b in 0usize..200) {
        let mut lines: Vec<&str> = FIXTURE.lines().collect();
        let (a, b) = (a % lines.len(), b % lines.len());
        lines.swap(a, b);
        load_checked(&lines.join("\n"));
    }

    #[test]
    fn replacing_a_name(at in 0usize..FIXTURE.len(), name in "[a-z_]{1,12}") {
        // Renaming one word keeps the YAML valid and exercises the locator and validation.
        let at = char_boundary(FIXTURE, at);
        let rest = &FIXTURE[at..];
        let Some(start) = rest.find(|c: char| c.is_ascii_lowercase()).map(|i| at + i) else {
            return Ok(());
        };
        let end = FIXTURE[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(|i| start + i)
            .unwrap_or(FIXTURE.len());
        let source = format!("{}{}{}", &FIXTURE[..start], name, &FIXTURE[end..]);
        load_checked(&source);
    }
}
