//! Compiles a [`ProcessModel`] into the workflow [`Net`] that the soundness check analyses and
//! the executor runs.
//!
//! The net has one source place `start` and one sink place `end`. Every step owns the places and
//! transitions below; each place and transition keeps the span of its step, so that a problem
//! found in the net points back at the process source.
//!
//! | step | places | transitions |
//! |---|---|---|
//! | (start of the case) | `start` (Source) | `start` (Auto): `start` -> input of the start step |
//! | `task S` | `S` (Task: a token here = the task is open) | `S:<outcome>` (TaskDone, outcome) -> the outcome's target or the task's `then`; a task without outcomes has one transition `S` (TaskDone, no outcome). `on_end status` becomes a Status action on each |
//! | `auto S` | `S` (Flow) | `S` (Auto) with the step's actions -> `then` |
//! | `choice S` | `S` (Flow) | `S:<target>` per branch (Auto, Guard::First: this branch holds and no earlier one), `S:otherwise` (Auto, Guard::NoneOf all conditions) |
//! | `parallel S` | `S` (Flow) | `S` (Auto) -> one token for every branch target |
//! | `inclusive S` (n branches, n <= 6) | `S` (Flow); memo places `K{a,b}` (InclusiveMemo) of its join `K` | `S:{a,b}` (Auto, Guard::Exactly) per non-empty subset of branches -> the chosen branch targets + the subset's memo place; `S:otherwise` (Auto, Guard::NoneOf) -> the otherwise target only |
//! | `join J all` | `J<P` (Flow) per predecessor step `P` | `J` (Auto): one token from every `J<P` (two when `P` is a parallel split with two branches straight into `J`) -> `then` |
//! | `join K some of S` | `K<P` (Flow) per predecessor step `P` | `K:{a,b}` (Auto) per subset: the subset's memo + the arrival places of its branches -> `then` |
//! | `wait S` | `S` (Wait) | `S:<message>` (Message) -> `then`; with a timeout also `S:timeout` (Timer) -> the timeout target; both consume the one token, so the first to fire cancels the other |
//! | `timer S` | `S` (Timer) | `S` (Timer) -> `then` |
//! | `subcase S` (waiting) | `S` (Subcase) | `S:done` (SubcaseDone) -> `then` |
//! | `subcase S` (not waiting) | `S` (Flow) | `S` (Auto) -> `then`; the executor starts the deelzaak when it fires |
//! | `end S` | `S` (Flow) | `S` (Auto), actions `Result(r)` then `Status(s)` when given -> `end` (Sink) |
//!
//! Several arcs into one ordinary input place form an exclusive merge: whichever arrives moves on.
//! A `join all` instead has one arrival place per predecessor, so it fires only when every branch
//! has arrived.
//!
//! The inclusive construction: the split remembers which subset of branches it started in a memo
//! place owned by its join, and the join has one transition per subset that needs exactly that
//! memo and the arrivals of exactly those branches. For this the compiler must know which arrival
//! place each branch delivers into: the steps reachable from a branch's target (not passing
//! through the split or the join) must enter the join through exactly one predecessor, and no two
//! branches through the same one. Otherwise the model is refused with a diagnostic, as it is for
//! more than six branches (63 subsets). An inclusive split that no join closes compiles without
//! memo places: its branches simply run.
//!
//! Diagnostics: a model that validation refuses gets the validator's code (Z0101 step defined
//! twice, Z0102 unknown step, Z0303 outcome leads nowhere, Z0304 task leads nowhere, Z0305
//! `join some` without an inclusive split); limits of this construction have their own codes:
//! Z0410, an inclusive split with more than six branches; Z0411, inclusive branches that do
//! not reach their join each through a step of their own; Z0412, two joins for one split.
//!
//! Names are unique within places and within transitions; where a name would repeat (a step
//! called `start` or `end`, two branches to one target), `#2`, `#3`... is appended.

