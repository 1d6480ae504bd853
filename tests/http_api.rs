//! Every route of the API, through `app(state).oneshot(...)` on a fresh SQLite database.

mod http_support;

use axum::http::{Method, Request, StatusCode};
use http_support::{assert_problem, vergunning, Api};
use serde_json::{json, Value};

#[tokio::test]
async fn processes_are_listed_with_their_latest_version() {
    let api = Api::new().await;
    let a = api.get("/api/processes", "wim").await;
    assert_eq!(a.status, StatusCode::OK);
    let keys: Vec<&str> = a
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["jeugdhulp", "vergunning"]);
    assert_eq!(a.body[1]["latest_version"], 1);
    assert_eq!(a.body[0]["confidentiality"], "vertrouwelijk");
}

#[tokio::test]
async fn a_process_shows_its_versions_and_the_fields_to_start_a_case() {
    let api = Api::new().await;
    let a = api.get("/api/processes/vergunning", "mara").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["current_version"], 1);
    assert_eq!(a.body["versions"].as_array().unwrap().len(), 1);
    let fields = &a.body["start_fields"];
    assert_eq!(
        fields[0],
        json!({"name": "omschrijving", "type": "text", "required": true})
    );
    assert_eq!(fields[1]["type"], "number");
    assert_eq!(fields[1]["required"], false);
    assert_eq!(fields[2]["allowed_values"], json!(["markt", "optocht"]));
    assert_eq!(a.body["messages"], json!(["aanvulling"]));

    let missing = api.get("/api/processes/bestaat_niet", "mara").await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "unknown_process");
}

#[tokio::test]
async fn deploying_changed_source_adds_a_version_and_the_same_source_does_not() {
    let api = Api::new().await;
    let same = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": vergunning(), "syntax": "yaml"}),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert_eq!(
        same.body,
        json!({"key": "vergunning", "version": 1, "created": false})
    );

    let changed = vergunning().replace("Vergunning kleine evenementen", "Evenementenvergunning");
    let new = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": changed, "syntax": "yaml"}),
        )
        .await;
    assert_eq!(new.status, StatusCode::CREATED, "{}", new.body);
    assert_eq!(new.body["version"], 2);
    let shown = api.get("/api/processes/vergunning", "dirk").await;
    assert_eq!(shown.body["current_version"], 2);
    assert_eq!(shown.body["title"], "Evenementenvergunning");
    assert_eq!(shown.body["versions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_process_with_errors_is_refused_with_its_diagnostics() {
    let api = Api::new().await;
    let a = api
        .post(
            "/api/processes",
            "dirk",
            json!({"source": "process: kapot\nsteps: 12\n", "syntax": "yaml"}),
        )
        .await;
    assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "invalid_process");
    let diags = a.body["diagnostics"].as_array().expect("diagnostics");
    assert!(!diags.is_empty());
    assert!(diags[0]["line"].as_u64().is_some(), "{}", a.body);
    assert!(diags[0]["message"].as_str().is_some(), "{}", a.body);
    let list = api.get("/api/processes", "dirk").await;
    assert_eq!(
        list.body.as_array().unwrap().len(),
        2,
        "nothing was deployed"
    );
}

#[tokio::test]
async fn the_graph_counts_the_cases_waiting_at_each_step() {
    let api = Api::new().await;
    api.start_vergunning().await;
    api.start_vergunning().await;
    let a = api
        .get("/api/processes/vergunning/graph?format=dot", "mara")
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.content_type().starts_with("text/plain"));
    let text = a.text();
    assert!(text.contains("digraph"), "{text}");
    assert!(
        text.contains('2'),
        "the two cases at intake are counted: {text}"
    );

    let mermaid = api.get("/api/processes/vergunning/graph", "mara").await;
    assert!(mermaid.text().contains("flowchart"), "{}", mermaid.text());

    let bad = api
        .get("/api/processes/vergunning/graph?format=png", "mara")
        .await;
    assert_problem(&bad, StatusCode::BAD_REQUEST, "invalid_query");
    assert_eq!(bad.body["field"], "format");
}

