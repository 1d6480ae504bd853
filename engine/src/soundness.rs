//! Soundness of workflow nets (van der Aalst), by explicit search of the reachable markings.
//!
//! A net is sound when, from the start marking (one token in the source):
//! - every reachable marking can still reach the final marking (one token in the sink): no
//!   deadlock, no loop without a way out (*option to complete*);
//! - no reachable marking has a token in the sink and tokens elsewhere (*proper completion*);
//! - every transition can fire in some reachable marking (*no dead transitions*);
//! - and the reachable markings are finitely many (*boundedness*).
//!
//! The search is a breadth-first search, so the trace to every reported marking is a shortest
//! one. Guards are treated as free choices (any branch may be taken, whatever the case data) and
//! tasks, messages, timers and deelzaken may complete at any moment: the check is about the
//! routing, not the data.
//!
//! Unboundedness is found with the coverability criterion: when a newly reached marking is
//! strictly larger than a marking on its own path from the start, the transitions between them
//! can be repeated for ever, each round leaving more tokens. Such a marking is not explored
//! further. The search also stops at a configurable number of markings; a search that stopped
//! for either reason reports only what it found for certain (deadlocks, improper completions,
//! the unboundedness itself) and says so, and is never reported as sound.
//!
//! [`diagnostics`] turns the violations into diagnostics at the steps involved, with a precise
//! message for the classic mistakes: a choice closed by `join all`, parallel branches that meet in
//! an ordinary step, a loop with no way out, and a step that can never run. Codes: Z0401 the case
//! can get stuck (deadlock), Z0402 a loop with no way out, Z0403 the case can end with work
//! still open (improper completion), Z0404 a step or way out that can never happen (dead
//! transition), Z0405 the check stopped at its limit (a warning), Z0406 work piles up without
//! limit (unbounded). Each gives the shortest counterexample in its help.

mod explain;
mod space;

use crate::net::{Net, PlaceId};
use petgraph::graph::DiGraph;
use space::{Reached, Space};
use std::collections::HashSet;
use zaak_dsl::{Diagnostic, ProcessModel, Span};

/// How many markings [`check`] explores unless told otherwise.
pub const DEFAULT_LIMIT: usize = 100_000;

/// What the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Reachable markings explored.
    pub states: usize,
    /// The search stopped at its limit before it saw every reachable marking.
    pub limit_hit: bool,
    /// The most tokens any one place held in any explored marking.
    pub max_tokens: u32,
    /// What is wrong. After the search stopped early (at its limit, or at tokens piling up),
    /// only what it found for certain is here: loops without a way out and dead transitions need
    /// the whole state space and are left out.
    pub violations: Vec<Violation>,
}

impl Report {
    /// Sound: the whole state space was explored and nothing is wrong.
    pub fn is_sound(&self) -> bool {
        !self.limit_hit && self.violations.is_empty()
    }

