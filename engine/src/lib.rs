//! Workflow nets compiled from Zaak processes: soundness, legal terms, and cases as a pure
//! state machine.
//!
//! Nothing here does IO, reads a clock or draws random numbers: every function takes what it
//! needs (the process, the case state, the current time) and returns what should happen.

pub mod net;

pub use net::{Marking, Net, Node, Place, PlaceId, PlaceKind, Transition, TransitionId, Trigger};
