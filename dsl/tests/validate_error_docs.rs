//! Every diagnostic code the validator, the YAML reader and the expression checker can report
//! has its own section in docs/errors.md.

use std::collections::BTreeSet;

const DOCS: &str = include_str!("../../docs/errors.md");

/// The `Z0nnn` codes written in double quotes in a source file.
fn codes_in(source: &str) -> BTreeSet<String> {
    source
        .match_indices("\"Z0")
        .filter_map(|(i, _)| source.get(i + 1..i + 6))
        .filter(|c| c[1..].chars().all(|d| d.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_code_has_a_section_in_the_docs() {
    let mut codes = BTreeSet::new();
    for source in [
        include_str!("../src/text.rs"),
        include_str!("../src/validate.rs"),
        include_str!("../src/yaml.rs"),
        include_str!("../src/expr.rs"),
        include_str!("../../engine/src/compile.rs"),
        include_str!("../../engine/src/soundness.rs"),
        include_str!("../../src/pnml.rs"),
    ] {
        codes.extend(codes_in(source));
    }
    assert!(codes.len() >= 30, "found only {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !DOCS.contains(&format!("### {c}: ")))
        .collect();
    assert!(missing.is_empty(), "not in docs/errors.md: {missing:?}");
}

#[test]
fn every_section_has_cause_and_fix() {
    for section in DOCS.split("\n### ").skip(1) {
        let title = section.lines().next().unwrap_or("");
        assert!(section.contains("**Cause.**"), "{title} has no cause");
        assert!(section.contains("**Fix.**"), "{title} has no fix");
    }
}

#[test]
fn the_syntax_heading_is_there_for_the_text_codes() {
    assert!(DOCS.contains("## Syntax (Z00xx)"));
}
