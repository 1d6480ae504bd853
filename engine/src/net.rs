//! The workflow net a process compiles to: places, transitions and the arcs between them.
//!
//! Each transition lists its input and output places with their weights (`pre`/`post`), so that
//! firing it touches a few integers and no graph structure. The same net is also held as a
//! petgraph [`DiGraph`], in which the soundness check finds its cycles.
//!
//! Invariants (checked by the compiler's tests):
//! - exactly one source place (`source`, holds the start token) and one sink place (`sink`);
//! - every place and transition keeps the span of the step it came from;
//! - a place's index in `places` is its [`PlaceId`], a transition's index in `transitions` its
//!   [`TransitionId`]; both are stable for a compiled version, so markings can be stored.

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};
use zaak_dsl::{Action, Expr, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlaceId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TransitionId(pub u32);

/// What a token resting in a place means for the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceKind {
    /// Where a new case's token starts.
    Source,
    /// Where the token ends; a case whose only token is here is complete.
    Sink,
    /// Between steps; automatic transitions move a token on at once.
    Flow,
    /// A branch arrived at the join `join` from the step `from` (`start` when the join is the
    /// start step); the join fires once every arrival it needs holds a token.
    Arrival { join: String, from: String },
    /// A human task is open for the step; completing it fires one of its outcome transitions.
    Task { step: String },
    /// Waiting for a message (and perhaps a timeout).
    Wait { step: String, message: String },
    /// Waiting for a timer.
    Timer { step: String },
    /// Waiting for a deelzaak to close.
    Subcase { step: String },
    /// Remembers which branches an inclusive split started, for its join.
    InclusiveMemo { split: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub id: PlaceId,
    /// Unique, readable: `volledigheid`, `advies_binnen<welstandsadvies`, `start`, `end`.
    pub name: String,
    /// The step this place belongs to, if any.
    pub step: Option<String>,
    pub kind: PlaceKind,
    pub span: Span,
}

/// What makes a transition fire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// Fires as soon as it is enabled (and its guard holds): routing, automatic steps, ends.
    Auto,
    /// A worker completed the task of `step` with `outcome` (`None` for a task without outcomes).
    TaskDone {
        step: String,
        outcome: Option<String>,
    },
    /// The awaited message arrived.
    Message { step: String, message: String },
    /// The timer of a timer step, or the timeout of a wait step, went off.
    Timer { step: String },
    /// The deelzaak started by `step` closed.
    SubcaseDone { step: String },
}

/// A condition on a transition. For soundness, guards are free choices: any may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    /// The branch condition holds and none of the earlier ones do (exclusive choice).
    First { when: Expr, earlier: Vec<Expr> },
    /// None of the conditions hold (`otherwise`).
    NoneOf(Vec<Expr>),
    /// Exactly the conditions in `holds` hold and the others do not (inclusive split subsets).
    Exactly { holds: Vec<Expr>, fails: Vec<Expr> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub id: TransitionId,
    /// Unique, readable: `volledigheid:onvolledig`, `advies_nodig:otherwise`.
    pub name: String,
    pub step: Option<String>,
    pub trigger: Trigger,
    pub guard: Option<Guard>,
    /// What the step does when this transition fires (automatic steps, task end statuses, ends).
    pub actions: Vec<Action>,
    /// Input places with their arc weights.
    pub pre: Vec<(PlaceId, u32)>,
    /// Output places with their arc weights.
    pub post: Vec<(PlaceId, u32)>,
    pub span: Span,
}

/// A node of the net's graph: a place or a transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Place(PlaceId),
    Transition(TransitionId),
}

/// A compiled workflow net.
#[derive(Debug, Clone)]
pub struct Net {
    pub process: String,
    pub version: u32,
    pub places: Vec<Place>,
    pub transitions: Vec<Transition>,
    pub source: PlaceId,
    pub sink: PlaceId,
    /// The same net as a graph, for analysis (the soundness check finds its cycles); arc
    /// weights on the edges.
    pub(crate) graph: DiGraph<Node, u32>,
    /// The graph node of each transition, by `TransitionId`.
    pub(crate) transition_nodes: Vec<NodeIndex>,
}

