//! What the task handlers share: the task and its case locked in the right order, the acting
//! user as stored now, the lifecycle check, and the task as the history records it.

use crate::error::{Error, Result};
use crate::lifecycle::{self, TaskEvent, TaskState};
use crate::people::User;
use crate::runtime::Shared;
use crate::store::{CaseRow, CaseTx, TaskTx, UserTx};
use crate::types::TaskView;
use serde_json::{json, Value};

/// Locks the task's case, then loads the task: the same lock order as commands, so two
/// runtimes on one database cannot deadlock on a case and its task.
pub(super) async fn lock_task<T>(
    shared: &Shared,
    tx: &mut T,
    task: i64,
) -> Result<(CaseRow, TaskView)>
where
    T: CaseTx + TaskTx + Send + ?Sized,
{
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

/// The user as stored in this transaction, with their memberships: who may hold a task is
/// decided on what holds when the change commits, not on what a caller read before.
pub(super) async fn user<T>(tx: &mut T, name: &str) -> Result<Option<User>>
where
    T: UserTx + Send + ?Sized,
{
    let Some(row) = tx.load_user(name).await? else {
        return Ok(None);
    };
    let memberships = tx.memberships_in_tx(name).await?;
    row.into_user(memberships).map(Some)
}

/// The state the lifecycle table moves the task to, or the conflict that says why not.
pub(super) fn next(task: &TaskView, event: TaskEvent) -> Result<TaskState> {
    lifecycle::next(task.state, event).ok_or_else(|| not_allowed(task, event))
}

fn not_allowed(task: &TaskView, event: TaskEvent) -> Error {
    match (task.state, &task.assignee, event) {
        (TaskState::Open, _, TaskEvent::Complete) => Error::Conflict(format!(
            "task {} is not claimed; claim it before completing it",
            task.id
        )),
        (TaskState::Open, _, TaskEvent::Release) => {
            Error::Conflict(format!("task {} is not claimed", task.id))
        }
        (TaskState::Claimed, Some(who), TaskEvent::Claim) => {
            Error::Conflict(format!("task {} is already claimed by {who}", task.id))
        }
        (state, _, _) => Error::Conflict(format!("task {} is {}", task.id, state.as_str())),
    }
}

pub(super) async fn reload<T>(tx: &mut T, task: &TaskView) -> Result<TaskView>
where
    T: TaskTx + Send + ?Sized,
{
    tx.task_by_key(task.case_id.0, i64::from(task.task_key.0))
        .await?
        .ok_or(Error::UnknownTask(task.id.0))?
        .into_view()
}

/// The task as the history records it.
pub(super) fn task_data(task: &TaskView) -> Value {
    json!({ "task": task.id, "task_key": task.task_key, "step": task.step, "team": task.team })
}
