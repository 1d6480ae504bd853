//! Golden cases: every input in a folder under `tests/cases/` is run, and what came out is
//! compared with the `.snap` file beside it. A worse message, a wrong line or a changed effect
//! is a visible diff.
//!
//! - `soundness/`: processes with a mistake in their routing; the soundness findings rendered
//!   as `zaak check` shows them (the process is read without validation, so a finding that
//!   validation would also report is still pinned here).
//! - `soundness_fixed/`: the same processes after following the help of their findings; each
//!   must pass the whole check, so that the help is a fix that works.
//!
//! After a deliberate change, rewrite the expected files with `INSTA_UPDATE=always cargo test
//! -p zaak-engine --test cases` and review the diff.

use std::path::Path;
use zaak_dsl::{SourceFile, Syntax};
use zaak_engine::compile::compile;
use zaak_engine::soundness::{diagnostics, DEFAULT_LIMIT};

/// Compares `actual` with the snapshot named after the input, in the input's folder.
fn check(path: &Path, actual: &str) {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(path.parent().unwrap_or(Path::new(".")));
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.bind(|| insta::assert_snapshot!(name, actual));
}

/// The file's text and the name it is shown under.
fn read(path: &Path) -> (String, SourceFile) {
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (source.clone(), SourceFile::new(name, source))
}

#[test]
fn soundness() {
    insta::glob!("cases/soundness/*.zaak", |path| {
        let (source, file) = read(path);
        let loaded = zaak_dsl::parse(&source, Syntax::Text);
        assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
        let model = loaded.model.expect("a model");
        let net = compile(&model).expect("compiles");
        let findings = diagnostics(&model, &net, DEFAULT_LIMIT);
        assert!(!findings.is_empty(), "{} has no finding", path.display());
        let rendered: Vec<String> = findings.iter().map(|d| file.render(d)).collect();
        check(path, &rendered.join("\n"));
    });
}

#[test]
fn soundness_fixed() {
    insta::glob!("cases/soundness_fixed/*.zaak", |path| {
        let name = path.file_name().expect("a file name");
        let broken = path
            .parent()
            .and_then(Path::parent)
            .expect("in tests/cases")
            .join("soundness")
            .join(name);
        assert!(broken.is_file(), "{} fixes no case in soundness/", path.display());
        let (source, file) = read(path);
        let loaded = zaak_dsl::load(&source, Syntax::Text);
        let model = loaded.model.expect("a model");
        let net = compile(&model).expect("compiles");
        let mut found = loaded.diagnostics;
        found.extend(diagnostics(&model, &net, DEFAULT_LIMIT));
        let rendered: Vec<String> = found.iter().map(|d| file.render(d)).collect();
        assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    });
}
