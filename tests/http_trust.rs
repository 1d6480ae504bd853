//! What users trust most, through the API: every deploy proves soundness, process roles are
//! enforced, values are read strictly, errors say what happened, and confidential cases never
//! show up where they may not, not even as a count.
//!
//! Users (see `http_support`): wim worker/intake, wanda worker/backoffice, cor
//! coordinator/intake, dirk designer, mara manager, ada admin, jet worker/jeugd. The process
//! `vergunning` is openbaar; `jeugdhulp` is vertrouwelijk, worked by team jeugd.

mod http_support;

use axum::http::{Method, StatusCode};
use http_support::{assert_problem, Api};
use serde_json::{json, Value};
use zaak_runtime::{Membership, NewUser, UserRole};

/// A process whose parallel branch is left behind when one branch ends the case: Z0401-class
/// findings, which `zaak check` reports.
const UNSOUND: &str = r#"
process: los_eind
version: 1
title: Los eind
teams:
  - name: intake
statuses:
  - name: ontvangen
    citizen_text: Ontvangen
start: splitsen
steps:
  - name: splitsen
    parallel:
      branches: [a, b]
  - name: a
    task:
      team: intake
      then: klaar
  - name: b
    task:
      team: intake
      then: klaar
  - name: klaar
    end: {}
"#;

#[tokio::test]
async fn an_unsound_process_is_refused_over_http_with_its_findings() {
    let api = Api::new().await;
    let a = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": UNSOUND, "syntax": "yaml"}),
        )
        .await;
    assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "invalid_process");
    let findings = a.body["diagnostics"].as_array().expect("diagnostics");
    assert!(
        findings
            .iter()
            .any(|d| d["code"].as_str().is_some_and(|c| c.starts_with("Z04"))),
        "{}",
        a.body
    );
    assert!(findings.iter().all(|d| d["line"].as_u64().unwrap() > 0));
    let listed = api.get("/api/processes", "dirk").await;
    assert!(
        !listed.body.to_string().contains("los_eind"),
        "nothing was deployed"
    );
}

