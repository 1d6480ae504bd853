//! Shared by the soundness and PNML tests: a brute-force reachability check written apart from
//! the checker, and random workflow nets grown by refinement.
// Each test file uses a part of this module.
#![allow(dead_code)]

use proptest::prelude::*;
use std::collections::{HashMap, HashSet, VecDeque};
use zaak_engine::net::{Marking, Net, Transition};
use zaak_engine::soundness::{check, ViolationKind, DEFAULT_LIMIT};

/// Exhaustive reachability, written separately from the checker: a plain search with a cap.
pub struct Brute {
    pub markings: Vec<Vec<u32>>,
    /// Shortest number of firings from the start.
    pub dist: Vec<usize>,
    pub succ: Vec<Vec<usize>>,
    pub fired: HashSet<usize>,
}

pub const CAP: usize = 1000;

pub fn enabled(m: &[u32], t: &Transition) -> bool {
    t.pre.iter().all(|&(p, w)| m[p.0 as usize] >= w)
}

pub fn fire(m: &[u32], t: &Transition) -> Vec<u32> {
    let mut m = m.to_vec();
    for &(p, w) in &t.pre {
        m[p.0 as usize] -= w;
    }
    for &(p, w) in &t.post {
        m[p.0 as usize] += w;
    }
    m
}

pub fn brute(net: &Net) -> Option<Brute> {
    let mut start = vec![0; net.places.len()];
    start[net.source.0 as usize] = 1;
    let mut b = Brute {
        markings: vec![start.clone()],
        dist: vec![0],
        succ: vec![Vec::new()],
        fired: HashSet::new(),
    };
    let mut index = HashMap::from([(start, 0usize)]);
    let mut queue = VecDeque::from([0usize]);
    while let Some(i) = queue.pop_front() {
        for (ti, t) in net.transitions.iter().enumerate() {
            if !enabled(&b.markings[i], t) {
                continue;
            }
            b.fired.insert(ti);
            let next = fire(&b.markings[i], t);
            let j = match index.get(&next) {
                Some(&j) => j,
                None => {
                    if b.markings.len() >= CAP {
                        return None;
                    }
                    let j = b.markings.len();
                    index.insert(next.clone(), j);
                    b.markings.push(next);
                    b.dist.push(b.dist[i] + 1);
                    b.succ.push(Vec::new());
                    queue.push_back(j);
                    j
                }
            };
            b.succ[i].push(j);
        }
    }
    Some(b)
}

impl Brute {
    pub fn closure(&self, i: usize) -> Vec<usize> {
        let mut seen = vec![false; self.markings.len()];
        let mut stack = vec![i];
        let mut out = Vec::new();
        while let Some(k) = stack.pop() {
            if std::mem::replace(&mut seen[k], true) {
                continue;
            }
            out.push(k);
            stack.extend(&self.succ[k]);
        }
        out
    }
}

pub fn is_final(net: &Net, m: &[u32]) -> bool {
    let sink = net.sink.0 as usize;
    m.iter()
        .enumerate()
        .all(|(p, &n)| n == u32::from(p == sink))
}

/// Replays a trace of transition names from the start and returns the marking it reaches.
pub fn replay(net: &Net, trace: &[String]) -> Vec<u32> {
    let mut m = Marking::initial(net);
    for name in trace {
        let t = net
            .transition_by_name(name)
            .expect("a transition of the net");
        assert!(m.is_enabled(t), "{name} is enabled in {:?}", m.0);
        m.fire(t);
    }
    m.0
}

pub fn marking_of(net: &Net, described: &[(String, u32)]) -> Vec<u32> {
    let mut m = vec![0; net.places.len()];
    for (name, n) in described {
        m[net.place_by_name(name).expect("a place").id.0 as usize] = *n;
    }
    m
}

