//! The offline commands on process files: `check`, `fmt`, `convert` and `graph`.
//!
//! `check` runs the engine's one check ([`zaak_engine::check::check`]), the same a deploy runs,
//! with the process files named and those beside them as the processes deelzaken may start.

use crate::{Format, GraphFormat, Target};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zaak_dsl::{Diagnostic, ProcessModel, SourceFile, Syntax};
use zaak_engine::check::Limits;

/// Exit code for a usage problem (a missing file, an unknown extension), as clap uses.
pub const USAGE: u8 = 2;

/// Whether a path names something `check` reads: a process file or a PNML net.
fn checkable(path: &str) -> bool {
    Syntax::from_path(path).is_some() || is_pnml(path)
}

fn is_pnml(path: &str) -> bool {
    Path::new(path).extension().is_some_and(|e| e == "pnml")
}

/// Every file named, with directories expanded to the process files inside them.
fn expand(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walk(path).map_err(|e| format!("{p}: {e}"))?;
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            if !checkable(p) {
                return Err(format!(
                    "{p}: not a process file (expected .zaak, .yaml, .yml or .pnml)"
                ));
            }
            files.push(path.to_path_buf());
        } else {
            return Err(format!("{p}: no such file or directory"));
        }
    }
    Ok(files)
}

fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else if checkable(&path.to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(out)
}

/// The processes that deelzaken may start, read from process files: by key, the highest version
/// of each.
#[derive(Debug, Default)]
pub struct ProcessFiles(HashMap<String, ProcessModel>);

impl ProcessFiles {
    /// Every process file in the directories of `paths` (not below them), and `paths`
    /// themselves. Files that cannot be read or hold no process are left out: checking them
    /// reports why.
    pub fn around(paths: &[PathBuf]) -> ProcessFiles {
        let mut files: BTreeSet<PathBuf> = paths.iter().cloned().collect();
        let dirs: BTreeSet<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
        for dir in dirs {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(entries) = std::fs::read_dir(dir) {
                files.extend(
                    entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| {
                            p.is_file() && Syntax::from_path(&p.to_string_lossy()).is_some()
                        }),
                );
            }
        }
        let mut library = ProcessFiles::default();
        for file in files {
            let Some(syntax) = Syntax::from_path(&file.to_string_lossy()) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            if let Some(model) = zaak_dsl::parse(&text, syntax).model {
                library.add(model);
            }
        }
        library
    }

    fn add(&mut self, model: ProcessModel) {
        match self.0.get(model.process.as_str()) {
            Some(known) if known.version >= model.version => {}
            _ => {
                self.0.insert(model.process.name.clone(), model);
            }
        }
    }
}

impl zaak_engine::check::Library for ProcessFiles {
    fn process(&self, key: &str) -> Option<Cow<'_, ProcessModel>> {
        self.0.get(key).map(Cow::Borrowed)
    }
}

/// Reads a file and checks it as a deploy would, with the process files beside it as the
/// processes its deelzaken may start, exploring at most `limit` markings.
pub fn check_file_with(path: &Path, limit: usize) -> Result<(SourceFile, Vec<Diagnostic>), String> {
    let library = ProcessFiles::around(&[path.to_path_buf()]);
    check_file(path, &library, &Limits::offline(limit))
}

/// Reads a file and checks it: syntax, names and types, deelzaken against `library`, then
/// (when those are right) soundness of its workflow net, within `limits`.
fn check_file(
    path: &Path,
    library: &ProcessFiles,
    limits: &Limits,
) -> Result<(SourceFile, Vec<Diagnostic>), String> {
    let name = path.to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    if is_pnml(&name) {
        let diagnostics = crate::pnml::check(&text, limits.markings);
        return Ok((SourceFile::new(name, text), diagnostics));
    }
    let syntax = Syntax::from_path(&name).ok_or_else(|| format!("{name}: not a process file"))?;
    let mut checked = zaak_engine::check::check(&text, syntax, library, limits);
    if !checked.has_errors() {
        if let Some(model) = &checked.model {
            // A term that can end after the last year of a known Royal Decree (Awt art. 3(3))
            // may end too early; the designer hears it here, before any case is started.
            let today = zaak_engine::calendar::local_date(chrono::Utc::now());
            let calendar = zaak_engine::calendar::Calendar::netherlands();
            checked
                .diagnostics
                .extend(zaak_engine::term::past_decrees_warning(
                    model, &calendar, today,
                ));
        }
    }
    Ok((SourceFile::new(name, text), checked.diagnostics))
}

