//! Tasks: the rows of the team queues. Every change of hands is an UPDATE guarded by the
//! state (and worker) it expects, following the lifecycle table in `crate::lifecycle`; a
//! changed row count of zero means someone else came first.

use crate::error::{Error, Result};
use crate::lifecycle::TaskState;
use crate::types::{CaseId, Page, TaskId, TaskView};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use zaak_engine::case::TaskKey;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TaskRow {
    pub id: i64,
    pub case_id: i64,
    pub task_key: i64,
    pub step: String,
    pub label: Option<String>,
    pub team: String,
    pub role: Option<String>,
    pub assignee: Option<String>,
    pub state: String,
    pub due: Option<NaiveDate>,
    pub case_deadline: Option<NaiveDate>,
    pub priority: i64,
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl TaskRow {
    pub fn into_view(self) -> Result<TaskView> {
        let state = TaskState::parse(&self.state).ok_or_else(|| {
            Error::Corrupt(format!("task {} has state `{}`", self.id, self.state))
        })?;
        Ok(TaskView {
            id: TaskId(self.id),
            case_id: CaseId(self.case_id),
            task_key: TaskKey(self.task_key as u32),
            step: self.step,
            label: self.label,
            team: self.team,
            role: self.role,
            assignee: self.assignee,
            state,
            due: self.due,
            case_deadline: self.case_deadline,
            priority: self.priority as i32,
            outcome: self.outcome,
            created_at: self.created_at,
            claimed_at: self.claimed_at,
            finished_at: self.finished_at,
        })
    }
}

pub(crate) struct NewTask<'a> {
    pub case_id: i64,
    pub task_key: i64,
    pub step: &'a str,
    pub label: Option<&'a str>,
    pub team: &'a str,
    pub role: Option<&'a str>,
    pub due: Option<NaiveDate>,
    pub case_deadline: Option<NaiveDate>,
    pub priority: i64,
    pub created_at: DateTime<Utc>,
}

/// The earlier of two optional dates; either alone when the other is missing.
pub(crate) fn earliest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

#[async_trait]
pub(crate) trait TaskStore {
    async fn task(&self, id: i64) -> Result<Option<TaskRow>>;
    /// Every task a case ever had, in the order they were created.
    async fn case_tasks(&self, case_id: i64) -> Result<Vec<TaskRow>>;
    /// A team's queue of open tasks, in queue order.
    async fn worklist(&self, team: &str, page: Page) -> Result<Vec<TaskRow>>;
    /// The tasks a worker holds, in queue order.
    async fn held_by(&self, user: &str, page: Page) -> Result<Vec<TaskRow>>;
    /// The tasks members of a team hold, in queue order.
    async fn held_in_team(&self, team: &str, page: Page) -> Result<Vec<TaskRow>>;
    /// The number of open tasks in every team's queue.
    async fn open_per_team(&self) -> Result<Vec<(String, i64)>>;
}