impl Net {
    /// A net from its places and transitions, with the graph built from their arcs. Places and
    /// transitions must be numbered by their position, and every arc must name a place.
    pub fn from_parts(
        process: String,
        version: u32,
        places: Vec<Place>,
        transitions: Vec<Transition>,
        source: PlaceId,
        sink: PlaceId,
    ) -> Net {
        let mut graph = DiGraph::new();
        let place_nodes: Vec<NodeIndex> = places
            .iter()
            .map(|p| graph.add_node(Node::Place(p.id)))
            .collect();
        let transition_nodes: Vec<NodeIndex> = transitions
            .iter()
            .map(|t| graph.add_node(Node::Transition(t.id)))
            .collect();
        for t in &transitions {
            let tn = transition_nodes[t.id.0 as usize];
            for &(p, w) in &t.pre {
                graph.add_edge(place_nodes[p.0 as usize], tn, w);
            }
            for &(p, w) in &t.post {
                graph.add_edge(tn, place_nodes[p.0 as usize], w);
            }
        }
        Net {
            process,
            version,
            places,
            transitions,
            source,
            sink,
            graph,
            transition_nodes,
        }
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    pub fn transition(&self, id: TransitionId) -> &Transition {
        &self.transitions[id.0 as usize]
    }

    pub fn place_by_name(&self, name: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.name == name)
    }

    pub fn transition_by_name(&self, name: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.name == name)
    }

    /// The net in a compact, stable text form: one line per place, one per transition with its
    /// trigger, guard, actions and arcs. For golden tests and for reading a compiled process.
    pub fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "net {} v{}", self.process, self.version);
        for p in &self.places {
            let kind = match &p.kind {
                PlaceKind::Source => "source".to_string(),
                PlaceKind::Sink => "sink".to_string(),
                PlaceKind::Flow => "flow".to_string(),
                PlaceKind::Arrival { from, .. } => format!("arrival from {from}"),
                PlaceKind::Task { step } => format!("task {step}"),
                PlaceKind::Wait { step, message } => format!("wait {step} for {message}"),
                PlaceKind::Timer { step } => format!("timer {step}"),
                PlaceKind::Subcase { step } => format!("subcase {step}"),
                PlaceKind::InclusiveMemo { split } => format!("memo of {split}"),
            };
            let _ = writeln!(out, "place {} ({kind})", p.name);
        }
        let arcs = |arcs: &[(PlaceId, u32)]| {
            arcs.iter()
                .map(|&(p, w)| {
                    let name = &self.place(p).name;
                    if w == 1 {
                        name.clone()
                    } else {
                        format!("{w}*{name}")
                    }
                })
                .collect::<Vec<_>>()
                .join(" + ")
        };
        for t in &self.transitions {
            let trigger = match &t.trigger {
                Trigger::Auto => "auto".to_string(),
                Trigger::TaskDone {
                    step,
                    outcome: Some(o),
                } => format!("task {step} done {o}"),
                Trigger::TaskDone {
                    step,
                    outcome: None,
                } => format!("task {step} done"),
                Trigger::Message { step, message } => format!("message {message} at {step}"),
                Trigger::Timer { step } => format!("timer {step}"),
                Trigger::SubcaseDone { step } => format!("subcase {step} done"),
            };
            let _ = write!(
                out,
                "transition {} [{trigger}]: {} -> {}",
                t.name,
                arcs(&t.pre),
                arcs(&t.post)
            );
            let exprs = |es: &[Expr]| {
                es.iter()
                    .map(|e| e.source.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match &t.guard {
                None => {}
                Some(Guard::First { when, earlier }) => {
                    let _ = write!(out, " if {} unless [{}]", when.source, exprs(earlier));
                }
                Some(Guard::NoneOf(es)) => {
                    let _ = write!(out, " if none of [{}]", exprs(es));
                }
                Some(Guard::Exactly { holds, fails }) => {
                    let _ = write!(out, " if [{}] and not [{}]", exprs(holds), exprs(fails));
                }
            }
            for a in &t.actions {
                let _ = match a {
                    Action::Set { field, value } => {
                        write!(out, " ; set {field} = {}", value.source)
                    }
                    Action::Status(s) => write!(out, " ; status {s}"),
                    Action::Result(r) => write!(out, " ; result {r}"),
                    Action::Letter(l) => write!(out, " ; letter {l}"),
                    Action::Notify(n) => write!(out, " ; notify {n}"),
                };
            }
            out.push('\n');
        }
        out
    }
}

