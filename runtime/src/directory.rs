//! Who works here: users with their tokens, and teams with their members, the process roles
//! they hold and how the team's new tasks are assigned. Every change is one transaction, so a
//! user and their memberships are never half written.

use crate::commit::{PeopleChange, Reply, Work};
use crate::error::{Error, Result};
use crate::people::{valid_name, Membership, User, UserRole};
use crate::runtime::{hex, Runtime};
use crate::store::split_roles;
use crate::types::AssignmentPolicy;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zaak_dsl::Confidentiality;

/// A user to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub role: UserRole,
    /// [`DEFAULT_CLEARANCE`] when left out.
    pub clearance: Option<Confidentiality>,
    pub memberships: Vec<Membership>,
}

/// What was removed with a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedUser {
    pub user: User,
    /// Tasks still assigned to them: a coordinator releases or reassigns them.
    pub open_tasks: u64,
}

/// A member of a team as the team sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub roles: Vec<String>,
    pub receives_work: bool,
}

/// A team: its assignment policy and its members, sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    pub policy: AssignmentPolicy,
    pub members: Vec<Member>,
}

/// The stored form of a token: its SHA-256 in hex. A token is found by its hash, so comparing
/// tokens never compares secret bytes one by one.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new token: 32 random bytes from the operating system's generator, in hex.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("zk_{}", hex(&bytes))
}

pub(crate) fn checked_name<'a>(what: &str, name: &'a str) -> Result<&'a str> {
    if valid_name(name) {
        Ok(name)
    } else {
        Err(Error::BadRequest(format!(
            "`{name}` is not a usable {what} name: use letters, digits, `-`, `_` and `.`, at most 64"
        )))
    }
}

/// Process roles as stored: checked, sorted, each once.
pub(crate) fn checked_roles(roles: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(roles.len());
    for role in roles {
        out.push(checked_name("role", role.trim())?.to_string());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

impl Runtime {
    async fn people(&self, change: PeopleChange) -> Result<Reply> {
        self.submit(Work::People(change)).await
    }

    /// Adds a user with their memberships and returns their API token, which is not stored
    /// and cannot be shown again.
    pub async fn add_user(&self, user: &NewUser) -> Result<String> {
        match self.people(PeopleChange::AddUser(user.clone())).await? {
            Reply::Token(token) => Ok(token),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// Gives the user a new token and returns it; the old one stops working at once (every
    /// call looks its token up). For a token that leaked or was lost.
    pub async fn new_token(&self, name: &str) -> Result<String> {
        match self
            .people(PeopleChange::NewToken(name.to_string()))
            .await?
        {
            Reply::Token(token) => Ok(token),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// Removes a user with their memberships, in one transaction: their token stops working and
    /// automatic assignment gives them nothing more. Tasks they hold stay theirs until a
    /// coordinator releases or reassigns them; how many there are is returned.
    pub async fn remove_user(&self, name: &str) -> Result<RemovedUser> {
        match self
            .people(PeopleChange::RemoveUser(name.to_string()))
            .await?
        {
            Reply::Removed(removed) => Ok(removed),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// The user a token belongs to, if any.
    pub async fn authenticate(&self, token: &str) -> Result<Option<User>> {
        let Some(row) = self
            .shared
            .store
            .user_by_token_hash(&token_hash(token))
            .await?
        else {
            return Ok(None);
        };
        let memberships = self.shared.store.memberships_of(&row.name).await?;
        row.into_user(memberships).map(Some)
    }

    pub async fn user(&self, name: &str) -> Result<Option<User>> {
        let Some(row) = self.shared.store.user_row(name).await? else {
            return Ok(None);
        };
        let memberships = self.shared.store.memberships_of(name).await?;
        row.into_user(memberships).map(Some)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let mut out = Vec::new();
        for row in self.shared.store.user_rows().await? {
            let memberships = self.shared.store.memberships_of(&row.name).await?;
            out.push(row.into_user(memberships)?);
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// A team's policy and members. A team nobody joined and nobody set a policy for is an
    /// empty team working by hand.
    pub async fn team(&self, name: &str) -> Result<Team> {
        let policy = self.team_policy(name).await?;
        let mut members: Vec<Member> = self
            .shared
            .store
            .team_members(name)
            .await?
            .into_iter()
            .map(|row| Member {
                roles: split_roles(row.roles.as_deref()),
                name: row.member,
                receives_work: row.receives_work,
            })
            .collect();
        // Sorted here, not by the database: collations differ between the backends.
        members.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Team {
            name: name.to_string(),
            policy,
            members,
        })
    }

    /// Sets how a team's new tasks are assigned from now on; tasks already created stay as
    /// they are. Round robin goes on after the member who got the team's last task.
    pub async fn set_team_policy(&self, team: &str, policy: AssignmentPolicy) -> Result<()> {
        self.people(PeopleChange::SetPolicy {
            team: team.to_string(),
            policy,
        })
        .await
        .map(|_| ())
    }

    /// How a team's new tasks are assigned ([`AssignmentPolicy::Manual`] when never set).
    pub async fn team_policy(&self, team: &str) -> Result<AssignmentPolicy> {
        match self.shared.store.team_policy(team).await? {
            Some(row) => row.policy(),
            None => Ok(AssignmentPolicy::Manual),
        }
    }

    /// Makes a user a member of a team with exactly these process roles, receiving the team's
    /// assigned work or not.
    pub async fn set_membership(
        &self,
        team: &str,
        member: &str,
        roles: &[String],
        receives_work: bool,
    ) -> Result<()> {
        self.people(PeopleChange::SetMembership {
            team: team.to_string(),
            member: member.to_string(),
            roles: roles.to_vec(),
            receives_work,
        })
        .await
        .map(|_| ())
    }

    /// Takes a user out of a team, with the roles they held there; whether they were a
    /// member. Tasks they hold stay theirs.
    pub async fn remove_membership(&self, team: &str, member: &str) -> Result<bool> {
        match self
            .people(PeopleChange::RemoveMembership {
                team: team.to_string(),
                member: member.to_string(),
            })
            .await?
        {
            Reply::Changed(changed) => Ok(changed),
            _ => Err(Error::Corrupt("unexpected reply".into())),
        }
    }

    /// Makes these members the ones automatic assignment gives the team's tasks to; the other
    /// members keep their membership but receive no assigned work. Each must be a member.
    pub async fn set_work_pool(&self, team: &str, members: &[String]) -> Result<()> {
        self.people(PeopleChange::SetWorkPool {
            team: team.to_string(),
            members: members.to_vec(),
        })
        .await
        .map(|_| ())
    }
}
