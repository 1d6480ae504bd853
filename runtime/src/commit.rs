//! Group commit: one task takes every command waiting, applies each inside a savepoint of one
//! transaction, commits once, and only then answers the callers.
//!
//! A failing command rolls back to its savepoint and fails alone. Commands on one case within a
//! batch see each other: each loads the case inside the transaction, after the ones before it.
//! When the transaction as a whole fails (a deadlock between two runtimes on one PostgreSQL, a
//! failed commit), every command of the batch runs again in a transaction of its own, so a
//! caller hears about its own command only.

use crate::error::{Error, Result};
use crate::exec::{self, Compiled};
use crate::runtime::{hex, to_json, Shared};
use crate::store::{
    purpose_to_str, CaseRow, CaseUpdate, MemberLoad, NewCase, NewTask, StoreTx, TokenRow,
};
use crate::types::*;
use chrono::{DateTime, Datelike, Utc};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use zaak_engine::case::{Command, Data, Effect, Outcome, TaskKey, TimerKey};

pub(crate) enum Work {
    Start {
        process_key: String,
        data: Data,
        actor: String,
        idempotency_key: Option<String>,
    },
    Command {
        case: i64,
        command: Command,
        actor: String,
    },
    Claim {
        task: i64,
        user: String,
        teams: Vec<String>,
    },
    Release {
        task: i64,
        user: String,
    },
    Assign {
        task: i64,
        to: String,
        reason: String,
        by: String,
    },
    Complete {
        task: i64,
        user: String,
        outcome: Option<String>,
        data: Data,
    },
    FireTimers {
        limit: usize,
    },
}

pub(crate) enum Reply {
    Case(CaseRef),
    Applied(Applied),
    Task(TaskView),
    Fired(usize),
}

impl Work {
    /// What orders this work among others: works on one case (or one task) go to one committer,
    /// so they are applied in the order they were sent. Starts and timer rounds have no order.
    pub fn shard_key(&self) -> Option<i64> {
        match self {
            Work::Command { case, .. } => Some(*case),
            Work::Claim { task, .. }
            | Work::Release { task, .. }
            | Work::Assign { task, .. }
            | Work::Complete { task, .. } => Some(*task),
            Work::Start { .. } | Work::FireTimers { .. } => None,
        }
    }
}

pub(crate) struct Job {
    pub work: Work,
    pub reply: oneshot::Sender<Result<Reply>>,
}

/// How often a command alone in its transaction is tried when the database asks to retry.
const ATTEMPTS: usize = 5;

