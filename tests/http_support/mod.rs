//! What the HTTP tests share: the API on a fresh SQLite database with a clock that stands
//! still, users of every role, two small processes, and one call helper.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use tower::ServiceExt;
use zaak::server::{app, AppState};
use zaak_app::App;
use zaak_runtime::{
    ManualClock, Membership, NewUser, Redeploy, Runtime, RuntimeOptions, Syntax, UserRole,
};

/// A permit: intake judges it, the back office decides; the applicant may be asked for more
/// information. `omschrijving` is shown to the citizen, `interne_notitie` is not. The choice
/// field `soort` is added by [`vergunning`].
const VERGUNNING_BASE: &str = r#"
process: vergunning
version: 1
title: Vergunning kleine evenementen
term:
  duration: 8 weeks
service_norm: 4 weeks
suspension_allowed: true
extension: 6 weeks
teams:
  - name: intake
  - name: backoffice
statuses:
  - name: ontvangen
    citizen_text: Wij hebben uw aanvraag ontvangen
  - name: in_behandeling
    citizen_text: Uw aanvraag wordt beoordeeld
  - name: afgehandeld
    citizen_text: Er is een besluit genomen
results:
  - name: verleend
    label: Vergunning verleend
    archive: keep
  - name: geweigerd
    label: Vergunning geweigerd
    archive: destroy
data:
  - name: omschrijving
    type: text
    required: true
    citizen: true
  - name: bezoekers
    type: number
messages:
  - name: aanvulling
start: intake
steps:
  - name: intake
    task:
      team: intake
      status_on_start: ontvangen
      outcomes:
        - name: compleet
          then: beoordelen
        - name: onvolledig
          then: wachten
  - name: wachten
    wait:
      message: aanvulling
      then: beoordelen
  - name: beoordelen
    task:
      team: backoffice
      status_on_start: in_behandeling
      fields:
        - name: interne_notitie
          type: text
      outcomes:
        - name: verlenen
          then: verleend
        - name: weigeren
          then: geweigerd
  - name: verleend
    end:
      result: verleend
  - name: geweigerd
    end:
      result: geweigerd
"#;

/// The permit process as YAML, with a choice field `soort` (markt or optocht). The field is
/// added to the model and the YAML printed by the language crate, so the source is in whatever
/// form its reader expects.
pub fn vergunning() -> String {
    vergunning_with(|_| {})
}

/// The permit process as YAML, changed by `change` before it is printed.
pub fn vergunning_with(change: impl FnOnce(&mut zaak_dsl::ProcessModel)) -> String {
    let loaded = zaak_dsl::load(VERGUNNING_BASE, Syntax::Yaml);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let mut model = loaded.model.expect("the permit process reads");
    model.data.push(zaak_dsl::DataField {
        name: zaak_dsl::Name::new("soort"),
        ty: zaak_dsl::DataType::Choice(vec!["markt".into(), "optocht".into()]),
        label: None,
        required: false,
        citizen: false,
        span: Default::default(),
    });
    change(&mut model);
    zaak_dsl::to_yaml(&model)
}

/// A confidential process (youth care): only the teams involved see its cases.
pub const JEUGD: &str = r#"
process: jeugdhulp
version: 1
title: Jeugdhulp
confidentiality: vertrouwelijk
teams:
  - name: jeugd
statuses:
  - name: ontvangen
    citizen_text: Ontvangen
results:
  - name: toegekend
    archive: keep
start: beoordelen
steps:
  - name: beoordelen
    task:
      team: jeugd
      then: klaar
  - name: klaar
    end:
      result: toegekend
"#;

pub struct Api {
    pub app: Router,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    tokens: HashMap<String, String>,
    _dir: tempfile::TempDir,
}

