//! The reference process reads without diagnostics, into a model that uses every field as
//! written, with spans that point at the words they came from.

use zaak_dsl::*;

const REFERENCE: &str = include_str!("../../processes/omgevingsvergunning.zaak");

fn reference() -> (ProcessModel, SourceFile) {
    let loaded = zaak_dsl::parse(REFERENCE, Syntax::Text);
    let file = SourceFile::new("omgevingsvergunning.zaak", REFERENCE);
    let rendered: Vec<String> = loaded.diagnostics.iter().map(|d| file.render(d)).collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    (loaded.model.expect("the reference has a model"), file)
}

/// The text a span covers.
fn at(span: Span) -> &'static str {
    &REFERENCE[span.start..span.end]
}

#[test]
fn reference_header_items() {
    let (m, file) = reference();
    assert_eq!(m.process.name, "omgevingsvergunning");
    assert_eq!(file.line_col(m.process.span.start), (4, 9));
    assert_eq!(m.version, 1);
    assert_eq!(m.title, "Omgevingsvergunning (reguliere procedure)");
    assert_eq!(
        m.description.as_deref(),
        Some("Aanvraag om een omgevingsvergunning voor bouwen, slopen of een andere activiteit.")
    );
    assert_eq!(
        m.legal_basis.as_deref(),
        Some("Omgevingswet art. 16.64; Awb 3:18, 4:5, 4:13-4:15")
    );
    assert_eq!(m.initiator_action.as_deref(), Some("aanvragen"));
    assert_eq!(
        m.term,
        Some(LegalTerm {
            duration: Duration::new(8, DurationUnit::Weeks),
            counting: TermCounting::Calendar
        })
    );
    assert_eq!(m.service_norm, Some(Duration::new(6, DurationUnit::Weeks)));
    assert!(m.suspension_allowed);
    assert_eq!(m.extension, Some(Duration::new(6, DurationUnit::Weeks)));
    assert_eq!(m.confidentiality, Confidentiality::Zaakvertrouwelijk);
    assert_eq!(m.on_deadline, DeadlineEffect::Dwangsom);
    assert_eq!(m.start.name, "ontvangst");
    assert_eq!(file.line_col(m.start.span.start), (15, 11));
    assert_eq!(at(m.start.span), "ontvangst");
    assert_eq!(file.line_col(m.span.start), (4, 1));
    assert_eq!(m.span.end, REFERENCE.trim_end().len());
}

#[test]
fn reference_definitions() {
    let (m, file) = reference();
    let teams: Vec<&str> = m.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        teams,
        ["intake", "vergunningen", "welstand", "brandveiligheid"]
    );
    assert_eq!(
        m.teams[3].label.as_deref(),
        Some("Veiligheidsregio, brandveiligheid")
    );
    assert_eq!(
        at(m.teams[0].span),
        "team intake \"Vergunningverlening intake\""
    );
    assert_eq!(
        m.roles[1].label.as_deref(),
        Some("Beslisser (gemandateerd)")
    );

    let activiteit = m.field("activiteit").expect("declared");
    assert_eq!(
        activiteit.ty,
        DataType::Choice(vec![
            "bouwen".into(),
            "slopen".into(),
            "kappen".into(),
            "uitweg".into()
        ])
    );
    assert!(activiteit.required && activiteit.citizen);
    assert_eq!(activiteit.label.as_deref(), Some("Activiteit"));
    assert_eq!(file.line_col(activiteit.name.span.start), (26, 10));
    let bouwsom = m.field("bouwsom").expect("declared");
    assert_eq!(bouwsom.ty, DataType::Number);
    assert!(!bouwsom.required && !bouwsom.citizen);
    assert_eq!(m.field("monument").map(|f| &f.ty), Some(&DataType::Bool));

    assert_eq!(m.messages[0].name.as_str(), "aanvulling_ontvangen");
    let statuses: Vec<(&str, bool)> = m
        .statuses
        .iter()
        .map(|s| (s.name.as_str(), s.notify))
        .collect();
    assert_eq!(
        statuses,
        [
            ("ontvangen", true),
            ("in_behandeling", false),
            ("aanvulling_gevraagd", true),
            ("advies", false),
            ("besluit_genomen", true)
        ]
    );
    assert_eq!(m.statuses[1].citizen_text, "Wij beoordelen uw aanvraag.");

    assert_eq!(m.results[0].archive, ArchiveNomination::Keep);
    assert_eq!(m.results[0].retention, None);
    let geweigerd = m.result("geweigerd").expect("declared");
    assert_eq!(geweigerd.archive, ArchiveNomination::Destroy);
    assert_eq!(
        geweigerd.retention,
        Some(Duration::new(20, DurationUnit::Years))
    );
    assert_eq!(geweigerd.label.as_deref(), Some("Vergunning geweigerd"));
}

