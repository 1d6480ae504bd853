//! The real binary: users added with `zaak user add`, `zaak serve` on a free port, a case worked
//! to its end over HTTP and with the CLI, the citizen view opened, and a graceful stop.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const ZAAK: &str = env!("CARGO_BIN_EXE_zaak");

/// A complaint (klacht): the team registers it, handles it and closes it with a result.
const KLACHT: &str = r#"
process: klacht
version: 1
title: Klacht over de gemeente
term:
  duration: 6 weeks
teams:
  - name: klachten
statuses:
  - name: ontvangen
    citizen_text: Uw klacht is ontvangen
  - name: afgehandeld
    citizen_text: Uw klacht is afgehandeld
results:
  - name: gegrond
    archive: keep
  - name: ongegrond
    archive: keep
data:
  - name: onderwerp
    type: text
    required: true
    citizen: true
start: behandelen
steps:
  - name: behandelen
    task:
      team: klachten
      status_on_start: ontvangen
      outcomes:
        - name: gegrond
          then: gegrond
        - name: ongegrond
          then: ongegrond
  - name: gegrond
    end:
      result: gegrond
  - name: ongegrond
    end:
      result: ongegrond
"#;

fn zaak(args: &[&str], token: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(ZAAK);
    cmd.args(args);
    match token {
        Some(t) => cmd.env("ZAAK_TOKEN", t),
        None => cmd.env_remove("ZAAK_TOKEN"),
    };
    cmd.output().expect("zaak runs")
}

