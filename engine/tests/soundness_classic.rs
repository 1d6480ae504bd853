//! The soundness check on sound processes and on the classic mistakes, with their messages and
//! shortest counterexamples.

mod common;

use common::model;
use zaak_dsl::{Diagnostic, ProcessModel, Syntax};
use zaak_engine::compile::compile;
use zaak_engine::soundness::{self, check, ViolationKind, DEFAULT_LIMIT};

fn diagnostics(m: &ProcessModel) -> Vec<Diagnostic> {
    let net = compile(m).expect("compiles");
    soundness::diagnostics(m, &net, DEFAULT_LIMIT)
}

fn assert_sound(m: &ProcessModel) {
    let net = compile(m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    assert!(report.is_sound(), "{report:#?}");
    assert!(soundness::diagnostics(m, &net, DEFAULT_LIMIT).is_empty());
}

fn omgevingsvergunning() -> ProcessModel {
    let loaded = zaak_dsl::parse(include_str!("data/omgevingsvergunning.yaml"), Syntax::Yaml);
    loaded.model.expect("a model")
}

#[test]
fn omgevingsvergunning_is_sound() {
    let m = omgevingsvergunning();
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    assert!(report.is_sound(), "{report:#?}");
    assert_eq!(report.max_tokens, 1);
    // One marking for each of the 18 places a lone token passes through, and four while the
    // two advice tasks run in parallel.
    assert_eq!(report.states, 22);
}

#[test]
fn sound_constructs_pass() {
    // Parallel split closed by a join.
    assert_sound(&model(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task: {team: t, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
    ));
    // Inclusive split closed by its join, with an otherwise that bypasses the join.
    assert_sound(&model(
        "i",
        "- name: i
  inclusive:
    branches:
      - when: x
        then: a
      - when: y
        then: b
      - when: z
        then: c
    otherwise: e
- name: a
  task: {team: t, then: k}
- name: b
  task: {team: t, then: k}
- name: c
  auto: {actions: [], then: k}
- name: k
  join: {mode: some, split: i, then: e}
- name: e
  end: {}
",
    ));
    // A loop with a way out, a wait with a timeout, a timer and a waiting subcase.
    assert_sound(&model(
        "a",
        "- name: a
  task:
    team: t
    outcomes:
      - name: opnieuw
        then: w
      - name: klaar
        then: s
- name: w
  wait:
    message: m
    timeout: {after: 2 weeks, then: t}
    then: a
- name: t
  timer: {after: 1 day, then: a}
- name: s
  subcase: {process: q, wait: true, then: e}
- name: e
  end: {}
",
    ));
}

#[test]
fn choice_closed_by_join_all_deadlocks() {
    let m = model(
        "c",
        "- name: c
  choice:
    branches:
      - when: x
        then: a
    otherwise: b
- name: a
  task: {team: t, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
    );
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    let v = report
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::Deadlock)
        .expect("a deadlock");
    assert_eq!(v.step.as_deref(), Some("j"));
    assert_eq!(v.trace, ["start", "c:a", "a"]);
    assert_eq!(v.marking, [("j<a".to_string(), 1)]);
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, "Z0401");
    assert_eq!(
        ds[0].message,
        "the case gets stuck at `j`: the join waits for a branch that the choice `c` did not take"
    );
    let help = ds[0].help.as_deref().unwrap_or("");
    assert!(help.contains("`c` goes to `a`, `a` done"), "{help}");
    assert!(
        help.contains("let `a` and `b` lead straight to `e`"),
        "{help}"
    );
    assert!(help.contains("treated as free choices"), "{help}");
}

#[test]
fn parallel_branches_meeting_in_an_ordinary_step_leave_work_open() {
    let m = model(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task: {team: t, then: m}
- name: b
  task: {team: t, then: m}
- name: m
  task: {team: t, then: e}
- name: e
  end: {}
",
    );
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    let v = report
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::ImproperCompletion)
        .expect("an improper completion");
    assert_eq!(v.trace, ["start", "p", "a", "m", "e"]);
    assert_eq!(v.marking, [("end".to_string(), 1), ("b".to_string(), 1)]);
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, "Z0403");
    assert_eq!(
        ds[0].message,
        "the branches of the parallel split `p` meet in `m`, which is not a join: `m` runs once for every branch, and the case ends with work left open"
    );
    assert!(ds[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("`p`, `a` done, `m` done, `e`"));
}