    pub fn has(&self, kind: ViolationKind) -> bool {
        self.violations.iter().any(|v| v.kind == kind)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViolationKind {
    /// A reachable marking, not final, in which nothing can fire.
    Deadlock,
    /// A reachable set of markings that can be left for each other but never reach the end.
    NoOptionToComplete,
    /// A reachable marking with a token in the sink and tokens elsewhere.
    ImproperCompletion,
    /// A transition that fires in no reachable marking.
    DeadTransition,
    /// Tokens can pile up without limit.
    Unbounded,
}

/// One way the net is not sound, with a shortest counterexample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// The step most to blame: the step that waits, the dead step, the place that overflows.
    pub step: Option<String>,
    pub span: Span,
    /// Transition names from the start to the bad marking, shortest first found.
    pub trace: Vec<String>,
    /// The bad marking: the places holding tokens, with their counts.
    pub marking: Vec<(String, u32)>,
    /// Further steps involved: the steps of a loop without a way out, the places that grow
    /// without limit, the dead transition's name.
    pub involved: Vec<String>,
}

/// Checks the soundness of `net`, exploring at most `limit` markings.
pub fn check(net: &Net, limit: usize) -> Report {
    // Markings are numbered with 32 bits, one number kept free.
    let limit = limit.clamp(1, u32::MAX as usize - 1);
    let mut space = Space::new(net);
    let mut fired = vec![false; net.transitions.len()];
    let mut violations = Vec::new();
    let mut limit_hit = false;
    let mut unbounded = false;

    // Only transitions that take from a place holding tokens can be enabled, and those that
    // take nothing at all (never in a compiled net).
    let mut consumers: Vec<Vec<usize>> = vec![Vec::new(); net.places.len()];
    let mut always = Vec::new();
    for (ti, t) in net.transitions.iter().enumerate() {
        for &(p, _) in &t.pre {
            consumers[p.0 as usize].push(ti);
        }
        if t.pre.is_empty() {
            always.push(ti);
        }
    }
    let mut candidates: Vec<usize> = Vec::new();
    let mut scratch = Vec::new();

    // Markings are expanded in the order they were found, which is breadth-first: every
    // marking's parent is on a shortest way to it.
    let mut i = 0;
    'search: while i < space.len() {
        space.begin_expanding(i);
        let mut complete = true;
        candidates.clear();
        candidates.extend(&always);
        for (p, _) in space.occupied(i) {
            candidates.extend(&consumers[p.0 as usize]);
        }
        // In the order of the net, so that the search and its traces do not depend on the
        // order of the places.
        candidates.sort_unstable();
        candidates.dedup();
        for &ti in &candidates {
            let t = &net.transitions[ti];
            if !space::is_enabled(space.marking(i), t) {
                continue;
            }
            fired[ti] = true;
            match space.fire(i, t, limit, &mut scratch) {
                Reached::Marking => {}
                Reached::Grows { grown } => {
                    complete = false;
                    if !unbounded {
                        unbounded = true;
                        let mut trace = space.trace(i);
                        trace.push(t.name.clone());
                        let place = net.place(grown[0]);
                        violations.push(Violation {
                            kind: ViolationKind::Unbounded,
                            step: place.step.clone(),
                            span: place.span,
                            trace,
                            marking: describe(net, scratch.iter().map(|&(p, n)| (PlaceId(p), n))),
                            involved: grown.iter().map(|&p| net.place(p).name.clone()).collect(),
                        });
                    }
                }
                Reached::Full => {
                    limit_hit = true;
                    break 'search;
                }
            }
        }
        space.expanded[i] = complete;
        i += 1;
    }

    let max_tokens = space.all_tokens().max().unwrap_or(0);

    // Improper completion: certain whenever seen, and the first seen has a shortest trace.
    if let Some(i) = (0..space.len()).find(|&i| {
        let m = space.marking(i);
        space::tokens(m, net.sink) > 0 && !space::is_final(m, net)
    }) {
        let left = space
            .occupied(i)
            .find(|&(p, _)| p != net.sink)
            .map(|(p, _)| p);
        let (step, span) = place_blame(net, left);
        violations.push(Violation {
            kind: ViolationKind::ImproperCompletion,
            step,
            span,
            trace: space.trace(i),
            marking: describe(net, space.occupied(i)),
            involved: Vec::new(),
        });
    }

    let explored_all = !limit_hit && !unbounded;
    if explored_all {
        violations.extend(no_completion(&space, &consumers));
        for t in &net.transitions {
            if !fired[t.id.0 as usize] {
                violations.push(Violation {
                    kind: ViolationKind::DeadTransition,
                    step: t.step.clone(),
                    span: t.span,
                    trace: Vec::new(),
                    marking: Vec::new(),
                    involved: vec![t.name.clone()],
                });
            }
        }
    } else {
        // Without the whole state space only a marking where nothing can fire is certain.
        let mut blamed = HashSet::new();
        for i in 0..space.len() {
            let m = space.marking(i);
            if space.expanded[i]
                && space.successors(i).is_empty()
                && space::tokens(m, net.sink) == 0
                && !space::is_final(m, net)
            {
                let v = deadlock(&space, &consumers, i);
                if blamed.insert(v.step.clone()) {
                    violations.push(v);
                }
            }
        }
    }

    Report {
        states: space.len(),
        limit_hit,
        max_tokens,
        violations,
    }
}

/// A marking in the net's own names: the places holding tokens, with their counts.
fn describe(net: &Net, occupied: impl Iterator<Item = (PlaceId, u32)>) -> Vec<(String, u32)> {
    occupied
        .map(|(p, n)| (net.place(p).name.clone(), n))
        .collect()
}

