//! Soundness diagnostics on a real process with a classic mistake, rendered as `zaak check`
//! shows them: the message, the source line of the step and the counterexample. The expected
//! renderings are files in `tests/data/rendered/`; run with `UPDATE_GOLDEN=1` to rewrite them.

use zaak_dsl::{SourceFile, Syntax};
use zaak_engine::compile::compile;
use zaak_engine::soundness::{diagnostics, DEFAULT_LIMIT};

fn render(path: &str, source: &str) -> String {
    render_with(path, source, zaak_dsl::load)
}

/// Renders the soundness diagnostics of a source read with `read` (with or without validation).
fn render_with(path: &str, source: &str, read: fn(&str, Syntax) -> zaak_dsl::Loaded) -> String {
    let loaded = read(source, Syntax::Text);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.expect("a model");
    let net = compile(&model).expect("compiles");
    let file = SourceFile::new(path, source);
    diagnostics(&model, &net, DEFAULT_LIMIT)
        .iter()
        .map(|d| file.render(d))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares with the golden file, or rewrites it when asked to.
fn expect_file(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/rendered")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("writable");
        std::fs::write(&path, actual).expect("writable");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual,
        expected,
        "{} differs; UPDATE_GOLDEN=1 rewrites it",
        path.display()
    );
}

fn omgevingsvergunning() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../processes/omgevingsvergunning.zaak"),
    )
    .expect("readable")
}

#[test]
fn advice_as_a_choice_closed_by_join_all() {
    let source = omgevingsvergunning().replace(
        "parallel advies \"Advies vragen\" -> welstandsadvies, brandveiligheidsadvies",
        "choice advies \"Advies vragen\" {\n        when monument -> welstandsadvies\n        otherwise -> brandveiligheidsadvies\n    }",
    );
    let rendered = render("omgevingsvergunning.zaak", &source);
    assert!(rendered.contains("Z0401"));
    expect_file("choice_closed_by_join_all.txt", &rendered);
}

#[test]
fn advice_branches_meeting_without_a_join() {
    let source = omgevingsvergunning().replace(
        "then adviezen_binnen\n    }\n\n    task brandveiligheidsadvies",
        "then beoordelen\n    }\n\n    task brandveiligheidsadvies",
    );
    let rendered = render("omgevingsvergunning.zaak", &source);
    assert!(rendered.contains("Z0403"));
    expect_file("parallel_without_join.txt", &rendered);
}

#[test]
fn waiting_for_completion_without_a_way_out() {
    // The wait goes back to the request whether the completion comes or not. Validation says
    // no end can be reached from there; the soundness check shows the loop and how a case gets
    // into it.
    let source = omgevingsvergunning().replace(
        "timeout 4 weeks -> buiten_behandeling\n        then volledigheid",
        "timeout 4 weeks -> verzoek_aanvulling\n        then verzoek_aanvulling",
    );
    let rendered = render_with("omgevingsvergunning.zaak", &source, zaak_dsl::parse);
    assert!(rendered.contains("Z0402"));
    expect_file("loop_without_exit.txt", &rendered);
}
