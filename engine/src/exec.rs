//! Runs cases as a pure state machine: a command and the case's state in, the new state and the
//! effects the runtime must carry out back.
//!
//! [`Process`] is built once per process version: it holds the compiled net and everything the
//! hot path needs precomputed (compiled conditions and `set` values per transition, the role of
//! every place, the automatic transitions that take tokens from each place), so that running a
//! case only touches integers, the case's data and the effects it emits.
//!
//! [`step`] never changes the state it is given. It works on a copy and returns it with the
//! effects; when a command is illegal it returns a typed [`EngineError`] and nothing happened.
//!
//! After every command the case runs to quiescence: automatic transitions fire, in a fixed order,
//! until only tokens that wait for the outside world (a task, a message, a timer, a deelzaak) or
//! the end remain. Only transitions whose input places gained a token are looked at again, first
//! come first served, so parallel branches advance in the order they were written.
//!
//! Effects come in the order things happened: a transition's actions (status, result, letters),
//! then what its output places ask for (a task with its start status, a timer, a deelzaak, a
//! suspended term). The legal term's own timers (target warning, deadline warning, deadline)
//! follow the term clock: when a command moved its dates, the pending ones are cancelled at the
//! end of the command and new ones scheduled, unless the term stands still or the case closed.
//! A case that closes cancels every open task and pending timer.
//!
//! A token leaving a place other than by its own trigger cleans up after itself: a task whose
//! token is taken is cancelled, a wait's timeout is cancelled when its message came, and the term
//! a wait suspended resumes whichever way the wait ends.

use crate::calendar::{self, Calendar};
use crate::case::{
    CaseState, Closed, Closure, Command, Data, Effect, OpenTask, Outcome, PendingSubcase,
    PendingTimer, StatusReached, TaskKey, TimerKey, TimerPurpose,
};
use crate::compile;
use crate::net::{Guard, Marking, Net, PlaceId, PlaceKind, Trigger};
use crate::term::{TermClock, TermError};
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use zaak_dsl::expr::{self, Compiled, Vars};
use zaak_dsl::{
    Action, Code, DataField, DeadlineEffect, Diagnostic, Duration, DurationUnit, Expr,
    ProcessModel, Span, StepKind, TimerWait,
};

/// Automatic firings allowed for one command. A process whose automatic steps loop without end
/// would otherwise hang the engine; a real process needs a few dozen.
pub const MAX_FIRINGS_PER_COMMAND: u32 = 10_000;

/// The share of the legal term that has passed when the deadline warning comes: a fifth left,
/// as case systems in use flag it.
pub const DEADLINE_WARNING_SHARE: f64 = 0.8;

/// Why a command was refused. The case did not change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("the case has not started yet: the first command must be `start`")]
    NotStarted,
    #[error("the case has already started")]
    AlreadyStarted,
    #[error("the case is closed; no command can change it any more")]
    CaseClosed,
    #[error("field `{field}`: {problem}")]
    InvalidData { field: String, problem: DataProblem },
    #[error("task #{} is not open (it was completed, cancelled or never existed)", .task.0)]
    TaskNotOpen { task: TaskKey },
    #[error("task `{step}` has no outcome `{outcome}`; choose one of: {}", .allowed.join(", "))]
    UnknownOutcome {
        step: String,
        outcome: String,
        allowed: Vec<String>,
    },
    #[error("task `{step}` needs an outcome; choose one of: {}", .allowed.join(", "))]
    OutcomeRequired { step: String, allowed: Vec<String> },
    #[error("task `{step}` has no outcomes, but `{outcome}` was given")]
    NoOutcomes { step: String, outcome: String },
    #[error("no step of this case is waiting for message `{message}`")]
    NoWaitingFor { message: String },
    #[error("timer #{} is not pending (it fired, was cancelled or never existed)", .timer.0)]
    UnknownTimer { timer: TimerKey },
    #[error("no deelzaak started by step `{step}` is open")]
    NoSubcase { step: String },
    #[error("the condition of `{transition}` could not be evaluated: {message}")]
    Condition { transition: String, message: String },
    #[error("step `{step}` could not compute field `{field}`: {message}")]
    SetFailed {
        step: String,
        field: String,
        message: String,
    },
    #[error("timer step `{step}` waits until field `{field}`, which holds no date (YYYY-MM-DD)")]
    TimerDate { step: String, field: String },
    #[error(transparent)]
    Term(#[from] TermError),
    #[error("automatic steps fired {0} times without coming to rest; the process loops")]
    Livelock(u32),
    #[error("the case's state does not fit its process: {0}")]
    Inconsistent(String),
}

