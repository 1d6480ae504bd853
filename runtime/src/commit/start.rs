//! Starting a case: of the latest version of its process, with a reference of the year, and as
//! a deelzaak of another case when a step of that case starts it.

use super::persist::{carry_out, tell_parent, CaseContext};
use crate::error::{Error, Result};
use crate::exec;
use crate::people::rank;
use crate::runtime::{hex, to_json, Shared};
use crate::store::{NewCase, StoreTx};
use crate::types::{CaseId, CaseRef};
use chrono::{DateTime, Datelike, Utc};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use zaak_engine::case::{Command, Data};

/// What a start asks for.
pub(super) struct Request<'a> {
    pub process_key: &'a str,
    pub data: &'a Data,
    pub actor: &'a str,
    pub idempotency_key: Option<&'a str>,
}

/// The case and step that started a deelzaak.
#[derive(Clone, Copy)]
pub(super) struct Parent<'a> {
    pub case_id: i64,
    pub step: &'a str,
}

/// A future that may call itself again (a case starting a deelzaak that closes at once).
pub(super) type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

pub(super) async fn handle(
    shared: &Shared,
    tx: &mut dyn StoreTx,
    request: Request<'_>,
    now: DateTime<Utc>,
) -> Result<CaseRef> {
    let Some(key) = request.idempotency_key else {
        return start(shared, tx, &request, None, now).await;
    };
    // A retry with the same key answers with the case the first request started, and starts
    // no other; the same key with another request is a mistake the caller must hear about,
    // not a silent replay that drops the new data.
    let hash = request_hash(request.process_key, request.data);
    if let Some((id, stored)) = tx.find_idempotency_key(key).await? {
        if stored.as_deref().is_some_and(|stored| stored != hash) {
            return Err(Error::KeyReused);
        }
        let row = tx.load_case(id).await?.ok_or(Error::UnknownCase(id))?;
        return Ok(CaseRef {
            id: CaseId(row.id),
            reference: row.reference,
            public_token: row.public_token,
            created: false,
        });
    }
    let started = start(shared, tx, &request, None, now).await?;
    tx.insert_idempotency_key(key, started.id.0, now, &hash)
        .await?;
    Ok(started)
}

/// The hash of what a start asks for: the process and the data (sorted by field name, so the
/// same data written in another order is the same request).
fn request_hash(process_key: &str, data: &Data) -> String {
    let canonical = serde_json::json!({ "process": process_key, "data": data }).to_string();
    hex(&Sha256::digest(canonical.as_bytes()))
}

fn public_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

/// Starts a case (a deelzaak when `parent` is given): the engine's first step, the case row,
/// the history, and what the step asked for.
pub(super) fn start<'a>(
    shared: &'a Shared,
    tx: &'a mut dyn StoreTx,
    request: &'a Request<'a>,
    parent: Option<Parent<'a>>,
    now: DateTime<Utc>,
) -> Boxed<'a, CaseRef> {
    Box::pin(async move {
        let process_key = request.process_key;
        let version = tx
            .latest_version(process_key)
            .await?
            .ok_or_else(|| Error::UnknownProcess(process_key.to_string()))?
            .version;
        let process = shared.process(process_key, version).await?;
        let command = Command::Start {
            data: request.data.clone(),
        };
        let outcome = exec::step(&process, &shared.calendar, None, command.clone(), now)
            .map_err(Error::Rejected)?;
        // The year of the reference is the year in the Netherlands. Around New Year the Dutch
        // clock is always CET (UTC+1, no summer time), so one hour ahead of UTC is exact there.
        let year = (now + chrono::Duration::hours(1)).year();
        let number = tx.next_case_number(year).await?;
        let reference = format!("ZAAK-{year}-{number:06}");
        let token = public_token();
        let state = &outcome.state;
        let id = tx
            .insert_case(&NewCase {
                reference: &reference,
                process_key,
                process_version: version,
                state,
                status: state.status.as_deref(),
                result: state.result.as_deref(),
                open: state.closed.is_none(),
                deadline: state.term.deadline,
                target: state.term.target,
                public_token: &token,
                created_at: now,
                closed_at: state.closed.as_ref().map(|c| c.at),
                parent_case_id: parent.map(|p| p.case_id),
                parent_step: parent.map(|p| p.step),
                confidentiality: rank(process.model().confidentiality),
                started_by: request.actor,
            })
            .await?;
        let ctx = CaseContext {
            id,
            process_key,
            version,
            process: &process,
        };
        tx.append_event(id, now, request.actor, "start", &to_json(&command), None)
            .await?;
        carry_out(shared, tx, &ctx, &outcome, request.actor, now).await?;
        if let (Some(_), Some(parent)) = (&outcome.state.closed, parent) {
            let result = outcome.state.result.clone();
            tell_parent(
                shared,
                tx,
                id,
                parent.case_id,
                parent.step.to_string(),
                result,
                now,
            )
            .await?;
        }
        Ok(CaseRef {
            id: CaseId(id),
            reference,
            public_token: token,
            created: true,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Fixture;
    use crate::error::Error;
    use serde_json::json;

    #[tokio::test]
    async fn a_key_replays_its_own_request_and_refuses_another() {
        let f = Fixture::new().await;
        let data = f.data(json!({"naam": "Jan"}));
        let first = f
            .runtime
            .start_case("eenvoudig", data.clone(), "balie", Some("balie:k1"))
            .await
            .unwrap();
        let again = f
            .runtime
            .start_case("eenvoudig", data, "balie", Some("balie:k1"))
            .await
            .unwrap();
        assert!(first.created);
        assert!(!again.created);
        assert_eq!(first.id, again.id);
        let other = f
            .runtime
            .start_case(
                "eenvoudig",
                f.data(json!({"naam": "Piet"})),
                "balie",
                Some("balie:k1"),
            )
            .await;
        assert!(matches!(other, Err(Error::KeyReused)));
    }

    #[tokio::test]
    async fn a_case_records_who_started_it_and_its_confidentiality() {
        let f = Fixture::new().await;
        let started = f
            .runtime
            .start_case("eenvoudig", f.data(json!({"naam": "Jan"})), "balie", None)
            .await
            .unwrap();
        let case = f.runtime.case(started.id).await.unwrap();
        assert_eq!(case.started_by.as_deref(), Some("balie"));
        assert_eq!(
            case.confidentiality,
            zaak_dsl::Confidentiality::Zaakvertrouwelijk
        );
        assert!(case.reference.starts_with("ZAAK-2026-"));
    }
}