#[tokio::test]
async fn a_started_case_has_a_reference_a_public_token_and_a_first_task() {
    let api = Api::new().await;
    let (id, token) = api.start_vergunning().await;
    assert!(token.len() >= 20, "an unguessable token: {token}");
    let a = api.get(&format!("/api/cases/{id}"), "wim").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body["reference"].as_str().unwrap().starts_with("ZAAK-"));
    assert_eq!(a.body["process"], "vergunning");
    assert_eq!(a.body["status"], "ontvangen");
    assert_eq!(a.body["open"], true);
    assert_eq!(a.body["data"]["omschrijving"], "Braderie");
    assert_eq!(a.body["term"]["deadline"], "2026-04-28");
    assert!(a.body["term"]["target"].is_string());
    assert_eq!(a.body["tokens"], json!([{"node": "intake", "count": 1}]));
    let tasks = a.body["open_tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["team"], "intake");
    assert_eq!(tasks[0]["state"], "open");
    assert!(
        a.body.get("public_token").is_none(),
        "the case view does not repeat the citizen's token"
    );
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retry_return_the_same_case() {
    let api = Api::new().await;
    let start = || {
        Request::builder()
            .method(Method::POST)
            .uri("/api/cases")
            .header("authorization", format!("Bearer {}", api.token("wim")))
            .header("content-type", "application/json")
            .header("idempotency-key", "formulier-4711")
            .body(axum::body::Body::from(
                json!({"process": "vergunning", "data": {"omschrijving": "Markt"}}).to_string(),
            ))
            .unwrap()
    };
    let first = api.send(start()).await;
    let second = api.send(start()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(first.body, second.body);
    assert!(first.headers.get("idempotent-replayed").is_none());
    assert_eq!(second.headers["idempotent-replayed"], "true");
    let list = api.get("/api/cases", "ada").await;
    assert_eq!(list.body.as_array().unwrap().len(), 1, "one case, not two");

    let other = api.start_vergunning().await;
    assert_ne!(Some(other.0), first.body["id"].as_i64());

    // Keys belong to their caller: another intake system picking the same key gets its own case.
    let by_cor = Request::builder()
        .method(Method::POST)
        .uri("/api/cases")
        .header("authorization", format!("Bearer {}", api.token("cor")))
        .header("content-type", "application/json")
        .header("idempotency-key", "formulier-4711")
        .body(axum::body::Body::from(
            json!({"process": "vergunning", "data": {"omschrijving": "Markt"}}).to_string(),
        ))
        .unwrap();
    let theirs = api.send(by_cor).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["id"], first.body["id"]);
}

#[tokio::test]
async fn case_data_is_checked_against_the_process_fields() {
    let api = Api::new().await;
    let cases = [
        (
            json!({"process": "vergunning", "data": {}}),
            "data.omschrijving",
        ),
        (
            json!({"process": "vergunning", "data": {"omschrijving": 12}}),
            "data.omschrijving",
        ),
        (
            json!({"process": "vergunning", "data": {"omschrijving": "x", "geheim": 1}}),
            "data.geheim",
        ),
        (
            json!({"process": "vergunning", "data": {"omschrijving": "x", "soort": "kermis"}}),
            "data.soort",
        ),
        (json!({"process": "onbekend", "data": {}}), "process"),
    ];
    for (body, field) in cases {
        let a = api.post("/api/cases", "wim", body.clone()).await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
        assert_eq!(a.body["field"], field, "{body}: {}", a.body);
    }
}

#[tokio::test]
async fn cases_are_listed_by_process_status_and_openness_a_page_at_a_time() {
    let api = Api::new().await;
    let (a, _) = api.start_vergunning().await;
    let (b, _) = api.start_vergunning().await;
    let (c, _) = api.start_vergunning().await;
    let cancel = api
        .post(
            &format!("/api/cases/{b}/cancel"),
            "cor",
            json!({"reason": "dubbel ingediend"}),
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);

    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let all = api.get("/api/cases?process=vergunning", "mara").await;
    assert_eq!(ids(&all.body), [a, b, c]);
    let open = api.get("/api/cases?open=true", "mara").await;
    assert_eq!(ids(&open.body), [a, c]);
    let closed = api.get("/api/cases?open=false", "mara").await;
    assert_eq!(ids(&closed.body), [b]);
    let page = api.get("/api/cases?limit=1&offset=1", "mara").await;
    assert_eq!(ids(&page.body), [b]);
    let status = api
        .get("/api/cases?status=ontvangen&open=true", "mara")
        .await;
    assert_eq!(ids(&status.body), [a, c]);
    let bad = api.get("/api/cases?open=misschien", "mara").await;
    assert_problem(&bad, StatusCode::BAD_REQUEST, "invalid_query");
}

#[tokio::test]
async fn the_history_lists_what_happened_in_order() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let task = api.task_at(id, "intake").await;
    api.work(task, "wim", "compleet", json!({})).await;
    let a = api.get(&format!("/api/cases/{id}/events"), "wim").await;
    assert_eq!(a.status, StatusCode::OK);
    let events = a.body.as_array().unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    let mut sorted = seqs.clone();
    sorted.sort();
    assert_eq!(seqs, sorted);
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"start"), "{kinds:?}");
    assert!(kinds.contains(&"task_claimed"), "{kinds:?}");
    assert!(events.iter().any(|e| e["actor"] == "wim"));
}