/// What is wrong with one data field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataProblem {
    Missing,
    Unknown,
    /// The value does not fit the field's type (see [`zaak_dsl::value`]).
    Invalid(zaak_dsl::value::ValueError),
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataProblem::Missing => f.write_str("required, but missing"),
            DataProblem::Unknown => f.write_str("not a field here"),
            DataProblem::Invalid(e) => write!(f, "{e}"),
        }
    }
}

/// A condition compiled for evaluation.
#[derive(Debug, Clone)]
enum CompiledGuard {
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
enum CompiledAction {
    Set { field: String, value: Compiled },
    Status { status: usize },
    Result(String),
    Letter(String),
    Notify(String),
}

/// What a token resting in a place asks of the case, resolved against the model.
#[derive(Debug, Clone)]
enum PlaceRole {
    Plain,
    Sink,
    Task { step: usize },
    Wait { step: usize },
    Timer { step: usize },
    Subcase { step: usize },
}

#[derive(Debug, Clone)]
struct TransitionPlan {
    /// Input and output places with their weights, one entry per place: a net may list a place
    /// twice (two arcs from one branch into a join), which counts as one arc of weight two.
    pre: Vec<(PlaceId, u32)>,
    post: Vec<(PlaceId, u32)>,
    guard: Option<CompiledGuard>,
    actions: Vec<CompiledAction>,
    /// The end step this transition completes, when it puts a token in the sink.
    end_step: Option<usize>,
    /// The subcase step whose deelzaak starts when this transition fires: a subcase the case
    /// does not wait for has no place of its own to start it from.
    starts_subcase: Option<usize>,
}

/// The transitions that wait for the outside world, per step (indexed like `model.steps`).
#[derive(Debug, Clone, Default)]
struct StepPlan {
    /// Per outcome (`None` for a task without outcomes), the transition completing the task.
    done: Vec<(Option<String>, u32)>,
    message: Option<u32>,
    timer: Option<u32>,
    subcase_done: Option<u32>,
}

/// A process version ready to run cases: the model, its net, and what running needs at hand.
#[derive(Debug, Clone)]
pub struct Process {
    pub model: ProcessModel,
    pub net: Net,
    places: Vec<PlaceRole>,
    transitions: Vec<TransitionPlan>,
    /// Per place, the automatic transitions that take a token from it, in id order.
    auto_consumers: Vec<Vec<u32>>,
    steps: Vec<StepPlan>,
    step_index: HashMap<String, usize>,
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
    pub fn from_net(model: ProcessModel, net: Net) -> Result<Process, Vec<Diagnostic>> {
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
                PlaceKind::Source | PlaceKind::Flow | PlaceKind::InclusiveMemo { .. } => {
                    PlaceRole::Plain
                }
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
    fn step_no(&self, name: &str) -> Option<usize> {
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

/// Takes one step of a case: applies `command` to `state` (None only for [`Command::Start`]) at
/// time `now`, runs the case to quiescence and returns the new state with the effects, in order.
pub fn step(
    process: &Process,
    calendar: &Calendar,
    state: Option<&CaseState>,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Outcome, EngineError> {
    let mut run = match (state, &command) {
        (None, Command::Start { .. }) => Run::new(process, calendar, new_state(process), now),
        (None, _) => return Err(EngineError::NotStarted),
        (Some(s), _) if s.closed.is_some() => return Err(EngineError::CaseClosed),
        (Some(_), Command::Start { .. }) => return Err(EngineError::AlreadyStarted),
        // A case stays pinned to the version it started under; a marking of another net
        // would point at the wrong places.
        (Some(s), _) if s.marking.0.len() != process.net.places.len() => {
            return Err(EngineError::Inconsistent(format!(
                "the case's marking has {} places, the net of {} version {} has {}",
                s.marking.0.len(),
                process.net.process,
                process.net.version,
                process.net.places.len()
            )))
        }
        (Some(s), _) => Run::new(process, calendar, s.clone(), now),
    };
    run.apply(command)?;
    Ok(Outcome {
        state: run.state,
        effects: run.effects,
    })
}

fn new_state(process: &Process) -> CaseState {
    CaseState {
        marking: Marking::initial(&process.net),
        data: Data::new(),
        outcomes: Default::default(),
        status: None,
        status_history: Vec::new(),
        result: None,
        open_tasks: Vec::new(),
        timers: Vec::new(),
        subcases: Vec::new(),
        term: TermClock::default(),
        closed: None,
        next_key: 1,
        suspended_by: None,
    }
}

/// Checks data given for `fields`: types and allowed values always; `required` and unknown
/// fields as asked.
pub fn validate_data(fields: &[DataField], data: &Data) -> Result<(), EngineError> {
    for (name, value) in data {
        let Some(field) = fields.iter().find(|f| f.name.name == *name) else {
            return Err(EngineError::InvalidData {
                field: name.clone(),
                problem: DataProblem::Unknown,
            });
        };
        check_value(field, value).map_err(|problem| EngineError::InvalidData {
            field: name.clone(),
            problem,
        })?;
    }
    for field in fields.iter().filter(|f| f.required) {
        if data.get(&field.name.name).is_none_or(Value::is_null) {
            return Err(EngineError::InvalidData {
                field: field.name.name.clone(),
                problem: DataProblem::Missing,
            });
        }
    }
    Ok(())
}

fn check_value(field: &DataField, value: &Value) -> Result<(), DataProblem> {
    zaak_dsl::value::check(&field.ty, value).map_err(DataProblem::Invalid)
}

/// A `YYYY-MM-DD` date as [`zaak_dsl::value::parse_date`] reads it, everywhere the same.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let d = zaak_dsl::value::parse_date(s).ok()?;
    NaiveDate::from_ymd_opt(d.year, d.month, d.day)
}

/// The instant a Dutch calendar day begins: timers for a date fire then.
fn midnight(d: NaiveDate) -> DateTime<Utc> {
    calendar::start_of_day(d)
}

/// `now` plus a duration: hours exactly, days and longer on the Dutch calendar at the same
/// wall-clock time.
fn after(cal: &Calendar, now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    match d.unit {
        DurationUnit::Hours => now + TimeDelta::hours(i64::from(d.amount)),
        _ => {
            let local = now.with_timezone(&calendar::ZONE);
            calendar::at_local(add_date(cal, local.date_naive(), d), local.time())
        }
    }
}

fn add_date(cal: &Calendar, date: NaiveDate, d: Duration) -> NaiveDate {
    match d.unit {
        DurationUnit::WorkingDays => cal.add_working_days(date, d.amount),
        _ => cal.add(date, d),
    }
}

/// What set a transition off; decides which bookkeeping its firing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Auto,
    /// The task was already taken off the open tasks.
    Task,
    Message,
    /// The timer was already taken off the pending timers.
    Timer,
    Subcase,
}

/// One command being applied to a copy of the case.
struct Run<'a> {
    p: &'a Process,
    cal: &'a Calendar,
    now: DateTime<Utc>,
    today: NaiveDate,
    state: CaseState,
    effects: Vec<Effect>,
    queue: VecDeque<u32>,
    queued: Vec<bool>,
    firings: u32,
    ended_by: Option<usize>,
    /// The term's dates changed: its timers are rescheduled when the command is done.
    term_moved: bool,
}

impl<'a> Run<'a> {
    fn new(p: &'a Process, cal: &'a Calendar, state: CaseState, now: DateTime<Utc>) -> Run<'a> {
        Run {
            p,
            cal,
            now,
            today: calendar::local_date(now),
            state,
            effects: Vec::new(),
            queue: VecDeque::new(),
            queued: vec![false; p.net.transitions.len()],
            firings: 0,
            ended_by: None,
            term_moved: false,
        }
    }

