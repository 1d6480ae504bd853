//! Every process in `processes/` reads without errors and compiles to a sound net.

use std::path::Path;
use zaak_dsl::Syntax;
use zaak_engine::compile::compile;
use zaak_engine::soundness::{self, DEFAULT_LIMIT};

#[test]
fn every_readable_process_is_sound() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../processes");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("processes/ exists") {
        let path = entry.expect("a directory entry").path();
        let name = path.display().to_string();
        let Some(syntax) = Syntax::from_path(&name) else {
            continue;
        };
        let source = std::fs::read_to_string(&path).expect("readable");
        let loaded = zaak_dsl::load(&source, syntax);
        assert!(!loaded.has_errors(), "{name}: {:#?}", loaded.diagnostics);
        let model = loaded
            .model
            .unwrap_or_else(|| panic!("{name} gives no model"));
        let net = compile(&model).unwrap_or_else(|ds| panic!("{name} does not compile: {ds:?}"));
        let ds = soundness::diagnostics(&model, &net, DEFAULT_LIMIT);
        assert!(ds.is_empty(), "{name} is not sound: {ds:#?}");
        checked.push(name);
    }
    assert!(checked.len() >= 8, "only {checked:?}");
}