fn add_user(db: &str, name: &str, role: &str, teams: &[&str]) -> String {
    let mut args = vec!["user", "add", name, "--role", role, "--db", db];
    for t in teams {
        args.extend(["--team", t]);
    }
    let out = zaak(&args, None);
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

impl Server {
    /// Starts `zaak serve` on port 0 and reads the address it bound from its first line.
    fn start(db: &str, processes: &Path) -> Server {
        let mut child = Command::new(ZAAK)
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0", "--processes"])
            .arg(processes)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("zaak serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("a first line");
        let base = line
            .trim()
            .strip_prefix("zaak listening on ")
            .unwrap_or_else(|| panic!("unexpected first line `{line}`"))
            .to_string();
        let server = Server { child, base };
        server.wait_healthy();
        server
    }

    /// The address is printed once the socket listens, so the first connection normally
    /// succeeds; a bounded number of retries covers a slow start without sleeping.
    fn wait_healthy(&self) {
        let agent = ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_secs(2))
            .build();
        for _ in 0..200 {
            if let Ok(r) = agent.get(&format!("{}/healthz", self.base)).call() {
                assert_eq!(r.status(), 200);
                return;
            }
            std::thread::yield_now();
        }
        panic!("{} never became healthy", self.base);
    }

    fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
        let req = ureq::request(method, &format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {token}"));
        let res = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        match res {
            Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
            Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap_or(Value::Null)),
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }

    /// Stops the server with SIGTERM and waits for it to finish cleanly.
    fn stop(mut self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "graceful stop: {status:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed assertion must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_complaint_is_worked_to_its_end_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let processes = dir.path().join("processes");
    std::fs::create_dir(&processes).unwrap();
    std::fs::write(processes.join("klacht.yaml"), KLACHT).unwrap();

    let worker = add_user(&db, "kees", "worker", &["klachten"]);
    let designer = add_user(&db, "dina", "designer", &[]);
    assert!(worker.starts_with("zk_"), "{worker}");

    let server = Server::start(&db, &processes);
    let (status, processes_list) = server.call("GET", "/api/processes", &designer, None);
    assert_eq!(status, 200);
    assert_eq!(processes_list[0]["key"], "klacht");

    let (status, created) = server.call(
        "POST",
        "/api/cases",
        &worker,
        Some(json!({"process": "klacht", "data": {"onderwerp": "Lantaarnpaal kapot"}})),
    );
    assert_eq!(status, 201, "{created}");
    let case = created["id"].as_i64().unwrap();
    let public = created["public_token"].as_str().unwrap().to_string();

    // The worker uses the CLI: the queue, claim, complete.
    let url = server.base.clone();
    let out = zaak(&["task", "list", "--url", &url], Some(&worker));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let queue: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(queue[0]["case_id"], case);
    let task = queue[0]["id"].as_i64().unwrap().to_string();
    let out = zaak(&["task", "claim", &task, "--url", &url], Some(&worker));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = zaak(
        &[
            "task",
            "complete",
            &task,
            "--outcome",
            "misschien",
            "--url",
            &url,
        ],
        Some(&worker),
    );
    assert!(!out.status.success(), "an unknown outcome is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("outcome"));
    let out = zaak(
        &[
            "task",
            "complete",
            &task,
            "--outcome",
            "gegrond",
            "--url",
            &url,
        ],
        Some(&worker),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = zaak(
        &["case", "show", &case.to_string(), "--url", &url],
        Some(&worker),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["open"], false);
    assert_eq!(shown["result"], "gegrond");
    let out = zaak(&["case", "show", &case.to_string(), "--url", &url], None);
    assert!(!out.status.success(), "no token, no case");

    let citizen = ureq::get(&format!("{url}/api/status/{public}"))
        .call()
        .unwrap()
        .into_json::<Value>()
        .unwrap();
    assert_eq!(citizen["result"]["result"], "gegrond");
    assert_eq!(citizen["data"], json!({"onderwerp": "Lantaarnpaal kapot"}));
    assert_eq!(citizen["statuses"][1]["text"], "Uw klacht is afgehandeld");
    assert_eq!(citizen["term_met"], true);

    // A designer deploys a changed process with the CLI; a worker starts and lists cases.
    let changed = processes.join("klacht.yaml");
    std::fs::write(
        &changed,
        KLACHT.replace("Klacht over de gemeente", "Klacht"),
    )
    .unwrap();
    let out = zaak(
        &["deploy", changed.to_str().unwrap(), "--url", &url],
        Some(&designer),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deployed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        deployed,
        json!({"key": "klacht", "version": 2, "created": true})
    );
    let out = zaak(
        &["deploy", changed.to_str().unwrap(), "--url", &url],
        Some(&worker),
    );
    assert!(!out.status.success(), "workers do not deploy");
    assert!(String::from_utf8_lossy(&out.stderr).contains("403"));
    let out = zaak(
        &[
            "case",
            "start",
            "klacht",
            "--data",
            r#"{"onderwerp": "Afval"}"#,
            "--url",
            &url,
        ],
        Some(&worker),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let started: Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = zaak(
        &["case", "list", "--open", "true", "--url", &url],
        Some(&worker),
    );
    let open: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["id"], started["id"]);
    assert_eq!(open[0]["version"], 2);

    server.stop();

    // A restart with the same files deploys nothing new.
    let server = Server::start(&db, &processes);
    let (_, shown) = server.call("GET", "/api/processes/klacht", &designer, None);
    assert_eq!(shown["versions"].as_array().unwrap().len(), 2, "{shown}");
    server.stop();
}

#[test]
fn an_invalid_process_stops_start_up_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let processes = dir.path().join("processes");
    std::fs::create_dir(&processes).unwrap();
    std::fs::write(processes.join("kapot.yaml"), "process: kapot\nsteps: 3\n").unwrap();
    let out = Command::new(ZAAK)
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0", "--processes"])
        .arg(&processes)
        .output()
        .expect("zaak serve runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kapot.yaml"), "{stderr}");
    assert!(stderr.contains("does not start"), "{stderr}");
    assert!(out.stdout.is_empty(), "it never listened");
}

#[test]
fn a_user_needs_a_known_role() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let out = zaak(
        &["user", "add", "piet", "--role", "baas", "--db", &db],
        None,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a role"));
    assert!(out.stdout.is_empty(), "no token printed");
}

/// A restart with `--processes` never puts an older file back on top of a version deployed
/// later through the API: a file is deployed only when its content differs from every stored
/// version of its process.
#[test]
fn a_restart_keeps_a_version_deployed_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let processes = dir.path().join("processes");
    std::fs::create_dir(&processes).unwrap();
    let library = concat!(env!("CARGO_MANIFEST_DIR"), "/processes/klacht.yaml");
    let first = std::fs::read_to_string(library).unwrap();
    std::fs::write(processes.join("klacht.yaml"), &first).unwrap();
    let designer = add_user(&db, "dirk", "designer", &[]);

    let server = Server::start(&db, &processes);
    let second = first.replace("title: Klacht", "title: Klacht over de gemeente");
    let (status, deployed) = server.call(
        "POST",
        "/api/processes",
        &designer,
        Some(json!({"source": second, "syntax": "yaml"})),
    );
    assert_eq!(status, 201, "{deployed}");
    assert_eq!(deployed["version"], 2);
    server.stop();

    // The directory still holds version 1: starting again keeps version 2 current.
    let server = Server::start(&db, &processes);
    let (_, shown) = server.call("GET", "/api/processes/klacht", &designer, None);
    assert_eq!(shown["current_version"], 2, "{shown}");
    assert_eq!(shown["title"], "Klacht over de gemeente");
    assert_eq!(shown["versions"].as_array().unwrap().len(), 2);
    server.stop();

    // A changed file is a new version at the next start.
    let third = first.replace("title: Klacht", "title: Klacht (2027)");
    std::fs::write(processes.join("klacht.yaml"), &third).unwrap();
    let server = Server::start(&db, &processes);
    let (_, shown) = server.call("GET", "/api/processes/klacht", &designer, None);
    assert_eq!(shown["current_version"], 3, "{shown}");
    server.stop();
}

#[test]
fn a_calendar_file_with_a_mistake_stops_start_up_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let calendar = dir.path().join("kalender.toml");
    std::fs::write(
        &calendar,
        "[[closing_day]]\ndate = 2026-12-24\nname = \"Kerstavond\"\n\n[[closing_day]]\ndate = \"24 december\"\nname = \"Kerstavond\"\n",
    )
    .unwrap();
    let out = Command::new(ZAAK)
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0", "--calendar"])
        .arg(&calendar)
        .output()
        .expect("zaak serve runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("kalender.toml:6:"), "{stderr}");
    assert!(stderr.contains("does not start"), "{stderr}");
    assert!(out.stdout.is_empty(), "it never listened");
}
