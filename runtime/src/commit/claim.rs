//! Claim: a member takes an open task from their team's queue.

use super::task::{lock_task, next, reload, task_data, user};
use crate::error::{Error, Result};
use crate::lifecycle::TaskEvent;
use crate::people::eligibility;
use crate::runtime::Shared;
use crate::store::{CaseTx, EventTx, TaskTx, UserTx};
use crate::types::TaskView;
use chrono::{DateTime, Utc};

pub(super) async fn handle<T>(
    shared: &Shared,
    tx: &mut T,
    id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<TaskView>
where
    T: CaseTx + TaskTx + UserTx + EventTx + Send + ?Sized,
{
    let (case, task) = lock_task(shared, tx, id).await?;
    next(&task, TaskEvent::Claim)?;
    let user = user(tx, name)
        .await?
        .ok_or_else(|| Error::Forbidden(format!("there is no user {name}")))?;
    eligibility(&user, &task.team, task.role.as_deref()).map_err(Error::NotEligible)?;
    if tx.claim_task(id, name, now).await? == 0 {
        return Err(Error::Conflict(format!(
            "task {id} was claimed by someone else"
        )));
    }
    tx.append_event(case.id, now, name, "task_claimed", &task_data(&task), None)
        .await?;
    reload(tx, &task).await
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Fixture;
    use crate::error::Error;
    use crate::lifecycle::TaskState;
    use crate::people::NotEligible;

    #[tokio::test]
    async fn only_a_member_with_the_role_claims_and_only_once() {
        let f = Fixture::new().await;
        let task = f.first_task("behandelen").await;
        // Team member without the role the step names.
        let refused = f.runtime.claim(task.id, "piet").await;
        assert!(matches!(
            refused,
            Err(Error::NotEligible(NotEligible::MissingRole { .. }))
        ));
        // Not a member at all.
        let refused = f.runtime.claim(task.id, "kees").await;
        assert!(matches!(
            refused,
            Err(Error::NotEligible(NotEligible::NotAMember { .. }))
        ));
        let claimed = f.runtime.claim(task.id, "anna").await.unwrap();
        assert_eq!(claimed.state, TaskState::Claimed);
        assert_eq!(claimed.assignee.as_deref(), Some("anna"));
        let again = f.runtime.claim(task.id, "anna").await;
        assert!(matches!(again, Err(Error::Conflict(m)) if m.contains("already claimed by anna")));
        let events = f.runtime.events(task.case_id).await.unwrap();
        assert_eq!(
            events.iter().filter(|e| e.kind == "task_claimed").count(),
            1
        );
    }
}
