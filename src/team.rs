//! `zaak team`: how a team's new tasks find a worker, written straight into the database the
//! server uses; and the team membership `zaak user add` records for automatic assignment.

use clap::{Subcommand, ValueEnum};
use std::process::ExitCode;
use zaak_runtime::{AssignmentPolicy, Runtime, RuntimeOptions};

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Set how the team's new tasks are assigned: to each member in turn (round-robin), to the
    /// member holding the fewest tasks (least-loaded), or by hand from the queue (manual).
    Policy {
        team: String,
        #[arg(value_enum)]
        policy: Policy,
        /// sqlite://path or postgres://...
        #[arg(long, default_value = "sqlite://zaak.db")]
        db: String,
    },
    /// Show a team's assignment policy and members.
    Show {
        team: String,
        #[arg(long, default_value = "sqlite://zaak.db")]
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

pub fn run(command: TeamCommand) -> ExitCode {
    let tokio = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    tokio.block_on(async {
        let result = match command {
            TeamCommand::Policy { team, policy, db } => set_policy(&db, &team, policy.into()).await,
            TeamCommand::Show { team, db } => show(&db, &team).await,
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn open(db: &str) -> Result<Runtime, String> {
    Runtime::open(db, RuntimeOptions::default())
        .await
        .map_err(|e| format!("cannot open {db}: {e}"))
}

async fn set_policy(db: &str, team: &str, policy: AssignmentPolicy) -> Result<(), String> {
    let runtime = open(db).await?;
    runtime
        .set_team_policy(team, policy)
        .await
        .map_err(|e| e.to_string())?;
    let members = runtime
        .team_members(team)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("team {team} now assigns its new tasks: {policy}");
    if policy != AssignmentPolicy::Manual && members.is_empty() {
        // The policy is kept, but does nothing until someone joins the team.
        eprintln!(
            "note: team {team} has no members yet; add users with `zaak user add NAME --team {team}`"
        );
    }
    Ok(())
}

async fn show(db: &str, team: &str) -> Result<(), String> {
    let runtime = open(db).await?;
    let policy = runtime.team_policy(team).await.map_err(|e| e.to_string())?;
    let members = runtime
        .team_members(team)
        .await
        .map_err(|e| e.to_string())?;
    println!("team: {team}");
    println!("policy: {policy}");
    println!("members: {}", members.join(", "));
    Ok(())
}

/// Records a user as a member of their teams, so that automatic assignment can give them
/// tasks. Adding a member twice changes nothing.
pub async fn join_teams(db: &str, user: &str, teams: &[String]) -> Result<(), String> {
    if teams.is_empty() {
        return Ok(());
    }
    let runtime = open(db).await?;
    for team in teams {
        runtime
            .add_team_member(team, user)
            .await
            .map_err(|e| format!("cannot add {user} to team {team}: {e}"))?;
    }
    Ok(())
}

/// Takes a removed user out of their teams, so that automatic assignment stops giving them
/// tasks, and returns how many open tasks are still assigned to them (a coordinator releases
/// or reassigns those).
pub async fn leave_teams(db: &str, user: &str, teams: &[String]) -> Result<usize, String> {
    let runtime = open(db).await?;
    for team in teams {
        runtime
            .remove_team_member(team, user)
            .await
            .map_err(|e| format!("cannot take {user} out of team {team}: {e}"))?;
    }
    let open_tasks = runtime
        .my_tasks(
            user,
            zaak_runtime::Page {
                limit: 10_000,
                offset: 0,
            },
        )
        .await
        .map_err(|e| format!("cannot count the open tasks of {user}: {e}"))?;
    Ok(open_tasks.len())
}
