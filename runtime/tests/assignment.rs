//! Automatic assignment: a team's new tasks go straight to one of its members, by round robin
//! or to the least loaded, on SQLite and (when configured) PostgreSQL.

mod common;

use common::{
    check_case_is_whole, claim_as, data, join, members, set_members, teams, TestDb, MELDING,
};
use zaak_runtime::{
    AssignmentPolicy, CaseId, Error, Event, Page, Redeploy, Runtime, Syntax, TaskState, TaskView,
};

on_both_backends!(
    round_robin_takes_the_members_in_turn,
    least_loaded_picks_the_member_holding_fewest_tasks,
    a_manual_team_keeps_its_tasks_in_the_queue,
    a_team_without_members_keeps_its_tasks_in_the_queue,
    the_history_says_why_the_task_was_assigned,
    an_assigned_task_is_the_members_to_complete,
    policies_and_members_read_back,
    concurrent_tasks_share_the_work_evenly,
);

const MEMBERS: [&str; 3] = ["anna", "bram", "carla"];

async fn runtime_with_melding(db: &TestDb) -> Runtime {
    let rt = db.open().await;
    rt.deploy(MELDING, Syntax::Yaml, Redeploy::UnlessLatest)
        .await
        .unwrap();
    rt
}

/// Starts a report; its first task goes to the intake team.
async fn start(rt: &Runtime) -> CaseId {
    rt.start_case("melding", data(&[]), "balie", None)
        .await
        .unwrap()
        .id
}

async fn intake_task(rt: &Runtime, case: CaseId) -> TaskView {
    let tasks = rt.case_tasks(case).await.unwrap();
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let task = tasks.into_iter().next().unwrap();
    assert_eq!(task.team, "intake");
    task
}

async fn assigned_events(rt: &Runtime, case: CaseId) -> Vec<Event> {
    rt.events(case)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "task_assigned")
        .collect()
}

async fn round_robin_takes_the_members_in_turn(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    set_members(&rt, "intake", &teams(&MEMBERS)).await.unwrap();
    rt.set_team_policy("intake", AssignmentPolicy::RoundRobin)
        .await
        .unwrap();

    let mut assignees = Vec::new();
    for _ in 0..6 {
        let case = start(&rt).await;
        let task = intake_task(&rt, case).await;
        assert_eq!(task.state, TaskState::Claimed);
        assert!(task.claimed_at.is_some());
        assignees.push(task.assignee.unwrap_or_default());
    }
    assert_eq!(
        assignees,
        ["anna", "bram", "carla", "anna", "bram", "carla"]
    );

    // A new member joins the turn in name order: after carla comes daan, then anna again.
    join(&rt, "daan", &teams(&["intake"]), &[]).await;
    let mut next = Vec::new();
    for _ in 0..2 {
        let task = intake_task(&rt, start(&rt).await).await;
        next.push(task.assignee.unwrap_or_default());
    }
    assert_eq!(next, ["daan", "anna"]);
}

async fn least_loaded_picks_the_member_holding_fewest_tasks(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    set_members(&rt, "intake", &teams(&MEMBERS)).await.unwrap();
    // While the team works by hand, anna takes two tasks and carla one.
    for worker in ["anna", "anna", "carla"] {
        let task = intake_task(&rt, start(&rt).await).await;
        assert_eq!(task.state, TaskState::Open);
        claim_as(&rt, task.id, worker, &teams(&["intake"]))
            .await
            .unwrap();
    }
    // A task bram holds in another team counts too: it is one person's work.
    let other = start(&rt).await;
    let beoordelen = intake_task(&rt, other).await;
    claim_as(&rt, beoordelen.id, "carla", &teams(&["intake"]))
        .await
        .unwrap();
    rt.complete(beoordelen.id, "carla", Some("terecht"), data(&[]))
        .await
        .unwrap();
    let field = rt
        .worklist("buitendienst", Page::default())
        .await
        .unwrap()
        .remove(0);
    claim_as(&rt, field.id, "bram", &teams(&["buitendienst"]))
        .await
        .unwrap();

    rt.set_team_policy("intake", AssignmentPolicy::LeastLoaded)
        .await
        .unwrap();
    // Loads are anna 2, bram 1, carla 1: the tie goes to bram by name, then carla has the
    // fewest, then all hold two and anna comes first, then bram and carla catch up.
    let mut assignees = Vec::new();
    for _ in 0..5 {
        let task = intake_task(&rt, start(&rt).await).await;
        assert_eq!(task.state, TaskState::Claimed);
        assignees.push(task.assignee.unwrap_or_default());
    }
    assert_eq!(assignees, ["bram", "carla", "anna", "bram", "carla"]);
    for member in MEMBERS {
        let held = rt.my_tasks(member, Page::default()).await.unwrap().len();
        assert_eq!(held, 3, "{member}");
    }
}

