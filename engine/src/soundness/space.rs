//! The reachable markings of a net, explored breadth-first, stored so that memory follows the
//! number of markings rather than the number of markings times the number of places.
//!
//! A marking is kept sparse: only the places that hold tokens, in place order, with their
//! counts. All markings sit one after another in one vector, found again through a hash table
//! of their positions, so a chain of 30,000 steps needs a few hundred bytes per marking where a
//! dense copy per marking would need 120 kB each. Successor edges are kept the same way, in
//! the order the markings were expanded.
//!
//! The unboundedness check compares a new marking with the markings on its own path from the
//! start (Karp and Miller's coverability criterion). Three facts keep that walk short without
//! changing its answer:
//! - a marking can only strictly cover one with fewer tokens, so each marking keeps a pointer to
//!   its nearest ancestor with fewer tokens, and the walk jumps over the ones in between;
//! - a firing sequence that can be repeated for ever fires a transition that lies on a cycle of
//!   the net (the transitions on no cycle each need tokens that only the transitions before
//!   them produce), so ancestors reached without such a transition are skipped;
//! - a net without cycles is bounded, and is not walked at all.
//!
//! The walk still has a bound, [`COVER_WINDOW`], so that a search of `n` markings costs at
//! most `n` times that much: where the window cuts a walk short, an unbounded net is found
//! later or the search stops at its limit, which is never reported as sound.

use crate::net::{Net, PlaceId, Transition};
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use petgraph::algo::kosaraju_scc;
use std::hash::BuildHasher;

/// The most ancestors one new marking is compared with (and jumped over) when looking for one
/// it strictly covers.
pub(crate) const COVER_WINDOW: usize = 1_000;

/// No marking: the root's parent, or no ancestor with fewer tokens.
const NONE: u32 = u32::MAX;

/// A marking as the occupied places in increasing order, each with its token count.
pub(crate) type Sparse = [(u32, u32)];

/// The explored state space of a net.
pub(crate) struct Space<'n> {
    pub(crate) net: &'n Net,
    /// Every marking's places and tokens, one marking after another.
    tokens: Vec<(u32, u32)>,
    /// Where each marking starts in `tokens`; one more entry than there are markings.
    starts: Vec<usize>,
    /// The markings by their contents, for finding one seen before.
    index: HashTable<u32>,
    hasher: FixedState,
    /// Per marking: the marking it was first reached from and the transition that did it.
    parent: Vec<(u32, u32)>,
    /// Per marking: its number of tokens, all places together.
    totals: Vec<u64>,
    /// Per marking: its nearest ancestor with fewer tokens.
    fewer: Vec<u32>,
    /// Per marking: the nearest ancestor-or-self from which the path to this marking fires a
    /// transition on a cycle of the net. Only it and its ancestors can be strictly covered by
    /// a marking reached from here without firing another such transition.
    gate: Vec<u32>,
    /// Per expanded marking, where its successors start in `edges`.
    edge_starts: Vec<usize>,
    /// The successors of the expanded markings, as (transition, marking).
    edges: Vec<(u32, u32)>,
    /// Every transition a marking enables was followed.
    pub(crate) expanded: Vec<bool>,
    /// Per transition: it lies on a cycle of the net, so it may fire any number of times.
    repeats: Vec<bool>,
    /// The net has a cycle: without one, no marking covers another.
    cyclic: bool,
}

/// What came of firing a transition in the search.
pub(crate) enum Reached {
    /// A marking seen before, or a new one now added.
    Marking,
    /// A marking that strictly covers one on its own path: tokens grow in `grown`.
    Grows { grown: Vec<PlaceId> },
    /// A new marking, but the limit allows no more.
    Full,
}

