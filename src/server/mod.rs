//! The HTTP API: routes, authentication, problems, logs and metrics around the runtime.
//!
//! [`app`] builds the whole router from an [`AppState`]; `zaak serve` binds it to a socket and
//! tests call it directly with `tower::ServiceExt::oneshot`. The OpenAPI document is collected
//! from the same route definitions that build the router, so the two cannot drift apart.

pub mod analytics;
pub mod auth;
mod cases;
pub mod error;
mod json;
pub mod metrics;
mod ops;
mod processes;
mod status;
mod tasks;
mod teams;
mod users;
mod views;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use error::ApiError;
use metrics::Metrics;
use std::sync::Arc;
use std::time::Instant;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use zaak_app::App;

/// What every request handler shares: the application layer, which every handler is a thin
/// adapter over, and the counters for `/metrics`.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(app: App) -> AppState {
        AppState {
            app,
            metrics: Arc::new(Metrics::default()),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zaak",
        description = "Case-oriented working for municipalities: processes, cases, team work queues and the citizen's status view."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "processes", description = "Deployed processes and their diagrams"),
        (name = "cases", description = "Cases: start, read, and commands"),
        (name = "tasks", description = "Team work queues and task actions"),
        (name = "citizen", description = "The initiator's status view, without login"),
        (name = "operations", description = "Health and metrics"),
        (name = "analytics", description = "Lead-time figures and event logs, for managers"),
        (name = "teams", description = "A team's members, their process roles, and how the team's new tasks are assigned"),
        (name = "users", description = "Who is calling")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A problem response with a description, for the statuses many operations share.
fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// What many operations can answer, said once here so that the handlers' lists hold what is
/// particular to them: 401 for every operation that needs a token; 400, 413 and 415 for every
/// operation with a body (malformed JSON, a body over the limit, another content type); 400 for
/// every operation with query parameters. Runs on the finished document, when every route is in.
fn add_common_responses(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    for item in openapi.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(description).into());
            };
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add("401", "No valid bearer token");
            }
            if op.request_body.is_some() {
                add("400", "The body is not valid JSON");
                add("413", "The body is larger than 2 MiB");
                add("415", "The body is not sent as application/json");
            }
            let has_query = op
                .parameters
                .as_ref()
                .is_some_and(|ps| ps.iter().any(|p| p.parameter_in == ParameterIn::Query));
            if has_query {
                add("400", "A query parameter cannot be read");
            }
        }
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(processes::list, processes::deploy))
        .routes(routes!(processes::show))
        .routes(routes!(processes::graph))
        .routes(routes!(cases::list, cases::start))
        .routes(routes!(cases::show))
        .routes(routes!(cases::events))
        .routes(routes!(cases::message))
        .routes(routes!(cases::suspend))
        .routes(routes!(cases::resume))
        .routes(routes!(cases::extend))
        .routes(routes!(cases::cancel))
        .routes(routes!(tasks::list))
        .routes(routes!(tasks::show))
        .routes(routes!(tasks::claim))
        .routes(routes!(tasks::release))
        .routes(routes!(tasks::assign))
        .routes(routes!(tasks::complete))
        .routes(routes!(status::show))
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::metrics))
        .routes(routes!(analytics::report))
        .routes(routes!(analytics::compare))
        .routes(routes!(analytics::export_xes))
        .routes(routes!(teams::show))
        .routes(routes!(teams::set_policy))
        .routes(routes!(teams::set_members))
        .routes(routes!(teams::put_member, teams::remove_member))
        .routes(routes!(users::me))
}

/// The OpenAPI document of every route [`app`] serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut spec = api_router().split_for_parts().1;
    add_common_responses(&mut spec);
    spec
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP API.
pub fn app(state: AppState) -> Router {
    let (router, mut spec) = api_router().split_for_parts();
    add_common_responses(&mut spec);
    let spec = Arc::new(spec.to_json().unwrap_or_default());
    let router = router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let spec = spec.clone();
                async move {
                    (
                        [(
                            axum::http::header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        )],
                        spec.as_str().to_owned(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::not_found("there is no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not answer this method",
            )
        })
        .layer(axum::middleware::from_fn_with_state(state.clone(), measure))
        .with_state(state);
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %loggable_path(req.uri().path()),
                        request_id = %id,
                        user = tracing::field::Empty,
                        case = tracing::field::Empty,
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The path as it may be logged: the citizen's token in a status path is a secret.
fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/api/status/") {
        Some(_) => "/api/status/{public_token}".to_string(),
        None => path.to_string(),
    }
}

/// Counts every response and its latency for `/metrics`.
async fn measure(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(req).await;
    state
        .metrics
        .response(response.status().as_u16(), started.elapsed());
    response.into_response()
}

/// Records the case a request is about in its log span.
pub(crate) fn log_case(reference: &str) {
    tracing::Span::current().record("case", reference);
}
