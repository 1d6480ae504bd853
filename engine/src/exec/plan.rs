//! A process version prepared for running cases: its net, and per transition and place what
//! the interpreter needs at hand (compiled conditions and `set` values, the role of each place,
//! the automatic transitions that take a token from each place), so that running a case touches
//! integers, the case's data and the effects it emits.

use crate::compile;
use crate::net::{Guard, Net, PlaceId, PlaceKind, Trigger};
use std::collections::HashMap;
use zaak_dsl::expr::{self, Compiled};
use zaak_dsl::{Action, Code, Diagnostic, Expr, ProcessModel, Span, StepKind};

/// A condition compiled for evaluation.
#[derive(Debug, Clone)]
pub(super) enum CompiledGuard {
    First {
        when: Compiled,
        earlier: Vec<Compiled>,
    },
    NoneOf(Vec<Compiled>),
    Exactly {
        holds: Vec<Compiled>,
        fails: Vec<Compiled>,
    },
}

#[derive(Debug, Clone)]
pub(super) enum CompiledAction {
    Set { field: String, value: Compiled },
    Status { status: usize },
    Result(String),
    Letter(String),
    Notify(String),
}

/// What a token resting in a place asks of the case, resolved against the model.
#[derive(Debug, Clone)]
pub(super) enum PlaceRole {
    Plain,
    Sink,
    Task { step: usize },
    Wait { step: usize },
    Timer { step: usize },
    Subcase { step: usize },
}

#[derive(Debug, Clone)]
pub(super) struct TransitionPlan {
    /// Input and output places with their weights, one entry per place: a net may list a place
    /// twice (two arcs from one branch into a join), which counts as one arc of weight two.
    pub(super) pre: Vec<(PlaceId, u32)>,
    pub(super) post: Vec<(PlaceId, u32)>,
    pub(super) guard: Option<CompiledGuard>,
    pub(super) actions: Vec<CompiledAction>,
    /// The end step this transition completes, when it puts a token in the sink.
    pub(super) end_step: Option<usize>,
    /// The subcase step whose deelzaak starts when this transition fires: a subcase the case
    /// does not wait for has no place of its own to start it from.
    pub(super) starts_subcase: Option<usize>,
}

/// The transitions that wait for the outside world, per step (indexed like `model.steps`).
#[derive(Debug, Clone, Default)]
pub(super) struct StepPlan {
    /// Per outcome (`None` for a task without outcomes), the transition completing the task.
    pub(super) done: Vec<(Option<String>, u32)>,
    pub(super) message: Option<u32>,
    pub(super) timer: Option<u32>,
    pub(super) subcase_done: Option<u32>,
}

/// A process version ready to run cases: the model, its net, and what running needs at hand.
#[derive(Debug, Clone)]
pub struct Process {
    pub model: ProcessModel,
    pub net: Net,
    pub(super) places: Vec<PlaceRole>,
    pub(super) transitions: Vec<TransitionPlan>,
    /// Per place, the automatic transitions that take a token from it, in id order.
    pub(super) auto_consumers: Vec<Vec<u32>>,
    pub(super) steps: Vec<StepPlan>,
    pub(super) step_index: HashMap<String, usize>,
}

/// Diagnostic codes shared with the validator (docs/errors.md): a process that reaches the
/// engine has passed validation, so these only fire for models that skipped it.
const UNKNOWN_STEP: Code = Code::UnknownStep;
const UNKNOWN_STATUS: Code = Code::UnknownStatus;
const BAD_EXPRESSION: Code = Code::ExpressionSyntax;

impl Process {
    /// Compiles the model to a net and prepares it for running cases.
    pub fn new(model: ProcessModel) -> Result<Process, Vec<Diagnostic>> {
        let net = compile::compile(&model)?;
        Process::from_net(model, net)
    }

