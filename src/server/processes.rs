//! Deployed processes: list, deploy, read, draw.

use super::auth::Caller;
use super::error::{ApiError, ApiResult, Problem};
use super::json::Body;
use super::json::{Id, Params};
use super::views::*;
use super::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use zaak_app::DiagramQuery;
use zaak_dsl::{SourceFile, Syntax};
use zaak_engine::diagram::DiagramFormat;

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
    let processes = state.app.processes(&user).await?;
    Ok(Json(
        processes
            .into_iter()
            .map(|p| ProcessSummary {
                key: p.key,
                title: p.model.title,
                latest_version: p.latest_version,
                confidentiality: p.model.confidentiality.as_str().to_string(),
            })
            .collect(),
    ))
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
    zaak_app::policy::require(&user, zaak_app::policy::Action::Deploy)?;
    let req: DeployRequest = body.read()?;
    let (syntax, name) = match req.syntax {
        SourceSyntax::Text => (Syntax::Text, "process.zaak"),
        SourceSyntax::Yaml => (Syntax::Yaml, "process.yaml"),
    };
    match state.app.deploy(&user, &req.source, syntax).await {
        Ok(d) => {
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
        Err(e) if !e.diagnostics.is_empty() => {
            // The findings with line and column in the source as it was sent.
            let file = SourceFile::new(name, req.source.clone());
            let json = e.diagnostics.iter().map(|d| file.to_json(d)).collect();
            Err(ApiError::from(e).with_diagnostics(json))
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
    let p = state.app.process(&user, &key).await?;
    let model = &p.model;
    Ok(Json(ProcessDetail {
        key,
        title: model.title.clone(),
        description: model.description.clone(),
        confidentiality: model.confidentiality.as_str().to_string(),
        current_version: p.current_version,
        versions: p
            .versions
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
    let format = match query.format {
        None | Some(GraphFormat::Mermaid) => DiagramFormat::Mermaid,
        Some(GraphFormat::Dot) => DiagramFormat::Dot,
    };
    let text = state
        .app
        .diagram(
            &user,
            &key,
            DiagramQuery {
                format,
                version: query.version,
            },
        )
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
