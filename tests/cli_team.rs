//! `zaak team` and `zaak user add` as an administrator uses them: the users' teams and the
//! team's policy land in the database, and the server's runtime assigns from them.

use serde_json::json;
use std::process::{Command, Output};
use zaak_runtime::{AssignmentPolicy, Data, Page, Runtime, RuntimeOptions, Syntax, TaskState};

fn zaak(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zaak"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the zaak binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn melding() -> Data {
    [
        ("categorie", json!("groen")),
        ("locatie", json!("Markt 1")),
        ("omschrijving", json!("Tak over het fietspad")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_and_team_policy_make_new_tasks_assigned() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());

    // The triage task of a melding needs the process role `coordinator` in team meldingen:
    // only members who hold it are given it.
    for name in ["bram", "anna"] {
        let out = zaak(&[
            "user",
            "add",
            name,
            "--role",
            "worker",
            "--team",
            "meldingen:coordinator",
            "--db",
            &db,
        ]);
        assert!(ok(&out).starts_with("zk_"));
    }
    let out = zaak(&["team", "policy", "meldingen", "round-robin", "--db", &db]);
    ok(&out);
    let shown = ok(&zaak(&["team", "show", "meldingen", "--db", &db]));
    assert!(shown.contains("policy: round_robin"), "{shown}");
    assert!(shown.contains("members: anna, bram"), "{shown}");

    let bad = zaak(&["team", "policy", "meldingen", "random", "--db", &db]);
    assert_eq!(bad.status.code(), Some(2));

    let rt = Runtime::open(&db, RuntimeOptions::default()).await.unwrap();
    assert_eq!(
        rt.team_policy("meldingen").await.unwrap(),
        AssignmentPolicy::RoundRobin
    );
    let source =
        std::fs::read_to_string("processes/melding_openbare_ruimte.yaml").expect("library file");
    let process = rt
        .deploy(&source, Syntax::Yaml, zaak_runtime::Redeploy::UnlessLatest)
        .await
        .unwrap()
        .key;
    let mut assignees = Vec::new();
    for _ in 0..2 {
        let case = rt
            .start_case(&process, melding(), "balie", None)
            .await
            .unwrap();
        let tasks = rt.case_tasks(case.id).await.unwrap();
        assert_eq!(tasks.len(), 1, "{tasks:?}");
        assert_eq!(tasks[0].state, TaskState::Claimed);
        assignees.push(tasks[0].assignee.clone().unwrap_or_default());
    }
    assert_eq!(assignees, ["anna", "bram"]);
    assert!(rt
        .worklist("meldingen", Page::default())
        .await
        .unwrap()
        .is_empty());

    ok(&zaak(&[
        "team",
        "policy",
        "meldingen",
        "manual",
        "--db",
        &db,
    ]));
    assert_eq!(
        rt.team_policy("meldingen").await.unwrap(),
        AssignmentPolicy::Manual
    );
}

/// An administrator replaces a leaked token and removes a user who left: the old token stops
/// working at once, the removed user's does too, and they leave their teams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_replaced_and_a_user_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let first = ok(&zaak(&[
        "user",
        "add",
        "anna",
        "--role",
        "worker",
        "--team",
        "meldingen",
        "--db",
        &db,
    ]))
    .trim()
    .to_string();
    ok(&zaak(&[
        "user", "add", "bram", "--role", "manager", "--db", &db,
    ]));
    let users = Runtime::open(&db, RuntimeOptions::default()).await.unwrap();
    assert_eq!(
        users.authenticate(&first).await.unwrap().unwrap().name,
        "anna"
    );

    let second = ok(&zaak(&["user", "token", "anna", "--db", &db]))
        .trim()
        .to_string();
    assert!(second.starts_with("zk_") && second != first);
    assert!(users.authenticate(&first).await.unwrap().is_none());
    assert_eq!(
        users.authenticate(&second).await.unwrap().unwrap().name,
        "anna"
    );

    let listed = ok(&zaak(&["user", "list", "--db", &db]));
    assert_eq!(
        listed,
        "anna\tworker\tintern\tmeldingen\nbram\tmanager\tintern\t\n"
    );
    assert!(!listed.contains("zk_"));

    ok(&zaak(&["user", "remove", "anna", "--db", &db]));
    assert!(users.authenticate(&second).await.unwrap().is_none());
    assert!(users.team("meldingen").await.unwrap().members.is_empty());

    let again = zaak(&["user", "remove", "anna", "--db", &db]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("there is no user named `anna`"));
    let unknown = zaak(&["user", "token", "carla", "--db", &db]);
    assert!(!unknown.status.success());
}
