//! Cases of the processes in the repository's library, from start to end.

mod exec_support;

use exec_support::{check_process, library_process};

#[test]
fn omgevingsvergunning_for_a_monument_gets_advice_and_is_granted() {
    check_process(
        &library_process("omgevingsvergunning.zaak"),
        r#"
        start {"aanvrager": "Jan", "adres": "Kerkstraat 1", "activiteit": "bouwen", "monument": true}
        at 2026-01-06T10:00
        complete volledigheid onvolledig {"ontbrekende_stukken": "constructietekening"}
        at 2026-01-20T10:00
        deliver aanvulling_ontvangen
        complete volledigheid volledig
        complete welstandsadvies {"welstandsadvies": "positief"}
        complete brandveiligheidsadvies {"brandveiligheid_akkoord": true}
        at 2026-02-10T15:00
        complete beoordelen verlenen {"motivering": "Past in het beschermd stadsgezicht"}
        complete besluit_verlenen
        "#,
        r#"
        > start {"aanvrager": "Jan", "adres": "Kerkstraat 1", "activiteit": "bouwen", "monument": true}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          letter ontvangstbevestiging
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > at 2026-01-06T10:00
        > complete volledigheid onvolledig {"ontbrekende_stukken": "constructietekening"}
          status aanvulling_gevraagd (notify)
          letter verzoek_om_aanvulling
          schedule timer #5 timeout at 2026-02-03T10:00
          term deadline=2026-03-02 target=2026-02-16 (Wachten op aanvulling van de aanvraag (Awb 4:15))
          cancel timer #2
          cancel timer #3
          cancel timer #4
        > at 2026-01-20T10:00
        > deliver aanvulling_ontvangen
          cancel timer #5
          term deadline=2026-03-16 target=2026-03-01 (term resumed after 13 days suspended)
          create task #6 volledigheid team=intake role=behandelaar due=2026-01-27
          status in_behandeling
          schedule timer #7 target_warning at 2026-03-01T00:00
          schedule timer #8 deadline_warning at 2026-03-02T00:00
          schedule timer #9 deadline at 2026-03-17T00:00
        > complete volledigheid volledig
          create task #10 welstandsadvies team=welstand due=2026-02-03
          status advies
          create task #11 brandveiligheidsadvies team=brandveiligheid due=2026-02-03
        > complete welstandsadvies {"welstandsadvies": "positief"}
        > complete brandveiligheidsadvies {"brandveiligheid_akkoord": true}
          create task #12 beoordelen team=vergunningen role=behandelaar due=2026-02-03
        > at 2026-02-10T15:00
        > complete beoordelen verlenen {"motivering": "Past in het beschermd stadsgezicht"}
          create task #13 besluit_verlenen team=vergunningen role=beslisser due=2026-02-13
        > complete besluit_verlenen
          status besluit_genomen (notify)
          letter besluit_verleend
          result verleend
          cancel timer #7
          cancel timer #8
          cancel timer #9
          close completed
        "#,
    );
}

#[test]
fn omgevingsvergunning_without_advice_goes_straight_to_assessment() {
    check_process(
        &library_process("omgevingsvergunning.zaak"),
        r#"
        start {"aanvrager": "Jan", "adres": "Kerkstraat 1", "activiteit": "kappen"}
        complete volledigheid volledig
        complete beoordelen weigeren {"motivering": "Boom is beschermd"}
        complete besluit_weigeren
        "#,
        r#"
        > start {"aanvrager": "Jan", "adres": "Kerkstraat 1", "activiteit": "kappen"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          letter ontvangstbevestiging
          create task #1 volledigheid team=intake role=behandelaar due=2026-01-12
          status in_behandeling
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > complete volledigheid volledig
          create task #5 beoordelen team=vergunningen role=behandelaar due=2026-01-19
        > complete beoordelen weigeren {"motivering": "Boom is beschermd"}
          create task #6 besluit_weigeren team=vergunningen role=beslisser due=2026-01-08
        > complete besluit_weigeren
          status besluit_genomen (notify)
          letter besluit_geweigerd
          result geweigerd
          cancel timer #2
          cancel timer #3
          cancel timer #4
          close completed
        "#,
    );
}

#[test]
fn evenementenvergunning_asks_the_partners_it_needs_and_waits_for_the_traffic_decision() {
    check_process(
        &library_process("evenementenvergunning.zaak"),
        r#"
        start {"organisator": "Stichting Zomerfeest", "naam_evenement": "Zomerfeest", "datum_evenement": "2026-06-20", "locatie": "Markt", "bezoekers": 3000, "alcohol": true, "tijdelijke_bouwwerken": false, "wegafsluiting": true, "af_te_sluiten_wegen": "Markt, 20 juni 8-24 uur"}
        complete intake compleet {"risicocategorie": "B"}
        complete advies_politie {"advies_politie": "Twee verkeersregelaars"}
        complete advies_brandweer {"advies_brandweer": "Vluchtwegen vrijhouden"}
        subcase_closed verkeersbesluit genomen
        complete beoordelen verlenen {"voorschriften": "Einde muziek 23 uur"}
        complete besluit_verlenen akkoord
        at 2026-06-20T00:00
        fire step:tot_evenement
        complete toezicht {"bevindingen": "Geen bijzonderheden"}
        "#,
        r#"
        > start {"organisator": "Stichting Zomerfeest", "naam_evenement": "Zomerfeest", "datum_evenement": "2026-06-20", "locatie": "Markt", "bezoekers": 3000, "alcohol": true, "tijdelijke_bouwwerken": false, "wegafsluiting": true, "af_te_sluiten_wegen": "Markt, 20 juni 8-24 uur"}
          term deadline=2026-03-02 target=2026-02-16 (term started)
          status ontvangen (notify)
          letter ontvangstbevestiging
          create task #1 intake team=evenementen role=behandelaar due=2026-01-12
          status controle_aanvraag
          schedule timer #2 target_warning at 2026-02-16T00:00
          schedule timer #3 deadline_warning at 2026-02-19T00:00
          schedule timer #4 deadline at 2026-03-03T00:00
        > complete intake compleet {"risicocategorie": "B"}
          create task #5 advies_politie team=politie role=adviseur due=2026-01-19
          status advies
          create task #6 advies_brandweer team=brandweer role=adviseur due=2026-01-19
        > complete advies_politie {"advies_politie": "Twee verkeersregelaars"}
        > complete advies_brandweer {"advies_brandweer": "Vluchtwegen vrijhouden"}
          status verkeersbesluit
          start subcase verkeersbesluit for verkeersbesluit {"af_te_sluiten_wegen":"Markt, 20 juni 8-24 uur","datum_evenement":"2026-06-20","locatie":"Markt","naam_evenement":"Zomerfeest"}
        > subcase_closed verkeersbesluit genomen
          create task #7 beoordelen team=evenementen role=behandelaar due=2026-01-12
          status beoordeling
        > complete beoordelen verlenen {"voorschriften": "Einde muziek 23 uur"}
          create task #8 besluit_verlenen team=evenementen role=beslisser due=2026-01-08
        > complete besluit_verlenen akkoord
          status besluit_genomen (notify)
          letter besluit_verleend
          notification publicatie_vergunning
          result verleend
          schedule timer #9 step at 2026-06-20T00:00
        > at 2026-06-20T00:00
        > fire step:tot_evenement
          create task #10 toezicht team=handhaving due=2026-06-23
        > complete toezicht {"bevindingen": "Geen bijzonderheden"}
          result verleend
          status afgehandeld
          cancel timer #2
          cancel timer #3
          cancel timer #4
          close completed
        "#,
    );
}
