//! Lead-time figures and the XES export for managers: `/api/analytics/...` and
//! `/api/export/xes`. Only the roles manager and admin may read them, since they show every
//! case of a process, whatever the teams involved.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, Problem};
use super::json::Params;
use super::AppState;
use crate::users::{Role, User};
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use zaak_runtime::analytics::{compare as compare_reports, export, report as figures, Filter};

/// The share of the legal term after which an open case counts as at risk, unless asked.
const AT_RISK: f64 = 0.8;

/// Refuses with 403 unless the caller is a manager or an admin.
fn require_manager(user: &User) -> ApiResult<()> {
    if matches!(user.role, Role::Manager | Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "the role {} may not read figures; managers and admins may",
            user.role
        )))
    }
}

/// A date means the start of that day in the Netherlands; with `end` the start of the next,
/// so that the day itself is included. An RFC 3339 time is taken as it is.
pub fn parse_moment(text: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let date = if end { date.succ_opt()? } else { date };
        return Some(zaak_engine::calendar::start_of_day(date));
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn moment(field: &str, text: Option<&str>, end: bool) -> ApiResult<Option<DateTime<Utc>>> {
    text.map(|t| {
        parse_moment(t, end).ok_or_else(|| {
            ApiError::bad_query(field, "a date (YYYY-MM-DD) or an RFC 3339 time is expected")
        })
    })
    .transpose()
}

fn at_risk(share: Option<f64>) -> ApiResult<f64> {
    match share {
        None => Ok(AT_RISK),
        Some(s) if (0.0..=1.0).contains(&s) => Ok(s),
        Some(_) => Err(ApiError::bad_query("at_risk", "a share between 0 and 1")),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub process: Option<String>,
    /// A version of the process; 0 is its imported history.
    pub version: Option<u32>,
    /// Only cases in which this team had a task; step figures count only its tasks.
    pub team: Option<String>,
    /// Start of the period: a date (from midnight, Dutch time) or an RFC 3339 time.
    pub from: Option<String>,
    /// End of the period: a date (the whole day included) or an RFC 3339 time (excluded).
    pub to: Option<String>,
    /// The share of the legal term after which an open case counts as at risk; 0.8 when
    /// left out.
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
    require_manager(&user)?;
    let filter = Filter {
        process: q.process,
        version: q.version,
        team: q.team,
        from: moment("from", q.from.as_deref(), false)?,
        to: moment("to", q.to.as_deref(), true)?,
    };
    let share = at_risk(q.at_risk)?;
    let cases = state.runtime.histories(&filter).await?;
    let now = state.runtime.clock().now();
    let r = figures(&cases, &filter, now, share);
    Ok(Json(serde_json::to_value(&r).map_err(ApiError::internal)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    pub process: String,
    /// The version before the redesign; 0 is the imported history.
    pub before: u32,
    /// The version after the redesign.
    pub after: u32,
    pub team: Option<String>,
    pub from: Option<String>,
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
    require_manager(&user)?;
    let base = Filter {
        process: Some(q.process),
        version: None,
        team: q.team,
        from: moment("from", q.from.as_deref(), false)?,
        to: moment("to", q.to.as_deref(), true)?,
    };
    let now = state.runtime.clock().now();
    let mut reports = Vec::with_capacity(2);
    for version in [q.before, q.after] {
        let filter = Filter {
            version: Some(version),
            ..base.clone()
        };
        let cases = state.runtime.histories(&filter).await?;
        reports.push(figures(&cases, &filter, now, AT_RISK));
    }
    let comparison = compare_reports(&reports[0], &reports[1]);
    Ok(Json(serde_json::json!({
        "before": reports[0],
        "after": reports[1],
        "comparison": comparison,
    })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    pub process: Option<String>,
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
    require_manager(&user)?;
    let filter = Filter {
        process: q.process,
        version: q.version,
        ..Filter::default()
    };
    let cases = state.runtime.histories(&filter).await?;
    Ok(([(CONTENT_TYPE, "application/xml")], export(&cases)))
}
