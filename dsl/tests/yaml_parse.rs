//! Reading YAML: errors with their real location, unknown step keys, and spans for validation.

use zaak_dsl::{Diagnostic, SourceFile, StepKind};

const FIXTURE: &str = include_str!("yaml_fixtures/omgevingsvergunning.yaml");

fn line_col(source: &str, d: &Diagnostic) -> (usize, usize) {
    SourceFile::new("t.yaml", source).line_col(d.span.start)
}

fn only(source: &str) -> Diagnostic {
    let loaded = zaak_dsl::parse(source, zaak_dsl::Syntax::Yaml);
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    loaded.diagnostics[0].clone()
}

#[test]
fn z0090_invalid_yaml_has_a_location() {
    let source = "process: x\nversion: 1\n  title: bad indent\n";
    let d = only(source);
    assert_eq!(d.code, "Z0090");
    assert!(
        d.message.starts_with("this is not valid YAML: "),
        "{}",
        d.message
    );
    assert!(!d.message.contains(" at line "), "{}", d.message);
    assert_eq!(line_col(source, &d).0, 3);
}

#[test]
fn z0092_a_misspelt_key_names_the_line_and_the_likely_key() {
    let source = FIXTURE.replace("      team: intake\n", "      tem: intake\n");
    let loaded = zaak_dsl::parse(&source, zaak_dsl::Syntax::Yaml);
    assert!(loaded.model.is_none());
    // serde's own report of the same key is not repeated.
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "Z0092");
    assert_eq!(
        d.message,
        "unknown key `tem` in the task of the step `volledigheid`"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `team`?"));
    assert_eq!(&source[d.span.start..d.span.end], "tem");
    let line = source
        .lines()
        .position(|l| l.trim() == "tem: intake")
        .map(|i| i + 1);
    assert_eq!(Some(line_col(&source, d).0), line);
}

#[test]
fn z0092_every_unknown_key_is_reported_at_once() {
    let source = FIXTURE
        .replace("service_norm: 6 weeks", "servicenorm: 6 weeks")
        .replace(
            "  - name: intake\n    label:",
            "  - name: intake\n    lable:",
        )
        .replace("    type: number\n", "    typ: number\n")
        .replace(
            "          then: verzoek_aanvulling",
            "          than: verzoek_aanvulling",
        )
        .replace("  duration: 8 weeks", "  duraton: 8 weeks")
        .replace("        after: 4 weeks", "        afterr: 4 weeks");
    let loaded = zaak_dsl::parse(&source, zaak_dsl::Syntax::Yaml);
    let found: Vec<(String, &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), &source[d.span.start..d.span.end]))
        .collect();
    assert_eq!(
        found,
        vec![
            ("unknown key `duraton` in `term`".to_string(), "duraton"),
            ("unknown key `servicenorm` in the process".to_string(), "servicenorm"),
            ("unknown key `lable` in the team `intake`".to_string(), "lable"),
            ("unknown key `typ` in the data field `bouwsom`".to_string(), "typ"),
            (
                "unknown key `than` in the outcome `onvolledig` of the task of the step `volledigheid`".to_string(),
                "than"
            ),
            (
                "unknown key `afterr` in the timeout of the wait of the step `wacht_op_aanvulling`".to_string(),
                "afterr"
            ),
        ]
    );
    assert!(loaded.diagnostics.iter().all(|d| d.code == "Z0092"));
}

#[test]
fn z0012_an_unknown_level_suggests_the_nearest() {
    let source = FIXTURE.replace(
        "confidentiality: zaakvertrouwelijk",
        "confidentiality: zaakvertrouwlijk",
    );
    let d = only(&source);
    assert_eq!(d.code, "Z0012");
    assert!(d
        .help
        .as_deref()
        .is_some_and(|h| h.starts_with("did you mean `zaakvertrouwelijk`?")));
    assert_eq!(line_col(&source, &d).0, 14);
}

#[test]
fn z0014_a_missing_key_says_what_to_add() {
    let source = FIXTURE.replace("title: Omgevingsvergunning (reguliere procedure)\n", "");
    let d = only(&source);
    assert_eq!(d.code, "Z0014");
    assert_eq!(d.message, "the process has no `title`");
    assert_eq!(d.help.as_deref(), Some("add `title:` to the process"));
}

#[test]
fn z0091_a_condition_that_starts_with_a_bang_must_be_quoted() {
    let source = FIXTURE.replace(
        "when: monument || activiteit",
        "when: !monument || activiteit",
    );
    let d = only(&source);
    assert_eq!(d.code, "Z0090");
    assert!(d.help.is_some_and(|h| h.contains("YAML tag")));
    let source = FIXTURE.replace(
        "when: monument || activiteit == \"bouwen\" && bouwsom > 100000.0",
        "when: !monument",
    );
    let d = only(&source);
    assert_eq!(d.code, "Z0091");
    assert!(d.help.is_some_and(|h| h.contains("YAML tag")));
}

