//! A command on a case that the engine decides alone: a message, a suspension, a resumption,
//! an extension, a withdrawal, a cancellation, a notice of default. Tasks are completed with
//! their own handler (which checks who holds them) and timers fire by the clock.

use super::persist::persist;
use crate::error::{Error, Result};
use crate::exec;
use crate::runtime::Shared;
use crate::store::StoreTx;
use crate::types::Applied;
use chrono::{DateTime, Utc};
use zaak_engine::case::Command;

pub(super) async fn handle(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    case: i64,
    command: &Command,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Applied> {
    match command {
        Command::Start { .. } => {
            return Err(Error::BadRequest(
                "a case is started with start_case".into(),
            ))
        }
        Command::CompleteTask { .. } => {
            return Err(Error::BadRequest(
                "a task is completed by the worker who holds it (complete)".into(),
            ))
        }
        Command::TimerFired { .. } => {
            return Err(Error::BadRequest("timers fire by the clock".into()))
        }
        _ => {}
    }
    let row = tx.load_case(case).await?.ok_or(Error::UnknownCase(case))?;
    let process = shared
        .process(&row.process_key, row.process_version)
        .await?;
    let outcome = exec::step(
        &process,
        &shared.calendar,
        Some(&row.state.0),
        command.clone(),
        now,
    )
    .map_err(Error::Rejected)?;
    persist(shared, tx, &row, &process, command, outcome, actor, now).await
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Fixture;
    use crate::error::Error;
    use zaak_engine::case::Command;
    use zaak_engine::exec::EngineError;

    #[tokio::test]
    async fn the_engine_decides_and_a_refusal_changes_nothing() {
        let f = Fixture::new().await;
        let task = f.first_task("behandelen").await;
        let case = task.case_id;
        let before = f.runtime.case(case).await.unwrap().row_version;
        let refused = f
            .runtime
            .command(
                case,
                Command::DeliverMessage {
                    name: "niemand_wacht".into(),
                    data: Default::default(),
                },
                "anna",
            )
            .await;
        assert!(matches!(
            refused,
            Err(Error::Rejected(EngineError::NoWaitingFor { .. }))
        ));
        assert_eq!(f.runtime.case(case).await.unwrap().row_version, before);
        let start = f
            .runtime
            .command(
                case,
                Command::Start {
                    data: Default::default(),
                },
                "anna",
            )
            .await;
        assert!(matches!(start, Err(Error::BadRequest(_))));
        let cancelled = f
            .runtime
            .command(
                case,
                Command::Cancel {
                    reason: "dubbel ingediend".into(),
                },
                "fatima",
            )
            .await
            .unwrap();
        assert!(!cancelled.open);
        let events = f.runtime.events(case).await.unwrap();
        let cancel = events.iter().find(|e| e.kind == "cancel").unwrap();
        assert_eq!(cancel.reason.as_deref(), Some("dubbel ingediend"));
    }
}
