//! The analytics routes: who may read them, and what they answer.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use chrono::{Duration, TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use tower::ServiceExt;
use zaak::server::{app, AppState};
use zaak_runtime::analytics::{CaseHistory, TaskSpan};
use zaak_runtime::{Data, ManualClock, Runtime, RuntimeOptions, Syntax, UserRole};

/// A permit: intake judges it.
const VERGUNNING: &str = r#"
process: vergunning
version: 1
title: Vergunning
term:
  duration: 8 weeks
teams:
  - name: intake
statuses:
  - name: ontvangen
    citizen_text: Ontvangen
results:
  - name: verleend
    archive: destroy
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: intake
      status_on_start: ontvangen
      then: klaar
  - name: klaar
    end:
      result: verleend
"#;

struct Api {
    app: Router,
    runtime: Runtime,
    tokens: HashMap<&'static str, String>,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    content_type: String,
    text: String,
    body: Value,
}

impl Api {
    /// The API with vergunning deployed and a worker, a coordinator, a designer, a manager and
    /// an admin.
    async fn new() -> Api {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("zaak.db").display());
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        ));
        let runtime = Runtime::open(
            &url,
            RuntimeOptions {
                clock,
                ..RuntimeOptions::default()
            },
        )
        .await
        .unwrap();
        runtime
            .deploy(
                VERGUNNING,
                Syntax::Yaml,
                zaak_runtime::Redeploy::UnlessLatest,
            )
            .await
            .unwrap();
        let mut tokens = HashMap::new();
        for (name, role) in [
            ("wim", UserRole::Worker),
            ("cor", UserRole::Coordinator),
            ("dirk", UserRole::Designer),
            ("mara", UserRole::Manager),
            ("ada", UserRole::Admin),
        ] {
            let token = runtime
                .add_user(&zaak_runtime::NewUser {
                    name: name.to_string(),
                    role,
                    clearance: None,
                    memberships: vec![zaak_runtime::Membership {
                        team: "intake".into(),
                        roles: Vec::new(),
                        receives_work: true,
                    }],
                })
                .await
                .unwrap();
            tokens.insert(name, token);
        }
        Api {
            app: app(AppState::new(zaak_app::App::new(runtime.clone()))),
            runtime,
            tokens,
            _dir: dir,
        }
    }

    async fn get(&self, path: &str, user: Option<&str>) -> Answer {
        let mut req = Request::get(path);
        if let Some(u) = user {
            req = req.header("authorization", format!("Bearer {}", self.tokens[u]));
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            content_type,
            text,
            body,
        }
    }
}

fn assert_problem(a: &Answer, status: StatusCode, code: &str) {
    assert_eq!(a.status, status, "{}", a.text);
    assert!(
        a.content_type.starts_with("application/problem+json"),
        "{}",
        a.content_type
    );
    assert_eq!(a.body["code"], json!(code), "{}", a.text);
}

const ROUTES: [&str; 3] = [
    "/api/analytics/report?process=vergunning",
    "/api/analytics/compare?process=vergunning&before=0&after=1",
    "/api/export/xes?process=vergunning",
];

#[tokio::test]
async fn only_managers_and_admins_read_figures() {
    let api = Api::new().await;
    for path in ROUTES {
        let none = api.get(path, None).await;
        assert_problem(&none, StatusCode::UNAUTHORIZED, "unauthorized");
        for user in ["wim", "cor", "dirk"] {
            let a = api.get(path, Some(user)).await;
            assert_problem(&a, StatusCode::FORBIDDEN, "forbidden");
        }
        for user in ["mara", "ada"] {
            let a = api.get(path, Some(user)).await;
            assert_eq!(a.status, StatusCode::OK, "{path} as {user}: {}", a.body);
        }
    }
}

/// One imported case of vergunning: 4 days from start to end, one task that waited a day.
fn baseline() -> CaseHistory {
    let t0 = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 1, 6, 9, 0, 0).unwrap();
    CaseHistory {
        reference: "OUD-1".into(),
        process: "oud".into(),
        version: 0,
        started: t0,
        ended: Some(t0 + Duration::days(4)),
        result: None,
        deadline: None,
        target: None,
        suspensions: vec![],
        statuses: vec![],
        tasks: vec![TaskSpan {
            step: "beoordelen".into(),
            team: Some("intake".into()),
            worker: None,
            created: t0,
            claimed: Some(t0 + Duration::days(1)),
            completed: Some(t0 + Duration::days(2)),
        }],
        historical: true,
    }
}

#[tokio::test]
async fn a_manager_reads_figures_of_live_and_imported_cases() {
    let api = Api::new().await;
    api.runtime
        .start_case("vergunning", Data::new(), "wim", None)
        .await
        .unwrap();
    api.runtime
        .import_history("vergunning", vec![baseline()])
        .await
        .unwrap();

    let live = api
        .get(
            "/api/analytics/report?process=vergunning&version=1",
            Some("mara"),
        )
        .await;
    assert_eq!(live.status, StatusCode::OK, "{}", live.body);
    assert_eq!(
        (live.body["cases"].clone(), live.body["closed"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(live.body["open"]["open"], json!(1));

    let old = api
        .get(
            "/api/analytics/report?process=vergunning&version=0",
            Some("mara"),
        )
        .await;
    assert_eq!(old.body["closed"], json!(1));
    assert_eq!(old.body["lead_time"]["mean"], json!(4.0 * 86_400.0));

    let period = api
        .get(
            "/api/analytics/report?process=vergunning&from=2025-01-01&to=2025-01-09",
            Some("ada"),
        )
        .await;
    // The imported case was open in that period (6 to 10 January), the live one was not.
    assert_eq!(period.body["cases"], json!(1));
    // The day given as `to` is included: the period ends when 10 January begins in the
    // Netherlands.
    assert_eq!(period.body["filter"]["to"], json!("2025-01-09T23:00:00Z"));

    let both = api
        .get(
            "/api/analytics/compare?process=vergunning&before=0&after=1",
            Some("mara"),
        )
        .await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.body);
    assert_eq!(both.body["before"]["closed"], json!(1));
    assert_eq!(both.body["after"]["closed"], json!(0));
    assert!(both.body["comparison"]["changes"].is_array());

    let xes = api
        .get("/api/export/xes?process=vergunning", Some("mara"))
        .await;
    assert_eq!(xes.content_type, "application/xml");
    let text = xes.text;
    assert!(text.contains("<trace>"), "{text}");
    assert!(text.contains("OUD-1"), "{text}");
    let read = zaak_runtime::analytics::import(text.as_bytes()).unwrap();
    assert_eq!(read.cases.len(), 2);
}

#[tokio::test]
async fn a_bad_date_is_a_problem_about_the_query() {
    let api = Api::new().await;
    let a = api
        .get("/api/analytics/report?from=yesterday", Some("mara"))
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    let a = api
        .get(
            "/api/analytics/compare?process=vergunning&before=x&after=1",
            Some("mara"),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
}

#[tokio::test]
async fn the_openapi_document_lists_the_analytics_routes() {
    let spec = zaak::server::openapi();
    for path in [
        "/api/analytics/report",
        "/api/analytics/compare",
        "/api/export/xes",
    ] {
        let item = spec
            .paths
            .paths
            .get(path)
            .unwrap_or_else(|| panic!("{path}"));
        let get = item.get.as_ref().unwrap();
        for code in ["200", "401", "403"] {
            assert!(get.responses.responses.contains_key(code), "{path} {code}");
        }
    }
}
