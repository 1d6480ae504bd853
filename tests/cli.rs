//! The offline commands as a process designer uses them: exit codes, locations, formats.

use std::path::Path;
use std::process::{Command, Output};

fn zaak(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zaak"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the zaak binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const BROKEN: &str = "process melding version 1 {
    title \"Melding\"
    start beoordelen
    team buitendienst

    task beoordelen {
        team binnendienst
        then klaar
    }

    end klar
}
";

#[test]
fn the_process_library_checks_clean() {
    let out = zaak(&["check", "processes/"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("ok"), "{}", stderr(&out));
}

#[test]
fn every_problem_is_reported_with_its_location_and_exit_code_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("melding.zaak");
    std::fs::write(&file, BROKEN).expect("write");
    let path = file.to_string_lossy().to_string();
    let out = zaak(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // The unknown team and the unknown step, both, each at its own line.
    assert!(err.contains(&format!("{path}:7:14")), "{err}");
    assert!(err.contains(&format!("{path}:8:14")), "{err}");
    assert!(err.contains("buitendienst"), "a suggestion is given: {err}");
}

#[test]
fn json_output_gives_code_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("melding.zaak");
    std::fs::write(&file, BROKEN).expect("write");
    let out = zaak(&["check", "--format", "json", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let list = diagnostics.as_array().expect("an array");
    assert!(list.len() >= 2, "{list:?}");
    let team = list
        .iter()
        .find(|d| d["line"] == 7)
        .expect("a diagnostic on line 7");
    assert_eq!(team["column"], 14);
    assert!(team["code"].as_str().is_some_and(|c| c.starts_with("Z01")));
    assert_eq!(team["severity"], "error");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(zaak(&["check", "no/such/file.zaak"]).status.code(), Some(2));
    assert_eq!(zaak(&["check", "Cargo.toml"]).status.code(), Some(2));
    assert_eq!(zaak(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn library_text_files_are_formatted() {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("processes"))
            .expect("processes/")
            .filter_map(|e| e.ok())
            .map(|e| e.path().to_string_lossy().to_string())
            .filter(|p| p.ends_with(".zaak"))
            .collect();
    files.sort();
    assert!(files.len() >= 5);
    let mut args = vec!["fmt", "--check"];
    args.extend(files.iter().map(String::as_str));
    let out = zaak(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn fmt_rewrites_in_the_canonical_layout_and_keeps_comments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("m.zaak");
    let messy =
        "# Kop.\nprocess m version 1 { title \"T\"\n start e\n  # Het einde.\n end e # klaar\n}\n";
    std::fs::write(&file, messy).expect("write");
    let path = file.to_string_lossy().to_string();
    assert_eq!(zaak(&["fmt", "--check", &path]).status.code(), Some(1));
    assert_eq!(zaak(&["fmt", &path]).status.code(), Some(0));
    let formatted = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        formatted,
        "# Kop.\nprocess m version 1 {\n    title \"T\"\n    start e\n\n    # Het einde.\n    end e # klaar\n}\n"
    );
    assert_eq!(zaak(&["fmt", "--check", &path]).status.code(), Some(0));
}

#[test]
fn convert_gives_the_other_syntax_and_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = zaak(&[
        "convert",
        "processes/omgevingsvergunning.zaak",
        "--to",
        "yaml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let yaml = dir.path().join("o.yaml");
    std::fs::write(&yaml, &out.stdout).expect("write");
    let back = zaak(&["convert", &yaml.to_string_lossy(), "--to", "zaak"]);
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    let original = std::fs::read_to_string("processes/omgevingsvergunning.zaak").expect("read");
    // The comments above `process` are the only thing YAML does not carry.
    let body = original
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        String::from_utf8_lossy(&back.stdout).trim_end(),
        body.trim_end()
    );
}

#[test]
fn graph_draws_a_library_process() {
    let out = zaak(&[
        "graph",
        "processes/omgevingsvergunning.zaak",
        "--format",
        "mermaid",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("s_volledigheid -->|\"onvolledig\"| s_verzoek_aanvulling"));
}

/// An exclusive choice closed by a parallel join: the classic deadlock.
const STUCK: &str = "process advies version 1 {
    title \"Advies\"
    start advies
    team t
    status ontvangen \"Ontvangen.\"

    choice advies {
        when true -> a
        otherwise -> b
    }

    task a {
        team t
        then samen
    }

    task b {
        team t
        then samen
    }

    join samen all -> klaar

    end klaar
}
";

#[test]
fn check_proves_soundness_and_shows_the_way_to_a_deadlock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("advies.zaak");
    std::fs::write(&file, STUCK).expect("write");
    let path = file.to_string_lossy().to_string();
    let out = zaak(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("Z0401"), "{err}");
    assert!(err.contains(&format!("{path}:")), "{err}");
    assert!(
        err.contains("free"),
        "says that conditions are free choices: {err}"
    );
}

#[test]
fn check_knows_the_processes_beside_a_file_for_its_deelzaken() {
    // Beside its deelzaak's process, the file checks clean; alone, its deelzaak names a
    // process that does not exist.
    let beside = zaak(&["check", "processes/evenementenvergunning.zaak"]);
    assert_eq!(beside.status.code(), Some(0), "{}", stderr(&beside));
    let dir = tempfile::tempdir().expect("temp dir");
    let alone = dir.path().join("evenementenvergunning.zaak");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("processes/evenementenvergunning.zaak"),
        &alone,
    )
    .expect("copy");
    let out = zaak(&["check", &alone.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("Z0430"), "{err}");
    assert!(
        err.contains("the process `verkeersbesluit`, which does not exist"),
        "{err}"
    );
}

#[test]
fn check_reads_pnml_nets() {
    let sound = zaak(&["check", "engine/tests/data/aanvraag.pnml"]);
    assert_eq!(sound.status.code(), Some(0), "{}", stderr(&sound));
    let stuck = zaak(&["check", "engine/tests/data/keuze_en_samen.pnml"]);
    assert_eq!(stuck.status.code(), Some(1));
    assert!(
        stderr(&stuck).contains("error[Z0401]"),
        "{}",
        stderr(&stuck)
    );
    assert!(
        stderr(&stuck).contains("shortest way there: A -> B"),
        "{}",
        stderr(&stuck)
    );
    let two = zaak(&["check", "engine/tests/data/twee_bronnen.pnml"]);
    assert_eq!(two.status.code(), Some(1));
    assert!(
        stderr(&two).contains("not a workflow net"),
        "{}",
        stderr(&two)
    );
}

#[test]
fn a_pnml_net_converts_to_a_process_skeleton_that_checks() {
    let out = zaak(&["convert", "engine/tests/data/aanvraag.pnml", "--to", "zaak"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("skelet.zaak");
    std::fs::write(&file, &out.stdout).expect("write");
    let check = zaak(&["check", &file.to_string_lossy()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

/// `zaak convert ... | head -0`: the reader is gone before the first line is written. The
/// command ends as Unix tools do (by SIGPIPE, silently), not with a panic about stdout.
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_zaak"))
        .args([
            "convert",
            "processes/omgevingsvergunning.zaak",
            "--to",
            "yaml",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(writer)
        .output()
        .expect("the zaak binary runs");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
}

#[test]
fn check_warns_when_a_term_can_end_after_the_known_decrees() {
    // Twenty years from today end long after the last year a known Royal Decree under Awt
    // art. 3(3) covers, so a deadline then may miss days set equal to holidays. The process
    // itself is fine: a warning, exit code 0.
    let library = std::fs::read_to_string("processes/parkeervergunning.zaak").expect("read");
    assert!(library.contains("term 8 weeks calendar"));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("parkeervergunning.zaak");
    std::fs::write(
        &file,
        library.replace("term 8 weeks calendar", "term 20 years calendar"),
    )
    .expect("write");
    let out = zaak(&["check", &file.to_string_lossy()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("Z0501"), "{err}");
    assert!(
        err.contains("the last year a known decree covers is"),
        "{err}"
    );
}
