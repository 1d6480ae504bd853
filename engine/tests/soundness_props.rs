//! The soundness check agrees with a brute-force check on thousands of small random nets (mostly
//! unsound) and random workflow nets grown by refinement (mostly sound), never panics on random
//! processes, and a sound net can always still reach its end.

mod soundness_support;

use proptest::prelude::*;
use soundness_support::{agrees_with_brute_force, arb_workflow_net, brute, marking_of, replay};
use std::collections::{HashSet, VecDeque};
use zaak_dsl::{ProcessModel, Span, Syntax};
use zaak_engine::compile::compile;
use zaak_engine::net::{
    Marking, Net, Place, PlaceId, PlaceKind, Transition, TransitionId, Trigger,
};
use zaak_engine::soundness::{check, ViolationKind, DEFAULT_LIMIT};

/// A random net: place 0 is the source, place 1 the sink; every transition consumes something.
fn arb_net() -> impl Strategy<Value = Net> {
    (2usize..=5, 1usize..=5)
        .prop_flat_map(|(np, nt)| {
            let arcs = proptest::collection::vec(
                (
                    proptest::collection::vec(0u32..=1, np),
                    proptest::collection::vec(0u32..=1, np),
                ),
                nt,
            );
            (Just(np), arcs)
        })
        .prop_filter_map("every transition consumes", |(np, arcs)| {
            let places: Vec<Place> = (0..np)
                .map(|i| Place {
                    id: PlaceId(i as u32),
                    name: format!("p{i}"),
                    step: None,
                    kind: match i {
                        0 => PlaceKind::Source,
                        1 => PlaceKind::Sink,
                        _ => PlaceKind::Flow,
                    },
                    span: Span::default(),
                })
                .collect();
            let mut transitions = Vec::new();
            for (i, (pre, post)) in arcs.into_iter().enumerate() {
                let weigh = |w: &[u32], skip_sink: bool| -> Vec<(PlaceId, u32)> {
                    w.iter()
                        .enumerate()
                        .filter(|&(p, &n)| n > 0 && !(skip_sink && p == 1))
                        .map(|(p, &n)| (PlaceId(p as u32), n))
                        .collect()
                };
                let pre = weigh(&pre, true);
                if pre.is_empty() {
                    return None;
                }
                transitions.push(Transition {
                    id: TransitionId(i as u32),
                    name: format!("t{i}"),
                    step: Some(format!("t{i}")),
                    trigger: Trigger::Auto,
                    guard: None,
                    actions: Vec::new(),
                    pre,
                    post: weigh(&post, false),
                    span: Span::default(),
                });
            }
            Some(Net::from_parts(
                "random".into(),
                1,
                places,
                transitions,
                PlaceId(0),
                PlaceId(1),
            ))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn check_agrees_with_brute_force(net in arb_net()) {
        agrees_with_brute_force(&net)?;
    }

    #[test]
    fn check_agrees_with_brute_force_on_workflow_nets(pn in arb_workflow_net()) {
        if let Ok(net) = zaak_engine::pnml::to_net(&pn) {
            agrees_with_brute_force(&net)?;
        }
    }

    #[test]
    fn unbounded_reports_replay_to_a_strictly_larger_marking(net in arb_net()) {
        let report = check(&net, DEFAULT_LIMIT);
        for v in report.violations.iter().filter(|v| v.kind == ViolationKind::Unbounded) {
            prop_assert!(brute(&net).is_none());
            let reached = replay(&net, &v.trace);
            prop_assert_eq!(&reached, &marking_of(&net, &v.marking));
            // Some marking on the trace's own path is strictly covered by the one reached.
            let mut m = Marking::initial(&net);
            let mut covered = m.0 != reached
                && m.0.iter().zip(&reached).all(|(a, b)| a <= b);
            for name in &v.trace[..v.trace.len() - 1] {
                let t = net.transition_by_name(name).expect("transition");
                m.fire(t);
                covered |= m.0 != reached && m.0.iter().zip(&reached).all(|(a, b)| a <= b);
            }
            prop_assert!(covered);
        }
    }
}

fn yaml_model(start_at: &str, steps: &str) -> ProcessModel {
    let src = format!("process: p\nversion: 1\ntitle: P\nstart: {start_at}\nsteps:\n{steps}");
    zaak_dsl::parse(&src, Syntax::Yaml).model.expect("a model")
}

/// Random processes: steps of every kind, leading to random (sometimes unknown) steps.
fn arb_model() -> impl Strategy<Value = ProcessModel> {
    let names = ["a", "b", "c", "d", "e", "x"];
    let step = (0usize..9, proptest::collection::vec(0usize..6, 1..4));
    proptest::collection::vec(step, 1..6).prop_map(move |steps| {
        let mut src = String::new();
        for (i, (kind, targets)) in steps.iter().enumerate() {
            let t: Vec<&str> = targets.iter().map(|&k| names[k]).collect();
            let name = names[i];
            let body = match kind {
                0 => format!("task: {{team: t, then: {}}}", t[0]),
                1 => format!("auto: {{actions: [], then: {}}}", t[0]),
                2 => format!(
                    "choice: {{branches: [{}], otherwise: {}}}",
                    t.iter()
                        .map(|x| format!("{{when: c, then: {x}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    t[0]
                ),
                3 => format!("parallel: {{branches: [{}]}}", t.join(", ")),
                4 => format!(
                    "inclusive: {{branches: [{}]}}",
                    t.iter()
                        .map(|x| format!("{{when: c, then: {x}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                5 => format!("join: {{mode: all, then: {}}}", t[0]),
                6 => format!(
                    "join: {{mode: some, split: {}, then: {}}}",
                    t[0],
                    t.last().unwrap_or(&"a")
                ),
                7 => format!(
                    "wait: {{message: m, timeout: {{after: 1 day, then: {}}}, then: {}}}",
                    t[0],
                    t.last().unwrap_or(&"a")
                ),
                _ => "end: {}".to_string(),
            };
            src.push_str(&format!("  - name: {name}\n    {body}\n"));
        }
        yaml_model("a", &src)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_processes_compile_or_get_diagnostics(m in arb_model()) {
        match compile(&m) {
            Ok(net) => {
                // Names are unique.
                let names: HashSet<&str> = net.places.iter().map(|p| p.name.as_str()).collect();
                prop_assert_eq!(names.len(), net.places.len());
                let names: HashSet<&str> = net.transitions.iter().map(|t| t.name.as_str()).collect();
                prop_assert_eq!(names.len(), net.transitions.len());
                let report = check(&net, 2000);
                prop_assert!(report.states <= 2000);
                let ds = zaak_engine::soundness::diagnostics(&m, &net, 2000);
                prop_assert_eq!(ds.is_empty(), report.is_sound());
            }
            Err(ds) => prop_assert!(!ds.is_empty()),
        }
    }
}

fn sound_nets() -> Vec<Net> {
    let omgevingsvergunning =
        zaak_dsl::parse(include_str!("data/omgevingsvergunning.yaml"), Syntax::Yaml)
            .model
            .expect("a model");
    let inclusive = yaml_model(
        "i",
        "  - name: i
    inclusive:
      branches:
        - {when: x, then: a}
        - {when: y, then: b}
        - {when: z, then: c}
      otherwise: e
  - name: a
    task: {team: t, then: k}
  - name: b
    parallel: {branches: [b1, b2]}
  - name: b1
    task: {team: t, then: bj}
  - name: b2
    task: {team: t, then: bj}
  - name: bj
    join: {mode: all, then: k}
  - name: c
    task: {team: t, then: k}
  - name: k
    join: {mode: some, split: i, then: e}
  - name: e
    end: {}
",
    );
    [omgevingsvergunning, inclusive]
        .iter()
        .map(|m| compile(m).expect("compiles"))
        .collect()
}

/// Whether the final marking can be reached from `m`.
fn can_finish(net: &Net, m: &Marking) -> bool {
    let mut seen = HashSet::from([m.clone()]);
    let mut queue = VecDeque::from([m.clone()]);
    while let Some(m) = queue.pop_front() {
        if m.is_final(net) {
            return true;
        }
        for t in &net.transitions {
            if m.is_enabled(t) {
                let mut n = m.clone();
                n.fire(t);
                if seen.insert(n.clone()) {
                    queue.push_back(n);
                }
            }
        }
    }
    false
}

proptest! {
    #[test]
    fn random_firing_of_a_sound_net_can_always_finish(choices in proptest::collection::vec(0usize..16, 0..60)) {
        for net in sound_nets() {
            let report = check(&net, DEFAULT_LIMIT);
            prop_assert!(report.is_sound());
            let mut m = Marking::initial(&net);
            for &c in &choices {
                prop_assert!(can_finish(&net, &m));
                prop_assert!(m.0.iter().all(|&n| n <= report.max_tokens));
                let enabled: Vec<&Transition> = net.transitions.iter().filter(|t| m.is_enabled(t)).collect();
                if enabled.is_empty() {
                    prop_assert!(m.is_final(&net));
                    break;
                }
                m.fire(enabled[c % enabled.len()]);
            }
        }
    }
}
