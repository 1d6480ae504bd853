//! Every process in the library runs on the runtime: deployed, started, and driven to its end
//! by completing tasks, delivering awaited messages and letting time pass, with the stored
//! case consistent after every step.

mod common;

use chrono::Duration;
use common::{check_case_is_whole, claim_as, TestDb};
use serde_json::{json, Value};
use std::collections::HashMap;
use zaak_dsl::{DataField, DataType, ProcessModel, StepKind, Syntax};
use zaak_runtime::{
    CaseFilter, CaseId, CaseView, Command, Data, Error, Page, Redeploy, Runtime, TaskState,
};

on_both_backends!(every_library_process_runs_to_its_end);

/// The most steps a case may take before the test gives up on it.
const STEPS: usize = 200;

fn library() -> Vec<(String, String, Syntax)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../processes");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let syntax = Syntax::from_path(p.to_str()?)?;
            Some((
                p.display().to_string(),
                std::fs::read_to_string(&p).ok()?,
                syntax,
            ))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A value a form would accept for a field.
fn sample(field: &DataField) -> Value {
    match &field.ty {
        DataType::Text => json!("voorbeeld"),
        DataType::Number => json!(1),
        DataType::Bool => json!(true),
        DataType::Date => json!("2026-03-02"),
        DataType::Choice(values) => json!(values.first().cloned().unwrap_or_default()),
    }
}

/// Every declared field filled in, as a complete application would be. (A deelzaak that needs
/// a field its parent left empty cannot start, and the parent's step is refused.)
fn all_fields(fields: &[DataField]) -> Data {
    fields
        .iter()
        .map(|f| (f.name.name.clone(), sample(f)))
        .collect()
}

/// The open deelzaken of a case, and theirs, depth first.
async fn open_family(rt: &Runtime, case: CaseId) -> Vec<CaseView> {
    let mut family = Vec::new();
    let mut todo = vec![case];
    while let Some(id) = todo.pop() {
        let view = rt.case(id).await.unwrap();
        if view.open {
            family.push(view);
        }
        let filter = CaseFilter {
            parent: Some(id),
            ..CaseFilter::default()
        };
        for child in rt.cases(&filter, Page::default()).await.unwrap() {
            todo.push(child.id);
        }
    }
    family
}

/// Drives one case and its deelzaken: a task is completed with its outcomes taken in turn on
/// each visit (so a loop back is left the next time round), else an awaited message is
/// delivered, else time moves on ten days and due timers fire.
async fn drive(db: &TestDb, rt: &Runtime, models: &HashMap<String, ProcessModel>, case: CaseId) {
    let mut visits: HashMap<(String, String), usize> = HashMap::new();
    'step: for _ in 0..STEPS {
        let family = open_family(rt, case).await;
        for view in &family {
            check_case_is_whole(rt, view).await;
        }
        if !rt.case(case).await.unwrap().open {
            return;
        }
        for view in &family {
            let model = &models[&view.process_key];
            let tasks = rt.case_tasks(view.id).await.unwrap();
            let Some(task) = tasks.iter().find(|t| t.state == TaskState::Open) else {
                continue;
            };
            let Some(StepKind::Task(step)) = model.step(&task.step).map(|s| &s.kind) else {
                panic!("task of step {} that is no task", task.step);
            };
            let visit = visits
                .entry((view.process_key.clone(), task.step.clone()))
                .or_default();
            let outcome = (!step.outcomes.is_empty()).then(|| {
                step.outcomes[*visit % step.outcomes.len()]
                    .name
                    .name
                    .clone()
            });
            *visit += 1;
            // Fill every form field, so conditions on them can be evaluated.
            let form = all_fields(&step.fields);
            let team = vec![task.team.clone()];
            claim_as(rt, task.id, "tester", &team).await.unwrap();
            rt.complete(task.id, "tester", outcome.as_deref(), form)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", task.step));
            continue 'step;
        }
        for view in &family {
            for message in &models[&view.process_key].messages {
                let command = Command::DeliverMessage {
                    name: message.name.name.clone(),
                    data: Data::new(),
                };
                match rt.command(view.id, command, "portaal").await {
                    Ok(_) => continue 'step,
                    Err(Error::Rejected(_)) => {}
                    Err(e) => panic!("{e}"),
                }
            }
        }
        db.clock.advance(Duration::days(10));
        rt.fire_due_timers(100).await.unwrap();
    }
    let key = &rt.case(case).await.unwrap().process_key;
    panic!("{key} did not end within {STEPS} steps");
}

async fn every_library_process_runs_to_its_end(db: &TestDb) {
    let rt = db.open().await;
    let mut models = HashMap::new();
    for (path, source, syntax) in library() {
        let deployed = rt
            .deploy(&source, syntax, Redeploy::UnlessLatest)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let model = rt.model(&deployed.key, deployed.version).await.unwrap();
        models.insert(deployed.key, model);
    }
    assert!(models.len() >= 2, "the library has processes");
    let mut keys: Vec<&String> = models.keys().collect();
    keys.sort();
    for key in keys {
        let model = &models[key];
        let case = rt
            .start_case(key, all_fields(&model.data), "balie", None)
            .await
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        drive(db, &rt, &models, case.id).await;
    }
}