/// The committer: runs until every sender (every clone of the runtime) is gone.
pub(crate) async fn run(shared: Arc<Shared>, mut queue: mpsc::Receiver<Job>, max_batch: usize) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let works: Vec<&Work> = batch.iter().map(|j| &j.work).collect();
        match apply_batch(&shared, &works).await {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    // A caller that stopped waiting has nothing to hear.
                    let _ = job.reply.send(result);
                }
            }
            Err(batch_error) => {
                if batch.len() == 1 && !batch_error.is_retryable() {
                    if let Some(job) = batch.pop() {
                        let _ = job.reply.send(Err(batch_error));
                    }
                    continue;
                }
                for job in batch {
                    let result = apply_alone(&shared, &job.work).await;
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

async fn apply_alone(shared: &Shared, work: &Work) -> Result<Reply> {
    let mut last = None;
    for _ in 0..ATTEMPTS {
        match apply_batch(shared, &[work]).await {
            Ok(mut results) => return results.pop().unwrap_or(Err(Error::Stopped)),
            Err(e) if e.is_retryable() => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or(Error::Stopped))
}

/// Applies the works in one transaction. The outer error means the transaction failed as a
/// whole and nothing of it was committed; the inner results are per work.
async fn apply_batch(shared: &Shared, works: &[&Work]) -> Result<Vec<Result<Reply>>> {
    let mut tx = shared.store.begin().await?;
    let mut results = Vec::with_capacity(works.len());
    for work in works {
        tx.savepoint("command").await?;
        let mut outcome = apply(shared, tx.as_mut(), work).await;
        if matches!(&outcome, Err(e) if e.is_unique_violation()) {
            // Another runtime inserted the same key (an idempotency key, a version) and has
            // committed by now: once more, the work sees that row and answers from it.
            tx.rollback_to_savepoint("command").await?;
            tx.savepoint("command").await?;
            outcome = apply(shared, tx.as_mut(), work).await;
        }
        match outcome {
            Ok(reply) => {
                tx.release_savepoint("command").await?;
                results.push(Ok(reply));
            }
            // The database wants the transaction retried: nothing of this batch can be trusted.
            Err(e) if e.is_retryable() => return Err(e),
            Err(e) => {
                tx.rollback_to_savepoint("command").await?;
                results.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    shared.stats.transactions.fetch_add(1, Ordering::Relaxed);
    shared
        .stats
        .works
        .fetch_add(works.len() as u64, Ordering::Relaxed);
    Ok(results)
}

async fn apply(shared: &Shared, tx: &mut dyn StoreTx, work: &Work) -> Result<Reply> {
    let now = shared.clock.now();
    match work {
        Work::Start {
            process_key,
            data,
            actor,
            idempotency_key,
        } => start(
            shared,
            tx,
            process_key,
            data,
            actor,
            idempotency_key.as_deref(),
            None,
            now,
        )
        .await
        .map(Reply::Case),
        Work::Command {
            case,
            command,
            actor,
        } => {
            match command {
                Command::Start { .. } => {
                    return Err(Error::BadRequest(
                        "a case is started with start_case".into(),
                    ))
                }
                Command::CompleteTask { .. } => {
                    return Err(Error::BadRequest(
                        "a task is completed by the worker who holds it (complete)".into(),
                    ))
                }
                Command::TimerFired { .. } => {
                    return Err(Error::BadRequest("timers fire by the clock".into()))
                }
                _ => {}
            }
            let row = tx
                .load_case(*case)
                .await?
                .ok_or(Error::UnknownCase(*case))?;
            let process = shared
                .process(&row.process_key, row.process_version)
                .await?;
            let outcome = exec::step(
                &process,
                &shared.calendar,
                Some(&row.state.0),
                command.clone(),
                now,
            )
            .map_err(Error::Rejected)?;
            persist(shared, tx, &row, &process, command, outcome, actor, now)
                .await
                .map(Reply::Applied)
        }
        Work::Claim { task, user, teams } => claim(shared, tx, *task, user, teams, now)
            .await
            .map(Reply::Task),
        Work::Release { task, user } => release(shared, tx, *task, user).await.map(Reply::Task),
        Work::Assign {
            task,
            to,
            reason,
            by,
        } => assign(shared, tx, *task, to, reason, by, now)
            .await
            .map(Reply::Task),
        Work::Complete {
            task,
            user,
            outcome,
            data,
        } => complete(shared, tx, *task, user, outcome.as_deref(), data, now)
            .await
            .map(Reply::Applied),
        Work::FireTimers { limit } => fire_timers(shared, tx, *limit, now).await.map(Reply::Fired),
    }
}

fn public_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

/// A future that may call itself again (a case starting a deelzaak that closes at once).
type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// The case and step that started a deelzaak.
#[derive(Clone, Copy)]
struct Parent<'a> {
    case_id: i64,
    step: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn start<'a>(
    shared: &'a Shared,
    tx: &'a mut dyn StoreTx,
    process_key: &'a str,
    data: &'a Data,
    actor: &'a str,
    idempotency_key: Option<&'a str>,
    parent: Option<Parent<'a>>,
    now: DateTime<Utc>,
) -> Boxed<'a, CaseRef> {
    Box::pin(async move {
        if let Some(key) = idempotency_key {
            if let Some(id) = tx.find_idempotency_key(key).await? {
                let row = tx.load_case(id).await?.ok_or(Error::UnknownCase(id))?;
                return Ok(CaseRef {
                    id: CaseId(row.id),
                    reference: row.reference,
                    public_token: row.public_token,
                    created: false,
                });
            }
        }
        let version = tx
            .latest_version(process_key)
            .await?
            .ok_or_else(|| Error::UnknownProcess(process_key.to_string()))?
            .version;
        let process = shared.process(process_key, version).await?;
        let command = Command::Start { data: data.clone() };
        let outcome = exec::step(&process, &shared.calendar, None, command.clone(), now)
            .map_err(Error::Rejected)?;
        // The year of the reference is the year in the Netherlands. Around New Year the Dutch
        // clock is always CET (UTC+1, no summer time), so one hour ahead of UTC is exact there.
        let year = (now + chrono::Duration::hours(1)).year();
        let number = tx.next_case_number(year).await?;
        let reference = format!("ZAAK-{year}-{number:06}");
        let token = public_token();
        let state = &outcome.state;
        let id = tx
            .insert_case(&NewCase {
                reference: &reference,
                process_key,
                process_version: version,
                state,
                status: state.status.as_deref(),
                result: state.result.as_deref(),
                open: state.closed.is_none(),
                deadline: state.term.deadline,
                target: state.term.target,
                public_token: &token,
                created_at: now,
                closed_at: state.closed.as_ref().map(|c| c.at),
                parent_case_id: parent.map(|p| p.case_id),
                parent_step: parent.map(|p| p.step),
            })
            .await?;
        let ctx = CaseContext {
            id,
            process_key,
            version,
            process: &process,
        };
        tx.append_event(id, now, actor, "start", &to_json(&command), None)
            .await?;
        carry_out(shared, tx, &ctx, &outcome, actor, now).await?;
        if let Some(key) = idempotency_key {
            tx.insert_idempotency_key(key, id, now).await?;
        }
        if let (Some(_), Some(parent)) = (&outcome.state.closed, parent) {
            let result = outcome.state.result.clone();
            tell_parent(
                shared,
                tx,
                id,
                parent.case_id,
                parent.step.to_string(),
                result,
                now,
            )
            .await?;
        }
        Ok(CaseRef {
            id: CaseId(id),
            reference,
            public_token: token,
            created: true,
        })
    })
}

/// A deelzaak closed: its parent hears it (`SubcaseClosed`) in the same transaction. A parent
/// that no longer waits for it (closed, or moved on) refuses, and that is recorded on the
/// parent instead.
fn tell_parent<'a>(
    shared: &'a Shared,
    tx: &'a mut dyn StoreTx,
    child: i64,
    parent: i64,
    step: String,
    result: Option<String>,
    now: DateTime<Utc>,
) -> Boxed<'a, ()> {
    Box::pin(async move {
        let row = tx
            .load_case(parent)
            .await?
            .ok_or(Error::UnknownCase(parent))?;
        let process = shared
            .process(&row.process_key, row.process_version)
            .await?;
        let command = Command::SubcaseClosed { step, result };
        match exec::step(
            &process,
            &shared.calendar,
            Some(&row.state.0),
            command.clone(),
            now,
        ) {
            Ok(outcome) => {
                persist(shared, tx, &row, &process, &command, outcome, "system", now).await?;
            }
            Err(refused) => {
                let data = json!({ "subcase": child, "command": to_json(&command), "error": refused.to_string() });
                tx.append_event(parent, now, "system", "subcase_closed_refused", &data, None)
                    .await?;
            }
        }
        Ok(())
    })
}

struct CaseContext<'a> {
    id: i64,
    process_key: &'a str,
    version: i64,
    process: &'a Compiled,
}

/// Writes what one engine step did to a case that exists: the case row (guarded by its row
/// version), the command in the history, and the step's effects.
#[allow(clippy::too_many_arguments)]
async fn persist(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    row: &CaseRow,
    process: &Compiled,
    command: &Command,
    outcome: Outcome,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Applied> {
    let state = &outcome.state;
    let changed = tx
        .update_case(
            row.id,
            row.row_version,
            &CaseUpdate {
                state,
                status: state.status.as_deref(),
                result: state.result.as_deref(),
                open: state.closed.is_none(),
                deadline: state.term.deadline,
                target: state.term.target,
                closed_at: state.closed.as_ref().map(|c| c.at),
            },
        )
        .await?;
    if changed == 0 {
        return Err(Error::Conflict(format!(
            "case {} changed while the command ran; try again",
            row.reference
        )));
    }
    tx.append_event(
        row.id,
        now,
        actor,
        command_kind(command),
        &to_json(command),
        command_reason(command),
    )
    .await?;
    let ctx = CaseContext {
        id: row.id,
        process_key: &row.process_key,
        version: row.process_version,
        process,
    };
    carry_out(shared, tx, &ctx, &outcome, actor, now).await?;
    if state.term.deadline != row.deadline {
        tx.set_task_deadlines(row.id, state.term.deadline).await?;
    }
    if let (true, Some(_), Some(parent), Some(step)) = (
        row.open,
        &state.closed,
        row.parent_case_id,
        &row.parent_step,
    ) {
        let result = state.result.clone();
        tell_parent(shared, tx, row.id, parent, step.clone(), result, now).await?;
    }
    Ok(Applied {
        case: CaseId(row.id),
        effects: outcome.effects,
        status: outcome.state.status,
        result: outcome.state.result,
        open: outcome.state.closed.is_none(),
        row_version: row.row_version + 1,
    })
}

/// Carries out a step's effects on the queues and timers, records each in the history, and
/// puts the case's tokens where the new marking says.
async fn carry_out(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    ctx: &CaseContext<'_>,
    outcome: &Outcome,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let state = &outcome.state;
    for effect in &outcome.effects {
        let mut reason = None;
        match effect {
            Effect::CreateTask {
                task,
                step,
                label,
                team,
                role,
                due,
                priority,
            } => {
                tx.insert_task(&NewTask {
                    case_id: ctx.id,
                    task_key: i64::from(task.0),
                    step,
                    label: label.as_deref(),
                    team,
                    role: role.as_deref(),
                    due: *due,
                    case_deadline: state.term.deadline,
                    priority: i64::from(*priority),
                    created_at: now,
                })
                .await?;
            }
            Effect::CancelTask { task } => {
                tx.cancel_task(ctx.id, i64::from(task.0), now).await?;
            }
            Effect::ScheduleTimer { timer, at, purpose } => {
                tx.insert_timer(ctx.id, i64::from(timer.0), *at, purpose_to_str(*purpose))
                    .await?;
            }
            Effect::CancelTimer { timer } => {
                tx.cancel_timer(ctx.id, i64::from(timer.0)).await?;
            }
            Effect::TermChanged { reason: r, .. } => reason = Some(r.as_str()),
            // Status, result, data and closing live in the case row; letters, notifications,
            // subcases and deadline warnings are recorded for whoever acts on the history.
            _ => {}
        }
        tx.append_event(
            ctx.id,
            now,
            actor,
            effect_kind(effect),
            &to_json(effect),
            reason,
        )
        .await?;
        if let Effect::CreateTask { task, team, .. } = effect {
            assign_automatically(tx, ctx.id, i64::from(task.0), team, now).await?;
        }
    }
    let tokens: Vec<TokenRow<'_>> = if state.closed.is_some() {
        Vec::new()
    } else {
        state
            .marking
            .occupied()
            .map(|(place, count)| {
                let info = ctx.process.places.get(place.0 as usize);
                TokenRow {
                    place: info.map_or("?", |p| p.name.as_str()),
                    step: info.and_then(|p| p.step.as_deref()),
                    count: i64::from(count),
                }
            })
            .collect()
    };
    tx.replace_tokens(ctx.id, ctx.process_key, ctx.version, &tokens)
        .await?;
    // Deelzaken start after the parent is written whole, so that one closing at once finds
    // its parent as this step left it.
    for effect in &outcome.effects {
        if let Effect::StartSubcase {
            step,
            process,
            data,
        } = effect
        {
            let parent = Parent {
                case_id: ctx.id,
                step,
            };
            start(shared, tx, process, data, actor, None, Some(parent), now).await?;
        }
    }
    Ok(())
}

/// Gives a task just created to a member of its team when the team has an assignment policy,
/// in the transaction that created it, so the task is never seen open in the queue. A team
/// that works by hand, or has no members, keeps the task in its queue.
///
/// On PostgreSQL the team's policy row stays locked until the commit: committers creating
/// tasks for one team choose one after another, each counting the tasks the one before gave.
async fn assign_automatically(
    tx: &mut dyn StoreTx,
    case_id: i64,
    task_key: i64,
    team: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(row) = tx.lock_team_policy(team).await? else {
        return Ok(());
    };
    let policy = row.policy()?;
    if policy == AssignmentPolicy::Manual {
        return Ok(());
    }
    let mut loads = tx.member_loads(team).await?;
    loads.sort_by(|a, b| a.member.cmp(&b.member));
    let chosen = match policy {
        AssignmentPolicy::Manual => None,
        AssignmentPolicy::RoundRobin => {
            let after_last = |m: &&MemberLoad| match row.last_assigned.as_deref() {
                Some(last) => m.member.as_str() > last,
                None => true,
            };
            // Past the last name the turn goes round to the first.
            loads.iter().find(after_last).or(loads.first())
        }
        AssignmentPolicy::LeastLoaded => loads.iter().min_by(|a, b| {
            a.claimed
                .cmp(&b.claimed)
                .then_with(|| a.member.cmp(&b.member))
        }),
    };
    let Some(member) = chosen.map(|m| m.member.clone()) else {
        return Ok(());
    };
    let task = tx
        .task_by_key(case_id, task_key)
        .await?
        .ok_or_else(|| Error::Corrupt(format!("case {case_id} lost task {task_key}")))?
        .into_view()?;
    if tx
        .assign_task(task.id.0, TaskState::Open.as_str(), None, &member, now)
        .await?
        == 0
    {
        return Err(Error::Conflict(format!(
            "task {} changed before it could be assigned",
            task.id
        )));
    }
    tx.set_last_assigned(team, &member).await?;
    let mut data = task_data(&task);
    data["from"] = Value::Null;
    data["to"] = json!(member);
    tx.append_event(
        case_id,
        now,
        "system",
        "task_assigned",
        &data,
        Some(policy.reason()),
    )
    .await
}

/// The serde tag of a command: `start`, `complete_task`, `suspend`, ...
fn command_kind(command: &Command) -> &'static str {
    match command {
        Command::Start { .. } => "start",
        Command::CompleteTask { .. } => "complete_task",
        Command::DeliverMessage { .. } => "deliver_message",
        Command::TimerFired { .. } => "timer_fired",
        Command::SubcaseClosed { .. } => "subcase_closed",
        Command::Suspend { .. } => "suspend",
        Command::Resume => "resume",
        Command::Extend { .. } => "extend",
        Command::Withdraw { .. } => "withdraw",
        Command::Cancel { .. } => "cancel",
        Command::NoticeOfDefault { .. } => "notice_of_default",
    }
}

