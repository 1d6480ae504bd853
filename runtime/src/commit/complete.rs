//! Complete: the worker who holds a task finishes it with an outcome and the form data, and the
//! case moves on in the same transaction.

use super::persist::persist;
use super::task::{lock_task, next, user};
use crate::error::{Error, Result};
use crate::exec;
use crate::lifecycle::{TaskEvent, TaskState};
use crate::people::eligibility;
use crate::runtime::Shared;
use crate::store::StoreTx;
use crate::types::Applied;
use chrono::{DateTime, Utc};
use zaak_engine::case::{Command, Data, TaskKey};

#[allow(clippy::too_many_arguments)]
pub(super) async fn handle(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    id: i64,
    name: &str,
    outcome: Option<&str>,
    data: &Data,
    now: DateTime<Utc>,
) -> Result<Applied> {
    let (case, task) = lock_task(shared, tx, id).await?;
    next(&task, TaskEvent::Complete)?;
    match task.assignee.as_deref() {
        Some(who) if who == name => {}
        Some(who) if task.state == TaskState::Claimed => {
            return Err(Error::Conflict(format!(
                "task {id} is claimed by {who}; only they can complete it"
            )))
        }
        _ => {
            return Err(Error::Conflict(format!(
                "task {id} is not claimed by {name}"
            )))
        }
    }
    // The holder must still be allowed to hold it: a role taken away after the claim ends the
    // mandate to decide.
    let user = user(tx, name)
        .await?
        .ok_or_else(|| Error::Forbidden(format!("there is no user {name}")))?;
    eligibility(&user, &task.team, task.role.as_deref()).map_err(Error::NotEligible)?;
    if tx.finish_task(id, name, outcome, now).await? == 0 {
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
    persist(shared, tx, &case, &process, &command, stepped, name, now).await
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Fixture;
    use crate::error::Error;
    use crate::lifecycle::TaskState;
    use zaak_engine::exec::EngineError;

    #[tokio::test]
    async fn the_holder_completes_once_and_the_case_moves_on() {
        let f = Fixture::new().await;
        let task = f.first_task("behandelen").await;
        let open = f
            .runtime
            .complete(task.id, "anna", Some("akkoord"), Default::default())
            .await;
        assert!(matches!(open, Err(Error::Conflict(m)) if m.contains("claim it before")));
        f.runtime.claim(task.id, "anna").await.unwrap();
        let other = f
            .runtime
            .complete(task.id, "bert", Some("akkoord"), Default::default())
            .await;
        assert!(matches!(other, Err(Error::Conflict(m)) if m.contains("claimed by anna")));
        let wrong = f
            .runtime
            .complete(task.id, "anna", Some("misschien"), Default::default())
            .await;
        assert!(matches!(
            wrong,
            Err(Error::Rejected(EngineError::UnknownOutcome { .. }))
        ));
        // A refused completion changed nothing: the task is still held.
        assert_eq!(
            f.runtime.task(task.id).await.unwrap().state,
            TaskState::Claimed
        );
        let done = f
            .runtime
            .complete(task.id, "anna", Some("akkoord"), Default::default())
            .await
            .unwrap();
        assert!(!done.open);
        let twice = f
            .runtime
            .complete(task.id, "anna", Some("akkoord"), Default::default())
            .await;
        assert!(matches!(twice, Err(Error::Conflict(m)) if m.contains("is done")));
    }

    #[tokio::test]
    async fn a_role_taken_away_after_the_claim_stops_the_completion() {
        let f = Fixture::new().await;
        let task = f.first_task("behandelen").await;
        f.runtime.claim(task.id, "anna").await.unwrap();
        f.runtime
            .set_membership("vergunningen", "anna", &[], true)
            .await
            .unwrap();
        let refused = f
            .runtime
            .complete(task.id, "anna", Some("akkoord"), Default::default())
            .await;
        assert!(matches!(refused, Err(Error::NotEligible(_))));
    }
}