/// The checker and the brute force agree on `net`: verdict, each kind of violation, the dead
/// transitions, and every counterexample replays to its marking by a shortest way.
pub fn agrees_with_brute_force(net: &Net) -> Result<(), TestCaseError> {
    let report = check(net, DEFAULT_LIMIT);
    match brute(net) {
        None => {
            // Too many markings for the brute force: the net is never called sound below
            // that size.
            prop_assert!(!report.is_sound() || report.states > CAP);
        }
        Some(b) => {
            let n = b.markings.len();
            let sink = net.sink.0 as usize;
            prop_assert_eq!(report.states, n);
            prop_assert!(!report.limit_hit);
            prop_assert!(!report.has(ViolationKind::Unbounded));
            let reaches_final: Vec<bool> = (0..n)
                .map(|i| b.closure(i).iter().any(|&k| is_final(net, &b.markings[k])))
                .collect();
            let improper = b.markings.iter().any(|m| m[sink] > 0 && !is_final(net, m));
            let dead: Vec<String> = (0..net.transitions.len())
                .filter(|t| !b.fired.contains(t))
                .map(|t| net.transitions[t].name.clone())
                .collect();
            let sound = reaches_final.iter().all(|&r| r) && !improper && dead.is_empty();
            prop_assert_eq!(report.is_sound(), sound);
            prop_assert_eq!(report.has(ViolationKind::ImproperCompletion), improper);
            let mut reported_dead: Vec<String> = report
                .violations
                .iter()
                .filter(|v| v.kind == ViolationKind::DeadTransition)
                .map(|v| v.involved[0].clone())
                .collect();
            reported_dead.sort();
            prop_assert_eq!(reported_dead, dead);
            let stuck = (0..n).any(|i| b.succ[i].is_empty() && b.markings[i][sink] == 0);
            prop_assert_eq!(report.has(ViolationKind::Deadlock), stuck);
            let livelock = (0..n).any(|i| {
                let c = b.closure(i);
                c.iter()
                    .all(|&k| b.markings[k][sink] == 0 && !b.succ[k].is_empty())
            });
            prop_assert_eq!(report.has(ViolationKind::NoOptionToComplete), livelock);
            // Every counterexample replays to its marking, and is a shortest way there.
            for v in &report.violations {
                if v.kind == ViolationKind::DeadTransition {
                    continue;
                }
                let reached = replay(net, &v.trace);
                prop_assert_eq!(&reached, &marking_of(net, &v.marking));
                let i = b
                    .markings
                    .iter()
                    .position(|m| *m == reached)
                    .expect("reachable");
                prop_assert_eq!(v.trace.len(), b.dist[i]);
                if v.kind == ViolationKind::ImproperCompletion {
                    let shortest = (0..n)
                        .filter(|&k| b.markings[k][sink] > 0 && !is_final(net, &b.markings[k]))
                        .map(|k| b.dist[k])
                        .min();
                    prop_assert_eq!(Some(v.trace.len()), shortest);
                }
            }
        }
    }
    Ok(())
}

/// A random net with arc weights of one, as PNML would give it: grown from `source -> t ->
/// sink` by refinements that keep a workflow net sound (sequence, choice, parallel branches,
/// loops), mixed with a few arcs added or taken away that may break it.
pub fn arb_workflow_net() -> impl Strategy<Value = zaak_engine::pnml::PetriNet> {
    use zaak_engine::pnml::{PetriNet, PnArc, PnPlace, PnTransition};
    let op = (0u8..8, 0usize..64, 0usize..64, any::<bool>());
    proptest::collection::vec(op, 0..9).prop_map(|ops| {
        // Place 0 is the source, place 1 the sink; transitions as (inputs, outputs, silent).
        let mut places = 2usize;
        let mut ts: Vec<(Vec<usize>, Vec<usize>, bool)> = vec![(vec![0], vec![1], false)];
        for (op, a, b, silent) in ops {
            let t = a % ts.len();
            match op {
                // Sequence: t -> new place -> new transition -> what t produced.
                0 | 1 => {
                    let q = places;
                    places += 1;
                    let post = std::mem::replace(&mut ts[t].1, vec![q]);
                    ts.push((vec![q], post, silent));
                }
                // Choice: another transition between the same places.
                2 | 3 => {
                    let (pre, post) = (ts[t].0.clone(), ts[t].1.clone());
                    ts.push((pre, post, silent));
                }
                // Parallel: t starts two branches that a new transition joins.
                4 => {
                    let (x, y) = (places, places + 1);
                    places += 2;
                    let post = std::mem::replace(&mut ts[t].1, vec![x, y]);
                    ts.push((vec![x, y], post, silent));
                }
                // Loop: from what t produced back to what it consumed.
                5 => {
                    if ts[t].1 != [1] {
                        let (pre, post) = (ts[t].0.clone(), ts[t].1.clone());
                        ts.push((post, pre, silent));
                    }
                }
                // An arc added: from a place to t, or from t to a place.
                6 => {
                    let p = b % places;
                    if silent {
                        if !ts[t].0.contains(&p) {
                            ts[t].0.push(p);
                        }
                    } else if !ts[t].1.contains(&p) {
                        ts[t].1.push(p);
                    }
                }
                // An arc taken away.
                _ => {
                    let list = if silent { &mut ts[t].0 } else { &mut ts[t].1 };
                    if list.len() > 1 {
                        list.remove(b % list.len());
                    }
                }
            }
        }
        let mut arcs = Vec::new();
        let mut transitions = Vec::new();
        for (t, (pre, post, silent)) in ts.iter().enumerate() {
            transitions.push(PnTransition {
                id: format!("t{t}"),
                name: Some(format!("T{t}")),
                silent: *silent,
            });
            for p in pre {
                arcs.push(PnArc {
                    id: None,
                    source: format!("p{p}"),
                    target: format!("t{t}"),
                    weight: 1,
                });
            }
            for p in post {
                arcs.push(PnArc {
                    id: None,
                    source: format!("t{t}"),
                    target: format!("p{p}"),
                    weight: 1,
                });
            }
        }
        PetriNet {
            id: "random".into(),
            name: None,
            places: (0..places)
                .map(|p| PnPlace {
                    id: format!("p{p}"),
                    name: None,
                    initial_tokens: 0,
                })
                .collect(),
            transitions,
            arcs,
            final_markings: Vec::new(),
        }
    })
}
