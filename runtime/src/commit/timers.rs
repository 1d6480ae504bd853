//! Timers: every due timer fires once, in the transaction that carries out what it does.

use super::persist::persist;
use crate::error::{Error, Result};
use crate::exec;
use crate::runtime::Shared;
use crate::store::StoreTx;
use chrono::{DateTime, Utc};
use serde_json::json;
use zaak_engine::case::{Command, TimerKey};

pub(super) async fn handle(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<usize> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let due = tx.claim_due_timers(now, limit).await?;
    let mut fired = 0;
    for timer in due {
        // Each timer in its own savepoint: a case that refuses its timer keeps the timer fired
        // (it will not come back) without taking the other timers down with it.
        tx.savepoint("timer").await?;
        match fire_one(
            shared,
            tx,
            timer.case_id,
            TimerKey(timer.timer_key as u32),
            now,
        )
        .await
        {
            Ok(()) => {
                tx.release_savepoint("timer").await?;
                fired += 1;
            }
            Err(e) if e.is_retryable() => return Err(e),
            Err(e) => {
                tx.rollback_to_savepoint("timer").await?;
                tx.append_event(
                    timer.case_id,
                    now,
                    "system",
                    "timer_refused",
                    &json!({ "timer": timer.timer_key, "error": e.to_string() }),
                    None,
                )
                .await?;
            }
        }
    }
    Ok(fired)
}

async fn fire_one(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    case_id: i64,
    timer: TimerKey,
    now: DateTime<Utc>,
) -> Result<()> {
    let case = tx
        .load_case(case_id)
        .await?
        .ok_or(Error::UnknownCase(case_id))?;
    let process = shared
        .process(&case.process_key, case.process_version)
        .await?;
    let command = Command::TimerFired { timer };
    let stepped = exec::step(
        &process,
        &shared.calendar,
        Some(&case.state.0),
        command.clone(),
        now,
    )
    .map_err(Error::Rejected)?;
    persist(
        shared, tx, &case, &process, &command, stepped, "system", now,
    )
    .await?;
    Ok(())
}
