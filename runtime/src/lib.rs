//! Durable cases on SQLite or PostgreSQL.
