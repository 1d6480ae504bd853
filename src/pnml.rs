//! `zaak check` and `zaak convert` on Petri nets in PNML, as ProM and pm4py export them, so that
//! designers can check a process mined from their event logs and start a redesign from it.

use crate::check::USAGE;
use crate::Target;
use std::process::ExitCode;
use zaak_dsl::{Code, Diagnostic, SourceFile, Span};
use zaak_engine::pnml::{check_workflow_net, parse_pnml, to_model, to_net};
use zaak_engine::soundness::{self, Violation, ViolationKind};

/// Codes for what is wrong with a PNML file before soundness comes into it.
const NOT_PNML: Code = Code::NotPnml;
const NOT_A_WORKFLOW_NET: Code = Code::NotAWorkflowNet;

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn marking(v: &Violation) -> String {
    let places: Vec<String> = v
        .marking
        .iter()
        .map(|(p, n)| {
            if *n == 1 {
                p.clone()
            } else {
                format!("{p} ({n})")
            }
        })
        .collect();
    list(&places)
}

/// A soundness finding on a net without steps, in the net's own words.
fn violation(v: &Violation) -> Diagnostic {
    let (code, message) = match v.kind {
        ViolationKind::Deadlock => (
            Code::Deadlock,
            format!("the net can get stuck: nothing can fire with tokens in {}", marking(v)),
        ),
        ViolationKind::NoOptionToComplete => (
            Code::NoWayOut,
            format!(
                "the net can reach a state from which the end is never reached (it circles through {})",
                list(&v.involved)
            ),
        ),
        ViolationKind::ImproperCompletion => (
            Code::WorkLeftBehind,
            format!("the end is reached while tokens are left in {}", marking(v)),
        ),
        ViolationKind::DeadTransition => (
            Code::NeverRuns,
            format!("transition {} can never fire", list(&v.involved)),
        ),
        ViolationKind::Unbounded => (
            Code::Unbounded,
            format!("tokens pile up without limit in {}", list(&v.involved)),
        ),
    };
    let help = match v.kind {
        ViolationKind::DeadTransition => {
            "no state the net can reach lets it fire, even when every choice is free".to_string()
        }
        _ if v.trace.is_empty() => "this happens right at the start".to_string(),
        _ => format!(
            "shortest way there: {}. Choices are treated as free: any branch may be taken.",
            v.trace.join(" -> ")
        ),
    };
    Diagnostic::new(code, Span::default(), message).with_help(help)
}

/// Checks a PNML net: that it is PNML, that it is a workflow net, and that it is sound.
pub fn check(text: &str, limit: usize) -> Vec<Diagnostic> {
    let pn = match parse_pnml(text) {
        Ok(pn) => pn,
        Err(e) => {
            return vec![Diagnostic::new(NOT_PNML, Span::default(), e.to_string())
                .with_help("export the net as PNML from ProM or pm4py")]
        }
    };
    let problems = check_workflow_net(&pn);
    if !problems.is_empty() {
        return problems
            .iter()
            .map(|p| {
                Diagnostic::new(NOT_A_WORKFLOW_NET, Span::default(), format!("not a workflow net: {p}"))
                    .with_help("a workflow net has one start place, one end place, and every place and transition lies on a path from start to end")
            })
            .collect();
    }
    let net = match to_net(&pn) {
        Ok(net) => net,
        Err(problems) => {
            return problems
                .iter()
                .map(|p| Diagnostic::new(NOT_A_WORKFLOW_NET, Span::default(), p.to_string()))
                .collect()
        }
    };
    let report = soundness::check(&net, limit);
    let mut out: Vec<Diagnostic> = report.violations.iter().map(violation).collect();
    if report.limit_hit {
        out.push(
            Diagnostic::new(
                Code::LimitReached,
                Span::default(),
                format!(
                    "the soundness check stopped after {} states without a verdict",
                    report.states
                ),
            )
            .with_help("raise the limit with --limit"),
        );
    }
    out
}

/// A PNML finding as one line per fact: the XML's lines would not help a designer.
pub fn render(file: &SourceFile, d: &Diagnostic) -> String {
    let severity = if d.is_error() { "error" } else { "warning" };
    let mut out = format!("{}: {severity}[{}]: {}", file.path, d.code, d.message);
    if let Some(help) = &d.help {
        out.push_str("\n  help: ");
        out.push_str(help);
    }
    out
}

/// A process skeleton from a PNML net: each visible transition a task.
pub fn convert(file: &str, to: Target) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let model = parse_pnml(&text)
        .map_err(|e| vec![e.to_string()])
        .and_then(|pn| to_model(&pn).map_err(|ps| ps.iter().map(|p| p.to_string()).collect()));
    match model {
        Ok(model) => {
            match to {
                Target::Zaak => print!("{}", zaak_dsl::to_text(&model)),
                Target::Yaml => print!("{}", zaak_dsl::to_yaml(&model)),
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in problems {
                eprintln!("{file}: error: {p}");
            }
            ExitCode::from(1)
        }
    }
}