fn place_blame(net: &Net, place: Option<PlaceId>) -> (Option<String>, Span) {
    match place {
        Some(p) => {
            let place = net.place(p);
            (place.step.clone(), place.span)
        }
        None => (None, Span::default()),
    }
}

/// A deadlock at marking `i`, blamed on the step of a transition that waits for a token.
fn deadlock(space: &Space<'_>, consumers: &[Vec<usize>], i: usize) -> Violation {
    let net = space.net;
    let waiting = space
        .occupied(i)
        .find_map(|(p, _)| consumers[p.0 as usize].first())
        .map(|&t| &net.transitions[t]);
    let (step, span) = match waiting {
        Some(t) => (t.step.clone(), t.span),
        None => place_blame(net, space.occupied(i).next().map(|(p, _)| p)),
    };
    Violation {
        kind: ViolationKind::Deadlock,
        step,
        span,
        trace: space.trace(i),
        marking: describe(net, space.occupied(i)),
        involved: space
            .occupied(i)
            .filter_map(|(p, _)| net.place(p).step.clone())
            .collect(),
    }
}

/// Deadlocks and loops without a way out: the bottom components of the state graph other than
/// the one holding the final marking. Every marking that cannot complete leads into one.
fn no_completion(space: &Space<'_>, consumers: &[Vec<usize>]) -> Vec<Violation> {
    let net = space.net;
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(space.len(), 0);
    let nodes: Vec<_> = (0..space.len()).map(|_| g.add_node(())).collect();
    for (i, &from) in nodes.iter().enumerate() {
        for &(_, j) in space.successors(i) {
            g.add_edge(from, nodes[j as usize], ());
        }
    }
    let mut out = Vec::new();
    let mut blamed = HashSet::new();
    // Kosaraju's algorithm walks the graph without recursion, so a long path of markings
    // cannot overflow the stack.
    let mut components = petgraph::algo::kosaraju_scc(&g);
    drop(g);
    // Report in the order the search met them, so traces are shortest first.
    for c in &mut components {
        c.sort();
    }
    components.sort_by_key(|c| c[0].index());
    let mut member = vec![false; space.len()];
    for c in components {
        for n in &c {
            member[n.index()] = true;
        }
        let bottom = c.iter().all(|n| {
            space
                .successors(n.index())
                .iter()
                .all(|&(_, j)| member[j as usize])
        });
        let first = c[0].index();
        // The final marking's component is where a case should end; a token in the sink is
        // already reported as an improper completion.
        let ends = c
            .iter()
            .any(|n| space::tokens(space.marking(n.index()), net.sink) > 0);
        if bottom && !ends {
            let v = if space.successors(first).is_empty() {
                deadlock(space, consumers, first)
            } else {
                let mut steps: Vec<String> = Vec::new();
                let mut seen = HashSet::new();
                for n in &c {
                    for &(t, _) in space.successors(n.index()) {
                        if let Some(s) = &net.transitions[t as usize].step {
                            if seen.insert(s.as_str()) {
                                steps.push(s.clone());
                            }
                        }
                    }
                }
                let (step, span) = place_blame(net, space.occupied(first).next().map(|(p, _)| p));
                Violation {
                    kind: ViolationKind::NoOptionToComplete,
                    step,
                    span,
                    trace: space.trace(first),
                    marking: describe(net, space.occupied(first)),
                    involved: steps,
                }
            };
            if blamed.insert((v.kind, v.step.clone())) {
                out.push(v);
            }
        }
        for n in &c {
            member[n.index()] = false;
        }
    }
    out
}

/// The soundness check as diagnostics at the steps of `model` (codes Z0401-Z0406).
pub fn diagnostics(model: &ProcessModel, net: &Net, limit: usize) -> Vec<Diagnostic> {
    explain(model, net, &check(net, limit))
}

/// The findings of a report on `net`, the net of `model`, as diagnostics at its steps.
pub(crate) fn explain(model: &ProcessModel, net: &Net, report: &Report) -> Vec<Diagnostic> {
    explain::diagnostics(model, net, report)
}
