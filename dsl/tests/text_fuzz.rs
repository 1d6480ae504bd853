//! The text reader never panics and never hangs: random text, token soup, mutations of the
//! reference process, deep nesting and very large inputs all give a result, and every diagnostic
//! points inside the source and renders.

use proptest::collection::vec;
use proptest::prelude::*;
use zaak_dsl::{Loaded, SourceFile, Syntax};

const REFERENCE: &str = include_str!("../../processes/omgevingsvergunning.zaak");

/// Reads a source and checks what every reader result must satisfy.
fn check(source: &str) -> Loaded {
    let loaded = zaak_dsl::parse(source, Syntax::Text);
    let file = SourceFile::new("fuzz.zaak", source);
    for d in &loaded.diagnostics {
        assert!(d.span.start <= d.span.end, "{d:?}");
        assert!(d.span.end <= source.len(), "{d:?}");
        assert!(source.is_char_boundary(d.span.start) && source.is_char_boundary(d.span.end));
        assert!(d.code.as_str().starts_with("Z00"), "a syntax code: {d:?}");
        assert!(!d.label.is_empty(), "every diagnostic has a label: {d:?}");
        assert!(d.help.is_some(), "every diagnostic has a help: {d:?}");
        assert!(!file.render(d).is_empty());
    }
    if let Some(m) = &loaded.model {
        for s in &m.steps {
            assert!(s.span.end <= source.len() && s.span.start <= s.span.end);
            assert_eq!(
                source.get(s.name.span.start..s.name.span.end),
                Some(s.name.as_str())
            );
        }
    }
    assert!(
        loaded.model.is_some() || !loaded.diagnostics.is_empty(),
        "no model means a diagnostic says why"
    );
    loaded
}

/// Pieces of the text syntax, to build inputs that get deep into the grammar.
const TOKENS: &[&str] = &[
    "process",
    "p",
    "version",
    "1",
    "{",
    "}",
    "title",
    "\"t\"",
    "start",
    "task",
    "auto",
    "choice",
    "inclusive",
    "parallel",
    "join",
    "wait",
    "timer",
    "subcase",
    "end",
    "team",
    "role",
    "data",
    "message",
    "status",
    "result",
    "keep",
    "destroy",
    "after",
    "8 weeks",
    "5 working days",
    "P8W",
    "field",
    "outcome",
    "then",
    "->",
    ",",
    ":",
    "[",
    "]",
    "=",
    "when",
    "otherwise",
    "all",
    "some",
    "of",
    "for",
    "suspend",
    "timeout",
    "until",
    "pass",
    "required",
    "citizen",
    "notify",
    "text",
    "choice",
    "\n",
    " ",
    "#c\n",
    "\"a\\\"b\"",
    "\"open",
    "x",
    "9999999999",
    "set",
    "letter",
    "on_start",
    "on_end",
    "due",
    "priority",
    "-1",
    "confidentiality",
    "geheim",
    "on_deadline",
    "van_rechtswege",
    "dwangsom",
    "term",
    "calendar",
    "working_days",
    "é",
    "\\",
];

fn mutate(source: &str, edits: &[(usize, usize, u8)]) -> String {
    let mut bytes = source.as_bytes().to_vec();
    for &(at, len, kind) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        let end = (at + len % 40).min(bytes.len());
        match kind % 3 {
            0 => {
                bytes.drain(at..end);
            }
            1 => {
                let copy: Vec<u8> = bytes[at..end].to_vec();
                let to = (at * 7 + len) % bytes.len();
                bytes.splice(to..to, copy);
            }
            _ => {
                let token = TOKENS[len % TOKENS.len()].as_bytes().to_vec();
                bytes.splice(at..at, token);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn random_text_does_not_panic(source in any::<String>()) {
        check(&source);
    }

    #[test]
    fn token_soup_does_not_panic(tokens in vec(prop::sample::select(TOKENS), 0..80)) {
        check(&format!("process p version 1 {{ {} }}", tokens.join(" ")));
        check(&tokens.join(" "));
    }

    #[test]
    fn mutated_reference_does_not_panic(edits in vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..6)) {
        check(&mutate(REFERENCE, &edits));
    }
}

#[test]
fn deep_nesting_is_read_in_one_pass() {
    let open = "{".repeat(100_000);
    check(&format!("process p version 1 {open}"));
    check(&format!("process p version 1 {{ task t {open} }}"));
    check(&format!(
        "process p version 1 {{ {} }}",
        "(".repeat(100_000)
    ));
    check(&format!(
        "process p version 1 {{ choice c {{ when {} -> x }} }}",
        "(".repeat(100_000)
    ));
}

#[test]
fn a_large_process_is_read() {
    let body: String = (0..5_000)
        .map(|i| {
            format!(
                "    task t{i} {{ team a due 5 working days then t{} }}\n",
                i + 1
            )
        })
        .collect();
    let source = format!("process p version 1 {{\n    title \"T\"\n    start t0\n{body}}}\n");
    let loaded = check(&source);
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(loaded.model.map(|m| m.steps.len()), Some(5_000));
}

#[test]
fn a_large_broken_file_stops_after_a_bounded_number_of_errors() {
    let body = "    task {\n    bogus }\n".repeat(20_000);
    let loaded = check(&format!("process p version 1 {{\n{body}}}\n"));
    assert!(
        loaded.diagnostics.len() <= 102,
        "{}",
        loaded.diagnostics.len()
    );
    assert_eq!(
        loaded.diagnostics.last().map(|d| d.code.as_str()),
        Some("Z0016")
    );
}

#[test]
fn recovery_reports_each_broken_step_and_keeps_the_good_ones() {
    let source = "process p version 1 {
    title \"T\"
    start a
    task a {
        team t
        due soon
    }
    end b
    timer c after 2 weeks c
    end d
}
";
    let loaded = check(source);
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["Z0001", "Z0001"]);
    let steps: Vec<String> = loaded
        .model
        .map(|m| m.steps.iter().map(|s| s.name.name.clone()).collect())
        .unwrap_or_default();
    // The task keeps the lines around its broken one; the broken timer is skipped.
    assert_eq!(steps, ["a", "b", "d"]);
}
