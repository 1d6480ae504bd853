//! The people and systems that may use the API: their role, their teams and the hash of their
//! token.
//!
//! Users live in the same database as the cases, in a table of their own that this module
//! creates when it is missing. A token is shown once, when the user is added; only its SHA-256
//! hash is stored. A token is found by its hash, so comparing tokens never compares secret
//! bytes one by one.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::fmt;
use std::str::FromStr;

/// What a user may do, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works the tasks of their own teams.
    Worker,
    /// A team lead: also distributes the tasks of their teams.
    Coordinator,
    /// Deploys processes.
    Designer,
    /// Reads figures and cases, changes nothing.
    Manager,
    /// May do everything.
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Worker,
        Role::Coordinator,
        Role::Designer,
        Role::Manager,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Worker => "worker",
            Role::Coordinator => "coordinator",
            Role::Designer => "designer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UsersError;

    fn from_str(s: &str) -> Result<Role, UsersError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UsersError::UnknownRole(s.to_string()))
    }
}

/// Someone who called the API with a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub teams: Vec<String>,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn in_team(&self, team: &str) -> bool {
        self.teams.iter().any(|t| t == team)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("a user named `{0}` already exists")]
    Exists(String),
    #[error("there is no user named `{0}`")]
    NotFound(String),
    #[error("`{0}` is not a role; use worker, coordinator, designer, manager or admin")]
    UnknownRole(String),
    #[error("`{0}` is not a usable name: use letters, digits, `-`, `_` and `.`, at most 64")]
    BadName(String),
    #[error("unsupported database URL `{0}`: use sqlite://path or postgres://...")]
    UnsupportedUrl(String),
    #[error("stored user `{0}` is corrupt")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The user table of one database.
pub struct Users {
    pool: Pool,
}

const CREATE: &str = "CREATE TABLE IF NOT EXISTS zaak_users (
    name       TEXT NOT NULL PRIMARY KEY,
    role       TEXT NOT NULL,
    teams      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
)";

/// Names of users and teams: plain, so that they read well in logs and histories.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new token: 32 random bytes from the operating system's generator, in hex.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("zk_{hex}")
}

type Row = (String, String, String);

impl Users {
    /// Opens the user table in `sqlite://path` (created if missing) or `postgres://...`.
    pub async fn open(url: &str) -> Result<Users, UsersError> {
        let pool = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(2)
                .connect_with(options)
                .await?;
            sqlx::query(CREATE).execute(&pool).await?;
            Pool::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new().max_connections(2).connect(url).await?;
            sqlx::query(CREATE).execute(&pool).await?;
            Pool::Postgres(pool)
        } else {
            return Err(UsersError::UnsupportedUrl(url.to_string()));
        };
        Ok(Users { pool })
    }

    /// Adds a user and returns their token, which is not stored and cannot be shown again.
    pub async fn add(
        &self,
        name: &str,
        role: Role,
        teams: &[String],
    ) -> Result<String, UsersError> {
        if !valid_name(name) {
            return Err(UsersError::BadName(name.to_string()));
        }
        if let Some(bad) = teams.iter().find(|t| !valid_name(t)) {
            return Err(UsersError::BadName(bad.clone()));
        }
        let token = new_token();
        let teams_json = serde_json::to_string(teams).unwrap_or_else(|_| "[]".into());
        let now = chrono::Utc::now().to_rfc3339();
        let hash = token_hash(&token);
        let inserted = match &self.pool {
            Pool::Sqlite(p) => sqlx::query(
                "INSERT INTO zaak_users (name, role, teams, token_hash, created_at)
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(&teams_json)
            .bind(&hash)
            .bind(&now)
            .execute(p)
            .await?
            .rows_affected(),
            Pool::Postgres(p) => sqlx::query(
                "INSERT INTO zaak_users (name, role, teams, token_hash, created_at)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(&teams_json)
            .bind(&hash)
            .bind(&now)
            .execute(p)
            .await?
            .rows_affected(),
        };
        if inserted == 0 {
            return Err(UsersError::Exists(name.to_string()));
        }
        Ok(token)
    }

    /// Gives the user a new token and returns it; the old one stops working at once (the
    /// server looks every token up on every call). For a token that leaked or was lost.
    pub async fn new_token(&self, name: &str) -> Result<String, UsersError> {
        let token = new_token();
        let hash = token_hash(&token);
        let changed = match &self.pool {
            Pool::Sqlite(p) => sqlx::query("UPDATE zaak_users SET token_hash = ? WHERE name = ?")
                .bind(&hash)
                .bind(name)
                .execute(p)
                .await?
                .rows_affected(),
            Pool::Postgres(p) => {
                sqlx::query("UPDATE zaak_users SET token_hash = $1 WHERE name = $2")
                    .bind(&hash)
                    .bind(name)
                    .execute(p)
                    .await?
                    .rows_affected()
            }
        };
        if changed == 0 {
            return Err(UsersError::NotFound(name.to_string()));
        }
        Ok(token)
    }

    /// Removes a user, whose token stops working at once, and returns what they were.
    pub async fn remove(&self, name: &str) -> Result<User, UsersError> {
        let row: Option<Row> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as("DELETE FROM zaak_users WHERE name = ? RETURNING name, role, teams")
                    .bind(name)
                    .fetch_optional(p)
                    .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as("DELETE FROM zaak_users WHERE name = $1 RETURNING name, role, teams")
                    .bind(name)
                    .fetch_optional(p)
                    .await?
            }
        };
        match row {
            Some(row) => into_user(row),
            None => Err(UsersError::NotFound(name.to_string())),
        }
    }

    /// The user a token belongs to, if any.
    pub async fn authenticate(&self, token: &str) -> Result<Option<User>, UsersError> {
        let hash = token_hash(token);
        let row: Option<Row> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as("SELECT name, role, teams FROM zaak_users WHERE token_hash = ?")
                    .bind(&hash)
                    .fetch_optional(p)
                    .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as("SELECT name, role, teams FROM zaak_users WHERE token_hash = $1")
                    .bind(&hash)
                    .fetch_optional(p)
                    .await?
            }
        };
        row.map(into_user).transpose()
    }

    /// The names of every user, sorted.
    pub async fn names(&self) -> Result<Vec<String>, UsersError> {
        const SQL: &str = "SELECT name FROM zaak_users ORDER BY name";
        let rows: Vec<(String,)> = match &self.pool {
            Pool::Sqlite(p) => sqlx::query_as(SQL).fetch_all(p).await?,
            Pool::Postgres(p) => sqlx::query_as(SQL).fetch_all(p).await?,
        };
        Ok(rows.into_iter().map(|(n,)| n).collect())
    }

    /// The user with this name, if any.
    pub async fn get(&self, name: &str) -> Result<Option<User>, UsersError> {
        let row: Option<Row> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as("SELECT name, role, teams FROM zaak_users WHERE name = ?")
                    .bind(name)
                    .fetch_optional(p)
                    .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as("SELECT name, role, teams FROM zaak_users WHERE name = $1")
                    .bind(name)
                    .fetch_optional(p)
                    .await?
            }
        };
        row.map(into_user).transpose()
    }
}

fn into_user((name, role, teams): Row) -> Result<User, UsersError> {
    let role = role
        .parse()
        .map_err(|_| UsersError::Corrupt(name.clone()))?;
    let teams: Vec<String> =
        serde_json::from_str(&teams).map_err(|_| UsersError::Corrupt(name.clone()))?;
    Ok(User { name, role, teams })
}
