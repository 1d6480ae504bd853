//! The values the runtime hands out: cases, tasks, events, counts.

use crate::lifecycle::TaskState;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use zaak_dsl::Confidentiality;
use zaak_engine::case::{CaseState, Effect, TaskKey, TimerKey, TimerPurpose};

/// A case's number in this database (not shown to citizens; they see the reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub i64);

/// A task's number in this database, unique across cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(pub i64);

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The answer to a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployed {
    pub key: String,
    pub version: u32,
    /// False when the same process was already the latest version: nothing changed.
    pub created: bool,
}

/// A deployed process version, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessVersion {
    pub key: String,
    pub version: u32,
    pub content_hash: String,
    pub source: String,
    /// `text` or `yaml`.
    pub syntax: String,
    pub deployed_at: DateTime<Utc>,
}

/// How to find a new case again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    pub id: CaseId,
    /// The readable reference, e.g. `ZAAK-2026-000123`.
    pub reference: String,
    /// The unguessable token that lets the initiator see the case's status.
    pub public_token: String,
    /// False when an idempotency key named a case that already existed.
    pub created: bool,
}

/// What a command did to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    pub case: CaseId,
    pub effects: Vec<Effect>,
    pub status: Option<String>,
    pub result: Option<String>,
    pub open: bool,
    /// The case row's version after the command.
    pub row_version: i64,
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: CaseId,
    pub reference: String,
    pub process_key: String,
    pub process_version: u32,
    pub state: CaseState,
    pub status: Option<String>,
    pub result: Option<String>,
    pub open: bool,
    /// Uiterlijke einddatum afdoening.
    pub deadline: Option<NaiveDate>,
    /// Einddatum gepland.
    pub target: Option<NaiveDate>,
    pub public_token: String,
    pub row_version: i64,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// For a deelzaak: the case that started it (hoofdzaak).
    pub parent: Option<CaseId>,
    /// For a deelzaak: the step of the parent that started it.
    pub parent_step: Option<String>,
    /// Vertrouwelijkheidaanduiding: its process version's when the case started.
    pub confidentiality: Confidentiality,
    /// Who started the case (a user, or whoever started the case it is a deelzaak of).
    pub started_by: Option<String>,
}

/// A task as it stands in the work queues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: TaskId,
    pub case_id: CaseId,
    pub task_key: TaskKey,
    pub step: String,
    pub label: Option<String>,
    pub team: String,
    pub role: Option<String>,
    pub assignee: Option<String>,
    pub state: TaskState,
    pub due: Option<NaiveDate>,
    /// The case's legal deadline when the task was last touched.
    pub case_deadline: Option<NaiveDate>,
    pub priority: i32,
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerState {
    Pending,
    Fired,
    Cancelled,
}

/// A timer of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimerView {
    pub case_id: CaseId,
    pub timer_key: TimerKey,
    pub at: DateTime<Utc>,
    pub purpose: TimerPurpose,
    pub state: TimerState,
    pub fired_at: Option<DateTime<Utc>>,
}

/// One entry of a case's history. The history is append-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub case_id: CaseId,
    /// 1, 2, 3, ... within the case.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Who did it: a user, or `system` for timers.
    pub actor: String,
    /// What happened: a command (`start`, `complete_task`, ...), a task action (`task_claimed`,
    /// `task_assigned`, ...) or an effect (`create_task`, `deadline_warning`, ...).
    pub kind: String,
    pub data: Value,
    pub reason: Option<String>,
}

/// How many open cases of a process version wait at one place of its net.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCount {
    pub place: String,
    /// The step the place belongs to, if any.
    pub step: Option<String>,
    pub cases: i64,
    pub tokens: i64,
}

/// Which cases to list; every field left out matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    pub process_key: Option<String>,
    pub process_version: Option<u32>,
    pub open: Option<bool>,
    pub status: Option<String>,
    /// Only the deelzaken of this case.
    pub parent: Option<CaseId>,
}

/// A window on a long list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            limit: 50,
            offset: 0,
        }
    }
}

/// What group commit did so far in one runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitStats {
    /// Write transactions committed.
    pub transactions: u64,
    /// Commands, task actions and timer rounds those transactions held.
    pub commands: u64,
}

/// How a team's new tasks find a worker. A team without a policy works by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentPolicy {
    /// New tasks wait in the team's queue until someone claims them or a coordinator assigns
    /// them.
    #[default]
    Manual,
    /// Each new task goes to the next member after the one who got the last, in name order.
    RoundRobin,
    /// Each new task goes to the member who holds the fewest claimed tasks (in any team); a tie
    /// goes to the first by name.
    LeastLoaded,
}

impl AssignmentPolicy {
    pub const ALL: [AssignmentPolicy; 3] = [
        AssignmentPolicy::Manual,
        AssignmentPolicy::RoundRobin,
        AssignmentPolicy::LeastLoaded,
    ];

    /// The stored name: `manual`, `round_robin`, `least_loaded`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentPolicy::Manual => "manual",
            AssignmentPolicy::RoundRobin => "round_robin",
            AssignmentPolicy::LeastLoaded => "least_loaded",
        }
    }

    /// Reads a stored or typed name; `round-robin` and `round_robin` are the same policy.
    pub fn parse(s: &str) -> Option<AssignmentPolicy> {
        let s = s.trim().replace('-', "_");
        AssignmentPolicy::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The reason the history gives for a task this policy assigned.
    pub fn reason(self) -> &'static str {
        match self {
            AssignmentPolicy::Manual => "manual assignment",
            AssignmentPolicy::RoundRobin => "automatic assignment (round robin)",
            AssignmentPolicy::LeastLoaded => "automatic assignment (least loaded)",
        }
    }
}

impl fmt::Display for AssignmentPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
