//! Who may do what: a table of route x user (role and teams) x expected status.
//!
//! The users (see `http_support`): wim worker/intake, wanda worker/backoffice, cor
//! coordinator/intake, dirk designer, mara manager, ada admin, jet worker/jeugd. Case V is a
//! public vergunning with an open task T for intake; case J is a confidential jeugdhulp case
//! with an open task JT for jeugd.

mod http_support;

use axum::http::{Method, StatusCode};
use http_support::{vergunning, Api};
use serde_json::{json, Value};

struct Fixture {
    api: Api,
    v: i64,
    t: i64,
    j: i64,
    jt: i64,
}

async fn fixture() -> Fixture {
    let api = Api::new().await;
    let (v, _) = api.start_vergunning().await;
    let t = api.task_at(v, "intake").await;
    let j = api
        .post("/api/cases", "jet", json!({"process": "jeugdhulp"}))
        .await;
    assert_eq!(j.status, StatusCode::CREATED, "{}", j.body);
    let j = j.body["id"].as_i64().unwrap();
    let jt = api.task_at(j, "beoordelen").await;
    Fixture { api, v, t, j, jt }
}

/// One row: method, path (with `{V}`, `{T}`, `{J}`, `{JT}`), body, user (`-` for no token,
/// `?` for a made-up token), expected status.
type Row = (&'static str, &'static str, Option<Value>, &'static str, u16);

fn rows() -> Vec<Row> {
    let deploy = json!({"source": vergunning(), "syntax": "yaml"});
    let start = json!({"process": "vergunning", "data": {"omschrijving": "Kermis"}});
    let reason = json!({"reason": "advies gevraagd"});
    let assign = json!({"user": "wim", "reason": "verdelen"});
    let message = json!({"name": "aanvulling"});
    vec![
        // Without a valid token nothing under /api opens.
        ("GET", "/api/processes", None, "-", 401),
        ("GET", "/api/processes", None, "?", 401),
        ("GET", "/api/cases", None, "-", 401),
        ("POST", "/api/cases", Some(start.clone()), "-", 401),
        ("GET", "/api/cases/{V}", None, "?", 401),
        ("GET", "/api/tasks", None, "-", 401),
        ("POST", "/api/tasks/{T}/claim", None, "-", 401),
        ("POST", "/api/processes", Some(deploy.clone()), "-", 401),
        // Everyone reads processes; designers and admins deploy.
        ("GET", "/api/processes", None, "wim", 200),
        ("GET", "/api/processes/vergunning", None, "mara", 200),
        ("GET", "/api/processes/vergunning/graph", None, "dirk", 200),
        ("POST", "/api/processes", Some(deploy.clone()), "dirk", 200),
        ("POST", "/api/processes", Some(deploy.clone()), "ada", 200),
        ("POST", "/api/processes", Some(deploy.clone()), "wim", 403),
        ("POST", "/api/processes", Some(deploy.clone()), "cor", 403),
        ("POST", "/api/processes", Some(deploy.clone()), "mara", 403),
        // Workers, coordinators and admins start cases.
        ("POST", "/api/cases", Some(start.clone()), "wim", 201),
        ("POST", "/api/cases", Some(start.clone()), "cor", 201),
        ("POST", "/api/cases", Some(start.clone()), "ada", 201),
        ("POST", "/api/cases", Some(start.clone()), "dirk", 403),
        ("POST", "/api/cases", Some(start.clone()), "mara", 403),
        // A public case is readable by every role.
        ("GET", "/api/cases/{V}", None, "wim", 200),
        ("GET", "/api/cases/{V}", None, "wanda", 200),
        ("GET", "/api/cases/{V}", None, "mara", 200),
        ("GET", "/api/cases/{V}/events", None, "dirk", 200),
        // A confidential case only by the teams involved and admins; to others it does not exist.
        ("GET", "/api/cases/{J}", None, "jet", 200),
        ("GET", "/api/cases/{J}", None, "ada", 200),
        ("GET", "/api/cases/{J}", None, "wim", 404),
        ("GET", "/api/cases/{J}", None, "mara", 404),
        ("GET", "/api/cases/{J}/events", None, "cor", 404),
        ("GET", "/api/cases/{J}/events", None, "jet", 200),
        (
            "POST",
            "/api/cases/{J}/cancel",
            Some(reason.clone()),
            "cor",
            404,
        ),
        // Commands: the teams involved; cancelling needs a coordinator.
        (
            "POST",
            "/api/cases/{V}/suspend",
            Some(reason.clone()),
            "wim",
            200,
        ),
        (
            "POST",
            "/api/cases/{V}/suspend",
            Some(reason.clone()),
            "cor",
            200,
        ),
        (
            "POST",
            "/api/cases/{V}/suspend",
            Some(reason.clone()),
            "ada",
            200,
        ),
        (
            "POST",
            "/api/cases/{V}/suspend",
            Some(reason.clone()),
            "wanda",
            403,
        ),
        (
            "POST",
            "/api/cases/{V}/suspend",
            Some(reason.clone()),
            "mara",
            403,
        ),
        (
            "POST",
            "/api/cases/{V}/suspend",
            Some(reason.clone()),
            "dirk",
            403,
        ),
        ("POST", "/api/cases/{V}/resume", None, "wanda", 403),
        (
            "POST",
            "/api/cases/{V}/extend",
            Some(json!({"reason": "complex", "duration": "2 weeks"})),
            "wim",
            200,
        ),
        (
            "POST",
            "/api/cases/{V}/extend",
            Some(json!({"reason": "complex", "duration": "2 weeks"})),
            "mara",
            403,
        ),
        // Allowed, but nobody waits for the message: the case refuses, not the authorisation.
        (
            "POST",
            "/api/cases/{V}/messages",
            Some(message.clone()),
            "wim",
            409,
        ),
        (
            "POST",
            "/api/cases/{V}/messages",
            Some(message.clone()),
            "wanda",
            403,
        ),
        (
            "POST",
            "/api/cases/{V}/cancel",
            Some(reason.clone()),
            "cor",
            200,
        ),
        (
            "POST",
            "/api/cases/{V}/cancel",
            Some(reason.clone()),
            "ada",
            200,
        ),
        (
            "POST",
            "/api/cases/{V}/cancel",
            Some(reason.clone()),
            "wim",
            403,
        ),
        (
            "POST",
            "/api/cases/{V}/cancel",
            Some(reason.clone()),
            "mara",
            403,
        ),
        // The worklist: own teams only; designers and managers work no tasks.
        ("GET", "/api/tasks", None, "wim", 200),
        ("GET", "/api/tasks", None, "cor", 200),
        ("GET", "/api/tasks?team=intake", None, "ada", 200),
        ("GET", "/api/tasks?team=backoffice", None, "wanda", 200),
        ("GET", "/api/tasks?team=backoffice", None, "wim", 403),
        ("GET", "/api/tasks", None, "mara", 403),
        ("GET", "/api/tasks", None, "dirk", 403),
        ("GET", "/api/tasks?state=claimed", None, "cor", 200),
        (
            "GET",
            "/api/tasks?state=claimed&team=backoffice",
            None,
            "cor",
            403,
        ),
        ("GET", "/api/tasks?state=claimed", None, "mara", 403),
        ("GET", "/api/tasks?assignee=wim", None, "cor", 200),
        ("GET", "/api/tasks?assignee=wim", None, "wanda", 403),
        ("GET", "/api/tasks/{T}", None, "wim", 200),
        ("GET", "/api/tasks/{T}", None, "cor", 200),
        ("GET", "/api/tasks/{T}", None, "ada", 200),
        // A task of another team answers as an unknown one: no existence oracle.
        ("GET", "/api/tasks/{T}", None, "wanda", 404),
        ("GET", "/api/tasks/{T}", None, "mara", 403),
        ("GET", "/api/tasks/{JT}", None, "wim", 404),
        ("GET", "/api/tasks/{JT}", None, "jet", 200),
        // Task actions.
        ("POST", "/api/tasks/{T}/claim", None, "wim", 200),
        ("POST", "/api/tasks/{T}/claim", None, "cor", 200),
        ("POST", "/api/tasks/{T}/claim", None, "ada", 200),
        ("POST", "/api/tasks/{T}/claim", None, "wanda", 404),
        ("POST", "/api/tasks/{T}/claim", None, "mara", 403),
        ("POST", "/api/tasks/{T}/claim", None, "dirk", 403),
        ("POST", "/api/tasks/{JT}/claim", None, "wim", 404),
        ("POST", "/api/tasks/{T}/release", None, "wanda", 404),
        (
            "POST",
            "/api/tasks/{T}/complete",
            Some(json!({"outcome": "compleet"})),
            "wanda",
            404,
        ),
        (
            "POST",
            "/api/tasks/{T}/assign",
            Some(assign.clone()),
            "cor",
            200,
        ),
        (
            "POST",
            "/api/tasks/{T}/assign",
            Some(assign.clone()),
            "ada",
            200,
        ),
        (
            "POST",
            "/api/tasks/{T}/assign",
            Some(assign.clone()),
            "wim",
            403,
        ),
        (
            "POST",
            "/api/tasks/{T}/assign",
            Some(assign.clone()),
            "wanda",
            403,
        ),
        (
            "POST",
            "/api/tasks/{T}/assign",
            Some(assign.clone()),
            "mara",
            403,
        ),
        (
            "POST",
            "/api/tasks/{JT}/assign",
            Some(assign.clone()),
            "cor",
            404,
        ),
        // The citizen view and health need no token; metrics are for administrators.
        ("GET", "/healthz", None, "-", 200),
        ("GET", "/metrics", None, "-", 401),
        ("GET", "/metrics", None, "mara", 403),
        ("GET", "/metrics", None, "ada", 200),
        ("GET", "/openapi.json", None, "-", 200),
    ]
}

#[tokio::test]
async fn every_role_and_team_gets_what_the_table_says() {
    let mut failures = Vec::new();
    for (method, template, body, user, expected) in rows() {
        // Every row on its own database, so that no row sees what another changed.
        let f = fixture().await;
        let path = template
            .replace("{JT}", &f.jt.to_string())
            .replace("{V}", &f.v.to_string())
            .replace("{T}", &f.t.to_string())
            .replace("{J}", &f.j.to_string());
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let answer = match user {
            "-" => f.api.call(method.clone(), &path, None, body).await,
            "?" => {
                let req = axum::http::Request::builder()
                    .method(method.clone())
                    .uri(&path)
                    .header("authorization", "Bearer zk_0000000000000000000000000000000000000000000000000000000000000000")
                    .body(axum::body::Body::empty())
                    .unwrap();
                f.api.send(req).await
            }
            u => f.api.call(method.clone(), &path, Some(u), body).await,
        };
        if answer.status.as_u16() != expected {
            failures.push(format!(
                "{method} {template} as {user}: expected {expected}, got {} {}",
                answer.status, answer.body
            ));
        }
        if answer.status == StatusCode::UNAUTHORIZED {
            assert_eq!(answer.headers["www-authenticate"], "Bearer");
            assert_eq!(answer.body["code"], "unauthorized");
        }
        if answer.status == StatusCode::FORBIDDEN {
            assert_eq!(answer.body["code"], "forbidden");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn lists_leave_out_confidential_cases_of_other_teams() {
    let f = fixture().await;
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let wim = f.api.get("/api/cases", "wim").await;
    assert_eq!(ids(&wim.body), [f.v]);
    let mara = f.api.get("/api/cases", "mara").await;
    assert_eq!(ids(&mara.body), [f.v]);
    let jet = f.api.get("/api/cases", "jet").await;
    assert_eq!(ids(&jet.body), [f.v, f.j]);
    let ada = f.api.get("/api/cases", "ada").await;
    assert_eq!(ids(&ada.body), [f.v, f.j]);
}

#[tokio::test]
async fn a_token_is_stored_only_as_its_hash() {
    let f = fixture().await;
    let token = f.api.token("wim").to_string();
    assert!(token.starts_with("zk_") && token.len() == 67, "{token}");
    let user = f.api.runtime().authenticate(&token).await.unwrap();
    assert_eq!(user.map(|u| u.name), Some("wim".to_string()));
    let hash = zaak_runtime::token_hash(&token);
    assert_ne!(hash, token);
    assert!(f.api.runtime().authenticate(&hash).await.unwrap().is_none());
    let added = f
        .api
        .runtime()
        .add_user(&zaak_runtime::NewUser {
            name: "wim".into(),
            role: zaak_runtime::UserRole::Admin,
            clearance: None,
            memberships: Vec::new(),
        })
        .await;
    assert!(added.is_err(), "a second user named wim is refused");
}

#[tokio::test]
async fn who_may_act_is_checked_before_the_body_is_read() {
    let f = fixture().await;
    let send = |path: String, user: &str| {
        let req = axum::http::Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("authorization", format!("Bearer {}", f.api.token(user)))
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{not json"))
            .unwrap();
        f.api.send(req)
    };
    let deploy = send("/api/processes".into(), "wim").await;
    assert_eq!(deploy.status, StatusCode::FORBIDDEN, "{}", deploy.body);
    let start = send("/api/cases".into(), "mara").await;
    assert_eq!(start.status, StatusCode::FORBIDDEN, "{}", start.body);
    let cancel = send(format!("/api/cases/{}/cancel", f.j), "cor").await;
    assert_eq!(cancel.status, StatusCode::NOT_FOUND, "{}", cancel.body);
    // A task of another team is unknown to the caller, whatever the body.
    let complete = send(format!("/api/tasks/{}/complete", f.t), "wanda").await;
    assert_eq!(complete.status, StatusCode::NOT_FOUND, "{}", complete.body);
    let allowed = send("/api/processes".into(), "dirk").await;
    assert_eq!(allowed.status, StatusCode::BAD_REQUEST, "{}", allowed.body);
}
