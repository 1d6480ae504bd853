//! proptest strategies for arbitrary process models, for property tests across the crate.
//!
//! Names come from a small alphabet that includes keywords of the text syntax (`end`, `status`,
//! `keep`, ...), so that printing and reading are tested where words could be mistaken for each
//! other. Strings hold quotes, backslashes, line breaks, tabs and non-ASCII text. Expressions are
//! well formed for the text syntax (no line break or `->` outside a string) but need not type
//! check. Models are not validated: steps may name steps that do not exist.

#![allow(dead_code)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use zaak_dsl::*;

/// Names that are valid identifiers, some of them keywords of the text syntax.
pub const NAMES: &[&str] = &[
    "a",
    "b",
    "intake",
    "besluit",
    "x_1",
    "_tmp",
    "end",
    "task",
    "status",
    "result",
    "keep",
    "then",
    "when",
    "wait",
    "pass",
    "after",
    "all",
    "some",
    "of",
    "required",
    "notify",
    "calendar",
    "working_days",
    "team",
    "process",
    "otherwise",
    "destroy",
    "z9",
];

pub fn arb_name() -> impl Strategy<Value = Name> {
    prop::sample::select(NAMES).prop_map(Name::new)
}

/// Text as people write it, and text that needs escaping.
pub fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{0,12}",
        "[a-z \"\\\\\n\r\t#{}>-]{0,10}",
        "[éü€😀ĳ ,.:;()\u{7}\u{0}]{0,6}",
    ]
}

pub fn arb_label() -> impl Strategy<Value = Option<String>> {
    option::of(arb_string())
}

pub fn arb_duration() -> impl Strategy<Value = Duration> {
    let unit = prop::sample::select(vec![
        DurationUnit::Hours,
        DurationUnit::Days,
        DurationUnit::WorkingDays,
        DurationUnit::Weeks,
        DurationUnit::Months,
        DurationUnit::Years,
    ]);
    (prop_oneof![0u32..40, any::<u32>()], unit).prop_map(|(n, u)| Duration::new(n, u))
}

/// An expression as the text syntax keeps it: tokens separated by single spaces.
pub fn arb_expr() -> impl Strategy<Value = Expr> {
    let token = prop_oneof![
        prop::sample::select(NAMES).prop_map(str::to_string),
        (0u32..100_000).prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "==", "!=", "&&", "||", ">", "<=", "!", "(", ")", "+", "100.5"
        ])
        .prop_map(str::to_string),
        "[a-z >#\\\\\"-]{0,6}".prop_map(|s| quoted(&s)),
    ];
    vec(token, 1..5).prop_map(|tokens| Expr::new(tokens.join(" ")))
}

pub fn arb_data_type() -> impl Strategy<Value = DataType> {
    prop_oneof![
        Just(DataType::Text),
        Just(DataType::Number),
        Just(DataType::Bool),
        Just(DataType::Date),
        vec(arb_string(), 0..4).prop_map(DataType::Choice),
    ]
}

pub fn arb_field() -> impl Strategy<Value = DataField> {
    (
        arb_name(),
        arb_data_type(),
        arb_label(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, ty, label, required, citizen)| DataField {
            name,
            ty,
            label,
            required,
            citizen,
            span: Span::default(),
        })
}

fn arb_task() -> impl Strategy<Value = TaskStep> {
    let outcome =
        (arb_name(), arb_label(), option::of(arb_name())).prop_map(|(name, label, then)| Outcome {
            name,
            label,
            then,
            span: Span::default(),
        });
    (
        arb_name(),
        option::of(arb_name()),
        option::of(arb_duration()),
        prop_oneof![Just(0i32), any::<i32>()],
        vec(outcome, 0..3),
        vec(arb_field(), 0..3),
        option::of(arb_name()),
        option::of(arb_name()),
        option::of(arb_name()),
    )
        .prop_map(
            |(team, role, due, priority, outcomes, fields, on_start, on_end, then)| TaskStep {
                team,
                role,
                due,
                priority,
                outcomes,
                fields,
                status_on_start: on_start,
                status_on_end: on_end,
                then,
            },
        )
}

fn arb_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (arb_name(), arb_expr()).prop_map(|(field, value)| Action::Set { field, value }),
        arb_name().prop_map(Action::Status),
        arb_name().prop_map(Action::Result),
        arb_name().prop_map(Action::Letter),
        arb_name().prop_map(Action::Notify),
    ]
}

fn arb_choice() -> impl Strategy<Value = ChoiceStep> {
    let branch = (arb_expr(), arb_name()).prop_map(|(when, then)| Branch {
        when,
        then,
        span: Span::default(),
    });
    (vec(branch, 0..4), option::of(arb_name())).prop_map(|(branches, otherwise)| ChoiceStep {
        branches,
        otherwise,
    })
}

