//! Soundness findings in a designer's words: each violation of the search becomes a diagnostic
//! at the step that causes it, with a fix that works and the shortest way there.
//!
//! Nothing here shows the net's own names (`adviezen_binnen<welstandsadvies`, `advies:{a,b}`,
//! `start#2`): places and transitions are described by the steps, outcomes, messages and
//! ways they come from.
//!
//! The classic mistakes get their own message: an exclusive step (a choice, or a task or wait
//! with several ways) whose ways both lead into one `join all`, an inclusive split closed by
//! `join all`, a way that leaves the branch of a parallel split for an end (a timeout, say), and
//! the branches of a split that meet in an ordinary step.
//!
//! Recognising them walks the process's steps. Every walk draws on one budget of step visits
//! per call, [`WALK_BUDGET`], so a process of any size is explained at bounded cost; when the
//! budget runs out the finding keeps its general message, which is still right.

use super::{Report, Violation, ViolationKind};
use crate::net::{Guard, Net, Place, PlaceKind, Transition, Trigger};
use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};
use zaak_dsl::{Code, Diagnostic, JoinMode, Name, ProcessModel, Span, Step, StepKind};

/// Step visits all walks of one [`diagnostics`] call may make together.
pub(crate) const WALK_BUDGET: usize = 1_000_000;

const FREE_CHOICE: &str =
    "(Conditions on case data are treated as free choices: every branch is assumed possible.)";

/// The soundness report as diagnostics at the steps of `model` (codes Z0401-Z0406).
pub(crate) fn diagnostics(model: &ProcessModel, net: &Net, report: &Report) -> Vec<Diagnostic> {
    let ctx = Context::new(model, net);
    let mut out = Vec::new();
    let deadlocked: HashSet<Option<&str>> = report
        .violations
        .iter()
        .filter(|v| v.kind == ViolationKind::Deadlock)
        .map(|v| v.step.as_deref())
        .collect();
    let dead = DeadSteps::new(&ctx, report);
    let mut dead_steps_done = HashSet::new();

    for v in &report.violations {
        let span = v
            .step
            .as_deref()
            .and_then(|s| ctx.step(s))
            .map(step_span)
            .unwrap_or(v.span);
        let step = v.step.as_deref().unwrap_or("start");
        match v.kind {
            ViolationKind::Deadlock => out.push(ctx.deadlock(v, step, span)),
            ViolationKind::ImproperCompletion => out.push(ctx.improper(v, step, span)),
            ViolationKind::NoOptionToComplete => out.push(ctx.no_way_out(v, step, span)),
            ViolationKind::DeadTransition => {
                let Some(s) = v.step.as_deref() else { continue };
                if deadlocked.contains(&v.step.as_deref()) {
                    continue;
                }
                let Some(t) = v.involved.first().and_then(|t| ctx.transition(t)) else {
                    continue;
                };
                if dead.step_dead(s) {
                    if dead.is_root(s) && dead_steps_done.insert(s) {
                        out.push(ctx.dead_step(s, span));
                    }
                } else {
                    out.push(ctx.dead_way(s, t, span));
                }
            }
            ViolationKind::Unbounded => out.push(ctx.unbounded(v, step, span)),
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

/// Which steps can never run, and which of them to report: the first dead steps on each path,
/// since everything behind a dead step (or a join that gets stuck) is dead for the same reason.
struct DeadSteps<'m> {
    /// Steps all of whose transitions are dead (or that have none).
    dead: HashSet<&'m str>,
    /// The dead steps to report.
    roots: HashSet<&'m str>,
}

impl<'m> DeadSteps<'m> {
    fn new(ctx: &Context<'m>, report: &Report) -> DeadSteps<'m> {
        let dead_transitions: HashSet<&str> = report
            .violations
            .iter()
            .filter(|v| v.kind == ViolationKind::DeadTransition)
            .filter_map(|v| v.involved.first().map(String::as_str))
            .collect();
        let step_dead = |step: &str| {
            ctx.transitions_of(step)
                .all(|t| dead_transitions.contains(t.name.as_str()))
        };
        let order: Vec<&'m str> = ctx
            .model
            .steps
            .iter()
            .map(|s| s.name.as_str())
            .filter(|s| step_dead(s))
            .collect();
        let dead: HashSet<&'m str> = order.iter().copied().collect();
        let mut covered: HashSet<&'m str> = HashSet::new();
        let cover = |from: &'m str, covered: &mut HashSet<&'m str>| {
            let mut stack = vec![from];
            while let Some(s) = stack.pop() {
                if !dead.contains(s) || !covered.insert(s) {
                    continue;
                }
                if let Some(step) = ctx.step(s) {
                    stack.extend(step.successors().iter().map(|n| n.as_str()));
                }
            }
        };
        // Steps behind a join that gets stuck are dead because of it; the join is reported.
        for v in &report.violations {
            if v.kind == ViolationKind::Deadlock {
                if let Some(step) = v.step.as_deref().and_then(|s| ctx.step(s)) {
                    for n in step.successors() {
                        cover(n.as_str(), &mut covered);
                    }
                    covered.insert(step.name.as_str());
                }
            }
        }
        // Dead steps that a live step leads to, or that nothing leads to.
        let mut roots: Vec<&'m str> = Vec::new();
        for &d in &order {
            let preds = ctx.predecessors(d);
            if !covered.contains(d) && (preds.is_empty() || preds.iter().any(|p| !dead.contains(p)))
            {
                roots.push(d);
            }
        }
        for &r in &roots {
            for n in ctx.step(r).map(|s| s.successors()).unwrap_or_default() {
                cover(n.as_str(), &mut covered);
            }
        }
        // Then the first step of each dead loop that nothing live leads into.
        let mut root_set: HashSet<&'m str> = roots.iter().copied().collect();
        for &d in &order {
            if !covered.contains(d) && !root_set.contains(d) {
                root_set.insert(d);
                cover(d, &mut covered);
            }
        }
        DeadSteps {
            dead,
            roots: root_set,
        }
    }

    fn step_dead(&self, step: &str) -> bool {
        self.dead.contains(step)
    }

    fn is_root(&self, step: &str) -> bool {
        self.roots.contains(step)
    }
}

/// Where a diagnostic about a step points: at its name where the source gives one (one line,
/// readable), else at the whole step.
fn step_span(step: &Step) -> Span {
    if step.name.span.is_empty() {
        step.span
    } else {
        step.name.span
    }
}

/// `a`, `b` and `c`.
fn listed<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    joined(&quoted)
}

/// `a`, `b` and `c`, or the first `most` of many and how many more.
fn listed_at_most<S: AsRef<str>>(names: &[S], most: usize) -> String {
    if names.len() <= most {
        return listed(names);
    }
    let shown: Vec<String> = names[..most]
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    format!("{} and {} more", shown.join(", "), names.len() - most)
}

/// a, b and c.
fn joined(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The steps for which `keep` holds that one of the lists and a later one both hold, in the
/// order of the earlier list; each once.
fn met_by_two<'m>(lists: &[Vec<&'m str>], keep: impl Fn(&str) -> bool) -> Vec<&'m str> {
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, list) in lists.iter().enumerate() {
        for &x in list {
            last.insert(x, i);
        }
    }
    let mut out: Vec<&'m str> = Vec::new();
    let mut seen = HashSet::new();
    for (i, list) in lists.iter().enumerate() {
        for &x in list {
            if last.get(x).is_some_and(|&l| l > i) && keep(x) && seen.insert(x) {
                out.push(x);
            }
        }
    }
    out
}