/// A case's position in its net: how many tokens each place holds, indexed by [`PlaceId`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Marking(pub Vec<u32>);

impl Marking {
    /// The marking of a new case: one token in the source place.
    pub fn initial(net: &Net) -> Marking {
        let mut m = vec![0; net.places.len()];
        m[net.source.0 as usize] = 1;
        Marking(m)
    }

    pub fn tokens(&self, p: PlaceId) -> u32 {
        self.0[p.0 as usize]
    }

    pub fn is_enabled(&self, t: &Transition) -> bool {
        t.pre.iter().all(|&(p, w)| self.tokens(p) >= w)
    }

    /// Fires an enabled transition in place. Callers check `is_enabled` first.
    pub fn fire(&mut self, t: &Transition) {
        for &(p, w) in &t.pre {
            self.0[p.0 as usize] -= w;
        }
        for &(p, w) in &t.post {
            self.0[p.0 as usize] += w;
        }
    }

    /// The case is complete: one token, in the sink.
    pub fn is_final(&self, net: &Net) -> bool {
        self.0.iter().enumerate().all(|(i, &n)| {
            if i == net.sink.0 as usize {
                n == 1
            } else {
                n == 0
            }
        })
    }

    /// Places holding tokens, with their counts.
    pub fn occupied(&self) -> impl Iterator<Item = (PlaceId, u32)> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (PlaceId(i as u32), n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(i: u32, kind: PlaceKind) -> Place {
        Place {
            id: PlaceId(i),
            name: format!("p{i}"),
            step: None,
            kind,
            span: Span::default(),
        }
    }

    fn transition(i: u32, pre: &[(u32, u32)], post: &[(u32, u32)]) -> Transition {
        let arcs = |a: &[(u32, u32)]| a.iter().map(|&(p, w)| (PlaceId(p), w)).collect();
        Transition {
            id: TransitionId(i),
            name: format!("t{i}"),
            step: None,
            trigger: Trigger::Auto,
            guard: None,
            actions: Vec::new(),
            pre: arcs(pre),
            post: arcs(post),
            span: Span::default(),
        }
    }

    /// The graph has a node per place and transition and exactly the arcs of `pre` and `post`,
    /// with their weights.
    #[test]
    fn the_graph_holds_the_arcs_of_the_transitions() {
        let places = vec![
            place(0, PlaceKind::Source),
            place(1, PlaceKind::Sink),
            place(2, PlaceKind::Flow),
        ];
        let transitions = vec![
            transition(0, &[(0, 1)], &[(2, 2)]),
            transition(1, &[(2, 2)], &[(1, 1)]),
        ];
        let net = Net::from_parts("p".into(), 1, places, transitions, PlaceId(0), PlaceId(1));
        // Places are the graph's first nodes, in their order.
        let place_node = |p: PlaceId| NodeIndex::new(p.0 as usize);
        assert_eq!(net.transition_nodes.len(), 2);
        for p in &net.places {
            assert_eq!(net.graph[place_node(p.id)], Node::Place(p.id));
        }
        let mut arcs = 0;
        for (i, t) in net.transitions.iter().enumerate() {
            let tn = net.transition_nodes[i];
            assert_eq!(net.graph[tn], Node::Transition(t.id));
            for &(p, w) in &t.pre {
                let e = net.graph.find_edge(place_node(p), tn);
                assert_eq!(e.map(|e| net.graph[e]), Some(w));
            }
            for &(p, w) in &t.post {
                let e = net.graph.find_edge(tn, place_node(p));
                assert_eq!(e.map(|e| net.graph[e]), Some(w));
            }
            arcs += t.pre.len() + t.post.len();
        }
        assert_eq!(net.graph.edge_count(), arcs);
    }
}
