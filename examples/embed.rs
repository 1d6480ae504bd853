//! Zaak as a library: an application embeds the durable runtime on an SQLite file of its own,
//! deploys a process from the library and works a case of it to its end, without a server.
//!
//! Run it with `cargo run --example embed [PROCESS_FILE]` (default: the omgevingsvergunning).
//! Each open task is completed with its first outcome and plausible form data, the way a test
//! team would walk through a new procedure before it goes live.

use serde_json::{json, Value};
use zaak_dsl::{DataField, DataType, ProcessModel, StepKind, Syntax};
use zaak_runtime::{Data, Membership, NewUser, Redeploy, Runtime, RuntimeOptions, UserRole};

/// A value a worker could enter for a field of this type.
fn sample(field: &DataField) -> Value {
    match &field.ty {
        DataType::Text => json!(format!("voorbeeld {}", field.name)),
        DataType::Number => json!(250_000),
        DataType::Bool => json!(true),
        DataType::Date => json!(chrono::Utc::now().date_naive().to_string()),
        DataType::Choice(values) => json!(values.first().cloned().unwrap_or_default()),
    }
}

/// Every required field filled in, the optional ones left out.
fn fill(fields: &[DataField]) -> Data {
    fields
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.name.name.clone(), sample(f)))
        .collect()
}

/// The first outcome and the form data for a task of `step`.
fn answer(model: &ProcessModel, step: &str) -> (Option<String>, Data) {
    match model.step(step).map(|s| &s.kind) {
        Some(StepKind::Task(t)) => (
            t.outcomes.first().map(|o| o.name.name.clone()),
            fill(&t.fields),
        ),
        _ => (None, Data::new()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "processes/omgevingsvergunning.zaak".into());
    let syntax = Syntax::from_path(&file).ok_or("expected a .zaak, .yaml or .yml file")?;
    let source = std::fs::read_to_string(&file)?;

    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("zaak.db").display());
    let runtime = Runtime::open(&url, RuntimeOptions::default()).await?;
    let deployed = runtime
        .deploy(&source, syntax, Redeploy::UnlessLatest)
        .await?;
    let model = runtime.model(&deployed.key, deployed.version).await?;
    println!("deployed {} version {}", deployed.key, deployed.version);

    let case = runtime
        .start_case(&deployed.key, fill(&model.data), "intake", None)
        .await?;
    println!("started {}", case.reference);

    // One worker who is a member of every team and holds every process role of the process:
    // a task goes only to a member of its team who holds the role its step names.
    let roles: Vec<String> = model.roles.iter().map(|r| r.name.name.clone()).collect();
    runtime
        .add_user(&NewUser {
            name: "medewerker".into(),
            role: UserRole::Worker,
            clearance: None,
            memberships: model
                .teams
                .iter()
                .map(|t| Membership {
                    team: t.name.name.clone(),
                    roles: roles.clone(),
                    receives_work: true,
                })
                .collect(),
        })
        .await?;
    for _ in 0..100 {
        let view = runtime.case(case.id).await?;
        if !view.open {
            println!(
                "{} closed with status {} and result {}",
                view.reference,
                view.status.as_deref().unwrap_or("-"),
                view.result.as_deref().unwrap_or("-")
            );
            return Ok(());
        }
        let tasks = runtime.case_tasks(case.id).await?;
        let Some(task) = tasks.iter().find(|t| t.finished_at.is_none()) else {
            return Err(format!("{} waits for something other than a task", view.reference).into());
        };
        runtime.claim(task.id, "medewerker").await?;
        let (outcome, data) = answer(&model, &task.step);
        runtime
            .complete(task.id, "medewerker", outcome.as_deref(), data)
            .await?;
        println!(
            "completed {} ({}){}",
            task.step,
            task.team,
            outcome.map(|o| format!(" with {o}")).unwrap_or_default()
        );
    }
    Err("the case did not close within 100 tasks".into())
}