fn command_reason(command: &Command) -> Option<&str> {
    match command {
        Command::Suspend { reason }
        | Command::Extend { reason, .. }
        | Command::Withdraw { reason }
        | Command::Cancel { reason } => Some(reason),
        _ => None,
    }
}

/// The serde tag of an effect: `create_task`, `deadline_warning`, ...
fn effect_kind(effect: &Effect) -> &'static str {
    match effect {
        Effect::CreateTask { .. } => "create_task",
        Effect::CancelTask { .. } => "cancel_task",
        Effect::ScheduleTimer { .. } => "schedule_timer",
        Effect::CancelTimer { .. } => "cancel_timer",
        Effect::SetStatus { .. } => "set_status",
        Effect::SetResult { .. } => "set_result",
        Effect::SetData { .. } => "set_data",
        Effect::SendLetter { .. } => "send_letter",
        Effect::SendNotification { .. } => "send_notification",
        Effect::StartSubcase { .. } => "start_subcase",
        Effect::TermChanged { .. } => "term_changed",
        Effect::DeadlineWarning { .. } => "deadline_warning",
        Effect::CloseCase { .. } => "close_case",
    }
}

/// Locks the task's case, then loads the task: the same lock order as commands, so two
/// runtimes on one database cannot deadlock on a case and its task.
async fn lock_task(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    task: i64,
) -> Result<(CaseRow, TaskView)> {
    let case_id = shared
        .store
        .task(task)
        .await?
        .ok_or(Error::UnknownTask(task))?
        .case_id;
    let case = tx
        .load_case(case_id)
        .await?
        .ok_or(Error::UnknownCase(case_id))?;
    let task = tx
        .load_task(task)
        .await?
        .ok_or(Error::UnknownTask(task))?
        .into_view()?;
    Ok((case, task))
}

