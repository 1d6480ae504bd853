//! Errors are RFC 9457 problems with a stable code, and name the field that is wrong.

mod http_support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_support::{assert_problem, Api};
use serde_json::json;

async fn post_raw(api: &Api, path: &str, content_type: &str, body: &str) -> http_support::Answer {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("authorization", format!("Bearer {}", api.token("wim")))
        .header("content-type", content_type)
        .body(Body::from(body.to_string()))
        .unwrap();
    api.send(req).await
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let api = Api::new().await;
    for body in [
        "{",
        "{\"process\": }",
        "",
        "{\"process\": \"vergunning\"",
        "{} trailing",
    ] {
        let a = post_raw(&api, "/api/cases", "application/json", body).await;
        assert_problem(&a, StatusCode::BAD_REQUEST, "malformed_json");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let api = Api::new().await;
    let a = post_raw(&api, "/api/cases", "text/plain", "process=vergunning").await;
    assert_problem(
        &a,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );
}

#[tokio::test]
async fn unknown_missing_and_mistyped_fields_are_named() {
    let api = Api::new().await;
    let cases = [
        (
            json!({"process": "vergunning", "dta": {}}),
            "dta",
            "unknown field",
        ),
        (json!({"data": {}}), "process", "missing field"),
        (json!({"process": 7}), "process", "invalid type"),
        (
            json!({"process": "vergunning", "data": []}),
            "data",
            "invalid type",
        ),
        (json!([]), "", "expected"),
    ];
    for (body, field, words) in cases {
        let a = post_raw(&api, "/api/cases", "application/json", &body.to_string()).await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        if field.is_empty() {
            assert!(a.body.get("field").is_none(), "{}", a.body);
        } else {
            assert_eq!(a.body["field"], field, "{body}: {}", a.body);
        }
        let detail = a.body["detail"].as_str().unwrap();
        assert!(detail.contains(words), "{detail}");
        assert!(!detail.contains("line"), "no parser positions: {detail}");
    }
    let nested = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": "x", "syntax": "xml"}),
        )
        .await;
    assert_problem(&nested, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(nested.body["field"], "syntax");
    let (case, _) = api.start_vergunning().await;
    let task = api.task_at(case, "intake").await;
    let assign = api
        .post(
            &format!("/api/tasks/{task}/assign"),
            "cor",
            json!({"user": "wim", "reason": "x", "force": true}),
        )
        .await;
    assert_eq!(assign.body["field"], "force", "{}", assign.body);
}

#[tokio::test]
async fn a_conflict_is_409_and_an_unknown_case_404() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let task = api.task_at(id, "intake").await;
    let claim_path = format!("/api/tasks/{task}/claim");
    let claim = |who: &'static str| api.call(Method::POST, &claim_path, Some(who), None);
    assert_eq!(claim("wim").await.status, StatusCode::OK);
    let second = claim("cor").await;
    assert_problem(&second, StatusCode::CONFLICT, "conflict");
    let missing = api.get("/api/cases/424242", "ada").await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "unknown_case");
    let text = missing.body.to_string();
    for internal in ["sqlx", "SELECT", "sqlite", "panicked"] {
        assert!(!text.contains(internal), "{text}");
    }
}
