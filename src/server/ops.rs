//! Health and metrics, for load balancers and Prometheus; no token needed.

use super::views::Health;
use super::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use std::collections::{BTreeMap, BTreeSet};
use zaak_runtime::Page;

/// Answers when the server takes requests.
#[utoipa::path(get, operation_id = "healthz", path = "/healthz", tag = "operations",
    responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Counters and latencies in the Prometheus text format.
#[utoipa::path(get, operation_id = "metrics", path = "/metrics", tag = "operations",
    responses((status = 200, body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut text = state.metrics.render();
    match queue_lengths(&state).await {
        Ok(queues) => {
            text.push_str("# HELP zaak_tasks_open Open tasks in each team's queue.\n");
            text.push_str("# TYPE zaak_tasks_open gauge\n");
            for (team, n) in queues {
                text.push_str(&format!("zaak_tasks_open{{team=\"{team}\"}} {n}\n"));
            }
        }
        // The counters are still worth serving when the database is away.
        Err(e) => tracing::warn!(error = %e, "queue lengths unavailable for /metrics"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

/// The most open tasks counted per queue; a longer queue shows as this many.
const QUEUE_COUNT_LIMIT: u32 = 10_000;

/// The length of the queue of every team named in a deployed process.
async fn queue_lengths(state: &AppState) -> Result<BTreeMap<String, usize>, zaak_runtime::Error> {
    let mut teams = BTreeSet::new();
    for p in state.runtime.processes().await? {
        let model = state.runtime.model(&p.key, p.version).await?;
        teams.extend(model.teams.iter().map(|t| t.name.name.clone()));
    }
    let mut out = BTreeMap::new();
    for team in teams {
        let page = Page {
            limit: QUEUE_COUNT_LIMIT,
            offset: 0,
        };
        let n = state.runtime.worklist(&team, page).await?.len();
        out.insert(team, n);
    }
    Ok(out)
}
