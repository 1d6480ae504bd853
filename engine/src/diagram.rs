//! Diagrams of a process for designers and managers, in Graphviz DOT or Mermaid.
//!
//! The diagram shows steps, not the net's places and transitions: designers think in steps,
//! and the net's extra places (join arrivals, inclusive memos) would only confuse them. Each step
//! can carry a count, e.g. the number of open cases waiting there.

use std::collections::BTreeMap;
use std::fmt::Write;
use zaak_dsl::{ProcessModel, Step, StepKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    Dot,
    Mermaid,
}

/// One arrow between steps, with what it means.
struct Edge {
    from: String,
    to: String,
    label: String,
}

fn edges(model: &ProcessModel) -> Vec<Edge> {
    let mut out = Vec::new();
    for step in &model.steps {
        let from = step.name.as_str();
        let mut push = |to: &zaak_dsl::Name, label: String| {
            out.push(Edge {
                from: from.to_string(),
                to: to.name.clone(),
                label,
            })
        };
        match &step.kind {
            StepKind::Task(t) => {
                for o in &t.outcomes {
                    if let Some(to) = o.then.as_ref().or(t.then.as_ref()) {
                        push(to, o.name.name.clone());
                    }
                }
                if t.outcomes.is_empty() {
                    if let Some(to) = &t.then {
                        push(to, String::new());
                    }
                }
            }
            StepKind::Choice(c) | StepKind::Inclusive(c) => {
                for b in &c.branches {
                    push(&b.then, b.when.source.clone());
                }
                if let Some(to) = &c.otherwise {
                    push(to, "otherwise".into());
                }
            }
            StepKind::Wait(w) => {
                push(&w.then, w.message.name.clone());
                if let Some(t) = &w.timeout {
                    push(&t.then, format!("after {}", t.after));
                }
            }
            _ => {
                for to in step.successors() {
                    push(to, String::new());
                }
            }
        }
    }
    out
}

/// The text inside a step's box: its label (or name), its team for tasks, and its count.
fn caption(model: &ProcessModel, step: &Step, counts: &BTreeMap<String, u64>) -> String {
    let mut text = step
        .label
        .clone()
        .unwrap_or_else(|| step.name.name.replace('_', " "));
    if let StepKind::Task(t) = &step.kind {
        let team = model
            .team(t.team.as_str())
            .and_then(|team| team.label.clone())
            .unwrap_or_else(|| t.team.name.clone());
        text.push_str(&format!("\n[{team}]"));
    }
    if let StepKind::End(e) = &step.kind {
        if let Some(r) = &e.result {
            text.push_str(&format!("\nresult: {r}"));
        }
    }
    if let Some(n) = counts.get(step.name.as_str()).filter(|n| **n > 0) {
        text.push_str(&format!("\n({n} open)"));
    }
    text
}

/// Renders the process as a diagram; `counts` maps step names to a number shown in the step.
pub fn render(
    model: &ProcessModel,
    format: DiagramFormat,
    counts: &BTreeMap<String, u64>,
) -> String {
    match format {
        DiagramFormat::Dot => dot(model, counts),
        DiagramFormat::Mermaid => mermaid(model, counts),
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn dot(model: &ProcessModel, counts: &BTreeMap<String, u64>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(model.process.as_str()));
    let _ = writeln!(out, "    rankdir=TB;");
    let _ = writeln!(
        out,
        "    label=\"{} (version {})\";",
        dot_escape(&model.title),
        model.version
    );
    let _ = writeln!(out, "    node [fontname=\"Helvetica\"];");
    let _ = writeln!(out, "    \"(start)\" [shape=circle, label=\"start\"];");
    for step in &model.steps {
        let shape = match step.kind {
            StepKind::Task(_) => "box, style=rounded",
            StepKind::Auto(_) => "box",
            StepKind::Choice(_) | StepKind::Inclusive(_) => "diamond",
            StepKind::Parallel(_) | StepKind::Join(_) => "box, style=filled, fillcolor=gray90",
            StepKind::Wait(_) | StepKind::Timer(_) => "ellipse",
            StepKind::Subcase(_) => "box, peripheries=2",
            StepKind::End(_) => "doublecircle",
        };
        let _ = writeln!(
            out,
            "    \"{}\" [shape={shape}, label=\"{}\"];",
            dot_escape(step.name.as_str()),
            dot_escape(&caption(model, step, counts))
        );
    }
    let _ = writeln!(
        out,
        "    \"(start)\" -> \"{}\";",
        dot_escape(model.start.as_str())
    );
    for e in edges(model) {
        let label = if e.label.is_empty() {
            String::new()
        } else {
            format!(" [label=\"{}\"]", dot_escape(&e.label))
        };
        let _ = writeln!(
            out,
            "    \"{}\" -> \"{}\"{label};",
            dot_escape(&e.from),
            dot_escape(&e.to)
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid ids must be plain; step names already are (`[a-z_][a-z0-9_]*`), but a prefix keeps
/// them from clashing with Mermaid keywords such as `end`.
fn mermaid_id(name: &str) -> String {
    format!("s_{name}")
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', "<br/>")
}

fn mermaid(model: &ProcessModel, counts: &BTreeMap<String, u64>) -> String {
    let mut out = String::from("flowchart TD\n");
    let _ = writeln!(out, "    start((start))");
    for step in &model.steps {
        let id = mermaid_id(step.name.as_str());
        let text = mermaid_text(&caption(model, step, counts));
        let node = match step.kind {
            StepKind::Task(_) => format!("{id}(\"{text}\")"),
            StepKind::Auto(_) => format!("{id}[\"{text}\"]"),
            StepKind::Choice(_) | StepKind::Inclusive(_) => format!("{id}{{\"{text}\"}}"),
            StepKind::Parallel(_) | StepKind::Join(_) => format!("{id}[[\"{text}\"]]"),
            StepKind::Wait(_) | StepKind::Timer(_) => format!("{id}([\"{text}\"])"),
            StepKind::Subcase(_) => format!("{id}[/\"{text}\"/]"),
            StepKind::End(_) => format!("{id}(((\"{text}\")))"),
        };
        let _ = writeln!(out, "    {node}");
    }
    let _ = writeln!(out, "    start --> {}", mermaid_id(model.start.as_str()));
    for e in edges(model) {
        if e.label.is_empty() {
            let _ = writeln!(out, "    {} --> {}", mermaid_id(&e.from), mermaid_id(&e.to));
        } else {
            let _ = writeln!(
                out,
                "    {} -->|\"{}\"| {}",
                mermaid_id(&e.from),
                mermaid_text(&e.label),
                mermaid_id(&e.to)
            );
        }
    }
    out
}
