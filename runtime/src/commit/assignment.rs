//! Automatic assignment: a new task goes to a member of its team by the team's policy.

use crate::error::{Error, Result};
use crate::lifecycle::TaskState;
use crate::store::{EventTx, MemberLoad, TaskTx, TeamTx};
use crate::types::AssignmentPolicy;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// Gives a task just created to a member of its team when the team has an assignment policy,
/// in the transaction that created it, so the task is never seen open in the queue. Only
/// members who receive work and, for a task that names a process role, hold it in the team are
/// chosen from. A team that works by hand, or has no such member, keeps the task in its queue.
///
/// On PostgreSQL the team's policy row stays locked until the commit: committers creating
/// tasks for one team choose one after another, each counting the tasks the one before gave.
pub(super) async fn assign_automatically<T>(
    tx: &mut T,
    case_id: i64,
    task_key: i64,
    team: &str,
    role: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()>
where
    T: TeamTx + TaskTx + EventTx + Send + ?Sized,
{
    let Some(row) = tx.lock_team_policy(team).await? else {
        return Ok(());
    };
    let policy = row.policy()?;
    if policy == AssignmentPolicy::Manual {
        return Ok(());
    }
    let mut loads = tx.member_loads(team, role).await?;
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
    let mut data = super::task::task_data(&task);
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
