//! Golden cases: every input in a folder under `tests/cases/` is read, and what came out is
//! compared with the `.snap` file beside it. A worse message or a wrong place is a visible diff.
//!
//! - `parse/ok/`: text processes that read without a problem: the model they give, as YAML.
//! - `parse/err/`: text processes with syntax errors: every diagnostic, rendered.
//! - `yaml/`: YAML processes, loaded (read and validated): the rendered diagnostics.
//! - `validate/`: processes in either syntax, loaded: the rendered diagnostics. One small input
//!   per validation code, and the messages a designer gets after one mistake.
//!
//! After a deliberate change, rewrite the expected files with `INSTA_UPDATE=always cargo test
//! -p zaak-dsl --test cases` and review the diff.

use std::path::Path;
use zaak_dsl::{Loaded, SourceFile, Syntax};

/// Every diagnostic rendered as `zaak check` shows it, and whether a model came out.
fn rendered(file: &SourceFile, loaded: &Loaded) -> String {
    let mut out = String::new();
    for d in &loaded.diagnostics {
        out.push_str(&file.render(d));
        out.push('\n');
    }
    if loaded.model.is_none() {
        out.push_str("(no model)\n");
    }
    out
}

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

fn read(path: &Path) -> (String, SourceFile) {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (source.clone(), SourceFile::new(name, source))
}

/// Loads a process in the syntax its extension names and renders what came out.
fn loaded(path: &Path) -> String {
    let (source, file) = read(path);
    let syntax = Syntax::from_path(&path.to_string_lossy()).unwrap_or(Syntax::Text);
    let loaded = zaak_dsl::load(&source, syntax);
    let mut out = rendered(&file, &loaded);
    if loaded.diagnostics.is_empty() {
        out.push_str("no diagnostics\n");
    }
    out
}

#[test]
fn parse_ok() {
    insta::glob!("cases/parse/ok/*.zaak", |path| {
        let (source, _) = read(path);
        let loaded = zaak_dsl::parse(&source, Syntax::Text);
        assert_eq!(loaded.diagnostics, vec![], "{}", path.display());
        let model = loaded
            .model
            .expect("a model from a source without problems");
        let yaml = serde_yaml::to_string(&model).unwrap_or_else(|e| format!("{e}\n"));
        check(path, &yaml);
        // The canonical form of a valid source is stable, and reads back as the same model.
        let formatted = zaak_dsl::format_source(&source).expect("a valid source formats");
        assert_eq!(
            zaak_dsl::format_source(&formatted).as_ref(),
            Ok(&formatted),
            "{}",
            path.display()
        );
        assert_eq!(
            zaak_dsl::parse(&formatted, Syntax::Text).model,
            Some(model),
            "{}",
            path.display()
        );
    });
}

#[test]
fn parse_err() {
    insta::glob!("cases/parse/err/*.zaak", |path| {
        let (source, file) = read(path);
        let loaded = zaak_dsl::parse(&source, Syntax::Text);
        assert!(
            loaded.has_errors(),
            "{} has no syntax error",
            path.display()
        );
        check(path, &rendered(&file, &loaded));
    });
}

#[test]
fn validate() {
    insta::glob!("cases/validate/*.{zaak,yaml}", |path| check(
        path,
        &loaded(path)
    ));
}

#[test]
fn yaml() {
    insta::glob!("cases/yaml/*.yaml", |path| {
        let (source, file) = read(path);
        let loaded = zaak_dsl::load(&source, Syntax::Yaml);
        let mut out = rendered(&file, &loaded);
        if loaded.diagnostics.is_empty() {
            out.push_str("no diagnostics\n");
        }
        check(path, &out);
    });
}
