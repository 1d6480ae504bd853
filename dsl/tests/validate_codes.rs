//! Every validation code, from a YAML process: the code, the message and the line it points at.

use zaak_dsl::{Code, Diagnostic, Severity, SourceFile, Syntax};

const HEADER: &str = r#"process: test
version: 1
title: Test
start: intake
teams:
  - name: behandelteam
roles:
  - name: behandelaar
data:
  - name: soort
    type:
      choice: [a, b]
    required: true
  - name: bedrag
    type: number
  - name: datum
    type: date
  - name: spoed
    type: bool
    required: true
messages:
  - name: antwoord
statuses:
  - name: ontvangen
    citizen_text: Ontvangen
results:
  - name: klaar
    archive: keep
"#;

const GOOD_STEPS: &str = r#"steps:
  - name: intake
    task:
      team: behandelteam
      outcomes:
        - name: ok
          then: einde
        - name: niet_ok
          then: einde
  - name: einde
    end:
      result: klaar
"#;

struct Checked {
    source: String,
    diagnostics: Vec<Diagnostic>,
}

fn check(source: String) -> Checked {
    let loaded = zaak_dsl::load(&source, Syntax::Yaml);
    assert!(loaded.model.is_some(), "{:?}", loaded.diagnostics);
    Checked {
        source,
        diagnostics: loaded.diagnostics,
    }
}

fn steps(steps: &str) -> Checked {
    check(format!("{HEADER}{steps}"))
}

/// The one-based line of the `n`th line containing `needle`.
fn line_of(source: &str, needle: &str, n: usize) -> usize {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.trim_end().ends_with(needle) || (l.contains(needle) && !needle.starts_with("- name:"))
        })
        .nth(n)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in the source"))
}

impl Checked {
    /// The codes found, without the warnings about a team or message never used: the header
    /// defines both for the cases that need them, and not every case uses them.
    fn codes(&self) -> Vec<&'static str> {
        self.diagnostics
            .iter()
            .filter(|d| !matches!(d.code, Code::UnusedTeam | Code::UnusedMessage))
            .map(|d| d.code.as_str())
            .collect()
    }

    fn line(&self, d: &Diagnostic) -> usize {
        SourceFile::new("t.yaml", self.source.as_str())
            .line_col(d.span.start)
            .0
    }

    /// Asserts that exactly one diagnostic has `code`, with this message, at the line holding
    /// `needle`; returns it for further checks.
    fn one(&self, code: &str, message: &str, needle: &str) -> &Diagnostic {
        let found: Vec<&Diagnostic> = self.diagnostics.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "{code} in {:?}", self.diagnostics);
        let d = found[0];
        assert_eq!(d.message, message);
        assert_eq!(
            self.line(d),
            line_of(&self.source, needle, 0),
            "line of {code}"
        );
        assert!(!d.label.is_empty(), "{code} has a label");
        assert!(d.help.is_some(), "{code} has a help");
        d
    }

    fn text(&self, d: &Diagnostic) -> &str {
        &self.source[d.span.start..d.span.end]
    }
}

#[test]
fn a_good_process_has_no_problems() {
    let c = steps(GOOD_STEPS);
    assert_eq!(c.codes(), Vec::<&str>::new());
}

#[test]
fn z0101_duplicate_names_point_at_the_first() {
    let source = format!("{HEADER}{GOOD_STEPS}")
        .replace(
            "  - name: behandelaar\n",
            "  - name: behandelaar\n  - name: behandelaar\n",
        )
        .replace(
            "  - name: antwoord\n",
            "  - name: antwoord\n  - name: antwoord\n",
        )
        .replace(
            "        - name: niet_ok\n",
            "        - name: ok\n          then: einde\n        - name: niet_ok\n",
        );
    let c = check(source);
    let dups: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.code == "Z0101").collect();
    let messages: Vec<&str> = dups.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "the role `behandelaar` is defined twice",
            "the message `antwoord` is defined twice",
            "the outcome `ok` of `intake` is defined twice",
        ]
    );
    let role = dups[0];
    assert_eq!(c.line(role), line_of(&c.source, "- name: behandelaar", 1));
    assert_eq!(role.related.len(), 1);
    let first = SourceFile::new("t", c.source.as_str())
        .line_col(role.related[0].span.start)
        .0;
    assert_eq!(first, line_of(&c.source, "- name: behandelaar", 0));
    assert_eq!(c.line(dups[2]), line_of(&c.source, "- name: ok", 1));
}

