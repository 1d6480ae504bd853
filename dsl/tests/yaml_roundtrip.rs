//! `yaml::print` writes YAML that reads back to the same model.

use zaak_dsl::*;

fn n(s: &str) -> Name {
    Name::new(s)
}

fn step(name: &str, kind: StepKind) -> Step {
    Step {
        name: n(name),
        label: Some(format!("Stap {name}")),
        kind,
        span: Span::default(),
    }
}

fn field(name: &str, ty: DataType) -> DataField {
    DataField {
        name: n(name),
        ty,
        label: Some("Een veld: met dubbele punt".into()),
        required: true,
        citizen: true,
        span: Span::default(),
    }
}

/// A process that uses every step kind, every action and every optional part of the model.
fn every_kind() -> ProcessModel {
    ProcessModel {
        process: n("alles"),
        version: 3,
        title: "Alles: elke soort stap".into(),
        description: Some("Regel een\nregel twee".into()),
        legal_basis: Some("Awb 4:13".into()),
        initiator_action: Some("aanvragen".into()),
        term: Some(LegalTerm {
            duration: Duration::new(40, DurationUnit::WorkingDays),
            counting: TermCounting::WorkingDays,
        }),
        service_norm: Some(Duration::new(30, DurationUnit::Days)),
        suspension_allowed: true,
        extension: Some(Duration::new(6, DurationUnit::Weeks)),
        confidentiality: Confidentiality::BeperktOpenbaar,
        on_deadline: DeadlineEffect::VanRechtswege { result: n("klaar") },
        teams: vec![Team {
            name: n("team"),
            label: Some("Het team".into()),
            span: Span::default(),
        }],
        roles: vec![Role {
            name: n("behandelaar"),
            label: None,
            span: Span::default(),
        }],
        data: vec![
            field(
                "soort",
                DataType::Choice(vec!["ja".into(), "nee".into(), "true".into()]),
            ),
            field("bedrag", DataType::Number),
            field("datum", DataType::Date),
            field("spoed", DataType::Bool),
            field("tekst", DataType::Text),
        ],
        messages: vec![MessageDef {
            name: n("antwoord"),
            label: None,
            span: Span::default(),
        }],
        statuses: vec![StatusDef {
            name: n("open"),
            citizen_text: "Wij \"werken\" eraan: # geen commentaar".into(),
            notify: true,
            span: Span::default(),
        }],
        results: vec![ResultDef {
            name: n("klaar"),
            label: None,
            archive: ArchiveNomination::Destroy,
            retention: Some(Duration::new(5, DurationUnit::Years)),
            span: Span::default(),
        }],
        start: n("taak"),
        steps: vec![
            step(
                "taak",
                StepKind::Task(TaskStep {
                    team: n("team"),
                    role: Some(n("behandelaar")),
                    due: Some(Duration::new(5, DurationUnit::WorkingDays)),
                    priority: -2,
                    outcomes: vec![Outcome {
                        name: n("goed"),
                        label: Some("Goed".into()),
                        then: Some(n("auto")),
                        span: Span::default(),
                    }],
                    fields: vec![field("opmerking", DataType::Text)],
                    status_on_start: Some(n("open")),
                    status_on_end: Some(n("open")),
                    then: Some(n("auto")),
                }),
            ),
            step(
                "auto",
                StepKind::Auto(AutoStep {
                    actions: vec![
                        Action::Set {
                            field: n("bedrag"),
                            value: Expr::new("bedrag * 2 + 1"),
                        },
                        Action::Set {
                            field: n("tekst"),
                            value: Expr::new(r#""a: b" + tekst"#),
                        },
                        Action::Status(n("open")),
                        Action::Result(n("klaar")),
                        Action::Letter(n("brief")),
                        Action::Notify(n("melding")),
                    ],
                    then: n("keuze"),
                }),
            ),
            step(
                "keuze",
                StepKind::Choice(ChoiceStep {
                    branches: vec![Branch {
                        when: Expr::new("!spoed"),
                        then: n("of"),
                        span: Span::default(),
                    }],
                    otherwise: Some(n("en")),
                }),
            ),
            step(
                "of",
                StepKind::Inclusive(ChoiceStep {
                    branches: vec![
                        Branch {
                            when: Expr::new(r#"soort == "ja""#),
                            then: n("wacht"),
                            span: Span::default(),
                        },
                        Branch {
                            when: Expr::new("true"),
                            then: n("timer"),
                            span: Span::default(),
                        },
                    ],
                    otherwise: None,
                }),
            ),
            step(
                "en",
                StepKind::Parallel(ParallelStep {
                    branches: vec![n("wacht"), n("timer")],
                }),
            ),
            step(
                "wacht",
                StepKind::Wait(WaitStep {
                    message: n("antwoord"),
                    suspend: Some("Wachten".into()),
                    timeout: Some(Timeout {
                        after: Duration::new(2, DurationUnit::Weeks),
                        then: n("samen"),
                    }),
                    then: n("samen"),
                }),
            ),
            step(
                "timer",
                StepKind::Timer(TimerStep {
                    wait: TimerWait::Until(n("datum")),
                    then: n("timer2"),
                }),
            ),
            step(
                "timer2",
                StepKind::Timer(TimerStep {
                    wait: TimerWait::After(Duration::new(3, DurationUnit::Hours)),
                    then: n("samen"),
                }),
            ),
            step(
                "samen",
                StepKind::Join(JoinStep {
                    mode: JoinMode::Some,
                    split: Some(n("of")),
                    then: n("deelzaak"),
                }),
            ),
            step(
                "deelzaak",
                StepKind::Subcase(SubcaseStep {
                    process: n("advies"),
                    pass: vec![n("soort"), n("bedrag")],
                    wait: true,
                    then: n("einde"),
                }),
            ),
            step(
                "einde",
                StepKind::End(EndStep {
                    result: Some(n("klaar")),
                    status: Some(n("open")),
                }),
            ),
            step("kaal", StepKind::End(EndStep::default())),
        ],
        span: Span::default(),
    }
}

fn round_trip(model: &ProcessModel) -> ProcessModel {
    let text = zaak_dsl::to_yaml(model);
    let loaded = zaak_dsl::parse(&text, zaak_dsl::Syntax::Yaml);
    assert_eq!(loaded.diagnostics, vec![], "{text}");
    loaded
        .model
        .unwrap_or_else(|| panic!("no model from\n{text}"))
}

#[test]
fn every_step_kind_survives_print_and_parse() {
    let model = every_kind();
    assert_eq!(round_trip(&model), model);
}

#[test]
fn other_deadline_effects_and_defaults_survive() {
    let mut model = every_kind();
    for effect in [DeadlineEffect::Warning, DeadlineEffect::Dwangsom] {
        model.on_deadline = effect;
        model.term = None;
        model.extension = None;
        model.confidentiality = Confidentiality::Openbaar;
        assert_eq!(round_trip(&model), model);
    }
}

#[test]
fn the_example_survives_print_and_parse() {
    let loaded = zaak_dsl::parse(
        include_str!("yaml_fixtures/omgevingsvergunning.yaml"),
        zaak_dsl::Syntax::Yaml,
    );
    let model = loaded.model.unwrap_or_else(|| unreachable!());
    assert_eq!(round_trip(&model), model);
}

#[test]
fn printed_yaml_uses_single_key_maps_not_tags() {
    let text = zaak_dsl::to_yaml(&every_kind());
    assert!(!text.contains(" !"), "{text}");
    assert!(text.contains("- status: open"), "{text}");
    assert!(text.contains("choice:"), "{text}");
}

#[test]
fn printed_spans_point_into_the_printed_text() {
    let text = zaak_dsl::to_yaml(&every_kind());
    let model = zaak_dsl::parse(&text, zaak_dsl::Syntax::Yaml)
        .model
        .unwrap_or_else(|| unreachable!());
    for s in &model.steps {
        assert_eq!(&text[s.name.span.start..s.name.span.end], s.name.name);
    }
    let diagnostics = zaak_dsl::load(&text, zaak_dsl::Syntax::Yaml).diagnostics;
    // The model is valid apart from the unused end step `kaal`, which is reported at its name.
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["Z0301"], "{diagnostics:?}");
    for d in &diagnostics {
        assert_eq!(&text[d.span.start..d.span.end], "kaal");
    }
}