use crate::net::{Guard, Net, Place, PlaceId, PlaceKind, Transition, TransitionId, Trigger};
use std::collections::{BTreeMap, HashMap, HashSet};
use zaak_dsl::{Action, Code, Diagnostic, Expr, JoinMode, ProcessModel, Span, Step, StepKind};

/// The most branches an inclusive split may have: its join needs a transition per subset.
pub(crate) const MAX_INCLUSIVE_BRANCHES: usize = 6;

/// Compiles a process into its workflow net. Fails only on models that validation also refuses
/// (unknown steps, a join without its split...), with a diagnostic for each problem.
pub fn compile(model: &ProcessModel) -> Result<Net, Vec<Diagnostic>> {
    let mut b = Builder::new(model);
    b.run();
    if b.errors.is_empty() {
        Ok(b.finish())
    } else {
        Err(b.errors)
    }
}

/// The join that closes each inclusive split, and which join predecessor each branch reaches.
struct InclusivePlan {
    join: String,
    /// Per branch (in the order written): the predecessor of the join it arrives from.
    arrival_pred: Vec<String>,
}

struct Builder<'m> {
    model: &'m ProcessModel,
    steps: HashMap<&'m str, &'m Step>,
    places: Vec<Place>,
    transitions: Vec<Transition>,
    place_names: HashSet<String>,
    transition_names: HashSet<String>,
    /// The input place of every step that is not a join.
    input: HashMap<String, PlaceId>,
    /// The arrival places of joins, by (join, predecessor).
    arrival: HashMap<(String, String), PlaceId>,
    /// Memo places by (inclusive split, subset bits).
    memo: HashMap<(String, u32), PlaceId>,
    plans: HashMap<String, InclusivePlan>,
    source: PlaceId,
    sink: PlaceId,
    errors: Vec<Diagnostic>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m ProcessModel) -> Builder<'m> {
        let mut steps = HashMap::new();
        let mut errors = Vec::new();
        for s in &model.steps {
            if steps.insert(s.name.as_str(), s).is_some() {
                errors.push(
                    Diagnostic::new(
                        Code::DefinedTwice,
                        s.name.span,
                        format!("there are two steps called `{}`", s.name),
                    )
                    .with_label("second step with this name")
                    .with_help("give every step its own name"),
                );
            }
        }
        Builder {
            model,
            steps,
            places: Vec::new(),
            transitions: Vec::new(),
            place_names: HashSet::new(),
            transition_names: HashSet::new(),
            input: HashMap::new(),
            arrival: HashMap::new(),
            memo: HashMap::new(),
            plans: HashMap::new(),
            source: PlaceId(0),
            sink: PlaceId(0),
            errors,
        }
    }

    fn unique(names: &mut HashSet<String>, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}#{n}");
            n += 1;
        }
        names.insert(name.clone());
        name
    }

    fn add_place(
        &mut self,
        name: &str,
        step: Option<&str>,
        kind: PlaceKind,
        span: Span,
    ) -> PlaceId {
        let id = PlaceId(self.places.len() as u32);
        let name = Self::unique(&mut self.place_names, name);
        self.places.push(Place {
            id,
            name,
            step: step.map(str::to_string),
            kind,
            span,
        });
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn add_transition(
        &mut self,
        name: &str,
        step: Option<&str>,
        trigger: Trigger,
        guard: Option<Guard>,
        actions: Vec<Action>,
        pre: Vec<PlaceId>,
        post: Vec<PlaceId>,
        span: Span,
    ) {
        let id = TransitionId(self.transitions.len() as u32);
        let name = Self::unique(&mut self.transition_names, name);
        self.transitions.push(Transition {
            id,
            name,
            step: step.map(str::to_string),
            trigger,
            guard,
            actions,
            pre: weigh(pre),
            post: weigh(post),
            span,
        });
    }

    fn unknown_step(&mut self, name: &zaak_dsl::Name, from: &str) {
        self.errors.push(
            Diagnostic::new(
                Code::UnknownStep,
                name.span,
                format!("`{from}` leads to `{name}`, but there is no step called `{name}`"),
            )
            .with_label("unknown step")
            .with_help("name a step defined in this process"),
        );
    }

    /// The place a token goes to when `from` hands over to the step `to`.
    fn target(&mut self, from: &str, to: &zaak_dsl::Name) -> Option<PlaceId> {
        if let Some(&p) = self.arrival.get(&(to.name.clone(), from.to_string())) {
            return Some(p);
        }
        if let Some(&p) = self.input.get(&to.name) {
            return Some(p);
        }
        self.unknown_step(to, from);
        None
    }

    fn run(&mut self) {
        let model = self.model;
        self.source = self.add_place("start", None, PlaceKind::Source, model.start.span);
        self.sink = self.add_place("end", None, PlaceKind::Sink, Span::default());

        // Who hands over to whom: the start transition hands over to the start step.
        let mut preds: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        preds.entry(model.start.as_str()).or_default().push("start");
        for s in &model.steps {
            for t in s.successors() {
                let list = preds.entry(t.as_str()).or_default();
                if !list.contains(&s.name.as_str()) {
                    list.push(s.name.as_str());
                }
            }
        }

        for s in &model.steps {
            let name = s.name.as_str();
            match &s.kind {
                StepKind::Join(_) => {
                    for p in preds.get(name).cloned().unwrap_or_default() {
                        let id = self.add_place(
                            &format!("{name}<{p}"),
                            Some(name),
                            PlaceKind::Arrival {
                                join: name.to_string(),
                                from: p.to_string(),
                            },
                            s.span,
                        );
                        self.arrival.insert((name.to_string(), p.to_string()), id);
                    }
                }
                kind => {
                    let place_kind = match kind {
                        StepKind::Task(_) => PlaceKind::Task {
                            step: name.to_string(),
                        },
                        StepKind::Wait(w) => PlaceKind::Wait {
                            step: name.to_string(),
                            message: w.message.name.clone(),
                        },
                        StepKind::Timer(_) => PlaceKind::Timer {
                            step: name.to_string(),
                        },
                        StepKind::Subcase(sc) if sc.wait => PlaceKind::Subcase {
                            step: name.to_string(),
                        },
                        _ => PlaceKind::Flow,
                    };
                    let id = self.add_place(name, Some(name), place_kind, s.span);
                    self.input.insert(name.to_string(), id);
                }
            }
        }

        self.plan_inclusives();

        let source = self.source;
        if let Some(first) = self.target("start", &model.start) {
            self.add_transition(
                "start",
                None,
                Trigger::Auto,
                None,
                Vec::new(),
                vec![source],
                vec![first],
                model.start.span,
            );
        } else if let Some(e) = self.errors.last_mut() {
            e.message = format!(
                "the process starts at `{}`, but there is no step with that name",
                model.start
            );
        }

        for s in &model.steps {
            self.step(s, preds.get(s.name.as_str()).cloned().unwrap_or_default());
        }
    }

    /// Finds, for each inclusive split, the join that closes it and the arrival of each branch.
    fn plan_inclusives(&mut self) {
        let model = self.model;
        for j in &model.steps {
            let StepKind::Join(js) = &j.kind else {
                continue;
            };
            if js.mode != JoinMode::Some {
                continue;
            }
            let Some(split) = &js.split else {
                self.errors.push(
                    Diagnostic::new(
                        Code::JoinWithoutInclusiveSplit,
                        j.span,
                        format!(
                            "`join {} some` must say which inclusive split it closes",
                            j.name
                        ),
                    )
                    .with_label("no split named")
                    .with_help("write `join NAME some of SPLIT`"),
                );
                continue;
            };
            let Some(split_step) = self.steps.get(split.as_str()).copied() else {
                self.unknown_step(split, j.name.as_str());
                continue;
            };
            let StepKind::Inclusive(c) = &split_step.kind else {
                self.errors.push(
                    Diagnostic::new(
                        Code::JoinWithoutInclusiveSplit,
                        split.span,
                        format!(
                            "`{}` closes `{split}`, which is a {}, not an inclusive split",
                            j.name,
                            split_step.kind_word()
                        ),
                    )
                    .with_label("not an inclusive split")
                    .with_help("a `join some` closes an `inclusive` step; close a `parallel` with `join all`"),
                );
                continue;
            };
            if self.plans.contains_key(split.as_str()) {
                self.errors.push(
                    Diagnostic::new(
                        Code::TwoJoins,
                        j.span,
                        format!("`{split}` is already closed by another join"),
                    )
                    .with_label("second join for one split")
                    .with_help("an inclusive split has one `join some` that waits for the branches it started"),
                );
                continue;
            }
            let mut arrival_pred = Vec::new();
            let mut ok = true;
            for br in &c.branches {
                let reached = self.preds_reached(&br.then.name, &j.name.name, split.as_str());
                let fits = reached.len() == 1 && !arrival_pred.contains(&reached[0]);
                if !fits {
                    ok = false;
                    self.errors.push(
                        Diagnostic::new(
                            Code::InclusiveWayShared,
                            br.span,
                            format!(
                                "the branch to `{}` of the inclusive split `{split}` must reach the join `{}` through a step of its own",
                                br.then, j.name
                            ),
                        )
                        .with_label("branch cannot be told apart at the join")
                        .with_help("let every branch of an inclusive split end in its own step, and let that step lead to the join"),
                    );
                    break;
                }
                arrival_pred.push(reached[0].clone());
            }
            // Too many branches is reported where the split itself is compiled.
            if c.branches.len() > MAX_INCLUSIVE_BRANCHES {
                ok = false;
            }
            if ok {
                self.plans.insert(
                    split.name.clone(),
                    InclusivePlan {
                        join: j.name.name.clone(),
                        arrival_pred,
                    },
                );
            }
        }
    }

    /// The predecessors of `join` that the steps reachable from `from` hand over from, without
    /// passing through `split` or the join itself.
    fn preds_reached(&self, from: &str, join: &str, split: &str) -> Vec<String> {
        if from == join {
            return vec![split.to_string()];
        }
        let mut seen = HashSet::new();
        let mut stack = vec![from];
        let mut found = Vec::new();
        while let Some(s) = stack.pop() {
            if s == split || !seen.insert(s) {
                continue;
            }
            let Some(step) = self.steps.get(s) else {
                continue;
            };
            for t in step.successors() {
                if t.as_str() == join {
                    if !found.contains(&s.to_string()) {
                        found.push(s.to_string());
                    }
                } else {
                    stack.push(t.as_str());
                }
            }
        }
        found
    }

    fn step(&mut self, s: &'m Step, preds: Vec<&str>) {
        let name = s.name.as_str();
        let span = s.span;
        let here = self.input.get(name).copied();
        let step = Some(name);
        match &s.kind {
            StepKind::Task(t) => {
                let Some(here) = here else { return };
                let actions: Vec<Action> = t
                    .status_on_end
                    .iter()
                    .cloned()
                    .map(Action::Status)
                    .collect();
                if t.outcomes.is_empty() {
                    let Some(then) = &t.then else {
                        self.errors.push(
                            Diagnostic::new(
                                Code::TaskLeadsNowhere,
                                s.name.span,
                                format!("the task `{name}` has no outcomes and no `then`"),
                            )
                            .with_label("where does the case go next?")
                            .with_help("add `then STEP`, or outcomes that each lead to a step"),
                        );
                        return;
                    };
                    if let Some(next) = self.target(name, then) {
                        self.add_transition(
                            name,
                            step,
                            Trigger::TaskDone {
                                step: name.to_string(),
                                outcome: None,
                            },
                            None,
                            actions,
                            vec![here],
                            vec![next],
                            span,
                        );
                    }
                    return;
                }
                for o in &t.outcomes {
                    let Some(then) = o.then.as_ref().or(t.then.as_ref()) else {
                        self.errors.push(
                            Diagnostic::new(
                                Code::OutcomeLeadsNowhere,
                                o.name.span,
                                format!(
                                    "the outcome `{}` of `{name}` leads nowhere: it has no target and the task has no `then`",
                                    o.name
                                ),
                            )
                            .with_label("no next step")
                            .with_help("write `outcome NAME -> STEP`, or give the task a `then`"),
                        );
                        continue;
                    };
                    if let Some(next) = self.target(name, then) {
                        self.add_transition(
                            &format!("{name}:{}", o.name),
                            step,
                            Trigger::TaskDone {
                                step: name.to_string(),
                                outcome: Some(o.name.name.clone()),
                            },
                            None,
                            actions.clone(),
                            vec![here],
                            vec![next],
                            span,
                        );
                    }
                }
            }
            StepKind::Auto(a) => {
                let Some(here) = here else { return };
                if let Some(next) = self.target(name, &a.then) {
                    self.add_transition(
                        name,
                        step,
                        Trigger::Auto,
                        None,
                        a.actions.clone(),
                        vec![here],
                        vec![next],
                        span,
                    );
                }
            }
            StepKind::Choice(c) => {
                let Some(here) = here else { return };
                let conditions: Vec<Expr> = c.branches.iter().map(|b| b.when.clone()).collect();
                for (i, br) in c.branches.iter().enumerate() {
                    if let Some(next) = self.target(name, &br.then) {
                        self.add_transition(
                            &format!("{name}:{}", br.then),
                            step,
                            Trigger::Auto,
                            Some(Guard::First {
                                when: br.when.clone(),
                                earlier: conditions[..i].to_vec(),
                            }),
                            Vec::new(),
                            vec![here],
                            vec![next],
                            span,
                        );
                    }
                }
                if let Some(other) = &c.otherwise {
                    if let Some(next) = self.target(name, other) {
                        self.add_transition(
                            &format!("{name}:otherwise"),
                            step,
                            Trigger::Auto,
                            Some(Guard::NoneOf(conditions)),
                            Vec::new(),
                            vec![here],
                            vec![next],
                            span,
                        );
                    }
                }
            }
            StepKind::Parallel(p) => {
                let Some(here) = here else { return };
                let mut post = Vec::new();
                for br in &p.branches {
                    if let Some(next) = self.target(name, br) {
                        post.push(next);
                    }
                }
                if post.len() == p.branches.len() {
                    self.add_transition(
                        name,
                        step,
                        Trigger::Auto,
                        None,
                        Vec::new(),
                        vec![here],
                        post,
                        span,
                    );
                }
            }
            StepKind::Inclusive(c) => {
                let Some(here) = here else { return };
                let mut targets = Vec::new();
                for br in &c.branches {
                    if let Some(next) = self.target(name, &br.then) {
                        targets.push(next);
                    }
                }
                if targets.len() != c.branches.len() || c.branches.len() > MAX_INCLUSIVE_BRANCHES {
                    if c.branches.len() > MAX_INCLUSIVE_BRANCHES {
                        self.errors.push(
                            Diagnostic::new(
                                Code::InclusiveTooWide,
                                span,
                                format!(
                                    "the inclusive split `{name}` has {} branches; at most {MAX_INCLUSIVE_BRANCHES} are supported",
                                    c.branches.len()
                                ),
                            )
                            .with_label("too many branches")
                            .with_help("split it in two inclusive splits, or use a parallel split with choices inside"),
                        );
                    }
                    return;
                }
                let join = self.plans.get(name).map(|p| p.join.clone());
                let labels: Vec<String> = c.branches.iter().map(|b| b.then.name.clone()).collect();
                let n = c.branches.len() as u32;
                for bits in 1..(1u32 << n) {
                    let chosen: Vec<usize> =
                        (0..n as usize).filter(|i| bits & (1 << i) != 0).collect();
                    let label = subset_label(&labels, &chosen);
                    let mut post: Vec<PlaceId> = chosen.iter().map(|&i| targets[i]).collect();
                    if let Some(join) = &join {
                        let memo = self.add_place(
                            &format!("{join}{label}"),
                            Some(join),
                            PlaceKind::InclusiveMemo {
                                split: name.to_string(),
                            },
                            span,
                        );
                        self.memo.insert((name.to_string(), bits), memo);
                        post.push(memo);
                    }
                    let (holds, fails): (Vec<_>, Vec<_>) = (0..n as usize)
                        .map(|i| (i, c.branches[i].when.clone()))
                        .partition(|(i, _)| chosen.contains(i));
                    self.add_transition(
                        &format!("{name}:{label}"),
                        step,
                        Trigger::Auto,
                        Some(Guard::Exactly {
                            holds: holds.into_iter().map(|(_, e)| e).collect(),
                            fails: fails.into_iter().map(|(_, e)| e).collect(),
                        }),
                        Vec::new(),
                        vec![here],
                        post,
                        span,
                    );
                }
                if let Some(other) = &c.otherwise {
                    if let Some(next) = self.target(name, other) {
                        self.add_transition(
                            &format!("{name}:otherwise"),
                            step,
                            Trigger::Auto,
                            Some(Guard::NoneOf(
                                c.branches.iter().map(|b| b.when.clone()).collect(),
                            )),
                            Vec::new(),
                            vec![here],
                            vec![next],
                            span,
                        );
                    }
                }
            }
            StepKind::Join(j) => {
                let arrivals: Vec<(String, PlaceId)> = preds
                    .iter()
                    .filter_map(|p| {
                        self.arrival
                            .get(&(name.to_string(), p.to_string()))
                            .map(|&id| (p.to_string(), id))
                    })
                    .collect();
                let Some(next) = self.target(name, &j.then) else {
                    return;
                };
                match j.mode {
                    JoinMode::All => {
                        // A parallel split with two branches straight into the join delivers
                        // two tokens from one predecessor, and the join waits for both. Any
                        // other step takes one of its ways out, so it delivers one token.
                        let mut pre = Vec::new();
                        for (p, id) in &arrivals {
                            let tokens = match self.steps.get(p.as_str()).map(|ps| &ps.kind) {
                                Some(StepKind::Parallel(ps)) => {
                                    ps.branches.iter().filter(|b| b.as_str() == name).count()
                                }
                                _ => 1,
                            };
                            pre.extend(std::iter::repeat_n(*id, tokens.max(1)));
                        }
                        self.add_transition(
                            name,
                            step,
                            Trigger::Auto,
                            None,
                            Vec::new(),
                            pre,
                            vec![next],
                            span,
                        );
                    }
                    JoinMode::Some => {
                        let Some(split) = j.split.as_ref().map(|s| s.name.clone()) else {
                            return;
                        };
                        let Some(plan) = self.plans.get(&split) else {
                            return;
                        };
                        let Some(StepKind::Inclusive(c)) =
                            self.steps.get(split.as_str()).map(|s| &s.kind)
                        else {
                            return;
                        };
                        let labels: Vec<String> =
                            c.branches.iter().map(|b| b.then.name.clone()).collect();
                        let branch_arrivals: Vec<PlaceId> = plan
                            .arrival_pred
                            .iter()
                            .filter_map(|p| {
                                arrivals.iter().find(|(q, _)| q == p).map(|(_, id)| *id)
                            })
                            .collect();
                        if branch_arrivals.len() != labels.len() {
                            return;
                        }
                        let n = labels.len() as u32;
                        for bits in 1..(1u32 << n) {
                            let chosen: Vec<usize> =
                                (0..n as usize).filter(|i| bits & (1 << i) != 0).collect();
                            let Some(&memo) = self.memo.get(&(split.clone(), bits)) else {
                                continue;
                            };
                            let mut pre = vec![memo];
                            pre.extend(chosen.iter().map(|&i| branch_arrivals[i]));
                            self.add_transition(
                                &format!("{name}:{}", subset_label(&labels, &chosen)),
                                step,
                                Trigger::Auto,
                                None,
                                Vec::new(),
                                pre,
                                vec![next],
                                span,
                            );
                        }
                    }
                }
            }
            StepKind::Wait(w) => {
                let Some(here) = here else { return };
                if let Some(next) = self.target(name, &w.then) {
                    self.add_transition(
                        &format!("{name}:{}", w.message),
                        step,
                        Trigger::Message {
                            step: name.to_string(),
                            message: w.message.name.clone(),
                        },
                        None,
                        Vec::new(),
                        vec![here],
                        vec![next],
                        span,
                    );
                }
                if let Some(t) = &w.timeout {
                    if let Some(next) = self.target(name, &t.then) {
                        self.add_transition(
                            &format!("{name}:timeout"),
                            step,
                            Trigger::Timer {
                                step: name.to_string(),
                            },
                            None,
                            Vec::new(),
                            vec![here],
                            vec![next],
                            span,
                        );
                    }
                }
            }
            StepKind::Timer(t) => {
                let Some(here) = here else { return };
                if let Some(next) = self.target(name, &t.then) {
                    self.add_transition(
                        name,
                        step,
                        Trigger::Timer {
                            step: name.to_string(),
                        },
                        None,
                        Vec::new(),
                        vec![here],
                        vec![next],
                        span,
                    );
                }
            }
            StepKind::Subcase(sc) => {
                let Some(here) = here else { return };
                if let Some(next) = self.target(name, &sc.then) {
                    let (tname, trigger) = if sc.wait {
                        (
                            format!("{name}:done"),
                            Trigger::SubcaseDone {
                                step: name.to_string(),
                            },
                        )
                    } else {
                        (name.to_string(), Trigger::Auto)
                    };
                    self.add_transition(
                        &tname,
                        step,
                        trigger,
                        None,
                        Vec::new(),
                        vec![here],
                        vec![next],
                        span,
                    );
                }
            }
            StepKind::End(e) => {
                let Some(here) = here else { return };
                let mut actions = Vec::new();
                if let Some(r) = &e.result {
                    actions.push(Action::Result(r.clone()));
                }
                if let Some(st) = &e.status {
                    actions.push(Action::Status(st.clone()));
                }
                let sink = self.sink;
                self.add_transition(
                    name,
                    step,
                    Trigger::Auto,
                    None,
                    actions,
                    vec![here],
                    vec![sink],
                    span,
                );
            }
        }
    }

    fn finish(self) -> Net {
        Net::from_parts(
            self.model.process.name.clone(),
            self.model.version,
            self.places,
            self.transitions,
            self.source,
            self.sink,
        )
    }
}

/// `{a,b}`: the branch targets of a subset, in the order written.
fn subset_label(labels: &[String], chosen: &[usize]) -> String {
    let names: Vec<&str> = chosen.iter().map(|&i| labels[i].as_str()).collect();
    format!("{{{}}}", names.join(","))
}

/// Arcs with weights: a place named twice gets one arc of weight two.
fn weigh(places: Vec<PlaceId>) -> Vec<(PlaceId, u32)> {
    let mut out: Vec<(PlaceId, u32)> = Vec::new();
    for p in places {
        match out.iter_mut().find(|(q, _)| *q == p) {
            Some((_, w)) => *w += 1,
            None => out.push((p, 1)),
        }
    }
    out
}
