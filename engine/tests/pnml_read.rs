//! Reading PNML, checking that it is a workflow net, its soundness, and the process skeleton.

mod soundness_support;

use proptest::prelude::*;
use soundness_support::arb_workflow_net;
use zaak_engine::compile::compile;
use zaak_engine::pnml::{
    check_workflow_net, parse_pnml, to_model, to_net, PnmlError, WorkflowProblem,
};
use zaak_engine::soundness::{self, check, ViolationKind, DEFAULT_LIMIT};

const AANVRAAG: &str = include_str!("data/aanvraag.pnml");
const TWEE_BRONNEN: &str = include_str!("data/twee_bronnen.pnml");
const KEUZE_EN_SAMEN: &str = include_str!("data/keuze_en_samen.pnml");

#[test]
fn reads_a_pm4py_export() {
    let pn = parse_pnml(AANVRAAG).expect("reads");
    assert_eq!(pn.id, "aanvraag_net");
    assert_eq!(pn.name.as_deref(), Some("Aanvraag behandelen"));
    assert_eq!(pn.places.len(), 8);
    assert_eq!(pn.transitions.len(), 7);
    assert_eq!(pn.arcs.len(), 16);
    assert_eq!(pn.places[0].initial_tokens, 1);
    let silent: Vec<&str> = pn
        .transitions
        .iter()
        .filter(|t| t.silent)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(silent, ["tau1"]);
    assert_eq!(pn.final_markings, [vec![("sink".to_string(), 1)]]);
    assert!(check_workflow_net(&pn).is_empty());
}

#[test]
fn a_sound_workflow_net_is_sound_and_so_is_its_skeleton() {
    let pn = parse_pnml(AANVRAAG).expect("reads");
    let net = to_net(&pn).expect("a workflow net");
    let report = check(&net, DEFAULT_LIMIT);
    assert!(report.is_sound(), "{report:#?}");

    let model = to_model(&pn).expect("a workflow net");
    let yaml = zaak_dsl::to_yaml(&model);
    let expected = "process: aanvraag_behandelen
version: 1
title: Aanvraag behandelen
description: Skeleton made from a Petri net (PNML); fill in teams, data and statuses.
teams:
- name: onbekend
statuses:
- name: ontvangen
  citizen_text: Wij hebben uw verzoek ontvangen.
- name: afgehandeld
  citizen_text: Wij hebben uw verzoek afgehandeld.
start: registreren
steps:
- name: registreren
  label: Registreren
  task:
    team: onbekend
    outcomes:
    - name: controleren_eenvoudig
      label: Controleren eenvoudig
      then: controleren_eenvoudig
    - name: controleren_uitgebreid
      label: Controleren uitgebreid
      then: controleren_uitgebreid
- name: controleren_eenvoudig
  label: Controleren eenvoudig
  task:
    team: onbekend
    then: tau_1
- name: controleren_uitgebreid
  label: Controleren uitgebreid
  task:
    team: onbekend
    then: tau_1
- name: tau_1
  parallel:
    branches:
    - advies_x
    - advies_y
- name: advies_x
  label: Advies X
  task:
    team: onbekend
    then: samen_besluiten
- name: advies_y
  label: Advies Y
  task:
    team: onbekend
    then: samen_besluiten
- name: samen_besluiten
  join:
    mode: all
    then: besluiten
- name: besluiten
  label: Besluiten
  task:
    team: onbekend
    then: einde
- name: einde
  end: {}
";
    assert_eq!(yaml, expected, "\nactual:\n{yaml}");
    // The skeleton reads back as the same model, compiles, and is sound.
    let back = zaak_dsl::parse(&yaml, zaak_dsl::Syntax::Yaml)
        .model
        .expect("reads back");
    assert_eq!(back, model);
    let compiled = compile(&model).expect("compiles");
    assert!(check(&compiled, DEFAULT_LIMIT).is_sound());
}

#[test]
fn two_sources_is_not_a_workflow_net() {
    let pn = parse_pnml(TWEE_BRONNEN).expect("reads a namespaced file");
    assert_eq!(pn.places.len(), 3);
    let problems = check_workflow_net(&pn);
    assert_eq!(
        problems,
        [WorkflowProblem::SeveralSources(vec![
            "aanvraag".into(),
            "melding".into()
        ])]
    );
    assert_eq!(
        problems[0].to_string(),
        "a workflow net has one start place, but `aanvraag`, `melding` have no incoming arcs"
    );
    assert!(to_net(&pn).is_err());
    assert!(to_model(&pn).is_err());
}

#[test]
fn nodes_off_the_path_are_named() {
    // A transition that takes from the sink's only input but leads to a place with no way out
    // leaves two sinks; a loop hanging off the source is off the path to the sink.
    let xml = r#"<pnml><net id="n"><page id="p">
        <place id="i"/><place id="o"/><place id="q"/>
        <transition id="t"/><transition id="u"/>
        <arc source="i" target="t"/><arc source="t" target="o"/>
        <arc source="q" target="u"/><arc source="u" target="q"/>
    </page></net></pnml>"#;
    let pn = parse_pnml(xml).expect("reads");
    assert_eq!(
        check_workflow_net(&pn),
        [WorkflowProblem::NotOnPath(vec!["q".into(), "u".into()])]
    );
}

