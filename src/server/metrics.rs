//! Counters for `/metrics`, in the Prometheus text format.
//!
//! Kept in memory per server process: Prometheus adds them up across nodes and copes with a
//! restart resetting them.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Default)]
pub struct Metrics {
    cases_started: AtomicU64,
    /// By (command, outcome): `ok`, or the problem code.
    commands: Mutex<BTreeMap<(String, String), u64>>,
    /// By (action, outcome) for claim, release, assign and complete.
    tasks: Mutex<BTreeMap<(String, String), u64>>,
    /// By status code.
    responses: Mutex<BTreeMap<u16, u64>>,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    /// Microseconds, so that an integer adds up exactly.
    latency_sum_micros: AtomicU64,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    // A poisoned lock still holds valid counts: a panic elsewhere cannot half-write a u64.
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    *map.entry(key).or_insert(0) += 1;
}

impl Metrics {
    pub fn case_started(&self) {
        self.cases_started.fetch_add(1, Ordering::Relaxed);
    }

    pub fn command(&self, command: &str, outcome: &str) {
        bump(&self.commands, (command.to_string(), outcome.to_string()));
    }

    pub fn task_action(&self, action: &str, outcome: &str) {
        bump(&self.tasks, (action.to_string(), outcome.to_string()));
    }

    pub fn response(&self, status: u16, took: Duration) {
        bump(&self.responses, status);
        let secs = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.latency_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP zaak_cases_started_total Cases started through the API."
        );
        let _ = writeln!(out, "# TYPE zaak_cases_started_total counter");
        let _ = writeln!(
            out,
            "zaak_cases_started_total {}",
            self.cases_started.load(Ordering::Relaxed)
        );
        let pairs = |out: &mut String,
                     name: &str,
                     label: &str,
                     map: &Mutex<BTreeMap<(String, String), u64>>| {
            let map = map.lock().unwrap_or_else(|e| e.into_inner());
            for ((what, outcome), n) in map.iter() {
                let _ = writeln!(
                    out,
                    "{name}{{{label}=\"{}\",outcome=\"{}\"}} {n}",
                    escape(what),
                    escape(outcome)
                );
            }
        };
        let _ = writeln!(
            out,
            "# HELP zaak_commands_total Commands on cases, by outcome."
        );
        let _ = writeln!(out, "# TYPE zaak_commands_total counter");
        pairs(&mut out, "zaak_commands_total", "command", &self.commands);
        let _ = writeln!(
            out,
            "# HELP zaak_task_actions_total Task actions, by outcome."
        );
        let _ = writeln!(out, "# TYPE zaak_task_actions_total counter");
        pairs(&mut out, "zaak_task_actions_total", "action", &self.tasks);
        let _ = writeln!(
            out,
            "# HELP zaak_http_responses_total HTTP responses by status."
        );
        let _ = writeln!(out, "# TYPE zaak_http_responses_total counter");
        {
            let map = self.responses.lock().unwrap_or_else(|e| e.into_inner());
            for (status, n) in map.iter() {
                let _ = writeln!(out, "zaak_http_responses_total{{status=\"{status}\"}} {n}");
            }
        }
        let _ = writeln!(
            out,
            "# HELP zaak_http_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(out, "# TYPE zaak_http_request_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "zaak_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.latency_buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "zaak_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "zaak_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "zaak_http_request_duration_seconds_count {count}");
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
