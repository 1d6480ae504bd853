//! Each step kind compiles to the places, transitions and arcs documented in `compile.rs`.
//! The expected nets are golden texts in the compact form of `Net::dump`.

mod common;

use common::model;
use zaak_dsl::Syntax;
use zaak_engine::compile::compile;
use zaak_engine::net::Net;

/// Compiles, checks the net's numbering and names, and compares the dump with `expected`.
fn check(start_at: &str, steps: &str, expected: &str) {
    let net = compile(&model(start_at, steps)).expect("compiles");
    assert_consistent(&net);
    let actual = net.dump();
    let expected = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(actual.trim_end(), expected, "\nactual:\n{actual}");
}

/// Places and transitions are numbered by their position, and their names are unique.
fn assert_consistent(net: &Net) {
    for (i, p) in net.places.iter().enumerate() {
        assert_eq!(p.id.0 as usize, i);
    }
    for (i, t) in net.transitions.iter().enumerate() {
        assert_eq!(t.id.0 as usize, i);
    }
    let names: std::collections::HashSet<_> = net.places.iter().map(|p| &p.name).collect();
    assert_eq!(names.len(), net.places.len(), "place names are unique");
    let names: std::collections::HashSet<_> = net.transitions.iter().map(|t| &t.name).collect();
    assert_eq!(
        names.len(),
        net.transitions.len(),
        "transition names are unique"
    );
}

#[test]
fn task_with_outcomes_and_end_status() {
    check(
        "a",
        "- name: a
  task:
    team: t
    status_on_end: klaar
    then: c
    outcomes:
      - name: ja
        then: b
      - name: nee
- name: b
  end: {result: r, status: klaar}
- name: c
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place a (task a)
        place b (flow)
        place c (flow)
        transition start [auto]: start -> a
        transition a:ja [task a done ja]: a -> b ; status klaar
        transition a:nee [task a done nee]: a -> c ; status klaar
        transition b [auto]: b -> end ; result r ; status klaar
        transition c [auto]: c -> end
        ",
    );
}

#[test]
fn task_without_outcomes_and_auto() {
    check(
        "a",
        "- name: a
  task: {team: t, then: b}
- name: b
  auto:
    actions:
      - status: s
      - letter: brief
    then: c
- name: c
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place a (task a)
        place b (flow)
        place c (flow)
        transition start [auto]: start -> a
        transition a [task a done]: a -> b
        transition b [auto]: b -> c ; status s ; letter brief
        transition c [auto]: c -> end
        ",
    );
}

#[test]
fn choice_with_otherwise() {
    check(
        "c",
        "- name: c
  choice:
    branches:
      - when: x > 1
        then: a
      - when: y
        then: b
    otherwise: b
- name: a
  end: {}
- name: b
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place c (flow)
        place a (flow)
        place b (flow)
        transition start [auto]: start -> c
        transition c:a [auto]: c -> a if x > 1 unless []
        transition c:b [auto]: c -> b if y unless [x > 1]
        transition c:otherwise [auto]: c -> b if none of [x > 1, y]
        transition a [auto]: a -> end
        transition b [auto]: b -> end
        ",
    );
}

