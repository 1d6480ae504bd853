//! The `zaak` server: the HTTP API, a thin adapter over the application layer (`zaak_app`).
//!
//! The command line (`src/main.rs`) starts the server, adds users and talks to a running
//! server as a client; tests build the API with [`server::app`] and call it directly.

pub mod server;