impl<'n> Space<'n> {
    /// The space with only the initial marking: one token in the source.
    pub(crate) fn new(net: &'n Net) -> Space<'n> {
        let (repeats, cyclic) = cycles(net);
        let mut space = Space {
            net,
            tokens: Vec::new(),
            starts: vec![0],
            index: HashTable::new(),
            hasher: FixedState::default(),
            parent: Vec::new(),
            totals: Vec::new(),
            fewer: Vec::new(),
            gate: Vec::new(),
            edge_starts: Vec::new(),
            edges: Vec::new(),
            expanded: Vec::new(),
            repeats,
            cyclic,
        };
        space.push(&[(net.source.0, 1)], NONE, NONE, NONE);
        space
    }

    pub(crate) fn len(&self) -> usize {
        self.parent.len()
    }

    pub(crate) fn marking(&self, i: usize) -> &Sparse {
        &self.tokens[self.starts[i]..self.starts[i + 1]]
    }

    /// Every marking's tokens, all together: for the largest number on one place.
    pub(crate) fn all_tokens(&self) -> impl Iterator<Item = u32> + '_ {
        self.tokens.iter().map(|&(_, n)| n)
    }

    /// The successors of marking `i` found so far.
    pub(crate) fn successors(&self, i: usize) -> &[(u32, u32)] {
        let Some(&from) = self.edge_starts.get(i) else {
            return &[];
        };
        let to = self.edge_starts.get(i + 1).copied();
        &self.edges[from..to.unwrap_or(self.edges.len())]
    }

    /// Starts expanding marking `i`; markings are expanded in the order they were added.
    pub(crate) fn begin_expanding(&mut self, i: usize) {
        debug_assert_eq!(self.edge_starts.len(), i);
        self.edge_starts.push(self.edges.len());
    }

    /// The transition names from the start to marking `i`.
    pub(crate) fn trace(&self, mut i: usize) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(&(p, t)) = self.parent.get(i).filter(|(p, _)| *p != NONE) {
            out.push(self.net.transitions[t as usize].name.clone());
            i = p as usize;
        }
        out.reverse();
        out
    }

    fn hash(&self, m: &Sparse) -> u64 {
        self.hasher.hash_one(m)
    }

    fn push(&mut self, m: &Sparse, parent: u32, transition: u32, gate: u32) -> usize {
        let i = self.len();
        self.tokens.extend_from_slice(m);
        self.starts.push(self.tokens.len());
        let total = total(m);
        let mut fewer = parent;
        while fewer != NONE && self.totals[fewer as usize] >= total {
            fewer = self.fewer[fewer as usize];
        }
        self.parent.push((parent, transition));
        self.totals.push(total);
        self.fewer.push(fewer);
        self.gate.push(gate);
        self.expanded.push(false);
        let hash = self.hash(m);
        let (tokens, starts) = (&self.tokens, &self.starts);
        let (hasher, at) = (&self.hasher, |j: u32| {
            &tokens[starts[j as usize]..starts[j as usize + 1]]
        });
        self.index
            .insert_unique(hash, i as u32, |&j| hasher.hash_one(at(j)));
        i
    }

    fn find(&self, m: &Sparse) -> Option<usize> {
        self.index
            .find(self.hash(m), |&j| self.marking(j as usize) == m)
            .map(|&j| j as usize)
    }

    /// Fires `t` in marking `i` (where it is enabled) and records the edge, adding the marking
    /// reached unless it is known, grows without bound, or the space holds `limit` markings.
    pub(crate) fn fire(
        &mut self,
        i: usize,
        t: &Transition,
        limit: usize,
        scratch: &mut Vec<(u32, u32)>,
    ) -> Reached {
        fire_into(self.marking(i), t, scratch);
        if let Some(j) = self.find(scratch) {
            self.edges.push((t.id.0, j as u32));
            return Reached::Marking;
        }
        let gate = if self.repeats[t.id.0 as usize] {
            i as u32
        } else {
            self.gate[i]
        };
        if let Some(grown) = self.covered_ancestor(gate, scratch) {
            return Reached::Grows { grown };
        }
        if self.len() >= limit {
            return Reached::Full;
        }
        let j = self.push(scratch, i as u32, t.id.0, gate);
        self.edges.push((t.id.0, j as u32));
        Reached::Marking
    }

    /// The places that grew, if `next` strictly covers `from` or one of its ancestors.
    fn covered_ancestor(&self, from: u32, next: &Sparse) -> Option<Vec<PlaceId>> {
        if !self.cyclic {
            return None;
        }
        let next_total = total(next);
        let mut at = from;
        let mut budget = COVER_WINDOW;
        while at != NONE && budget > 0 {
            budget -= 1;
            let a = at as usize;
            if self.totals[a] >= next_total {
                at = self.fewer[a];
                continue;
            }
            if let Some(grown) = grown(self.marking(a), next) {
                return Some(grown);
            }
            at = self.parent[a].0;
        }
        None
    }

    /// The places holding tokens in marking `i`, with their counts, in place order.
    pub(crate) fn occupied(&self, i: usize) -> impl Iterator<Item = (PlaceId, u32)> + '_ {
        self.marking(i).iter().map(|&(p, n)| (PlaceId(p), n))
    }
}

