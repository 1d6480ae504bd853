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

use crate::net::{Marking, Net, PlaceId, TransitionId};
use petgraph::graph::DiGraph;
use std::collections::{HashMap, HashSet, VecDeque};
use zaak_dsl::{Code, Diagnostic, JoinMode, ProcessModel, Span, Step, StepKind};

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

/// The explored state space.
struct Space<'n> {
    net: &'n Net,
    markings: Vec<Marking>,
    parent: Vec<Option<(usize, TransitionId)>>,
    succ: Vec<Vec<(TransitionId, usize)>>,
    /// Every transition a marking enables was followed.
    expanded: Vec<bool>,
    /// Tokens in each marking, all places together: a marking can only strictly cover one
    /// with fewer, which makes most ancestors quick to pass over.
    totals: Vec<u64>,
}

impl Space<'_> {
    fn trace(&self, mut i: usize) -> Vec<String> {
        let mut out = Vec::new();
        while let Some((p, t)) = self.parent[i] {
            out.push(self.net.transition(t).name.clone());
            i = p;
        }
        out.reverse();
        out
    }

    fn describe(&self, m: &Marking) -> Vec<(String, u32)> {
        m.occupied()
            .map(|(p, n)| (self.net.place(p).name.clone(), n))
            .collect()
    }
}

/// Checks the soundness of `net`, exploring at most `limit` markings.
pub fn check(net: &Net, limit: usize) -> Report {
    let limit = limit.max(1);
    let start = Marking::initial(net);
    let mut space = Space {
        net,
        markings: vec![start.clone()],
        parent: vec![None],
        succ: vec![Vec::new()],
        expanded: vec![false],
        totals: vec![1],
    };
    let mut index: HashMap<Marking, usize> = HashMap::from([(start, 0)]);
    let mut queue = VecDeque::from([0usize]);
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

    'search: while let Some(i) = queue.pop_front() {
        let mut complete = true;
        candidates.clear();
        candidates.extend(&always);
        for (p, _) in space.markings[i].occupied() {
            candidates.extend(&consumers[p.0 as usize]);
        }
        // In the order of the net, so that the search and its traces do not depend on the
        // order of the places.
        candidates.sort_unstable();
        candidates.dedup();
        for &ti in &candidates {
            let t = &net.transitions[ti];
            if !space.markings[i].is_enabled(t) {
                continue;
            }
            fired[t.id.0 as usize] = true;
            let mut next = space.markings[i].clone();
            next.fire(t);
            if let Some(&j) = index.get(&next) {
                space.succ[i].push((t.id, j));
                continue;
            }
            if let Some(grown) = covered_ancestor(&space, i, &next) {
                complete = false;
                if !unbounded {
                    unbounded = true;
                    let mut trace = space.trace(i);
                    trace.push(t.name.clone());
                    let first = grown[0];
                    let place = net.place(first);
                    violations.push(Violation {
                        kind: ViolationKind::Unbounded,
                        step: place.step.clone(),
                        span: place.span,
                        trace,
                        marking: space.describe(&next),
                        involved: grown.iter().map(|&p| net.place(p).name.clone()).collect(),
                    });
                }
                continue;
            }
            if space.markings.len() >= limit {
                limit_hit = true;
                break 'search;
            }
            let j = space.markings.len();
            index.insert(next.clone(), j);
            space.totals.push(total(&next));
            space.markings.push(next);
            space.parent.push(Some((i, t.id)));
            space.succ.push(Vec::new());
            space.expanded.push(false);
            space.succ[i].push((t.id, j));
            queue.push_back(j);
        }
        space.expanded[i] = complete;
    }

    let max_tokens = space
        .markings
        .iter()
        .flat_map(|m| m.0.iter().copied())
        .max()
        .unwrap_or(0);
    let sink = net.sink.0 as usize;

    // Improper completion: certain whenever seen, and the first seen has a shortest trace.
    if let Some(i) = (0..space.markings.len())
        .find(|&i| space.markings[i].0[sink] > 0 && !space.markings[i].is_final(net))
    {
        let m = &space.markings[i];
        let left = m.occupied().find(|&(p, _)| p != net.sink).map(|(p, _)| p);
        let (step, span) = place_blame(net, left);
        violations.push(Violation {
            kind: ViolationKind::ImproperCompletion,
            step,
            span,
            trace: space.trace(i),
            marking: space.describe(m),
            involved: Vec::new(),
        });
    }

    let explored_all = !limit_hit && !unbounded;
    if explored_all {
        violations.extend(no_completion(&space));
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
        for i in 0..space.markings.len() {
            let m = &space.markings[i];
            if space.expanded[i] && space.succ[i].is_empty() && m.0[sink] == 0 && !m.is_final(net) {
                let v = deadlock(&space, i);
                if blamed.insert(v.step.clone()) {
                    violations.push(v);
                }
            }
        }
    }

    Report {
        states: space.markings.len(),
        limit_hit,
        max_tokens,
        violations,
    }
}