#[test]
fn an_unsound_workflow_net_deadlocks_with_a_shortest_trace() {
    let pn = parse_pnml(KEUZE_EN_SAMEN).expect("reads");
    assert!(check_workflow_net(&pn).is_empty());
    let net = to_net(&pn).expect("a workflow net");
    let report = check(&net, DEFAULT_LIMIT);
    let v = report
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::Deadlock)
        .expect("a deadlock");
    assert_eq!(v.trace, ["A", "B"]);
    assert_eq!(v.marking, [("p2".to_string(), 1)]);
    assert_eq!(v.step.as_deref(), Some("D"));

    // The skeleton keeps the mistake, and the language names it.
    let model = to_model(&pn).expect("a workflow net");
    let compiled = compile(&model).expect("compiles");
    let ds = soundness::diagnostics(&model, &compiled, DEFAULT_LIMIT);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(
        ds[0].message,
        "the case gets stuck at `samen_d`: the join waits for a branch that the task `a` did not take"
    );
}

#[test]
fn bad_input_is_an_error() {
    assert!(matches!(parse_pnml(""), Err(PnmlError::Xml(_))));
    assert!(matches!(parse_pnml("<pnml><net>"), Err(PnmlError::Xml(_))));
    assert_eq!(parse_pnml("<pnml/>"), Err(PnmlError::NoNet));
    assert_eq!(
        parse_pnml(r#"<pnml><net><place/></net></pnml>"#),
        Err(PnmlError::MissingId {
            element: "place",
            line: 1
        })
    );
    assert_eq!(
        parse_pnml(r#"<pnml><net><place id="a"/><arc source="a" target="b"/></net></pnml>"#),
        Err(PnmlError::UnknownNode {
            node: "b".into(),
            line: 1
        })
    );
    assert!(matches!(
        parse_pnml(
            r#"<pnml><net><place id="a"/><place id="b"/><arc source="a" target="b"/></net></pnml>"#
        ),
        Err(PnmlError::SameKind { .. })
    ));
    assert_eq!(
        parse_pnml(r#"<pnml><net><place id="a"/><place id="a"/></net></pnml>"#),
        Err(PnmlError::DuplicateId("a".into()))
    );
    assert!(matches!(
        parse_pnml(
            "<pnml><net><place id=\"a\">\n<initialMarking><text>veel</text></initialMarking></place></net></pnml>"
        ),
        Err(PnmlError::BadNumber { line: 1, .. })
    ));
}

proptest! {
    #[test]
    fn reading_never_panics_on_damaged_files(cut in 0usize..3000, junk in "[<>/=\"a-z ]{0,12}") {
        let mut text: String = AANVRAAG.chars().take(cut).collect();
        text.push_str(&junk);
        text.extend(AANVRAAG.chars().skip(cut + junk.len()));
        if let Ok(pn) = parse_pnml(&text) {
            let _ = check_workflow_net(&pn);
            if let Ok(net) = to_net(&pn) {
                let _ = check(&net, 1000);
            }
            if let Ok(model) = to_model(&pn) {
                let _ = compile(&model);
            }
        }
    }

    #[test]
    fn reading_never_panics_on_any_text(s in "\\PC{0,200}") {
        let _ = parse_pnml(&s);
    }
}

/// Free choice in the strict sense the skeleton keeps: a place with several outgoing
/// transitions is the only input place of each of them.
fn free_choice(pn: &zaak_engine::pnml::PetriNet) -> bool {
    let inputs = |t: &str| pn.arcs.iter().filter(|a| a.target == t).count();
    pn.places.iter().all(|p| {
        let out: Vec<&str> = pn
            .arcs
            .iter()
            .filter(|a| a.source == p.id)
            .map(|a| a.target.as_str())
            .collect();
        out.len() < 2 || out.iter().all(|t| inputs(t) == 1)
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_skeleton_of_a_free_choice_workflow_net_is_as_sound_as_the_net(pn in arb_workflow_net()) {
        prop_assume!(check_workflow_net(&pn).is_empty() && free_choice(&pn));
        let net = to_net(&pn).expect("a workflow net");
        let report = check(&net, 20_000);
        prop_assume!(!report.limit_hit);
        let model = to_model(&pn).expect("a workflow net");
        let compiled = compile(&model);
        prop_assert!(compiled.is_ok(), "{:?}\n{}", compiled.err(), zaak_dsl::to_yaml(&model));
        let compiled = compiled.expect("compiles");
        let skeleton = check(&compiled, 20_000);
        prop_assume!(!skeleton.limit_hit);
        prop_assert_eq!(
            report.is_sound(),
            skeleton.is_sound(),
            "net {:#?}\nskeleton {:#?}\n{}",
            report,
            skeleton,
            zaak_dsl::to_yaml(&model)
        );
    }
}