    fn apply(&mut self, command: Command) -> Result<(), EngineError> {
        match command {
            Command::Start { data } => self.start(data)?,
            Command::CompleteTask {
                task,
                outcome,
                data,
            } => self.complete_task(task, outcome, data)?,
            Command::DeliverMessage { name, data } => self.deliver(name, data)?,
            Command::TimerFired { timer } => self.timer_fired(timer)?,
            Command::SubcaseClosed { step, result } => self.subcase_closed(step, result)?,
            Command::Suspend { reason } => {
                self.state.term.suspend(self.today, reason.as_str())?;
                self.term_changed(reason);
            }
            Command::Resume => self.resume_term()?,
            Command::Extend { reason, duration } => {
                self.state
                    .term
                    .extend(duration, reason.as_str(), self.today, self.cal)?;
                self.term_changed(reason);
            }
            Command::Withdraw { reason } => {
                if self.p.model.result("ingetrokken").is_some() {
                    self.set_result("ingetrokken".into());
                }
                self.close(Closure::Withdrawn { reason });
            }
            Command::Cancel { reason } => self.close(Closure::Cancelled { reason }),
            Command::NoticeOfDefault { received } => self.notice_of_default(received)?,
        }
        if self.state.closed.is_some() {
            return Ok(());
        }
        self.quiesce()?;
        self.complete_if_final();
        if self.term_moved && self.state.closed.is_none() {
            self.cancel_term_timers();
            if !self.state.term.is_suspended() {
                self.schedule_term_timers();
            }
        }
        Ok(())
    }

