//! The API on PostgreSQL, the backend for several nodes: users, a case worked to its end and
//! the citizen view. Runs when ZAAK_TEST_POSTGRES_URL names a server the test may create
//! databases on.

mod http_support;

use axum::http::{Method, StatusCode};
use http_support::Api;
use serde_json::json;
use sqlx::Connection;

/// A fresh database on the configured server, dropped at the end.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl PgDb {
    async fn create() -> Option<PgDb> {
        let Ok(admin) = std::env::var("ZAAK_TEST_POSTGRES_URL") else {
            println!("ZAAK_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run");
            return None;
        };
        let name = format!("zaak_http_{:016x}", rand::random::<u64>());
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        let url = format!("{base}/{name}");
        Some(PgDb { admin, name, url })
    }

    async fn drop_db(self) {
        let mut conn = sqlx::PgConnection::connect(&self.admin).await.unwrap();
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_worked_to_its_end_on_postgres() {
    let Some(db) = PgDb::create().await else {
        return;
    };
    let api = Api::on(&db.url, tempfile::tempdir().unwrap()).await;
    let none = api.call(Method::GET, "/api/cases", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let (id, token) = api.start_vergunning().await;
    let intake = api.task_at(id, "intake").await;
    // A task of another team is unknown to the caller.
    let hidden = api
        .call(
            Method::POST,
            &format!("/api/tasks/{intake}/claim"),
            Some("wanda"),
            None,
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let done = api.work(intake, "wim", "compleet", json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let task = api.task_at(id, "beoordelen").await;
    let done = api.work(task, "wanda", "weigeren", json!({})).await;
    assert_eq!(done.body["open"], false, "{}", done.body);
    let citizen = api
        .call(Method::GET, &format!("/api/status/{token}"), None, None)
        .await;
    assert_eq!(citizen.status, StatusCode::OK);
    assert_eq!(citizen.body["result"]["result"], "geweigerd");
    let processes = api.get("/api/processes", "mara").await;
    assert_eq!(processes.body.as_array().unwrap().len(), 2);
    drop(api);
    db.drop_db().await;
}