#[test]
fn parallel_and_join_all() {
    check(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task: {team: t, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place p (flow)
        place a (task a)
        place b (task b)
        place j<a (arrival from a)
        place j<b (arrival from b)
        place e (flow)
        transition start [auto]: start -> p
        transition p [auto]: p -> a + b
        transition a [task a done]: a -> j<a
        transition b [task b done]: b -> j<b
        transition j [auto]: j<a + j<b -> e
        transition e [auto]: e -> end
        ",
    );
}

#[test]
fn exclusive_merge_has_one_input_place() {
    check(
        "c",
        "- name: c
  choice:
    branches:
      - when: x
        then: a
    otherwise: b
- name: a
  auto: {actions: [], then: m}
- name: b
  auto: {actions: [], then: m}
- name: m
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place c (flow)
        place a (flow)
        place b (flow)
        place m (flow)
        transition start [auto]: start -> c
        transition c:a [auto]: c -> a if x unless []
        transition c:otherwise [auto]: c -> b if none of [x]
        transition a [auto]: a -> m
        transition b [auto]: b -> m
        transition m [auto]: m -> end
        ",
    );
}

#[test]
fn inclusive_and_join_some() {
    check(
        "i",
        "- name: i
  inclusive:
    branches:
      - when: x
        then: a
      - when: y
        then: b
    otherwise: e
- name: a
  task: {team: t, then: k}
- name: b
  task: {team: t, then: k}
- name: k
  join: {mode: some, split: i, then: e}
- name: e
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place i (flow)
        place a (task a)
        place b (task b)
        place k<a (arrival from a)
        place k<b (arrival from b)
        place e (flow)
        place k{a} (memo of i)
        place k{b} (memo of i)
        place k{a,b} (memo of i)
        transition start [auto]: start -> i
        transition i:{a} [auto]: i -> a + k{a} if [x] and not [y]
        transition i:{b} [auto]: i -> b + k{b} if [y] and not [x]
        transition i:{a,b} [auto]: i -> a + b + k{a,b} if [x, y] and not []
        transition i:otherwise [auto]: i -> e if none of [x, y]
        transition a [task a done]: a -> k<a
        transition b [task b done]: b -> k<b
        transition k:{a} [auto]: k{a} + k<a -> e
        transition k:{b} [auto]: k{b} + k<b -> e
        transition k:{a,b} [auto]: k{a,b} + k<a + k<b -> e
        transition e [auto]: e -> end
        ",
    );
}

#[test]
fn wait_with_timeout_and_timer() {
    check(
        "w",
        "- name: w
  wait:
    message: m
    timeout: {after: 2 weeks, then: t}
    then: e
- name: t
  timer: {after: 3 days, then: e}
- name: e
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place w (wait w for m)
        place t (timer t)
        place e (flow)
        transition start [auto]: start -> w
        transition w:m [message m at w]: w -> e
        transition w:timeout [timer w]: w -> t
        transition t [timer t]: t -> e
        transition e [auto]: e -> end
        ",
    );
}

#[test]
fn subcases() {
    check(
        "s",
        "- name: s
  subcase: {process: bezwaar, wait: true, then: u}
- name: u
  subcase: {process: melding, then: e}
- name: e
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place s (subcase s)
        place u (flow)
        place e (flow)
        transition start [auto]: start -> s
        transition s:done [subcase s done]: s -> u
        transition u [auto]: u -> e
        transition e [auto]: e -> end
        ",
    );
}

#[test]
fn steps_called_start_and_end_get_unique_places() {
    check(
        "start",
        "- name: start
  auto: {actions: [], then: end}
- name: end
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place start#2 (flow)
        place end#2 (flow)
        transition start [auto]: start -> start#2
        transition start#2 [auto]: start#2 -> end#2
        transition end [auto]: end#2 -> end
        ",
    );
}

#[test]
fn omgevingsvergunning() {
    let src = include_str!("data/omgevingsvergunning.yaml");
    let loaded = zaak_dsl::parse(src, Syntax::Yaml);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let net = compile(&loaded.model.expect("a model")).expect("compiles");
    assert_consistent(&net);
    let expected = r#"
        net omgevingsvergunning v1
        place start (source)
        place end (sink)
        place ontvangst (flow)
        place volledigheid (task volledigheid)
        place verzoek_aanvulling (flow)
        place wacht_op_aanvulling (wait wacht_op_aanvulling for aanvulling_ontvangen)
        place buiten_behandeling (flow)
        place advies_nodig (flow)
        place advies (flow)
        place welstandsadvies (task welstandsadvies)
        place brandveiligheidsadvies (task brandveiligheidsadvies)
        place adviezen_binnen<welstandsadvies (arrival from welstandsadvies)
        place adviezen_binnen<brandveiligheidsadvies (arrival from brandveiligheidsadvies)
        place beoordelen (task beoordelen)
        place besluit_verlenen (task besluit_verlenen)
        place besluit_weigeren (task besluit_weigeren)
        place verzenden_verleend (flow)
        place verzenden_geweigerd (flow)
        place einde_verleend (flow)
        place einde_geweigerd (flow)
        place einde_buiten_behandeling (flow)
        place einde_ingetrokken (flow)
        transition start [auto]: start -> ontvangst
        transition ontvangst [auto]: ontvangst -> volledigheid ; status ontvangen ; letter ontvangstbevestiging
        transition volledigheid:volledig [task volledigheid done volledig]: volledigheid -> advies_nodig
        transition volledigheid:onvolledig [task volledigheid done onvolledig]: volledigheid -> verzoek_aanvulling
        transition volledigheid:ingetrokken [task volledigheid done ingetrokken]: volledigheid -> einde_ingetrokken
        transition verzoek_aanvulling [auto]: verzoek_aanvulling -> wacht_op_aanvulling ; status aanvulling_gevraagd ; letter verzoek_om_aanvulling
        transition wacht_op_aanvulling:aanvulling_ontvangen [message aanvulling_ontvangen at wacht_op_aanvulling]: wacht_op_aanvulling -> volledigheid
        transition wacht_op_aanvulling:timeout [timer wacht_op_aanvulling]: wacht_op_aanvulling -> buiten_behandeling
        transition buiten_behandeling [auto]: buiten_behandeling -> einde_buiten_behandeling ; letter besluit_buiten_behandeling
        transition advies_nodig:advies [auto]: advies_nodig -> advies if monument || activiteit == "bouwen" && bouwsom > 100000.0 unless []
        transition advies_nodig:otherwise [auto]: advies_nodig -> beoordelen if none of [monument || activiteit == "bouwen" && bouwsom > 100000.0]
        transition advies [auto]: advies -> welstandsadvies + brandveiligheidsadvies
        transition welstandsadvies [task welstandsadvies done]: welstandsadvies -> adviezen_binnen<welstandsadvies
        transition brandveiligheidsadvies [task brandveiligheidsadvies done]: brandveiligheidsadvies -> adviezen_binnen<brandveiligheidsadvies
        transition adviezen_binnen [auto]: adviezen_binnen<welstandsadvies + adviezen_binnen<brandveiligheidsadvies -> beoordelen
        transition beoordelen:verlenen [task beoordelen done verlenen]: beoordelen -> besluit_verlenen
        transition beoordelen:weigeren [task beoordelen done weigeren]: beoordelen -> besluit_weigeren
        transition besluit_verlenen [task besluit_verlenen done]: besluit_verlenen -> verzenden_verleend ; status besluit_genomen
        transition besluit_weigeren [task besluit_weigeren done]: besluit_weigeren -> verzenden_geweigerd ; status besluit_genomen
        transition verzenden_verleend [auto]: verzenden_verleend -> einde_verleend ; letter besluit_verleend
        transition verzenden_geweigerd [auto]: verzenden_geweigerd -> einde_geweigerd ; letter besluit_geweigerd
        transition einde_verleend [auto]: einde_verleend -> end ; result verleend
        transition einde_geweigerd [auto]: einde_geweigerd -> end ; result geweigerd
        transition einde_buiten_behandeling [auto]: einde_buiten_behandeling -> end ; result buiten_behandeling
        transition einde_ingetrokken [auto]: einde_ingetrokken -> end ; result ingetrokken
    "#;
    let expected: Vec<&str> = expected
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        net.dump().trim_end(),
        expected.join("\n"),
        "\nactual:\n{}",
        net.dump()
    );
}