fn not_open(task: &TaskView) -> Error {
    match (task.state, &task.assignee) {
        (TaskState::Claimed, Some(who)) => {
            Error::Conflict(format!("task {} is already claimed by {who}", task.id))
        }
        (state, _) => Error::Conflict(format!("task {} is {}", task.id, state.as_str())),
    }
}

async fn reload(tx: &mut dyn StoreTx, task: &TaskView) -> Result<TaskView> {
    tx.task_by_key(task.case_id.0, i64::from(task.task_key.0))
        .await?
        .ok_or(Error::UnknownTask(task.id.0))?
        .into_view()
}

fn task_data(task: &TaskView) -> Value {
    json!({ "task": task.id, "task_key": task.task_key, "step": task.step, "team": task.team })
}

async fn claim(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    id: i64,
    user: &str,
    teams: &[String],
    now: DateTime<Utc>,
) -> Result<TaskView> {
    let (case, task) = lock_task(shared, tx, id).await?;
    if task.state != TaskState::Open {
        return Err(not_open(&task));
    }
    if !teams.contains(&task.team) {
        return Err(Error::Forbidden(format!(
            "task {id} belongs to team {}, and {user} is not a member",
            task.team
        )));
    }
    if tx.claim_task(id, user, now).await? == 0 {
        return Err(Error::Conflict(format!(
            "task {id} was claimed by someone else"
        )));
    }
    tx.append_event(case.id, now, user, "task_claimed", &task_data(&task), None)
        .await?;
    reload(tx, &task).await
}