#[test]
fn z0101_duplicate_steps_teams_statuses_results_and_fields() {
    let source = format!("{HEADER}{GOOD_STEPS}")
        .replace("  - name: behandelteam\n", "  - name: behandelteam\n  - name: behandelteam\n")
        .replace(
            "    citizen_text: Ontvangen\n",
            "    citizen_text: Ontvangen\n  - name: ontvangen\n    citizen_text: Nog eens\n",
        )
        .replace("    archive: keep\n", "    archive: keep\n  - name: klaar\n    archive: keep\n")
        .replace(
            "      team: behandelteam\n      outcomes:",
            "      team: behandelteam\n      fields:\n        - name: bedrag\n          type: number\n      outcomes:",
        )
        + "  - name: einde\n    end:\n      result: klaar\n";
    let c = check(source);
    let messages: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "Z0101")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        vec![
            "the team `behandelteam` is defined twice",
            "the case data field `bedrag` is defined twice",
            "the status `ontvangen` is defined twice",
            "the result `klaar` is defined twice",
            "the step `einde` is defined twice",
        ]
    );
    let field = c
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`bedrag`"));
    assert_eq!(
        field.map(|d| c.line(d)),
        Some(line_of(&c.source, "- name: bedrag", 1))
    );
}

#[test]
fn z0102_unknown_steps_suggest_the_nearest() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace(
        "then: einde\n        - name: niet_ok",
        "then: eind\n        - name: niet_ok",
    ));
    let d = c.one("Z0102", "there is no step `eind`", "then: eind");
    assert_eq!(d.help.as_deref(), Some("did you mean `einde`?"));
    assert_eq!(c.text(d), "eind");

    let c = check(format!("{HEADER}{GOOD_STEPS}").replace("start: intake", "start: intak"));
    c.one("Z0102", "there is no step `intak`", "start: intak");
}

#[test]
fn z0102_unknown_steps_in_every_kind_of_step() {
    let c = steps(
        r#"steps:
  - name: intake
    choice:
      branches:
        - when: spoed
          then: snel
      otherwise: langzaam
  - name: snel
    parallel:
      branches: [a1, a2x]
  - name: a1
    join:
      then: wacht
  - name: wacht
    wait:
      message: antwoord
      timeout:
        after: 2 weeks
        then: te_laat
      then: einde
  - name: langzaam
    join:
      mode: some
      split: splitsing
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let unknown: Vec<(String, usize)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "Z0102")
        .map(|d| (d.message.clone(), c.line(d)))
        .collect();
    assert_eq!(
        unknown,
        vec![
            (
                "there is no step `a2x`".to_string(),
                line_of(&c.source, "[a1, a2x]", 0)
            ),
            (
                "there is no step `te_laat`".to_string(),
                line_of(&c.source, "then: te_laat", 0)
            ),
            (
                "there is no step `splitsing`".to_string(),
                line_of(&c.source, "split: splitsing", 0)
            ),
        ]
    );
}

#[test]
fn z0103_unknown_team() {
    let c =
        check(format!("{HEADER}{GOOD_STEPS}").replace("team: behandelteam", "team: behandelteem"));
    let d = c.one(
        "Z0103",
        "there is no team `behandelteem`",
        "team: behandelteem",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `behandelteam`?"));
}

#[test]
fn z0104_unknown_role() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace(
        "team: behandelteam\n",
        "team: behandelteam\n      role: beslisser\n",
    ));
    let d = c.one("Z0104", "there is no role `beslisser`", "role: beslisser");
    assert_eq!(d.help.as_deref(), Some("the roles are behandelaar"));
}

#[test]
fn z0105_unknown_status() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace(
        "team: behandelteam\n",
        "team: behandelteam\n      status_on_start: ontvngen\n",
    ));
    let d = c.one(
        "Z0105",
        "there is no status `ontvngen`",
        "status_on_start: ontvngen",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `ontvangen`?"));
}

