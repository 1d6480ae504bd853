//! Assign: a coordinator (or the system) gives a task to a member, with a reason that lands in
//! the case history.

use super::task::{lock_task, next, reload, task_data, user};
use crate::error::{Error, Result};
use crate::lifecycle::TaskEvent;
use crate::people::eligibility;
use crate::runtime::Shared;
use crate::store::{CaseTx, EventTx, TaskTx, UserTx};
use crate::types::TaskView;
use chrono::{DateTime, Utc};
use serde_json::json;

pub(super) async fn handle<T>(
    shared: &Shared,
    tx: &mut T,
    id: i64,
    to: &str,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<TaskView>
where
    T: CaseTx + TaskTx + UserTx + EventTx + Send + ?Sized,
{
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::BadRequest("assigning a task needs a reason".into()));
    }
    if to.trim().is_empty() {
        return Err(Error::BadRequest("assign the task to someone".into()));
    }
    let (case, task) = lock_task(shared, tx, id).await?;
    next(&task, TaskEvent::Assign)?;
    let member = user(tx, to)
        .await?
        .ok_or_else(|| Error::BadRequest(format!("there is no user `{to}`")))?;
    eligibility(&member, &task.team, task.role.as_deref()).map_err(Error::NotEligible)?;
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

#[cfg(test)]
mod tests {
    use super::super::test_support::Fixture;
    use crate::error::Error;
    use crate::people::NotEligible;

    #[tokio::test]
    async fn a_task_goes_only_to_a_member_holding_its_role() {
        let f = Fixture::new().await;
        let task = f.first_task("behandelen").await;
        let refused = f.runtime.assign(task.id, "piet", "drukte", "fatima").await;
        assert!(matches!(
            refused,
            Err(Error::NotEligible(NotEligible::MissingRole { .. }))
        ));
        let refused = f
            .runtime
            .assign(task.id, "niemand", "drukte", "fatima")
            .await;
        assert!(matches!(refused, Err(Error::BadRequest(_))));
        let refused = f.runtime.assign(task.id, "anna", "  ", "fatima").await;
        assert!(matches!(refused, Err(Error::BadRequest(_))));
        let given = f
            .runtime
            .assign(task.id, "anna", "drukte", "fatima")
            .await
            .unwrap();
        assert_eq!(given.assignee.as_deref(), Some("anna"));
        // From one member to another, as a coordinator redistributes work.
        let given = f
            .runtime
            .assign(task.id, "bert", "ziek", "fatima")
            .await
            .unwrap();
        assert_eq!(given.assignee.as_deref(), Some("bert"));
        let events = f.runtime.events(task.case_id).await.unwrap();
        let last = events.iter().rfind(|e| e.kind == "task_assigned").unwrap();
        assert_eq!(last.reason.as_deref(), Some("ziek"));
        assert_eq!(last.actor, "fatima");
        assert_eq!(last.data["from"], "anna");
    }
}