async fn release(shared: &Shared, tx: &mut dyn StoreTx, id: i64, user: &str) -> Result<TaskView> {
    let (case, task) = lock_task(shared, tx, id).await?;
    if task.state != TaskState::Claimed || task.assignee.as_deref() != Some(user) {
        return Err(Error::Conflict(format!(
            "task {id} is not claimed by {user}"
        )));
    }
    if tx.release_task(id, user).await? == 0 {
        return Err(Error::Conflict(format!(
            "task {id} is not claimed by {user}"
        )));
    }
    let now = shared.clock.now();
    tx.append_event(case.id, now, user, "task_released", &task_data(&task), None)
        .await?;
    reload(tx, &task).await
}

async fn assign(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    id: i64,
    to: &str,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<TaskView> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::BadRequest("assigning a task needs a reason".into()));
    }
    if to.trim().is_empty() {
        return Err(Error::BadRequest("assign the task to someone".into()));
    }
    let (case, task) = lock_task(shared, tx, id).await?;
    if !matches!(task.state, TaskState::Open | TaskState::Claimed) {
        return Err(not_open(&task));
    }
    let changed = tx
        .assign_task(id, task.state.as_str(), task.assignee.as_deref(), to, now)
        .await?;
    if changed == 0 {
        return Err(Error::Conflict(format!("task {id} changed meanwhile")));
    }
    let mut data = task_data(&task);
    data["from"] = json!(task.assignee);
    data["to"] = json!(to);
    tx.append_event(case.id, now, by, "task_assigned", &data, Some(reason))
        .await?;
    reload(tx, &task).await
}

