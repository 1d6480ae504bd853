//! Who may do what: the one table of user roles and actions, and the team rules on top.
//!
//! | action                               | worker | coordinator | designer | manager | admin |
//! |--------------------------------------|--------|-------------|----------|---------|-------|
//! | read processes and diagrams          | yes    | yes         | yes      | yes     | yes   |
//! | deploy a process                     | -      | -           | yes      | -       | yes   |
//! | start a case                         | yes    | yes         | -        | -       | yes   |
//! | read cases and their history         | yes    | yes         | yes      | yes     | yes   |
//! | messages, suspend, resume, extend    | team   | team        | -        | -       | yes   |
//! | cancel a case                        | -      | team        | -        | -       | yes   |
//! | read the worklist and tasks          | team   | team        | -        | -       | yes   |
//! | claim, release, complete a task      | team   | team        | -        | -       | yes   |
//! | assign a task                        | -      | team        | -        | -       | yes   |
//! | read a team                          | team   | team        | -        | yes     | yes   |
//! | manage a team's members and policy   | -      | team        | -        | -       | yes   |
//! | read figures and event logs          | -      | -           | -        | yes     | yes   |
//! | read server metrics                  | -      | -           | -        | -       | yes   |
//!
//! "team" means: only where one of the user's teams is involved (for a task, its team; for a
//! case, a team that has or had a task on it). Which cases a user sees at all is the rule of
//! `zaak_runtime::people::Viewer`: within their clearance, started by them, or involving their
//! teams. Holding a task also needs the process role its step names
//! (`zaak_runtime::people::eligibility`).

use crate::error::{AppError, AppResult};
use zaak_runtime::{User, UserRole};

/// The actions the table speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadProcesses,
    Deploy,
    StartCase,
    ReadCases,
    ChangeCase,
    CancelCase,
    WorkTasks,
    AssignTasks,
    ReadTeam,
    ManageTeam,
    ReadFigures,
    ReadMetrics,
}

/// Whether the role may take the action at all; team rules come on top.
pub fn role_allows(role: UserRole, action: Action) -> bool {
    use Action::*;
    use UserRole::*;
    matches!(
        (role, action),
        (Admin, _)
            | (_, ReadProcesses | ReadCases)
            | (Designer, Deploy)
            | (
                Worker | Coordinator,
                StartCase | ChangeCase | WorkTasks | ReadTeam
            )
            | (Coordinator, CancelCase | AssignTasks | ManageTeam)
            | (Manager, ReadFigures | ReadTeam)
    )
}

/// Whether the action needs one of the user's teams to be involved (the table's "team").
fn scoped_to_team(role: UserRole, action: Action) -> bool {
    use Action::*;
    role != UserRole::Admin
        && !(role == UserRole::Manager && action == ReadTeam)
        && matches!(
            action,
            ChangeCase | CancelCase | WorkTasks | AssignTasks | ReadTeam | ManageTeam
        )
}

/// Refuses with [`crate::ErrorKind::Forbidden`] unless the role allows the action.
pub fn require(user: &User, action: Action) -> AppResult<()> {
    if role_allows(user.role, action) {
        Ok(())
    } else {
        Err(AppError::forbidden(format!(
            "the role {} may not do this",
            user.role
        )))
    }
}

/// Refuses unless the role allows the action and, where the table says "team", one of `teams`
/// is one of the user's.
pub fn require_in<'a>(
    user: &User,
    action: Action,
    mut teams: impl Iterator<Item = &'a str>,
) -> AppResult<()> {
    require(user, action)?;
    if !scoped_to_team(user.role, action) || teams.any(|t| user.in_team(t)) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "none of your teams is involved in this",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zaak_runtime::Membership;

    fn user(role: UserRole, team: &str) -> User {
        User {
            name: "u".into(),
            role,
            clearance: zaak_runtime::people::DEFAULT_CLEARANCE,
            memberships: vec![Membership {
                team: team.into(),
                roles: vec![],
                receives_work: true,
            }],
        }
    }

    #[test]
    fn the_table_as_written() {
        use Action::*;
        use UserRole::*;
        let expected: [(UserRole, &[Action]); 5] = [
            (
                Worker,
                &[
                    ReadProcesses,
                    StartCase,
                    ReadCases,
                    ChangeCase,
                    WorkTasks,
                    ReadTeam,
                ],
            ),
            (
                Coordinator,
                &[
                    ReadProcesses,
                    StartCase,
                    ReadCases,
                    ChangeCase,
                    CancelCase,
                    WorkTasks,
                    AssignTasks,
                    ReadTeam,
                    ManageTeam,
                ],
            ),
            (Designer, &[ReadProcesses, Deploy, ReadCases]),
            (Manager, &[ReadProcesses, ReadCases, ReadTeam, ReadFigures]),
            (
                Admin,
                &[
                    ReadProcesses,
                    Deploy,
                    StartCase,
                    ReadCases,
                    ChangeCase,
                    CancelCase,
                    WorkTasks,
                    AssignTasks,
                    ReadTeam,
                    ManageTeam,
                    ReadFigures,
                    ReadMetrics,
                ],
            ),
        ];
        let all = [
            ReadProcesses,
            Deploy,
            StartCase,
            ReadCases,
            ChangeCase,
            CancelCase,
            WorkTasks,
            AssignTasks,
            ReadTeam,
            ManageTeam,
            ReadFigures,
            ReadMetrics,
        ];
        for (role, allowed) in expected {
            for action in all {
                assert_eq!(
                    role_allows(role, action),
                    allowed.contains(&action),
                    "{role} {action:?}"
                );
            }
        }
    }

    #[test]
    fn team_actions_need_one_of_the_users_teams() {
        let worker = user(UserRole::Worker, "intake");
        assert!(require_in(&worker, Action::WorkTasks, ["intake"].into_iter()).is_ok());
        assert!(require_in(&worker, Action::WorkTasks, ["handhaving"].into_iter()).is_err());
        let manager = user(UserRole::Manager, "staf");
        assert!(require_in(&manager, Action::ReadTeam, ["intake"].into_iter()).is_ok());
        let admin = user(UserRole::Admin, "beheer");
        assert!(require_in(&admin, Action::ManageTeam, ["intake"].into_iter()).is_ok());
        let coordinator = user(UserRole::Coordinator, "intake");
        assert!(require_in(
            &coordinator,
            Action::ManageTeam,
            ["buitendienst"].into_iter()
        )
        .is_err());
    }
}
