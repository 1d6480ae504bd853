//! The `zaak` command: check, format and convert process files; later serve the engine.

mod check;
mod pnml;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "zaak", version, about = "Engine for zaakgericht werken")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check process files and directories (.zaak, .yaml, .yml) and PNML nets (.pnml): syntax,
    /// names, types and soundness. Exit 1 when any has an error.
    Check {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The most markings the soundness check explores per process before it gives up.
        #[arg(long, default_value_t = zaak_engine::soundness::DEFAULT_LIMIT)]
        limit: usize,
    },
    /// Rewrite text process files in the canonical layout.
    Fmt {
        #[arg(required = true)]
        files: Vec<String>,
        /// Only report files that are not formatted; exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Draw a process as a diagram (Graphviz DOT or Mermaid).
    Graph {
        file: String,
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Print a process in the other syntax; a PNML net becomes a process skeleton.
    Convert {
        file: String,
        #[arg(long, value_enum)]
        to: Target,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Target {
    Zaak,
    Yaml,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            format,
            limit,
        } => check::check(&paths, format, limit),
        Command::Fmt { files, check } => check::fmt(&files, check),
        Command::Convert { file, to } => check::convert(&file, to),
        Command::Graph { file, format } => check::graph(&file, format),
    }
}