#[async_trait]
pub(crate) trait TaskTx {
    async fn insert_task(&mut self, task: &NewTask<'_>) -> Result<()>;
    /// Cancels a task that is still open or claimed.
    async fn cancel_task(&mut self, case_id: i64, key: i64, at: DateTime<Utc>) -> Result<u64>;
    /// Gives the unfinished tasks of a case its new legal deadline.
    async fn set_task_deadlines(&mut self, case_id: i64, deadline: Option<NaiveDate>)
        -> Result<()>;
    /// Loads a task for change (locking its row where the backend can).
    async fn load_task(&mut self, id: i64) -> Result<Option<TaskRow>>;
    async fn task_by_key(&mut self, case_id: i64, key: i64) -> Result<Option<TaskRow>>;
    /// open -> claimed by `user`; 0 rows when the task was not open.
    async fn claim_task(&mut self, id: i64, user: &str, at: DateTime<Utc>) -> Result<u64>;
    /// claimed by `user` -> open; 0 rows otherwise.
    async fn release_task(&mut self, id: i64, user: &str) -> Result<u64>;
    /// (state, assignee) as read -> claimed by `to`; 0 rows when someone changed it meanwhile.
    async fn assign_task(
        &mut self,
        id: i64,
        expected_state: &str,
        expected_assignee: Option<&str>,
        to: &str,
        at: DateTime<Utc>,
    ) -> Result<u64>;
    /// claimed by `user` -> done with `outcome`; 0 rows otherwise.
    async fn finish_task(
        &mut self,
        id: i64,
        user: &str,
        outcome: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<u64>;
    /// How many tasks a worker holds now.
    async fn count_held_by(&mut self, user: &str) -> Result<i64>;
}

macro_rules! tasks_sql {
    ($store:ident, $tx:ident, $db:ty, $dir:literal) => {
        #[async_trait::async_trait]
        impl crate::store::TaskStore for $store {
            async fn task(&self, id: i64) -> crate::error::Result<Option<crate::store::TaskRow>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/by_id"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_tasks(
                &self,
                case_id: i64,
            ) -> crate::error::Result<Vec<crate::store::TaskRow>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/of_case"))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn worklist(
                &self,
                team: &str,
                page: crate::types::Page,
            ) -> crate::error::Result<Vec<crate::store::TaskRow>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/worklist"))
                    .bind(team)
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn held_by(
                &self,
                user: &str,
                page: crate::types::Page,
            ) -> crate::error::Result<Vec<crate::store::TaskRow>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/held_by"))
                    .bind(user)
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn held_in_team(
                &self,
                team: &str,
                page: crate::types::Page,
            ) -> crate::error::Result<Vec<crate::store::TaskRow>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/held_in_team"))
                    .bind(team)
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn open_per_team(&self) -> crate::error::Result<Vec<(String, i64)>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/open_per_team"))
                    .fetch_all(&self.pool)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl crate::store::TaskTx for $tx {
            async fn insert_task(
                &mut self,
                task: &crate::store::NewTask<'_>,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("tasks/insert"))
                    .bind(task.case_id)
                    .bind(task.task_key)
                    .bind(task.step)
                    .bind(task.label)
                    .bind(task.team)
                    .bind(task.role)
                    .bind(task.due)
                    .bind(task.case_deadline)
                    .bind(crate::store::earliest(task.due, task.case_deadline))
                    .bind(task.priority)
                    .bind(task.created_at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn cancel_task(
                &mut self,
                case_id: i64,
                key: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("tasks/cancel"))
                    .bind(case_id)
                    .bind(key)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn set_task_deadlines(
                &mut self,
                case_id: i64,
                deadline: Option<chrono::NaiveDate>,
            ) -> crate::error::Result<()> {
                sqlx::query(crate::store::query!("tasks/set_deadlines"))
                    .bind(case_id)
                    .bind(deadline)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn load_task(
                &mut self,
                id: i64,
            ) -> crate::error::Result<Option<crate::store::TaskRow>> {
                Ok(
                    sqlx::query_as(crate::store::backend_query!("tasks", $dir, "load"))
                        .bind(id)
                        .fetch_optional(&mut *self.tx)
                        .await?,
                )
            }

            async fn task_by_key(
                &mut self,
                case_id: i64,
                key: i64,
            ) -> crate::error::Result<Option<crate::store::TaskRow>> {
                Ok(sqlx::query_as(crate::store::query!("tasks/by_key"))
                    .bind(case_id)
                    .bind(key)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn claim_task(
                &mut self,
                id: i64,
                user: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("tasks/claim"))
                    .bind(id)
                    .bind(user)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn release_task(&mut self, id: i64, user: &str) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("tasks/release"))
                    .bind(id)
                    .bind(user)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn assign_task(
                &mut self,
                id: i64,
                expected_state: &str,
                expected_assignee: Option<&str>,
                to: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("tasks/assign"))
                    .bind(id)
                    .bind(expected_state)
                    .bind(expected_assignee)
                    .bind(to)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn finish_task(
                &mut self,
                id: i64,
                user: &str,
                outcome: Option<&str>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> crate::error::Result<u64> {
                let done = sqlx::query(crate::store::query!("tasks/finish"))
                    .bind(id)
                    .bind(user)
                    .bind(outcome)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn count_held_by(&mut self, user: &str) -> crate::error::Result<i64> {
                let (n,): (i64,) = sqlx::query_as(crate::store::query!("tasks/count_held_by"))
                    .bind(user)
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(n)
            }
        }
    };
}
pub(crate) use tasks_sql;
