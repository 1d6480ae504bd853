//! Processes: the deployed ones, a designer's deployment, and the diagram with the cases the
//! reader may see waiting at each step.

use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::App;
use std::collections::BTreeMap;
use zaak_dsl::{ProcessModel, Syntax};
use zaak_engine::diagram::{render, DiagramFormat};
use zaak_runtime::{Deployed, ProcessVersion, Redeploy, User};

/// A deployed process by its latest version.
#[derive(Debug, Clone)]
pub struct ProcessInfo {
    pub key: String,
    pub latest_version: u32,
    pub model: ProcessModel,
}

/// A process with every version.
#[derive(Debug, Clone)]
pub struct ProcessDetail {
    pub current_version: u32,
    pub model: ProcessModel,
    /// Every deployed version, oldest first.
    pub versions: Vec<ProcessVersion>,
}

/// Which diagram to draw.
#[derive(Debug, Clone, Copy)]
pub struct DiagramQuery {
    pub format: DiagramFormat,
    /// The latest when left out.
    pub version: Option<u32>,
}

impl App {
    /// Every deployed process with its latest version.
    pub async fn processes(&self, user: &User) -> AppResult<Vec<ProcessInfo>> {
        require(user, Action::ReadProcesses)?;
        let mut out = Vec::new();
        for latest in self.runtime.processes().await? {
            let model = self.runtime.model(&latest.key, latest.version).await?;
            out.push(ProcessInfo {
                key: latest.key,
                latest_version: latest.version,
                model,
            });
        }
        Ok(out)
    }

    /// The latest version of a process and its model.
    pub(crate) async fn latest(&self, key: &str) -> AppResult<(u32, ProcessModel)> {
        let versions = self.runtime.versions(key).await?;
        let Some(last) = versions.iter().rfind(|v| v.version > 0) else {
            return Err(AppError::not_found(
                "unknown_process",
                format!("no process `{key}` is deployed"),
            ));
        };
        let model = self.runtime.model(key, last.version).await?;
        Ok((last.version, model))
    }

    pub async fn process(&self, user: &User, key: &str) -> AppResult<ProcessDetail> {
        require(user, Action::ReadProcesses)?;
        let (current_version, model) = self.latest(key).await?;
        let versions = self.runtime.versions(key).await?;
        Ok(ProcessDetail {
            current_version,
            model,
            versions,
        })
    }

    /// Deploys a process source after every check `zaak check` makes (names, types,
    /// soundness within the server's limit, which a deployment cannot raise). A source equal
    /// to the latest version changes nothing; one equal to an older version becomes the newest
    /// again. A process with errors is refused with every diagnostic.
    pub async fn deploy(&self, user: &User, source: &str, syntax: Syntax) -> AppResult<Deployed> {
        require(user, Action::Deploy)?;
        let deployed = self
            .runtime
            .deploy(source, syntax, Redeploy::UnlessLatest)
            .await?;
        tracing::info!(process = %deployed.key, version = deployed.version, created = deployed.created, by = %user.name, "deployed");
        Ok(deployed)
    }

    /// The process as a diagram, with the number of open cases the reader may see waiting at
    /// each step.
    pub async fn diagram(&self, user: &User, key: &str, query: DiagramQuery) -> AppResult<String> {
        require(user, Action::ReadProcesses)?;
        let (version, model) = match query.version {
            None => self.latest(key).await?,
            Some(v) => (v, self.runtime.model(key, v).await?),
        };
        // A case can rest at several places of one step; it counts once there.
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for c in self
            .runtime
            .step_counts_for(&user.viewer(), key, version)
            .await?
        {
            if let Some(step) = c.step {
                let n = counts.entry(step).or_insert(0);
                *n = (*n).max(c.cases.max(0) as u64);
            }
        }
        Ok(render(&model, query.format, &counts))
    }
}
