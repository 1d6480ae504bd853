//! Models the compiler refuses get diagnostics, never a panic.

mod common;

use common::model;
use zaak_dsl::ProcessModel;
use zaak_engine::compile::compile;

fn codes(m: &ProcessModel) -> Vec<(&'static str, String)> {
    match compile(m) {
        Ok(_) => Vec::new(),
        Err(ds) => ds
            .into_iter()
            .map(|d| (d.code.as_str(), d.message))
            .collect(),
    }
}

#[test]
fn unknown_target_is_a_diagnostic() {
    let m = model("a", "- name: a\n  auto: {actions: [], then: nergens}\n");
    assert_eq!(
        codes(&m),
        [(
            "Z0102",
            "`a` leads to `nergens`, but there is no step called `nergens`".to_string()
        )]
    );
}

#[test]
fn unknown_start_is_a_diagnostic() {
    let m = model("x", "- name: a\n  end: {}\n");
    assert_eq!(
        codes(&m),
        [(
            "Z0102",
            "the process starts at `x`, but there is no step with that name".to_string()
        )]
    );
}

#[test]
fn duplicate_step_names_are_refused() {
    let m = model("a", "- name: a\n  end: {}\n- name: a\n  end: {}\n");
    assert_eq!(codes(&m)[0].0, "Z0101");
}

#[test]
fn task_without_a_next_step_is_refused() {
    let m = model("a", "- name: a\n  task: {team: t}\n");
    assert_eq!(codes(&m)[0].0, "Z0304");
}

#[test]
fn join_some_needs_an_inclusive_split() {
    let m = model(
        "p",
        "- name: p\n  parallel: {branches: [k]}\n- name: k\n  join: {mode: some, split: p, then: e}\n- name: e\n  end: {}\n",
    );
    assert_eq!(codes(&m)[0].0, "Z0305");
    let m = model(
        "k",
        "- name: k\n  join: {mode: some, then: e}\n- name: e\n  end: {}\n",
    );
    assert_eq!(codes(&m)[0].0, "Z0305");
}

#[test]
fn inclusive_with_too_many_branches_is_refused() {
    let mut steps = String::from("- name: i\n  inclusive:\n    branches:\n");
    for i in 0..7 {
        steps.push_str(&format!("      - when: c{i}\n        then: e\n"));
    }
    steps.push_str("- name: e\n  end: {}\n");
    let m = model("i", &steps);
    assert_eq!(codes(&m)[0].0, "Z0410");
}

#[test]
fn inclusive_branches_that_share_their_way_into_the_join_are_refused() {
    let m = model(
        "i",
        "- name: i
  inclusive:
    branches:
      - when: x
        then: a
      - when: y
        then: a2
- name: a
  auto: {actions: [], then: m}
- name: a2
  auto: {actions: [], then: m}
- name: m
  auto: {actions: [], then: k}
- name: k
  join: {mode: some, split: i, then: e}
- name: e
  end: {}
",
    );
    let found = codes(&m);
    assert_eq!(found[0].0, "Z0411", "{found:?}");
    assert!(found[0].1.contains("through a step of its own"));
}

#[test]
fn one_inclusive_split_has_one_join() {
    let m = model(
        "i",
        "- name: i
  inclusive:
    branches:
      - {when: x, then: k1}
- name: k1
  join: {mode: some, split: i, then: k2}
- name: k2
  join: {mode: some, split: i, then: e}
- name: e
  end: {}
",
    );
    assert_eq!(codes(&m)[0].0, "Z0412");
}