#[test]
fn z0106_unknown_result_in_end_and_on_deadline() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace("result: klaar", "result: klar"));
    c.one("Z0106", "there is no result `klar`", "result: klar");

    let c = check(format!("{HEADER}{GOOD_STEPS}").replace(
        "start: intake\n",
        "start: intake\non_deadline:\n  van_rechtswege:\n    result: verleend\n",
    ));
    c.one("Z0106", "there is no result `verleend`", "result: verleend");
}

#[test]
fn z0107_unknown_message() {
    let c = steps(
        r#"steps:
  - name: intake
    wait:
      message: antwoord_ontvangen
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    c.one(
        "Z0107",
        "there is no message `antwoord_ontvangen`",
        "message: antwoord_ontvangen",
    );
}

#[test]
fn z0108_unknown_fields_in_set_timer_and_subcase() {
    let c = steps(
        r#"steps:
  - name: intake
    auto:
      actions:
        - set:
            field: bedrg
            value: "1"
      then: wachten
  - name: wachten
    timer:
      until: datm
      then: deelzaak
  - name: deelzaak
    subcase:
      process: advies
      pass: [soort, sort2]
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let found: Vec<(String, usize)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "Z0108")
        .map(|d| (d.message.clone(), c.line(d)))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "there is no case data field `bedrg`".to_string(),
                line_of(&c.source, "field: bedrg", 0)
            ),
            (
                "there is no case data field `datm`".to_string(),
                line_of(&c.source, "until: datm", 0)
            ),
            (
                "there is no case data field `sort2`".to_string(),
                line_of(&c.source, "sort2", 0)
            ),
        ]
    );
}

fn choice_step(when: &str) -> Checked {
    steps(&format!(
        r#"steps:
  - name: intake
    choice:
      branches:
        - when: {when}
          then: einde
      otherwise: einde
  - name: einde
    end:
      result: klaar
"#
    ))
}

#[test]
fn z0201_expression_syntax_points_inside_the_expression() {
    let c = choice_step("bedrag >> 3");
    let d = c.one("Z0201", "expected a value but found `>`", "when:");
    let (_, col) = SourceFile::new("t", c.source.as_str()).line_col(d.span.start);
    assert_eq!(col, 25);
}

#[test]
fn z0202_unknown_variable_in_a_condition() {
    let c = choice_step("bedrg > 3");
    let d = c.one("Z0202", "`bedrg` is not a case data field", "when: bedrg");
    assert_eq!(c.text(d), "bedrg");
    assert_eq!(d.help.as_deref(), Some("did you mean `bedrag`?"));
}