#[tokio::test]
async fn a_message_moves_a_waiting_case_on() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let task = api.task_at(id, "intake").await;
    let done = api.work(task, "wim", "onvolledig", json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let unknown = api
        .post(
            &format!("/api/cases/{id}/messages"),
            "wim",
            json!({"name": "telefoontje"}),
        )
        .await;
    assert_problem(&unknown, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(unknown.body["field"], "name");

    let a = api
        .post(
            &format!("/api/cases/{id}/messages"),
            "wim",
            json!({"name": "aanvulling", "data": {"bezoekers": 500}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["status"], "in_behandeling");
    let again = api
        .post(
            &format!("/api/cases/{id}/messages"),
            "wim",
            json!({"name": "aanvulling"}),
        )
        .await;
    assert_problem(&again, StatusCode::CONFLICT, "rejected");
    api.task_at(id, "beoordelen").await;
}

#[tokio::test]
async fn suspension_resumption_and_extension_move_the_deadline() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let path = |what: &str| format!("/api/cases/{id}/{what}");
    let s = api
        .post(
            &path("suspend"),
            "wim",
            json!({"reason": "wachten op advies brandweer"}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let twice = api
        .post(&path("suspend"), "wim", json!({"reason": "nog eens"}))
        .await;
    assert_problem(&twice, StatusCode::CONFLICT, "rejected");

    api.clock.advance(chrono::Duration::days(10));
    let r = api
        .call(Method::POST, &path("resume"), Some("wim"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let case = api.get(&format!("/api/cases/{id}"), "wim").await;
    assert_eq!(case.body["term"]["original_deadline"], "2026-04-28");
    assert_eq!(
        case.body["term"]["deadline"], "2026-05-07",
        "{}",
        case.body["term"]
    );
    assert_eq!(
        case.body["term"]["suspensions"][0]["reason"],
        "wachten op advies brandweer"
    );

    let bad = api
        .post(
            &path("extend"),
            "wim",
            json!({"reason": "complex", "duration": "een poosje"}),
        )
        .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(bad.body["field"], "duration");
    let e = api
        .post(
            &path("extend"),
            "wim",
            json!({"reason": "complex", "duration": "6 weeks"}),
        )
        .await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.body);
    let case = api.get(&format!("/api/cases/{id}"), "wim").await;
    assert_eq!(case.body["term"]["extension"]["duration"], "6 weeks");
    assert_eq!(
        case.body["term"]["deadline"], "2026-06-18",
        "{}",
        case.body["term"]
    );
    let empty = api
        .post(&path("cancel"), "cor", json!({"reason": "  "}))
        .await;
    assert_problem(&empty, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(empty.body["field"], "reason");
}

#[tokio::test]
async fn a_cancelled_case_is_closed_and_its_tasks_leave_the_queue() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let a = api
        .post(
            &format!("/api/cases/{id}/cancel"),
            "cor",
            json!({"reason": "ingetrokken"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["open"], false);
    let queue = api.get("/api/tasks", "wim").await;
    assert_eq!(queue.body, json!([]));
    let again = api
        .post(
            &format!("/api/cases/{id}/cancel"),
            "cor",
            json!({"reason": "nogmaals"}),
        )
        .await;
    assert_problem(&again, StatusCode::CONFLICT, "rejected");
}

#[tokio::test]
async fn the_worklist_shows_the_teams_queue_and_my_tasks() {
    let api = Api::new().await;
    let (a, _) = api.start_vergunning().await;
    let (b, _) = api.start_vergunning().await;
    let queue = api.get("/api/tasks", "wim").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let cases: Vec<i64> = queue
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["case_id"].as_i64().unwrap())
        .collect();
    assert_eq!(cases, [a, b], "queue order: same deadline, older first");
    let first = queue.body[0]["id"].as_i64().unwrap();

    let claimed = api
        .call(
            Method::POST,
            &format!("/api/tasks/{first}/claim"),
            Some("wim"),
            None,
        )
        .await;
    assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.body);
    assert_eq!(claimed.body["assignee"], "wim");
    assert_eq!(claimed.body["state"], "claimed");

    let mine = api.get("/api/tasks?assignee=me", "wim").await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(mine.body[0]["id"], first);
    let queue = api.get("/api/tasks?team=intake&state=open", "wim").await;
    assert_eq!(queue.body.as_array().unwrap().len(), 1);
    let backoffice = api.get("/api/tasks", "wanda").await;
    assert_eq!(backoffice.body, json!([]));
    let held = api.get("/api/tasks?state=claimed", "cor").await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.body);
    assert_eq!(held.body.as_array().unwrap().len(), 1, "{}", held.body);
    assert_eq!(held.body[0]["assignee"], "wim", "who works on what");
    let held_elsewhere = api.get("/api/tasks?state=claimed", "wanda").await;
    assert_eq!(held_elsewhere.body, json!([]));
    let bad = api.get("/api/tasks?state=done", "wim").await;
    assert_problem(&bad, StatusCode::BAD_REQUEST, "invalid_query");
}

#[tokio::test]
async fn a_task_shows_its_outcomes_and_form_fields() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let intake = api.task_at(id, "intake").await;
    api.work(intake, "wim", "compleet", json!({})).await;
    let task = api.task_at(id, "beoordelen").await;
    let a = api.get(&format!("/api/tasks/{task}"), "wanda").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["team"], "backoffice");
    assert!(a.body["case_reference"]
        .as_str()
        .unwrap()
        .starts_with("ZAAK-"));
    let outcomes: Vec<&str> = a.body["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["verlenen", "weigeren"]);
    assert_eq!(
        a.body["fields"],
        json!([{"name": "interne_notitie", "type": "text", "required": false}])
    );
    let missing = api.get("/api/tasks/999999", "ada").await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "unknown_task");
    let not_a_number = api.get("/api/tasks/abc", "ada").await;
    assert_problem(&not_a_number, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn claim_release_and_complete_guard_who_holds_the_task() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let task = api.task_at(id, "intake").await;
    let claim_path = format!("/api/tasks/{task}/claim");
    let release_path = format!("/api/tasks/{task}/release");
    let claim = |user: &'static str| api.call(Method::POST, &claim_path, Some(user), None);
    let release = |user: &'static str| api.call(Method::POST, &release_path, Some(user), None);
    let not_claimed = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "wim",
            json!({"outcome": "compleet"}),
        )
        .await;
    assert_problem(&not_claimed, StatusCode::CONFLICT, "conflict");

    assert_eq!(claim("wim").await.status, StatusCode::OK);
    assert_problem(&claim("cor").await, StatusCode::CONFLICT, "conflict");
    assert_problem(&release("cor").await, StatusCode::CONFLICT, "conflict");
    let by_other = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "cor",
            json!({"outcome": "compleet"}),
        )
        .await;
    assert_problem(&by_other, StatusCode::CONFLICT, "conflict");

    let r = release("wim").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["state"], "open");
    assert_eq!(r.body["assignee"], Value::Null);

    assert_eq!(claim("cor").await.status, StatusCode::OK);
    let no_outcome = api
        .post(&format!("/api/tasks/{task}/complete"), "cor", json!({}))
        .await;
    assert_problem(
        &no_outcome,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert_eq!(no_outcome.body["field"], "outcome");
    let wrong = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "cor",
            json!({"outcome": "misschien"}),
        )
        .await;
    assert_eq!(wrong.body["field"], "outcome");
    let done = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "cor",
            json!({"outcome": "compleet"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["status"], "in_behandeling");
    let twice = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "cor",
            json!({"outcome": "compleet"}),
        )
        .await;
    assert_problem(&twice, StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn a_coordinator_assigns_within_the_team_with_a_reason() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let task = api.task_at(id, "intake").await;
    let path = format!("/api/tasks/{task}/assign");
    let outsider = api
        .post(&path, "cor", json!({"user": "wanda", "reason": "drukte"}))
        .await;
    assert_problem(&outsider, StatusCode::UNPROCESSABLE_ENTITY, "not_eligible");
    assert_eq!(outsider.body["field"], "user");
    let nobody = api
        .post(&path, "cor", json!({"user": "niemand", "reason": "drukte"}))
        .await;
    assert_eq!(nobody.body["field"], "user");
    let no_reason = api
        .post(&path, "cor", json!({"user": "wim", "reason": ""}))
        .await;
    assert_eq!(no_reason.body["field"], "reason");

    let a = api
        .post(
            &path,
            "cor",
            json!({"user": "wim", "reason": "verdelen werkvoorraad"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["assignee"], "wim");
    let events = api.get(&format!("/api/cases/{id}/events"), "cor").await;
    let assigned = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "task_assigned")
        .expect("the assignment is in the history");
    assert_eq!(assigned["reason"], "verdelen werkvoorraad");
    assert_eq!(assigned["actor"], "cor");
    let done = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "wim",
            json!({"outcome": "compleet"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

#[tokio::test]
async fn form_data_is_checked_against_the_task_fields() {
    let api = Api::new().await;
    let (id, _) = api.start_vergunning().await;
    let intake = api.task_at(id, "intake").await;
    api.work(intake, "wim", "compleet", json!({})).await;
    let task = api.task_at(id, "beoordelen").await;
    let bad = api
        .work(task, "wanda", "verlenen", json!({"interne_notitie": 3}))
        .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(bad.body["field"], "data.interne_notitie");
    let unknown = api
        .post(
            &format!("/api/tasks/{task}/complete"),
            "wanda",
            json!({"outcome": "verlenen", "data": {"bedrag": 3}}),
        )
        .await;
    assert_eq!(unknown.body["field"], "data.bedrag");
}

#[tokio::test]
async fn health_and_openapi_need_no_token_and_metrics_an_admins() {
    let api = Api::new().await;
    let h = api.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.body, json!({"status": "ok"}));

    api.start_vergunning().await;
    let refused = api
        .post("/api/cases", "wim", json!({"process": "onbekend"}))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Metrics name teams and count tasks of confidential cases: for administrators only.
    let anonymous = api.call(Method::GET, "/metrics", None, None).await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    let worker = api.get("/metrics", "wim").await;
    assert_problem(&worker, StatusCode::FORBIDDEN, "forbidden");
    let manager = api.get("/metrics", "mara").await;
    assert_problem(&manager, StatusCode::FORBIDDEN, "forbidden");
    let m = api.get("/metrics", "ada").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.content_type().starts_with("text/plain"));
    let text = m.text();
    assert!(text.contains("zaak_cases_started_total 1"), "{text}");
    assert!(
        text.contains("zaak_commands_total{command=\"start\",outcome=\"ok\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("zaak_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
        "{text}"
    );
    assert!(
        text.contains("zaak_http_responses_total{status=\"201\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("zaak_http_responses_total{status=\"422\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("zaak_tasks_open{team=\"intake\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("zaak_tasks_open{team=\"backoffice\"} 0"),
        "{text}"
    );
}

#[tokio::test]
async fn the_openapi_document_names_every_route() {
    let api = Api::new().await;
    let a = api.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = a.body["paths"].as_object().unwrap();
    let expected = [
        ("/api/processes", vec!["get", "post"]),
        ("/api/processes/{key}", vec!["get"]),
        ("/api/processes/{key}/graph", vec!["get"]),
        ("/api/cases", vec!["get", "post"]),
        ("/api/cases/{id}", vec!["get"]),
        ("/api/cases/{id}/events", vec!["get"]),
        ("/api/cases/{id}/messages", vec!["post"]),
        ("/api/cases/{id}/suspend", vec!["post"]),
        ("/api/cases/{id}/resume", vec!["post"]),
        ("/api/cases/{id}/extend", vec!["post"]),
        ("/api/cases/{id}/cancel", vec!["post"]),
        ("/api/tasks", vec!["get"]),
        ("/api/tasks/{id}", vec!["get"]),
        ("/api/tasks/{id}/claim", vec!["post"]),
        ("/api/tasks/{id}/release", vec!["post"]),
        ("/api/tasks/{id}/assign", vec!["post"]),
        ("/api/tasks/{id}/complete", vec!["post"]),
        ("/api/status/{public_token}", vec!["get"]),
        ("/api/analytics/report", vec!["get"]),
        ("/api/analytics/compare", vec!["get"]),
        ("/api/export/xes", vec!["get"]),
        ("/api/teams/{team}", vec!["get"]),
        ("/api/teams/{team}/policy", vec!["put"]),
        ("/api/teams/{team}/members", vec!["put"]),
        ("/api/teams/{team}/members/{user}", vec!["put", "delete"]),
        ("/api/me", vec!["get"]),
        ("/healthz", vec!["get"]),
        ("/metrics", vec!["get"]),
    ];
    for (path, methods) in &expected {
        let item = paths.get(*path).unwrap_or_else(|| panic!("{path} missing"));
        for m in methods {
            assert!(item.get(*m).is_some(), "{m} {path} missing");
        }
    }
    assert_eq!(paths.len(), expected.len(), "{:?}", paths.keys());
    assert!(a.body["components"]["schemas"]["Problem"].is_object());
    let mut ids = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            ids.push(op["operationId"].as_str().unwrap().to_string());
            if op.get("security").is_some() {
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} says nothing of 401"
                );
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique: {ids:?}");
    assert!(a.body["components"]["securitySchemes"]["bearer"].is_object());
    // Only the citizen view and operations go without a token.
    let open: Vec<&str> = paths
        .iter()
        .filter(|(_, item)| {
            item.as_object()
                .unwrap()
                .values()
                .any(|op| op.get("security").is_none())
        })
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(open, ["/api/status/{public_token}", "/healthz"]);
}

#[tokio::test]
async fn requests_get_a_request_id_and_unknown_routes_a_problem() {
    let api = Api::new().await;
    let a = api.call(Method::GET, "/healthz", None, None).await;
    assert!(a.headers.get("x-request-id").is_some());
    let req = Request::builder()
        .uri("/healthz")
        .header("x-request-id", "abc-123")
        .body(axum::body::Body::empty())
        .unwrap();
    let echoed = api.send(req).await;
    assert_eq!(echoed.headers["x-request-id"], "abc-123");
    let missing = api.get("/api/nergens", "ada").await;
    assert_problem(&missing, StatusCode::NOT_FOUND, "not_found");
    let wrong_method = api
        .call(Method::DELETE, "/api/cases", Some("ada"), None)
        .await;
    assert_problem(
        &wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

/// A coordinator turns on automatic assignment for their team and names its members; members
/// must be users of the team; other teams' workers and managers cannot change it.
#[tokio::test]
async fn a_coordinator_sets_the_assignment_of_their_team() {
    let api = Api::new().await;
    let put = |path: &'static str, user: &'static str, body: Value| {
        api.call(Method::PUT, path, Some(user), Some(body))
    };
    let shown = api.get("/api/teams/intake", "wim").await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    // Every user of the team is a member and receives work until a coordinator says otherwise.
    assert_eq!(
        shown.body,
        json!({
            "team": "intake",
            "policy": "manual",
            "members": ["cor", "wim"],
            "memberships": [
                {"name": "cor", "roles": [], "receives_work": true},
                {"name": "wim", "roles": [], "receives_work": true},
            ],
        })
    );
    assert_problem(
        &api.get("/api/teams/intake", "wanda").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(
        api.get("/api/teams/intake", "mara").await.status,
        StatusCode::OK
    );

    let a = put(
        "/api/teams/intake/policy",
        "cor",
        json!({ "policy": "round-robin" }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["policy"], "round_robin");
    let bad = put(
        "/api/teams/intake/policy",
        "cor",
        json!({ "policy": "lottery" }),
    )
    .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(bad.body["field"], "policy");
    for user in ["wim", "mara", "wanda"] {
        let refused = put(
            "/api/teams/intake/policy",
            user,
            json!({ "policy": "manual" }),
        )
        .await;
        assert_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    }

    let a = put(
        "/api/teams/intake/members",
        "cor",
        json!({ "members": ["wim"] }),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["members"], json!(["wim"]));
    assert_eq!(
        a.body["memberships"][0]["receives_work"], false,
        "{}",
        a.body
    );
    let a = put(
        "/api/teams/intake/members",
        "cor",
        json!({ "members": ["wim", "cor"] }),
    )
    .await;
    assert_eq!(a.body["members"], json!(["cor", "wim"]));
    // wanda works in backoffice: intake's queue would not show her the tasks.
    let outsider = put(
        "/api/teams/intake/members",
        "ada",
        json!({ "members": ["wim", "wanda"] }),
    )
    .await;
    assert_problem(&outsider, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    assert_eq!(outsider.body["field"], "members[1]");
    assert_eq!(
        api.get("/api/teams/intake", "ada").await.body["members"],
        json!(["cor", "wim"])
    );

    // A new task of the team now goes to a member at once.
    let (case, _) = api.start_vergunning().await;
    let task = api.task_at(case, "intake").await;
    let t = api.get(&format!("/api/tasks/{task}"), "wim").await;
    assert!(
        matches!(t.body["assignee"].as_str(), Some("cor" | "wim")),
        "{}",
        t.body
    );
}
