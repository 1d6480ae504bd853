//! `zaak user` and `zaak team`: the operator's commands on the database the server uses.
//! Whoever may open the database is the operator: these commands need no token, and act
//! through the application layer like every other front end.

use crate::block_on;
use clap::{Subcommand, ValueEnum};
use std::process::ExitCode;
use zaak_app::App;
use zaak_dsl::Confidentiality;
use zaak_runtime::{AssignmentPolicy, Membership, NewUser, Runtime, RuntimeOptions, UserRole};

const DEFAULT_DB: &str = "sqlite://zaak.db";

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user and print their API token (shown only this once).
    Add {
        name: String,
        /// worker, coordinator, designer, manager or admin.
        #[arg(long)]
        role: String,
        /// A team the user works in, with the process roles they hold there after a colon:
        /// `vergunningen` or `vergunningen:behandelaar,beslisser`. Repeat for several teams.
        #[arg(long = "team", value_name = "TEAM[:ROLES]")]
        teams: Vec<String>,
        /// The most confidential cases the user sees without being involved in them (openbaar,
        /// beperkt_openbaar, intern, zaakvertrouwelijk, vertrouwelijk, confidentieel, geheim,
        /// zeer_geheim). Admins see every case.
        #[arg(long, default_value = "intern")]
        clearance: String,
        /// sqlite://path or postgres://...
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// Give a user a new API token (shown only this once); the old one stops working.
    Token {
        name: String,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// Remove a user: their token stops working and they leave their teams.
    Remove {
        name: String,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// List the users: name, role, clearance and teams with their process roles (tab-separated).
    List {
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Set how the team's new tasks are assigned: to each member in turn (round-robin), to the
    /// member holding the fewest tasks (least-loaded), or by hand from the queue (manual).
    Policy {
        team: String,
        #[arg(value_enum)]
        policy: Policy,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// Show a team's assignment policy and its members with their process roles.
    Show {
        team: String,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// Make a user a member of the team, holding exactly the process roles given.
    Member {
        team: String,
        user: String,
        /// A process role the member holds in the team (behandelaar, beslisser, ...); repeat.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Keep automatic assignment from giving them the team's tasks.
        #[arg(long)]
        no_work: bool,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// Take a user out of the team, with the process roles they held there.
    Leave {
        team: String,
        user: String,
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Policy {
    RoundRobin,
    LeastLoaded,
    Manual,
}

impl From<Policy> for AssignmentPolicy {
    fn from(p: Policy) -> AssignmentPolicy {
        match p {
            Policy::RoundRobin => AssignmentPolicy::RoundRobin,
            Policy::LeastLoaded => AssignmentPolicy::LeastLoaded,
            Policy::Manual => AssignmentPolicy::Manual,
        }
    }
}

/// `vergunningen:behandelaar,beslisser` as a membership.
pub fn parse_team(spec: &str) -> Result<Membership, String> {
    let (team, roles) = spec.split_once(':').unwrap_or((spec, ""));
    let team = team.trim();
    if team.is_empty() {
        return Err(format!(
            "`{spec}` names no team; write TEAM or TEAM:ROLE,ROLE"
        ));
    }
    Ok(Membership {
        team: team.to_string(),
        roles: roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect(),
        receives_work: true,
    })
}

/// Opens the database and runs `work` with the application on it.
fn with_app<F, Fut>(db: &str, work: F) -> ExitCode
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    block_on(async {
        let runtime = match Runtime::open(db, RuntimeOptions::default()).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: cannot open {db}: {e}");
                return ExitCode::FAILURE;
            }
        };
        match work(App::new(runtime)).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

pub fn run_user(command: UserCommand) -> ExitCode {
    match command {
        UserCommand::Add {
            name,
            role,
            teams,
            clearance,
            db,
        } => {
            let Some(role) = UserRole::parse(&role) else {
                eprintln!(
                    "error: `{role}` is not a role; use worker, coordinator, designer, manager or admin"
                );
                return ExitCode::from(2);
            };
            let Some(clearance) = Confidentiality::parse(&clearance) else {
                eprintln!("error: `{clearance}` is not a confidentiality; use openbaar, beperkt_openbaar, intern, zaakvertrouwelijk, vertrouwelijk, confidentieel, geheim or zeer_geheim");
                return ExitCode::from(2);
            };
            let memberships = match teams.iter().map(|t| parse_team(t)).collect() {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let user = NewUser {
                name,
                role,
                clearance: Some(clearance),
                memberships,
            };
            with_app(&db, |app| async move {
                let token = app.add_user(&user).await.map_err(|e| e.to_string())?;
                eprintln!(
                    "added {} ({}); the token is shown only now:",
                    user.name, user.role
                );
                println!("{token}");
                Ok(())
            })
        }
        UserCommand::Token { name, db } => with_app(&db, |app| async move {
            let token = app.new_token(&name).await.map_err(|e| e.to_string())?;
            eprintln!("new token for {name}; the old one no longer works; shown only now:");
            println!("{token}");
            Ok(())
        }),
        UserCommand::Remove { name, db } => with_app(&db, |app| async move {
            let removed = app.remove_user(&name).await.map_err(|e| e.to_string())?;
            if removed.open_tasks == 0 {
                eprintln!("removed {name}");
            } else {
                eprintln!(
                    "removed {name}; {} open task(s) are still assigned to them: a \
                     coordinator releases or reassigns them",
                    removed.open_tasks
                );
            }
            Ok(())
        }),
        UserCommand::List { db } => with_app(&db, |app| async move {
            for u in app.users().await.map_err(|e| e.to_string())? {
                let teams: Vec<String> = u
                    .memberships
                    .iter()
                    .map(|m| match m.roles.as_slice() {
                        [] => m.team.clone(),
                        roles => format!("{}:{}", m.team, roles.join(",")),
                    })
                    .collect();
                println!(
                    "{}\t{}\t{}\t{}",
                    u.name,
                    u.role,
                    u.viewer().clearance.as_str(),
                    teams.join(" ")
                );
            }
            Ok(())
        }),
    }
}

pub fn run_team(command: TeamCommand) -> ExitCode {
    match command {
        TeamCommand::Policy { team, policy, db } => with_app(&db, |app| async move {
            let policy: AssignmentPolicy = policy.into();
            let runtime = app.runtime();
            runtime
                .set_team_policy(&team, policy)
                .await
                .map_err(|e| e.to_string())?;
            let members = runtime
                .team(&team)
                .await
                .map_err(|e| e.to_string())?
                .members;
            eprintln!("team {team} now assigns its new tasks: {policy}");
            if policy != AssignmentPolicy::Manual && !members.iter().any(|m| m.receives_work) {
                // The policy is kept, but does nothing until someone joins the team.
                eprintln!(
                    "note: team {team} has no members who receive work yet; add users with `zaak user add NAME --team {team}`"
                );
            }
            Ok(())
        }),
        TeamCommand::Show { team, db } => with_app(&db, |app| async move {
            let t = app.runtime().team(&team).await.map_err(|e| e.to_string())?;
            println!("team: {}", t.name);
            println!("policy: {}", t.policy);
            let members: Vec<String> = t
                .members
                .iter()
                .filter(|m| m.receives_work)
                .map(|m| m.name.clone())
                .collect();
            println!("members: {}", members.join(", "));
            for m in &t.members {
                let roles = if m.roles.is_empty() {
                    "-".to_string()
                } else {
                    m.roles.join(",")
                };
                let work = if m.receives_work {
                    ""
                } else {
                    "\t(no assigned work)"
                };
                println!("  {}\t{roles}{work}", m.name);
            }
            Ok(())
        }),
        TeamCommand::Member {
            team,
            user,
            roles,
            no_work,
            db,
        } => with_app(&db, |app| async move {
            app.runtime()
                .set_membership(&team, &user, &roles, !no_work)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "{user} is a member of {team} with roles: {}",
                if roles.is_empty() {
                    "-".to_string()
                } else {
                    roles.join(", ")
                }
            );
            Ok(())
        }),
        TeamCommand::Leave { team, user, db } => with_app(&db, |app| async move {
            let was = app
                .runtime()
                .remove_membership(&team, &user)
                .await
                .map_err(|e| e.to_string())?;
            if !was {
                return Err(format!("{user} is not a member of {team}"));
            }
            eprintln!("{user} left {team}");
            Ok(())
        }),
    }
}
