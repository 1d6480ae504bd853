//! Routing by conditions: values set by automatic steps, exclusive choices on data and task
//! outcomes, inclusive splits with their joins.

mod exec_support;

use exec_support::check;
use exec_support::processes::EVENEMENT;

#[test]
fn inclusive_split_with_one_branch_taken_joins_after_it() {
    check(
        EVENEMENT,
        r#"
        start {"bezoekers": 5000, "vuurwerk": false}
        complete politieadvies
        complete besluiten verlenen
        "#,
        r#"
        > start {"bezoekers": 5000, "vuurwerk": false}
          set groot = true
          create task #1 politieadvies team=politie
        > complete politieadvies
          create task #2 besluiten team=vergunningen
        > complete besluiten verlenen
          result verleend
          close completed
        "#,
    );
}

#[test]
fn inclusive_split_with_two_branches_taken_waits_for_both() {
    check(
        EVENEMENT,
        r#"
        start {"bezoekers": 5000, "vuurwerk": true}
        complete brandweeradvies
        complete politieadvies
        complete besluiten weigeren
        "#,
        r#"
        > start {"bezoekers": 5000, "vuurwerk": true}
          set groot = true
          create task #1 politieadvies team=politie
          create task #2 brandweeradvies team=brandweer
        > complete brandweeradvies
        > complete politieadvies
          create task #3 besluiten team=vergunningen
        > complete besluiten weigeren
          result geweigerd
          close completed
        "#,
    );
}

#[test]
fn inclusive_split_with_no_condition_holding_goes_otherwise() {
    check(
        EVENEMENT,
        r#"
        start {"bezoekers": 80}
        complete besluiten verlenen
        "#,
        r#"
        > start {"bezoekers": 80}
          set groot = false
          create task #1 besluiten team=vergunningen
        > complete besluiten verlenen
          result verleend
          close completed
        "#,
    );
}

#[test]
fn a_condition_that_cannot_be_decided_refuses_the_command() {
    check(
        &EVENEMENT.replace("when: vuurwerk", "when: bezoekers"),
        r#"
        start {"bezoekers": 80}
        start {"bezoekers": 80, "vuurwerk": true}
        "#,
        r#"
        > start {"bezoekers": 80}
          error: the condition of `adviezen:{brandweeradvies}` could not be evaluated: condition `bezoekers` gave 80, not true or false
        > start {"bezoekers": 80, "vuurwerk": true}
          error: the condition of `adviezen:{brandweeradvies}` could not be evaluated: condition `bezoekers` gave 80, not true or false
        "#,
    );
}