async fn start_jeugd(api: &Api, user: &str) -> (i64, i64) {
    let a = api
        .post("/api/cases", user, json!({"process": "jeugdhulp"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();
    (id, api.task_at(id, "beoordelen").await)
}

/// A team with a process role: only members who hold it take the task, the queue says why the
/// others may not, and a coordinator manages the roles of their own team only.
#[tokio::test]
async fn process_roles_decide_who_holds_a_task() {
    let mut api = Api::new().await;
    let source = http_support::vergunning_with(|model| {
        model.roles.push(zaak_dsl::Role {
            name: zaak_dsl::Name::new("beslisser"),
            label: None,
            span: Default::default(),
        });
        let step = model
            .steps
            .iter_mut()
            .find(|s| s.name.name == "beoordelen")
            .unwrap();
        if let zaak_dsl::StepKind::Task(t) = &mut step.kind {
            t.role = Some(zaak_dsl::Name::new("beslisser"));
        }
    });
    let d = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": source, "syntax": "yaml"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    api.add_user("bob", UserRole::Coordinator, &["backoffice"])
        .await;
    let (id, _) = api.start_vergunning().await;
    let intake = api.task_at(id, "intake").await;
    api.work(intake, "wim", "compleet", json!({})).await;
    let task = api.task_at(id, "beoordelen").await;

    let queue = api.get("/api/tasks?team=backoffice", "wanda").await;
    let item = &queue.body[0];
    assert_eq!(item["id"], task);
    assert_eq!(item["role"], "beslisser");
    assert!(
        item["not_yours"].as_str().unwrap().contains("beslisser"),
        "{item}"
    );
    let refused = api
        .call(
            Method::POST,
            &format!("/api/tasks/{task}/claim"),
            Some("wanda"),
            None,
        )
        .await;
    assert_problem(&refused, StatusCode::FORBIDDEN, "not_eligible");
    let assigned = api
        .post(
            &format!("/api/tasks/{task}/assign"),
            "bob",
            json!({"user": "wanda", "reason": "mandaat ontbreekt"}),
        )
        .await;
    assert_problem(&assigned, StatusCode::UNPROCESSABLE_ENTITY, "not_eligible");

    // Intake's coordinator may not hand out backoffice's mandates; backoffice's may.
    let path = "/api/teams/backoffice/members/wanda";
    let grant = json!({"roles": ["beslisser"]});
    let other = api
        .call(Method::PUT, path, Some("cor"), Some(grant.clone()))
        .await;
    assert_problem(&other, StatusCode::FORBIDDEN, "forbidden");
    let granted = api.call(Method::PUT, path, Some("bob"), Some(grant)).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    let wanda = granted.body["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "wanda")
        .cloned()
        .unwrap();
    assert_eq!(wanda["roles"], json!(["beslisser"]));
    let me = api.get("/api/me", "wanda").await;
    assert_eq!(
        me.body["teams"],
        json!([{"team": "backoffice", "roles": ["beslisser"], "receives_work": true}])
    );

    let queue = api.get("/api/tasks?team=backoffice", "wanda").await;
    assert_eq!(queue.body[0]["not_yours"], Value::Null);
    let done = api
        .work(
            task,
            "wanda",
            "verlenen",
            json!({"interne_notitie": "akkoord"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["result"], "verleend");

    // Taking someone out of the team takes their roles with them.
    let gone = api.call(Method::DELETE, path, Some("bob"), None).await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    let me = api.get("/api/me", "wanda").await;
    assert_eq!(me.body["teams"], json!([]));
    let again = api.call(Method::DELETE, path, Some("bob"), None).await;
    assert_problem(&again, StatusCode::NOT_FOUND, "unknown_member");
}

#[tokio::test]
async fn dates_and_numbers_are_read_strictly_and_nothing_is_stored_on_a_mistake() {
    let api = Api::new().await;
    let big = api
        .call(Method::POST, "/api/cases", Some("wim"), None)
        .await;
    assert_eq!(big.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Sent as text, so that no JSON library in the test rounds the number first.
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/cases")
        .header("authorization", format!("Bearer {}", api.token("wim")))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            r#"{"process": "vergunning", "data": {"omschrijving": "Markt", "bezoekers": 99999999999999999999999999}}"#,
        ))
        .unwrap();
    let big = api.send(req).await;
    assert_problem(&big, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(big.body["field"], "data.bezoekers");
    let listed = api.get("/api/cases", "ada").await;
    assert_eq!(listed.body, json!([]), "nothing stored");

    // A date field takes YYYY-MM-DD only; the engine decides, naming the field.
    let source = http_support::vergunning_with(|model| {
        model.data.push(zaak_dsl::DataField {
            name: zaak_dsl::Name::new("datum"),
            ty: zaak_dsl::DataType::Date,
            label: None,
            required: false,
            citizen: false,
            span: Default::default(),
        });
    });
    let d = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": source, "syntax": "yaml"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    for bad in ["2024-1-5", " 2024-01-05", "2023-02-29"] {
        let a = api
            .post(
                "/api/cases",
                "wim",
                json!({"process": "vergunning", "data": {"omschrijving": "Markt", "datum": bad}}),
            )
            .await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert_eq!(a.body["field"], "data.datum", "{bad}");
    }
    let good = api
        .post(
            "/api/cases",
            "wim",
            json!({"process": "vergunning", "data": {"omschrijving": "Markt", "datum": "2024-01-05", "bezoekers": 12.5}}),
        )
        .await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
}

#[tokio::test]
async fn refusals_say_what_happened() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    // Nobody waits for the message: the case is not in a state for it.
    let waiting = api
        .post(
            &format!("/api/cases/{id}/messages"),
            "wim",
            json!({"name": "aanvulling"}),
        )
        .await;
    assert_problem(&waiting, StatusCode::CONFLICT, "rejected");
    // An extension longer than the process allows is the caller's value.
    let long = api
        .post(
            &format!("/api/cases/{id}/extend"),
            "wim",
            json!({"reason": "complex", "duration": "10 weeks"}),
        )
        .await;
    assert_problem(&long, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(long.body["field"], "duration");
    // A case can be named by its reference too.
    let shown = api.get(&format!("/api/cases/{id}"), "wim").await;
    let reference = shown.body["reference"].as_str().unwrap().to_string();
    let by_ref = api.get(&format!("/api/cases/{reference}"), "wim").await;
    assert_eq!(by_ref.body["id"], id);
    // A task done twice is a conflict.
    let task = api.task_at(id, "intake").await;
    api.work(task, "wim", "compleet", json!({})).await;
    let twice = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "wim",
            json!({"outcome": "compleet"}),
        )
        .await;
    assert_problem(&twice, StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn an_idempotency_key_replays_its_own_request_and_refuses_another() {
    let api = Api::new().await;
    let send = |body: Value| {
        let req = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/api/cases")
            .header("authorization", format!("Bearer {}", api.token("wim")))
            .header("content-type", "application/json")
            .header("idempotency-key", "formulier-17")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        api.send(req)
    };
    let body = json!({"process": "vergunning", "data": {"omschrijving": "Markt"}});
    let first = send(body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = send(body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let other = send(json!({"process": "vergunning", "data": {"omschrijving": "Kermis"}})).await;
    assert_problem(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    );
    assert_eq!(other.body["field"], "Idempotency-Key");
}

/// A worker who starts a confidential case for another team (a front desk registering it)
/// sees it afterwards; other workers do not, not even in lists and counts.
#[tokio::test]
async fn who_started_a_confidential_case_sees_it_and_others_do_not() {
    let api = Api::new().await;
    let (id, _) = start_jeugd(&api, "wim").await;
    let shown = api.get(&format!("/api/cases/{id}"), "wim").await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(shown.body["started_by"], "wim");
    assert_eq!(shown.body["confidentiality"], "vertrouwelijk");
    let hidden = api.get(&format!("/api/cases/{id}"), "wanda").await;
    assert_problem(&hidden, StatusCode::NOT_FOUND, "unknown_case");
    let events = api.get(&format!("/api/cases/{id}/events"), "wanda").await;
    assert_problem(&events, StatusCode::NOT_FOUND, "unknown_case");
    let graph = api
        .get("/api/processes/jeugdhulp/graph", "wanda")
        .await
        .text();
    assert!(
        !graph.contains("open)"),
        "no count of a hidden case: {graph}"
    );
    let graph = api
        .get("/api/processes/jeugdhulp/graph", "jet")
        .await
        .text();
    assert!(graph.contains("(1 open)"), "{graph}");
}

/// Hidden cases are left out before paging: each page holds the next visible cases, without
/// gaps and without empty pages in between.
#[tokio::test]
async fn paging_never_skips_or_hides_a_visible_case() {
    let api = Api::new().await;
    let mut visible = Vec::new();
    for _ in 0..3 {
        start_jeugd(&api, "jet").await;
        visible.push(api.start_vergunning().await.0);
        start_jeugd(&api, "jet").await;
    }
    let mut seen = Vec::new();
    for offset in 0..4 {
        let page = api
            .get(&format!("/api/cases?limit=1&offset={offset}"), "wanda")
            .await;
        let ids: Vec<i64> = page
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        seen.extend(ids);
    }
    assert_eq!(seen, visible);
    let too_far = api.get("/api/cases?offset=2147483648", "wanda").await;
    assert_problem(&too_far, StatusCode::BAD_REQUEST, "invalid_query");
    let too_many = api.get("/api/cases?limit=201", "wanda").await;
    assert_problem(&too_many, StatusCode::BAD_REQUEST, "invalid_query");
}

/// Figures count only the cases within the reader's clearance: a manager with the default
/// clearance (`intern`) counts no vertrouwelijk case; one cleared for them does.
#[tokio::test]
async fn figures_count_only_cases_within_the_readers_clearance() {
    let mut api = Api::new().await;
    start_jeugd(&api, "jet").await;
    start_jeugd(&api, "jet").await;
    let token = api
        .runtime()
        .add_user(&NewUser {
            name: "mia".into(),
            role: UserRole::Manager,
            clearance: Some(zaak_dsl::Confidentiality::Vertrouwelijk),
            memberships: vec![Membership {
                team: "staf".into(),
                roles: vec![],
                receives_work: false,
            }],
        })
        .await
        .unwrap();
    api.add_token("mia", token);
    let count = |user: &'static str| {
        let api = &api;
        async move {
            let r = api
                .get("/api/analytics/report?process=jeugdhulp", user)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body["cases"].as_u64().unwrap()
        }
    };
    assert_eq!(count("mara").await, 0);
    assert_eq!(count("mia").await, 2);
    assert_eq!(count("ada").await, 2);
    let xes = api
        .get("/api/export/xes?process=jeugdhulp", "mara")
        .await
        .text();
    assert!(!xes.contains("<trace>"), "{xes}");
    let me = api.get("/api/me", "mia").await;
    assert_eq!(me.body["clearance"], "vertrouwelijk");
}
