//! Storage behind two traits, one implementation per backend.
//!
//! [`Store`] answers read queries from a pool; [`StoreTx`] is one open write transaction. The
//! runtime does all its writing through a `StoreTx`, so the logic that turns an engine step into
//! rows is written once, above the backends. The backends differ only in SQL: row locks and
//! `SKIP LOCKED` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite.

mod backend;
pub(crate) mod postgres;
pub(crate) mod sqlite;

use crate::error::{Error, Result};
use crate::types::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::types::Json;
use zaak_engine::case::{CaseState, TaskKey, TimerKey, TimerPurpose};

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct VersionRow {
    pub process_key: String,
    pub version: i64,
    pub content_hash: String,
    pub source: String,
    pub syntax: String,
    pub deployed_at: DateTime<Utc>,
}

impl VersionRow {
    pub fn into_view(self) -> ProcessVersion {
        ProcessVersion {
            key: self.process_key,
            version: self.version as u32,
            content_hash: self.content_hash,
            source: self.source,
            syntax: self.syntax,
            deployed_at: self.deployed_at,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub process_key: String,
    pub process_version: i64,
    pub state: Json<CaseState>,
    pub status: Option<String>,
    pub result: Option<String>,
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub public_token: String,
    pub row_version: i64,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub parent_case_id: Option<i64>,
    pub parent_step: Option<String>,
}

impl CaseRow {
    pub fn into_view(self) -> CaseView {
        CaseView {
            id: CaseId(self.id),
            reference: self.reference,
            process_key: self.process_key,
            process_version: self.process_version as u32,
            state: self.state.0,
            status: self.status,
            result: self.result,
            open: self.open,
            deadline: self.deadline,
            target: self.target,
            public_token: self.public_token,
            row_version: self.row_version,
            created_at: self.created_at,
            closed_at: self.closed_at,
            parent: self.parent_case_id.map(CaseId),
            parent_step: self.parent_step,
        }
    }
}

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

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TimerRow {
    pub case_id: i64,
    pub timer_key: i64,
    pub at: DateTime<Utc>,
    pub purpose: String,
    pub state: String,
    pub fired_at: Option<DateTime<Utc>>,
}

impl TimerRow {
    pub fn into_view(self) -> Result<TimerView> {
        let purpose = purpose_from_str(&self.purpose)?;
        let state = match self.state.as_str() {
            "pending" => TimerState::Pending,
            "fired" => TimerState::Fired,
            "cancelled" => TimerState::Cancelled,
            other => return Err(Error::Corrupt(format!("timer state `{other}`"))),
        };
        Ok(TimerView {
            case_id: CaseId(self.case_id),
            timer_key: TimerKey(self.timer_key as u32),
            at: self.at,
            purpose,
            state,
            fired_at: self.fired_at,
        })
    }
}

pub(crate) fn purpose_to_str(p: TimerPurpose) -> &'static str {
    match p {
        TimerPurpose::Step => "step",
        TimerPurpose::Timeout => "timeout",
        TimerPurpose::TargetWarning => "target_warning",
        TimerPurpose::DeadlineWarning => "deadline_warning",
        TimerPurpose::Deadline => "deadline",
    }
}

pub(crate) fn purpose_from_str(s: &str) -> Result<TimerPurpose> {
    Ok(match s {
        "step" => TimerPurpose::Step,
        "timeout" => TimerPurpose::Timeout,
        "target_warning" => TimerPurpose::TargetWarning,
        "deadline_warning" => TimerPurpose::DeadlineWarning,
        "deadline" => TimerPurpose::Deadline,
        other => return Err(Error::Corrupt(format!("timer purpose `{other}`"))),
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EventRow {
    pub case_id: i64,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub data: Json<Value>,
    pub reason: Option<String>,
}

impl EventRow {
    pub fn into_view(self) -> Event {
        Event {
            case_id: CaseId(self.case_id),
            seq: self.seq,
            at: self.at,
            actor: self.actor,
            kind: self.kind,
            data: self.data.0,
            reason: self.reason,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct StepCountRow {
    pub place: String,
    pub step: Option<String>,
    pub cases: i64,
    pub tokens: i64,
}

/// A case row about to be inserted.
pub(crate) struct NewCase<'a> {
    pub reference: &'a str,
    pub process_key: &'a str,
    pub process_version: i64,
    pub state: &'a CaseState,
    pub status: Option<&'a str>,
    pub result: Option<&'a str>,
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub public_token: &'a str,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub parent_case_id: Option<i64>,
    pub parent_step: Option<&'a str>,
}

/// The columns a command changes on a case row.
pub(crate) struct CaseUpdate<'a> {
    pub state: &'a CaseState,
    pub status: Option<&'a str>,
    pub result: Option<&'a str>,
    pub open: bool,
    pub deadline: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
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

/// A token count at a place, with the step the place belongs to.
pub(crate) struct TokenRow<'a> {
    pub place: &'a str,
    pub step: Option<&'a str>,
    pub count: i64,
}

/// A timer the transaction took from the pending ones.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ClaimedTimer {
    pub case_id: i64,
    pub timer_key: i64,
}

/// How a team assigns its new tasks, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TeamPolicyRow {
    pub policy: String,
    pub last_assigned: Option<String>,
}

impl TeamPolicyRow {
    pub fn policy(&self) -> Result<AssignmentPolicy> {
        AssignmentPolicy::parse(&self.policy)
            .ok_or_else(|| Error::Corrupt(format!("assignment policy `{}`", self.policy)))
    }
}

/// A team member and how many tasks they hold now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct MemberLoad {
    pub member: String,
    pub claimed: i64,
}

/// The earlier of two optional dates; either alone when the other is missing.
pub(crate) fn earliest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// One open write transaction. Dropping it without [`StoreTx::commit`] rolls it back.
#[async_trait]
pub(crate) trait StoreTx: Send {
    /// Marks a point to roll back to if the next command fails.
    async fn savepoint(&mut self, name: &'static str) -> Result<()>;
    async fn release_savepoint(&mut self, name: &'static str) -> Result<()>;
    async fn rollback_to_savepoint(&mut self, name: &'static str) -> Result<()>;
    async fn commit(self: Box<Self>) -> Result<()>;

    async fn latest_version(&mut self, key: &str) -> Result<Option<VersionRow>>;
    async fn insert_version(&mut self, row: &VersionRow) -> Result<()>;

    async fn find_idempotency_key(&mut self, key: &str) -> Result<Option<i64>>;
    async fn insert_idempotency_key(
        &mut self,
        key: &str,
        case_id: i64,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// The next number in the year's case reference sequence.
    async fn next_case_number(&mut self, year: i32) -> Result<i64>;

    async fn insert_case(&mut self, case: &NewCase<'_>) -> Result<i64>;
    /// Loads a case for change (locking its row where the backend can).
    async fn load_case(&mut self, id: i64) -> Result<Option<CaseRow>>;
    /// Writes a case if its row version is still `expected`; returns the rows changed (0 or 1).
    async fn update_case(&mut self, id: i64, expected: i64, update: &CaseUpdate<'_>)
        -> Result<u64>;
    /// Replaces where a case's tokens rest.
    async fn replace_tokens(
        &mut self,
        case_id: i64,
        process_key: &str,
        version: i64,
        tokens: &[TokenRow<'_>],
    ) -> Result<()>;

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

    async fn insert_timer(
        &mut self,
        case_id: i64,
        key: i64,
        at: DateTime<Utc>,
        purpose: &str,
    ) -> Result<()>;
    async fn cancel_timer(&mut self, case_id: i64, key: i64) -> Result<u64>;
    /// Marks up to `limit` pending timers due at `now` as fired and returns them. A timer is
    /// returned to one transaction only, however many run at once.
    async fn claim_due_timers(
        &mut self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ClaimedTimer>>;

    /// A team's policy and the member who got its last automatically assigned task, locking
    /// the policy row for the rest of the transaction where the backend can; None when the
    /// team works by hand.
    async fn lock_team_policy(&mut self, team: &str) -> Result<Option<TeamPolicyRow>>;
    async fn set_team_policy(&mut self, team: &str, policy: &str) -> Result<()>;
    async fn set_last_assigned(&mut self, team: &str, member: &str) -> Result<()>;
    /// Every member of a team with the number of tasks they hold now, in any team.
    async fn member_loads(&mut self, team: &str) -> Result<Vec<MemberLoad>>;
    async fn add_team_member(&mut self, team: &str, member: &str) -> Result<()>;
    async fn remove_team_member(&mut self, team: &str, member: &str) -> Result<u64>;
    async fn clear_team_members(&mut self, team: &str) -> Result<()>;

    #[allow(clippy::too_many_arguments)]
    async fn append_event(
        &mut self,
        case_id: i64,
        at: DateTime<Utc>,
        actor: &str,
        kind: &str,
        data: &Value,
        reason: Option<&str>,
    ) -> Result<()>;
}

/// A backend: read queries, and write transactions.
#[async_trait]
pub(crate) trait Store: Send + Sync + 'static {
    async fn begin(&self) -> Result<Box<dyn StoreTx>>;

    async fn version(&self, key: &str, version: i64) -> Result<Option<VersionRow>>;
    async fn versions(&self, key: &str) -> Result<Vec<VersionRow>>;
    async fn latest_versions(&self) -> Result<Vec<VersionRow>>;
    async fn case(&self, id: i64) -> Result<Option<CaseRow>>;
    async fn case_by_reference(&self, reference: &str) -> Result<Option<CaseRow>>;
    async fn case_by_public_token(&self, token: &str) -> Result<Option<CaseRow>>;
    async fn cases(&self, filter: &CaseFilter, page: Page) -> Result<Vec<CaseRow>>;
    async fn events(&self, case_id: i64) -> Result<Vec<EventRow>>;
    async fn step_counts(&self, key: &str, version: i64) -> Result<Vec<StepCountRow>>;
    async fn task(&self, id: i64) -> Result<Option<TaskRow>>;
    async fn case_tasks(&self, case_id: i64) -> Result<Vec<TaskRow>>;
    async fn case_timers(&self, case_id: i64) -> Result<Vec<TimerRow>>;
    async fn worklist(&self, team: &str, page: Page) -> Result<Vec<TaskRow>>;
    async fn my_tasks(&self, user: &str, page: Page) -> Result<Vec<TaskRow>>;
    async fn token_rows(&self, case_id: i64) -> Result<Vec<(String, i64)>>;
    async fn team_policy(&self, team: &str) -> Result<Option<TeamPolicyRow>>;
    /// A team's members, sorted by name.
    async fn team_members(&self, team: &str) -> Result<Vec<String>>;
}
