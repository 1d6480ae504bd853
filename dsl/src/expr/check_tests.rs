//! Type checking of expressions against the case data of a process.

use super::{check, ExpectedType, ExprProblem};
use crate::{DataType, ProcessModel};

fn model() -> ProcessModel {
    let source = include_str!("../../tests/yaml_fixtures/omgevingsvergunning.yaml");
    let loaded = crate::parse(source, crate::Syntax::Yaml);
    assert_eq!(loaded.diagnostics, vec![]);
    loaded.model.unwrap_or_else(|| unreachable!())
}

fn problems(source: &str) -> Vec<ExprProblem> {
    check(source, &model(), ExpectedType::Condition)
}

fn one(source: &str, expected: ExpectedType) -> ExprProblem {
    let found = check(source, &model(), expected);
    assert_eq!(found.len(), 1, "{source}: {found:?}");
    found.into_iter().next().unwrap_or_else(|| unreachable!())
}

fn text_at<'a>(source: &'a str, p: &ExprProblem) -> &'a str {
    &source[p.range.clone()]
}

#[test]
fn good_conditions_have_no_problems() {
    for source in [
        r#"monument || activiteit == "bouwen" && bouwsom > 100000.0"#,
        r#"outcome.volledigheid == "onvolledig""#,
        r#"activiteit in ["bouwen", "slopen"]"#,
        "has(bouwsom) && bouwsom >= 0",
        "brandveiligheid_akkoord == false",
        r#"welstandsadvies != "negatief""#,
        "bouwsom == null",
    ] {
        assert_eq!(problems(source), vec![], "{source}");
    }
}

#[test]
fn unknown_variable_suggests_the_nearest_field() {
    let source = "monumnet || bouwsom > 1";
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0202");
    assert_eq!(p.message, "`monumnet` is not a case data field");
    assert_eq!(p.help.as_deref(), Some("did you mean `monument`?"));
    assert_eq!(text_at(source, &p), "monumnet");
}

#[test]
fn unknown_variable_without_a_near_name_lists_the_fields() {
    let p = one("zzz", ExpectedType::Any);
    assert_eq!(p.code, "Z0202");
    assert!(p
        .help
        .is_some_and(|h| h.starts_with("the case data fields are aanvrager, adres")));
}

#[test]
fn comparing_a_number_with_text_is_a_type_error() {
    let source = r#"bouwsom == "veel""#;
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0203");
    assert_eq!(
        p.message,
        "`==` compares a number with text; they can never be equal"
    );
    assert_eq!(text_at(source, &p), source);
}

#[test]
fn a_choice_compared_with_a_value_not_in_its_list_names_the_values() {
    let source = r#"activiteit == "bouwn""#;
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0204");
    assert_eq!(
        p.message,
        r#""bouwn" is not one of the choice `activiteit`: "bouwen", "slopen", "kappen", "uitweg""#
    );
    assert_eq!(p.help.as_deref(), Some(r#"did you mean "bouwen"?"#));
    assert_eq!(text_at(source, &p), r#""bouwn""#);
}

#[test]
fn values_in_an_in_list_are_checked_against_the_choice() {
    let source = r#"activiteit in ["bouwen", "slopn"]"#;
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0204");
    assert_eq!(text_at(source, &p), r#""slopn""#);
}

#[test]
fn a_condition_must_give_true_or_false() {
    let p = one("bouwsom + 1", ExpectedType::Condition);
    assert_eq!(p.code, "Z0205");
    assert_eq!(
        p.message,
        "this condition gives a number, not true or false"
    );
}

#[test]
fn outcome_of_something_that_is_not_a_task() {
    let source = r#"outcome.volledighied == "volledig""#;
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0206");
    assert_eq!(p.message, "there is no task `volledighied`");
    assert_eq!(p.help.as_deref(), Some("did you mean `volledigheid`?"));
    assert_eq!(text_at(source, &p), "outcome.volledighied");

    let p = one(r#"outcome.advies == "x""#, ExpectedType::Condition);
    assert_eq!(p.message, "`advies` is not a task, so it has no outcome");
    let p = one(
        r#"outcome.besluit_verlenen == "x""#,
        ExpectedType::Condition,
    );
    assert_eq!(p.message, "the task `besluit_verlenen` has no outcomes");
}

#[test]
fn an_outcome_compared_with_a_value_the_task_cannot_give() {
    let source = r#"outcome.volledigheid == "compleet""#;
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0207");
    assert_eq!(
        p.message,
        r#""compleet" is not one of the outcomes of `volledigheid`: "volledig", "onvolledig", "ingetrokken""#
    );
}

#[test]
fn set_values_must_match_the_field_type() {
    assert_eq!(
        check(
            "bouwsom * 2",
            &model(),
            ExpectedType::Value(DataType::Number)
        ),
        vec![]
    );
    let p = one(r#""veel""#, ExpectedType::Value(DataType::Number));
    assert_eq!(p.code, "Z0208");
    assert_eq!(p.message, "this value is text, but the field is number");
    let choice = DataType::Choice(vec!["ja".into(), "nee".into()]);
    assert_eq!(
        check(r#""ja""#, &model(), ExpectedType::Value(choice.clone())),
        vec![]
    );
    let p = one(r#""jaa""#, ExpectedType::Value(choice));
    assert_eq!(p.code, "Z0204");
    assert_eq!(
        check(
            r#""2024-01-31""#,
            &model(),
            ExpectedType::Value(DataType::Date)
        ),
        vec![]
    );
    let p = one(r#""31 januari""#, ExpectedType::Value(DataType::Date));
    assert_eq!(p.code, "Z0208");
}

#[test]
fn dates_compare_only_with_dates() {
    let mut m = model();
    m.data.push(crate::DataField {
        name: crate::Name::new("ontvangen"),
        ty: DataType::Date,
        label: None,
        required: false,
        citizen: false,
        span: Default::default(),
    });
    assert_eq!(
        check(r#"ontvangen < "2024-07-01""#, &m, ExpectedType::Condition),
        vec![]
    );
    assert_eq!(
        check(
            "add_days(ontvangen, 14) > ontvangen",
            &m,
            ExpectedType::Condition
        ),
        vec![]
    );
    let found = check(r#"ontvangen < "1 juli""#, &m, ExpectedType::Condition);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "\"1 juli\" is not a date");
    let found = check("ontvangen > bouwsom", &m, ExpectedType::Condition);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "Z0203");
    let found = check("ontvangen + 14", &m, ExpectedType::Value(DataType::Date));
    assert!(found
        .iter()
        .any(|p| p.help.as_deref() == Some("use `add_days(date, days)` to move a date")));
}

#[test]
fn choices_have_no_order() {
    let p = one(r#"activiteit < "slopen""#, ExpectedType::Condition);
    assert_eq!(p.code, "Z0203");
    assert_eq!(
        p.help.as_deref(),
        Some("the values of a choice have no order; use `==` or `in`")
    );
}

#[test]
fn logic_needs_booleans() {
    let source = "bouwsom && monument";
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0203");
    assert_eq!(text_at(source, &p), "bouwsom");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let found = problems(r#"monumnet || activiteit == "bouwn" || outcome.x == "y""#);
    let codes: Vec<&str> = found.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, vec!["Z0202", "Z0204", "Z0206"]);
}

#[test]
fn syntax_errors_are_problems_with_a_position() {
    let source = "bouwsom >> 3";
    let p = one(source, ExpectedType::Condition);
    assert_eq!(p.code, "Z0201");
    assert_eq!(p.range.start, 9);
}