/// The places that grew, if `next` strictly covers a marking on the path to marking `i`.
fn covered_ancestor(space: &Space<'_>, i: usize, next: &Marking) -> Option<Vec<PlaceId>> {
    let next_total = total(next);
    let mut at = Some(i);
    while let Some(a) = at {
        let old = &space.markings[a];
        if space.totals[a] < next_total && next.0.iter().zip(&old.0).all(|(n, o)| n >= o) {
            let grown: Vec<PlaceId> = next
                .0
                .iter()
                .zip(&old.0)
                .enumerate()
                .filter(|(_, (n, o))| n > o)
                .map(|(p, _)| PlaceId(p as u32))
                .collect();
            if !grown.is_empty() {
                return Some(grown);
            }
        }
        at = space.parent[a].map(|(p, _)| p);
    }
    None
}

fn total(m: &Marking) -> u64 {
    m.0.iter().map(|&n| u64::from(n)).sum()
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
fn deadlock(space: &Space<'_>, i: usize) -> Violation {
    let net = space.net;
    let m = &space.markings[i];
    let waiting = m
        .occupied()
        .flat_map(|(p, _)| {
            net.transitions
                .iter()
                .filter(move |t| t.pre.iter().any(|&(q, _)| q == p))
        })
        .next();
    let (step, span) = match waiting {
        Some(t) => (t.step.clone(), t.span),
        None => place_blame(net, m.occupied().next().map(|(p, _)| p)),
    };
    Violation {
        kind: ViolationKind::Deadlock,
        step,
        span,
        trace: space.trace(i),
        marking: space.describe(m),
        involved: m
            .occupied()
            .filter_map(|(p, _)| net.place(p).step.clone())
            .collect(),
    }
}

/// Deadlocks and loops without a way out: the bottom components of the state graph other than
/// the one holding the final marking. Every marking that cannot complete leads into one.
fn no_completion(space: &Space<'_>) -> Vec<Violation> {
    let net = space.net;
    let sink = net.sink.0 as usize;
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(space.markings.len(), 0);
    let nodes: Vec<_> = (0..space.markings.len()).map(|_| g.add_node(())).collect();
    for (i, succ) in space.succ.iter().enumerate() {
        for &(_, j) in succ {
            g.add_edge(nodes[i], nodes[j], ());
        }
    }
    let mut out = Vec::new();
    let mut blamed = HashSet::new();
    let mut components = petgraph::algo::tarjan_scc(&g);
    // Report in the order the search met them, so traces are shortest first.
    for c in &mut components {
        c.sort();
    }
    components.sort_by_key(|c| c[0].index());
    for c in components {
        let members: HashSet<usize> = c.iter().map(|n| n.index()).collect();
        let bottom = members
            .iter()
            .all(|&i| space.succ[i].iter().all(|(_, j)| members.contains(j)));
        if !bottom {
            continue;
        }
        let first = c[0].index();
        if members.iter().any(|&i| space.markings[i].is_final(net)) {
            continue;
        }
        // A token in the sink is already reported as an improper completion.
        if members.iter().any(|&i| space.markings[i].0[sink] > 0) {
            continue;
        }
        let v = if space.succ[first].is_empty() {
            deadlock(space, first)
        } else {
            let mut steps: Vec<String> = Vec::new();
            for &i in &c {
                for &(t, _) in &space.succ[i.index()] {
                    if let Some(s) = &net.transition(t).step {
                        if !steps.contains(s) {
                            steps.push(s.clone());
                        }
                    }
                }
            }
            let m = &space.markings[first];
            let (step, span) = place_blame(net, m.occupied().next().map(|(p, _)| p));
            Violation {
                kind: ViolationKind::NoOptionToComplete,
                step,
                span,
                trace: space.trace(first),
                marking: space.describe(m),
                involved: steps,
            }
        };
        if blamed.insert((v.kind, v.step.clone())) {
            out.push(v);
        }
    }
    out
}

/// Compiles `model` and checks its soundness: the compiler's diagnostics if it cannot be
/// compiled, else the soundness diagnostics. What `zaak check` needs after validation.
pub fn check_process(model: &ProcessModel, limit: usize) -> Vec<Diagnostic> {
    match crate::compile::compile(model) {
        Ok(net) => diagnostics(model, &net, limit),
        Err(ds) => ds,
    }
}

/// The soundness check as diagnostics at the steps of `model` (codes Z0401-Z0406).
pub fn diagnostics(model: &ProcessModel, net: &Net, limit: usize) -> Vec<Diagnostic> {
    let report = check(net, limit);
    let ctx = Context::new(model, net);
    let mut out = Vec::new();
    let deadlocked: HashSet<Option<String>> = report
        .violations
        .iter()
        .filter(|v| v.kind == ViolationKind::Deadlock)
        .map(|v| v.step.clone())
        .collect();

    // Dead transitions: one diagnostic per step. Only the first dead steps on each path are
    // reported, since everything behind a dead step is dead for the same reason.
    let dead: HashSet<&str> = report
        .violations
        .iter()
        .filter(|v| v.kind == ViolationKind::DeadTransition)
        .filter_map(|v| v.involved.first().map(String::as_str))
        .collect();
    let step_dead = |step: &str| {
        net.transitions
            .iter()
            .filter(|t| t.step.as_deref() == Some(step))
            .all(|t| dead.contains(t.name.as_str()))
    };
    // The dead steps to report: those a live step leads to (or nothing does), then, for dead
    // loops that nothing live leads into, the first step of each. Steps behind a reported dead
    // step or a deadlocked join are dead for the same reason and not reported again.
    let dead_steps: Vec<&str> = model
        .steps
        .iter()
        .map(|s| s.name.as_str())
        .filter(|s| step_dead(s))
        .collect();
    let mut covered: HashSet<String> = HashSet::new();
    let cover = |from: &str, covered: &mut HashSet<String>| {
        let mut stack = vec![from.to_string()];
        while let Some(s) = stack.pop() {
            if !dead_steps.contains(&s.as_str()) || !covered.insert(s.clone()) {
                continue;
            }
            if let Some(step) = model.step(&s) {
                stack.extend(step.successors().iter().map(|n| n.name.clone()));
            }
        }
    };
    for v in &report.violations {
        if v.kind == ViolationKind::Deadlock {
            if let Some(step) = v.step.as_deref().and_then(|s| model.step(s)) {
                for n in step.successors() {
                    cover(n.as_str(), &mut covered);
                }
                covered.insert(step.name.name.clone());
            }
        }
    }
    let mut dead_roots: Vec<&str> = Vec::new();
    for &d in &dead_steps {
        let preds = ctx.predecessors(d);
        if !covered.contains(d) && (preds.is_empty() || preds.iter().any(|p| !step_dead(p))) {
            dead_roots.push(d);
        }
    }
    for &r in &dead_roots {
        for n in model.step(r).map(|s| s.successors()).unwrap_or_default() {
            cover(n.as_str(), &mut covered);
        }
    }
    for &d in &dead_steps {
        if !covered.contains(d) && !dead_roots.contains(&d) {
            dead_roots.push(d);
            cover(d, &mut covered);
        }
    }
    let mut dead_steps_done = HashSet::new();

    for v in &report.violations {
        let span = v
            .step
            .as_deref()
            .and_then(|s| model.step(s))
            .map(step_span)
            .unwrap_or(v.span);
        let step = v.step.as_deref().unwrap_or("start");
        let trace = trace_text(&v.trace);
        match v.kind {
            ViolationKind::Deadlock => out.push(ctx.deadlock(v, step, span, &trace)),
            ViolationKind::ImproperCompletion => out.push(ctx.improper(v, step, span, &trace)),
            ViolationKind::NoOptionToComplete => {
                let steps = v
                    .involved
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(
                    Diagnostic::new(
                        Code::NoWayOut,
                        span,
                        format!(
                            "the steps {steps} form a loop with no way out: a case that gets to `{step}` can never end"
                        ),
                    )
                    .with_label("loop without an exit")
                    .with_help(format!(
                        "give one of these steps an outcome or branch that leads out of the loop towards an end. {FREE_CHOICE} Shortest way into the loop: {trace}"
                    )),
                );
            }
            ViolationKind::DeadTransition => {
                let Some(s) = v.step.as_deref() else { continue };
                if deadlocked.contains(&v.step) {
                    continue;
                }
                let tname = v.involved.first().map(String::as_str).unwrap_or("");
                if step_dead(s) {
                    if !dead_roots.contains(&s) || !dead_steps_done.insert(s.to_string()) {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(
                            Code::NeverRuns,
                            span,
                            format!("the step `{s}` can never run: no case can get there"),
                        )
                        .with_label("never runs")
                        .with_help(if ctx.predecessors(s).is_empty() {
                            format!("no step leads to `{s}`: let a step's `then`, outcome or branch lead here, or remove it")
                        } else {
                            format!(
                                "check the steps that lead to `{s}`: a join that waits for a branch that never comes makes the steps after it unreachable. {FREE_CHOICE}"
                            )
                        }),
                    );
                } else {
                    out.push(
                        Diagnostic::new(
                            Code::NeverRuns,
                            span,
                            format!(
                                "`{tname}` can never happen: in no case does `{s}` go this way"
                            ),
                        )
                        .with_label("never happens")
                        .with_help(format!(
                            "remove this way out of `{s}`, or make it reachable. {FREE_CHOICE}"
                        )),
                    );
                }
            }
            ViolationKind::Unbounded => {
                let places = v
                    .involved
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut d = Diagnostic::new(
                    Code::Unbounded,
                    span,
                    format!(
                        "work piles up without limit at `{step}`: each time round the loop leaves another token in {places}"
                    ),
                )
                .with_label("tokens pile up here");
                let split = ctx.parallel_reaching(step);
                let fix = match split {
                    Some(p) => {
                        if let Some(ps) = model.step(p) {
                            d = d.with_related(step_span(ps), "this split starts the branches that pile up");
                        }
                        format!("close the branches of `{p}` with a `join all` before the process loops back")
                    }
                    None => "make sure every branch of a parallel split ends in one `join all` before the process loops back".to_string(),
                };
                out.push(d.with_help(format!(
                    "{fix}. {FREE_CHOICE} Shortest way to more tokens than before: {trace}"
                )));
            }
        }
    }
    if report.limit_hit {
        out.push(
            Diagnostic::new(
                Code::LimitReached,
                model.start.span,
                format!(
                    "the soundness check stopped after {} markings of the net; this process may still get stuck or end with work left open",
                    report.states
                ),
            )
            .with_label("not fully checked")
            .with_help("the process has very many combinations of parallel work; split it into smaller processes or deelzaken"),
        );
    }
    out
}

const FREE_CHOICE: &str =
    "(Conditions on case data are treated as free choices: every branch is assumed possible.)";

/// Where a diagnostic about a step points: at its name where the source gives one (one line,
/// readable), else at the whole step.
fn step_span(step: &Step) -> Span {
    if step.name.span.is_empty() {
        step.span
    } else {
        step.name.span
    }
}

fn trace_text(trace: &[String]) -> String {
    if trace.is_empty() {
        "at the start".to_string()
    } else {
        trace.join(" -> ")
    }
}

/// The model around a violation: who leads to whom, to recognise the classic mistakes.
struct Context<'m> {
    model: &'m ProcessModel,
    net: &'m Net,
}

