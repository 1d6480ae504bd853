//! Deployed processes: list, deploy, read, draw.

use super::auth::{require, Action, Caller};
use super::error::{ApiError, ApiResult, Problem};
use super::json::Body;
use super::json::{Id, Params};
use super::views::*;
use super::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use std::collections::BTreeMap;
use zaak_dsl::{ProcessModel, SourceFile, Syntax};
use zaak_engine::diagram::{render, DiagramFormat};

/// The latest version of a process and its model, or 404.
pub(crate) async fn latest(state: &AppState, key: &str) -> ApiResult<(u32, ProcessModel)> {
    let versions = state.runtime.versions(key).await?;
    let Some(last) = versions.last() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_process",
            format!("no process `{key}` is deployed"),
        ));
    };
    let model = state.runtime.model(key, last.version).await?;
    Ok((last.version, model))
}

/// Every deployed process with its latest version.
#[utoipa::path(get, operation_id = "list_processes", path = "/api/processes", tag = "processes",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<ProcessSummary>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> ApiResult<Json<Vec<ProcessSummary>>> {
    require(&user, Action::ReadProcesses)?;
    let mut out = Vec::new();
    for latest in state.runtime.processes().await? {
        let model = state.runtime.model(&latest.key, latest.version).await?;
        out.push(ProcessSummary {
            key: latest.key,
            title: model.title,
            latest_version: latest.version,
            confidentiality: model.confidentiality.as_str().to_string(),
        });
    }
    Ok(Json(out))
}

/// Deploys a process source. Changed source becomes a new version (201); the same process as
/// the latest version changes nothing (200). A source with errors is refused with every
/// diagnostic (422).
#[utoipa::path(post, operation_id = "deploy_process", path = "/api/processes", tag = "processes",
    security(("bearer" = [])),
    request_body = DeployRequest,
    responses(
        (status = 201, body = DeployResponse, description = "A new version"),
        (status = 200, body = DeployResponse, description = "Unchanged: nothing deployed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json",
            description = "The process has errors; `diagnostics` lists them"),
    ))]
pub async fn deploy(
    State(state): State<AppState>,
    Caller(user): Caller,
    body: Body,
) -> ApiResult<impl IntoResponse> {
    require(&user, Action::Deploy)?;
    let req: DeployRequest = body.read()?;
    let (syntax, name) = match req.syntax {
        SourceSyntax::Text => (Syntax::Text, "process.zaak"),
        SourceSyntax::Yaml => (Syntax::Yaml, "process.yaml"),
    };
    match state.runtime.deploy(&req.source, syntax).await {
        Ok(d) => {
            tracing::info!(process = %d.key, version = d.version, created = d.created, "deployed");
            let status = if d.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((
                status,
                Json(DeployResponse {
                    key: d.key,
                    version: d.version,
                    created: d.created,
                }),
            ))
        }
        Err(zaak_runtime::Error::Invalid(diagnostics)) => {
            let file = SourceFile::new(name, req.source.clone());
            let json = diagnostics.iter().map(|d| file.to_json(d)).collect();
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_process",
                format!("the process has {errors} error(s); nothing was deployed"),
            )
            .with_field("source")
            .with_diagnostics(json))
        }
        Err(e) => Err(e.into()),
    }
}

/// A process: its versions, and the case data a client must supply to start a case.
#[utoipa::path(get, operation_id = "show_process", path = "/api/processes/{key}", tag = "processes",
    security(("bearer" = [])),
    params(("key" = String, Path, description = "The process key")),
    responses(
        (status = 200, body = ProcessDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(key): Id<String>,
) -> ApiResult<Json<ProcessDetail>> {
    require(&user, Action::ReadProcesses)?;
    let (version, model) = latest(&state, &key).await?;
    let versions = state.runtime.versions(&key).await?;
    Ok(Json(ProcessDetail {
        key,
        title: model.title.clone(),
        description: model.description.clone(),
        confidentiality: model.confidentiality.as_str().to_string(),
        current_version: version,
        versions: versions
            .into_iter()
            .map(|v| VersionInfo {
                version: v.version,
                content_hash: v.content_hash,
                syntax: v.syntax,
                deployed_at: v.deployed_at,
            })
            .collect(),
        start_fields: model.data.iter().map(FieldInfo::from).collect(),
        messages: model.messages.iter().map(|m| m.name.name.clone()).collect(),
    }))
}

/// The process as a diagram, with the number of open cases waiting at each step.
#[utoipa::path(get, operation_id = "process_graph", path = "/api/processes/{key}/graph", tag = "processes",
    security(("bearer" = [])),
    params(("key" = String, Path, description = "The process key"), GraphQuery),
    responses(
        (status = 200, body = String, content_type = "text/plain"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn graph(
    State(state): State<AppState>,
    Caller(user): Caller,
    Id(key): Id<String>,
    Params(query): Params<GraphQuery>,
) -> ApiResult<impl IntoResponse> {
    require(&user, Action::ReadProcesses)?;
    let format = match query.format.as_deref() {
        None | Some("mermaid") => DiagramFormat::Mermaid,
        Some("dot") => DiagramFormat::Dot,
        Some(_) => return Err(ApiError::bad_query("format", "use `dot` or `mermaid`")),
    };
    let (version, model) = match query.version {
        None => latest(&state, &key).await?,
        Some(v) => (v, state.runtime.model(&key, v).await?),
    };
    // A case can rest at several places of one step; it counts once there.
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for c in state.runtime.step_counts(&key, version).await? {
        if let Some(step) = c.step {
            let n = counts.entry(step).or_insert(0);
            *n = (*n).max(c.cases.max(0) as u64);
        }
    }
    let text = render(&model, format, &counts);
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
