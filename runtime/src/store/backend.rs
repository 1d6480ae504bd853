//! The SQL both backends share, written once as a macro over the sqlx database type.
//!
//! The macro takes the backend's pool and transaction types and the folder of its own queries
//! (those that differ: row locks and timer claims); everything else comes from `queries/`.

macro_rules! sql_store {
    ($store:ident, $tx:ident, $db:ty, $dir:literal, $begin:path) => {
        use crate::error::Result;
        use crate::store::*;
        use crate::types::{CaseFilter, Page};
        use async_trait::async_trait;
        use chrono::{DateTime, NaiveDate, Utc};
        use serde_json::Value;
        use sqlx::types::Json;

        pub(crate) struct $store {
            pub(crate) pool: sqlx::Pool<$db>,
        }

        pub(crate) struct $tx {
            tx: sqlx::Transaction<'static, $db>,
        }

        #[async_trait]
        impl Store for $store {
            async fn begin(&self) -> Result<Box<dyn StoreTx>> {
                let tx = $begin(&self.pool).await?;
                Ok(Box::new($tx { tx }))
            }

            async fn version(&self, key: &str, version: i64) -> Result<Option<VersionRow>> {
                Ok(sqlx::query_as(
                    "SELECT process_key, version, content_hash, source, syntax, deployed_at \
                     FROM process_versions WHERE process_key = $1 AND version = $2",
                )
                .bind(key)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn versions(&self, key: &str) -> Result<Vec<VersionRow>> {
                Ok(sqlx::query_as(
                    "SELECT process_key, version, content_hash, source, syntax, deployed_at \
                     FROM process_versions WHERE process_key = $1 ORDER BY version",
                )
                .bind(key)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn latest_versions(&self) -> Result<Vec<VersionRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/latest_versions.sql"))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn case(&self, id: i64) -> Result<Option<CaseRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/case_by_id.sql"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_by_reference(&self, reference: &str) -> Result<Option<CaseRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/case_by_reference.sql"))
                    .bind(reference)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_by_public_token(&self, token: &str) -> Result<Option<CaseRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/case_by_public_token.sql"))
                    .bind(token)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn cases(&self, filter: &CaseFilter, page: Page) -> Result<Vec<CaseRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/list_cases.sql"))
                    .bind(filter.process_key.as_deref())
                    .bind(filter.process_version.map(i64::from))
                    .bind(filter.open)
                    .bind(filter.status.as_deref())
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .bind(filter.parent.map(|p| p.0))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn events(&self, case_id: i64) -> Result<Vec<EventRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/case_events.sql"))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn step_counts(&self, key: &str, version: i64) -> Result<Vec<StepCountRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/step_counts.sql"))
                    .bind(key)
                    .bind(version)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn task(&self, id: i64) -> Result<Option<TaskRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/task_by_id.sql"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn case_tasks(&self, case_id: i64) -> Result<Vec<TaskRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/case_tasks.sql"))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn case_timers(&self, case_id: i64) -> Result<Vec<TimerRow>> {
                Ok(sqlx::query_as(
                    "SELECT case_id, timer_key, at, purpose, state, fired_at \
                     FROM timers WHERE case_id = $1 ORDER BY timer_key",
                )
                .bind(case_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn worklist(&self, team: &str, page: Page) -> Result<Vec<TaskRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/worklist.sql"))
                    .bind(team)
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn my_tasks(&self, user: &str, page: Page) -> Result<Vec<TaskRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/my_tasks.sql"))
                    .bind(user)
                    .bind(i64::from(page.limit))
                    .bind(i64::from(page.offset))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn token_rows(&self, case_id: i64) -> Result<Vec<(String, i64)>> {
                Ok(sqlx::query_as(
                    "SELECT place, count FROM tokens WHERE case_id = $1 ORDER BY place",
                )
                .bind(case_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn team_policy(&self, team: &str) -> Result<Option<TeamPolicyRow>> {
                Ok(sqlx::query_as(
                    "SELECT policy, last_assigned FROM team_policies WHERE team = $1",
                )
                .bind(team)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn team_members(&self, team: &str) -> Result<Vec<String>> {
                let rows: Vec<(String,)> =
                    sqlx::query_as("SELECT member FROM team_members WHERE team = $1")
                        .bind(team)
                        .fetch_all(&self.pool)
                        .await?;
                // Sorted here, not by the database: PostgreSQL's collation and SQLite's byte
                // order disagree on names with capitals or accents.
                let mut members: Vec<String> = rows.into_iter().map(|(m,)| m).collect();
                members.sort();
                Ok(members)
            }
        }

        #[async_trait]
        impl StoreTx for $tx {
            async fn savepoint(&mut self, name: &'static str) -> Result<()> {
                sqlx::query(&format!("SAVEPOINT {name}")).execute(&mut *self.tx).await?;
                Ok(())
            }

            async fn release_savepoint(&mut self, name: &'static str) -> Result<()> {
                sqlx::query(&format!("RELEASE SAVEPOINT {name}")).execute(&mut *self.tx).await?;
                Ok(())
            }

            async fn rollback_to_savepoint(&mut self, name: &'static str) -> Result<()> {
                sqlx::query(&format!("ROLLBACK TO SAVEPOINT {name}"))
                    .execute(&mut *self.tx)
                    .await?;
                sqlx::query(&format!("RELEASE SAVEPOINT {name}")).execute(&mut *self.tx).await?;
                Ok(())
            }

            async fn commit(self: Box<Self>) -> Result<()> {
                self.tx.commit().await?;
                Ok(())
            }

            async fn latest_version(&mut self, key: &str) -> Result<Option<VersionRow>> {
                Ok(sqlx::query_as(
                    "SELECT process_key, version, content_hash, source, syntax, deployed_at \
                     FROM process_versions WHERE process_key = $1 AND version > 0 \
                     ORDER BY version DESC LIMIT 1",
                )
                .bind(key)
                .fetch_optional(&mut *self.tx)
                .await?)
            }

            async fn insert_version(&mut self, row: &VersionRow) -> Result<()> {
                sqlx::query(
                    "INSERT INTO process_versions \
                     (process_key, version, content_hash, source, syntax, deployed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&row.process_key)
                .bind(row.version)
                .bind(&row.content_hash)
                .bind(&row.source)
                .bind(&row.syntax)
                .bind(row.deployed_at)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn find_idempotency_key(&mut self, key: &str) -> Result<Option<i64>> {
                let row: Option<(i64,)> =
                    sqlx::query_as("SELECT case_id FROM idempotency_keys WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                Ok(row.map(|r| r.0))
            }

            async fn insert_idempotency_key(
                &mut self,
                key: &str,
                case_id: i64,
                at: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query("INSERT INTO idempotency_keys (key, case_id, created_at) VALUES ($1, $2, $3)")
                    .bind(key)
                    .bind(case_id)
                    .bind(at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn next_case_number(&mut self, year: i32) -> Result<i64> {
                let row: (i64,) = sqlx::query_as(include_str!("../../queries/next_case_number.sql"))
                    .bind(i64::from(year))
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(row.0)
            }

            async fn insert_case(&mut self, case: &NewCase<'_>) -> Result<i64> {
                let row: (i64,) = sqlx::query_as(include_str!("../../queries/insert_case.sql"))
                    .bind(case.reference)
                    .bind(case.process_key)
                    .bind(case.process_version)
                    .bind(Json(case.state))
                    .bind(case.status)
                    .bind(case.result)
                    .bind(case.open)
                    .bind(case.deadline)
                    .bind(case.target)
                    .bind(case.public_token)
                    .bind(case.created_at)
                    .bind(case.closed_at)
                    .bind(case.parent_case_id)
                    .bind(case.parent_step)
                    .fetch_one(&mut *self.tx)
                    .await?;
                Ok(row.0)
            }

            async fn load_case(&mut self, id: i64) -> Result<Option<CaseRow>> {
                Ok(sqlx::query_as(include_str!(concat!("../../queries/", $dir, "/load_case.sql")))
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn update_case(
                &mut self,
                id: i64,
                expected: i64,
                update: &CaseUpdate<'_>,
            ) -> Result<u64> {
                let done = sqlx::query(include_str!("../../queries/update_case.sql"))
                    .bind(id)
                    .bind(expected)
                    .bind(Json(update.state))
                    .bind(update.status)
                    .bind(update.result)
                    .bind(update.open)
                    .bind(update.deadline)
                    .bind(update.target)
                    .bind(update.closed_at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn replace_tokens(
                &mut self,
                case_id: i64,
                process_key: &str,
                version: i64,
                tokens: &[TokenRow<'_>],
            ) -> Result<()> {
                sqlx::query("DELETE FROM tokens WHERE case_id = $1")
                    .bind(case_id)
                    .execute(&mut *self.tx)
                    .await?;
                for t in tokens {
                    sqlx::query(
                        "INSERT INTO tokens (case_id, process_key, process_version, place, step, count) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(case_id)
                    .bind(process_key)
                    .bind(version)
                    .bind(t.place)
                    .bind(t.step)
                    .bind(t.count)
                    .execute(&mut *self.tx)
                    .await?;
                }
                Ok(())
            }

            async fn insert_task(&mut self, task: &NewTask<'_>) -> Result<()> {
                sqlx::query(include_str!("../../queries/insert_task.sql"))
                    .bind(task.case_id)
                    .bind(task.task_key)
                    .bind(task.step)
                    .bind(task.label)
                    .bind(task.team)
                    .bind(task.role)
                    .bind(task.due)
                    .bind(task.case_deadline)
                    .bind(earliest(task.due, task.case_deadline))
                    .bind(task.priority)
                    .bind(task.created_at)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn cancel_task(&mut self, case_id: i64, key: i64, at: DateTime<Utc>) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE tasks SET state = 'cancelled', finished_at = $3 \
                     WHERE case_id = $1 AND task_key = $2 AND state IN ('open', 'claimed')",
                )
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
                deadline: Option<NaiveDate>,
            ) -> Result<()> {
                sqlx::query(include_str!("../../queries/set_task_deadlines.sql"))
                    .bind(case_id)
                    .bind(deadline)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn load_task(&mut self, id: i64) -> Result<Option<TaskRow>> {
                Ok(sqlx::query_as(include_str!(concat!("../../queries/", $dir, "/load_task.sql")))
                    .bind(id)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn task_by_key(&mut self, case_id: i64, key: i64) -> Result<Option<TaskRow>> {
                Ok(sqlx::query_as(include_str!("../../queries/task_by_key.sql"))
                    .bind(case_id)
                    .bind(key)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn claim_task(&mut self, id: i64, user: &str, at: DateTime<Utc>) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE tasks SET state = 'claimed', assignee = $2, claimed_at = $3 \
                     WHERE id = $1 AND state = 'open'",
                )
                .bind(id)
                .bind(user)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected())
            }

            async fn release_task(&mut self, id: i64, user: &str) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE tasks SET state = 'open', assignee = NULL, claimed_at = NULL \
                     WHERE id = $1 AND state = 'claimed' AND assignee = $2",
                )
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
                at: DateTime<Utc>,
            ) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE tasks SET state = 'claimed', assignee = $4, claimed_at = $5 \
                     WHERE id = $1 AND state = $2 \
                     AND (assignee = $3 OR (assignee IS NULL AND $3 IS NULL))",
                )
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
                at: DateTime<Utc>,
            ) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE tasks SET state = 'done', outcome = $3, finished_at = $4 \
                     WHERE id = $1 AND state = 'claimed' AND assignee = $2",
                )
                .bind(id)
                .bind(user)
                .bind(outcome)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected())
            }

            async fn insert_timer(
                &mut self,
                case_id: i64,
                key: i64,
                at: DateTime<Utc>,
                purpose: &str,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO timers (case_id, timer_key, at, purpose, state) \
                     VALUES ($1, $2, $3, $4, 'pending')",
                )
                .bind(case_id)
                .bind(key)
                .bind(at)
                .bind(purpose)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn cancel_timer(&mut self, case_id: i64, key: i64) -> Result<u64> {
                let done = sqlx::query(
                    "UPDATE timers SET state = 'cancelled' \
                     WHERE case_id = $1 AND timer_key = $2 AND state = 'pending'",
                )
                .bind(case_id)
                .bind(key)
                .execute(&mut *self.tx)
                .await?;
                Ok(done.rows_affected())
            }

            async fn claim_due_timers(
                &mut self,
                now: DateTime<Utc>,
                limit: i64,
            ) -> Result<Vec<ClaimedTimer>> {
                let mut claimed: Vec<ClaimedTimer> =
                    sqlx::query_as(include_str!(concat!("../../queries/", $dir, "/claim_due_timers.sql")))
                        .bind(now)
                        .bind(limit)
                        .fetch_all(&mut *self.tx)
                        .await?;
                claimed.sort_by_key(|t| (t.case_id, t.timer_key));
                Ok(claimed)
            }

            async fn lock_team_policy(&mut self, team: &str) -> Result<Option<TeamPolicyRow>> {
                Ok(sqlx::query_as(include_str!(concat!("../../queries/", $dir, "/lock_team_policy.sql")))
                    .bind(team)
                    .fetch_optional(&mut *self.tx)
                    .await?)
            }

            async fn set_team_policy(&mut self, team: &str, policy: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO team_policies (team, policy, last_assigned) VALUES ($1, $2, NULL) \
                     ON CONFLICT (team) DO UPDATE SET policy = excluded.policy",
                )
                .bind(team)
                .bind(policy)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn set_last_assigned(&mut self, team: &str, member: &str) -> Result<()> {
                sqlx::query("UPDATE team_policies SET last_assigned = $2 WHERE team = $1")
                    .bind(team)
                    .bind(member)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn member_loads(&mut self, team: &str) -> Result<Vec<MemberLoad>> {
                Ok(sqlx::query_as(include_str!("../../queries/member_loads.sql"))
                    .bind(team)
                    .fetch_all(&mut *self.tx)
                    .await?)
            }

            async fn add_team_member(&mut self, team: &str, member: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO team_members (team, member) VALUES ($1, $2) \
                     ON CONFLICT (team, member) DO NOTHING",
                )
                .bind(team)
                .bind(member)
                .execute(&mut *self.tx)
                .await?;
                Ok(())
            }

            async fn remove_team_member(&mut self, team: &str, member: &str) -> Result<u64> {
                let done = sqlx::query("DELETE FROM team_members WHERE team = $1 AND member = $2")
                    .bind(team)
                    .bind(member)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn clear_team_members(&mut self, team: &str) -> Result<()> {
                sqlx::query("DELETE FROM team_members WHERE team = $1")
                    .bind(team)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn append_event(
                &mut self,
                case_id: i64,
                at: DateTime<Utc>,
                actor: &str,
                kind: &str,
                data: &Value,
                reason: Option<&str>,
            ) -> Result<()> {
                sqlx::query(include_str!("../../queries/append_event.sql"))
                    .bind(case_id)
                    .bind(at)
                    .bind(actor)
                    .bind(kind)
                    .bind(Json(data))
                    .bind(reason)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use sql_store;