#[allow(clippy::too_many_arguments)]
async fn complete(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    id: i64,
    user: &str,
    outcome: Option<&str>,
    data: &Data,
    now: DateTime<Utc>,
) -> Result<Applied> {
    let (case, task) = lock_task(shared, tx, id).await?;
    match (task.state, task.assignee.as_deref()) {
        (TaskState::Claimed, Some(who)) if who == user => {}
        (TaskState::Claimed, Some(who)) => {
            return Err(Error::Conflict(format!(
                "task {id} is claimed by {who}; only they can complete it"
            )))
        }
        (TaskState::Open, _) => {
            return Err(Error::Conflict(format!(
                "task {id} is not claimed; claim it before completing it"
            )))
        }
        _ => return Err(not_open(&task)),
    }
    if tx.finish_task(id, user, outcome, now).await? == 0 {
        return Err(Error::Conflict(format!(
            "task {id} was completed or taken meanwhile"
        )));
    }
    let process = shared
        .process(&case.process_key, case.process_version)
        .await?;
    let command = Command::CompleteTask {
        task: TaskKey(task.task_key.0),
        outcome: outcome.map(str::to_string),
        data: data.clone(),
    };
    let stepped = exec::step(
        &process,
        &shared.calendar,
        Some(&case.state.0),
        command.clone(),
        now,
    )
    .map_err(Error::Rejected)?;
    persist(shared, tx, &case, &process, &command, stepped, user, now).await
}

