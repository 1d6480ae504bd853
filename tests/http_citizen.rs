//! The citizen's status view: no login, only what the initiator may see.

mod http_support;

use axum::http::{Method, StatusCode};
use http_support::{assert_problem, Api};
use serde_json::{json, Value};

/// Every key anywhere in a JSON value, with every string value.
fn words(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                words(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| words(v, out)),
        Value::String(s) => out.push(s.clone()),
        _ => {}
    }
}

#[tokio::test]
async fn the_citizen_sees_statuses_dates_suspension_and_result_and_nothing_internal() {
    let api = Api::new().await;
    let (id, token) = api.start_vergunning().await;
    let (other, _) = api.start_vergunning().await;
    let intake = api.task_at(id, "intake").await;
    api.work(intake, "wim", "compleet", json!({})).await;
    api.post(
        &format!("/api/cases/{id}/suspend"),
        "wanda",
        json!({"reason": "advies brandweer gevraagd"}),
    )
    .await;
    api.clock.advance(chrono::Duration::days(7));
    api.call(
        Method::POST,
        &format!("/api/cases/{id}/resume"),
        Some("wanda"),
        None,
    )
    .await;
    let task = api.task_at(id, "beoordelen").await;
    let done = api
        .work(
            task,
            "wanda",
            "verlenen",
            json!({"interne_notitie": "buurman is lastig"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);

    let a = api
        .call(Method::GET, &format!("/api/status/{token}"), None, None)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = &a.body;
    assert!(v["reference"].as_str().unwrap().starts_with("ZAAK-"));
    assert_eq!(v["case_type"], "Vergunning kleine evenementen");
    let texts: Vec<&str> = v["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Wij hebben uw aanvraag ontvangen",
            "Uw aanvraag wordt beoordeeld",
            "Er is een besluit genomen"
        ]
    );
    assert_eq!(v["statuses"][0]["reached_on"], "2026-03-02");
    assert_eq!(v["statuses"][2]["reached_on"], "2026-03-09");
    assert_eq!(
        v["legal_deadline"], "2026-05-04",
        "7 days of suspension added"
    );
    assert!(v["expected_end_date"].is_string());
    assert_eq!(v["suspended"], false);
    // The reason was written for colleagues: the citizen reads a fixed sentence instead.
    assert_eq!(v["suspensions"][0]["text"], zaak_app::SUSPENDED_TEXT);
    assert!(v["suspensions"][0].get("reason").is_none());
    assert_eq!(v["open"], false);
    assert_eq!(v["closed_on"], "2026-03-09");
    assert_eq!(v["term_met"], true);
    assert_eq!(
        v["result"],
        json!({"result": "verleend", "label": "Vergunning verleend"})
    );
    assert_eq!(v["data"], json!({"omschrijving": "Braderie"}));

    let mut all = Vec::new();
    words(v, &mut all);
    for internal in [
        "wim",
        "wanda",
        "intake",
        "backoffice",
        "buurman is lastig",
        "advies brandweer gevraagd",
        "interne_notitie",
        "bezoekers",
        "assignee",
        "team",
        "public_token",
        "id",
        "tokens",
        "ontvangen",
        "in_behandeling",
    ] {
        assert!(
            !all.iter().any(|w| w == internal),
            "`{internal}` is internal: {v}"
        );
    }
    assert!(!all.contains(&token), "the token is not repeated");
    let other_ref = api.get(&format!("/api/cases/{other}"), "ada").await.body["reference"].clone();
    assert!(!all.iter().any(|w| *w == other_ref), "no other case");
}

#[tokio::test]
async fn an_open_case_past_its_deadline_has_not_met_its_term() {
    let api = Api::new().await;
    let (_, token) = api.start_vergunning().await;
    let path = format!("/api/status/{token}");
    let before = api.call(Method::GET, &path, None, None).await;
    assert_eq!(before.body["term_met"], Value::Null);
    assert_eq!(before.body["result"], Value::Null);
    assert_eq!(before.body["open"], true);
    api.clock.advance(chrono::Duration::days(70));
    let after = api.call(Method::GET, &path, None, None).await;
    assert_eq!(after.body["term_met"], false);
}

#[tokio::test]
async fn an_unknown_token_is_not_found_whatever_it_looks_like() {
    let api = Api::new().await;
    let (_, token) = api.start_vergunning().await;
    let mut almost = token.clone();
    let last = almost.pop().unwrap();
    almost.push(if last == 'a' { 'b' } else { 'a' });
    let bodies: Vec<Value> = {
        let mut out = Vec::new();
        for t in [
            almost.as_str(),
            "x",
            "%00",
            "ZAAK-2026-000001",
            &"a".repeat(500),
        ] {
            let a = api
                .call(Method::GET, &format!("/api/status/{t}"), None, None)
                .await;
            assert_problem(&a, StatusCode::NOT_FOUND, "unknown_status_token");
            out.push(a.body);
        }
        out
    };
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "one answer for all: {bodies:?}"
    );
    // A token for staff is no key to the citizen view, and the view needs none.
    let with_token = api
        .call(
            Method::GET,
            &format!("/api/status/{token}"),
            Some("wim"),
            None,
        )
        .await;
    assert_eq!(with_token.status, StatusCode::OK);
}
