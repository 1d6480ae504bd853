//! The one place the runtime calls the engine: compiling a process version and taking a step.
//!
//! Everything else in the runtime sees only [`Compiled`], [`PlaceInfo`] and [`step`], so the
//! engine's executor can change behind this module without the storage layer noticing.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use zaak_dsl::{Action, Diagnostic, Duration, DurationUnit, ProcessModel, StepKind, TimerWait};
use zaak_engine::calendar::Calendar;
use zaak_engine::case::{
    CaseState, Closed, Closure, Command, Effect, OpenTask, Outcome, PendingSubcase, PendingTimer,
    StatusReached, TaskKey, TimerKey, TimerPurpose,
};
use zaak_engine::term::TermClock;
use zaak_engine::Marking;

/// A place of a compiled net, by `PlaceId` index.
#[derive(Debug, Clone)]
pub(crate) struct PlaceInfo {
    pub name: String,
    pub step: Option<String>,
}

/// A process version ready to run cases.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub model: ProcessModel,
    pub places: Vec<PlaceInfo>,
}

/// Compiles a validated model, or says why it cannot run.
pub(crate) fn compile(model: ProcessModel) -> Result<Compiled, Vec<Diagnostic>> {
    let mut places = vec![PlaceInfo {
        name: "start".into(),
        step: None,
    }];
    for s in &model.steps {
        places.push(PlaceInfo {
            name: s.name.name.clone(),
            step: Some(s.name.name.clone()),
        });
    }
    places.push(PlaceInfo {
        name: "end".into(),
        step: None,
    });
    Ok(Compiled { model, places })
}

/// Takes one step of a case: the new state and the effects, or why the command is refused.
pub(crate) fn step(
    process: &Compiled,
    calendar: &Calendar,
    state: Option<&CaseState>,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Outcome, String> {
    let mut run = Run {
        model: &process.model,
        calendar,
        now,
        effects: Vec::new(),
        state: match (state, &command) {
            (None, Command::Start { .. }) => CaseState {
                marking: Marking(vec![0; process.places.len()]),
                data: Default::default(),
                outcomes: BTreeMap::new(),
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
            },
            (None, _) => return Err("the case has not started".into()),
            (Some(_), Command::Start { .. }) => return Err("the case has already started".into()),
            (Some(s), _) => s.clone(),
        },
    };
    if run.state.closed.is_some() {
        return Err("the case is closed".into());
    }
    run.apply(command)?;
    Ok(Outcome {
        state: run.state,
        effects: run.effects,
    })
}

struct Run<'a> {
    model: &'a ProcessModel,
    calendar: &'a Calendar,
    now: DateTime<Utc>,
    state: CaseState,
    effects: Vec<Effect>,
}