/// An answer: status, headers, and the body as JSON (or as a JSON string when it is text).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn text(&self) -> String {
        match &self.body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl Api {
    /// The API on an empty database, with both processes deployed and these users:
    /// `wim` (worker, intake), `wanda` (worker, backoffice), `cor` (coordinator, intake),
    /// `dirk` (designer), `mara` (manager), `ada` (admin), `jet` (worker, jeugd).
    pub async fn new() -> Api {
        let dir = tempfile::tempdir().expect("a temp dir");
        let url = format!("sqlite://{}", dir.path().join("zaak.db").display());
        Api::on(&url, dir).await
    }

    /// The same, on the database at `url`; `dir` lives as long as the API.
    pub async fn on(url: &str, dir: tempfile::TempDir) -> Api {
        let url = url.to_string();
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        ));
        let runtime = Runtime::open(
            &url,
            RuntimeOptions {
                clock: clock.clone(),
                ..RuntimeOptions::default()
            },
        )
        .await
        .expect("the runtime opens");
        runtime
            .deploy(&vergunning(), Syntax::Yaml, Redeploy::UnlessLatest)
            .await
            .expect("vergunning deploys");
        runtime
            .deploy(JEUGD, Syntax::Yaml, Redeploy::UnlessLatest)
            .await
            .expect("jeugdhulp deploys");
        let mut tokens = HashMap::new();
        for (name, role, teams) in [
            ("wim", UserRole::Worker, vec!["intake"]),
            ("wanda", UserRole::Worker, vec!["backoffice"]),
            ("cor", UserRole::Coordinator, vec!["intake"]),
            ("dirk", UserRole::Designer, vec![]),
            ("mara", UserRole::Manager, vec![]),
            ("ada", UserRole::Admin, vec![]),
            ("jet", UserRole::Worker, vec!["jeugd"]),
        ] {
            let token = runtime
                .add_user(&NewUser {
                    name: name.to_string(),
                    role,
                    clearance: None,
                    memberships: teams
                        .into_iter()
                        .map(|team| Membership {
                            team: team.to_string(),
                            roles: Vec::new(),
                            receives_work: true,
                        })
                        .collect(),
                })
                .await
                .expect("user added");
            tokens.insert(name.to_string(), token);
        }
        let state = AppState::new(App::new(runtime));
        Api {
            app: app(state.clone()),
            state,
            clock,
            tokens,
            _dir: dir,
        }
    }

    pub fn token(&self, user: &str) -> &str {
        &self.tokens[user]
    }

    /// The runtime beneath the API.
    pub fn runtime(&self) -> &Runtime {
        self.state.app.runtime()
    }

    /// Keeps a token for a user added by other means.
    pub fn add_token(&mut self, name: &str, token: String) {
        self.tokens.insert(name.to_string(), token);
    }

    /// Adds a user with these memberships (`team` or `team:role,role`) and keeps their token.
    pub async fn add_user(&mut self, name: &str, role: UserRole, teams: &[&str]) {
        let token = self
            .runtime()
            .add_user(&NewUser {
                name: name.to_string(),
                role,
                clearance: None,
                memberships: teams
                    .iter()
                    .map(|spec| {
                        let (team, roles) = spec.split_once(':').unwrap_or((spec, ""));
                        Membership {
                            team: team.to_string(),
                            roles: roles
                                .split(',')
                                .filter(|r| !r.is_empty())
                                .map(str::to_string)
                                .collect(),
                            receives_work: true,
                        }
                    })
                    .collect(),
            })
            .await
            .expect("user added");
        self.tokens.insert(name.to_string(), token);
    }

    /// Sends a request as `user` (no token when None), with a JSON body when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        user: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(u) = user {
            req = req.header("authorization", format!("Bearer {}", self.token(u)));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("a request");
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.app.clone().oneshot(req).await.expect("an answer");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("a body").to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, user: &str) -> Answer {
        self.call(Method::GET, path, Some(user), None).await
    }

    pub async fn post(&self, path: &str, user: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(user), Some(body)).await
    }

    /// Starts a vergunning case as `wim`; its id and public token.
    pub async fn start_vergunning(&self) -> (i64, String) {
        let a = self
            .post(
                "/api/cases",
                "wim",
                json!({"process": "vergunning", "data": {"omschrijving": "Braderie", "bezoekers": 300}}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        (
            a.body["id"].as_i64().expect("an id"),
            a.body["public_token"]
                .as_str()
                .expect("a token")
                .to_string(),
        )
    }

    /// The open task of a case at a step.
    pub async fn task_at(&self, case: i64, step: &str) -> i64 {
        let c = self.get(&format!("/api/cases/{case}"), "ada").await;
        c.body["open_tasks"]
            .as_array()
            .expect("open tasks")
            .iter()
            .find(|t| t["step"] == step)
            .and_then(|t| t["id"].as_i64())
            .unwrap_or_else(|| panic!("no open task at {step}: {}", c.body))
    }

    /// Claims and completes a task as `user`.
    pub async fn work(&self, task: i64, user: &str, outcome: &str, data: Value) -> Answer {
        let c = self
            .call(
                Method::POST,
                &format!("/api/tasks/{task}/claim"),
                Some(user),
                None,
            )
            .await;
        assert_eq!(c.status, StatusCode::OK, "claim: {}", c.body);
        self.post(
            &format!("/api/tasks/{task}/complete"),
            user,
            json!({"outcome": outcome, "data": data}),
        )
        .await
    }
}

/// Asserts that an answer is a problem with this status and code.
pub fn assert_problem(a: &Answer, status: StatusCode, code: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert!(
        a.content_type().starts_with("application/problem+json"),
        "content type {}",
        a.content_type()
    );
    assert_eq!(a.body["code"], code, "{}", a.body);
    assert_eq!(a.body["status"], status.as_u16(), "{}", a.body);
    assert!(a.body["title"].is_string(), "{}", a.body);
    assert!(a.body["detail"].is_string(), "{}", a.body);
    assert_eq!(a.body["type"], format!("urn:zaak:problem:{code}"));
}
