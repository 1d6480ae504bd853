//! Changes to who works here: users, their tokens, their memberships and process roles, and
//! how a team's work is assigned. They go through the committer like every other write, so on
//! SQLite there is one writer, and a membership changes in the same order as the claims and
//! assignments that depend on it.

use super::Reply;
use crate::directory::{checked_name, checked_roles, new_token, token_hash, NewUser, RemovedUser};
use crate::error::{Error, Result};
use crate::people::{rank, User, DEFAULT_CLEARANCE};
use crate::store::StoreTx;
use crate::types::AssignmentPolicy;
use chrono::{DateTime, Utc};

/// A change to users and teams.
pub(crate) enum PeopleChange {
    AddUser(NewUser),
    NewToken(String),
    RemoveUser(String),
    SetPolicy {
        team: String,
        policy: AssignmentPolicy,
    },
    SetMembership {
        team: String,
        member: String,
        roles: Vec<String>,
        receives_work: bool,
    },
    RemoveMembership {
        team: String,
        member: String,
    },
    SetWorkPool {
        team: String,
        members: Vec<String>,
    },
}

async fn load_user(tx: &mut dyn StoreTx, name: &str) -> Result<Option<User>> {
    let Some(row) = tx.load_user(name).await? else {
        return Ok(None);
    };
    let memberships = tx.memberships_in_tx(name).await?;
    row.into_user(memberships).map(Some)
}

pub(super) async fn handle(
    tx: &mut dyn StoreTx,
    change: &PeopleChange,
    now: DateTime<Utc>,
) -> Result<Reply> {
    match change {
        PeopleChange::AddUser(user) => {
            let name = checked_name("user", &user.name)?;
            let token = new_token();
            let clearance = user.clearance.unwrap_or(DEFAULT_CLEARANCE);
            let added = tx
                .insert_user(
                    name,
                    user.role.as_str(),
                    rank(clearance),
                    &token_hash(&token),
                    now,
                )
                .await?;
            if added == 0 {
                return Err(Error::Conflict(format!(
                    "a user named `{name}` already exists"
                )));
            }
            for m in &user.memberships {
                let team = checked_name("team", m.team.trim())?;
                tx.add_member(team, name, m.receives_work).await?;
                tx.set_member_roles(team, name, &checked_roles(&m.roles)?)
                    .await?;
            }
            Ok(Reply::Token(token))
        }
        PeopleChange::NewToken(name) => {
            let token = new_token();
            if tx.set_token_hash(name, &token_hash(&token)).await? == 0 {
                return Err(Error::UnknownUser(name.clone()));
            }
            Ok(Reply::Token(token))
        }
        PeopleChange::RemoveUser(name) => {
            let user = load_user(tx, name)
                .await?
                .ok_or_else(|| Error::UnknownUser(name.clone()))?;
            let open_tasks = u64::try_from(tx.count_held_by(name).await?).unwrap_or(0);
            tx.delete_user(name).await?;
            Ok(Reply::Removed(RemovedUser { user, open_tasks }))
        }
        PeopleChange::SetPolicy { team, policy } => {
            let team = checked_name("team", team.trim())?;
            tx.set_team_policy(team, policy.as_str()).await?;
            Ok(Reply::Changed(true))
        }
        PeopleChange::SetMembership {
            team,
            member,
            roles,
            receives_work,
        } => {
            let team = checked_name("team", team.trim())?;
            let roles = checked_roles(roles)?;
            if tx.load_user(member).await?.is_none() {
                return Err(Error::UnknownUser(member.clone()));
            }
            tx.add_member(team, member, *receives_work).await?;
            tx.set_receives_work(team, member, *receives_work).await?;
            tx.set_member_roles(team, member, &roles).await?;
            Ok(Reply::Changed(true))
        }
        PeopleChange::RemoveMembership { team, member } => {
            let removed = tx.remove_member(team, member).await?;
            Ok(Reply::Changed(removed > 0))
        }
        PeopleChange::SetWorkPool { team, members } => {
            let current = tx.members_in(team).await?;
            if let Some(stranger) = members
                .iter()
                .find(|m| !current.iter().any(|c| &c.member == *m))
            {
                return Err(Error::BadRequest(format!(
                    "`{stranger}` is not a member of team {team}"
                )));
            }
            for row in &current {
                let receives = members.contains(&row.member);
                tx.set_receives_work(team, &row.member, receives).await?;
            }
            Ok(Reply::Changed(true))
        }
    }
}
