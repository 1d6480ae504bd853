//! Petri nets in PNML, as exported by process mining tools (ProM, pm4py): read them, check that
//! they are workflow nets, check their soundness with [`crate::soundness`], and turn them into a
//! process skeleton to start a design from.
//!
//! What is read: `pnml > net > page > place / transition / arc` (pages may nest, and places,
//! transitions and arcs directly under `net` are read too), names from `<name><text>`, arc
//! weights from `<inscription><text>`, `<initialMarking>` and the optional `<finalmarkings>`.
//! A transition is silent (a routing step, no work) when a `<toolspecific>` element marks it
//! `activity="$invisible$"`, as ProM and pm4py write it. Anything else is ignored. Reading never
//! panics: malformed XML and broken references are [`PnmlError`]s.

use crate::net::{Net, Place, PlaceId, PlaceKind, Transition, TransitionId, Trigger};
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use zaak_dsl::{
    AutoStep, EndStep, JoinMode, JoinStep, Name, Outcome, ParallelStep, ProcessModel, Span, Step,
    StepKind, TaskStep, Team,
};

/// A Petri net as read from PNML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetriNet {
    pub id: String,
    pub name: Option<String>,
    pub places: Vec<PnPlace>,
    pub transitions: Vec<PnTransition>,
    pub arcs: Vec<PnArc>,
    /// Final markings as place ids with token counts; often absent.
    pub final_markings: Vec<Vec<(String, u32)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PnPlace {
    pub id: String,
    pub name: Option<String>,
    pub initial_tokens: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PnTransition {
    pub id: String,
    pub name: Option<String>,
    /// A routing transition that stands for no work (`$invisible$`, "tau").
    pub silent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PnArc {
    pub id: Option<String>,
    pub source: String,
    pub target: String,
    pub weight: u32,
}

/// Why a PNML file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PnmlError {
    #[error("this is not well-formed XML: {0}")]
    Xml(String),
    #[error("the file has no <net> element; is it PNML?")]
    NoNet,
    #[error("a <{element}> at line {line} has no id")]
    MissingId { element: &'static str, line: u32 },
    #[error("the id `{0}` is used twice")]
    DuplicateId(String),
    #[error("the arc at line {line} refers to `{node}`, which is no place or transition")]
    UnknownNode { node: String, line: u32 },
    #[error("the arc at line {line} connects `{from}` and `{to}`, which are both places or both transitions")]
    SameKind { from: String, to: String, line: u32 },
    #[error("`{text}` at line {line} is not a number of tokens")]
    BadNumber { text: String, line: u32 },
}

/// Places with arc weights, by place index.
type Arcs = Vec<(usize, u32)>;

impl PetriNet {
    /// The readable name of a place: its name, or its id when it has none.
    pub fn place_label(&self, i: usize) -> &str {
        let p = &self.places[i];
        p.name.as_deref().unwrap_or(&p.id)
    }

    pub fn transition_label(&self, i: usize) -> &str {
        let t = &self.transitions[i];
        t.name.as_deref().unwrap_or(&t.id)
    }

    fn place_index(&self, id: &str) -> Option<usize> {
        self.places.iter().position(|p| p.id == id)
    }

    fn transition_index(&self, id: &str) -> Option<usize> {
        self.transitions.iter().position(|t| t.id == id)
    }

    /// Input and output places of each transition, by index, with weights.
    fn arcs_by_transition(&self) -> Vec<(Arcs, Arcs)> {
        let mut out = vec![(Vec::new(), Vec::new()); self.transitions.len()];
        for a in &self.arcs {
            if let (Some(p), Some(t)) = (
                self.place_index(&a.source),
                self.transition_index(&a.target),
            ) {
                out[t].0.push((p, a.weight));
            } else if let (Some(t), Some(p)) = (
                self.transition_index(&a.source),
                self.place_index(&a.target),
            ) {
                out[t].1.push((p, a.weight));
            }
        }
        out
    }
}

fn line_of(doc: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> u32 {
    doc.text_pos_at(node.range().start).row
}

/// The text of `<child><text>...</text></child>`, trimmed.
fn child_text<'a>(node: roxmltree::Node<'a, '_>, child: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(child))?
        .children()
        .find(|c| c.has_tag_name("text"))?
        .text()
        .map(str::trim)
}

fn tokens(
    doc: &roxmltree::Document<'_>,
    node: roxmltree::Node<'_, '_>,
    text: &str,
) -> Result<u32, PnmlError> {
    text.parse().map_err(|_| PnmlError::BadNumber {
        text: text.to_string(),
        line: line_of(doc, node),
    })
}

/// Reads a Petri net from PNML. Never panics, whatever the input.
pub fn parse_pnml(xml: &str) -> Result<PetriNet, PnmlError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| PnmlError::Xml(e.to_string()))?;
    let net = doc
        .descendants()
        .find(|n| n.has_tag_name("net"))
        .ok_or(PnmlError::NoNet)?;
    let mut pn = PetriNet {
        id: net.attribute("id").unwrap_or("net").to_string(),
        name: child_text(net, "name").map(str::to_string),
        places: Vec::new(),
        transitions: Vec::new(),
        arcs: Vec::new(),
        final_markings: Vec::new(),
    };
    let mut ids = HashSet::new();
    // Walk the net and its pages, not into places, transitions or final markings.
    let mut stack = vec![net];
    while let Some(container) = stack.pop() {
        for n in container.children().filter(|n| n.is_element()) {
            let tag = n.tag_name().name();
            let line = line_of(&doc, n);
            match tag {
                "page" => stack.push(n),
                "place" | "transition" => {
                    let element = if tag == "place" {
                        "place"
                    } else {
                        "transition"
                    };
                    let id = n
                        .attribute("id")
                        .ok_or(PnmlError::MissingId { element, line })?;
                    if !ids.insert(id.to_string()) {
                        return Err(PnmlError::DuplicateId(id.to_string()));
                    }
                    let name = child_text(n, "name")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string);
                    if tag == "place" {
                        let initial_tokens = match child_text(n, "initialMarking") {
                            Some(t) => tokens(&doc, n, t)?,
                            None => 0,
                        };
                        pn.places.push(PnPlace {
                            id: id.to_string(),
                            name,
                            initial_tokens,
                        });
                    } else {
                        let silent = n.children().any(|c| {
                            c.has_tag_name("toolspecific")
                                && c.attribute("activity") == Some("$invisible$")
                        });
                        pn.transitions.push(PnTransition {
                            id: id.to_string(),
                            name,
                            silent,
                        });
                    }
                }
                "arc" => {
                    let source = n.attribute("source");
                    let target = n.attribute("target");
                    let (Some(source), Some(target)) = (source, target) else {
                        return Err(PnmlError::MissingId {
                            element: "arc source or target",
                            line,
                        });
                    };
                    let weight = match child_text(n, "inscription") {
                        Some(t) => tokens(&doc, n, t)?,
                        None => 1,
                    };
                    pn.arcs.push(PnArc {
                        id: n.attribute("id").map(str::to_string),
                        source: source.to_string(),
                        target: target.to_string(),
                        weight,
                    });
                }
                "finalmarkings" => {
                    for m in n.children().filter(|c| c.has_tag_name("marking")) {
                        let mut marking = Vec::new();
                        for p in m.children().filter(|c| c.has_tag_name("place")) {
                            let Some(idref) = p.attribute("idref") else {
                                continue;
                            };
                            let count = match p
                                .children()
                                .find(|c| c.has_tag_name("text"))
                                .and_then(|t| t.text())
                            {
                                Some(t) => tokens(&doc, p, t.trim())?,
                                None => 1,
                            };
                            if count > 0 {
                                marking.push((idref.to_string(), count));
                            }
                        }
                        pn.final_markings.push(marking);
                    }
                }
                _ => {}
            }
        }
    }
    // Arcs are checked once every node is known, as arcs may come before their nodes.
    for n in doc.descendants().filter(|n| n.has_tag_name("arc")) {
        let line = line_of(&doc, n);
        let (Some(source), Some(target)) = (n.attribute("source"), n.attribute("target")) else {
            continue;
        };
        for node in [source, target] {
            if pn.place_index(node).is_none() && pn.transition_index(node).is_none() {
                return Err(PnmlError::UnknownNode {
                    node: node.to_string(),
                    line,
                });
            }
        }
        if pn.place_index(source).is_some() == pn.place_index(target).is_some() {
            return Err(PnmlError::SameKind {
                from: source.to_string(),
                to: target.to_string(),
                line,
            });
        }
    }
    Ok(pn)
}

