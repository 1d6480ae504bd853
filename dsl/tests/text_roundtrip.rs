//! Laws of the text syntax: printing a model and reading it back gives the same model, printing
//! is stable, and every name read points at where it stands.

mod common;

use common::arb::arb_process;
use proptest::prelude::*;
use zaak_dsl::*;

/// Every name in a model that the text syntax writes as an identifier.
fn names(m: &ProcessModel) -> Vec<&Name> {
    let mut out = vec![&m.process, &m.start];
    out.extend(m.teams.iter().map(|t| &t.name));
    out.extend(m.roles.iter().map(|r| &r.name));
    out.extend(m.all_fields().map(|f| &f.name));
    out.extend(m.messages.iter().map(|x| &x.name));
    out.extend(m.statuses.iter().map(|s| &s.name));
    out.extend(m.results.iter().map(|r| &r.name));
    for s in &m.steps {
        out.push(&s.name);
        out.extend(s.successors());
        match &s.kind {
            StepKind::Task(t) => {
                out.push(&t.team);
                out.extend(t.role.iter());
                out.extend(t.outcomes.iter().map(|o| &o.name));
                out.extend(t.status_on_start.iter().chain(t.status_on_end.iter()));
            }
            StepKind::Auto(a) => {
                for action in &a.actions {
                    match action {
                        Action::Set { field, .. } => out.push(field),
                        Action::Status(n)
                        | Action::Result(n)
                        | Action::Letter(n)
                        | Action::Notify(n) => out.push(n),
                    }
                }
            }
            StepKind::Join(j) => out.extend(j.split.iter()),
            StepKind::Wait(w) => out.push(&w.message),
            StepKind::Timer(TimerStep {
                wait: TimerWait::Until(f),
                ..
            }) => out.push(f),
            StepKind::Subcase(s) => {
                out.push(&s.process);
                out.extend(s.pass.iter());
            }
            StepKind::End(e) => out.extend(e.result.iter().chain(e.status.iter())),
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn printed_model_reads_back_the_same(m in arb_process()) {
        let printed = to_text(&m);
        let loaded = zaak_dsl::parse(&printed, Syntax::Text);
        let file = SourceFile::new("printed.zaak", printed.as_str());
        let rendered: Vec<String> = loaded.diagnostics.iter().map(|d| file.render(d)).collect();
        prop_assert!(rendered.is_empty(), "{}\n{}", printed, rendered.join("\n"));
        prop_assert_eq!(loaded.model.as_ref(), Some(&m), "{}", printed);
    }

    #[test]
    fn printing_twice_changes_nothing(m in arb_process()) {
        let printed = to_text(&m);
        let again = zaak_dsl::parse(&printed, Syntax::Text).model.map(|m| to_text(&m));
        prop_assert_eq!(again.as_deref(), Some(printed.as_str()));
        let formatted = zaak_dsl::format_source(&printed);
        prop_assert_eq!(formatted.as_deref(), Ok(printed.as_str()));
    }

    #[test]
    fn spans_cover_what_they_name(m in arb_process()) {
        let printed = to_text(&m);
        let read = zaak_dsl::parse(&printed, Syntax::Text).model;
        prop_assert!(read.is_some());
        let read = read.unwrap_or(m);
        for name in names(&read) {
            prop_assert_eq!(printed.get(name.span.start..name.span.end), Some(name.as_str()));
        }
        for step in &read.steps {
            let text = &printed[step.span.start..step.span.end];
            prop_assert!(text.starts_with(step.kind_word()), "{:?}", text);
            prop_assert!(!text.ends_with(char::is_whitespace), "{:?}", text);
            if let StepKind::Choice(c) | StepKind::Inclusive(c) = &step.kind {
                for b in &c.branches {
                    prop_assert_eq!(&printed[b.when.span.start..b.when.span.end], b.when.source.as_str());
                }
            }
        }
    }
}

/// A model printed with its comment block keeps the comments when formatted.
#[test]
fn format_source_keeps_the_leading_comments() {
    let source =
        "# Melding.\n#   Tweede regel.\n\nprocess m version 1 {  title \"T\" start e end e }\n";
    let formatted = zaak_dsl::format_source(source).expect("valid");
    assert_eq!(
        formatted,
        "# Melding.\n#   Tweede regel.\n\nprocess m version 1 {\n    title \"T\"\n    start e\n\n    end e\n}\n"
    );
}

#[test]
fn format_source_refuses_a_broken_source() {
    let errors = zaak_dsl::format_source("process m version 1 { title }").expect_err("broken");
    assert_eq!(errors[0].code, "Z0001");
}

#[test]
fn format_source_drops_a_byte_order_mark() {
    let formatted = zaak_dsl::format_source(
        "\u{feff}# Kop.\nprocess m version 1 { title \"T\" start e end e }",
    )
    .expect("valid");
    assert!(
        formatted.starts_with("# Kop.\nprocess m version 1 {\n"),
        "{formatted:?}"
    );
}
