//! Writing what one engine step did to a case: the case row (guarded by its row version), the
//! command in the history, the effects on queues and timers, the tokens, and the deelzaken it
//! starts or the parent it tells.

use super::assignment::assign_automatically;
use super::start::{start, Boxed, Parent, Request};
use crate::error::{Error, Result};
use crate::exec::{self, Compiled};
use crate::runtime::{to_json, Shared};
use crate::store::{purpose_to_str, CaseRow, CaseUpdate, NewTask, StoreTx, TokenRow};
use crate::types::{Applied, CaseId};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use zaak_engine::case::{Command, Effect, Outcome};

/// A deelzaak closed: its parent hears it (`SubcaseClosed`) in the same transaction. A parent
/// that no longer waits for it (closed, or moved on) refuses, and that is recorded on the
/// parent instead.
pub(super) fn tell_parent<'a>(
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

/// The case an engine step wrote, with what its tokens need.
pub(super) struct CaseContext<'a> {
    pub id: i64,
    pub process_key: &'a str,
    pub version: i64,
    pub process: &'a Compiled,
}

/// Writes what one engine step did to a case that exists: the case row (guarded by its row
/// version), the command in the history, and the step's effects.
#[allow(clippy::too_many_arguments)]
pub(super) async fn persist(
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
    let data = to_json(command);
    tx.append_event(
        row.id,
        now,
        actor,
        &kind(&data, "command"),
        &data,
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
pub(super) async fn carry_out(
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
        let data = to_json(effect);
        tx.append_event(ctx.id, now, actor, &kind(&data, "effect"), &data, reason)
            .await?;
        if let Effect::CreateTask {
            task, team, role, ..
        } = effect
        {
            assign_automatically(tx, ctx.id, i64::from(task.0), team, role.as_deref(), now).await?;
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
            let request = Request {
                process_key: process,
                data,
                actor,
                idempotency_key: None,
            };
            start(shared, tx, &request, Some(parent), now).await?;
        }
    }
    Ok(())
}

/// The kind of a history event: the serde tag (`command` or `effect`) of what it records, so
/// the names in the history are the names in the JSON, written once in the engine's types.
fn kind(data: &Value, tag: &str) -> String {
    data.get(tag)
        .and_then(Value::as_str)
        .unwrap_or(tag)
        .to_string()
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