#[test]
fn z0203_comparing_a_number_with_text() {
    let c = choice_step(r#"bedrag == "veel""#);
    let d = c.one(
        "Z0203",
        "`==` compares a number with text; they can never be equal",
        "when: bedrag",
    );
    assert_eq!(c.text(d), r#"bedrag == "veel""#);
}

#[test]
fn z0204_choice_value_not_in_the_list() {
    let c = choice_step(r#"soort == "c""#);
    let d = c.one(
        "Z0204",
        r#""c" is not one of the choice `soort`: "a", "b""#,
        "when: soort",
    );
    assert_eq!(c.text(d), r#""c""#);
}

#[test]
fn z0205_condition_not_bool() {
    let c = choice_step("bedrag + 1");
    c.one(
        "Z0205",
        "this condition gives a number, not true or false",
        "when: bedrag",
    );
}

#[test]
fn z0206_and_z0207_outcomes() {
    let c = steps(
        r#"steps:
  - name: intake
    task:
      team: behandelteam
      outcomes:
        - name: ok
      then: keuze
  - name: keuze
    choice:
      branches:
        - when: outcome.intak == "ok"
          then: einde
        - when: outcome.intake == "okay"
          then: einde
      otherwise: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let d = c.one("Z0206", "there is no task `intak`", "outcome.intak");
    assert_eq!(c.text(d), "outcome.intak");
    let d = c.one(
        "Z0207",
        r#""okay" is not one of the outcomes of `intake`: "ok""#,
        "outcome.intake ==",
    );
    assert_eq!(d.help.as_deref(), Some(r#"did you mean "ok"?"#));
}

#[test]
fn z0208_set_value_of_the_wrong_type() {
    let c = steps(
        r#"steps:
  - name: intake
    auto:
      actions:
        - set:
            field: bedrag
            value: spoed
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let found: Vec<&Diagnostic> = c.diagnostics.iter().filter(|d| d.code == "Z0208").collect();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message,
        "this value is true/false, but the field is number"
    );
    assert_eq!(c.line(found[0]), line_of(&c.source, "value: spoed", 0));
}

#[test]
fn z0209_timer_until_a_field_that_is_not_a_date() {
    let c = steps(
        r#"steps:
  - name: intake
    timer:
      until: bedrag
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let d = c.one(
        "Z0209",
        "`timer until bedrag` needs a date, but `bedrag` is number",
        "until: bedrag",
    );
    assert_eq!(d.related.len(), 1);
}

#[test]
fn z0210_choice_type_without_values_or_with_a_value_twice() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace("choice: [a, b]", "choice: [a, a]"));
    c.one(
        "Z0210",
        "the choice field `soort` lists \"a\" twice",
        "- name: soort",
    );
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace("choice: [a, b]", "choice: []"));
    c.one(
        "Z0210",
        "the choice field `soort` has no values",
        "- name: soort",
    );
}

#[test]
fn z0301_unreachable_step() {
    let c = steps(&format!(
        "{GOOD_STEPS}  - name: vergeten\n    end:\n      result: klaar\n"
    ));
    c.one(
        "Z0301",
        "no path from `intake` reaches the step `vergeten`",
        "- name: vergeten",
    );
}

#[test]
fn z0302_choice_without_otherwise() {
    let c = steps(
        r#"steps:
  - name: intake
    choice:
      branches:
        - when: bedrag > 10
          then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    c.one(
        "Z0302",
        "the choice `intake` has no `otherwise`, and its conditions do not cover every case",
        "- name: intake",
    );
}

#[test]
fn z0302_exhaustive_choices_need_no_otherwise() {
    let by_choice = r#"steps:
  - name: intake
    choice:
      branches:
        - when: soort == "a"
          then: einde
        - when: soort == "b"
          then: einde
  - name: einde
    end:
      result: klaar
"#;
    assert_eq!(steps(by_choice).codes(), Vec::<&str>::new());
    let by_bool = by_choice
        .replace(r#"soort == "a""#, "spoed")
        .replace(r#"soort == "b""#, r#""!spoed""#);
    assert_eq!(steps(&by_bool).codes(), Vec::<&str>::new());
    let by_or = by_choice.replace(r#"soort == "a""#, r#"soort == "a" || soort == "b""#);
    assert_eq!(steps(&by_or).codes(), Vec::<&str>::new());
    let not_covered = by_choice.replace(r#"soort == "b""#, "bedrag > 3");
    assert_eq!(steps(&not_covered).codes(), vec!["Z0302"]);
}

#[test]
fn z0303_outcome_leads_nowhere() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace(
        "        - name: niet_ok\n          then: einde\n",
        "        - name: niet_ok\n",
    ));
    c.one(
        "Z0303",
        "the outcome `niet_ok` of `intake` leads nowhere",
        "- name: niet_ok",
    );
}

#[test]
fn z0304_task_with_neither_outcomes_nor_then() {
    let c = steps(
        r#"steps:
  - name: intake
    task:
      team: behandelteam
  - name: einde
    end:
      result: klaar
"#,
    );
    c.one(
        "Z0304",
        "the task `intake` has neither outcomes nor `then`",
        "- name: intake",
    );
}

#[test]
fn z0305_join_some_must_close_an_inclusive_split() {
    let c = steps(
        r#"steps:
  - name: intake
    parallel:
      branches: [a, b]
  - name: a
    join:
      mode: some
      split: intake
      then: einde
  - name: b
    join:
      mode: some
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let found: Vec<(String, usize)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "Z0305")
        .map(|d| (d.message.clone(), c.line(d)))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "`join some` closes `intake`, which is a parallel step, not an inclusive one"
                    .to_string(),
                line_of(&c.source, "split: intake", 0)
            ),
            (
                "`join some` `b` does not say which inclusive split it closes".to_string(),
                line_of(&c.source, "- name: b", 0)
            ),
        ]
    );
}

#[test]
fn z0306_extension_without_term() {
    let c = check(
        format!("{HEADER}{GOOD_STEPS}")
            .replace("title: Test\n", "title: Test\nextension: 6 weeks\n"),
    );
    c.one(
        "Z0306",
        "the process has an `extension` but no legal `term` to extend",
        "process: test",
    );
}

#[test]
fn z0307_suspend_while_suspension_is_not_allowed() {
    let waiting = r#"steps:
  - name: intake
    wait:
      message: antwoord
      suspend: Wachten op de aanvrager
      then: einde
  - name: einde
    end:
      result: klaar
"#;
    let c = steps(waiting);
    c.one(
        "Z0307",
        "`intake` suspends the legal term, but this process does not allow suspension",
        "- name: intake",
    );
    let allowed = check(
        format!("{HEADER}{waiting}")
            .replace("title: Test\n", "title: Test\nsuspension_allowed: true\n"),
    );
    assert_eq!(allowed.codes(), Vec::<&str>::new());
}

#[test]
fn z0308_no_statuses() {
    let c = check(format!("{HEADER}{GOOD_STEPS}").replace(
        "statuses:\n  - name: ontvangen\n    citizen_text: Ontvangen\n",
        "",
    ));
    c.one("Z0308", "the process has no statuses", "process: test");
}

#[test]
fn z0309_end_without_result_is_a_warning() {
    let c = check(
        format!("{HEADER}{GOOD_STEPS}").replace("    end:\n      result: klaar\n", "    end: {}\n"),
    );
    let d = c.one(
        "Z0309",
        "the end step `einde` closes the case without a result",
        "- name: einde",
    );
    assert_eq!(d.severity, Severity::Warning);

    let set_first = steps(
        r#"steps:
  - name: intake
    auto:
      actions:
        - result: klaar
      then: einde
  - name: einde
    end: {}
"#,
    );
    assert_eq!(set_first.codes(), Vec::<&str>::new());
}

#[test]
fn z0310_no_end_step() {
    let c = steps(
        r#"steps:
  - name: intake
    task:
      team: behandelteam
      then: intake
"#,
    );
    c.one("Z0310", "the process has no end step", "process: test");
}

#[test]
fn z0311_a_loop_without_exit() {
    let c = steps(
        r#"steps:
  - name: intake
    task:
      team: behandelteam
      outcomes:
        - name: ok
          then: einde
        - name: opnieuw
          then: herhalen
  - name: herhalen
    task:
      team: behandelteam
      then: nog_eens
  - name: nog_eens
    task:
      team: behandelteam
      then: herhalen
  - name: einde
    end:
      result: klaar
"#,
    );
    let found: Vec<(String, usize)> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "Z0311")
        .map(|d| (d.message.clone(), c.line(d)))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "a case at `herhalen` can never reach an end step".to_string(),
                line_of(&c.source, "- name: herhalen", 0)
            ),
            (
                "a case at `nog_eens` can never reach an end step".to_string(),
                line_of(&c.source, "- name: nog_eens", 0)
            ),
        ]
    );
}

#[test]
fn z0312_split_without_branches() {
    let c = steps(
        r#"steps:
  - name: intake
    parallel:
      branches: []
  - name: einde
    end:
      result: klaar
"#,
    );
    c.one(
        "Z0312",
        "the parallel `intake` has no branches",
        "- name: intake",
    );
}

#[test]
fn z0313_split_on_join_all_is_a_warning() {
    let c = steps(
        r#"steps:
  - name: intake
    inclusive:
      branches:
        - when: spoed
          then: samen
      otherwise: samen
  - name: samen
    join:
      split: intake
      then: einde
  - name: einde
    end:
      result: klaar
"#,
    );
    let d = c.one(
        "Z0313",
        "`join all` `samen` names a split, which only `join some` uses",
        "split: intake",
    );
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn every_problem_is_reported_at_once() {
    let c = check(
        format!("{HEADER}{GOOD_STEPS}")
            .replace("team: behandelteam", "team: nobody")
            .replace("start: intake", "start: intake\nextension: 2 weeks")
            .replace("result: klaar", "result: niets"),
    );
    assert_eq!(c.codes(), vec!["Z0103", "Z0106", "Z0306"]);
}
