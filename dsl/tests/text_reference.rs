//! The reference process reads without diagnostics, into a model that uses every field as written.

use zaak_dsl::{text, SourceFile};

const REFERENCE: &str = include_str!("../../processes/omgevingsvergunning.zaak");

#[test]
fn reference_parses_without_diagnostics() {
    let loaded = text::parse(REFERENCE);
    let file = SourceFile::new("omgevingsvergunning.zaak", REFERENCE);
    for d in &loaded.diagnostics {
        eprintln!("{}", file.render(d));
    }
    assert!(loaded.diagnostics.is_empty());
    let model = loaded.model.expect("a model");
    assert_eq!(model.steps.len(), 19);
}
