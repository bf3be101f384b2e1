//! Reviewing an imported draft in a form: the draft's nodes as rows in tree
//! order (so a form can name each by its place), the form as typed, and the
//! rules that turn a submitted form back into a plan document.
//!
//! The rules, stated on the review page too: a title cannot be empty; a
//! level must be one of the plan's; a node cannot sit beneath itself or
//! beneath one of its own sub-items; an item is one level below its parent,
//! so when an item moves, its level and its sub-items' levels follow the new
//! parent, and a level chosen by hand must fit the parent (a top-level item
//! may be at any level); removing an item removes the items beneath it.

use lodestar_domain::document::{NodeEntry, PlanDocument};
use lodestar_domain::{Key, LevelNames, Name, Period, ValidationError};

#[cfg(test)]
mod tests;

mod form;

pub use form::{ReviewForm, RowForm, row_field};

/// One node of a draft, as the review form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its code, if it has one.
    pub code: Option<String>,
    /// Its title as stored.
    pub title: String,
    /// Its level (0 is the top), resolved as the plan document resolves it.
    pub level: usize,
    /// The row of its parent; none for a top-level node.
    pub parent: Option<usize>,
    /// How deep it sits in the tree (0 at the top).
    pub depth: usize,
}

impl Row {
    /// "1.2 Open data": how the form names the row in lists and messages.
    pub fn label(&self) -> String {
        match &self.code {
            Some(code) => format!("{code} {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// The nodes of a document in tree order, every parent before its children.
pub fn rows(document: &PlanDocument) -> Vec<Row> {
    fn walk(levels: &LevelNames, entries: &[NodeEntry], parent: Option<usize>, out: &mut Vec<Row>) {
        for entry in entries {
            let (default, depth) = parent.map_or((0, 0), |p| (out[p].level + 1, out[p].depth + 1));
            let level = entry
                .level
                .as_ref()
                .and_then(|name| levels.index_of(name.as_str()))
                .map_or(default, usize::from);
            out.push(Row {
                code: entry.code.as_ref().map(|c| c.as_str().to_owned()),
                title: entry.title.as_str().to_owned(),
                level,
                parent,
                depth,
            });
            let me = out.len() - 1;
            walk(levels, &entry.children, Some(me), out);
        }
    }
    let mut out = Vec::new();
    walk(&document.levels, &document.nodes, None, &mut out);
    out
}

/// Applies a submitted form to the document it was drawn for: the new
/// document, or every problem found, each naming its form field.
pub fn apply(
    document: &PlanDocument,
    form: &ReviewForm,
) -> Result<PlanDocument, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let mut doc = document.clone();
    let name = |field: &str, raw: &str, errors: &mut Vec<ValidationError>| {
        if raw.trim().is_empty() {
            errors.push(ValidationError::new(field, "this cannot be empty"));
            return None;
        }
        Name::parse_field(field, raw)
            .map_err(|e| errors.push(e))
            .ok()
    };
    if let Some(n) = name("organization", &form.organization, &mut errors) {
        doc.organization.name = n;
    }
    if let Some(n) = name("title", &form.title, &mut errors) {
        doc.title = n;
    }
    match Key::parse_field("key", &form.key) {
        Ok(k) => doc.key = k,
        Err(e) => errors.push(e),
    }
    let year = |field: &str, raw: &str, errors: &mut Vec<ValidationError>| {
        raw.trim().parse::<i32>().map_err(|_| {
            errors.push(ValidationError::new(field, "enter a year, such as 2026"));
        })
    };
    if let (Ok(start), Ok(end)) = (
        year("start_year", &form.start_year, &mut errors),
        year("end_year", &form.end_year, &mut errors),
    ) {
        match Period::new(start, end) {
            Ok(p) => doc.period = p,
            Err(e) => errors.push(e),
        }
    }
    if let Some(levels) = level_names(&form.levels, &mut errors) {
        doc.levels = levels;
    }
    let stored = rows(document);
    if let Some(nodes) = tree(document, &stored, form, &doc.levels, &mut errors) {
        doc.nodes = nodes;
    }
    if errors.is_empty() {
        Ok(doc)
    } else {
        Err(errors)
    }
}

/// The level names of the form, or none with the problems (`level-2`).
fn level_names(typed: &[String], errors: &mut Vec<ValidationError>) -> Option<LevelNames> {
    let before = errors.len();
    let mut names: Vec<Name> = Vec::new();
    for (k, raw) in typed.iter().enumerate() {
        let field = format!("level-{k}");
        if raw.trim().is_empty() {
            errors.push(ValidationError::new(
                field,
                "a level name cannot be empty; to drop levels, clear the last ones",
            ));
        } else if names
            .iter()
            .any(|n| n.as_str().eq_ignore_ascii_case(raw.trim()))
        {
            errors.push(ValidationError::new(field, "another level has this name"));
        } else {
            match Name::parse_field(&field, raw) {
                Ok(n) => names.push(n),
                Err(e) => errors.push(e),
            }
        }
    }
    if errors.len() > before {
        return None;
    }
    LevelNames::new(names)
        .map_err(|m| errors.push(ValidationError::new("level-0", m)))
        .ok()
}

/// The rows rebuilt as a tree, or none with the problems of each row.
fn tree(
    document: &PlanDocument,
    stored: &[Row],
    form: &ReviewForm,
    levels: &LevelNames,
    errors: &mut Vec<ValidationError>,
) -> Option<Vec<NodeEntry>> {
    let n = stored.len();
    let before = errors.len();
    let mut parents: Vec<Option<usize>> = stored.iter().map(|r| r.parent).collect();
    let mut chosen: Vec<usize> = stored.iter().map(|r| r.level).collect();
    let mut unknown_level = vec![false; n];
    for (i, row) in form.rows.iter().enumerate().take(n) {
        match row.parent.trim() {
            "" => parents[i] = None,
            raw => match raw.parse::<usize>() {
                Ok(p) if p == i => errors.push(ValidationError::new(
                    row_field(i, "parent"),
                    "an item cannot be its own parent",
                )),
                Ok(p) if p < n => parents[i] = Some(p),
                _ => errors.push(ValidationError::new(
                    row_field(i, "parent"),
                    "choose a parent from the list",
                )),
            },
        }
        match row.level.trim().parse::<usize>() {
            Ok(l) if l < levels.len() => chosen[i] = l,
            _ => {
                unknown_level[i] = true;
                errors.push(ValidationError::new(
                    row_field(i, "level"),
                    format!("choose one of the plan's levels: {}", levels.describe()),
                ));
            }
        }
    }
    let removed = |i: usize| form.rows.get(i).is_some_and(|r| r.remove);
    let cyclic: Vec<usize> = (0..n).filter(|&i| beneath_itself(&parents, i)).collect();
    for &i in &cyclic {
        if parents[i] != stored[i].parent || cyclic.iter().all(|&j| parents[j] == stored[j].parent)
        {
            let p = parents[i].map_or_else(String::new, |p| stored[p].label());
            errors.push(ValidationError::new(
                row_field(i, "parent"),
                format!(
                    "an item cannot sit beneath itself: “{p}” is beneath “{}”",
                    stored[i].label()
                ),
            ));
        }
    }
    if !cyclic.is_empty() {
        return None;
    }
    let kept: Vec<bool> = (0..n)
        .map(|i| {
            let mut at = Some(i);
            while let Some(j) = at {
                if removed(j) {
                    return false;
                }
                at = parents[j];
            }
            true
        })
        .collect();
    let mut effective = vec![0usize; n];
    for i in order(&parents) {
        let typed = chosen[i] != stored[i].level;
        effective[i] = match parents[i] {
            None => chosen[i],
            Some(p) if typed => {
                if chosen[i] != effective[p] + 1 && kept[i] {
                    errors.push(ValidationError::new(
                        row_field(i, "level"),
                        format!(
                            "an item sits one level below its parent: under {} comes {}",
                            level_name(levels, effective[p]),
                            level_name(levels, effective[p] + 1)
                        ),
                    ));
                }
                chosen[i]
            }
            Some(p) if Some(p) == stored[i].parent && effective[p] == stored[p].level => chosen[i],
            Some(p) => effective[p] + 1,
        };
        if kept[i] && !unknown_level[i] && effective[i] >= levels.len() {
            errors.push(ValidationError::new(
                row_field(i, "level"),
                format!(
                    "too deep: the plan has {} levels ({}); move it higher or add a level",
                    levels.len(),
                    levels.describe()
                ),
            ));
        }
    }
    for (i, row) in form.rows.iter().enumerate().take(n) {
        if !kept[i] {
            continue;
        }
        let field = row_field(i, "title");
        if row.title.trim().is_empty() {
            errors.push(ValidationError::new(field, "a title cannot be empty"));
        } else if let Err(e) = Name::parse_field(&field, &row.title) {
            errors.push(e);
        }
    }
    if errors.len() > before {
        return None;
    }
    let entries = flat_entries(document);
    let build = Build {
        entries: &entries,
        form,
        parents: &parents,
        kept: &kept,
        effective: &effective,
        levels,
    };
    Some(build.children(None))
}

/// Whether following the parents from `i` comes back to `i`.
fn beneath_itself(parents: &[Option<usize>], i: usize) -> bool {
    let mut at = parents[i];
    for _ in 0..parents.len() {
        match at {
            Some(j) if j == i => return true,
            Some(j) => at = parents[j],
            None => return false,
        }
    }
    false
}

/// The rows with every parent before its children (the tree has no cycle).
fn order(parents: &[Option<usize>]) -> Vec<usize> {
    fn visit(i: usize, parents: &[Option<usize>], seen: &mut [bool], out: &mut Vec<usize>) {
        if seen[i] {
            return;
        }
        if let Some(p) = parents[i] {
            visit(p, parents, seen, out);
        }
        seen[i] = true;
        out.push(i);
    }
    let mut seen = vec![false; parents.len()];
    let mut out = Vec::with_capacity(parents.len());
    for i in 0..parents.len() {
        visit(i, parents, &mut seen, &mut out);
    }
    out
}

/// A level's name, or "level N" for one the plan does not have.
fn level_name(levels: &LevelNames, level: usize) -> String {
    u8::try_from(level)
        .ok()
        .and_then(|l| levels.name(l))
        .map_or_else(|| format!("level {}", level + 1), |n| n.as_str().to_owned())
}

/// The document's entries in row order, each without its children.
fn flat_entries(document: &PlanDocument) -> Vec<NodeEntry> {
    fn walk(entries: &[NodeEntry], out: &mut Vec<NodeEntry>) {
        for e in entries {
            out.push(NodeEntry {
                children: Vec::new(),
                ..e.clone()
            });
            walk(&e.children, out);
        }
    }
    let mut out = Vec::new();
    walk(&document.nodes, &mut out);
    out
}

/// What rebuilding the tree needs, checked already.
struct Build<'a> {
    entries: &'a [NodeEntry],
    form: &'a ReviewForm,
    parents: &'a [Option<usize>],
    kept: &'a [bool],
    effective: &'a [usize],
    levels: &'a LevelNames,
}

impl Build<'_> {
    /// The kept children of `parent`, in their original order, with their
    /// titles and levels as edited; a level that the parent implies is left
    /// unwritten, as the importer leaves it.
    fn children(&self, parent: Option<usize>) -> Vec<NodeEntry> {
        (0..self.entries.len())
            .filter(|&i| self.kept[i] && self.parents[i] == parent)
            .map(|i| {
                let implied = parent.map_or(0, |p| self.effective[p] + 1);
                let level = (self.effective[i] != implied)
                    .then(|| u8::try_from(self.effective[i]).ok())
                    .flatten()
                    .and_then(|l| self.levels.name(l).cloned());
                let mut entry = self.entries[i].clone();
                if let Ok(title) = Name::parse(&self.form.rows[i].title) {
                    entry.title = title;
                }
                entry.level = level;
                entry.children = self.children(Some(i));
                entry
            })
            .collect()
    }
}

/// For each warning's message, the row it names: the node whose title it
/// quotes (the longest such title), if any.
pub fn warning_rows<'a>(
    messages: impl IntoIterator<Item = &'a str>,
    rows: &[Row],
) -> Vec<Option<usize>> {
    messages
        .into_iter()
        .map(|m| {
            rows.iter()
                .enumerate()
                .filter(|(_, r)| !r.title.is_empty() && m.contains(&format!("\"{}\"", r.title)))
                .max_by_key(|(_, r)| r.title.len())
                .map(|(i, _)| i)
        })
        .collect()
}
