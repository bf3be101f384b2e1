//! Plan revisions: the annual review applies an edited plan-as-code document
//! to a plan as a new revision, and any two revisions can be compared node by
//! node. See docs/revisions.md.

use crate::plan_code::{DocFormat, check, parse, stored};
use crate::{App, ServiceResult};
use lodestar_domain::document::PlanDocument;
use lodestar_domain::revision_diff::{Change, NodeDiff, diff};
use lodestar_domain::{LevelNames, PlanId};
pub use lodestar_storage::{Retirement, Revision};

/// The longest note a revision keeps, in characters.
pub const MAX_NOTE: usize = 2000;

fn clean_note(note: Option<&str>) -> ServiceResult<Option<&str>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(lodestar_domain::ValidationError::new(
            "note",
            format!("a revision note has at most {MAX_NOTE} characters"),
        )
        .into());
    }
    Ok(note)
}

impl App {
    /// Records the plan as it stands as revision 1 if it has no revision yet,
    /// so that the first review has something to be compared with.
    async fn ensure_first_revision(&self, plan: PlanId) -> ServiceResult<()> {
        if self.store().latest_revision(plan).await?.is_none() {
            let document = self.export_document(plan).await?;
            self.store().ensure_first_revision(plan, &document).await?;
        }
        Ok(())
    }

    /// Every revision of a plan, oldest first (revision 1 is the plan as it
    /// stood when revisions were first asked for).
    pub async fn revisions(&self, plan: PlanId) -> ServiceResult<Vec<Revision>> {
        self.store().get_plan(plan).await?;
        self.ensure_first_revision(plan).await?;
        Ok(self.store().list_revisions(plan).await?)
    }

    /// The number of a plan's latest revision (1 if it was never revised).
    pub async fn latest_revision(&self, plan: PlanId) -> ServiceResult<i64> {
        self.store().get_plan(plan).await?;
        self.ensure_first_revision(plan).await?;
        Ok(self.store().latest_revision(plan).await?.unwrap_or(1))
    }

    /// Revision `number` of a plan.
    pub async fn revision(&self, plan: PlanId, number: i64) -> ServiceResult<Revision> {
        self.store().get_plan(plan).await?;
        self.ensure_first_revision(plan).await?;
        Ok(self.store().get_revision(plan, number).await?)
    }

    /// Applies an edited plan-as-code document to a plan as its next
    /// revision, all or nothing: nodes matched by code are re-worded and
    /// moved, new ones added, and those left out retired with their history.
    /// `source_name` is how errors refer to the document.
    pub async fn revise_plan(
        &self,
        plan: PlanId,
        source_name: &str,
        doc: &PlanDocument,
        note: Option<&str>,
    ) -> ServiceResult<Revision> {
        let note = clean_note(note)?;
        let flat = check(source_name, doc, self.today())?;
        self.store().get_plan(plan).await?;
        self.ensure_first_revision(plan).await?;
        let revision = self
            .store()
            .revise_plan(plan, doc, &flat, note)
            .await
            .map_err(|e| stored(source_name, e))?;
        tracing::info!(plan = %plan, revision = revision.number, "revised plan");
        Ok(revision)
    }

    /// [`App::revise_plan`] from the text of a plan-as-code document (YAML or JSON).
    pub async fn revise_plan_code(
        &self,
        plan: PlanId,
        source_name: &str,
        text: &str,
        note: Option<&str>,
    ) -> ServiceResult<Revision> {
        let doc = parse(source_name, text, DocFormat::detect(source_name, text))?;
        self.revise_plan(plan, source_name, &doc, note).await
    }

    /// What changed from revision `from` to revision `to`, node by node in tree order.
    pub async fn diff_revisions(
        &self,
        plan: PlanId,
        from: i64,
        to: i64,
    ) -> ServiceResult<RevisionDiff> {
        let old = self.revision(plan, from).await?;
        let new = self.revision(plan, to).await?;
        Ok(RevisionDiff {
            nodes: diff(&old.snapshot, &new.snapshot),
            levels: new.snapshot.document.levels.clone(),
            from: old,
            to: new,
        })
    }
}

/// The changes between two revisions, with the revisions compared.
#[derive(Debug, Clone)]
pub struct RevisionDiff {
    /// The earlier revision.
    pub from: Revision,
    /// The later one.
    pub to: Revision,
    /// What changed, node by node.
    pub nodes: Vec<NodeDiff>,
    /// The level names of the later revision, to name levels in words.
    pub levels: LevelNames,
}

impl RevisionDiff {
    /// The changes as lines of text, one node then its changes indented.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Plan revision {} → {}: {} node(s) changed\n",
            self.from.number,
            self.to.number,
            self.nodes.len()
        );
        for n in &self.nodes {
            out.push_str(&format!("\n{}\n", n.node.label()));
            for c in &n.changes {
                out.push_str(&format!("  {}\n", describe(c, &self.levels)));
            }
        }
        out
    }
}

/// One change in words: `re-worded: "Old" → "New"`.
pub fn describe(change: &Change, levels: &LevelNames) -> String {
    let level = |l: u8| {
        levels
            .name(l)
            .map_or_else(|| format!("level {l}"), |n| n.as_str().to_owned())
    };
    let parent = |p: &Option<lodestar_domain::revision_diff::NodeRef>| {
        p.as_ref()
            .map_or_else(|| "the top of the plan".to_owned(), |p| p.label())
    };
    let opt = |t: Option<&str>| t.map_or_else(|| "(none)".to_owned(), |t| format!("{t:?}"));
    match change {
        Change::Added => "added".to_owned(),
        Change::Retired => "retired (its history is kept)".to_owned(),
        Change::Retitled { from, to } => {
            format!("re-worded: {:?} → {:?}", from.as_str(), to.as_str())
        }
        Change::Redescribed { from, to } => format!(
            "description changed: {} → {}",
            opt(from.as_ref().map(|d| d.as_str())),
            opt(to.as_ref().map(|d| d.as_str()))
        ),
        Change::Recoded { from, to } => format!(
            "code changed: {} → {}",
            opt(from.as_ref().map(|c| c.as_str())),
            opt(to.as_ref().map(|c| c.as_str()))
        ),
        Change::Reparented { from, to } => {
            format!("moved: from under {} to under {}", parent(from), parent(to))
        }
        Change::Releveled { from, to } => format!("level: {} → {}", level(*from), level(*to)),
        Change::MeasureAdded { key } => format!("measure added: {}", key.as_str()),
        Change::MeasureRemoved { key } => format!("measure removed: {}", key.as_str()),
    }
}