async fn a_manual_team_keeps_its_tasks_in_the_queue(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    set_members(&rt, "intake", &teams(&MEMBERS)).await.unwrap();
    rt.set_team_policy("intake", AssignmentPolicy::RoundRobin)
        .await
        .unwrap();
    let assigned = start(&rt).await;
    // Back to working by hand: the next tasks wait in the queue for anyone to claim.
    rt.set_team_policy("intake", AssignmentPolicy::Manual)
        .await
        .unwrap();
    let mut cases = Vec::new();
    for _ in 0..2 {
        cases.push(start(&rt).await);
    }
    for case in &cases {
        let task = intake_task(&rt, *case).await;
        assert_eq!(task.state, TaskState::Open);
        assert_eq!(task.assignee, None);
        assert!(assigned_events(&rt, *case).await.is_empty());
    }
    let queue = rt.worklist("intake", Page::default()).await.unwrap();
    let queued: Vec<CaseId> = queue.iter().map(|t| t.case_id).collect();
    assert_eq!(queued, cases);
    assert_eq!(
        intake_task(&rt, assigned).await.assignee.as_deref(),
        Some("anna")
    );
}

async fn a_team_without_members_keeps_its_tasks_in_the_queue(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    rt.set_team_policy("intake", AssignmentPolicy::LeastLoaded)
        .await
        .unwrap();
    // Members of another team are no help to intake.
    set_members(&rt, "buitendienst", &teams(&MEMBERS))
        .await
        .unwrap();
    let case = start(&rt).await;
    let task = intake_task(&rt, case).await;
    assert_eq!(task.state, TaskState::Open);
    assert_eq!(task.assignee, None);
    assert_eq!(
        rt.worklist("intake", Page::default()).await.unwrap().len(),
        1
    );
    assert!(assigned_events(&rt, case).await.is_empty());

    // Emptying a team's membership stops the assignment as well.
    rt.set_team_policy("intake", AssignmentPolicy::RoundRobin)
        .await
        .unwrap();
    set_members(&rt, "intake", &teams(&["anna"])).await.unwrap();
    let task = intake_task(&rt, start(&rt).await).await;
    assert_eq!(task.assignee.as_deref(), Some("anna"));
    set_members(&rt, "intake", &[]).await.unwrap();
    let task = intake_task(&rt, start(&rt).await).await;
    assert_eq!(task.state, TaskState::Open);
}

async fn the_history_says_why_the_task_was_assigned(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    set_members(&rt, "intake", &teams(&MEMBERS)).await.unwrap();
    for (policy, reason) in [
        (
            AssignmentPolicy::RoundRobin,
            "automatic assignment (round robin)",
        ),
        (
            AssignmentPolicy::LeastLoaded,
            "automatic assignment (least loaded)",
        ),
    ] {
        rt.set_team_policy("intake", policy).await.unwrap();
        let case = start(&rt).await;
        let task = intake_task(&rt, case).await;
        let events = rt.events(case).await.unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        let created = kinds.iter().position(|k| *k == "create_task").unwrap();
        assert_eq!(kinds.get(created + 1), Some(&"task_assigned"), "{kinds:?}");
        let assigned = assigned_events(&rt, case).await;
        assert_eq!(assigned.len(), 1);
        let event = &assigned[0];
        assert_eq!(event.actor, "system");
        assert_eq!(event.reason.as_deref(), Some(reason));
        assert_eq!(event.data["to"], task.assignee.clone().unwrap_or_default());
        assert_eq!(event.data["from"], serde_json::Value::Null);
        assert_eq!(event.data["task"], task.id.0);
        assert_eq!(event.data["team"], "intake");
        check_case_is_whole(&rt, &rt.case(case).await.unwrap()).await;
    }
}

async fn an_assigned_task_is_the_members_to_complete(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    set_members(&rt, "intake", &teams(&["anna", "bram"]))
        .await
        .unwrap();
    rt.set_team_policy("intake", AssignmentPolicy::RoundRobin)
        .await
        .unwrap();
    let case = start(&rt).await;
    let task = intake_task(&rt, case).await;
    assert_eq!(task.assignee.as_deref(), Some("anna"));

    assert!(rt
        .worklist("intake", Page::default())
        .await
        .unwrap()
        .is_empty());
    let mine: Vec<_> = rt
        .my_tasks("anna", Page::default())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(mine, [task.id]);
    assert!(rt
        .my_tasks("bram", Page::default())
        .await
        .unwrap()
        .is_empty());

    // Nobody else can take it; anna works it without claiming.
    let taken = claim_as(&rt, task.id, "bram", &teams(&["intake"])).await;
    assert!(matches!(taken, Err(Error::Conflict(_))), "{taken:?}");
    rt.complete(task.id, "anna", Some("terecht"), data(&[]))
        .await
        .unwrap();
    assert_eq!(rt.task(task.id).await.unwrap().state, TaskState::Done);
    // The field service has no policy: its task waits in its queue.
    let field = rt.worklist("buitendienst", Page::default()).await.unwrap();
    assert_eq!(field.len(), 1);
    assert_eq!(field[0].state, TaskState::Open);
    check_case_is_whole(&rt, &rt.case(case).await.unwrap()).await;
}