    fn start(&mut self, data: Data) -> Result<(), EngineError> {
        validate_data(&self.p.model.data, &data)?;
        self.state.data = data;
        self.state.term = TermClock::start(self.today, &self.p.model, self.cal);
        if self.state.term.deadline.is_some() || self.state.term.target.is_some() {
            self.term_changed("term started".into());
        }
        self.enqueue_consumers(self.p.net.source);
        Ok(())
    }

    fn complete_task(
        &mut self,
        key: TaskKey,
        outcome: Option<String>,
        data: Data,
    ) -> Result<(), EngineError> {
        let Some(at) = self.state.open_tasks.iter().position(|t| t.key == key) else {
            return Err(EngineError::TaskNotOpen { task: key });
        };
        let step_name = self.state.open_tasks[at].step.clone();
        let i = self.step_no(&step_name)?;
        let StepKind::Task(task) = &self.p.model.steps[i].kind else {
            return Err(EngineError::Inconsistent(format!(
                "open task #{} belongs to `{step_name}`, which is not a task",
                key.0
            )));
        };
        let allowed = || task.outcomes.iter().map(|o| o.name.name.clone()).collect();
        match (&outcome, task.outcomes.is_empty()) {
            (None, true) => {}
            (Some(o), true) => {
                return Err(EngineError::NoOutcomes {
                    step: step_name,
                    outcome: o.clone(),
                })
            }
            (None, false) => {
                return Err(EngineError::OutcomeRequired {
                    step: step_name,
                    allowed: allowed(),
                })
            }
            (Some(o), false) => {
                if !task.outcomes.iter().any(|x| x.name.name == *o) {
                    return Err(EngineError::UnknownOutcome {
                        step: step_name,
                        outcome: o.clone(),
                        allowed: allowed(),
                    });
                }
            }
        }
        validate_data(&task.fields, &data)?;
        let Some(&(_, t)) = self.p.steps[i].done.iter().find(|(o, _)| *o == outcome) else {
            return Err(EngineError::Inconsistent(format!(
                "the net has no transition completing `{step_name}`"
            )));
        };
        self.state.open_tasks.remove(at);
        if let Some(o) = outcome {
            self.state.outcomes.insert(step_name, o);
        }
        self.state.data.extend(data);
        self.fire_external(t, Cause::Task)
    }

    fn deliver(&mut self, message: String, data: Data) -> Result<(), EngineError> {
        // The first step (in place order) waiting for this message receives it.
        let waiting = self.p.net.places.iter().find_map(|pl| match &pl.kind {
            PlaceKind::Wait { step, message: m }
                if *m == message && self.state.marking.tokens(pl.id) > 0 =>
            {
                self.p.step_no(step)
            }
            _ => None,
        });
        let Some(i) = waiting else {
            return Err(EngineError::NoWaitingFor { message });
        };
        for (name, value) in &data {
            match self.p.model.field(name) {
                Some(field) => {
                    check_value(field, value).map_err(|problem| EngineError::InvalidData {
                        field: name.clone(),
                        problem,
                    })?
                }
                None => {
                    return Err(EngineError::InvalidData {
                        field: name.clone(),
                        problem: DataProblem::Unknown,
                    })
                }
            }
        }
        let Some(t) = self.p.steps[i].message else {
            return Err(EngineError::Inconsistent(format!(
                "the net has no transition receiving `{message}`"
            )));
        };
        self.state.data.extend(data);
        self.fire_external(t, Cause::Message)
    }

