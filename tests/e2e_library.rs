//! A library process end to end on the real binary: `zaak serve` deploys the repository's
//! `processes/` directory at start, and a complaint (klacht.yaml) is worked to its end by the
//! teams involved over HTTP, after which the complainant opens the citizen view.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const ZAAK: &str = env!("CARGO_BIN_EXE_zaak");

fn add_user(db: &str, name: &str, role: &str, team: &str) -> String {
    let out = Command::new(ZAAK)
        .args([
            "user", "add", name, "--role", role, "--team", team, "--db", db,
        ])
        .output()
        .expect("zaak runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed assertion must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &str) -> Server {
    let library = concat!(env!("CARGO_MANIFEST_DIR"), "/processes");
    let mut child = Command::new(ZAAK)
        .args([
            "serve",
            "--db",
            db,
            "--addr",
            "127.0.0.1:0",
            "--processes",
            library,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zaak serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("a first line");
    let Some(base) = line.trim().strip_prefix("zaak listening on ") else {
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
        panic!("the library does not deploy:\n{err}");
    };
    let server = Server {
        base: base.to_string(),
        child,
    };
    // The address is printed once the socket listens; a bounded retry covers a slow start.
    for _ in 0..200 {
        if ureq::get(&format!("{}/healthz", server.base))
            .call()
            .is_ok()
        {
            return server;
        }
        std::thread::yield_now();
    }
    panic!("{} never became healthy", server.base);
}

fn call(server: &Server, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
    let req = ureq::request(method, &format!("{}{path}", server.base))
        .set("Authorization", &format!("Bearer {token}"));
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match res {
        Ok(r) => r.into_json().unwrap_or(Value::Null),
        Err(ureq::Error::Status(code, r)) => {
            panic!(
                "{method} {path}: {code} {}",
                r.into_string().unwrap_or_default()
            )
        }
        Err(e) => panic!("{method} {path}: {e}"),
    }
}

/// Takes the only task of the user's queue and completes it.
fn work(server: &Server, token: &str, step: &str, outcome: Option<&str>, data: Value) {
    let queue = call(server, "GET", "/api/tasks", token, None);
    let task = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["step"] == step)
        .unwrap_or_else(|| panic!("no task {step} in {queue}"));
    let id = task["id"].as_i64().unwrap();
    call(
        server,
        "POST",
        &format!("/api/tasks/{id}/claim"),
        token,
        None,
    );
    let shown = call(server, "GET", &format!("/api/tasks/{id}"), token, None);
    if let Some(o) = outcome {
        assert!(
            shown["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["name"] == o),
            "{shown}"
        );
    }
    call(
        server,
        "POST",
        &format!("/api/tasks/{id}/complete"),
        token,
        Some(json!({"outcome": outcome, "data": data})),
    );
}

#[test]
fn a_complaint_from_the_library_is_worked_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    // The complaint is handled by a klachtbehandelaar who was not involved in the conduct
    // (Awb 9:7) and decided by a beslisser: process roles in team klachtencoordinatie.
    let coordination = add_user(
        &db,
        "ines",
        "worker",
        "klachtencoordinatie:klachtbehandelaar",
    );
    let decider = add_user(&db, "bas", "worker", "klachtencoordinatie:beslisser");
    let department = add_user(&db, "vera", "worker", "vakafdeling");
    let server = start(&db);

    let processes = call(&server, "GET", "/api/processes", &coordination, None);
    let keys: Vec<&str> = processes
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"klacht"), "{keys:?}");

    let created = call(
        &server,
        "POST",
        "/api/cases",
        &coordination,
        Some(json!({"process": "klacht", "data": {
            "klager": "J. de Vries",
            "gedraging": "Onheus bejegend aan de balie",
            "datum_gedraging": "2026-11-02"
        }})),
    );
    let case = created["id"].as_i64().unwrap();
    let public = created["public_token"].as_str().unwrap().to_string();

    work(
        &server,
        &coordination,
        "beoordelen",
        Some("behandelen"),
        json!({}),
    );
    work(
        &server,
        &coordination,
        "klager_bellen",
        Some("niet_opgelost"),
        json!({"gespreksverslag": "Klager blijft ontevreden", "wil_gehoord_worden": false}),
    );
    work(
        &server,
        &department,
        "onderzoeken",
        None,
        json!({"reactie_afdeling": "Medewerker had een drukke dag"}),
    );
    // The klachtbehandelaar sees the decision in the team's queue, told why it is not theirs,
    // and may not take it.
    let queue = call(&server, "GET", "/api/tasks", &coordination, None);
    let decision = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["step"] == "afhandelen")
        .unwrap_or_else(|| panic!("no decision in {queue}"));
    assert!(
        decision["not_yours"]
            .as_str()
            .is_some_and(|why| why.contains("beslisser")),
        "{decision}"
    );
    let refused = ureq::post(&format!(
        "{}/api/tasks/{}/claim",
        server.base, decision["id"]
    ))
    .set("Authorization", &format!("Bearer {coordination}"))
    .call();
    assert!(
        matches!(refused, Err(ureq::Error::Status(403, _))),
        "{refused:?}"
    );
    work(
        &server,
        &decider,
        "afhandelen",
        Some("gegrond"),
        json!({"conclusie": "De klacht is gegrond; excuses aangeboden"}),
    );

    let shown = call(
        &server,
        "GET",
        &format!("/api/cases/{case}"),
        &coordination,
        None,
    );
    assert_eq!(shown["open"], false, "{shown}");
    assert_eq!(shown["result"], "gegrond");

    let citizen: Value = ureq::get(&format!("{}/api/status/{public}", server.base))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    assert_eq!(citizen["case_type"], "Klacht");
    assert_eq!(citizen["result"]["label"], "Klacht gegrond");
    assert_eq!(citizen["term_met"], true);
    assert_eq!(
        citizen["data"],
        json!({"gedraging": "Onheus bejegend aan de balie"})
    );
    let texts: Vec<&str> = citizen["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.first(), Some(&"Wij hebben uw klacht ontvangen."));
    assert_eq!(
        texts.last(),
        Some(&"Wij hebben uw klacht afgehandeld. U krijgt onze conclusie per brief.")
    );
    let text = citizen.to_string();
    for internal in [
        "J. de Vries",
        "ines",
        "bas",
        "vera",
        "drukke dag",
        "vakafdeling",
    ] {
        assert!(!text.contains(internal), "`{internal}` in {text}");
    }
}