async fn policies_and_members_read_back(db: &TestDb) {
    let rt = db.open().await;
    assert_eq!(
        rt.team_policy("intake").await.unwrap(),
        AssignmentPolicy::Manual
    );
    rt.set_team_policy("intake", AssignmentPolicy::LeastLoaded)
        .await
        .unwrap();
    assert_eq!(
        rt.team_policy("intake").await.unwrap(),
        AssignmentPolicy::LeastLoaded
    );
    rt.set_team_policy("intake", AssignmentPolicy::RoundRobin)
        .await
        .unwrap();
    assert_eq!(
        rt.team_policy("intake").await.unwrap(),
        AssignmentPolicy::RoundRobin
    );
    assert_eq!(
        rt.team_policy("buitendienst").await.unwrap(),
        AssignmentPolicy::Manual
    );

    set_members(&rt, "intake", &teams(&["carla", "anna", "carla"]))
        .await
        .unwrap();
    assert_eq!(members(&rt, "intake").await, ["anna", "carla"]);
    join(&rt, "bram", &teams(&["intake"]), &[]).await;
    join(&rt, "bram", &teams(&["intake"]), &[]).await;
    assert_eq!(members(&rt, "intake").await, ["anna", "bram", "carla"]);
    assert!(rt.remove_membership("intake", "anna").await.unwrap());
    assert!(!rt.remove_membership("intake", "anna").await.unwrap());
    set_members(&rt, "intake", &teams(&["zoe"])).await.unwrap();
    assert_eq!(members(&rt, "intake").await, ["zoe"]);
    assert!(members(&rt, "buitendienst").await.is_empty());

    let nameless = set_members(&rt, "intake", &teams(&["anna", " "])).await;
    assert!(
        matches!(nameless, Err(Error::BadRequest(_))),
        "{nameless:?}"
    );
    assert_eq!(members(&rt, "intake").await, ["zoe"]);
    let no_team = rt.set_team_policy("", AssignmentPolicy::RoundRobin).await;
    assert!(matches!(no_team, Err(Error::BadRequest(_))), "{no_team:?}");

    assert_eq!(
        AssignmentPolicy::parse("round-robin"),
        Some(AssignmentPolicy::RoundRobin)
    );
    assert_eq!(
        AssignmentPolicy::parse("least_loaded"),
        Some(AssignmentPolicy::LeastLoaded)
    );
    assert_eq!(AssignmentPolicy::parse("random"), None);
}

/// Tasks created at once on several cases go through several committers (four on PostgreSQL);
/// each locks the team's policy before it chooses, so the turn never skips or repeats a member
/// and the loads stay level.
async fn concurrent_tasks_share_the_work_evenly(db: &TestDb) {
    let rt = runtime_with_melding(db).await;
    set_members(&rt, "buitendienst", &teams(&MEMBERS))
        .await
        .unwrap();
    for policy in [AssignmentPolicy::RoundRobin, AssignmentPolicy::LeastLoaded] {
        rt.set_team_policy("buitendienst", policy).await.unwrap();
        // Intake works by hand; completing its tasks creates the field service's tasks, on
        // cases that do not wait for each other.
        let mut intake = Vec::new();
        for _ in 0..24 {
            let task = intake_task(&rt, start(&rt).await).await;
            claim_as(&rt, task.id, "ilse", &teams(&["intake"]))
                .await
                .unwrap();
            intake.push(task.id);
        }
        let completions: Vec<_> = intake
            .into_iter()
            .map(|id| {
                let rt = rt.clone();
                tokio::spawn(async move {
                    rt.complete(id, "ilse", Some("terecht"), data(&[]))
                        .await
                        .unwrap()
                })
            })
            .collect();
        for completed in completions {
            completed.await.unwrap();
        }
        for member in MEMBERS {
            let held = rt.my_tasks(member, Page::default()).await.unwrap().len();
            let expected = match policy {
                AssignmentPolicy::RoundRobin => 8,
                _ => 16,
            };
            assert_eq!(held, expected, "{policy}: {member}");
        }
    }
    assert!(rt
        .worklist("buitendienst", Page::default())
        .await
        .unwrap()
        .is_empty());
}
