//! What the server logs: each request with its id, user and case reference; never a token;
//! and a caller's mistake never as a server error.

mod http_support;

use axum::http::{Method, Request, StatusCode};
use http_support::Api;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Log output collected in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn requests_are_logged_with_id_user_and_case_but_no_secrets_or_false_alarms() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    // The test runs on one thread, so the subscriber sees every request of it.
    let _guard = tracing::subscriber::set_default(subscriber);

    let api = Api::new().await;
    let (id, public_token) = api.start_vergunning().await;
    let shown = api.get(&format!("/api/cases/{id}"), "wim").await;
    let reference = shown.body["reference"].as_str().unwrap().to_string();

    // Mistakes of callers, of every kind.
    let bad_token = Request::builder()
        .uri("/api/cases")
        .header("authorization", "Bearer zk_geheim_en_fout")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(api.send(bad_token).await.status, StatusCode::UNAUTHORIZED);
    let malformed = Request::builder()
        .method(Method::POST)
        .uri("/api/cases")
        .header("authorization", format!("Bearer {}", api.token("wim")))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"process\": <script>"))
        .unwrap();
    assert_eq!(api.send(malformed).await.status, StatusCode::BAD_REQUEST);
    let invalid = api
        .post(
            "/api/cases",
            "wim",
            json!({"process": "vergunning", "data": {"x": "<script>"}}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forbidden = api.post("/api/processes", "wim", json!({})).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let missing = api.get("/api/cases/99999", "wim").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let citizen = api
        .call(
            Method::GET,
            &format!("/api/status/{public_token}"),
            None,
            None,
        )
        .await;
    assert_eq!(citizen.status, StatusCode::OK);

    let text = logs.text();
    assert!(text.contains("request_id="), "{text}");
    assert!(text.contains("user=\"wim\""), "{text}");
    assert!(text.contains(&format!("case=\"{reference}\"")), "{text}");
    assert!(text.contains("status=422"), "{text}");
    assert!(
        !text.contains("ERROR"),
        "a caller's mistake is no server error:\n{text}"
    );
    for secret in [
        api.token("wim"),
        api.token("ada"),
        "zk_geheim_en_fout",
        public_token.as_str(),
    ] {
        assert!(!text.contains(secret), "a secret in the log:\n{text}");
    }
    assert!(
        !text.contains("<script>"),
        "no request bodies in the log:\n{text}"
    );
}
