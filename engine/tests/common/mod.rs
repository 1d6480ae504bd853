//! Helpers shared by the engine's test files.

#![allow(dead_code)]

use zaak_dsl::{ProcessModel, Syntax};

/// A process with the given steps (YAML, one step list indented as under `steps:`), starting at
/// `start_at`, with no statuses, teams or data: enough for compiling and checking nets.
pub fn model(start_at: &str, steps: &str) -> ProcessModel {
    let src = format!(
        "process: p\nversion: 1\ntitle: P\nstart: {start_at}\nsteps:\n{}",
        steps
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>()
    );
    let loaded = zaak_dsl::parse(&src, Syntax::Yaml);
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}\n{src}",
        loaded.diagnostics
    );
    loaded.model.expect("a model")
}

/// A process with no steps and the given header fields (JSON, as the model serialises them,
/// e.g. `{"term": {"duration": "8 weeks"}, "extension": "6 weeks"}`): enough for the term clock.
pub fn with_fields(fields: serde_json::Value) -> ProcessModel {
    let mut model = serde_json::json!({
        "process": "test",
        "version": 1,
        "title": "Test",
        "start": "ontvangen",
        "steps": [],
    });
    if let (Some(model), Some(fields)) = (model.as_object_mut(), fields.as_object()) {
        model.extend(fields.clone());
    }
    serde_json::from_value(model).expect("a valid process in a test")
}
