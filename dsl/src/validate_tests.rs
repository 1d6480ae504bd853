//! Validation of models built in code, which have no spans: problems are still found, and
//! point at the empty span rather than at a wrong place.

use super::{check, Reading};
use crate::*;

/// Validation of a model that was not read from a source, so nothing in it was skipped.
fn validate(model: &ProcessModel) -> Vec<Diagnostic> {
    check(
        model,
        &Reading {
            complete: true,
            skipped: &[],
        },
    )
}

fn model() -> ProcessModel {
    let n = Name::new;
    ProcessModel {
        process: n("klacht"),
        version: 1,
        title: "Klacht".into(),
        description: None,
        legal_basis: None,
        initiator_action: None,
        term: None,
        service_norm: None,
        suspension_allowed: false,
        extension: None,
        confidentiality: Confidentiality::default(),
        on_deadline: DeadlineEffect::default(),
        teams: vec![Team {
            name: n("klachten"),
            label: None,
            span: Span::default(),
        }],
        roles: vec![],
        data: vec![DataField {
            name: n("ernstig"),
            ty: DataType::Bool,
            label: None,
            required: true,
            citizen: false,
            span: Span::default(),
        }],
        messages: vec![],
        statuses: vec![StatusDef {
            name: n("ontvangen"),
            citizen_text: "Ontvangen".into(),
            notify: false,
            span: Span::default(),
        }],
        results: vec![],
        start: n("behandelen"),
        steps: vec![
            Step {
                name: n("behandelen"),
                label: None,
                kind: StepKind::Task(TaskStep {
                    team: n("klachten"),
                    role: None,
                    due: None,
                    priority: 0,
                    outcomes: vec![],
                    fields: vec![],
                    status_on_start: None,
                    status_on_end: None,
                    then: Some(n("ernst")),
                }),
                span: Span::default(),
            },
            Step {
                name: n("ernst"),
                label: None,
                kind: StepKind::Choice(ChoiceStep {
                    branches: vec![
                        Branch {
                            when: Expr::new("ernstig"),
                            then: n("einde"),
                            span: Span::default(),
                        },
                        Branch {
                            when: Expr::new("ernstig == false"),
                            then: n("einde"),
                            span: Span::default(),
                        },
                    ],
                    otherwise: None,
                }),
                span: Span::default(),
            },
            Step {
                name: n("einde"),
                label: None,
                kind: StepKind::End(EndStep::default()),
                span: Span::default(),
            },
        ],
        span: Span::default(),
    }
}

#[test]
fn a_good_model_built_in_code_has_no_problems() {
    assert_eq!(validate(&model()), vec![]);
}

#[test]
fn problems_in_a_model_built_in_code_are_found() {
    let mut m = model();
    m.start = Name::new("behandelen_");
    if let StepKind::Choice(c) = &mut m.steps[1].kind {
        c.branches[1].when = Expr::new("ernstig == \"ja\"");
    }
    let found: Vec<(&str, String)> = validate(&m)
        .into_iter()
        .map(|d| {
            assert!(d.span.is_empty());
            (d.code.as_str(), d.message)
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("Z0102", "there is no step `behandelen_`".to_string()),
            (
                "Z0203",
                "`==` compares true/false with text; they can never be equal".to_string()
            ),
            (
                "Z0302",
                "the choice `ernst` has no `otherwise`, and its conditions do not cover every case"
                    .to_string()
            ),
        ]
    );
}
