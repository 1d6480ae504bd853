//! Golden cases: every input in a folder under `tests/cases/` is run, and what came out is
//! compared with the `.snap` file beside it. A worse message, a wrong line or a changed effect
//! is a visible diff.
//!
//! - `soundness/`: processes with a mistake in their routing; the soundness findings rendered
//!   as `zaak check` shows them (the process is read without validation, so a finding that
//!   validation would also report is still pinned here).
//! - `soundness_fixed/`: the same processes after following the help of their findings; each
//!   must pass the whole check, so that the help is a fix that works.
//! - `transcripts/`: runs of cases, one folder per area (`errors`, `flow`, `routing`, `term`,
//!   `library`). A script names its process on its first line (`process FILE` for a file in
//!   `processes/`, `library FILE` for one in the repository's `processes/`) and then gives one
//!   command per line (see `exec_support`); the snapshot is the transcript: each command and the
//!   effects it emitted, or why it was refused. Lines starting with `#` explain the case.
//! - `check/`: one folder per case, holding process files; each is put through the whole check
//!   ([`zaak_engine::check::check`]) with the others as the processes its deelzaken may start
//!   (the latest version of each key), as `zaak check` does with the files in a directory.
//!
//! After a deliberate change, rewrite the expected files with `INSTA_UPDATE=always cargo test
//! -p zaak-engine --test cases` and review the diff.

mod exec_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use zaak_dsl::{ProcessModel, SourceFile, Syntax};
use zaak_engine::check::Limits;
use zaak_engine::compile::compile;
use zaak_engine::soundness::{diagnostics, DEFAULT_LIMIT};

/// Compares `actual` with the snapshot named after the input, in the input's folder.
fn check_snapshot(path: &Path, actual: &str) {
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
    let source =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
        check_snapshot(path, &rendered.join("\n"));
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
        assert!(
            broken.is_file(),
            "{} fixes no case in soundness/",
            path.display()
        );
        let (source, file) = read(path);
        let checked = zaak_engine::check::check(
            &source,
            Syntax::Text,
            &zaak_engine::check::NoLibrary,
            &Limits::DEPLOY,
        );
        let rendered: Vec<String> = checked.diagnostics.iter().map(|d| file.render(d)).collect();
        assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    });
}

#[test]
fn check() {
    insta::glob!("cases/check/*", |dir| {
        if !dir.is_dir() {
            return;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("a readable folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| Syntax::from_path(&p.to_string_lossy()).is_some())
            .collect();
        files.sort();
        let mut library: HashMap<String, ProcessModel> = HashMap::new();
        for path in &files {
            let (source, _) = read(path);
            let syntax = Syntax::from_path(&path.to_string_lossy()).expect("a process file");
            let model = zaak_dsl::parse(&source, syntax).model.expect("a model");
            match library.get(model.process.as_str()) {
                Some(known) if known.version >= model.version => {}
                _ => {
                    library.insert(model.process.name.clone(), model);
                }
            }
        }
        let mut out = String::new();
        for path in &files {
            let (source, file) = read(path);
            let syntax = Syntax::from_path(&path.to_string_lossy()).expect("a process file");
            let checked = zaak_engine::check::check(&source, syntax, &library, &Limits::DEPLOY);
            for d in &checked.diagnostics {
                out.push_str(&file.render(d));
                out.push('\n');
            }
        }
        if out.is_empty() {
            out.push_str("no diagnostics\n");
        }
        check_snapshot(dir, &out);
    });
}

#[test]
fn transcripts() {
    insta::glob!("cases/transcripts/*/*.script", |path| {
        let (source, _) = read(path);
        let mut lines = source.lines().filter(|l| !l.trim_start().starts_with('#'));
        let header = lines.next().unwrap_or_default();
        let process = match header.split_once(' ') {
            Some(("process", file)) => exec_support::case_process(file.trim()),
            Some(("library", file)) => exec_support::library_process(file.trim()),
            _ => panic!(
                "{}: the first line names the process, not `{header}`",
                path.display()
            ),
        };
        let script: Vec<&str> = lines.collect();
        check_snapshot(path, &exec_support::run(&process, &script.join("\n")));
    });
}