/// A diagnostic for people: with the source line for process files; PNML findings name places
/// and transitions instead, since the XML lines would not help a designer.
pub fn render(file: &SourceFile, d: &Diagnostic) -> String {
    if is_pnml(&file.path) {
        crate::pnml::render(file, d)
    } else {
        file.render(d)
    }
}

pub fn check(paths: &[String], format: Format, limit: usize) -> ExitCode {
    let files = match expand(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let mut failed = false;
    let mut json = Vec::new();
    // Deelzaken may start any process named here or lying beside one.
    let library = ProcessFiles::around(&files);
    let limits = Limits::offline(limit);
    for path in &files {
        let (file, diags) = match check_file(path, &library, &limits) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(USAGE);
            }
        };
        failed |= diags.iter().any(Diagnostic::is_error);
        match format {
            Format::Human => {
                for d in &diags {
                    eprintln!("{}", render(&file, d));
                }
            }
            Format::Json => json.extend(diags.iter().map(|d| file.to_json(d))),
        }
    }
    match format {
        Format::Human => {
            let bad = if failed { "with errors" } else { "ok" };
            eprintln!("checked {} file(s): {bad}", files.len());
        }
        Format::Json => println!("{}", serde_json::Value::Array(json)),
    }
    ExitCode::from(u8::from(failed))
}

/// Rewrites text process files in the canonical layout; with `check`, only says which are not.
pub fn fmt(files: &[String], check: bool) -> ExitCode {
    let mut unformatted = false;
    let mut failed = false;
    for file in files {
        if Syntax::from_path(file) != Some(Syntax::Text) {
            eprintln!("error: {file}: only text process files (.zaak) are formatted");
            return ExitCode::from(USAGE);
        }
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {file}: {e}");
                return ExitCode::from(USAGE);
            }
        };
        match zaak_dsl::format_source(&text) {
            Ok(formatted) if formatted == text => {}
            Ok(_) if check => {
                eprintln!("{file}: not formatted");
                unformatted = true;
            }
            Ok(formatted) => {
                if let Err(e) = std::fs::write(file, formatted) {
                    eprintln!("error: {file}: {e}");
                    failed = true;
                } else {
                    eprintln!("formatted {file}");
                }
            }
            Err(diagnostics) => {
                // A file with errors is left alone: formatting would drop what could not be read.
                let source = SourceFile::new(file.as_str(), text);
                for d in &diagnostics {
                    eprintln!("{}", source.render(d));
                }
                failed = true;
            }
        }
    }
    ExitCode::from(u8::from(failed || unformatted))
}

/// Reads one process file that must be valid; its problems are printed, and on failure the
/// exit code to stop with is returned instead of a model.
fn read_valid(file: &str) -> Result<zaak_dsl::ProcessModel, ExitCode> {
    let Some(syntax) = Syntax::from_path(file) else {
        eprintln!("error: {file}: not a process file (expected .zaak, .yaml or .yml)");
        return Err(ExitCode::from(USAGE));
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return Err(ExitCode::from(USAGE));
        }
    };
    let library = ProcessFiles::around(&[PathBuf::from(file)]);
    let checked = zaak_engine::check::check(&text, syntax, &library, &Limits::default());
    let source = SourceFile::new(file, text);
    for d in &checked.diagnostics {
        eprintln!("{}", source.render(d));
    }
    checked.deployable().map_err(|_| ExitCode::from(1))
}

pub fn convert(file: &str, to: Target) -> ExitCode {
    if is_pnml(file) {
        return crate::pnml::convert(file, to);
    }
    match read_valid(file) {
        Ok(model) => {
            match to {
                Target::Yaml => print!("{}", zaak_dsl::to_yaml(&model)),
                Target::Zaak => print!("{}", zaak_dsl::to_text(&model)),
            }
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

pub fn graph(file: &str, format: GraphFormat) -> ExitCode {
    use zaak_engine::diagram::{render, DiagramFormat};
    match read_valid(file) {
        Ok(model) => {
            let format = match format {
                GraphFormat::Dot => DiagramFormat::Dot,
                GraphFormat::Mermaid => DiagramFormat::Mermaid,
            };
            print!("{}", render(&model, format, &Default::default()));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