#[test]
fn loop_without_a_way_out_has_no_option_to_complete() {
    let m = model(
        "x",
        "- name: x
  choice:
    branches:
      - when: herhalen
        then: a
    otherwise: e
- name: a
  task: {team: t, then: b}
- name: b
  task: {team: t, then: a}
- name: e
  end: {}
",
    );
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    assert_eq!(report.violations.len(), 1, "{report:#?}");
    let v = &report.violations[0];
    assert_eq!(v.kind, ViolationKind::NoOptionToComplete);
    assert_eq!(v.trace, ["start", "x:a"]);
    assert_eq!(v.involved, ["a", "b"]);
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, "Z0402");
    assert_eq!(
        ds[0].message,
        "the steps `a` and `b` form a loop with no way out: a case that gets to `a` can never end"
    );
}

#[test]
fn a_step_nothing_leads_to_is_dead() {
    let m = model(
        "a",
        "- name: a
  task: {team: t, then: e}
- name: z
  task: {team: t, then: y}
- name: y
  auto: {actions: [], then: e}
- name: e
  end: {}
",
    );
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    let dead: Vec<_> = report
        .violations
        .iter()
        .filter(|v| v.kind == ViolationKind::DeadTransition)
        .map(|v| v.involved[0].as_str())
        .collect();
    assert_eq!(dead, ["z", "y"]);
    // Only the first dead step is reported: `y` is dead because `z` is.
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, "Z0404");
    assert_eq!(
        ds[0].message,
        "the step `z` can never run: no case can get there"
    );
}

#[test]
fn parallel_split_in_a_loop_without_join_is_unbounded() {
    let m = model(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task: {team: t, then: p}
- name: b
  task: {team: t, then: e}
- name: e
  end: {}
",
    );
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    assert!(!report.is_sound());
    assert!(!report.limit_hit);
    let v = report
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::Unbounded)
        .expect("unbounded");
    // After `a` the marking {p, b} covers the earlier {p}: from here each round adds a `b`.
    assert_eq!(v.trace, ["start", "p", "a"]);
    assert_eq!(v.involved, ["b"]);
    let ds = diagnostics(&m);
    let d = ds.iter().find(|d| d.code == "Z0406").expect("Z0406");
    assert_eq!(
        d.message,
        "work piles up without limit at `b`: each time round the loop leaves more behind (task `b` open)"
    );
}

#[test]
fn hitting_the_limit_is_reported_and_never_sound() {
    let m = omgevingsvergunning();
    let net = compile(&m).expect("compiles");
    let report = check(&net, 5);
    assert!(report.limit_hit);
    assert_eq!(report.states, 5);
    assert!(!report.is_sound());
    let ds = soundness::diagnostics(&m, &net, 5);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, "Z0405");
    assert!(!ds[0].is_error());
}

#[test]
fn inclusive_without_join_whose_branches_both_end_completes_improperly() {
    let m = model(
        "i",
        "- name: i
  inclusive:
    branches:
      - when: x
        then: a
      - when: y
        then: b
- name: a
  end: {}
- name: b
  end: {}
",
    );
    let net = compile(&m).expect("compiles");
    let report = check(&net, DEFAULT_LIMIT);
    let v = report
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::ImproperCompletion)
        .expect("improper");
    assert_eq!(v.trace, ["start", "i:{a,b}", "a"]);
}