impl Run<'_> {
    /// A moment this long after `at`: hours exactly, longer durations as whole days.
    fn after(&self, at: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
        match d.unit {
            DurationUnit::Hours => at + chrono::Duration::hours(i64::from(d.amount)),
            _ => {
                let day = at.date_naive();
                at + chrono::Duration::days((self.calendar.add(day, d) - day).num_days())
            }
        }
    }

    fn place_of(&self, step: &str) -> Option<usize> {
        self.model
            .steps
            .iter()
            .position(|s| s.name.name == step)
            .map(|i| i + 1)
    }

    fn term_changed(&mut self, reason: &str) {
        self.effects.push(Effect::TermChanged {
            deadline: self.state.term.deadline,
            target: self.state.term.target,
            reason: reason.to_string(),
        });
    }

    fn key(&mut self) -> u32 {
        let k = self.state.next_key;
        self.state.next_key += 1;
        k
    }

    fn set_status(&mut self, name: &str) {
        let citizen_text = self
            .model
            .status(name)
            .map(|s| s.citizen_text.clone())
            .unwrap_or_default();
        let notify = self.model.status(name).is_some_and(|s| s.notify);
        self.state.status = Some(name.to_string());
        self.state.status_history.push(StatusReached {
            status: name.to_string(),
            at: self.now,
        });
        self.effects.push(Effect::SetStatus {
            status: name.to_string(),
            notify,
            citizen_text,
        });
    }

    fn apply(&mut self, command: Command) -> Result<(), String> {
        match command {
            Command::Start { data } => {
                self.state.data = data;
                let today = self.now.date_naive();
                self.state.term = TermClock::start(today, self.model, self.calendar);
                if self.state.term.deadline.is_some() || self.state.term.target.is_some() {
                    self.term_changed("start");
                }
                let start = self.model.start.name.clone();
                self.enter(&start, 0)
            }
            Command::CompleteTask {
                task,
                outcome,
                data,
            } => {
                let i = self
                    .state
                    .open_tasks
                    .iter()
                    .position(|t| t.key == task)
                    .ok_or_else(|| format!("task {} is not open", task.0))?;
                let open = self.state.open_tasks.remove(i);
                let model = self.model;
                let Some(StepKind::Task(t)) = model.step(&open.step).map(|s| &s.kind) else {
                    return Err(format!("step `{}` is not a task", open.step));
                };
                let chosen =
                    match &outcome {
                        Some(o) => Some(t.outcomes.iter().find(|x| x.name.name == *o).ok_or_else(
                            || format!("`{o}` is not an outcome of `{}`", open.step),
                        )?),
                        None if t.outcomes.is_empty() => None,
                        None => return Err(format!("task `{}` needs an outcome", open.step)),
                    };
                let then = chosen
                    .and_then(|o| o.then.clone())
                    .or_else(|| t.then.clone())
                    .ok_or_else(|| format!("task `{}` leads nowhere", open.step))?;
                for (k, v) in data {
                    self.state.data.insert(k, v);
                }
                if let Some(o) = outcome {
                    self.state.outcomes.insert(open.step.clone(), o);
                }
                if let Some(s) = &t.status_on_end {
                    self.set_status(&s.name);
                }
                let from = self.place_of(&open.step).unwrap_or(0);
                self.enter(&then.name, from)
            }
            Command::TimerFired { timer } => {
                let i = self
                    .state
                    .timers
                    .iter()
                    .position(|t| t.key == timer)
                    .ok_or_else(|| format!("timer {} is not pending", timer.0))?;
                let t = self.state.timers.remove(i);
                let Some(step) = t.step.clone() else {
                    return Ok(());
                };
                let model = self.model;
                let from = self.place_of(&step).unwrap_or(0);
                match model.step(&step).map(|s| &s.kind) {
                    Some(StepKind::Timer(ts)) => self.enter(&ts.then.name, from),
                    Some(StepKind::Wait(w)) => match &w.timeout {
                        Some(to) => self.enter(&to.then.name, from),
                        None => Ok(()),
                    },
                    _ => Ok(()),
                }
            }
            Command::DeliverMessage { name, data } => {
                let model = self.model;
                let waiting = model.steps.iter().find(|s| {
                    matches!(&s.kind, StepKind::Wait(w) if w.message.name == name)
                        && self
                            .place_of(&s.name.name)
                            .is_some_and(|p| self.state.marking.0[p] > 0)
                });
                let Some(s) = waiting else {
                    return Err(format!("nobody waits for message `{name}`"));
                };
                let StepKind::Wait(w) = &s.kind else {
                    return Err("not a wait step".into());
                };
                for (k, v) in data {
                    self.state.data.insert(k, v);
                }
                let mine: Vec<TimerKey> = self
                    .state
                    .timers
                    .iter()
                    .filter(|t| t.step.as_deref() == Some(s.name.name.as_str()))
                    .map(|t| t.key)
                    .collect();
                for k in mine {
                    self.state.timers.retain(|t| t.key != k);
                    self.effects.push(Effect::CancelTimer { timer: k });
                }
                let from = self.place_of(&s.name.name).unwrap_or(0);
                self.enter(&w.then.name, from)
            }
            Command::Suspend { reason } => {
                let today = self.now.date_naive();
                self.state
                    .term
                    .suspend(today, reason.clone())
                    .map_err(|e| e.to_string())?;
                self.term_changed(&reason);
                Ok(())
            }
            Command::Resume => {
                let today = self.now.date_naive();
                let days = self
                    .state
                    .term
                    .resume(today, self.calendar)
                    .map_err(|e| e.to_string())?;
                self.term_changed(&format!("resumed after {days} days"));
                Ok(())
            }
            Command::Extend { reason, duration } => {
                let today = self.now.date_naive();
                self.state
                    .term
                    .extend(duration, reason.clone(), today, self.calendar)
                    .map_err(|e| e.to_string())?;
                self.term_changed(&reason);
                Ok(())
            }
            Command::SubcaseClosed { step, .. } => {
                let i = self
                    .state
                    .subcases
                    .iter()
                    .position(|s| s.step == step && s.wait)
                    .ok_or_else(|| format!("no deelzaak started by step `{step}` is open"))?;
                self.state.subcases.remove(i);
                let model = self.model;
                let Some(StepKind::Subcase(sub)) = model.step(&step).map(|s| &s.kind) else {
                    return Err(format!("step `{step}` does not start a deelzaak"));
                };
                let from = self.place_of(&step).unwrap_or(0);
                self.enter(&sub.then.name, from)
            }
            Command::Withdraw { reason } => self.close(Closure::Withdrawn { reason }),
            Command::Cancel { reason } => self.close(Closure::Cancelled { reason }),
            other => Err(format!("{other:?} is not supported")),
        }
    }

    fn close(&mut self, how: Closure) -> Result<(), String> {
        for t in std::mem::take(&mut self.state.open_tasks) {
            self.effects.push(Effect::CancelTask { task: t.key });
        }
        for t in std::mem::take(&mut self.state.timers) {
            self.effects.push(Effect::CancelTimer { timer: t.key });
        }
        for n in self.state.marking.0.iter_mut() {
            *n = 0;
        }
        let end = self.state.marking.0.len() - 1;
        self.state.marking.0[end] = 1;
        self.state.closed = Some(Closed {
            at: self.now,
            how: how.clone(),
        });
        self.effects.push(Effect::CloseCase { how });
        Ok(())
    }

    fn enter(&mut self, step_name: &str, from: usize) -> Result<(), String> {
        let model = self.model;
        let step = model
            .step(step_name)
            .ok_or_else(|| format!("no step `{step_name}`"))?;
        let here = self.place_of(step_name).unwrap_or(0);
        self.state.marking.0[from] = self.state.marking.0[from].saturating_sub(1);
        self.state.marking.0[here] += 1;
        match &step.kind {
            StepKind::Task(t) => {
                let key = self.key();
                let due = t.due.map(|d| self.calendar.add(self.now.date_naive(), d));
                self.state.open_tasks.push(OpenTask {
                    key: TaskKey(key),
                    step: step_name.to_string(),
                    created_at: self.now,
                    due,
                });
                if let Some(s) = &t.status_on_start {
                    self.set_status(&s.name);
                }
                self.effects.push(Effect::CreateTask {
                    task: TaskKey(key),
                    step: step_name.to_string(),
                    label: step.label.clone(),
                    team: t.team.name.clone(),
                    role: t.role.as_ref().map(|r| r.name.clone()),
                    due,
                    priority: t.priority,
                });
                Ok(())
            }
            StepKind::Auto(a) => {
                for action in &a.actions {
                    match action {
                        Action::Status(s) => self.set_status(&s.name),
                        Action::Result(r) => {
                            self.state.result = Some(r.name.clone());
                            self.effects.push(Effect::SetResult {
                                result: r.name.clone(),
                            });
                        }
                        Action::Set { field, value } => {
                            let v = serde_json::from_str(&value.source)
                                .unwrap_or(serde_json::Value::String(value.source.clone()));
                            self.state.data.insert(field.name.clone(), v.clone());
                            self.effects.push(Effect::SetData {
                                field: field.name.clone(),
                                value: v,
                            });
                        }
                        Action::Letter(l) => self.effects.push(Effect::SendLetter {
                            template: l.name.clone(),
                        }),
                        Action::Notify(n) => self.effects.push(Effect::SendNotification {
                            name: n.name.clone(),
                        }),
                    }
                }
                self.enter(&a.then.name, here)
            }
            StepKind::Choice(c) => {
                let then = c
                    .otherwise
                    .clone()
                    .or_else(|| c.branches.first().map(|b| b.then.clone()))
                    .ok_or_else(|| format!("choice `{step_name}` has no branch"))?;
                self.enter(&then.name, here)
            }
            StepKind::Timer(t) => {
                let at = match &t.wait {
                    TimerWait::After(d) => self.after(self.now, *d),
                    TimerWait::Until(_) => self.now,
                };
                self.schedule(step_name, TimerPurpose::Step, at);
                Ok(())
            }
            StepKind::Wait(w) => {
                if let Some(to) = &w.timeout {
                    let at = self.after(self.now, to.after);
                    self.schedule(step_name, TimerPurpose::Timeout, at);
                }
                Ok(())
            }
            StepKind::End(e) => {
                if let Some(r) = &e.result {
                    self.state.result = Some(r.name.clone());
                    self.effects.push(Effect::SetResult {
                        result: r.name.clone(),
                    });
                }
                let status = e
                    .status
                    .as_ref()
                    .map(|s| s.name.clone())
                    .or_else(|| model.statuses.last().map(|s| s.name.name.clone()));
                if let Some(s) = status {
                    self.set_status(&s);
                }
                self.close(Closure::Completed)
            }
            StepKind::Subcase(sub) => {
                let data = sub
                    .pass
                    .iter()
                    .filter_map(|f| {
                        self.state
                            .data
                            .get(&f.name)
                            .map(|v| (f.name.clone(), v.clone()))
                    })
                    .collect();
                self.effects.push(Effect::StartSubcase {
                    step: step_name.to_string(),
                    process: sub.process.name.clone(),
                    data,
                });
                if sub.wait {
                    self.state.subcases.push(PendingSubcase {
                        step: step_name.to_string(),
                        process: sub.process.name.clone(),
                        wait: true,
                    });
                    Ok(())
                } else {
                    self.enter(&sub.then.name, here)
                }
            }
            _ => Err(format!(
                "step `{step_name}` is of a kind this executor cannot run"
            )),
        }
    }

    fn schedule(&mut self, step: &str, purpose: TimerPurpose, at: DateTime<Utc>) {
        let key = TimerKey(self.key());
        self.state.timers.push(PendingTimer {
            key,
            step: Some(step.to_string()),
            purpose,
            at,
        });
        self.effects.push(Effect::ScheduleTimer {
            timer: key,
            at,
            purpose,
        });
    }
}
