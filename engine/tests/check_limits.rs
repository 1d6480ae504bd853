//! The one check stays within its limits: a deploy refuses a process it cannot prove sound
//! within the deploy limit, an offline check only warns, and large processes are checked in
//! time and memory that grow linearly with their size.

use zaak_dsl::Syntax;
use zaak_engine::check::{check, Limits, NoLibrary};
use zaak_engine::soundness::DEFAULT_LIMIT;

/// A parallel split into `n` tasks joined again: 2^n markings.
fn wide(n: usize) -> String {
    let branches: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
    let mut src = format!(
        "process breed version 1 {{\n    title \"Breed\"\n    start splitsen\n    team t \"Team\"\n    status open \"Open.\"\n    result klaar \"Klaar\" destroy after 1 year\n    parallel splitsen -> {}\n",
        branches.join(", ")
    );
    for b in &branches {
        src.push_str(&format!(
            "    task {b} {{\n        team t\n        then samen\n    }}\n"
        ));
    }
    src.push_str("    join samen all -> einde\n    end einde result klaar\n}\n");
    src
}

/// `n` tasks one after the other.
fn chain(n: usize) -> String {
    let mut src = String::from(
        "process keten version 1 {\n    title \"Keten\"\n    start s0\n    team t \"Team\"\n    status open \"Open.\"\n    result klaar \"Klaar\" destroy after 1 year\n",
    );
    for i in 0..n {
        src.push_str(&format!(
            "    task s{i} {{\n        team t\n        then s{}\n    }}\n",
            i + 1
        ));
    }
    src.push_str(&format!("    end s{n} result klaar\n}}\n"));
    src
}

fn codes(diagnostics: &[zaak_dsl::Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn a_deploy_refuses_a_process_it_cannot_prove_sound() {
    let limits = Limits {
        markings: 100,
        refuse_unproven: true,
    };
    let checked = check(&wide(10), Syntax::Text, &NoLibrary, &limits);
    assert_eq!(codes(&checked.diagnostics), ["Z0407"]);
    assert!(checked.has_errors());
    let message = &checked.diagnostics[0].message;
    assert!(message.contains("stopped after 100 markings"), "{message}");
    assert!(checked.deployable().is_err());
}

#[test]
fn an_offline_check_only_warns_at_its_limit() {
    let checked = check(&wide(10), Syntax::Text, &NoLibrary, &Limits::offline(100));
    assert_eq!(codes(&checked.diagnostics), ["Z0405"]);
    assert!(!checked.has_errors());
    assert!(checked.deployable().is_ok());
}

#[test]
fn within_its_limit_a_wide_process_is_proven_sound() {
    // 2^10 + 2 markings fit in the deploy limit.
    let checked = check(&wide(10), Syntax::Text, &NoLibrary, &Limits::DEPLOY);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn the_deploy_limit_refuses_a_process_of_more_markings() {
    // 2^17 + 2 markings: more than the deploy limit explores.
    let checked = check(&wide(17), Syntax::Text, &NoLibrary, &Limits::DEPLOY);
    assert_eq!(codes(&checked.diagnostics), ["Z0407"]);
    let message = &checked.diagnostics[0].message;
    assert!(
        message.contains(&format!("stopped after {DEFAULT_LIMIT} markings")),
        "{message}"
    );
}

/// A chain of 20,000 steps (a megabyte of source) is read, validated, compiled and proven
/// sound. When a marking was a vector of every place this needed 20,000 x 20,000 x 4 bytes,
/// and validation looked every step reference up in a list of all steps.
#[test]
fn a_long_chain_is_checked_whole() {
    let source = chain(20_000);
    assert!(source.len() > 1_000_000, "{}", source.len());
    let checked = check(&source, Syntax::Text, &NoLibrary, &Limits::DEPLOY);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn a_dead_end_at_the_end_of_a_long_chain_is_found_and_explained() {
    // The last task leads back to the first: a loop of 5,000 steps with no way out, whose
    // explanation walks every step of it.
    let source = chain(5_000).replace("then s5000\n", "then s0\n");
    let loaded = zaak_dsl::parse(&source, Syntax::Text);
    let model = loaded.model.expect("a model");
    let net = zaak_engine::compile::compile(&model).expect("compiles");
    let found = zaak_engine::soundness::diagnostics(&model, &net, DEFAULT_LIMIT);
    let found = codes(&found);
    assert!(found.contains(&"Z0402"), "{found:?}");
}
