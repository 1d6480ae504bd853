//! Golden test of rendered diagnostics: a worse message or a wrong line is a visible diff.

use zaak_dsl::{load, SourceFile, Syntax};

const SOURCE: &str = r#"process: golden
version: 1
title: Golden
start: intake
teams:
  - name: intake
data:
  - name: activiteit
    type:
      choice: [bouwen, slopen]
    required: true
  - name: bouwsom
    type: number
statuses:
  - name: ontvangen
    citizen_text: Ontvangen
results:
  - name: klaar
    archive: keep
steps:
  - name: intake
    task:
      team: intake
      outcomes:
        - name: ok
          then: keuze
        - name: ok
          then: einde
  - name: keuze
    choice:
      branches:
        - when: activiteit == "bouwn" && bouwsom > 100000
          then: einde
  - name: einde
    end:
      result: klaar
"#;

#[test]
fn rendered_diagnostics() {
    let loaded = load(SOURCE, Syntax::Yaml);
    let file = SourceFile::new("golden.yaml", SOURCE);
    let rendered: Vec<String> = loaded.diagnostics.iter().map(|d| file.render(d)).collect();
    insta::assert_snapshot!(rendered.join("\n"));
}
