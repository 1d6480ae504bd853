//! Every code in the registry has its page under docs/errors/, with the registry's title and
//! severity, a cause and a fix; every page belongs to a code; the index lists every code.

use std::path::{Path, PathBuf};
use zaak_dsl::{Code, Severity};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn page(code: Code) -> String {
    let path = repository().join(code.page());
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{code} has no page at {}: {e}", path.display()))
}

#[test]
fn every_code_has_a_page_with_its_title_cause_and_fix() {
    for &code in Code::ALL {
        let text = page(code);
        let heading = format!("# {code}: {}\n", code.title());
        assert!(
            text.starts_with(&heading),
            "{code}: the page must start with {heading:?}"
        );
        let severity = match code.severity() {
            Severity::Error => "**Severity:** error.",
            Severity::Warning => "**Severity:** warning.",
        };
        assert!(
            text.contains(severity),
            "{code}: the page must say {severity}"
        );
        assert!(text.contains("**Cause.**"), "{code} has no cause");
        assert!(text.contains("**Fix.**"), "{code} has no fix");
    }
}

#[test]
fn every_page_belongs_to_a_code() {
    let dir = repository().join("docs/errors");
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("docs/errors exists") {
        let name = entry.expect("a readable entry").file_name();
        let name = name.to_string_lossy();
        let code = name.strip_suffix(".md").and_then(Code::parse);
        if code.is_none() {
            orphans.push(name.into_owned());
        }
    }
    assert!(orphans.is_empty(), "pages without a code: {orphans:?}");
}

#[test]
fn the_index_links_every_code_with_its_title() {
    let index = std::fs::read_to_string(repository().join("docs/errors.md")).expect("the index");
    for &code in Code::ALL {
        let row = format!("| [{code}](errors/{code}.md) | {} |", code.title());
        assert!(index.contains(&row), "docs/errors.md lacks the row {row:?}");
    }
}
