//! Case histories for the lead-time figures and the XES export, and historical cases imported
//! from the event logs of other systems.
//!
//! [`Runtime::histories`] reads every case a [`Filter`] selects (see `store/history.rs` for how:
//! a handful of set-based queries in one snapshot, closed cases from compact summaries).
//!
//! [`Runtime::import_history`] stores cases read from a log as closed cases of version 0 of a
//! process: the historical version. It has no source, so nothing starts, moves or times its
//! cases; their tasks are done or cancelled, so no queue shows them. Importing is idempotent
//! per (process, reference): a case already imported is skipped, and so is one whose reference
//! another case holds, each with its reason.

use crate::analytics::{CaseHistory, Filter};
use crate::error::{Error, Result};
use crate::people::{rank, Viewer};
use crate::runtime::Runtime;
use serde::{Deserialize, Serialize};

/// The version number that marks a process's imported historical cases.
pub const HISTORICAL_VERSION: u32 = 0;

/// What an import stored and what it left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub process: String,
    /// Cases stored as historical cases.
    pub imported: usize,
    /// Tasks stored with them.
    pub tasks: usize,
    /// History events stored with them.
    pub events: usize,
    /// Cases left out, each with why.
    pub skipped: Vec<SkippedCase>,
}

/// A case an import left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedCase {
    pub reference: String,
    pub reason: SkipReason,
}

/// Why an import left a case out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum SkipReason {
    /// A historical case of this process with this reference is stored already (an earlier
    /// import of the same log).
    AlreadyImported,
    /// The reference appears more than once in what was imported; the first one was kept.
    DuplicateReference,
    /// Another case holds the reference: a live case, or one of another process.
    ReferenceInUse { process: String, version: u32 },
    /// The case has no reference to keep it apart from others.
    EmptyReference,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::AlreadyImported => f.write_str("already imported"),
            SkipReason::DuplicateReference => f.write_str("the reference appears twice"),
            SkipReason::ReferenceInUse { process, version } if *version == HISTORICAL_VERSION => {
                write!(
                    f,
                    "the reference belongs to a historical case of `{process}`"
                )
            }
            SkipReason::ReferenceInUse { process, version } => {
                write!(
                    f,
                    "the reference belongs to a case of `{process}` version {version}"
                )
            }
            SkipReason::EmptyReference => f.write_str("the case has no reference"),
        }
    }
}

impl Runtime {
    /// What happened to every case the filter selects, for [`crate::analytics::report`] and
    /// [`crate::analytics::export`]. The order of the cases is not fixed. A case is selected
    /// when it is of the process and version asked for, was open at some moment in the period,
    /// and (with a team) had a task of that team.
    pub async fn histories(&self, filter: &Filter) -> Result<Vec<CaseHistory>> {
        self.histories_for(&Viewer::everything(), filter).await
    }

    /// [`Runtime::histories`] of the cases within the viewer's clearance: figures and event logs
    /// never count a case its reader may not see.
    pub async fn histories_for(
        &self,
        viewer: &Viewer,
        filter: &Filter,
    ) -> Result<Vec<CaseHistory>> {
        self.shared
            .store
            .histories(filter, rank(viewer.clearance))
            .await
    }

    /// Stores cases read from another system's log as closed historical cases of the process
    /// (version 0), with their tasks and history, in one transaction. Cases already imported
    /// for this process, or whose reference another case holds, are skipped with the reason.
    /// The process need not be deployed; when it is, the imported cases take the
    /// confidentiality of its latest version, otherwise `openbaar`.
    pub async fn import_history(
        &self,
        process_key: &str,
        cases: Vec<CaseHistory>,
    ) -> Result<ImportSummary> {
        let key = process_key.trim();
        if key.is_empty() {
            return Err(Error::BadRequest("the process key is empty".into()));
        }
        let latest = self
            .versions(key)
            .await?
            .into_iter()
            .rfind(|v| v.version != HISTORICAL_VERSION);
        let confidentiality = match latest {
            Some(latest) => rank(self.model(key, latest.version).await?.confidentiality),
            None => 0,
        };
        let now = self.clock().now();
        let summary = self
            .shared
            .store
            .import_history(key, cases, now, confidentiality)
            .await?;
        if summary.imported > 0 {
            // Reading the imported cases once keeps their summaries, as the first report would:
            // the wait then falls on the import (a few percent of it) rather than on the first
            // report after it. A failure here leaves that to the report; the import stands.
            let _ = self
                .histories(&Filter {
                    process: Some(key.to_string()),
                    version: Some(HISTORICAL_VERSION),
                    ..Filter::default()
                })
                .await;
        }
        Ok(summary)
    }
}
