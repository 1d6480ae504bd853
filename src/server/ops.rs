//! Health, for load balancers (no token), and metrics, for Prometheus (an admin's token).

use super::auth::Caller;
use super::error::{ApiResult, Problem};
use super::views::Health;
use super::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use zaak_app::policy::{require, Action};

/// Answers when the server takes requests.
#[utoipa::path(get, operation_id = "healthz", path = "/healthz", tag = "operations",
    responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Counters, latencies and queue lengths in the Prometheus text format, for administrators:
/// queue lengths name teams and count tasks of confidential cases. A Prometheus scrape sends
/// an admin's token (`authorization` in its scrape config).
#[utoipa::path(get, operation_id = "metrics", path = "/metrics", tag = "operations",
    security(("bearer" = [])),
    responses(
        (status = 200, body = String, content_type = "text/plain"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn metrics(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<impl IntoResponse> {
    require(&user, Action::ReadMetrics)?;
    let mut text = state.metrics.render();
    match queue_lengths(&state, &user).await {
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
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    ))
}

/// The length of every team's queue: each team a deployed process names, with 0 for an empty
/// queue, so that a gauge exists before its first task.
async fn queue_lengths(
    state: &AppState,
    user: &zaak_runtime::User,
) -> Result<std::collections::BTreeMap<String, u64>, zaak_app::AppError> {
    let mut out = std::collections::BTreeMap::new();
    for p in state.app.processes(user).await? {
        for team in &p.model.teams {
            out.insert(team.name.name.clone(), 0);
        }
    }
    for (team, n) in state.app.runtime().queue_lengths().await? {
        out.insert(team, n);
    }
    Ok(out)
}
