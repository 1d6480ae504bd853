//! The citizen's view of their case: no login, only what the initiator may see. What that is,
//! is the application layer's (`zaak_app::citizen`); this says it in JSON.

use super::error::{ApiResult, Problem};
use super::json::Id;
use super::views::*;
use super::AppState;
use axum::extract::State;
use axum::Json;

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
    let c = state.app.citizen_status(&token).await?;
    Ok(Json(CitizenView {
        reference: c.reference,
        case_type: c.case_type,
        statuses: c
            .statuses
            .into_iter()
            .map(|s| CitizenStatusEntry {
                text: s.text,
                reached_on: s.reached_on,
            })
            .collect(),
        expected_end_date: c.expected_end_date,
        legal_deadline: c.legal_deadline,
        suspended: c.suspended,
        suspensions: c
            .suspensions
            .into_iter()
            .map(|(from, to, text)| CitizenSuspension {
                from,
                to,
                text: text.to_string(),
            })
            .collect(),
        extension: c.extension.map(|(duration, text)| CitizenExtension {
            duration,
            text: text.to_string(),
        }),
        open: c.open,
        closed_on: c.closed_on,
        term_met: c.term_met,
        result: c
            .result
            .map(|(result, label)| CitizenResult { result, label }),
        data: c.data,
    }))
}
