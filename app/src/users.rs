//! Users. Adding and removing them, and replacing a token, are the operator's work: whoever
//! runs `zaak user` on the database. Over the API a user reads only who they are.

use crate::error::{AppError, AppResult};
use crate::App;
use zaak_runtime::{NewUser, RemovedUser, User};

/// A user as listed: never a token.
pub type UserSummary = User;

impl App {
    /// Who the caller is: their role, clearance, teams and process roles.
    pub fn me(&self, user: &User) -> User {
        user.clone()
    }

    /// Adds a user and returns their token, shown only this once.
    pub async fn add_user(&self, user: &NewUser) -> AppResult<String> {
        let token = self.runtime.add_user(user).await?;
        tracing::info!(user = %user.name, role = %user.role, "user added");
        Ok(token)
    }

    /// A new token for a user; the old one stops working at once.
    pub async fn new_token(&self, name: &str) -> AppResult<String> {
        let token = self.runtime.new_token(name).await?;
        tracing::info!(user = %name, "token replaced");
        Ok(token)
    }

    /// Removes a user and their memberships.
    pub async fn remove_user(&self, name: &str) -> AppResult<RemovedUser> {
        let removed = self.runtime.remove_user(name).await?;
        tracing::info!(user = %name, "user removed");
        Ok(removed)
    }

    pub async fn users(&self) -> AppResult<Vec<UserSummary>> {
        Ok(self.runtime.users().await?)
    }

    pub async fn user(&self, name: &str) -> AppResult<User> {
        self.runtime
            .user(name)
            .await?
            .ok_or_else(|| AppError::invalid("user", format!("there is no user named `{name}`")))
    }
}