/// Why a Petri net is not a workflow net.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowProblem {
    /// Every place has an incoming arc: there is no place for a case to start in.
    NoSource,
    /// More than one place has no incoming arc.
    SeveralSources(Vec<String>),
    NoSink,
    /// More than one place has no outgoing arc.
    SeveralSinks(Vec<String>),
    /// Places or transitions that are not on a path from the source to the sink.
    NotOnPath(Vec<String>),
}

impl fmt::Display for WorkflowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            WorkflowProblem::NoSource => {
                f.write_str("no place is without incoming arcs, so there is no start place")
            }
            WorkflowProblem::SeveralSources(v) => write!(
                f,
                "a workflow net has one start place, but {} have no incoming arcs",
                list(v)
            ),
            WorkflowProblem::NoSink => {
                f.write_str("no place is without outgoing arcs, so there is no end place")
            }
            WorkflowProblem::SeveralSinks(v) => write!(
                f,
                "a workflow net has one end place, but {} have no outgoing arcs",
                list(v)
            ),
            WorkflowProblem::NotOnPath(v) => write!(
                f,
                "{} are not on a path from the start place to the end place",
                list(v)
            ),
        }
    }
}

/// The source and sink place indexes, or the problems that keep the net from being a workflow
/// net.
fn workflow_shape(pn: &PetriNet) -> Result<(usize, usize), Vec<WorkflowProblem>> {
    let mut has_in = vec![false; pn.places.len()];
    let mut has_out = vec![false; pn.places.len()];
    for a in &pn.arcs {
        if let Some(p) = pn.place_index(&a.target) {
            has_in[p] = true;
        }
        if let Some(p) = pn.place_index(&a.source) {
            has_out[p] = true;
        }
    }
    let sources: Vec<usize> = (0..pn.places.len()).filter(|&p| !has_in[p]).collect();
    let sinks: Vec<usize> = (0..pn.places.len()).filter(|&p| !has_out[p]).collect();
    let labels = |v: &[usize]| v.iter().map(|&p| pn.place_label(p).to_string()).collect();
    let mut problems = Vec::new();
    match sources.len() {
        0 => problems.push(WorkflowProblem::NoSource),
        1 => {}
        _ => problems.push(WorkflowProblem::SeveralSources(labels(&sources))),
    }
    match sinks.len() {
        0 => problems.push(WorkflowProblem::NoSink),
        1 => {}
        _ => problems.push(WorkflowProblem::SeveralSinks(labels(&sinks))),
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (source, sink) = (sources[0], sinks[0]);
    // Nodes: places first, then transitions.
    let np = pn.places.len();
    let node = |id: &str| {
        pn.place_index(id)
            .or_else(|| pn.transition_index(id).map(|t| np + t))
    };
    let n = np + pn.transitions.len();
    let mut fwd = vec![Vec::new(); n];
    let mut back = vec![Vec::new(); n];
    for a in &pn.arcs {
        if let (Some(s), Some(t)) = (node(&a.source), node(&a.target)) {
            fwd[s].push(t);
            back[t].push(s);
        }
    }
    let reach = |from: usize, edges: &[Vec<usize>]| {
        let mut seen = vec![false; n];
        let mut queue = VecDeque::from([from]);
        while let Some(x) = queue.pop_front() {
            if std::mem::replace(&mut seen[x], true) {
                continue;
            }
            queue.extend(&edges[x]);
        }
        seen
    };
    let from_source = reach(source, &fwd);
    let to_sink = reach(sink, &back);
    let off: Vec<String> = (0..n)
        .filter(|&x| !(from_source[x] && to_sink[x]))
        .map(|x| {
            if x < np {
                pn.place_label(x).to_string()
            } else {
                pn.transition_label(x - np).to_string()
            }
        })
        .collect();
    if !off.is_empty() {
        return Err(vec![WorkflowProblem::NotOnPath(off)]);
    }
    Ok((source, sink))
}

/// Whether `pn` is a workflow net: one source place, one sink place, every node on a path from
/// the one to the other. Empty when it is.
pub fn check_workflow_net(pn: &PetriNet) -> Vec<WorkflowProblem> {
    workflow_shape(pn).err().unwrap_or_default()
}

fn unique(names: &mut HashSet<String>, base: &str, sep: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while names.contains(&name) {
        name = format!("{base}{sep}{n}");
        n += 1;
    }
    names.insert(name.clone());
    name
}

/// The workflow net as our [`Net`], so that [`crate::soundness::check`] applies: places become
/// flow places (the source and sink keep their role), visible transitions become task
/// completions and silent ones automatic transitions. Names are the PNML names, made unique.
pub fn to_net(pn: &PetriNet) -> Result<Net, Vec<WorkflowProblem>> {
    let (source, sink) = workflow_shape(pn)?;
    let mut names = HashSet::new();
    let places: Vec<Place> = (0..pn.places.len())
        .map(|i| Place {
            id: PlaceId(i as u32),
            name: unique(&mut names, pn.place_label(i), "#"),
            step: None,
            kind: if i == source {
                PlaceKind::Source
            } else if i == sink {
                PlaceKind::Sink
            } else {
                PlaceKind::Flow
            },
            span: Span::default(),
        })
        .collect();
    let mut names = HashSet::new();
    let arcs = pn.arcs_by_transition();
    let transitions: Vec<Transition> = pn
        .transitions
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = unique(&mut names, pn.transition_label(i), "#");
            let trigger = if t.silent {
                Trigger::Auto
            } else {
                Trigger::TaskDone {
                    step: name.clone(),
                    outcome: None,
                }
            };
            let merge = |v: &[(usize, u32)]| {
                let mut out: Vec<(PlaceId, u32)> = Vec::new();
                for &(p, w) in v {
                    match out.iter_mut().find(|(q, _)| q.0 as usize == p) {
                        Some((_, sum)) => *sum += w,
                        None => out.push((PlaceId(p as u32), w)),
                    }
                }
                out
            };
            Transition {
                id: TransitionId(i as u32),
                step: Some(name.clone()),
                name,
                trigger,
                guard: None,
                actions: Vec::new(),
                pre: merge(&arcs[i].0),
                post: merge(&arcs[i].1),
                span: Span::default(),
            }
        })
        .collect();
    Ok(Net::from_parts(
        pn.id.clone(),
        1,
        places,
        transitions,
        PlaceId(source as u32),
        PlaceId(sink as u32),
    ))
}

