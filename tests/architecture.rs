//! The core knows nothing about the outside: the language and the engine crates must not depend
//! on an async runtime, a database driver or a web framework, so that they stay pure and can be
//! embedded anywhere. `cargo tree` shows what they really pull in.

use std::process::Command;

fn normal_dependencies(package: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "-p", package, "-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Crates that would mean IO has crept into the core.
const FORBIDDEN: [&str; 7] = [
    "tokio",
    "sqlx",
    "sqlx-core",
    "axum",
    "hyper",
    "mio",
    "reqwest",
];

#[test]
fn dsl_and_engine_have_no_io_dependencies() {
    for package in ["zaak-dsl", "zaak-engine"] {
        let tree = normal_dependencies(package);
        let crates: Vec<&str> = tree
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(crates.contains(&package), "{tree}");
        for forbidden in FORBIDDEN {
            assert!(
                !crates.contains(&forbidden),
                "{package} depends on {forbidden}:\n{tree}"
            );
        }
    }
}

/// The application layer is what every front end calls: it must not know one of them. It may
/// use the runtime (and so tokio and sqlx beneath it), never a web framework, so that the
/// REST API, the web pages, the ZGW API and the CLI can all stand on it.
#[test]
fn the_application_layer_knows_no_front_end() {
    let tree = normal_dependencies("zaak-app");
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"zaak-runtime"), "{tree}");
    for front_end in ["axum", "hyper", "tower-http", "utoipa", "clap", "ureq"] {
        assert!(
            !crates.contains(&front_end),
            "zaak-app depends on {front_end}:\n{tree}"
        );
    }
}
