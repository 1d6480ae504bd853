//! A process compiles to the same net whether it was written as text or as YAML.

use std::path::Path;
use zaak_dsl::Syntax;
use zaak_engine::compile::compile;

fn load(source: &str, syntax: Syntax) -> zaak_dsl::ProcessModel {
    let loaded = zaak_dsl::load(source, syntax);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded.model.expect("a model")
}

#[test]
fn text_and_yaml_forms_compile_to_the_same_net() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../processes");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("processes/ exists") {
        let path = entry.expect("a directory entry").path();
        let Some(syntax) = Syntax::from_path(&path.display().to_string()) else {
            continue;
        };
        let source = std::fs::read_to_string(&path).expect("readable");
        let model = load(&source, syntax);
        let (text, yaml) = (zaak_dsl::to_text(&model), zaak_dsl::to_yaml(&model));
        let net = compile(&model).expect("compiles").dump();
        for (other, syntax) in [(text, Syntax::Text), (yaml, Syntax::Yaml)] {
            let again = compile(&load(&other, syntax)).expect("compiles").dump();
            assert_eq!(net, again, "{} in {syntax:?}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 8);
}

#[test]
fn the_yaml_test_process_is_the_text_one() {
    // The YAML version in tests/data leaves out what the net does not show (labels, fields,
    // data); its net is the one the real process file compiles to.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../processes/omgevingsvergunning.zaak"),
    )
    .expect("readable");
    let from_text = compile(&load(&text, Syntax::Text)).expect("compiles");
    let from_yaml = compile(
        &zaak_dsl::parse(include_str!("data/omgevingsvergunning.yaml"), Syntax::Yaml)
            .model
            .expect("a model"),
    )
    .expect("compiles");
    assert_eq!(from_text.dump(), from_yaml.dump());
}