    fn timer_fired(&mut self, key: TimerKey) -> Result<(), EngineError> {
        let Some(at) = self.state.timers.iter().position(|t| t.key == key) else {
            return Err(EngineError::UnknownTimer { timer: key });
        };
        let timer = self.state.timers.remove(at);
        match timer.purpose {
            TimerPurpose::Step | TimerPurpose::Timeout => {
                let step_name = timer.step.unwrap_or_default();
                let i = self.step_no(&step_name)?;
                let Some(t) = self.p.steps[i].timer else {
                    return Err(EngineError::Inconsistent(format!(
                        "the net has no timer transition for `{step_name}`"
                    )));
                };
                self.fire_external(t, Cause::Timer)
            }
            TimerPurpose::TargetWarning => {
                if let Some(date) = self.state.term.target {
                    self.effects.push(Effect::DeadlineWarning {
                        purpose: TimerPurpose::TargetWarning,
                        date,
                    });
                }
                Ok(())
            }
            TimerPurpose::DeadlineWarning => {
                if let Some(date) = self.state.term.deadline {
                    self.effects.push(Effect::DeadlineWarning {
                        purpose: TimerPurpose::DeadlineWarning,
                        date,
                    });
                }
                Ok(())
            }
            TimerPurpose::Deadline => {
                let Some(date) = self.state.term.deadline else {
                    return Ok(());
                };
                if let DeadlineEffect::VanRechtswege { result } = &self.p.model.on_deadline {
                    self.set_result(result.name.clone());
                }
                self.effects.push(Effect::DeadlineWarning {
                    purpose: TimerPurpose::Deadline,
                    date,
                });
                Ok(())
            }
        }
    }

    fn subcase_closed(&mut self, step: String, result: Option<String>) -> Result<(), EngineError> {
        let Some(at) = self.state.subcases.iter().position(|s| s.step == step) else {
            return Err(EngineError::NoSubcase { step });
        };
        let sub = self.state.subcases.remove(at);
        if let Some(r) = result {
            self.state.outcomes.insert(step.clone(), r);
        }
        if !sub.wait {
            return Ok(());
        }
        let i = self.step_no(&step)?;
        let Some(t) = self.p.steps[i].subcase_done else {
            return Err(EngineError::Inconsistent(format!(
                "the net has no transition after the deelzaak of `{step}`"
            )));
        };
        self.fire_external(t, Cause::Subcase)
    }

    fn notice_of_default(&mut self, received: NaiveDate) -> Result<(), EngineError> {
        let first = self.state.term.notice_of_default.is_none();
        self.state.term.notice_of_default(received)?;
        // Only the first notice counts. The dates stay as they are: the notice starts the
        // penalty, it does not move the term.
        if first {
            self.effects.push(Effect::TermChanged {
                deadline: self.state.term.deadline,
                target: self.state.term.target,
                reason: format!("notice of default received on {received}"),
            });
        }
        Ok(())
    }

    fn step_no(&self, name: &str) -> Result<usize, EngineError> {
        self.p
            .step_no(name)
            .ok_or_else(|| EngineError::Inconsistent(format!("the process has no step `{name}`")))
    }

    fn is_enabled(&self, t: u32) -> bool {
        let tokens = &self.state.marking.0;
        self.p.transitions[t as usize]
            .pre
            .iter()
            .all(|&(p, w)| tokens[p.0 as usize] >= w)
    }

    /// Fires a transition the outside world set off: it must be enabled.
    fn fire_external(&mut self, t: u32, cause: Cause) -> Result<(), EngineError> {
        if !self.is_enabled(t) {
            return Err(EngineError::Inconsistent(format!(
                "`{}` has no token to fire with",
                self.p.net.transitions[t as usize].name
            )));
        }
        self.fire(t, cause)
    }

    /// Runs automatic transitions until none can fire.
    fn quiesce(&mut self) -> Result<(), EngineError> {
        while let Some(t) = self.queue.pop_front() {
            self.queued[t as usize] = false;
            if !self.is_enabled(t) || !self.guard_holds(t)? {
                continue;
            }
            self.firings += 1;
            if self.firings > MAX_FIRINGS_PER_COMMAND {
                return Err(EngineError::Livelock(MAX_FIRINGS_PER_COMMAND));
            }
            self.fire(t, Cause::Auto)?;
            // More tokens may wait in its input places.
            if self.is_enabled(t) {
                self.enqueue(t);
            }
        }
        Ok(())
    }

