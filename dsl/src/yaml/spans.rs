//! Spans for a model read from YAML, taken from the tree of the same document.
//!
//! serde builds the model without places; the tree knows where every key and value is written.
//! The model mirrors the YAML form key for key, so each name, step and expression finds its
//! node by the same keys serde read it from, whatever the style it is written in.

use super::tree::Node;
use crate::model::{
    Action, DataField, DeadlineEffect, Expr, Name, ProcessModel, Span, Step, StepKind, TimerWait,
};

/// Fills in the spans of a model read from the document whose tree is `root`.
pub(crate) fn fill(m: &mut ProcessModel, root: &Node, source: &str) {
    let at = Places { source };
    at.name(&mut m.process, root.get("process"));
    m.span = if m.process.span.is_empty() {
        at.first_line(root)
    } else {
        m.process.span
    };
    at.name(&mut m.start, root.get("start"));
    if let DeadlineEffect::VanRechtswege { result } = &mut m.on_deadline {
        let node = root
            .get("on_deadline")
            .and_then(|n| n.get("van_rechtswege"))
            .and_then(|n| n.get("result"));
        at.name(result, node);
    }
    macro_rules! named_items {
        ($list:expr, $key:literal) => {
            let items = root.get($key).map(Node::items).unwrap_or_default();
            for (x, item) in $list.iter_mut().zip(items) {
                x.span = at.first_line(item);
                at.name(&mut x.name, item.get("name"));
            }
        };
    }
    named_items!(m.teams, "teams");
    named_items!(m.roles, "roles");
    named_items!(m.messages, "messages");
    named_items!(m.statuses, "statuses");
    named_items!(m.results, "results");
    at.fields(&mut m.data, root.get("data"));
    let steps = root.get("steps").map(Node::items).unwrap_or_default();
    for (step, item) in m.steps.iter_mut().zip(steps) {
        at.step(step, item);
    }
}

struct Places<'s> {
    source: &'s str,
}

impl Places<'_> {
    /// The first line of a node, where a map or a list item is shown: `name: x` of a step in
    /// block style, the whole `{...}` of one written in flow style on one line.
    fn first_line(&self, node: &Node) -> Span {
        let text = self
            .source
            .get(node.span.start..node.span.end)
            .unwrap_or("");
        let line = text.find('\n').map_or(text, |n| &text[..n]).trim_end();
        Span::new(node.span.start, node.span.start + line.len())
    }

    fn name(&self, name: &mut Name, node: Option<&Node>) {
        if let Some(node) = node {
            name.span = node.span;
        }
    }

    fn expr(&self, expr: &mut Expr, node: Option<&Node>) {
        if let Some(node) = node {
            expr.span = node.span;
        }
    }

    fn names(&self, names: &mut [Name], node: Option<&Node>) {
        let items = node.map(Node::items).unwrap_or_default();
        for (name, item) in names.iter_mut().zip(items) {
            name.span = item.span;
        }
    }

    fn fields(&self, fields: &mut [DataField], node: Option<&Node>) {
        let items = node.map(Node::items).unwrap_or_default();
        for (f, item) in fields.iter_mut().zip(items) {
            f.span = self.first_line(item);
            self.name(&mut f.name, item.get("name"));
        }
    }

    fn step(&self, step: &mut Step, item: &Node) {
        step.span = self.first_line(item);
        self.name(&mut step.name, item.get("name"));
        let Some(k) = item.get(step.kind_word()) else {
            return;
        };
        match &mut step.kind {
            StepKind::Task(t) => {
                self.name(&mut t.team, k.get("team"));
                for (n, key) in [
                    (&mut t.role, "role"),
                    (&mut t.status_on_start, "status_on_start"),
                    (&mut t.status_on_end, "status_on_end"),
                    (&mut t.then, "then"),
                ] {
                    if let Some(n) = n {
                        self.name(n, k.get(key));
                    }
                }
                let items = k.get("outcomes").map(Node::items).unwrap_or_default();
                for (o, item) in t.outcomes.iter_mut().zip(items) {
                    o.span = self.first_line(item);
                    self.name(&mut o.name, item.get("name"));
                    if let Some(then) = &mut o.then {
                        self.name(then, item.get("then"));
                    }
                }
                self.fields(&mut t.fields, k.get("fields"));
            }
            StepKind::Auto(a) => {
                let items = k.get("actions").map(Node::items).unwrap_or_default();
                for (action, item) in a.actions.iter_mut().zip(items) {
                    match action {
                        Action::Set { field, value } => {
                            let set = item.get("set");
                            self.name(field, set.and_then(|s| s.get("field")));
                            self.expr(value, set.and_then(|s| s.get("value")));
                        }
                        Action::Status(n) => self.name(n, item.get("status")),
                        Action::Result(n) => self.name(n, item.get("result")),
                        Action::Letter(n) => self.name(n, item.get("letter")),
                        Action::Notify(n) => self.name(n, item.get("notify")),
                    }
                }
                self.name(&mut a.then, k.get("then"));
            }
            StepKind::Choice(c) | StepKind::Inclusive(c) => {
                let items = k.get("branches").map(Node::items).unwrap_or_default();
                for (b, item) in c.branches.iter_mut().zip(items) {
                    b.span = self.first_line(item);
                    self.expr(&mut b.when, item.get("when"));
                    self.name(&mut b.then, item.get("then"));
                }
                if let Some(o) = &mut c.otherwise {
                    self.name(o, k.get("otherwise"));
                }
            }
            StepKind::Parallel(p) => self.names(&mut p.branches, k.get("branches")),
            StepKind::Join(j) => {
                if let Some(split) = &mut j.split {
                    self.name(split, k.get("split"));
                }
                self.name(&mut j.then, k.get("then"));
            }
            StepKind::Wait(w) => {
                self.name(&mut w.message, k.get("message"));
                if let Some(t) = &mut w.timeout {
                    self.name(&mut t.then, k.get("timeout").and_then(|t| t.get("then")));
                }
                self.name(&mut w.then, k.get("then"));
            }
            StepKind::Timer(t) => {
                if let TimerWait::Until(field) = &mut t.wait {
                    self.name(field, k.get("until"));
                }
                self.name(&mut t.then, k.get("then"));
            }
            StepKind::Subcase(s) => {
                self.name(&mut s.process, k.get("process"));
                self.names(&mut s.pass, k.get("pass"));
                self.name(&mut s.then, k.get("then"));
            }
            StepKind::End(e) => {
                if let Some(r) = &mut e.result {
                    self.name(r, k.get("result"));
                }
                if let Some(s) = &mut e.status {
                    self.name(s, k.get("status"));
                }
            }
        }
    }
}