/// The number of tokens on place `p` in `m`.
pub(crate) fn tokens(m: &Sparse, p: PlaceId) -> u32 {
    match m.binary_search_by_key(&p.0, |&(q, _)| q) {
        Ok(at) => m[at].1,
        Err(_) => 0,
    }
}

pub(crate) fn is_enabled(m: &Sparse, t: &Transition) -> bool {
    t.pre.iter().all(|&(p, w)| tokens(m, p) >= w)
}

/// One token, in the sink.
pub(crate) fn is_final(m: &Sparse, net: &Net) -> bool {
    m == [(net.sink.0, 1)]
}

fn total(m: &Sparse) -> u64 {
    m.iter().map(|&(_, n)| u64::from(n)).sum()
}

/// `m` after firing `t`, written into `out`. The transition must be enabled.
fn fire_into(m: &Sparse, t: &Transition, out: &mut Vec<(u32, u32)>) {
    out.clear();
    out.extend_from_slice(m);
    for &(p, w) in &t.pre {
        if let Ok(at) = out.binary_search_by_key(&p.0, |&(q, _)| q) {
            out[at].1 -= w;
        }
    }
    for &(p, w) in &t.post {
        match out.binary_search_by_key(&p.0, |&(q, _)| q) {
            Ok(at) => out[at].1 += w,
            Err(at) => out.insert(at, (p.0, w)),
        }
    }
    out.retain(|&(_, n)| n > 0);
}

/// The places where `next` holds more tokens than `old`, if it holds at least as many
/// everywhere and more somewhere.
fn grown(old: &Sparse, next: &Sparse) -> Option<Vec<PlaceId>> {
    let mut grown = Vec::new();
    let mut olds = old.iter().peekable();
    for &(p, n) in next {
        let had = match olds.peek() {
            Some(&&(q, o)) if q == p => {
                olds.next();
                o
            }
            Some(&&(q, _)) if q < p => return None,
            _ => 0,
        };
        if n < had {
            return None;
        }
        if n > had {
            grown.push(PlaceId(p));
        }
    }
    // A place of `old` that `next` does not hold at all.
    if olds.next().is_some() || grown.is_empty() {
        return None;
    }
    Some(grown)
}

/// Per transition, whether it lies on a cycle of the net (or takes nothing, and so can fire
/// any number of times), and whether any does.
fn cycles(net: &Net) -> (Vec<bool>, bool) {
    let mut repeats: Vec<bool> = net.transitions.iter().map(|t| t.pre.is_empty()).collect();
    let node_of: std::collections::HashMap<_, _> = net
        .transition_nodes
        .iter()
        .enumerate()
        .map(|(t, &n)| (n, t))
        .collect();
    for component in kosaraju_scc(&net.graph) {
        if component.len() < 2 {
            continue;
        }
        for n in component {
            if let Some(&t) = node_of.get(&n) {
                repeats[t] = true;
            }
        }
    }
    let cyclic = repeats.iter().any(|&r| r);
    (repeats, cyclic)
}
