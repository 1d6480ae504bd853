//! `zaak convert` loses nothing: text -> YAML -> text gives the same model, for every process in
//! the library and for generated ones.

mod common;

use common::arb::arb_process;
use proptest::prelude::*;
use std::path::Path;
use zaak_dsl::{parse, to_text, to_yaml, ProcessModel, Syntax};

fn read(source: &str, syntax: Syntax) -> ProcessModel {
    let loaded = parse(source, syntax);
    assert!(
        !loaded.has_errors(),
        "{:?}\n---\n{source}",
        loaded.diagnostics
    );
    loaded.model.expect("a model")
}

#[test]
fn every_library_process_survives_conversion_both_ways() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../processes");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("processes/") {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy().to_string();
        let Some(syntax) = Syntax::from_path(&name) else {
            continue;
        };
        let source = std::fs::read_to_string(&path).expect("read");
        let model = read(&source, syntax);
        let via_yaml = read(&to_yaml(&model), Syntax::Yaml);
        assert_eq!(via_yaml, model, "{name} through YAML");
        let via_text = read(&to_text(&model), Syntax::Text);
        assert_eq!(via_text, model, "{name} through text");
        let round = read(&to_text(&via_yaml), Syntax::Text);
        assert_eq!(round, model, "{name} text -> YAML -> text");
        seen += 1;
    }
    assert!(seen >= 7, "only {seen} library processes");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_processes_survive_text_yaml_text(model in arb_process()) {
        let text = to_text(&model);
        let from_text = parse(&text, Syntax::Text);
        prop_assert!(!from_text.has_errors(), "{:?}\n{}", from_text.diagnostics, text);
        let from_text = from_text.model.expect("a model");
        let yaml = to_yaml(&from_text);
        let from_yaml = parse(&yaml, Syntax::Yaml);
        prop_assert!(!from_yaml.has_errors(), "{:?}\n{}", from_yaml.diagnostics, yaml);
        let from_yaml = from_yaml.model.expect("a model");
        prop_assert_eq!(&from_yaml, &model);
        let again = parse(&to_text(&from_yaml), Syntax::Text).model.expect("a model");
        prop_assert_eq!(again, model);
    }
}
