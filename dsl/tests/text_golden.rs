//! Golden tests of the text syntax: every `golden/*.zaak` file is read, and what came out (the
//! rendered diagnostics, or the model as YAML when there are none) is compared with the `.out`
//! file beside it. Run with `UPDATE_EXPECT=1` to rewrite the `.out` files after a deliberate
//! change, then review the diff.

use std::path::{Path, PathBuf};
use zaak_dsl::{text, SourceFile};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// What reading one input gives, as the expected files hold it.
fn render(name: &str, source: &str) -> String {
    let loaded = text::parse(source);
    let file = SourceFile::new(name, source);
    if loaded.diagnostics.is_empty() {
        return match &loaded.model {
            Some(model) => serde_yaml::to_string(model).unwrap_or_else(|e| format!("{e}\n")),
            None => "no model and no diagnostics\n".to_string(),
        };
    }
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

/// Compares `actual` with the expected file, or rewrites it when `UPDATE_EXPECT` is set.
fn check_file(expected_path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected_path, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_default();
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{} differs (run with UPDATE_EXPECT=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
            expected_path.display()
        ))
    }
}

fn inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("the golden directory exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "zaak"))
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn golden_files_match() {
    let mut failures = Vec::new();
    let mut invalid = 0;
    let inputs = inputs();
    for input in &inputs {
        let source = std::fs::read_to_string(input).expect("readable input");
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !text::parse(&source).diagnostics.is_empty() {
            invalid += 1;
        }
        let actual = render(&name, &source);
        if let Err(e) = check_file(&input.with_extension("out"), &actual) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        inputs.len() - invalid >= 3,
        "valid golden inputs are missing"
    );
    assert!(invalid >= 12, "only {invalid} invalid golden inputs");
}

/// Every valid golden input is in canonical form after formatting once, and reads back the same.
#[test]
fn golden_valid_inputs_format_stably() {
    for input in inputs() {
        let source = std::fs::read_to_string(&input).expect("readable input");
        let Ok(formatted) = zaak_dsl::print::format_source(&source) else {
            continue;
        };
        let again = zaak_dsl::print::format_source(&formatted);
        assert_eq!(again.as_ref(), Ok(&formatted), "{}", input.display());
        assert_eq!(
            text::parse(&formatted).model,
            text::parse(&source).model,
            "{}",
            input.display()
        );
    }
}
