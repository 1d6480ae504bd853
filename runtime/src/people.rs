//! The people who work with cases: users, their role in Zaak, their clearance, and their
//! membership of teams with the process roles they hold there; and the two rules that follow
//! from them and must be the same wherever they are asked: who may hold a task
//! ([`eligibility`]) and who may see a case ([`Viewer`], whose rule is `queries/cases/visible.sql`).

use serde::{Deserialize, Serialize};
use std::fmt;
use zaak_dsl::Confidentiality;

/// What a user may do in Zaak at all (their user role), from least to most. Not to be confused
/// with a process role (behandelaar, beslisser), which a member holds in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Works the tasks of their own teams.
    Worker,
    /// A team lead: also distributes the tasks of their teams and manages their members.
    Coordinator,
    /// Deploys processes.
    Designer,
    /// Reads figures and cases, changes nothing.
    Manager,
    /// May do everything.
    Admin,
}

impl UserRole {
    pub const ALL: [UserRole; 5] = [
        UserRole::Worker,
        UserRole::Coordinator,
        UserRole::Designer,
        UserRole::Manager,
        UserRole::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Worker => "worker",
            UserRole::Coordinator => "coordinator",
            UserRole::Designer => "designer",
            UserRole::Manager => "manager",
            UserRole::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<UserRole> {
        UserRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user's place in one team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub team: String,
    /// The process roles the member holds in this team, sorted.
    pub roles: Vec<String>,
    /// Whether automatic assignment may give the team's new tasks to this member.
    pub receives_work: bool,
}

/// Someone who may use Zaak.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub role: UserRole,
    /// The most confidential cases this user sees without being involved in them.
    pub clearance: Confidentiality,
    /// Sorted by team.
    pub memberships: Vec<Membership>,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == UserRole::Admin
    }

    pub fn membership(&self, team: &str) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.team == team)
    }

    pub fn in_team(&self, team: &str) -> bool {
        self.membership(team).is_some()
    }

    pub fn teams(&self) -> impl Iterator<Item = &str> {
        self.memberships.iter().map(|m| m.team.as_str())
    }

    /// Whom this user is when cases are looked for.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            name: self.name.clone(),
            // An admin sees every case; nobody else sees more than their clearance allows,
            // unless involved.
            clearance: if self.is_admin() {
                Confidentiality::ZeerGeheim
            } else {
                self.clearance
            },
        }
    }
}

/// The clearance a user gets when none is given: `intern`, the highest confidentiality that
/// ZGW means for everyone inside the organisation. `zaakvertrouwelijk` and above are for
/// those involved in the case.
pub const DEFAULT_CLEARANCE: Confidentiality = Confidentiality::Intern;

/// Someone looking for cases. A case is visible to them when its confidentiality is within
/// their clearance, when they started it, or when one of their teams has or had a task on it:
/// the rule is written once, in SQL (`queries/cases/visible.sql`), and every list, count and
/// lookup for a viewer includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub name: String,
    pub clearance: Confidentiality,
}

impl Viewer {
    /// A viewer who sees every case: the system itself, and the command line on the database.
    pub fn everything() -> Viewer {
        Viewer {
            name: String::new(),
            clearance: Confidentiality::ZeerGeheim,
        }
    }
}

/// The confidentiality as the number stored with a case: its place in ZGW's order.
pub(crate) fn rank(c: Confidentiality) -> i64 {
    Confidentiality::ALL
        .iter()
        .position(|x| *x == c)
        .map_or(0, |i| i as i64)
}

pub(crate) fn from_rank(rank: i64) -> Option<Confidentiality> {
    usize::try_from(rank)
        .ok()
        .and_then(|i| Confidentiality::ALL.get(i).copied())
}

/// Why a user may not hold a task.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotEligible {
    #[error("the task belongs to team {team}, and {user} is not a member")]
    NotAMember { user: String, team: String },
    #[error("the task needs the role {role} in team {team}, which {user} does not hold")]
    MissingRole {
        user: String,
        team: String,
        role: String,
    },
}

/// Whether `user` may hold a task of `team` that asks for process role `role`: claim it, be
/// assigned it, complete it. Only members of the team may, and of those only the ones who hold
/// the role when the task names one. An admin works as a member of any team, but not in a
/// process role: a role is a mandate (the beslisser, the klachtbehandelaar who was not
/// involved, Awb 9:7) that only membership with that role gives.
pub fn eligibility(user: &User, team: &str, role: Option<&str>) -> Result<(), NotEligible> {
    let membership = user.membership(team);
    match (membership, role) {
        (None, None) if user.is_admin() => Ok(()),
        (None, _) => Err(NotEligible::NotAMember {
            user: user.name.clone(),
            team: team.to_string(),
        }),
        (Some(_), None) => Ok(()),
        (Some(m), Some(role)) if m.roles.iter().any(|r| r == role) => Ok(()),
        (Some(_), Some(role)) => Err(NotEligible::MissingRole {
            user: user.name.clone(),
            team: team.to_string(),
            role: role.to_string(),
        }),
    }
}

/// Names of users and teams: plain, so that they read well in logs and histories.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: UserRole, memberships: &[(&str, &[&str])]) -> User {
        User {
            name: "anna".into(),
            role,
            clearance: DEFAULT_CLEARANCE,
            memberships: memberships
                .iter()
                .map(|(team, roles)| Membership {
                    team: team.to_string(),
                    roles: roles.iter().map(|r| r.to_string()).collect(),
                    receives_work: true,
                })
                .collect(),
        }
    }

    #[test]
    fn only_members_holding_the_role_may_hold_a_task() {
        let anna = user(UserRole::Worker, &[("vergunningen", &["behandelaar"])]);
        assert_eq!(eligibility(&anna, "vergunningen", None), Ok(()));
        assert_eq!(
            eligibility(&anna, "vergunningen", Some("behandelaar")),
            Ok(())
        );
        assert!(matches!(
            eligibility(&anna, "vergunningen", Some("beslisser")),
            Err(NotEligible::MissingRole { .. })
        ));
        assert!(matches!(
            eligibility(&anna, "handhaving", None),
            Err(NotEligible::NotAMember { .. })
        ));
    }

    #[test]
    fn an_admin_works_in_any_team_but_holds_no_role_by_office() {
        let admin = user(UserRole::Admin, &[]);
        assert_eq!(eligibility(&admin, "vergunningen", None), Ok(()));
        assert!(matches!(
            eligibility(&admin, "vergunningen", Some("beslisser")),
            Err(NotEligible::NotAMember { .. })
        ));
        let coordinator = user(UserRole::Coordinator, &[("klachten", &[])]);
        assert!(matches!(
            eligibility(&coordinator, "klachten", Some("beslisser")),
            Err(NotEligible::MissingRole { .. })
        ));
    }

    #[test]
    fn ranks_follow_zgw_order() {
        for (i, c) in Confidentiality::ALL.into_iter().enumerate() {
            assert_eq!(rank(c), i as i64);
            assert_eq!(from_rank(i as i64), Some(c));
        }
        assert_eq!(from_rank(8), None);
        let admin = user(UserRole::Admin, &[]);
        assert_eq!(admin.viewer().clearance, Confidentiality::ZeerGeheim);
        assert_eq!(
            user(UserRole::Manager, &[]).viewer().clearance,
            Confidentiality::Intern
        );
    }
}
