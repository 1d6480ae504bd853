//! Processes the engine tests run, in YAML.

/// A permit without conditions: completeness check with a loop through a request for
/// completion (the term suspended meanwhile, with a timeout), advice in parallel, a decision.
pub const VERGUNNING: &str = r#"
process: vergunning
version: 1
title: Vergunning
term:
  duration: 8 weeks
service_norm: 6 weeks
suspension_allowed: true
extension: 6 weeks
teams:
  - name: intake
  - name: welstand
  - name: brandweer
  - name: vergunningen
roles:
  - name: behandelaar
data:
  - name: aanvrager
    type: text
    required: true
  - name: activiteit
    type:
      choice: [bouwen, slopen]
    required: true
  - name: bouwsom
    type: number
  - name: monument
    type: bool
  - name: ontvangen_op
    type: date
messages:
  - name: aanvulling_ontvangen
statuses:
  - name: ontvangen
    citizen_text: Ontvangen.
    notify: true
  - name: in_behandeling
    citizen_text: In behandeling.
  - name: aanvulling_gevraagd
    citizen_text: Aanvulling gevraagd.
    notify: true
  - name: besluit_genomen
    citizen_text: Besluit genomen.
    notify: true
results:
  - name: verleend
    archive: keep
  - name: geweigerd
    archive: destroy
  - name: buiten_behandeling
    archive: destroy
  - name: ingetrokken
    archive: destroy
start: ontvangst
steps:
  - name: ontvangst
    auto:
      actions:
        - status: ontvangen
      then: volledigheid
  - name: volledigheid
    task:
      team: intake
      role: behandelaar
      due: 5 working days
      status_on_start: in_behandeling
      fields:
        - name: ontbrekende_stukken
          type: text
      outcomes:
        - name: volledig
          then: advies
        - name: onvolledig
          then: verzoek_aanvulling
        - name: ingetrokken
          then: einde_ingetrokken
  - name: verzoek_aanvulling
    auto:
      actions:
        - status: aanvulling_gevraagd
        - letter: verzoek_om_aanvulling
      then: wacht_op_aanvulling
  - name: wacht_op_aanvulling
    wait:
      message: aanvulling_ontvangen
      suspend: Wachten op aanvulling (Awb 4:15)
      timeout:
        after: 4 weeks
        then: buiten_behandeling
      then: volledigheid
  - name: buiten_behandeling
    auto:
      actions:
        - letter: besluit_buiten_behandeling
      then: einde_buiten_behandeling
  - name: advies
    parallel:
      branches: [welstandsadvies, brandadvies]
  - name: welstandsadvies
    task:
      team: welstand
      due: 10 working days
      fields:
        - name: welstand
          type:
            choice: [positief, negatief]
          required: true
      then: adviezen_binnen
  - name: brandadvies
    task:
      team: brandweer
      due: 10 working days
      fields:
        - name: brandveilig
          type: bool
          required: true
      then: adviezen_binnen
  - name: adviezen_binnen
    join:
      then: beoordelen
  - name: beoordelen
    task:
      team: vergunningen
      role: behandelaar
      due: 10 working days
      status_on_end: besluit_genomen
      fields:
        - name: motivering
          type: text
          required: true
      outcomes:
        - name: verlenen
          then: einde_verleend
        - name: weigeren
          then: einde_geweigerd
  - name: einde_verleend
    end:
      result: verleend
  - name: einde_geweigerd
    end:
      result: geweigerd
  - name: einde_buiten_behandeling
    end:
      result: buiten_behandeling
  - name: einde_ingetrokken
    end:
      result: ingetrokken
"#;

/// Timers: a fixed wait, then a wait until a date in the case data.
pub const TIMERS: &str = r#"
process: evenement
version: 1
title: Evenement
teams:
  - name: vergunningen
data:
  - name: evenement_op
    type: date
start: bedenktijd
steps:
  - name: bedenktijd
    timer:
      after: 2 weeks
      then: tot_evenement
  - name: tot_evenement
    timer:
      until: evenement_op
      then: evalueren
  - name: evalueren
    task:
      team: vergunningen
      then: klaar
  - name: klaar
    end: {}
"#;

/// Deelzaken: one the case waits for, one it does not.
pub const SUBCASES: &str = r#"
process: bezwaar
version: 1
title: Bezwaar
teams:
  - name: juristen
data:
  - name: indiener
    type: text
    required: true
  - name: kenmerk
    type: text
start: advies_commissie
steps:
  - name: advies_commissie
    subcase:
      process: commissieadvies
      pass: [indiener, kenmerk]
      wait: true
      then: archief
  - name: archief
    subcase:
      process: archivering
      pass: [kenmerk]
      then: beslissen
  - name: beslissen
    task:
      team: juristen
      then: klaar
  - name: klaar
    end: {}
"#;

/// Conditions: a value computed by an auto step, an inclusive split and its join, a choice.
pub const EVENEMENT: &str = r#"
process: evenement
version: 1
title: Evenementenvergunning
teams:
  - name: vergunningen
  - name: politie
  - name: brandweer
data:
  - name: bezoekers
    type: number
    required: true
  - name: vuurwerk
    type: bool
  - name: groot
    type: bool
results:
  - name: verleend
    archive: keep
  - name: geweigerd
    archive: destroy
start: inschatten
steps:
  - name: inschatten
    auto:
      actions:
        - set:
            field: groot
            value: bezoekers >= 1000
      then: adviezen
  - name: adviezen
    inclusive:
      branches:
        - when: groot
          then: politieadvies
        - when: vuurwerk
          then: brandweeradvies
      otherwise: besluiten
  - name: politieadvies
    task:
      team: politie
      then: adviezen_binnen
  - name: brandweeradvies
    task:
      team: brandweer
      then: adviezen_binnen
  - name: adviezen_binnen
    join:
      mode: some
      split: adviezen
      then: besluiten
  - name: besluiten
    task:
      team: vergunningen
      outcomes:
        - name: verlenen
        - name: weigeren
      then: route
  - name: route
    choice:
      branches:
        - when: outcome.besluiten == "verlenen"
          then: verleend
      otherwise: geweigerd
  - name: verleend
    end:
      result: verleend
  - name: geweigerd
    end:
      result: geweigerd
"#;