async fn fire_timers(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<usize> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let due = tx.claim_due_timers(now, limit).await?;
    let mut fired = 0;
    for timer in due {
        // Each timer in its own savepoint: a case that refuses its timer keeps the timer fired
        // (it will not come back) without taking the other timers down with it.
        tx.savepoint("timer").await?;
        match fire_one(
            shared,
            tx,
            timer.case_id,
            TimerKey(timer.timer_key as u32),
            now,
        )
        .await
        {
            Ok(()) => {
                tx.release_savepoint("timer").await?;
                fired += 1;
            }
            Err(e) if e.is_retryable() => return Err(e),
            Err(e) => {
                tx.rollback_to_savepoint("timer").await?;
                tx.append_event(
                    timer.case_id,
                    now,
                    "system",
                    "timer_refused",
                    &json!({ "timer": timer.timer_key, "error": e.to_string() }),
                    None,
                )
                .await?;
            }
        }
    }
    Ok(fired)
}

async fn fire_one(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    case_id: i64,
    timer: TimerKey,
    now: DateTime<Utc>,
) -> Result<()> {
    let case = tx
        .load_case(case_id)
        .await?
        .ok_or(Error::UnknownCase(case_id))?;
    let process = shared
        .process(&case.process_key, case.process_version)
        .await?;
    let command = Command::TimerFired { timer };
    let stepped = exec::step(
        &process,
        &shared.calendar,
        Some(&case.state.0),
        command.clone(),
        now,
    )
    .map_err(Error::Rejected)?;
    persist(
        shared, tx, &case, &process, &command, stepped, "system", now,
    )
    .await?;
    Ok(())
}
