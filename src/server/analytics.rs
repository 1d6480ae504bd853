//! Lead-time figures and the XES export for managers: `/api/analytics/...` and
//! `/api/export/xes`. Who may read them and which cases they count is the application layer's
//! rule: managers and admins, over the cases within their clearance.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, Problem};
use super::json::Params;
use super::AppState;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub process: Option<String>,
    /// A version of the process; 0 is its imported history.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub version: Option<u32>,
    /// Only cases in which this team had a task; step figures count only its tasks.
    pub team: Option<String>,
    /// Start of the period: a date (from midnight, Dutch time) or an RFC 3339 time.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub from: Option<String>,
    /// End of the period: a date (the whole day included) or an RFC 3339 time (excluded).
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub to: Option<String>,
    /// The share of the legal term after which an open case counts as at risk; 0.8 when
    /// left out.
    #[param(minimum = 0.0, maximum = 1.0)]
    pub at_risk: Option<f64>,
}

/// Lead times, terms met, time per status and step, throughput, work in progress and
/// bottlenecks of the cases selected, as of now.
#[utoipa::path(get, operation_id = "analytics_report", path = "/api/analytics/report", tag = "analytics",
    security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The figures (durations in seconds)", body = Value),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report(
    State(state): State<AppState>,
    Caller(user): Caller,
    Params(q): Params<ReportQuery>,
) -> ApiResult<Json<Value>> {
    let r = state
        .app
        .report(
            &user,
            &zaak_app::ReportQuery {
                process: q.process,
                version: q.version,
                team: q.team,
                from: q.from,
                to: q.to,
                at_risk: q.at_risk,
            },
        )
        .await?;
    Ok(Json(serde_json::to_value(&r).map_err(ApiError::internal)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    pub process: String,
    /// The version before the redesign; 0 is the imported history.
    #[param(value_type = i64, minimum = 0, maximum = 4294967295_i64)]
    pub before: u32,
    /// The version after the redesign.
    #[param(value_type = i64, minimum = 0, maximum = 4294967295_i64)]
    pub after: u32,
    pub team: Option<String>,
    /// As in the report.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub from: Option<String>,
    /// As in the report.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub to: Option<String>,
}

/// Two versions of one process side by side: both reports and the differences.
#[utoipa::path(get, operation_id = "analytics_compare", path = "/api/analytics/compare", tag = "analytics",
    security(("bearer" = [])),
    params(CompareQuery),
    responses(
        (status = 200, description = "`before`, `after` and `comparison`", body = Value),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn compare(
    State(state): State<AppState>,
    Caller(user): Caller,
    Params(q): Params<CompareQuery>,
) -> ApiResult<Json<Value>> {
    let query = zaak_app::ReportQuery {
        process: Some(q.process),
        team: q.team,
        from: q.from,
        to: q.to,
        ..zaak_app::ReportQuery::default()
    };
    let (before, after, comparison) = state.app.compare(&user, &query, q.before, q.after).await?;
    Ok(Json(serde_json::json!({
        "before": before,
        "after": after,
        "comparison": comparison,
    })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    pub process: Option<String>,
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub version: Option<u32>,
}

/// The cases as an XES event log (IEEE 1849-2016) for process mining tools.
#[utoipa::path(get, operation_id = "export_xes", path = "/api/export/xes", tag = "analytics",
    security(("bearer" = [])),
    params(ExportQuery),
    responses(
        (status = 200, description = "One trace per case", body = String, content_type = "application/xml"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export_xes(
    State(state): State<AppState>,
    Caller(user): Caller,
    Params(q): Params<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let log = state.app.export_xes(&user, q.process, q.version).await?;
    Ok(([(CONTENT_TYPE, "application/xml")], log))
}
