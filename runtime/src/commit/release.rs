//! Release: the worker who holds a task puts it back in the queue.

use super::task::{lock_task, next, reload, task_data};
use crate::error::{Error, Result};
use crate::lifecycle::TaskEvent;
use crate::runtime::Shared;
use crate::store::{CaseTx, EventTx, TaskTx};
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
    T: CaseTx + TaskTx + EventTx + Send + ?Sized,
{
    let (case, task) = lock_task(shared, tx, id).await?;
    next(&task, TaskEvent::Release)?;
    if task.assignee.as_deref() != Some(name) || tx.release_task(id, name).await? == 0 {
        return Err(Error::Conflict(format!(
            "task {id} is not claimed by {name}"
        )));
    }
    tx.append_event(case.id, now, name, "task_released", &task_data(&task), None)
        .await?;
    reload(tx, &task).await
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Fixture;
    use crate::error::Error;
    use crate::lifecycle::TaskState;

    #[tokio::test]
    async fn only_the_holder_releases() {
        let f = Fixture::new().await;
        let task = f.first_task("behandelen").await;
        assert!(matches!(
            f.runtime.release(task.id, "anna").await,
            Err(Error::Conflict(_))
        ));
        f.runtime.claim(task.id, "anna").await.unwrap();
        assert!(matches!(
            f.runtime.release(task.id, "bert").await,
            Err(Error::Conflict(m)) if m.contains("not claimed by bert")
        ));
        let released = f.runtime.release(task.id, "anna").await.unwrap();
        assert_eq!(released.state, TaskState::Open);
        assert_eq!(released.assignee, None);
    }
}
