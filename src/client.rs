//! The command line as a client of a running server: cases, tasks and deployments over HTTP,
//! with the token from `ZAAK_TOKEN`.

use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;
use zaak_dsl::Syntax;

pub struct Client {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

/// What went wrong talking to the server, as the person at the terminal should read it.
enum Failure {
    /// The server answered with a problem.
    Problem(u16, Value),
    /// The server could not be reached or answered something unreadable.
    Transport(String),
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.trim_end_matches('/').to_string(),
            token: std::env::var("ZAAK_TOKEN").ok().filter(|t| !t.is_empty()),
            agent: ureq::AgentBuilder::new()
                .timeout(std::time::Duration::from_secs(60))
                .build(),
        }
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        let req = self.agent.request(method, &format!("{}{path}", self.base));
        match &self.token {
            Some(t) => req.set("Authorization", &format!("Bearer {t}")),
            None => req,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Failure> {
        let req = self.request(method, path);
        let sent = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        match sent {
            Ok(resp) => resp
                .into_json::<Value>()
                .map_err(|e| Failure::Transport(format!("unreadable answer: {e}"))),
            Err(ureq::Error::Status(code, resp)) => {
                let body = resp.into_json::<Value>().unwrap_or(Value::Null);
                Err(Failure::Problem(code, body))
            }
            Err(e) => Err(Failure::Transport(e.to_string())),
        }
    }

    /// Calls the server and prints the answer as JSON; a problem is printed to stderr.
    fn run(&self, method: &str, path: &str, body: Option<Value>) -> ExitCode {
        if self.token.is_none() {
            eprintln!("error: set ZAAK_TOKEN to your API token (from `zaak user add`)");
            return ExitCode::from(2);
        }
        match self.call(method, path, body) {
            Ok(v) => {
                // A closed pipe (`| head`) is the reader's choice, not a failure to report.
                let text = serde_json::to_string_pretty(&v).unwrap_or_default();
                let _ = writeln!(std::io::stdout(), "{text}");
                ExitCode::SUCCESS
            }
            Err(Failure::Problem(code, problem)) => {
                let detail = problem["detail"].as_str().unwrap_or("");
                let field = problem["field"]
                    .as_str()
                    .map(|f| format!(" (field `{f}`)"))
                    .unwrap_or_default();
                eprintln!("error: {code}: {detail}{field}");
                if let Some(diags) = problem["diagnostics"].as_array() {
                    for d in diags {
                        eprintln!(
                            "  {}:{}: {}",
                            d["line"],
                            d["column"],
                            d["message"].as_str().unwrap_or("")
                        );
                    }
                }
                ExitCode::FAILURE
            }
            Err(Failure::Transport(e)) => {
                eprintln!("error: cannot reach {}: {e}", self.base);
                ExitCode::FAILURE
            }
        }
    }

    pub fn case_start(&self, process: &str, data: Option<&str>) -> ExitCode {
        let data = match parse_data(data) {
            Ok(d) => d,
            Err(code) => return code,
        };
        self.run(
            "POST",
            "/api/cases",
            Some(json!({"process": process, "data": data})),
        )
    }

    pub fn case_show(&self, id: i64) -> ExitCode {
        self.run("GET", &format!("/api/cases/{id}"), None)
    }

    pub fn case_list(
        &self,
        process: Option<&str>,
        status: Option<&str>,
        open: Option<bool>,
    ) -> ExitCode {
        let mut query = Vec::new();
        if let Some(p) = process {
            query.push(format!("process={}", encode(p)));
        }
        if let Some(s) = status {
            query.push(format!("status={}", encode(s)));
        }
        if let Some(o) = open {
            query.push(format!("open={o}"));
        }
        self.run("GET", &with_query("/api/cases", &query), None)
    }

    pub fn task_list(&self, team: Option<&str>, mine: bool) -> ExitCode {
        let mut query = Vec::new();
        if let Some(t) = team {
            query.push(format!("team={}", encode(t)));
        }
        if mine {
            query.push("assignee=me".to_string());
        }
        self.run("GET", &with_query("/api/tasks", &query), None)
    }

    pub fn task_claim(&self, id: i64) -> ExitCode {
        self.run("POST", &format!("/api/tasks/{id}/claim"), None)
    }

    pub fn task_complete(&self, id: i64, outcome: Option<&str>, data: Option<&str>) -> ExitCode {
        let data = match parse_data(data) {
            Ok(d) => d,
            Err(code) => return code,
        };
        self.run(
            "POST",
            &format!("/api/tasks/{id}/complete"),
            Some(json!({"outcome": outcome, "data": data})),
        )
    }

    pub fn deploy(&self, file: &str) -> ExitCode {
        let syntax = match Syntax::from_path(file) {
            Some(Syntax::Text) => "text",
            Some(Syntax::Yaml) => "yaml",
            None => {
                eprintln!("error: {file}: not a process file (expected .zaak, .yaml or .yml)");
                return ExitCode::from(2);
            }
        };
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {file}: {e}");
                return ExitCode::from(2);
            }
        };
        self.run(
            "POST",
            "/api/processes",
            Some(json!({"source": source, "syntax": syntax})),
        )
    }
}

/// Case data from the command line: a JSON object.
fn parse_data(data: Option<&str>) -> Result<Value, ExitCode> {
    match data {
        None => Ok(json!({})),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::Object(_)) => Ok(v),
            _ => {
                eprintln!("error: --data must be a JSON object, e.g. '{{\"naam\": \"Jansen\"}}'");
                Err(ExitCode::from(2))
            }
        },
    }
}

fn with_query(path: &str, query: &[String]) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