    /// Prepares an already compiled net of `model` for running cases.
    pub(crate) fn from_net(model: ProcessModel, net: Net) -> Result<Process, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let step_index: HashMap<String, usize> = model
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.name.clone(), i))
            .collect();
        let find_step = |name: &str, span: Span, diags: &mut Vec<Diagnostic>| {
            let found = step_index.get(name).copied();
            if found.is_none() {
                diags.push(Diagnostic::new(
                    UNKNOWN_STEP,
                    span,
                    format!("the net names step `{name}`, which the process does not have"),
                ));
            }
            found
        };

        let mut steps = vec![StepPlan::default(); model.steps.len()];
        let mut places = Vec::with_capacity(net.places.len());
        for place in &net.places {
            let role = match &place.kind {
                PlaceKind::Sink => PlaceRole::Sink,
                PlaceKind::Task { step } => match find_step(step, place.span, &mut diags) {
                    Some(i) => PlaceRole::Task { step: i },
                    None => PlaceRole::Plain,
                },
                PlaceKind::Wait { step, .. } => match find_step(step, place.span, &mut diags) {
                    Some(i) => PlaceRole::Wait { step: i },
                    None => PlaceRole::Plain,
                },
                PlaceKind::Timer { step } => match find_step(step, place.span, &mut diags) {
                    Some(i) => PlaceRole::Timer { step: i },
                    None => PlaceRole::Plain,
                },
                PlaceKind::Subcase { step } => match find_step(step, place.span, &mut diags) {
                    Some(i) => PlaceRole::Subcase { step: i },
                    None => PlaceRole::Plain,
                },
                PlaceKind::Source
                | PlaceKind::Flow
                | PlaceKind::Arrival { .. }
                | PlaceKind::InclusiveMemo { .. } => PlaceRole::Plain,
            };
            places.push(role);
        }

        let compile_expr = |e: &Expr, diags: &mut Vec<Diagnostic>| match expr::compile(&e.source) {
            Ok(c) => Some(c),
            Err(err) => {
                diags.push(Diagnostic::new(
                    BAD_EXPRESSION,
                    e.span,
                    format!("`{}` is not a valid expression: {err}", e.source),
                ));
                None
            }
        };
        let compile_all = |es: &[Expr], diags: &mut Vec<Diagnostic>| -> Vec<Compiled> {
            es.iter().filter_map(|e| compile_expr(e, diags)).collect()
        };

        let mut auto_consumers = vec![Vec::new(); net.places.len()];
        let mut transitions = Vec::with_capacity(net.transitions.len());
        for t in &net.transitions {
            let step = t
                .step
                .as_deref()
                .and_then(|s| find_step(s, t.span, &mut diags));
            match &t.trigger {
                Trigger::Auto => {
                    for &(p, _) in &t.pre {
                        auto_consumers[p.0 as usize].push(t.id.0);
                    }
                }
                Trigger::TaskDone { step, outcome } => {
                    if let Some(i) = find_step(step, t.span, &mut diags) {
                        steps[i].done.push((outcome.clone(), t.id.0));
                    }
                }
                Trigger::Message { step, .. } => {
                    if let Some(i) = find_step(step, t.span, &mut diags) {
                        steps[i].message = Some(t.id.0);
                    }
                }
                Trigger::Timer { step } => {
                    if let Some(i) = find_step(step, t.span, &mut diags) {
                        steps[i].timer = Some(t.id.0);
                    }
                }
                Trigger::SubcaseDone { step } => {
                    if let Some(i) = find_step(step, t.span, &mut diags) {
                        steps[i].subcase_done = Some(t.id.0);
                    }
                }
            }
            // A guard whose expression did not compile is left out; the diagnostic already
            // keeps the process from being returned.
            let guard = t.guard.as_ref().and_then(|g| match g {
                Guard::First { when, earlier } => {
                    compile_expr(when, &mut diags).map(|when| CompiledGuard::First {
                        when,
                        earlier: compile_all(earlier, &mut diags),
                    })
                }
                Guard::NoneOf(es) => Some(CompiledGuard::NoneOf(compile_all(es, &mut diags))),
                Guard::Exactly { holds, fails } => Some(CompiledGuard::Exactly {
                    holds: compile_all(holds, &mut diags),
                    fails: compile_all(fails, &mut diags),
                }),
            });

            let mut actions = Vec::with_capacity(t.actions.len());
            let mut has_status = false;
            for a in &t.actions {
                match a {
                    Action::Set { field, value } => {
                        if let Some(c) = compile_expr(value, &mut diags) {
                            actions.push(CompiledAction::Set {
                                field: field.name.clone(),
                                value: c,
                            });
                        }
                    }
                    Action::Status(s) => {
                        has_status = true;
                        if let Some(i) = status_index(&model, &s.name, s.span, &mut diags) {
                            actions.push(CompiledAction::Status { status: i });
                        }
                    }
                    Action::Result(r) => actions.push(CompiledAction::Result(r.name.clone())),
                    Action::Letter(l) => actions.push(CompiledAction::Letter(l.name.clone())),
                    Action::Notify(n) => actions.push(CompiledAction::Notify(n.name.clone())),
                }
            }
            // A task's end status and an end step's status and result belong to the transition
            // that completes them; they are added here when the net left them to the model.
            let has_result = t.actions.iter().any(|a| matches!(a, Action::Result(_)));
            let mut end_step = None;
            if let Some(i) = step {
                match &model.steps[i].kind {
                    StepKind::Task(task) if matches!(t.trigger, Trigger::TaskDone { .. }) => {
                        if let (Some(s), false) = (&task.status_on_end, has_status) {
                            if let Some(si) = status_index(&model, &s.name, s.span, &mut diags) {
                                actions.push(CompiledAction::Status { status: si });
                            }
                        }
                    }
                    StepKind::End(end) if t.post.iter().any(|&(p, _)| p == net.sink) => {
                        end_step = Some(i);
                        if let (Some(r), false) = (&end.result, has_result) {
                            actions.push(CompiledAction::Result(r.name.clone()));
                        }
                        if let (Some(s), false) = (&end.status, has_status) {
                            if let Some(si) = status_index(&model, &s.name, s.span, &mut diags) {
                                actions.push(CompiledAction::Status { status: si });
                            }
                        }
                    }
                    _ => {}
                }
            }
            let starts_subcase = step.filter(|&i| {
                matches!(model.steps[i].kind, StepKind::Subcase(_))
                    && matches!(t.trigger, Trigger::Auto)
                    && !t
                        .pre
                        .iter()
                        .any(|&(p, _)| matches!(places[p.0 as usize], PlaceRole::Subcase { .. }))
            });
            transitions.push(TransitionPlan {
                pre: merge_arcs(&t.pre),
                post: merge_arcs(&t.post),
                guard,
                actions,
                end_step,
                starts_subcase,
            });
        }

        // Every status a task sets when it starts must exist.
        for step in &model.steps {
            if let StepKind::Task(task) = &step.kind {
                if let Some(s) = &task.status_on_start {
                    status_index(&model, &s.name, s.span, &mut diags);
                }
            }
        }

        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(Process {
            model,
            net,
            places,
            transitions,
            auto_consumers,
            steps,
            step_index,
        })
    }

    /// The index of a step in `model.steps`.
    pub(super) fn step_no(&self, name: &str) -> Option<usize> {
        self.step_index.get(name).copied()
    }
}

/// Arcs with every place once, its weights added up, in the order the places first appear.
fn merge_arcs(arcs: &[(PlaceId, u32)]) -> Vec<(PlaceId, u32)> {
    let mut merged: Vec<(PlaceId, u32)> = Vec::with_capacity(arcs.len());
    for &(p, w) in arcs {
        match merged.iter_mut().find(|(q, _)| *q == p) {
            Some((_, total)) => *total += w,
            None => merged.push((p, w)),
        }
    }
    merged
}

fn status_index(
    model: &ProcessModel,
    name: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let found = model.statuses.iter().position(|s| s.name.name == name);
    if found.is_none() {
        diags.push(Diagnostic::new(
            UNKNOWN_STATUS,
            span,
            format!("status `{name}` is not one of the process's statuses"),
        ));
    }
    found
}
