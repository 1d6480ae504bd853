//! The offline commands on process files: `check`, `fmt` and `convert`.

use crate::{Format, GraphFormat, Target};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zaak_dsl::{Diagnostic, SourceFile, Syntax};

/// Exit code for a usage problem (a missing file, an unknown extension), as clap uses.
const USAGE: u8 = 2;

/// Every process file named, with directories expanded to the process files inside them.
fn expand(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walk(path).map_err(|e| format!("{p}: {e}"))?;
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            if Syntax::from_path(p).is_none() {
                return Err(format!(
                    "{p}: not a process file (expected .zaak, .yaml or .yml)"
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
        } else if Syntax::from_path(&path.to_string_lossy()).is_some() {
            out.push(path);
        }
    }
    Ok(out)
}

/// Reads a file and checks it; the diagnostics are returned with the source they point into.
pub fn check_file(path: &Path) -> Result<(SourceFile, Vec<Diagnostic>), String> {
    let name = path.to_string_lossy().to_string();
    let syntax = Syntax::from_path(&name).ok_or_else(|| format!("{name}: not a process file"))?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let loaded = zaak_dsl::load(&text, syntax);
    Ok((SourceFile::new(name, text), loaded.diagnostics))
}

pub fn check(paths: &[String], format: Format) -> ExitCode {
    let files = match expand(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let mut failed = false;
    let mut json = Vec::new();
    for path in &files {
        let (file, diags) = match check_file(path) {
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
                    eprintln!("{}", file.render(d));
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
        match zaak_dsl::print::format_source(&text) {
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
    let loaded = zaak_dsl::load(&text, syntax);
    let source = SourceFile::new(file, text);
    for d in &loaded.diagnostics {
        eprintln!("{}", source.render(d));
    }
    match loaded.model {
        Some(model) if !loaded.diagnostics.iter().any(Diagnostic::is_error) => Ok(model),
        _ => Err(ExitCode::from(1)),
    }
}

pub fn convert(file: &str, to: Target) -> ExitCode {
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
