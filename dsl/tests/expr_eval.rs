//! Evaluation of conditions and values against case data.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use zaak_dsl::expr::{compile, Vars};
use zaak_dsl::value::{parse_date, CivilDate};

fn eval_with(source: &str, data: Value, outcomes: &[(&str, &str)]) -> Value {
    let data: Map<String, Value> = data.as_object().cloned().unwrap_or_default();
    let outcomes: BTreeMap<String, String> = outcomes
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let compiled = compile(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    compiled
        .eval(&Vars {
            data: &data,
            outcomes: &outcomes,
        })
        .unwrap_or_else(|e| panic!("{source}: {e}"))
}

fn eval(source: &str, data: Value) -> Value {
    eval_with(source, data, &[])
}

fn holds(source: &str, data: Value) -> bool {
    let data: Map<String, Value> = data.as_object().cloned().unwrap_or_default();
    let outcomes = BTreeMap::new();
    compile(source)
        .and_then(|c| {
            c.holds(&Vars {
                data: &data,
                outcomes: &outcomes,
            })
        })
        .unwrap_or_else(|e| panic!("{source}: {e}"))
}

#[test]
fn the_advice_condition_of_the_omgevingsvergunning() {
    let cond = r#"monument || activiteit == "bouwen" && bouwsom > 100000.0"#;
    assert!(holds(
        cond,
        json!({"monument": true, "activiteit": "kappen"})
    ));
    assert!(holds(
        cond,
        json!({"monument": false, "activiteit": "bouwen", "bouwsom": 250000})
    ));
    assert!(!holds(
        cond,
        json!({"monument": false, "activiteit": "bouwen", "bouwsom": 50000})
    ));
    assert!(!holds(
        cond,
        json!({"monument": false, "activiteit": "slopen", "bouwsom": 250000})
    ));
}

#[test]
fn and_binds_tighter_than_or() {
    assert!(holds("true || false && false", json!({})));
    assert!(!holds("(true || false) && false", json!({})));
}

#[test]
fn arithmetic_follows_precedence_and_keeps_whole_numbers_whole() {
    assert_eq!(eval("1 + 2 * 3", json!({})), json!(7));
    assert_eq!(eval("(1 + 2) * 3", json!({})), json!(9));
    assert_eq!(eval("7 % 4 - -1", json!({})), json!(4));
    assert_eq!(eval("bouwsom / 4", json!({"bouwsom": 10})), json!(2.5));
    assert_eq!(eval("aantal + 1", json!({"aantal": 2})), json!(3));
}

#[test]
fn numbers_compare_across_integer_and_float() {
    assert!(holds("bouwsom == 100000.0", json!({"bouwsom": 100000})));
    assert!(holds("bouwsom >= 100000", json!({"bouwsom": 100000.0})));
}

#[test]
fn text_compares_and_concatenates() {
    assert!(holds(r#"naam == "Jansen""#, json!({"naam": "Jansen"})));
    assert!(holds(r#"naam != "jansen""#, json!({"naam": "Jansen"})));
    assert_eq!(
        eval(
            r#"naam + " (" + plaats + ")""#,
            json!({"naam": "Jansen", "plaats": "Breda"})
        ),
        json!("Jansen (Breda)")
    );
    assert_eq!(eval(r#""a \"b\" \\ c""#, json!({})), json!("a \"b\" \\ c"));
}

#[test]
fn choice_values_and_in_lists() {
    let data = json!({"activiteit": "slopen"});
    assert!(holds(r#"activiteit in ["bouwen", "slopen"]"#, data.clone()));
    assert!(!holds(
        r#"activiteit in ["bouwen", "kappen"]"#,
        data.clone()
    ));
    assert!(holds(r#"!(activiteit == "bouwen")"#, data));
}

#[test]
fn dates_compare_in_time_order() {
    let data = json!({"ontvangen": "2024-03-01", "besluit": "2024-12-31"});
    assert!(holds("ontvangen < besluit", data.clone()));
    assert!(holds(r#"besluit > "2024-06-30""#, data.clone()));
    assert!(holds(r#"ontvangen == date("2024-03-01")"#, data.clone()));
    assert_eq!(
        eval("days_between(ontvangen, besluit)", data.clone()),
        json!(305)
    );
    assert_eq!(
        eval("add_days(ontvangen, 28)", data.clone()),
        json!("2024-03-29")
    );
    assert_eq!(eval("add_days(besluit, 1)", data), json!("2025-01-01"));
}

#[test]
fn date_arithmetic_knows_leap_years() {
    // Dates are read by the one strict reader, `value::parse_date`.
    let day = |s: &str| parse_date(s).ok().map(CivilDate::days_since_epoch);
    assert_eq!(day("1970-01-01"), Some(0));
    assert_eq!(
        day("2024-02-29").map(|d| CivilDate::from_days_since_epoch(d).to_string()),
        Some("2024-02-29".into())
    );
    assert_eq!(day("2023-02-29"), None);
    assert_eq!(day("2024-13-01"), None);
    assert_eq!(day("24-01-01"), None);
    assert_eq!(
        eval(r#"days_between("2024-02-28", "2024-03-01")"#, json!({})),
        json!(2)
    );
    assert_eq!(
        eval(r#"add_days("2024-02-28", 2)"#, json!({})),
        json!("2024-03-01")
    );
}

#[test]
fn outcomes_are_read_by_task_name() {
    let out = [("volledigheid", "onvolledig")];
    assert_eq!(
        eval_with(r#"outcome.volledigheid == "onvolledig""#, json!({}), &out),
        json!(true)
    );
    assert_eq!(
        eval_with(r#"outcome.beoordelen == "verlenen""#, json!({}), &out),
        json!(false)
    );
    assert_eq!(
        eval_with("has(outcome.beoordelen)", json!({}), &out),
        json!(false)
    );
}

#[test]
fn unset_fields_are_null_and_never_fail_a_condition() {
    assert_eq!(eval("bouwsom", json!({})), Value::Null);
    assert!(!holds("bouwsom > 100000", json!({})));
    assert!(!holds("bouwsom < 100000", json!({})));
    assert!(!holds("monument", json!({})));
    assert!(holds("!monument", json!({})));
    assert!(holds("bouwsom == null", json!({})));
    assert!(!holds("has(bouwsom)", json!({})));
    assert!(holds("has(bouwsom)", json!({"bouwsom": 0})));
    assert_eq!(eval("bouwsom + 1", json!({})), Value::Null);
    assert_eq!(eval("add_days(ontvangen, 3)", json!({})), Value::Null);
}

#[test]
fn runtime_type_errors_are_errors_not_panics() {
    let data: Map<String, Value> = json!({"naam": "Jansen", "n": 0})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let outcomes = BTreeMap::new();
    let vars = Vars {
        data: &data,
        outcomes: &outcomes,
    };
    for source in [
        "naam > 3",
        "naam - 1",
        "1 / n",
        "naam && true",
        "add_days(naam, 1)",
        "naam",
    ] {
        let compiled = compile(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert!(compiled.holds(&vars).is_err(), "{source} should fail");
    }
}

#[test]
fn syntax_errors_say_where_and_what() {
    let err = compile("bouwsom > ").err().map(|e| (e.offset, e.message));
    assert_eq!(err.as_ref().map(|e| e.0), Some(Some(10)));
    assert!(err.is_some_and(|e| e.1.contains("expected")));
    let err = compile("monument &&& x").err();
    assert_eq!(err.and_then(|e| e.offset), Some(11));
    let err = compile("lengte(naam) > 3").err().map(|e| e.message);
    assert!(err.is_some_and(|m| m.contains("no function `lengte`")));
    let err = compile("adres.straat").err().map(|e| e.message);
    assert!(err.is_some_and(|m| m.contains("`adres` has no parts")));
    let err = compile(r#"date("1 april")"#).err().map(|e| e.message);
    assert!(err.is_some_and(|m| m.contains("YYYY-MM-DD")));
}

#[test]
fn compiled_reports_the_fields_it_reads() {
    let c = compile(r#"monument || activiteit == "bouwen" && monument"#).ok();
    assert_eq!(
        c.map(|c| c.fields().join(",")),
        Some("monument,activiteit".into())
    );
}

#[test]
fn compile_never_panics_on_odd_input() {
    for s in [
        "",
        "(",
        ")",
        "\"",
        "\"\\",
        "[",
        "[1,",
        "!",
        "-",
        "1..2",
        "a.",
        ".a",
        "ä == ö",
        "1 in 2",
        "((((((1))))))",
    ] {
        let _ = compile(s);
    }
}

#[test]
fn compiled_expressions_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<zaak_dsl::expr::Compiled>();
}