    fn guard_holds(&self, t: u32) -> Result<bool, EngineError> {
        let Some(guard) = &self.p.transitions[t as usize].guard else {
            return Ok(true);
        };
        let vars = Vars {
            data: &self.state.data,
            outcomes: &self.state.outcomes,
        };
        let holds = |c: &Compiled| {
            c.holds(&vars).map_err(|e| EngineError::Condition {
                transition: self.p.net.transitions[t as usize].name.clone(),
                message: e.to_string(),
            })
        };
        let any = |cs: &[Compiled]| -> Result<bool, EngineError> {
            for c in cs {
                if holds(c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        match guard {
            CompiledGuard::First { when, earlier } => Ok(holds(when)? && !any(earlier)?),
            CompiledGuard::NoneOf(cs) => Ok(!any(cs)?),
            CompiledGuard::Exactly { holds: hs, fails } => {
                for c in hs {
                    if !holds(c)? {
                        return Ok(false);
                    }
                }
                Ok(!any(fails)?)
            }
        }
    }

    fn enqueue(&mut self, t: u32) {
        if !self.queued[t as usize] {
            self.queued[t as usize] = true;
            self.queue.push_back(t);
        }
    }

    fn enqueue_consumers(&mut self, place: PlaceId) {
        let p = self.p;
        for &t in &p.auto_consumers[place.0 as usize] {
            self.enqueue(t);
        }
    }

    fn fire(&mut self, t: u32, cause: Cause) -> Result<(), EngineError> {
        let p = self.p;
        let tr = &p.net.transitions[t as usize];
        let plan = &p.transitions[t as usize];
        for &(place, w) in &plan.pre {
            self.state.marking.0[place.0 as usize] -= w;
            for _ in 0..w {
                self.leave(place, cause)?;
            }
        }
        for action in &plan.actions {
            self.act(action, tr.step.as_deref().unwrap_or(&tr.name))?;
        }
        if let Some(end) = plan.end_step {
            self.ended_by = Some(end);
        }
        if let Some(sub) = plan.starts_subcase {
            self.start_subcase(sub);
        }
        for &(place, w) in &plan.post {
            self.state.marking.0[place.0 as usize] += w;
            for _ in 0..w {
                self.land(place)?;
            }
            self.enqueue_consumers(place);
        }
        Ok(())
    }

    /// Bookkeeping for a token taken from a place other than by its own trigger.
    fn leave(&mut self, place: PlaceId, cause: Cause) -> Result<(), EngineError> {
        match self.p.places[place.0 as usize] {
            PlaceRole::Task { step } if cause != Cause::Task => {
                let name = &self.p.model.steps[step].name.name;
                if let Some(at) = self.state.open_tasks.iter().rposition(|t| t.step == *name) {
                    let task = self.state.open_tasks.remove(at);
                    self.effects.push(Effect::CancelTask { task: task.key });
                }
            }
            PlaceRole::Wait { step } => {
                let name = &self.p.model.steps[step].name.name;
                if cause != Cause::Timer {
                    self.cancel_step_timer(step, TimerPurpose::Timeout);
                }
                if self.state.suspended_by.as_deref() == Some(name.as_str()) {
                    self.resume_term()?;
                }
            }
            PlaceRole::Timer { step } if cause != Cause::Timer => {
                self.cancel_step_timer(step, TimerPurpose::Step);
            }
            PlaceRole::Subcase { step } if cause != Cause::Subcase => {
                let name = &self.p.model.steps[step].name.name;
                if let Some(at) = self.state.subcases.iter().position(|s| s.step == *name) {
                    self.state.subcases[at].wait = false;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn cancel_step_timer(&mut self, step: usize, purpose: TimerPurpose) {
        let name = &self.p.model.steps[step].name.name;
        if let Some(at) = self
            .state
            .timers
            .iter()
            .position(|t| t.purpose == purpose && t.step.as_deref() == Some(name.as_str()))
        {
            let timer = self.state.timers.remove(at);
            self.effects.push(Effect::CancelTimer { timer: timer.key });
        }
    }

    /// What a token arriving in a place asks for: a task, a timer, a deelzaak.
    fn land(&mut self, place: PlaceId) -> Result<(), EngineError> {
        let p = self.p;
        match p.places[place.0 as usize] {
            PlaceRole::Plain | PlaceRole::Sink => {}
            PlaceRole::Task { step } => {
                let s = &p.model.steps[step];
                let StepKind::Task(task) = &s.kind else {
                    return Ok(());
                };
                let key = TaskKey(self.next_key());
                let due = task.due.map(|d| match d.unit {
                    DurationUnit::Hours => calendar::local_date(after(self.cal, self.now, d)),
                    _ => add_date(self.cal, self.today, d),
                });
                self.state.open_tasks.push(OpenTask {
                    key,
                    step: s.name.name.clone(),
                    created_at: self.now,
                    due,
                });
                self.effects.push(Effect::CreateTask {
                    task: key,
                    step: s.name.name.clone(),
                    label: s.label.clone(),
                    team: task.team.name.clone(),
                    role: task.role.as_ref().map(|r| r.name.clone()),
                    due,
                    priority: task.priority,
                });
                if let Some(status) = &task.status_on_start {
                    if let Some(i) = p.model.statuses.iter().position(|x| x.name == *status) {
                        self.set_status(i);
                    }
                }
            }
            PlaceRole::Wait { step } => {
                let s = &p.model.steps[step];
                let StepKind::Wait(wait) = &s.kind else {
                    return Ok(());
                };
                if let Some(timeout) = &wait.timeout {
                    let at = after(self.cal, self.now, timeout.after);
                    self.schedule(Some(s.name.name.clone()), TimerPurpose::Timeout, at);
                }
                if let Some(reason) = &wait.suspend {
                    // Awb 4:15: the term stands still from the day after the applicant was
                    // asked to complete the application. A term already suspended by hand stays
                    // as it is (the wait does not own it), and where the term cannot stand still
                    // (it expired, or the process has no term) the wait still waits: the case
                    // must go on, only without the suspension the law does not give.
                    let from = self.today.succ_opt().unwrap_or(self.today);
                    if !self.state.term.is_suspended()
                        && self.state.term.suspend(from, reason.as_str()).is_ok()
                    {
                        self.state.suspended_by = Some(s.name.name.clone());
                        self.term_changed(reason.clone());
                    }
                }
            }
            PlaceRole::Timer { step } => {
                let s = &p.model.steps[step];
                let StepKind::Timer(timer) = &s.kind else {
                    return Ok(());
                };
                let at = match &timer.wait {
                    TimerWait::After(d) => after(self.cal, self.now, *d),
                    TimerWait::Until(field) => {
                        let date = self
                            .state
                            .data
                            .get(&field.name)
                            .and_then(Value::as_str)
                            .and_then(parse_date)
                            .ok_or_else(|| EngineError::TimerDate {
                                step: s.name.name.clone(),
                                field: field.name.clone(),
                            })?;
                        midnight(date)
                    }
                };
                self.schedule(Some(s.name.name.clone()), TimerPurpose::Step, at);
            }
            PlaceRole::Subcase { step } => self.start_subcase(step),
        }
        Ok(())
    }

    fn start_subcase(&mut self, step: usize) {
        let p = self.p;
        let s = &p.model.steps[step];
        let StepKind::Subcase(sub) = &s.kind else {
            return;
        };
        let data: Data = sub
            .pass
            .iter()
            .filter_map(|f| {
                self.state
                    .data
                    .get(&f.name)
                    .map(|v| (f.name.clone(), v.clone()))
            })
            .collect();
        self.state.subcases.push(PendingSubcase {
            step: s.name.name.clone(),
            process: sub.process.name.clone(),
            wait: sub.wait,
        });
        self.effects.push(Effect::StartSubcase {
            step: s.name.name.clone(),
            process: sub.process.name.clone(),
            data,
        });
    }

    fn act(&mut self, action: &CompiledAction, step: &str) -> Result<(), EngineError> {
        match action {
            CompiledAction::Set { field, value } => {
                let vars = Vars {
                    data: &self.state.data,
                    outcomes: &self.state.outcomes,
                };
                let v = value.eval(&vars).map_err(|e| EngineError::SetFailed {
                    step: step.to_string(),
                    field: field.clone(),
                    message: e.to_string(),
                })?;
                self.state.data.insert(field.clone(), v.clone());
                self.effects.push(Effect::SetData {
                    field: field.clone(),
                    value: v,
                });
            }
            CompiledAction::Status { status } => self.set_status(*status),
            CompiledAction::Result(r) => self.set_result(r.clone()),
            CompiledAction::Letter(l) => self.effects.push(Effect::SendLetter {
                template: l.clone(),
            }),
            CompiledAction::Notify(n) => {
                self.effects
                    .push(Effect::SendNotification { name: n.clone() });
            }
        }
        Ok(())
    }

    /// Sets a status. Reaching the status the case already has changes nothing: the initiator
    /// is not told twice.
    fn set_status(&mut self, i: usize) {
        let def = &self.p.model.statuses[i];
        if self.state.status.as_deref() == Some(def.name.name.as_str()) {
            return;
        }
        self.state.status = Some(def.name.name.clone());
        self.state.status_history.push(StatusReached {
            status: def.name.name.clone(),
            at: self.now,
        });
        self.effects.push(Effect::SetStatus {
            status: def.name.name.clone(),
            notify: def.notify,
            citizen_text: def.citizen_text.clone(),
        });
    }

    fn set_result(&mut self, result: String) {
        self.state.result = Some(result.clone());
        self.effects.push(Effect::SetResult { result });
    }

    fn next_key(&mut self) -> u32 {
        let k = self.state.next_key;
        self.state.next_key += 1;
        k
    }

    fn schedule(&mut self, step: Option<String>, purpose: TimerPurpose, at: DateTime<Utc>) {
        let key = TimerKey(self.next_key());
        self.state.timers.push(PendingTimer {
            key,
            step,
            purpose,
            at,
        });
        self.effects.push(Effect::ScheduleTimer {
            timer: key,
            at,
            purpose,
        });
    }

    /// Reports new term dates; the deadline timers follow them once the command is done.
    fn term_changed(&mut self, reason: String) {
        self.term_moved = true;
        self.effects.push(Effect::TermChanged {
            deadline: self.state.term.deadline,
            target: self.state.term.target,
            reason,
        });
    }

    fn resume_term(&mut self) -> Result<(), EngineError> {
        // A suspension that starts tomorrow and ends today (the answer came the same day)
        // resumes on its first day: it lasted no days.
        let on = match self.state.term.suspensions.last() {
            Some(open) if open.to.is_none() => self.today.max(open.from),
            _ => self.today,
        };
        let days = self.state.term.resume(on, self.cal)?;
        self.state.suspended_by = None;
        self.term_changed(format!("term resumed after {days} days suspended"));
        Ok(())
    }

    /// Schedules the warnings and the deadline from the term clock's dates, those still ahead.
    ///
    /// The deadline warning comes when a fifth of the term is left, the target warning on the
    /// target date, the deadline the day after the last day of the term.
    fn schedule_term_timers(&mut self) {
        if let Some(target) = self.state.term.target {
            let at = midnight(target);
            if at > self.now {
                self.schedule(None, TimerPurpose::TargetWarning, at);
            }
        }
        if let Some(deadline) = self.state.term.deadline {
            if let Some(warn) = self
                .state
                .term
                .warning_dates(DEADLINE_WARNING_SHARE)
                .deadline
            {
                if midnight(warn) > self.now && warn <= deadline {
                    self.schedule(None, TimerPurpose::DeadlineWarning, midnight(warn));
                }
            }
            let passed = deadline.checked_add_days(Days::new(1)).unwrap_or(deadline);
            if midnight(passed) > self.now {
                self.schedule(None, TimerPurpose::Deadline, midnight(passed));
            }
        }
    }

    fn cancel_term_timers(&mut self) {
        let mut kept = Vec::with_capacity(self.state.timers.len());
        for t in std::mem::take(&mut self.state.timers) {
            match t.purpose {
                TimerPurpose::TargetWarning
                | TimerPurpose::DeadlineWarning
                | TimerPurpose::Deadline => {
                    self.effects.push(Effect::CancelTimer { timer: t.key });
                }
                TimerPurpose::Step | TimerPurpose::Timeout => kept.push(t),
            }
        }
        self.state.timers = kept;
    }

    /// Closes the case when tokens reached the sink and none are left anywhere else.
    fn complete_if_final(&mut self) {
        let sink = self.p.net.sink.0 as usize;
        let marking = &self.state.marking.0;
        let done = marking[sink] > 0
            && marking
                .iter()
                .enumerate()
                .all(|(i, &n)| i == sink || n == 0);
        if !done {
            return;
        }
        let end_sets_status = self
            .ended_by
            .and_then(|i| match &self.p.model.steps[i].kind {
                StepKind::End(e) => e.status.as_ref(),
                _ => None,
            })
            .is_some();
        if !end_sets_status {
            if let Some(last) = self.p.model.statuses.len().checked_sub(1) {
                if self.state.status.as_deref() != Some(&self.p.model.statuses[last].name.name) {
                    self.set_status(last);
                }
            }
        }
        self.close(Closure::Completed);
    }

    fn close(&mut self, how: Closure) {
        for task in std::mem::take(&mut self.state.open_tasks) {
            self.effects.push(Effect::CancelTask { task: task.key });
        }
        for timer in std::mem::take(&mut self.state.timers) {
            self.effects.push(Effect::CancelTimer { timer: timer.key });
        }
        self.state.closed = Some(Closed {
            at: self.now,
            how: how.clone(),
        });
        self.effects.push(Effect::CloseCase { how });
    }
}
