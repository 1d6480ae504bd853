//! Compiling, checking and evaluating never panic, whatever the expression.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use zaak_dsl::expr::{compile, Vars};
use zaak_dsl::Syntax;

fn data() -> Map<String, Value> {
    json!({"a": 1, "b": "x", "c": true, "d": "2024-02-29", "e": null, "f": [1, 2]})
        .as_object()
        .cloned()
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_text(source in "\\PC{0,60}") {
        let _ = compile(&source);
    }

    #[test]
    fn expression_like_text(source in "([abcdefg]|outcome\\.t|[0-9]{1,3}|\"[a-z0-9-]{0,10}\"|true|null|has\\(a\\)|add_days\\(d, ?a\\)|days_between\\(d, ?b\\)|date\\(\"2024-01-01\"\\)|[ ()\\[\\],!+*/%<>=&|.-]){0,25}") {
        let outcomes: BTreeMap<String, String> = [("t".to_string(), "ok".to_string())].into();
        let data = data();
        if let Ok(c) = compile(&source) {
            let _ = c.eval(&Vars { data: &data, outcomes: &outcomes });
            let _ = c.holds(&Vars { data: &data, outcomes: &outcomes });
        }
        // Type-checked as the condition of a choice in a whole process: every diagnostic
        // points into the file.
        prop_assume!(!source.contains("->") && !source.contains('#') && !source.trim().is_empty());
        let process = include_str!("../../processes/omgevingsvergunning.zaak").replace(
            r#"when monument || activiteit == "bouwen" && bouwsom > 100000.0 -> advies"#,
            &format!("when {source} -> advies"),
        );
        for d in zaak_dsl::load(&process, Syntax::Text).diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= process.len(), "{d:?}");
        }
    }
}

#[test]
fn long_and_deep_expressions_are_refused_or_evaluated_without_overflow() {
    let data = data();
    let outcomes = BTreeMap::new();
    let vars = Vars {
        data: &data,
        outcomes: &outcomes,
    };
    let long = format!("{}a", "a + ".repeat(99));
    assert_eq!(
        compile(&long).and_then(|c| c.eval(&vars)).ok(),
        Some(json!(100))
    );
    let too_long = format!("{}a", "a + ".repeat(600));
    assert!(compile(&too_long).is_err_and(|e| e.message.contains("longer than 2000")));
    let nested = format!("{}a", "a + ".repeat(100));
    assert!(compile(&nested).is_err_and(|e| e.message.contains("more than 100 operations")));
    let deep = format!("{}1{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(
        compile(&deep).and_then(|c| c.eval(&vars)).ok(),
        Some(json!(1))
    );
    let too_deep = format!("{}1{}", "(".repeat(65), ")".repeat(65));
    assert!(compile(&too_deep).is_err_and(|e| e.offset == Some(64)));
    let bangs = "!".repeat(1900) + "c";
    assert!(compile(&bangs).is_err());
}
