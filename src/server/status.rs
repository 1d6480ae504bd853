//! The citizen's view of their case: no login, only what the initiator may see.
//!
//! The public token is the only key. Everything shown is picked field by field from the case
//! and its process, so that nothing internal (workers, teams, internal data, other cases) can
//! slip through by being added elsewhere.

use super::error::{ApiError, ApiResult, Problem};
use super::json::Id;
use super::views::*;
use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use zaak_engine::calendar::local_date;

/// The same answer for every token that opens nothing: malformed, unknown or revoked.
fn unknown() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_status_token",
        "no case belongs to this link",
    )
}

/// Where a case stands, for its initiator.
#[utoipa::path(get, operation_id = "citizen_status", path = "/api/status/{public_token}", tag = "citizen",
    params(("public_token" = String, Path, description = "The token the initiator received")),
    responses(
        (status = 200, body = CitizenView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Id(token): Id<String>,
) -> ApiResult<Json<CitizenView>> {
    // The lookup is one indexed query whether or not the token exists, and a token is long and
    // random: the answer's timing tells nothing worth knowing about other tokens.
    let Some(case) = state.runtime.case_by_public_token(&token).await? else {
        return Err(unknown());
    };
    let model = state
        .runtime
        .model(&case.process_key, case.process_version)
        .await?;
    let statuses = case
        .state
        .status_history
        .iter()
        .map(|s| CitizenStatusEntry {
            text: model
                .status(&s.status)
                .map(|d| d.citizen_text.clone())
                .unwrap_or_default(),
            reached_on: local_date(s.at),
        })
        .collect();
    let term = TermInfo::of(&case);
    let closed_on = case.closed_at.map(local_date);
    let today = local_date(state.runtime.clock().now());
    let term_met = match (term.deadline, closed_on) {
        (Some(deadline), Some(closed)) => Some(closed <= deadline),
        (Some(deadline), None) if today > deadline => Some(false),
        _ => None,
    };
    let result = case.result.as_ref().map(|r| CitizenResult {
        result: r.clone(),
        label: model.result(r).and_then(|d| d.label.clone()),
    });
    let data = case
        .state
        .data
        .iter()
        .filter(|(name, _)| model.field(name).is_some_and(|f| f.citizen))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Json(CitizenView {
        reference: case.reference.clone(),
        case_type: model.title.clone(),
        statuses,
        expected_end_date: term.target,
        legal_deadline: term.deadline,
        suspended: term.suspended,
        suspensions: term
            .suspensions
            .into_iter()
            .map(|s| CitizenSuspension {
                from: s.from,
                to: s.to,
                reason: s.reason,
            })
            .collect(),
        extension: term.extension.map(|e| CitizenExtension {
            duration: e.duration,
            reason: e.reason,
        }),
        open: case.open,
        closed_on,
        term_met,
        result,
        data,
    }))
}