#[test]
fn the_message_names_the_split_on_the_counterexample() {
    // An earlier task with two outcomes to the same choice is not to blame, and of two parallel
    // splits only the second lets its branches meet without a join.
    let m = model(
        "x",
        "- name: x
  task:
    team: t
    outcomes:
      - {name: snel, then: c}
      - {name: grondig, then: c}
- name: c
  choice:
    branches:
      - {when: v, then: a}
    otherwise: b
- name: a
  task: {team: t, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
    );
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(
        ds[0].message,
        "the case gets stuck at `j`: the join waits for a branch that the choice `c` did not take"
    );

    let m = model(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task: {team: t, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: q}
- name: q
  parallel: {branches: [c, d]}
- name: c
  task: {team: t, then: m}
- name: d
  task: {team: t, then: m}
- name: m
  end: {}
",
    );
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert!(
        ds[0]
            .message
            .starts_with("the branches of the parallel split `q` meet in `m`"),
        "{}",
        ds[0].message
    );
}

#[test]
fn diagnostics_point_at_the_step_in_the_source() {
    let mut m = model(
        "c",
        "- name: c
  choice:
    branches:
      - {when: v, then: a}
    otherwise: b
- name: a
  auto: {actions: [], then: j}
- name: b
  auto: {actions: [], then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
    );
    for (i, s) in m.steps.iter_mut().enumerate() {
        s.span = zaak_dsl::Span::new(100 * i, 100 * i + 50);
        s.name.span = zaak_dsl::Span::new(100 * i + 5, 100 * i + 10);
    }
    let ds = diagnostics(&m);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    // At the join's name, with the choice's name as the related place.
    assert_eq!((ds[0].span.start, ds[0].span.end), (305, 310));
    assert_eq!(ds[0].related.len(), 1);
    assert_eq!(ds[0].related[0].span.start, 5);
    // Without a name span, at the whole step.
    for s in &mut m.steps {
        s.name.span = zaak_dsl::Span::default();
    }
    let ds = diagnostics(&m);
    assert_eq!((ds[0].span.start, ds[0].span.end), (300, 350));
}

#[test]
fn outcomes_that_all_lead_to_the_join_arrive_once() {
    // Both outcomes of each parallel task lead to the join: whichever is chosen, the branch has
    // arrived (as in the parkeervergunning process).
    assert_sound(&model(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task:
    team: t
    outcomes:
      - {name: akkoord, then: j}
      - {name: afwijking, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
    ));
}

#[test]
fn the_one_check_gives_validation_or_soundness_diagnostics() {
    use zaak_engine::check::{check, Limits, NoLibrary};
    let unknown = model("a", "- name: a\n  auto: {actions: [], then: nergens}\n");
    let ds = compile(&unknown).expect_err("an unknown step");
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].code, "Z0102");
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../processes/omgevingsvergunning.zaak"),
    )
    .expect("readable");
    let checked = check(&source, Syntax::Text, &NoLibrary, &Limits::DEPLOY);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    // The advice as a choice closed by `join all`: names and types are right, the net is not.
    let stuck = source.replace(
        "parallel advies \"Advies vragen\" -> welstandsadvies, brandveiligheidsadvies",
        "choice advies {\n        when monument -> welstandsadvies\n        otherwise -> brandveiligheidsadvies\n    }",
    );
    let codes: Vec<_> = check(&stuck, Syntax::Text, &NoLibrary, &Limits::DEPLOY)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["Z0401"]);
    // A wrong name stops the check before soundness: the net would repeat the same mistake.
    let misnamed = stuck.replace("otherwise -> beoordelen", "otherwise -> beoordeln");
    let codes: Vec<_> = check(&misnamed, Syntax::Text, &NoLibrary, &Limits::DEPLOY)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert!(codes.contains(&"Z0102"), "{codes:?}");
    assert!(!codes.contains(&"Z0401"), "{codes:?}");
}
