//! Durable cases on SQLite or PostgreSQL.
pub mod analytics;
