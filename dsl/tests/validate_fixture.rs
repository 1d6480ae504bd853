//! The example process validates without problems, and its spans point at the right lines.

use zaak_dsl::{SourceFile, Syntax};

#[test]
fn the_omgevingsvergunning_in_yaml_has_no_problems() {
    let source = include_str!("yaml_fixtures/omgevingsvergunning.yaml");
    let loaded = zaak_dsl::load(source, Syntax::Yaml);
    let file = SourceFile::new("omgevingsvergunning.yaml", source);
    let rendered: Vec<String> = loaded.diagnostics.iter().map(|d| file.render(d)).collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    let model = loaded.model.unwrap_or_else(|| unreachable!());
    for step in &model.steps {
        let (line, _) = file.line_col(step.name.span.start);
        assert_eq!(
            source.lines().nth(line - 1).map(|l| l.trim()),
            Some(format!("- name: {}", step.name).as_str()),
            "step {}",
            step.name
        );
    }
}