#[test]
fn reference_steps() {
    let (m, file) = reference();
    assert_eq!(m.steps.len(), 19);

    let volledigheid = m.step("volledigheid").expect("a step");
    assert_eq!(file.line_col(volledigheid.span.start), (49, 5));
    assert!(at(volledigheid.span).starts_with("task volledigheid"));
    assert!(at(volledigheid.span).ends_with("einde_ingetrokken\n    }"));
    let StepKind::Task(task) = &volledigheid.kind else {
        panic!("volledigheid is a task")
    };
    assert_eq!(task.team.as_str(), "intake");
    assert_eq!(at(task.team.span), "intake");
    assert_eq!(task.role.as_ref().map(Name::as_str), Some("behandelaar"));
    assert_eq!(task.due, Some(Duration::new(5, DurationUnit::WorkingDays)));
    assert_eq!(
        task.status_on_start.as_ref().map(Name::as_str),
        Some("in_behandeling")
    );
    assert_eq!(task.fields[0].name.as_str(), "ontbrekende_stukken");
    assert_eq!(task.outcomes.len(), 3);
    assert_eq!(
        task.outcomes[1].label.as_deref(),
        Some("Aanvraag is onvolledig")
    );
    assert_eq!(
        task.outcomes[1].then.as_ref().map(Name::as_str),
        Some("verzoek_aanvulling")
    );
    assert_eq!(task.then, None);

    let StepKind::Auto(auto) = &m.steps[0].kind else {
        panic!("ontvangst is an auto step")
    };
    assert_eq!(
        auto.actions,
        [
            Action::Status(Name::new("ontvangen")),
            Action::Letter(Name::new("ontvangstbevestiging"))
        ]
    );
    assert_eq!(auto.then.as_str(), "volledigheid");

    let StepKind::Wait(wait) = &m.step("wacht_op_aanvulling").expect("a step").kind else {
        panic!("a wait step")
    };
    assert_eq!(wait.message.as_str(), "aanvulling_ontvangen");
    assert_eq!(
        wait.suspend.as_deref(),
        Some("Wachten op aanvulling van de aanvraag (Awb 4:15)")
    );
    let timeout = wait.timeout.as_ref().expect("a timeout");
    assert_eq!(timeout.after, Duration::new(4, DurationUnit::Weeks));
    assert_eq!(timeout.then.as_str(), "buiten_behandeling");

    let StepKind::Choice(choice) = &m.step("advies_nodig").expect("a step").kind else {
        panic!("a choice")
    };
    let when = &choice.branches[0].when;
    assert_eq!(
        when.source,
        "monument || activiteit == \"bouwen\" && bouwsom > 100000.0"
    );
    assert_eq!(at(when.span), when.source);
    assert_eq!(file.line_col(when.span.start), (78, 14));
    assert_eq!(
        choice.otherwise.as_ref().map(Name::as_str),
        Some("beoordelen")
    );

    let StepKind::Parallel(parallel) = &m.step("advies").expect("a step").kind else {
        panic!("a parallel split")
    };
    let branches: Vec<&str> = parallel.branches.iter().map(Name::as_str).collect();
    assert_eq!(branches, ["welstandsadvies", "brandveiligheidsadvies"]);

    let join = m.step("adviezen_binnen").expect("a step");
    assert_eq!(at(join.span), "join adviezen_binnen all -> beoordelen");
    let StepKind::Join(j) = &join.kind else {
        panic!("a join")
    };
    assert_eq!(
        (j.mode, j.split.as_ref(), j.then.as_str()),
        (JoinMode::All, None, "beoordelen")
    );

    let end = m.steps.last().expect("steps");
    assert_eq!(at(end.span), "end einde_ingetrokken result ingetrokken");
    assert_eq!(
        end.kind,
        StepKind::End(EndStep {
            result: Some(Name::new("ingetrokken")),
            status: None
        })
    );
}

#[test]
fn reference_is_in_canonical_form() {
    let formatted = zaak_dsl::format_source(REFERENCE).expect("no errors");
    assert_eq!(formatted, REFERENCE);
}

#[test]
fn printed_reference_reads_back_to_the_same_model() {
    let (m, _) = reference();
    let printed = to_text(&m);
    let again = zaak_dsl::parse(&printed, Syntax::Text);
    assert!(again.diagnostics.is_empty());
    assert_eq!(again.model.as_ref(), Some(&m));
}

#[test]
fn reference_with_windows_line_ends_and_a_byte_order_mark_reads_the_same() {
    let (m, _) = reference();
    let windows = format!("\u{feff}{}", REFERENCE.replace('\n', "\r\n"));
    let loaded = zaak_dsl::parse(&windows, Syntax::Text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let read = loaded.model.expect("a model");
    assert_eq!(read, m);
    let StepKind::Choice(choice) = &read.step("advies_nodig").expect("a step").kind else {
        panic!("a choice")
    };
    let when = &choice.branches[0].when;
    assert_eq!(&windows[when.span.start..when.span.end], when.source);
}