#[test]
fn z0092_unknown_keys_in_a_step_are_reported_where_they_are() {
    let source = FIXTURE
        .replace(
            "    label: Volledigheid beoordelen\n",
            "    lable: Volledigheid beoordelen\n",
        )
        .replace(
            "  - name: verzoek_aanvulling\n",
            "  - name: verzoek_aanvulling\n    priority: 3\n",
        );
    let loaded = zaak_dsl::parse(&source, zaak_dsl::Syntax::Yaml);
    assert!(loaded.model.is_some(), "unknown keys do not stop the model");
    let found: Vec<(&str, String, usize, Option<String>)> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.message.clone(),
                line_col(&source, d).0,
                d.help.clone(),
            )
        })
        .collect();
    let line = |needle: &str| {
        source
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or(0)
    };
    assert_eq!(
        found,
        vec![
            (
                "Z0092",
                "unknown key `lable` in the step `volledigheid`".to_string(),
                line("lable:"),
                Some("did you mean `label`?".to_string())
            ),
            (
                "Z0092",
                "unknown key `priority` in the step `verzoek_aanvulling`".to_string(),
                line("priority: 3"),
                Some("a step takes name, label, task, auto, choice, parallel, inclusive, join, wait, timer, subcase, end".to_string())
            ),
        ]
    );
}

#[test]
fn z0092_unknown_keys_in_a_timer() {
    let source = "process: t\nversion: 1\ntitle: T\nstart: w\nsteps:\n  - name: w\n    timer:\n      after: 2 weeks\n      than: e\n      then: e\n  - name: e\n    end: {}\n";
    let loaded = zaak_dsl::parse(source, zaak_dsl::Syntax::Yaml);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "Z0092");
    assert_eq!(d.message, "unknown key `than` in the timer of the step `w`");
    assert_eq!(d.help.as_deref(), Some("did you mean `then`?"));
    assert_eq!(line_col(source, d).0, 9);
}

#[test]
fn spans_point_at_names_and_expressions() {
    let loaded = zaak_dsl::parse(FIXTURE, zaak_dsl::Syntax::Yaml);
    let m = loaded.model.unwrap_or_else(|| unreachable!());
    let text = |s: zaak_dsl::Span| &FIXTURE[s.start..s.end];
    assert_eq!(text(m.process.span), "omgevingsvergunning");
    assert_eq!(text(m.start.span), "ontvangst");
    for t in &m.teams {
        assert_eq!(text(t.name.span), t.name.name);
    }
    for s in &m.statuses {
        assert_eq!(text(s.name.span), s.name.name);
    }
    for f in m.all_fields() {
        assert_eq!(text(f.name.span), f.name.name);
    }
    for step in &m.steps {
        assert_eq!(text(step.name.span), step.name.name);
        for next in step.successors() {
            assert_eq!(text(next.span), next.name, "a successor of {}", step.name);
        }
        match &step.kind {
            StepKind::Choice(c) => {
                let when = &c.branches[0].when;
                assert_eq!(text(when.span), when.source);
            }
            StepKind::Task(t) => {
                assert_eq!(text(t.team.span), t.team.name);
                for o in &t.outcomes {
                    assert_eq!(text(o.name.span), o.name.name);
                }
            }
            StepKind::Wait(w) => assert_eq!(text(w.message.span), w.message.name),
            _ => {}
        }
    }
    // The welstandsadvies step has a form field of the same name: each gets its own line.
    let step = m.step("welstandsadvies").map(|s| s.name.span.start);
    let field = m.field("welstandsadvies").map(|f| f.name.span.start);
    assert!(step.is_some() && field.is_some() && step != field);
}

#[test]
fn quoted_and_flow_style_values_are_located_too() {
    let source = r#"process: t
version: 1
title: T
start: "w"
statuses: [{name: open, citizen_text: Open}]
data:
  - {name: n, type: number}
steps:
  - name: w
    choice: {branches: [{when: "n > 'x'", then: e}], otherwise: e}
  - name: e
    end: {}
"#;
    let loaded = zaak_dsl::load(source, zaak_dsl::Syntax::Yaml);
    let m = loaded.model.as_ref().unwrap_or_else(|| unreachable!());
    assert_eq!(&source[m.start.span.start..m.start.span.end], "w");
    assert_eq!(
        &source[m.statuses[0].name.span.start..m.statuses[0].name.span.end],
        "open"
    );
    let d: Vec<(&str, usize)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), line_col(source, d).0))
        .collect();
    // `'x'` is not an expression string: the syntax error is on the step's line.
    assert_eq!(d, vec![("Z0201", 10)]);
}
