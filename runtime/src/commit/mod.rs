//! Group commit, and the handlers of the commands it applies.
//!
//! One task per committer takes every command waiting, applies each inside a savepoint of one
//! transaction, commits once, and only then answers the callers. A failing command rolls back to
//! its savepoint and fails alone. Commands on one case within a batch see each other: each loads
//! the case inside the transaction, after the ones before it. When the transaction as a whole
//! fails (a deadlock between two runtimes on one PostgreSQL, a failed commit), every command of
//! the batch runs again in a transaction of its own, so a caller hears about its own command
//! only.
//!
//! Each command has its handler in a file of its own: [`start`] (a case, and its deelzaken),
//! [`case_command`] (what the engine decides: messages, suspension, extension, cancelling),
//! [`claim`], [`release`], [`assign`], [`complete`] (the task lifecycle of
//! [`crate::lifecycle`]) and [`timers`]. [`persist`] writes what an engine step did;
//! [`assignment`] gives a new task to a member of its team.

mod assign;
mod assignment;
mod case_command;
mod claim;
mod complete;
mod people;
mod persist;
mod release;
mod start;
mod task;
mod timers;

#[cfg(test)]
mod test_support;

use crate::error::{Error, Result};
use crate::runtime::Shared;
use crate::store::StoreTx;
use crate::types::*;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use zaak_engine::case::{Command, Data};

pub(crate) use people::PeopleChange;

/// A command for the committer.
pub(crate) enum Work {
    Start {
        process_key: String,
        data: Data,
        actor: String,
        idempotency_key: Option<String>,
    },
    Command {
        case: i64,
        command: Command,
        actor: String,
    },
    Claim {
        task: i64,
        user: String,
    },
    Release {
        task: i64,
        user: String,
    },
    Assign {
        task: i64,
        to: String,
        reason: String,
        by: String,
    },
    Complete {
        task: i64,
        user: String,
        outcome: Option<String>,
        data: Data,
    },
    FireTimers {
        limit: usize,
    },
    People(PeopleChange),
}

pub(crate) enum Reply {
    Case(CaseRef),
    Applied(Applied),
    Task(TaskView),
    Fired(usize),
    Token(String),
    Removed(crate::directory::RemovedUser),
    Changed(bool),
}

impl Work {
    /// What orders this work among others: works on one case (or one task) go to one committer,
    /// so they are applied in the order they were sent. Starts and timer rounds have no order.
    pub fn shard_key(&self) -> Option<i64> {
        match self {
            Work::Command { case, .. } => Some(*case),
            Work::Claim { task, .. }
            | Work::Release { task, .. }
            | Work::Assign { task, .. }
            | Work::Complete { task, .. } => Some(*task),
            Work::Start { .. } | Work::FireTimers { .. } | Work::People(_) => None,
        }
    }
}

pub(crate) struct Job {
    pub work: Work,
    pub reply: oneshot::Sender<Result<Reply>>,
}

/// How often a command alone in its transaction is tried when the database asks to retry.
const ATTEMPTS: usize = 5;

/// The committer: runs until every sender (every clone of the runtime) is gone.
pub(crate) async fn run(shared: Arc<Shared>, mut queue: mpsc::Receiver<Job>, max_batch: usize) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let works: Vec<&Work> = batch.iter().map(|j| &j.work).collect();
        match apply_batch(&shared, &works).await {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    // A caller that stopped waiting has nothing to hear.
                    let _ = job.reply.send(result);
                }
            }
            Err(batch_error) => {
                if batch.len() == 1 && !batch_error.is_retryable() {
                    if let Some(job) = batch.pop() {
                        let _ = job.reply.send(Err(batch_error));
                    }
                    continue;
                }
                for job in batch {
                    let result = apply_alone(&shared, &job.work).await;
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

async fn apply_alone(shared: &Shared, work: &Work) -> Result<Reply> {
    let mut last = None;
    for _ in 0..ATTEMPTS {
        match apply_batch(shared, &[work]).await {
            Ok(mut results) => return results.pop().unwrap_or(Err(Error::Stopped)),
            Err(e) if e.is_retryable() => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or(Error::Stopped))
}

/// Applies the works in one transaction. The outer error means the transaction failed as a
/// whole and nothing of it was committed; the inner results are per work.
async fn apply_batch(shared: &Shared, works: &[&Work]) -> Result<Vec<Result<Reply>>> {
    let mut tx = shared.store.begin().await?;
    let mut results = Vec::with_capacity(works.len());
    for work in works {
        tx.savepoint("command").await?;
        let mut outcome = apply(shared, tx.as_mut(), work).await;
        if matches!(&outcome, Err(e) if e.is_unique_violation()) {
            // Another runtime inserted the same key (an idempotency key, a version) and has
            // committed by now: once more, the work sees that row and answers from it.
            tx.rollback_to_savepoint("command").await?;
            tx.savepoint("command").await?;
            outcome = apply(shared, tx.as_mut(), work).await;
        }
        match outcome {
            Ok(reply) => {
                tx.release_savepoint("command").await?;
                results.push(Ok(reply));
            }
            // The database wants the transaction retried: nothing of this batch can be trusted.
            Err(e) if e.is_retryable() => return Err(e),
            Err(e) => {
                tx.rollback_to_savepoint("command").await?;
                results.push(Err(e));
            }
        }
    }
    tx.commit().await?;
    shared.stats.transactions.fetch_add(1, Ordering::Relaxed);
    shared
        .stats
        .works
        .fetch_add(works.len() as u64, Ordering::Relaxed);
    Ok(results)
}

/// Sends a work to its handler.
async fn apply(shared: &Shared, tx: &mut dyn StoreTx, work: &Work) -> Result<Reply> {
    let now = shared.clock.now();
    match work {
        Work::Start {
            process_key,
            data,
            actor,
            idempotency_key,
        } => start::handle(
            shared,
            tx,
            start::Request {
                process_key,
                data,
                actor,
                idempotency_key: idempotency_key.as_deref(),
            },
            now,
        )
        .await
        .map(Reply::Case),
        Work::Command {
            case,
            command,
            actor,
        } => case_command::handle(shared, tx, *case, command, actor, now)
            .await
            .map(Reply::Applied),
        Work::Claim { task, user } => claim::handle(shared, tx, *task, user, now)
            .await
            .map(Reply::Task),
        Work::Release { task, user } => release::handle(shared, tx, *task, user, now)
            .await
            .map(Reply::Task),
        Work::Assign {
            task,
            to,
            reason,
            by,
        } => assign::handle(shared, tx, *task, to, reason, by, now)
            .await
            .map(Reply::Task),
        Work::Complete {
            task,
            user,
            outcome,
            data,
        } => complete::handle(shared, tx, *task, user, outcome.as_deref(), data, now)
            .await
            .map(Reply::Applied),
        Work::FireTimers { limit } => timers::handle(shared, tx, *limit, now)
            .await
            .map(Reply::Fired),
        Work::People(change) => people::handle(tx, change, now).await,
    }
}