/// One way out of a step, as the source writes it.
struct Way<'m> {
    /// What the way is, in words: "the timeout of `w`", "the outcome `nee` of `t`".
    what: String,
    /// The name of the step it leads to, where it is written.
    target: &'m Name,
}

/// The model and net around the findings, with the indexes that keep explaining them linear in
/// the size of the process.
struct Context<'m> {
    model: &'m ProcessModel,
    net: &'m Net,
    steps: HashMap<&'m str, &'m Step>,
    preds: HashMap<&'m str, Vec<&'m str>>,
    /// The transitions of each step, by index into the net's transitions.
    transitions: HashMap<&'m str, Vec<usize>>,
    places: HashMap<&'m str, &'m Place>,
    transitions_by_name: HashMap<&'m str, &'m Transition>,
    /// Step visits the walks may still make.
    budget: Cell<usize>,
}

impl<'m> Context<'m> {
    fn new(model: &'m ProcessModel, net: &'m Net) -> Context<'m> {
        let mut steps = HashMap::new();
        let mut preds: HashMap<&str, Vec<&str>> = HashMap::new();
        for s in &model.steps {
            steps.entry(s.name.as_str()).or_insert(s);
            for t in s.successors() {
                let list = preds.entry(t.as_str()).or_default();
                if !list.contains(&s.name.as_str()) {
                    list.push(s.name.as_str());
                }
            }
        }
        let mut transitions: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in net.transitions.iter().enumerate() {
            if let Some(s) = &t.step {
                transitions.entry(s.as_str()).or_default().push(i);
            }
        }
        Context {
            model,
            net,
            steps,
            preds,
            transitions,
            places: net.places.iter().map(|p| (p.name.as_str(), p)).collect(),
            transitions_by_name: net
                .transitions
                .iter()
                .map(|t| (t.name.as_str(), t))
                .collect(),
            budget: Cell::new(WALK_BUDGET),
        }
    }

    fn step(&self, name: &str) -> Option<&'m Step> {
        self.steps.get(name).copied()
    }

    fn is_join(&self, name: &str) -> bool {
        matches!(self.step(name).map(|s| &s.kind), Some(StepKind::Join(_)))
    }

    fn predecessors(&self, step: &str) -> &[&'m str] {
        self.preds.get(step).map_or(&[], Vec::as_slice)
    }

    fn transitions_of(&self, step: &str) -> impl Iterator<Item = &'m Transition> + '_ {
        let net = self.net;
        self.transitions
            .get(step)
            .into_iter()
            .flatten()
            .map(move |&i| &net.transitions[i])
    }

    /// Takes one step visit from the budget; false when it is spent.
    fn visit(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }

    /// The steps reachable from `from` (itself included, in breadth-first order), not passing
    /// through `avoid` and not going beyond a step for which `stop` holds; `None` when the
    /// budget ran out first.
    fn reach_until(
        &self,
        from: &str,
        avoid: &str,
        stop: impl Fn(&Step) -> bool,
    ) -> Option<Vec<&'m str>> {
        let mut order: Vec<&'m str> = Vec::new();
        let mut seen: HashSet<&'m str> = HashSet::new();
        let Some(first) = self.step(from) else {
            return Some(order);
        };
        let mut queue = VecDeque::from([first]);
        while let Some(s) = queue.pop_front() {
            if s.name.as_str() == avoid || !seen.insert(s.name.as_str()) {
                continue;
            }
            if !self.visit() {
                return None;
            }
            order.push(s.name.as_str());
            if stop(s) {
                continue;
            }
            for t in s.successors() {
                if let Some(next) = self.step(t.as_str()) {
                    queue.push_back(next);
                }
            }
        }
        Some(order)
    }

    /// The steps reachable from `from`, not passing through `avoid` and not going beyond a join.
    fn reach(&self, from: &str, avoid: &str) -> Option<Vec<&'m str>> {
        self.reach_until(from, avoid, |s| matches!(s.kind, StepKind::Join(_)))
    }

    /// Whether `to` can be reached from `from` without passing through `avoid`.
    fn leads_to(&self, from: &str, to: &str, avoid: &str) -> Option<bool> {
        if from == to {
            return Some(true);
        }
        let reached = self.reach_until(from, avoid, |s| s.name.as_str() == to)?;
        Some(reached.contains(&to))
    }

    // ---- describing the net in the process's words ---------------------------------------

    /// The step a join's arrival place receives from, when the place is one.
    fn arrival_from(place: &'m Place) -> Option<(&'m str, &'m str)> {
        match &place.kind {
            PlaceKind::Arrival { join, from } => Some((join.as_str(), from.as_str())),
            _ => None,
        }
    }

    fn place(&self, name: &str) -> Option<&'m Place> {
        self.places.get(name).copied()
    }

    fn transition(&self, name: &str) -> Option<&'m Transition> {
        self.transitions_by_name.get(name).copied()
    }

    /// The steps that the ways of a marking's tokens describe: what is open or waiting.
    fn describe_marking(&self, marking: &[(String, u32)]) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut arrivals: Vec<(&str, Vec<&str>)> = Vec::new();
        for (name, n) in marking {
            let Some(place) = self.place(name) else {
                continue;
            };
            let times = if *n > 1 {
                format!(" ({n} times)")
            } else {
                String::new()
            };
            if let Some((join, from)) = Self::arrival_from(place) {
                match arrivals.iter_mut().find(|(j, _)| *j == join) {
                    Some((_, froms)) => froms.push(from),
                    None => arrivals.push((join, vec![from])),
                }
                continue;
            }
            let text = match &place.kind {
                PlaceKind::Source => "the start".to_string(),
                PlaceKind::Sink => "the end".to_string(),
                PlaceKind::Task { step } => format!("task `{step}` open{times}"),
                PlaceKind::Wait { step, message } => {
                    format!("`{step}` waiting for `{message}`{times}")
                }
                PlaceKind::Timer { step } => format!("timer `{step}` running{times}"),
                PlaceKind::Subcase { step } => format!("the deelzaak of `{step}` open{times}"),
                // Which branches an inclusive split started is bookkeeping for its join.
                PlaceKind::InclusiveMemo { .. } => continue,
                PlaceKind::Flow | PlaceKind::Arrival { .. } => match &place.step {
                    Some(step) => format!("`{step}` about to run{times}"),
                    None => continue,
                },
            };
            parts.push(text);
        }
        for (join, froms) in arrivals {
            let froms: Vec<String> = froms
                .iter()
                .map(|f| {
                    if self.step(f).is_some() {
                        format!("`{f}`")
                    } else {
                        "the start".to_string()
                    }
                })
                .collect();
            parts.push(format!("`{join}` reached from {}", joined(&froms)));
        }
        parts.join("; ")
    }

    /// A transition as the event it stands for: "`volledigheid` done with `volledig`".
    fn event(&self, t: &Transition) -> Option<String> {
        let step = t.step.as_deref()?;
        Some(match &t.trigger {
            Trigger::TaskDone {
                outcome: Some(o), ..
            } => format!("`{step}` done with `{o}`"),
            Trigger::TaskDone { outcome: None, .. } => format!("`{step}` done"),
            Trigger::Message { message, .. } => format!("`{step}` receives `{message}`"),
            Trigger::Timer { .. } if self.is_wait(step) => format!("`{step}` times out"),
            Trigger::Timer { .. } => format!("timer `{step}` goes off"),
            Trigger::SubcaseDone { .. } => format!("the deelzaak of `{step}` closes"),
            Trigger::Auto => match &t.guard {
                Some(Guard::First { .. } | Guard::NoneOf(_)) => {
                    format!("`{step}` goes to {}", listed(&self.targets(t)))
                }
                Some(Guard::Exactly { .. }) => {
                    format!("`{step}` starts {}", listed(&self.targets(t)))
                }
                None => format!("`{step}`"),
            },
        })
    }

    fn is_wait(&self, step: &str) -> bool {
        matches!(self.step(step).map(|s| &s.kind), Some(StepKind::Wait(_)))
    }

    /// The steps a transition hands over to (a join for its arrival places), in arc order.
    fn targets(&self, t: &Transition) -> Vec<&'m str> {
        let mut out: Vec<&'m str> = Vec::new();
        for &(p, _) in &t.post {
            let place = self.net.place(p);
            if matches!(place.kind, PlaceKind::InclusiveMemo { .. }) {
                continue;
            }
            if let Some(s) = self.net.places[p.0 as usize].step.as_deref() {
                if let Some(step) = self.step(s) {
                    if !out.contains(&step.name.as_str()) {
                        out.push(step.name.as_str());
                    }
                }
            }
        }
        out
    }

    /// The shortest way to a finding, as the events on it.
    fn trace(&self, trace: &[String]) -> String {
        let events: Vec<String> = trace
            .iter()
            .filter_map(|name| self.event(self.transition(name)?))
            .collect();
        // A way of thousands of events is no help in full: its start and its end are.
        const SHOWN: usize = 8;
        match events.len() {
            0 => "right at the start".to_string(),
            n if n <= 3 * SHOWN => events.join(", "),
            n => format!(
                "{}, ... ({} more) ..., {}",
                events[..SHOWN].join(", "),
                n - 2 * SHOWN,
                events[n - SHOWN..].join(", ")
            ),
        }
    }

    /// The steps of the transitions in a trace, in trace order.
    fn trace_steps(&self, trace: &[String]) -> Vec<&'m str> {
        trace
            .iter()
            .filter_map(|t| {
                let step = self.transition(t)?.step.as_deref()?;
                Some(self.step(step)?.name.as_str())
            })
            .collect()
    }

    /// The way out of `step` that leads to `target`, as the source writes it.
    fn way(&self, step: &'m Step, target: &str) -> Option<Way<'m>> {
        let name = step.name.as_str();
        let found = |n: &&'m Name| n.as_str() == target;
        match &step.kind {
            StepKind::Task(t) => t
                .outcomes
                .iter()
                .find_map(|o| {
                    o.then.as_ref().filter(found).map(|n| Way {
                        what: format!("the outcome `{}` of `{name}`", o.name),
                        target: n,
                    })
                })
                .or_else(|| {
                    t.then.as_ref().filter(found).map(|n| Way {
                        what: format!("the way out of `{name}`"),
                        target: n,
                    })
                }),
            StepKind::Wait(w) => match &w.timeout {
                Some(timeout) if timeout.then.as_str() == target => Some(Way {
                    what: format!("the timeout of `{name}`"),
                    target: &timeout.then,
                }),
                _ => Some(&w.then).filter(found).map(|n| Way {
                    what: format!("the way of `{name}` when `{}` arrives", w.message),
                    target: n,
                }),
            },
            StepKind::Choice(c) => c
                .branches
                .iter()
                .map(|b| &b.then)
                .chain(c.otherwise.as_ref())
                .find(found)
                .map(|n| Way {
                    what: format!("the way of `{name}` to `{n}`"),
                    target: n,
                }),
            _ => step.successors().into_iter().find(found).map(|n| Way {
                what: format!("the way of `{name}` to `{n}`"),
                target: n,
            }),
        }
    }

    // ---- the findings ----------------------------------------------------------------------

    fn deadlock(&self, v: &Violation, step: &str, span: Span) -> Diagnostic {
        let trace = self.trace(&v.trace);
        let at = self.describe_marking(&v.marking);
        let join_all = matches!(
            self.step(step).map(|s| &s.kind),
            Some(StepKind::Join(j)) if j.mode == JoinMode::All
        );
        if join_all {
            if let Some(d) = self.split_into_join_all(step, span, &v.trace, &trace, &at) {
                return d;
            }
        }
        Diagnostic::new(
                Code::Deadlock,
            span,
            format!("the case can get stuck at `{step}`: it waits for something that never comes"),
        )
        .with_label("stuck here")
        .with_help(format!(
            "every branch a join waits for must be started; check which splits lead here. {FREE_CHOICE} Shortest way to get stuck: {trace} (then: {at})"
        ))
    }

    /// The ways of `s` that a case takes one of, or for an inclusive split some of.
    fn exclusive_ways(s: &'m Step) -> Option<Vec<&'m str>> {
        let ways: Vec<&str> = match &s.kind {
            StepKind::Choice(_) | StepKind::Task(_) | StepKind::Wait(_) => {
                s.successors().iter().map(|n| n.as_str()).collect()
            }
            StepKind::Inclusive(c) => c.branches.iter().map(|b| b.then.as_str()).collect(),
            _ => return None,
        };
        (ways.len() >= 2).then_some(ways)
    }

    /// Per way of `s`, the predecessors of `join` it reaches (not passing through `s`), or
    /// `None` when the budget ran out.
    fn arrivals(&self, s: &'m Step, ways: &[&'m str], join: &str) -> Option<Vec<Vec<&'m str>>> {
        let preds = self.predecessors(join);
        ways.iter()
            .map(|w| {
                if *w == join {
                    return Some(vec![s.name.as_str()]);
                }
                Some(
                    self.reach(w, s.name.as_str())?
                        .into_iter()
                        .filter(|r| preds.contains(r))
                        .collect(),
                )
            })
            .collect()
    }

    /// A deadlock at `join`, a `join all`, explained by a step that takes one (or some) of its
    /// ways while two of them reach the join through different steps. The step on the way to
    /// the deadlock that comes first in the process explains it best.
    fn split_into_join_all(
        &self,
        join: &str,
        span: Span,
        raw_trace: &[String],
        trace: &str,
        at: &str,
    ) -> Option<Diagnostic> {
        let on_trace: HashSet<&str> = self.trace_steps(raw_trace).into_iter().collect();
        let mut ordered: Vec<&'m Step> = self
            .model
            .steps
            .iter()
            .filter(|s| on_trace.contains(s.name.as_str()))
            .collect();
        ordered.extend(
            self.model
                .steps
                .iter()
                .filter(|s| !on_trace.contains(s.name.as_str())),
        );
        let mut found = None;
        for s in ordered {
            let Some(ways) = Self::exclusive_ways(s) else {
                continue;
            };
            let arrivals = self.arrivals(s, &ways, join)?;
            // Two ways each reach the join through a step the other does not reach.
            let splits = arrivals.iter().enumerate().any(|(i, a)| {
                arrivals
                    .iter()
                    .skip(i + 1)
                    .any(|b| a.iter().any(|x| !b.contains(x)) && b.iter().any(|y| !a.contains(y)))
            });
            if splits {
                let mut reached: Vec<&'m str> = Vec::new();
                for a in arrivals.into_iter().flatten() {
                    if !reached.contains(&a) {
                        reached.push(a);
                    }
                }
                found = Some((s, reached));
                break;
            }
        }
        let (x, reached) = found?;
        let after = match self.step(join).map(|s| &s.kind) {
            Some(StepKind::Join(j)) => j.then.as_str(),
            _ => "",
        };
        let others: Vec<&str> = self
            .predecessors(join)
            .iter()
            .copied()
            .filter(|p| !reached.contains(p))
            .collect();
        let name = x.name.as_str();
        if let StepKind::Inclusive(_) = &x.kind {
            return Some(
                Diagnostic::new(
                Code::Deadlock,
                    span,
                    format!(
                        "the case gets stuck at `{join}`: the join waits for every branch, but the inclusive split `{name}` may start only some of them"
                    ),
                )
                .with_label("waits for every branch")
                .with_related(step_span(x), "this split starts only the branches whose condition holds")
                .with_help(format!(
                    "close an inclusive split with a join that waits for exactly the branches it started: write `join {join} some of {name}`. {FREE_CHOICE} Shortest way to get stuck: {trace} (then: {at})"
                )),
            );
        }
        let what = match &x.kind {
            StepKind::Task(_) => "task",
            StepKind::Wait(_) => "wait",
            _ => "choice",
        };
        let fix = if others.is_empty() {
            // The join closes nothing but this step's ways: an ordinary step merges them.
            format!(
                "the ways of a {what} meet in an ordinary step, not a join: let {} lead straight to `{after}` and remove `{join}`, or make `{name}` a `parallel` split if every way must be taken",
                listed(&reached)
            )
        } else {
            // The join also closes a parallel split: this step's ways must become one branch
            // before they reach it.
            let mut all = others.clone();
            all.extend(reached.iter().copied());
            format!(
                "`{join}` waits for one arrival from every step that leads into it ({}), but the {what} `{name}` sends a case along only one of {}: let those lead to one step (an `auto` step, say) that leads to `{join}`, so that this branch arrives once",
                listed(&all),
                listed(&reached)
            )
        };
        Some(
            Diagnostic::new(
                Code::Deadlock,
                span,
                format!(
                    "the case gets stuck at `{join}`: the join waits for a branch that the {what} `{name}` did not take"
                ),
            )
            .with_label("waits for every branch")
            .with_related(step_span(x), format!("this {what} takes only one of its ways"))
            .with_help(format!(
                "{fix}. {FREE_CHOICE} Shortest way to get stuck: {trace} (then: {at})"
            )),
        )
    }

    fn improper(&self, v: &Violation, step: &str, span: Span) -> Diagnostic {
        let trace = self.trace(&v.trace);
        let left = self.describe_marking(
            &v.marking
                .iter()
                .filter(|(p, _)| self.place(p).map(|p| p.id) != Some(self.net.sink))
                .cloned()
                .collect::<Vec<_>>(),
        );
        if let Some((split, merge)) = self.parallel_merge(&v.trace) {
            let merge_span = self.step(merge).map(step_span).unwrap_or(span);
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
                "close the branches with a join (`join all` for a parallel split, `join some of` for an inclusive one) that leads to `{merge}`. {FREE_CHOICE} Shortest way to end with work open: {trace} (at the end: {left})"
            ));
        }
        if let Some(d) = self.leaves_branch(v, step, &trace, &left) {
            return d;
        }
        Diagnostic::new(
                Code::WorkLeftBehind,
            span,
            format!("the case can end while `{step}` still has work open"),
        )
        .with_label("still open when the case ends")
        .with_help(format!(
            "join the branches that run at the same time before the case ends. {FREE_CHOICE} Shortest way to end with work open: {trace} (at the end: {left})"
        ))
    }

    /// The branches a split starts, when it is a parallel or inclusive split.
    fn branches(s: &'m Step) -> Option<Vec<&'m str>> {
        match &s.kind {
            StepKind::Parallel(p) => Some(p.branches.iter().map(|b| b.as_str()).collect()),
            StepKind::Inclusive(c) => Some(c.branches.iter().map(|b| b.then.as_str()).collect()),
            _ => None,
        }
    }

    /// The joins that two or more branches of the split `s` reach: those that close it.
    fn closing_joins(&self, s: &'m Step, branches: &[&'m str]) -> Option<Vec<&'m str>> {
        let first: Vec<Vec<&'m str>> = branches
            .iter()
            .map(|b| self.reach(b, s.name.as_str()))
            .collect::<Option<_>>()?;
        Some(met_by_two(&first, |x| self.is_join(x)))
    }

    /// A parallel or inclusive split two of whose branches reach one ordinary step, with that
    /// step: the nearest such step to the split. Among several, one whose split and merge are
    /// on the counterexample's path.
    fn parallel_merge(&self, trace: &[String]) -> Option<(&'m Step, &'m str)> {
        let on_trace: HashSet<&str> = self.trace_steps(trace).into_iter().collect();
        let mut first_found = None;
        for s in &self.model.steps {
            let Some(branches) = Self::branches(s) else {
                continue;
            };
            // A join that two branches reach closes them; other joins do not stop the walk, so
            // branches that meet only after a join of one branch are still found.
            let closing = self.closing_joins(s, &branches)?;
            let reached: Vec<Vec<&'m str>> = branches
                .iter()
                .map(|b| {
                    self.reach_until(b, s.name.as_str(), |st| closing.contains(&st.name.as_str()))
                })
                .collect::<Option<_>>()?;
            // In the breadth-first order of the first branches' reach: the steps another branch
            // also reaches, that are not joins, are where they meet.
            for m in met_by_two(&reached, |x| !self.is_join(x)) {
                if on_trace.contains(s.name.as_str()) && on_trace.contains(m) {
                    return Some((s, m));
                }
                first_found.get_or_insert((s, m));
            }
        }
        first_found
    }

    /// An improper completion where a way inside a branch of a split leads out of it to an end
    /// (a timeout to `buiten_behandeling`, say) while another branch still has work open: the
    /// way is to blame, not the work left open.
    fn leaves_branch(
        &self,
        v: &Violation,
        open: &str,
        trace: &str,
        left: &str,
    ) -> Option<Diagnostic> {
        let steps = self.trace_steps(&v.trace);
        let transitions: Vec<&Transition> =
            v.trace.iter().filter_map(|t| self.transition(t)).collect();
        // The last split on the way that started the branch left open.
        for (at, s) in steps.iter().enumerate().rev() {
            let Some(split) = self.step(s) else { continue };
            let Some(branches) = Self::branches(split) else {
                continue;
            };
            let mut open_branch = false;
            for b in &branches {
                open_branch |= self.leads_to(b, open, s)?;
            }
            if !open_branch {
                continue;
            }
            let closing = self.closing_joins(split, &branches)?;
            let end = steps.last().copied().unwrap_or(s);
            let Some(&join) = closing.first() else {
                let closer = match &split.kind {
                    StepKind::Inclusive(_) => format!("a `join some of {s}`"),
                    _ => "a `join all`".to_string(),
                };
                return Some(
                    Diagnostic::new(
                Code::WorkLeftBehind,
                        step_span(split),
                        format!(
                            "the branches of the {} split `{s}` are never joined: the case ends at `{end}` while `{open}` is still open",
                            split.kind_word()
                        ),
                    )
                    .with_label("these branches are never joined")
                    .with_help(format!(
                        "lead every branch of `{s}` into {closer}, and let the join lead on to the rest of the process. {FREE_CHOICE} Shortest way to end with work open: {trace} (at the end: {left})"
                    )),
                );
            };
            // The first transition after the split whose step is on a branch (it can still
            // reach the join) and whose way cannot.
            for t in transitions.iter().skip(at + 1) {
                let Some(x) = t.step.as_deref().and_then(|x| self.step(x)) else {
                    continue;
                };
                if x.name.as_str() == join || !self.leads_to(x.name.as_str(), join, s)? {
                    continue;
                }
                for target in self.targets(t) {
                    if self.leads_to(target, join, s)? {
                        continue;
                    }
                    let way = self.way(x, target)?;
                    let closer = match &split.kind {
                        StepKind::Inclusive(_) => format!("`join {join} some of {s}`"),
                        _ => format!("`{join}`"),
                    };
                    let mut d = Diagnostic::new(
                Code::WorkLeftBehind,
                        way.target.span,
                        format!(
                            "{} leads out of the branch that the {} split `{s}` started: the case ends at `{end}` while `{open}` is still open",
                            way.what,
                            split.kind_word()
                        ),
                    )
                    .with_label("leaves the branch here")
                    .with_related(step_span(split), "the branches start here");
                    if let Some(j) = self.step(join) {
                        d = d.with_related(step_span(j), "and are joined here");
                    }
                    // The branch arrives at the join once, from one step: this way must go where
                    // the step's other ways go.
                    let other = x
                        .successors()
                        .into_iter()
                        .map(|n| n.as_str())
                        .find(|&n| n != target && self.leads_to(n, join, s) == Some(true));
                    let lead = match other {
                        Some(o) if o == join => format!(
                            "let this way lead straight to {closer}, where the other way of `{}` goes",
                            x.name
                        ),
                        Some(o) => format!(
                            "let this way lead to `{o}`, where the other way of `{}` goes on to {closer}",
                            x.name
                        ),
                        None => format!("let this way lead to {closer}"),
                    };
                    return Some(d.with_help(format!(
                        "a branch of a split must end in its join, arriving there once: {lead}, and choose after the join where the case goes (with a `choice`, for instance on a field that only one of the ways sets). {FREE_CHOICE} Shortest way to end with work open: {trace} (at the end: {left})"
                    )));
                }
            }
        }
        None
    }

    fn no_way_out(&self, v: &Violation, step: &str, span: Span) -> Diagnostic {
        let trace = self.trace(&v.trace);
        Diagnostic::new(
                Code::NoWayOut,
            span,
            format!(
                "the steps {} form a loop with no way out: a case that gets to `{step}` can never end",
                listed_at_most(&v.involved, 12)
            ),
        )
        .with_label("loop without an exit")
        .with_help(format!(
            "give one of these steps an outcome or branch that leads out of the loop towards an end. {FREE_CHOICE} Shortest way into the loop: {trace}"
        ))
    }

    fn dead_step(&self, s: &str, span: Span) -> Diagnostic {
        Diagnostic::new(
                Code::NeverRuns,
            span,
            format!("the step `{s}` can never run: no case can get there"),
        )
        .with_label("never runs")
        .with_help(if self.predecessors(s).is_empty() {
            format!("no step leads to `{s}`: let a step's `then`, outcome or branch lead here, or remove it")
        } else {
            format!(
                "check the steps that lead to `{s}`: a join that waits for a branch that never comes makes the steps after it unreachable. {FREE_CHOICE}"
            )
        })
    }

    /// A way out of a live step that no case takes.
    fn dead_way(&self, s: &str, t: &Transition, span: Span) -> Diagnostic {
        let what = match (&t.trigger, &t.guard) {
            (
                Trigger::TaskDone {
                    outcome: Some(o), ..
                },
                _,
            ) => format!("the outcome `{o}` of `{s}`"),
            (Trigger::Timer { .. }, _) if self.is_wait(s) => format!("the timeout of `{s}`"),
            (Trigger::Message { message, .. }, _) => format!("`{s}` receiving `{message}`"),
            (Trigger::Auto, Some(Guard::Exactly { .. })) => {
                format!("`{s}` starting exactly {}", listed(&self.targets(t)))
            }
            (Trigger::Auto, Some(_)) => {
                format!("the way of `{s}` to {}", listed(&self.targets(t)))
            }
            (Trigger::Auto, None) if self.is_join(s) => {
                let froms: Vec<&str> = t
                    .pre
                    .iter()
                    .filter_map(|&(p, _)| Self::arrival_from(self.net.place(p)))
                    .map(|(_, from)| from)
                    .collect();
                format!("`{s}` joining exactly the branches from {}", listed(&froms))
            }
            _ => format!("this way out of `{s}`"),
        };
        Diagnostic::new(
            Code::NeverRuns,
            span,
            format!("{what} can never happen: in no case does `{s}` go this way"),
        )
        .with_label("never happens")
        .with_help(format!(
            "remove this way out of `{s}`, or make it reachable. {FREE_CHOICE}"
        ))
    }

    fn unbounded(&self, v: &Violation, step: &str, span: Span) -> Diagnostic {
        let trace = self.trace(&v.trace);
        let grows: Vec<(String, u32)> = v.involved.iter().map(|p| (p.clone(), 1)).collect();
        let mut d = Diagnostic::new(
                Code::Unbounded,
            span,
            format!(
                "work piles up without limit at `{step}`: each time round the loop leaves more behind ({})",
                self.describe_marking(&grows)
            ),
        )
        .with_label("work piles up here");
        let fix = match self.parallel_reaching(step) {
            Some(p) => {
                if let Some(ps) = self.step(p) {
                    d = d.with_related(step_span(ps), "this split starts the branches that pile up");
                }
                format!("close the branches of `{p}` with a `join all` before the process loops back")
            }
            None => "make sure every branch of a parallel split ends in one `join all` before the process loops back".to_string(),
        };
        d.with_help(format!(
            "{fix}. {FREE_CHOICE} Shortest way to more work than before: {trace}"
        ))
    }

    /// A parallel split from which `step` is reachable: the likely source of piling tokens.
    fn parallel_reaching(&self, step: &str) -> Option<&'m str> {
        self.model.steps.iter().find_map(|s| match &s.kind {
            StepKind::Parallel(p)
                if p.branches.iter().any(|b| {
                    self.reach(b.as_str(), "")
                        .is_some_and(|r| r.contains(&step))
                }) =>
            {
                Some(s.name.as_str())
            }
            _ => None,
        })
    }
}