impl<'m> Context<'m> {
    fn new(model: &'m ProcessModel, net: &'m Net) -> Context<'m> {
        Context { model, net }
    }

    fn predecessors(&self, step: &str) -> Vec<&'m str> {
        self.model
            .steps
            .iter()
            .filter(|s| s.successors().iter().any(|t| t.as_str() == step))
            .map(|s| s.name.as_str())
            .collect()
    }

    /// The steps reachable from `from` (itself included), not passing through `split` and not
    /// going beyond a join.
    fn reach(&self, from: &str, split: &str) -> Vec<&'m str> {
        self.reach_until(from, split, |s| matches!(s.kind, StepKind::Join(_)))
    }

    /// The steps reachable from `from` (itself included), not passing through `split` and not
    /// going beyond a step for which `stop` holds.
    fn reach_until(&self, from: &str, split: &str, stop: impl Fn(&Step) -> bool) -> Vec<&'m str> {
        let mut seen: Vec<&'m str> = Vec::new();
        let Some(first) = self.model.step(from) else {
            return seen;
        };
        let mut queue = VecDeque::from([first]);
        while let Some(s) = queue.pop_front() {
            if s.name.as_str() == split || seen.contains(&s.name.as_str()) {
                continue;
            }
            seen.push(s.name.as_str());
            if stop(s) {
                continue;
            }
            for t in s.successors() {
                if let Some(next) = self.model.step(t.as_str()) {
                    queue.push_back(next);
                }
            }
        }
        seen
    }

    /// The step kinds that take exactly one of their ways out.
    fn exclusive_ways(s: &'m Step) -> Option<Vec<&'m str>> {
        let ways: Vec<&str> = match &s.kind {
            StepKind::Choice(_) | StepKind::Task(_) | StepKind::Wait(_) => {
                s.successors().iter().map(|n| n.as_str()).collect()
            }
            _ => return None,
        };
        (ways.len() >= 2).then_some(ways)
    }

    /// An exclusive split two of whose ways reach the join `join` through different
    /// predecessors: the join waits for both, the split takes one.
    /// Among several, the one on the counterexample's path explains it best.
    fn exclusive_into_join(&self, join: &str, trace: &[String]) -> Option<&'m Step> {
        let preds = self.predecessors(join);
        let on_trace = self.trace_steps(trace);
        let candidates: Vec<&'m Step> = self
            .model
            .steps
            .iter()
            .filter(|s| {
                let Some(ways) = Self::exclusive_ways(s) else {
                    return false;
                };
                let arrivals: Vec<Vec<&str>> = ways
                    .iter()
                    .map(|w| {
                        if *w == join {
                            vec![s.name.as_str()]
                        } else {
                            self.reach(w, s.name.as_str())
                                .into_iter()
                                .filter(|r| preds.contains(r))
                                .collect()
                        }
                    })
                    .collect();
                // Two ways each reach the join through a predecessor the other does not reach.
                arrivals.iter().enumerate().any(|(i, a)| {
                    arrivals.iter().skip(i + 1).any(|b| {
                        a.iter().any(|x| !b.contains(x)) && b.iter().any(|y| !a.contains(y))
                    })
                })
            })
            .collect();
        candidates
            .iter()
            .find(|s| on_trace.contains(&s.name.as_str()))
            .or(candidates.first())
            .copied()
    }

    /// The steps of the transitions in a trace.
    fn trace_steps(&self, trace: &[String]) -> Vec<&str> {
        trace
            .iter()
            .filter_map(|t| self.net.transition_by_name(t)?.step.as_deref())
            .collect()
    }

    /// A parallel or inclusive split two of whose branches reach one ordinary step, with that
    /// step: the nearest such step to the split.
    /// Among several, one whose split and merge are on the counterexample's path.
    fn parallel_merge(&self, trace: &[String]) -> Option<(&'m Step, &'m str)> {
        let on_trace = self.trace_steps(trace);
        let mut candidates = Vec::new();
        for s in &self.model.steps {
            let branches: Vec<&str> = match &s.kind {
                StepKind::Parallel(p) => p.branches.iter().map(|b| b.as_str()).collect(),
                StepKind::Inclusive(c) => c.branches.iter().map(|b| b.then.as_str()).collect(),
                _ => continue,
            };
            // A join that two branches reach closes them; other joins do not stop the search,
            // so branches that meet only after a join of one branch are still found.
            let first: Vec<Vec<&str>> = branches
                .iter()
                .map(|b| self.reach(b, s.name.as_str()))
                .collect();
            let closing: Vec<&str> = first
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    a.iter()
                        .filter(|x| first.iter().skip(i + 1).any(|b| b.contains(x)))
                        .copied()
                        .collect::<Vec<_>>()
                })
                .filter(|x| {
                    matches!(
                        self.model.step(x).map(|st| &st.kind),
                        Some(StepKind::Join(_))
                    )
                })
                .collect();
            let reached: Vec<Vec<&str>> = branches
                .iter()
                .map(|b| {
                    self.reach_until(b, s.name.as_str(), |st| closing.contains(&st.name.as_str()))
                })
                .collect();
            // Walk the first branches' reach in breadth-first order: the first step another
            // branch also reaches, that is not a join, is where they meet.
            for (i, a) in reached.iter().enumerate() {
                for m in a {
                    let is_join =
                        matches!(self.model.step(m).map(|x| &x.kind), Some(StepKind::Join(_)));
                    if is_join {
                        continue;
                    }
                    if reached.iter().skip(i + 1).any(|b| b.contains(m)) {
                        candidates.push((s, *m));
                    }
                }
            }
        }
        candidates
            .iter()
            .find(|(s, m)| on_trace.contains(&s.name.as_str()) && on_trace.contains(m))
            .or(candidates.first())
            .copied()
    }

    /// A parallel split from which `step` is reachable: the likely source of piling tokens.
    fn parallel_reaching(&self, step: &str) -> Option<&'m str> {
        self.model.steps.iter().find_map(|s| match &s.kind {
            StepKind::Parallel(p)
                if p.branches
                    .iter()
                    .any(|b| self.reach(b.as_str(), "").contains(&step)) =>
            {
                Some(s.name.as_str())
            }
            _ => None,
        })
    }

    fn deadlock(&self, v: &Violation, step: &str, span: Span, trace: &str) -> Diagnostic {
        let waiting = v
            .marking
            .iter()
            .map(|(p, n)| {
                if *n == 1 {
                    format!("`{p}`")
                } else {
                    format!("`{p}` ({n} tokens)")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let join_all = matches!(
            self.model.step(step).map(|s| &s.kind),
            Some(StepKind::Join(j)) if j.mode == JoinMode::All
        );
        if join_all {
            if let Some(x) = self.exclusive_into_join(step, &v.trace) {
                let what = match &x.kind {
                    StepKind::Task(_) => "task",
                    StepKind::Wait(_) => "wait",
                    _ => "choice",
                };
                return Diagnostic::new(
                    Code::Deadlock,
                    span,
                    format!(
                        "the case gets stuck at `{step}`: the join waits for a branch that the {what} `{}` did not take",
                        x.name
                    ),
                )
                .with_label("waits for every branch")
                .with_related(step_span(x), format!("this {what} takes only one of its ways"))
                .with_help(format!(
                    "a `join all` closes a `parallel` split; the ways of a {what} meet in an ordinary step, so let them lead straight to the step after the join. {FREE_CHOICE} Shortest way to get stuck: {trace} (tokens left in {waiting})"
                ));
            }
        }
        Diagnostic::new(
            Code::Deadlock,
            span,
            format!("the case can get stuck at `{step}`: it waits for something that never comes"),
        )
        .with_label("stuck here")
        .with_help(format!(
            "every branch a join waits for must be started; check which splits lead here. {FREE_CHOICE} Shortest way to get stuck: {trace} (tokens left in {waiting})"
        ))
    }

    fn improper(&self, v: &Violation, step: &str, span: Span, trace: &str) -> Diagnostic {
        let left = v
            .marking
            .iter()
            .filter(|(p, _)| p != "end")
            .map(|(p, _)| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some((split, merge)) = self.parallel_merge(&v.trace) {
            let merge_span = self.model.step(merge).map(step_span).unwrap_or(span);
            return Diagnostic::new(
                Code::WorkLeftBehind,
                merge_span,
                format!(
                    "the branches of the {} split `{}` meet in `{merge}`, which is not a join: `{merge}` runs once for every branch, and the case ends with work left open",
                    split.kind_word(),
                    split.name
                ),
            )
            .with_label("branches meet here without a join")
            .with_related(step_span(split), "the branches start here")
            .with_help(format!(
                "close the branches with a join (`join all` for a parallel split, `join some` for an inclusive one) that leads to `{merge}`. {FREE_CHOICE} Shortest way to end with work open: {trace} (left in {left})"
            ));
        }
        Diagnostic::new(
            Code::WorkLeftBehind,
            span,
            format!("the case can end while `{step}` still has work open"),
        )
        .with_label("still open when the case ends")
        .with_help(format!(
            "join the branches that run at the same time before the case ends. {FREE_CHOICE} Shortest way to end with work open: {trace} (left in {left})"
        ))
    }
}