#[test]
fn every_place_and_transition_keeps_the_span_of_its_step() {
    let mut m = model(
        "p",
        "- name: p
  parallel: {branches: [a, b]}
- name: a
  task: {team: t, then: j}
- name: b
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
    );
    for (i, s) in m.steps.iter_mut().enumerate() {
        s.span = zaak_dsl::Span::new(i * 10, i * 10 + 5);
    }
    let net = compile(&m).expect("compiles");
    for p in &net.places {
        if let Some(step) = &p.step {
            let i = m
                .steps
                .iter()
                .position(|s| &s.name.name == step)
                .expect("step");
            assert_eq!(p.span.start, i * 10, "place {}", p.name);
        }
    }
    for t in &net.transitions {
        if let Some(step) = &t.step {
            let i = m
                .steps
                .iter()
                .position(|s| &s.name.name == step)
                .expect("step");
            assert_eq!(
                (t.span.start, t.span.end),
                (i * 10, i * 10 + 5),
                "{}",
                t.name
            );
        }
    }
}

#[test]
fn join_all_waits_for_every_arc_from_one_predecessor() {
    check(
        "p",
        "- name: p
  parallel: {branches: [j, j, a]}
- name: a
  task: {team: t, then: j}
- name: j
  join: {mode: all, then: e}
- name: e
  end: {}
",
        "
        net p v1
        place start (source)
        place end (sink)
        place p (flow)
        place a (task a)
        place j<p (arrival from p)
        place j<a (arrival from a)
        place e (flow)
        transition start [auto]: start -> p
        transition p [auto]: p -> 2*j<p + a
        transition a [task a done]: a -> j<a
        transition j [auto]: 2*j<p + j<a -> e
        transition e [auto]: e -> end
        ",
    );
}