/// The team every task of a skeleton gets, for the designer to replace.
pub const PLACEHOLDER_TEAM: &str = "onbekend";

/// An identifier in the process language made from a PNML label.
fn identifier(label: &str) -> String {
    let mut s: String = label
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    let s = s.trim_matches('_').to_string();
    match s.chars().next() {
        None => "stap".to_string(),
        Some(c) if c.is_ascii_digit() => format!("stap_{s}"),
        Some(_) => s,
    }
}

/// A process skeleton with the behaviour of a workflow net, to start a design from.
///
/// Each visible transition becomes a task of team `onbekend`, each silent one an automatic step
/// without actions (or, when it splits, just the parallel split). A transition with several
/// output places is followed by a `parallel` split; a transition with several input places is
/// preceded by a `join all`. A place with several outgoing transitions is an exclusive choice:
/// the task before it gets one outcome per following transition when it is the only way into
/// the place and leads nowhere else, and otherwise a task `kies_<place>` makes the choice. A
/// place that several transitions lead into, in front of a join, gets an automatic step
/// `via_<place>` so that the join waits for it once. The sink becomes the end step `einde`.
///
/// For free-choice nets (a place with several outgoing transitions is their only input place)
/// with arc weights of one, the skeleton is sound exactly when the net is. In other nets a
/// choice may be made before the tokens it depends on are there. Nets that are not workflow
/// nets give their problems instead.
pub fn to_model(pn: &PetriNet) -> Result<ProcessModel, Vec<WorkflowProblem>> {
    let (source, sink) = workflow_shape(pn)?;
    let arcs = pn.arcs_by_transition();
    let nt = pn.transitions.len();
    let np = pn.places.len();
    let mut place_out: Vec<Vec<usize>> = vec![Vec::new(); np];
    let mut place_in: Vec<Vec<usize>> = vec![Vec::new(); np];
    for (t, (pre, post)) in arcs.iter().enumerate() {
        for &(p, _) in pre {
            if !place_out[p].contains(&t) {
                place_out[p].push(t);
            }
        }
        for &(p, _) in post {
            if !place_in[p].contains(&t) {
                place_in[p].push(t);
            }
        }
    }

    // Step names, decided up front so that every reference can be written at once.
    let mut used = HashSet::new();
    let end = unique(&mut used, "einde", "_");
    let step_of: Vec<String> = (0..nt)
        .map(|t| unique(&mut used, &identifier(pn.transition_label(t)), "_"))
        .collect();
    let join_of: Vec<Option<String>> = (0..nt)
        .map(|t| {
            (arcs[t].0.len() > 1).then(|| unique(&mut used, &format!("samen_{}", step_of[t]), "_"))
        })
        .collect();
    let split_of: Vec<Option<String>> = (0..nt)
        .map(|t| {
            (arcs[t].1.len() > 1 && !pn.transitions[t].silent)
                .then(|| unique(&mut used, &format!("na_{}", step_of[t]), "_"))
        })
        .collect();
    // A visible transition that alone leads into an exclusive choice place, and nowhere else,
    // makes the choice with its outcomes.
    let chooser: HashMap<usize, usize> = (0..np)
        .filter(|&p| place_out[p].len() > 1 && place_in[p].len() == 1)
        .filter_map(|p| {
            let t = place_in[p][0];
            (!pn.transitions[t].silent && arcs[t].1.len() == 1).then_some((p, t))
        })
        .collect();
    let choice_task: Vec<Option<String>> = (0..np)
        .map(|p| {
            (place_out[p].len() > 1 && !chooser.contains_key(&p)).then(|| {
                unique(
                    &mut used,
                    &format!("kies_{}", identifier(pn.place_label(p))),
                    "_",
                )
            })
        })
        .collect();

    // A place that several transitions lead into, in front of a transition that needs several
    // places: the join waits for one arrival per predecessor step, so the merge gets a step of
    // its own to be that one predecessor.
    let merge_step: Vec<Option<String>> = (0..np)
        .map(|p| {
            let into_join = place_out[p].len() == 1 && arcs[place_out[p][0]].0.len() > 1;
            (into_join && place_in[p].len() > 1).then(|| {
                unique(
                    &mut used,
                    &format!("via_{}", identifier(pn.place_label(p))),
                    "_",
                )
            })
        })
        .collect();

    // Where a token arriving in place `p` continues, when `p` leads to transition `t`.
    let enter_transition =
        |t: usize| -> String { join_of[t].clone().unwrap_or_else(|| step_of[t].clone()) };
    let enter_place = |p: usize| -> String {
        if p == sink {
            end.clone()
        } else if let Some(m) = &merge_step[p] {
            m.clone()
        } else if let Some(k) = &choice_task[p] {
            k.clone()
        } else {
            // One outgoing transition, or the choice is made by the task before the place.
            place_out[p]
                .first()
                .map(|&t| enter_transition(t))
                .unwrap_or_else(|| end.clone())
        }
    };

    let task = |then: Option<String>, outcomes: Vec<Outcome>| {
        StepKind::Task(TaskStep {
            team: Name::new(PLACEHOLDER_TEAM),
            role: None,
            due: None,
            priority: 0,
            outcomes,
            fields: Vec::new(),
            status_on_start: None,
            status_on_end: None,
            then: then.map(Name::new),
        })
    };
    let outcomes_for = |p: usize| -> Vec<Outcome> {
        place_out[p]
            .iter()
            .map(|&t| Outcome {
                name: Name::new(step_of[t].clone()),
                label: pn.transitions[t].name.clone(),
                then: Some(Name::new(enter_transition(t))),
                span: Span::default(),
            })
            .collect()
    };
    let step = |name: String, label: Option<String>, kind: StepKind| Step {
        name: Name::new(name),
        label,
        kind,
        span: Span::default(),
    };

    let mut steps = Vec::new();
    for t in 0..nt {
        let outputs: Vec<usize> = arcs[t].1.iter().map(|&(p, _)| p).collect();
        // A silent transition's name (`tau_1`) means nothing to a reader.
        let label = pn.transitions[t]
            .name
            .clone()
            .filter(|_| !pn.transitions[t].silent);
        if let Some(j) = &join_of[t] {
            steps.push(step(
                j.clone(),
                None,
                StepKind::Join(JoinStep {
                    mode: JoinMode::All,
                    split: None,
                    then: Name::new(step_of[t].clone()),
                }),
            ));
        }
        let next = |p: usize| enter_place(p);
        let kind = if outputs.len() > 1 {
            let parallel = StepKind::Parallel(ParallelStep {
                branches: outputs.iter().map(|&p| Name::new(next(p))).collect(),
            });
            match &split_of[t] {
                Some(split) => {
                    steps.push(step(split.clone(), None, parallel));
                    task(Some(split.clone()), Vec::new())
                }
                None => parallel,
            }
        } else {
            let p = outputs.first().copied().unwrap_or(sink);
            if chooser.get(&p) == Some(&t) {
                task(None, outcomes_for(p))
            } else if pn.transitions[t].silent {
                StepKind::Auto(AutoStep {
                    actions: Vec::new(),
                    then: Name::new(next(p)),
                })
            } else {
                task(Some(next(p)), Vec::new())
            }
        };
        steps.push(step(step_of[t].clone(), label, kind));
    }
    for (p, k) in choice_task.iter().enumerate() {
        if let Some(k) = k {
            steps.push(step(
                k.clone(),
                Some(format!("Kiezen na {}", pn.place_label(p))),
                task(None, outcomes_for(p)),
            ));
        }
    }
    for (p, m) in merge_step.iter().enumerate() {
        if let Some(m) = m {
            let join = place_out[p][0];
            steps.push(step(
                m.clone(),
                None,
                StepKind::Auto(AutoStep {
                    actions: Vec::new(),
                    then: Name::new(enter_transition(join)),
                }),
            ));
        }
    }
    steps.push(step(end.clone(), None, StepKind::End(EndStep::default())));

    let title = pn.name.clone().unwrap_or_else(|| pn.id.clone());
    Ok(ProcessModel {
        process: Name::new(identifier(&title)),
        version: 1,
        title,
        description: Some(
            "Skeleton made from a Petri net (PNML); fill in teams, data and statuses.".into(),
        ),
        legal_basis: None,
        initiator_action: None,
        term: None,
        service_norm: None,
        suspension_allowed: false,
        extension: None,
        confidentiality: Default::default(),
        on_deadline: Default::default(),
        teams: vec![Team {
            name: Name::new(PLACEHOLDER_TEAM),
            label: None,
            span: Span::default(),
        }],
        roles: Vec::new(),
        data: Vec::new(),
        messages: Vec::new(),
        // A case type needs statuses (ZGW); two placeholders make the skeleton valid at once,
        // for the designer to replace with the real milestones and their citizen texts.
        statuses: ["ontvangen", "afgehandeld"]
            .into_iter()
            .zip([
                "Wij hebben uw verzoek ontvangen.",
                "Wij hebben uw verzoek afgehandeld.",
            ])
            .map(|(name, text)| zaak_dsl::StatusDef {
                name: Name::new(name),
                citizen_text: text.into(),
                notify: false,
                span: Span::default(),
            })
            .collect(),
        results: Vec::new(),
        start: Name::new(enter_place(source)),
        steps,
        span: Span::default(),
    })
}