pub fn arb_step_kind() -> impl Strategy<Value = StepKind> {
    prop_oneof![
        arb_task().prop_map(StepKind::Task),
        (vec(arb_action(), 0..4), arb_name())
            .prop_map(|(actions, then)| StepKind::Auto(AutoStep { actions, then })),
        arb_choice().prop_map(StepKind::Choice),
        arb_choice().prop_map(StepKind::Inclusive),
        vec(arb_name(), 1..4).prop_map(|branches| StepKind::Parallel(ParallelStep { branches })),
        (any::<bool>(), option::of(arb_name()), arb_name()).prop_map(|(all, split, then)| {
            StepKind::Join(if all {
                JoinStep {
                    mode: JoinMode::All,
                    split: None,
                    then,
                }
            } else {
                JoinStep {
                    mode: JoinMode::Some,
                    split,
                    then,
                }
            })
        }),
        (
            arb_name(),
            option::of(arb_string()),
            option::of((arb_duration(), arb_name())),
            arb_name()
        )
            .prop_map(
                |(message, suspend, timeout, then)| StepKind::Wait(WaitStep {
                    message,
                    suspend,
                    timeout: timeout.map(|(after, then)| Timeout { after, then }),
                    then,
                })
            ),
        (
            prop_oneof![
                arb_duration().prop_map(TimerWait::After),
                arb_name().prop_map(TimerWait::Until)
            ],
            arb_name()
        )
            .prop_map(|(wait, then)| StepKind::Timer(TimerStep { wait, then })),
        (arb_name(), vec(arb_name(), 0..3), any::<bool>(), arb_name()).prop_map(
            |(process, pass, wait, then)| StepKind::Subcase(SubcaseStep {
                process,
                pass,
                wait,
                then,
            })
        ),
        (option::of(arb_name()), option::of(arb_name()))
            .prop_map(|(result, status)| StepKind::End(EndStep { result, status })),
    ]
}

pub fn arb_step() -> impl Strategy<Value = Step> {
    (arb_name(), arb_label(), arb_step_kind()).prop_map(|(name, label, kind)| Step {
        name,
        label,
        kind,
        span: Span::default(),
    })
}

fn arb_header() -> impl Strategy<Value = ProcessModel> {
    let confidentiality = prop::sample::select(Confidentiality::ALL.to_vec());
    let on_deadline = prop_oneof![
        Just(DeadlineEffect::Warning),
        Just(DeadlineEffect::Dwangsom),
        arb_name().prop_map(|result| DeadlineEffect::VanRechtswege { result }),
    ];
    let term = option::of(
        // A term counted in working days is written in working days (Z0314).
        (arb_duration(), any::<bool>()).prop_map(|(duration, working)| {
            if working {
                LegalTerm {
                    duration: Duration::new(duration.amount, DurationUnit::WorkingDays),
                    counting: TermCounting::WorkingDays,
                }
            } else {
                LegalTerm {
                    duration,
                    counting: TermCounting::Calendar,
                }
            }
        }),
    );
    (
        (
            arb_name(),
            any::<u32>(),
            arb_string(),
            arb_label(),
            arb_label(),
        ),
        (
            option::of(arb_name()),
            term,
            option::of(arb_duration()),
            any::<bool>(),
            option::of(arb_duration()),
            confidentiality,
            on_deadline,
            arb_name(),
        ),
    )
        .prop_map(
            |(
                (process, version, title, description, legal_basis),
                (initiator, term, service_norm, suspension, extension, conf, on_deadline, start),
            )| ProcessModel {
                process,
                version,
                title,
                description,
                legal_basis,
                initiator_action: initiator.map(|n| n.name),
                term,
                service_norm,
                suspension_allowed: suspension,
                extension,
                confidentiality: conf,
                on_deadline,
                teams: Vec::new(),
                roles: Vec::new(),
                data: Vec::new(),
                messages: Vec::new(),
                statuses: Vec::new(),
                results: Vec::new(),
                start,
                steps: Vec::new(),
                span: Span::default(),
            },
        )
}

/// An arbitrary process model that the text syntax can express.
pub fn arb_process() -> impl Strategy<Value = ProcessModel> {
    let named =
        || (arb_name(), arb_label()).prop_map(|(name, label)| (name, label, Span::default()));
    let status =
        (arb_name(), arb_string(), any::<bool>()).prop_map(|(name, text, notify)| StatusDef {
            name,
            citizen_text: text,
            notify,
            span: Span::default(),
        });
    let result = (
        arb_name(),
        arb_label(),
        any::<bool>(),
        option::of(arb_duration()),
    )
        .prop_map(|(name, label, keep, retention)| ResultDef {
            name,
            label,
            archive: if keep {
                ArchiveNomination::Keep
            } else {
                ArchiveNomination::Destroy
            },
            retention,
            span: Span::default(),
        });
    (
        arb_header(),
        vec(named(), 0..3),
        vec(named(), 0..3),
        vec(arb_field(), 0..3),
        vec(named(), 0..3),
        vec(status, 0..4),
        vec(result, 0..3),
        vec(arb_step(), 0..8),
    )
        .prop_map(
            |(mut m, teams, roles, data, messages, statuses, results, steps)| {
                m.teams = teams
                    .into_iter()
                    .map(|(name, label, span)| Team { name, label, span })
                    .collect();
                m.roles = roles
                    .into_iter()
                    .map(|(name, label, span)| Role { name, label, span })
                    .collect();
                m.data = data;
                m.messages = messages
                    .into_iter()
                    .map(|(name, label, span)| MessageDef { name, label, span })
                    .collect();
                m.statuses = statuses;
                m.results = results;
                m.steps = steps;
                m
            },
        )
}

/// A string literal of the expression language: quotes and backslashes escaped.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
