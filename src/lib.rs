//! The `zaak` server: the HTTP API over the runtime, and the users who may call it.
//!
//! The command line (`src/main.rs`) starts the server, adds users and talks to a running
//! server as a client; tests build the API with [`server::app`] and call it directly.

pub mod server;
pub mod users;
