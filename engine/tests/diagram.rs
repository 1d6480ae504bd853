//! Diagrams show every step and arrow, with counts where given.

use std::collections::BTreeMap;
use zaak_dsl::{parse, Syntax};
use zaak_engine::diagram::{render, DiagramFormat};

const MELDING: &str = r#"
process: melding
version: 1
title: Melding
teams:
  - name: buitendienst
    label: Team Buitendienst
start: beoordelen
steps:
  - name: beoordelen
    label: Melding beoordelen
    task:
      team: buitendienst
      outcomes:
        - name: terecht
          then: herstellen
        - name: onterecht
          then: afgewezen
  - name: herstellen
    task:
      team: buitendienst
      then: klaar
  - name: afgewezen
    end: {}
  - name: klaar
    end: {}
"#;

fn model() -> zaak_dsl::ProcessModel {
    let loaded = parse(MELDING, Syntax::Yaml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.model.expect("the test process is valid")
}

#[test]
fn mermaid_shows_steps_outcomes_and_counts() {
    let counts = BTreeMap::from([("beoordelen".to_string(), 3)]);
    let out = render(&model(), DiagramFormat::Mermaid, &counts);
    assert!(out.starts_with("flowchart TD\n"));
    assert!(
        out.contains("s_beoordelen(\"Melding beoordelen<br/>[Team Buitendienst]<br/>(3 open)\")")
    );
    assert!(out.contains("s_beoordelen -->|\"terecht\"| s_herstellen"));
    assert!(out.contains("s_beoordelen -->|\"onterecht\"| s_afgewezen"));
    assert!(out.contains("s_herstellen --> s_klaar"));
    assert!(out.contains("start --> s_beoordelen"));
    // `end` is a Mermaid keyword: step ids are prefixed so a step may be called anything.
    assert!(out.contains("s_klaar(((\"klaar\")))"));
}

#[test]
fn dot_is_a_digraph_with_every_step() {
    let out = render(&model(), DiagramFormat::Dot, &BTreeMap::new());
    assert!(out.starts_with("digraph \"melding\" {"));
    for step in ["beoordelen", "herstellen", "afgewezen", "klaar"] {
        assert!(
            out.contains(&format!("    \"{step}\" [shape=")),
            "{step} missing"
        );
    }
    assert!(out.contains("\"beoordelen\" -> \"herstellen\" [label=\"terecht\"];"));
    assert!(!out.contains("(3 open)"));
    assert!(out.trim_end().ends_with('}'));
}
