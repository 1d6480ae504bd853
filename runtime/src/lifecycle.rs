//! The lifecycle of a task, declared as a table of (state, event) -> next state.
//!
//! The handlers ask [`next`] before they write, and the guarded UPDATEs in `queries/tasks/`
//! (`WHERE state = ...`) enforce the same table against a concurrent writer: a pair the table
//! does not hold is refused without a change, whoever asks. `tests/lifecycle.rs` drives every
//! pair through the runtime and checks that the table and the stored tasks agree.

use serde::{Deserialize, Serialize};

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// In the team's queue, nobody works on it.
    Open,
    /// A worker took it, or was given it.
    Claimed,
    Done,
    /// The case moved on without it (a timeout, a withdrawal, the case closed).
    Cancelled,
}

impl TaskState {
    pub const ALL: [TaskState; 4] = [
        TaskState::Open,
        TaskState::Claimed,
        TaskState::Done,
        TaskState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Open => "open",
            TaskState::Claimed => "claimed",
            TaskState::Done => "done",
            TaskState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the task still waits for work (in a queue or in someone's hands).
    pub fn is_unfinished(self) -> bool {
        matches!(self, TaskState::Open | TaskState::Claimed)
    }
}

/// What can happen to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskEvent {
    /// A member takes it from the queue.
    Claim,
    /// The worker who holds it puts it back.
    Release,
    /// A coordinator, or automatic assignment, gives it to a member.
    Assign,
    /// The worker who holds it finishes it with an outcome.
    Complete,
    /// The case no longer needs it.
    Cancel,
}

impl TaskEvent {
    pub const ALL: [TaskEvent; 5] = [
        TaskEvent::Claim,
        TaskEvent::Release,
        TaskEvent::Assign,
        TaskEvent::Complete,
        TaskEvent::Cancel,
    ];
}

/// Every move a task can make. Anything else is refused.
pub const LIFECYCLE: &[(TaskState, TaskEvent, TaskState)] = &[
    (TaskState::Open, TaskEvent::Claim, TaskState::Claimed),
    (TaskState::Open, TaskEvent::Assign, TaskState::Claimed),
    (TaskState::Open, TaskEvent::Cancel, TaskState::Cancelled),
    (TaskState::Claimed, TaskEvent::Release, TaskState::Open),
    // A coordinator takes work from one member and gives it to another.
    (TaskState::Claimed, TaskEvent::Assign, TaskState::Claimed),
    (TaskState::Claimed, TaskEvent::Complete, TaskState::Done),
    (TaskState::Claimed, TaskEvent::Cancel, TaskState::Cancelled),
];

/// The state a task moves to, or `None` when the table holds no such move.
pub fn next(state: TaskState, event: TaskEvent) -> Option<TaskState> {
    LIFECYCLE
        .iter()
        .find(|(from, on, _)| *from == state && *on == event)
        .map(|(_, _, to)| *to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_tasks_make_no_move_and_every_unfinished_one_can_be_cancelled() {
        for event in TaskEvent::ALL {
            assert_eq!(next(TaskState::Done, event), None);
            assert_eq!(next(TaskState::Cancelled, event), None);
        }
        for state in TaskState::ALL.into_iter().filter(|s| s.is_unfinished()) {
            assert_eq!(next(state, TaskEvent::Cancel), Some(TaskState::Cancelled));
        }
        // Each pair appears once, so the table is a function.
        for (i, (s, e, _)) in LIFECYCLE.iter().enumerate() {
            assert!(!LIFECYCLE[i + 1..]
                .iter()
                .any(|(s2, e2, _)| s2 == s && e2 == e));
        }
    }
}
