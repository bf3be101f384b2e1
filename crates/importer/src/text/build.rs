//! Building the plan tree from the document's lines: items under the chosen
//! scheme, the lists directly beneath them and flattened initiative tables,
//! each item built once however often the document repeats it.

use super::items;
use super::lines::{Line, collapse};
use super::scheme::{ItemLine, Scheme, Template, parent_code};
use super::similar::{fold, similar, similar_folded};
use super::table::{horizon_label, split_items};
use super::wording::{
    extend_title, first_sentence, is_capitals, join_wrapped, list_number, may_be_several,
};
use crate::{RawNode, Warning};
use lodestar_domain::Horizon;
use std::collections::HashMap;

/// A node being built.
#[derive(Debug, Default)]
struct Node {
    level: usize,
    code: Option<String>,
    title: String,
    line: u32,
    /// Other spellings of the title seen (contents, overviews), for casing.
    spellings: Vec<String>,
    /// Paragraphs of prose beneath it.
    description: Vec<String>,
    /// The line where the description's last paragraph ends.
    description_line: u32,
    horizon: Option<Horizon>,
    children: Vec<usize>,
    from_list: bool,
    /// Cut from a table row that may have held several initiatives.
    from_row: bool,
    dropped: bool,
}

/// A table row waiting for its horizon.
struct Row {
    horizon: Option<Horizon>,
    text: String,
    line: u32,
    continues: bool,
    /// A list item: one initiative, never split.
    whole: bool,
}

/// The most items a document may hold; far above any real plan (a federal
/// portfolio holds a few thousand initiatives per plan).
pub const MAX_ITEMS: usize = 50_000;

/// What the builder found: the tree and the level names tables gave.
pub struct Built {
    /// More than [`MAX_ITEMS`] items were found; the rest were not read.
    pub too_many: bool,
    /// The top-level nodes.
    pub nodes: Vec<RawNode>,
    /// The name of the level below the deepest item level, from a table's header.
    pub list_level_name: Option<String>,
    /// Labels as printed, by level.
    pub labels: Vec<String>,
}

/// Walks the lines and builds the tree.
pub fn build(lines: &[Line], scheme: &Scheme, warnings: &mut Vec<Warning>) -> Built {
    let mut b = Builder {
        scheme,
        nodes: Vec::new(),
        roots: Vec::new(),
        path: Vec::new(),
        by_code: HashMap::new(),
        by_title: HashMap::new(),
        list_parent: None,
        prose_since_item: false,
        table: None,
        rows: Vec::new(),
        last_bullet: None,
        contents: Vec::new(),
        list_level_name: None,
        labels: Vec::new(),
        section_open: true,
        section_heading: 0,
        candidate: None,
        in_group: false,
        in_actions: false,
        last_bullet_line: 0,
        last_heading: None,
        items_placed: 0,
        last_list: None,
        bullets: Vec::new(),
        list_ordinal: None,
        warnings,
    };
    for line in lines {
        b.line(line);
    }
    b.close_table();
    b.finish()
}

struct Builder<'a> {
    scheme: &'a Scheme,
    nodes: Vec<Node>,
    roots: Vec<usize>,
    /// The current node at each level.
    path: Vec<usize>,
    by_code: HashMap<(usize, String), usize>,
    /// Unnumbered items by parent and folded title.
    by_title: HashMap<(Option<usize>, String), usize>,
    /// The node whose list items directly follow.
    list_parent: Option<usize>,
    prose_since_item: bool,
    /// The node whose initiative table is open.
    table: Option<usize>,
    rows: Vec<Row>,
    /// The last list item, which indented lines continue.
    last_bullet: Option<usize>,
    /// Titles printed in a table of contents.
    contents: Vec<(u32, String)>,
    list_level_name: Option<String>,
    labels: Vec<String>,
    /// Under the roman scheme: whether the current section holds plan items.
    section_open: bool,
    section_heading: u8,
    /// Under the template scheme: the last plain heading, which becomes an
    /// item when the template's first sub-section follows it.
    candidate: Option<(String, u32)>,
    in_group: bool,
    in_actions: bool,
    /// The line where the last list item ends.
    last_bullet_line: u32,
    /// A heading since the last item that is not an item itself: the title of
    /// an unnumbered parent whose number only its children imply.
    last_heading: Option<(String, u32)>,
    /// How many items have been placed so far.
    items_placed: usize,
    /// The last table's parent, its rows' items, and `items_placed` then.
    last_list: Option<(usize, Vec<usize>, usize)>,
    /// The open list items of the current list, by indentation, outermost first.
    bullets: Vec<(usize, usize)>,
    /// The number of the last numbered list item: a numbered line is a list
    /// item only when it starts a list or follows that number (a lone `4.`
    /// is a footnote).
    list_ordinal: Option<u32>,
    warnings: &'a mut Vec<Warning>,
}

/// What a table beneath an item lists: the plan's lowest level.
const LIST_NOUNS: &[&str] = &[
    "initiative",
    "action",
    "project",
    "activity",
    "commitment",
    "deliverable",
    "task",
    "milestone",
];

/// Section titles that are front or back matter, never plan items.
const NOT_PLAN_SECTIONS: &[&str] = &[
    "introduction",
    "overview",
    "summary",
    "at a glance",
    "conclusion",
    "background",
    "appendix",
    "annex",
    "glossary",
    "references",
    "contents",
    "foreword",
    "acknowledg",
    "about this",
    "message from",
    "next steps",
    "endnotes",
    "footnotes",
];

fn is_front_or_back_matter(title: &str) -> bool {
    let lower = title.to_lowercase();
    NOT_PLAN_SECTIONS.iter().any(|s| lower.contains(s))
}

impl Builder<'_> {
    fn line(&mut self, line: &Line) {
        if line.blank || self.nodes.len() >= MAX_ITEMS {
            return;
        }
        if let Scheme::Template(template) = self.scheme
            && self.template_line(template, line)
        {
            return;
        }
        if !line.bullet
            && line.heading == 0
            && self.table.is_none()
            && list_number(&line.text).is_none()
            && let Some(last) = self.last_bullet
            && line.no == self.last_bullet_line + 1
        {
            let node = &mut self.nodes[last];
            extend_title(&mut node.title, &line.text);
            self.last_bullet_line = line.no;
            return;
        }
        if let Some(item) = self.scheme.item(line) {
            self.item(line, item);
            return;
        }
        if matches!(self.scheme, Scheme::Roman) && line.heading > 0 {
            self.roman_subheading(line);
            return;
        }
        if line.indented
            && !line.bullet
            && list_number(&line.text).is_none()
            && let Some(last) = self.last_bullet
            && !self.prose_since_item
        {
            let node = &mut self.nodes[last];
            extend_title(&mut node.title, &line.text);
            self.last_bullet_line = line.no;
            return;
        }
        if let Some(parent) = self.table_header(line) {
            self.close_table();
            self.second_list_in_a_row(parent);
            self.table = Some(parent);
            return;
        }
        if let Some((horizon, rest)) = horizon_label(&line.text)
            && let Some(parent) = self.table.or_else(|| self.deepest())
        {
            if self.table.is_none() {
                self.table = Some(parent);
            }
            self.rows.push(Row {
                horizon: Some(horizon),
                text: rest.to_owned(),
                line: line.no,
                continues: rest.starts_with(|c: char| c.is_lowercase()),
                whole: false,
            });
            return;
        }
        if self.table.is_some() {
            let wrapped = self.rows.last().is_some_and(|r| r.line + 1 == line.no)
                && line.text.starts_with(|c: char| c.is_lowercase());
            if line.indented || line.bullet || line.cells.len() > 1 || wrapped {
                let continues = !line.bullet && line.text.starts_with(|c: char| c.is_lowercase());
                self.rows.push(Row {
                    horizon: None,
                    text: line.text.clone(),
                    line: line.no,
                    continues,
                    whole: line.bullet,
                });
                return;
            }
            self.close_table();
        }
        if line.bullet {
            self.bullet(line, &line.text);
            return;
        }
        if !matches!(self.scheme, Scheme::Numbered)
            && self.list_parent.is_some()
            && !self.prose_since_item
            && let Some((ordinal, text)) = list_number(&line.text)
            && (ordinal == 1 || self.list_ordinal.is_some_and(|n| n + 1 == ordinal))
        {
            self.list_ordinal = Some(ordinal);
            self.bullet(line, text);
            return;
        }
        self.last_bullet = None;
        if line.heading > 0 || (line.is_capitals() && line.words() <= 12) {
            self.last_heading = Some((line.text.clone(), line.no));
        }
        if line.heading > 0 {
            self.list_parent = None;
            self.prose_since_item = true;
            return;
        }
        let lead_in = line.text.ends_with(':') && line.words() <= 15;
        if !lead_in && !self.repeats_current_title(line) {
            self.prose_since_item = true;
            if let Some(&current) = self.path.last()
                && !line.toc
            {
                let node = &mut self.nodes[current];
                if node.description.iter().map(String::len).sum::<usize>() < 4000 {
                    match node.description.last_mut() {
                        Some(last) if node.description_line + 1 == line.no => {
                            *last = join_wrapped(last, &line.text);
                        }
                        _ => node.description.push(line.text.clone()),
                    }
                    node.description_line = line.no;
                }
            }
        }
    }

    fn item(&mut self, line: &Line, item: ItemLine) {
        self.close_table();
        self.last_bullet = None;
        if line.toc {
            self.contents.push((line.no, item.title));
            return;
        }
        if matches!(self.scheme, Scheme::Roman) {
            self.section_open = !is_front_or_back_matter(&item.title);
            self.section_heading = line.heading;
            if !self.section_open {
                self.list_parent = None;
                self.path.clear();
                return;
            }
        }
        if let Some(label) = item.label.clone() {
            while self.labels.len() <= item.level {
                self.labels.push(String::new());
            }
            let known = &self.labels[item.level];
            if known.is_empty()
                || (known.chars().all(|c| !c.is_lowercase())
                    && label.chars().any(char::is_lowercase))
            {
                self.labels[item.level] = label;
            }
        }
        let idx = self.place(item, line);
        self.list_parent = Some(idx);
        self.prose_since_item = false;
        self.last_heading = None;
    }

    /// Finds the node this item repeats, or makes a new one, and makes it current.
    fn place(&mut self, item: ItemLine, line: &Line) -> usize {
        let ItemLine {
            level, code, title, ..
        } = item;
        let existing = match &code {
            Some(c) => self.by_code.get(&(level, c.clone())).copied(),
            None => {
                let parent = level.checked_sub(1).and_then(|l| self.path.get(l).copied());
                self.by_title.get(&(parent, fold(&title))).copied()
            }
        };
        let idx = match existing {
            Some(idx) => {
                let node = &mut self.nodes[idx];
                let old = std::mem::replace(&mut node.title, title);
                node.spellings.push(old);
                node.line = line.no;
                node.description.clear();
                idx
            }
            None => {
                let parent = if level == 0 {
                    None
                } else {
                    let by_code = code.as_deref().and_then(|c| {
                        let p = parent_code(c);
                        (p != c)
                            .then(|| self.by_code.get(&(level - 1, p.to_owned())).copied())
                            .flatten()
                    });
                    match (by_code, code.as_deref()) {
                        (Some(p), _) => Some(p),
                        (None, Some(c)) if parent_code(c) != c => {
                            Some(self.placeholder(level - 1, parent_code(c), line.no))
                        }
                        (None, _) => self.path.get(level - 1).copied(),
                    }
                };
                let idx = self.nodes.len();
                self.nodes.push(Node {
                    level,
                    code: code.clone(),
                    title,
                    line: line.no,
                    ..Node::default()
                });
                match parent {
                    Some(p) => self.nodes[p].children.push(idx),
                    None => {
                        if level > 0 {
                            self.warnings.push(Warning::at(
                                line.no,
                                "this item has no parent item above it; it was placed at the top level",
                            ));
                            self.nodes[idx].level = 0;
                        }
                        self.roots.push(idx);
                    }
                }
                match code {
                    Some(c) => {
                        self.by_code.insert((level, c), idx);
                    }
                    None => {
                        let parent = level.checked_sub(1).and_then(|l| self.path.get(l).copied());
                        let key = (parent, fold(&self.nodes[idx].title));
                        self.by_title.insert(key, idx);
                    }
                }
                idx
            }
        };
        self.items_placed += 1;
        let level = self.nodes[idx].level;
        self.path.truncate(level);
        while self.path.len() < level {
            self.path.push(idx);
        }
        self.path.push(idx);
        idx
    }

    /// A parent known only by its number so far (`1` for `1.1` when the
    /// document's `1.` line is damaged); a later line with that number names it.
    fn placeholder(&mut self, level: usize, code: &str, line: u32) -> usize {
        let parent = if level == 0 {
            None
        } else if parent_code(code) != code {
            Some(self.placeholder(level - 1, parent_code(code), line))
        } else {
            self.path.get(level - 1).copied()
        };
        if let Some(&idx) = self.by_code.get(&(level, code.to_owned())) {
            return idx;
        }
        let (title, line) = match self.last_heading.take() {
            Some((heading, at)) if level == 0 => (heading, at),
            _ => (String::new(), line),
        };
        let idx = self.nodes.len();
        self.nodes.push(Node {
            level,
            code: Some(code.to_owned()),
            title,
            line,
            ..Node::default()
        });
        match parent {
            Some(p) => self.nodes[p].children.push(idx),
            None => self.roots.push(idx),
        }
        self.by_code.insert((level, code.to_owned()), idx);
        idx
    }

    fn deepest(&self) -> Option<usize> {
        self.path.last().copied()
    }

    /// A sub-heading inside a roman-numbered section is an item one level down.
    fn roman_subheading(&mut self, line: &Line) {
        self.close_table();
        if line.heading <= self.section_heading || self.section_heading == 0 {
            self.section_open = false;
            self.path.clear();
            self.list_parent = None;
            return;
        }
        if !self.section_open || line.heading != self.section_heading + 1 || self.path.is_empty() {
            self.prose_since_item = true;
            return;
        }
        let title = line.text.clone();
        self.path.truncate(1);
        let idx = self.place(
            ItemLine {
                level: 1,
                code: None,
                title,
                label: None,
            },
            line,
        );
        self.list_parent = Some(idx);
        self.prose_since_item = false;
    }

    /// Prose that only repeats the current item's own title (a heading's
    /// second sentence printed again below it) is not a paragraph of its own.
    fn repeats_current_title(&self, line: &Line) -> bool {
        let Some(&current) = self.path.last() else {
            return false;
        };
        let text = fold(&line.text);
        text.len() >= 12 && fold(&self.nodes[current].title).contains(&text)
    }

    /// `Key Initiatives`, `Actions`: a short line naming the level of the rows below.
    fn table_header(&mut self, line: &Line) -> Option<usize> {
        if line.words() > 3 || line.toc || line.bullet || !line.text.starts_with(char::is_uppercase)
        {
            return None;
        }
        let text = line.text.trim_end_matches(':');
        let name = items::noun_in(text)?;
        let lower = name.to_lowercase();
        if !LIST_NOUNS.iter().any(|n| lower.ends_with(n)) {
            return None;
        }
        if !text.to_lowercase().ends_with('s') {
            return None;
        }
        let parent = self.deepest()?;
        let name = name.strip_prefix("Key ").map(str::to_owned).unwrap_or(name);
        let mut chars = name.chars();
        let name: String = chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        self.list_level_name.get_or_insert(name);
        Some(parent)
    }

    /// Headings and lists under the template scheme; false for lines it leaves
    /// to the general rules.
    fn template_line(&mut self, template: &Template, line: &Line) -> bool {
        if line.heading > 0 {
            self.close_table();
            self.last_bullet = None;
            let folded = super::scheme::fold(&line.text);
            if template.sections.contains(&folded) {
                if folded == template.first {
                    self.in_group = false;
                    if let Some((title, no)) = self.candidate.take() {
                        let item = ItemLine {
                            level: 0,
                            code: None,
                            title,
                            label: None,
                        };
                        let at = Line { no, ..line.clone() };
                        self.place(item, &at);
                        self.in_group = true;
                    }
                }
                self.in_actions = self.in_group && folded == template.actions;
                self.path.truncate(1);
                self.list_parent = None;
                self.prose_since_item = true;
            } else if self.in_actions && !self.path.is_empty() {
                self.path.truncate(1);
                let item = ItemLine {
                    level: 1,
                    code: None,
                    title: line.text.clone(),
                    label: None,
                };
                let idx = self.place(item, line);
                self.list_parent = Some(idx);
                self.prose_since_item = false;
            } else {
                self.candidate = Some((line.text.clone(), line.no));
                self.in_actions = false;
                self.list_parent = None;
                self.prose_since_item = true;
            }
            return true;
        }
        if !self.in_actions {
            return false;
        }
        if line.text.ends_with(':') && self.path.len() == 1 && !line.bullet {
            let item = ItemLine {
                level: 1,
                code: None,
                title: line.text.trim_end_matches(':').to_owned(),
                label: None,
            };
            let idx = self.place(item, line);
            self.list_parent = Some(idx);
            return true;
        }
        if (line.bullet || line.quote) && self.path.len() > 1 {
            self.prose_since_item = false;
            self.bullet(line, &line.text);
            return true;
        }
        false
    }

    /// A list item under the item the list follows, or, when it is indented
    /// deeper than the list item before it, under that one.
    fn bullet(&mut self, line: &Line, text: &str) {
        let Some(list_parent) = self.list_parent.filter(|_| !self.prose_since_item) else {
            self.last_bullet = None;
            return;
        };
        if self
            .bullets
            .first()
            .is_some_and(|&(_, first)| self.nodes[first].line < self.nodes[list_parent].line)
        {
            self.bullets.clear();
        }
        while self
            .bullets
            .last()
            .is_some_and(|&(indent, _)| indent >= line.indent)
        {
            self.bullets.pop();
        }
        let parent = self.bullets.last().map_or(list_parent, |&(_, idx)| idx);
        let level = self.nodes[parent].level + 1;
        let idx = self.nodes.len();
        self.nodes.push(Node {
            level,
            title: text.to_owned(),
            line: line.no,
            from_list: true,
            ..Node::default()
        });
        self.nodes[parent].children.push(idx);
        self.bullets.push((line.indent, idx));
        self.last_bullet = Some(idx);
        self.last_bullet_line = line.no;
    }

    /// Turns the rows of the open table into items with horizons.
    fn close_table(&mut self) {
        let Some(parent) = self.table.take() else {
            return;
        };
        let rows = std::mem::take(&mut self.rows);
        let first = rows.iter().find_map(|r| r.horizon);
        let mut current = first;
        let mut made: Vec<usize> = Vec::new();
        for row in rows {
            if row.horizon.is_some() {
                current = row.horizon;
            }
            let pieces = if row.whole {
                vec![row.text.clone()]
            } else {
                split_items(&row.text)
            };
            for (k, piece) in pieces.into_iter().enumerate() {
                let continues = k == 0 && row.continues;
                if continues && let Some(&last) = made.last() {
                    let node = &mut self.nodes[last];
                    extend_title(&mut node.title, &piece);
                    continue;
                }
                let idx = self.nodes.len();
                self.nodes.push(Node {
                    level: self.nodes[parent].level + 1,
                    title: piece,
                    line: row.line,
                    horizon: current,
                    from_list: true,
                    from_row: !row.whole,
                    ..Node::default()
                });
                self.nodes[parent].children.push(idx);
                made.push(idx);
            }
        }
        if !made.is_empty() {
            self.last_list = Some((parent, made, self.items_placed));
        }
        self.prose_since_item = true;
    }

    /// Two-column layouts print two items' prose, then both their lists:
    /// when a second list follows the first with no item between them and
    /// the item before has no list of its own, the first list was that item's.
    fn second_list_in_a_row(&mut self, parent: usize) {
        let Some((owner, made, placed)) = self.last_list.take() else {
            return;
        };
        if owner != parent || placed != self.items_placed {
            return;
        }
        let level = self.nodes[parent].level;
        let siblings = if level == 0 {
            self.roots.clone()
        } else {
            self.path
                .get(level - 1)
                .map(|&p| self.nodes[p].children.clone())
                .unwrap_or_default()
        };
        let Some(at) = siblings.iter().position(|&s| s == parent) else {
            return;
        };
        let Some(&previous) = at.checked_sub(1).and_then(|i| siblings.get(i)) else {
            return;
        };
        if !self.nodes[previous].children.is_empty() {
            return;
        }
        self.nodes[parent].children.retain(|c| !made.contains(c));
        self.nodes[previous].children.extend(&made);
        if let Some(&first) = made.first() {
            let line = self.nodes[first].line;
            self.warnings.push(Warning::at(
                line,
                format!(
                    "two lists follow two items' text (a two-column page); this one was given to {:?}, the next to {:?}",
                    self.nodes[previous].title, self.nodes[parent].title
                ),
            ));
        }
    }

    fn finish(mut self) -> Built {
        self.drop_lists_beside_numbered_items();
        if matches!(self.scheme, Scheme::Numbered) {
            self.drop_childless_top_items();
        }
        self.cross_check_contents();
        let roots = std::mem::take(&mut self.roots);
        let mut out = Vec::new();
        for r in roots {
            if let Some(node) = self.raw(r) {
                out.push(node);
            }
        }
        Built {
            too_many: self.nodes.len() >= MAX_ITEMS,
            nodes: out,
            list_level_name: self.list_level_name,
            labels: self.labels,
        }
    }

    /// A list that sits beside numbered children (an overview's leftovers) is not items.
    fn drop_lists_beside_numbered_items(&mut self) {
        for i in 0..self.nodes.len() {
            let children = self.nodes[i].children.clone();
            let numbered = children.iter().any(|&c| !self.nodes[c].from_list);
            if numbered {
                for c in children {
                    if self.nodes[c].from_list {
                        self.nodes[c].dropped = true;
                    }
                }
            }
        }
    }

    /// In a numbered plan whose top items have children, a last top item
    /// without any (a closing section such as "Strategy Execution") is not a goal.
    fn drop_childless_top_items(&mut self) {
        let with_children = self
            .roots
            .iter()
            .filter(|&&r| !self.nodes[r].children.is_empty())
            .count();
        if with_children < 2 {
            return;
        }
        while let Some(&last) = self.roots.last() {
            if !self.nodes[last].children.is_empty() {
                break;
            }
            let node = &self.nodes[last];
            self.warnings.push(Warning::at(
                node.line,
                format!(
                    "{:?} is numbered like a top-level item but has nothing beneath it, unlike the others; it was left out",
                    node.title
                ),
            ));
            self.roots.pop();
        }
    }

    /// Every contents entry should name an item of the body.
    fn cross_check_contents(&mut self) {
        let contents = std::mem::take(&mut self.contents);
        if contents.is_empty() {
            return;
        }
        let items: Vec<(usize, Vec<String>)> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.dropped && !n.from_list)
            .map(|(i, n)| {
                (
                    i,
                    std::iter::once(&n.title)
                        .chain(&n.spellings)
                        .map(|t| fold(t))
                        .collect(),
                )
            })
            .collect();
        let exact: HashMap<&str, usize> = items
            .iter()
            .map(|(i, folds)| (folds[0].as_str(), *i))
            .collect();
        let mut spellings = Vec::new();
        for (line, title) in contents {
            let folded = fold(&title);
            if let Some(&i) = exact.get(folded.as_str()) {
                spellings.push((i, title));
            } else if !items
                .iter()
                .any(|(_, folds)| folds.iter().any(|f| similar_folded(f, &folded)))
            {
                self.warnings.push(Warning::at(
                    line,
                    format!("the contents list {title:?}, but no such item was found in the body"),
                ));
            }
        }
        for (i, title) in spellings {
            self.nodes[i].spellings.push(title);
        }
    }

    fn raw(&mut self, idx: usize) -> Option<RawNode> {
        if self.nodes[idx].dropped {
            return None;
        }
        let children_idx = std::mem::take(&mut self.nodes[idx].children);
        let mut children: Vec<RawNode> = Vec::new();
        for c in children_idx {
            let Some(child) = self.raw(c) else {
                continue;
            };
            let recent = children.iter().rev().take(40);
            let twice = if children.len() < NEAR_REPEAT_CHECKED {
                recent.clone().find(|k| similar(&k.title, &child.title))
            } else {
                let folded = fold(&child.title);
                recent.clone().find(|k| fold(&k.title) == folded)
            };
            if let Some(earlier) = twice {
                let message = if fold(&earlier.title) == fold(&child.title) {
                    format!("{:?} is printed twice here; it was kept once", child.title)
                } else {
                    format!(
                        "{:?} looks like a damaged repeat of {:?}; it was left out",
                        child.title, earlier.title
                    )
                };
                self.warnings.push(Warning {
                    line: child.line,
                    message,
                });
                continue;
            }
            children.push(child);
        }
        let node = &self.nodes[idx];
        let (line, from_list, from_row, code, horizon) = (
            node.line,
            node.from_list,
            node.from_row,
            node.code.clone(),
            node.horizon,
        );
        let mut title = collapse(&node.title);
        if is_capitals(&title)
            && let Some(better) = node
                .spellings
                .iter()
                .find(|s| fold(s) == fold(&title) && !is_capitals(s))
        {
            title = collapse(better);
        }
        let mut description = node.description.join("\n\n");
        if from_list {
            let (first, rest) = first_sentence(&title);
            if !rest.is_empty() {
                description = if description.is_empty() {
                    rest.to_owned()
                } else {
                    format!("{rest}\n\n{description}")
                };
                title = first.to_owned();
            }
            self.check_list_item(&title, line, from_row);
        }
        Some(RawNode {
            code,
            title,
            description: (!description.is_empty()).then_some(description),
            horizon,
            line: Some(line),
            measures: Vec::new(),
            children,
        })
    }

    fn check_list_item(&mut self, title: &str, line: u32, from_row: bool) {
        let last = title.split_whitespace().last().unwrap_or_default();
        if title.ends_with([',', ';', '-', '–', '('])
            || ["and", "or", "of", "the", "to", "for", "with"].contains(&last)
        {
            self.warnings.push(Warning::at(
                line,
                format!("{title:?} ends mid-sentence; the text may have been cut off"),
            ));
        } else if title.split_whitespace().count() > 24 || (from_row && may_be_several(title)) {
            self.warnings.push(Warning::at(
                line,
                format!(
                    "{}… is long; it may hold several initiatives run together",
                    title
                        .split_whitespace()
                        .take(8)
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            ));
        }
    }
}

/// Beyond this many children of one item, only exact repeats are looked for.
const NEAR_REPEAT_CHECKED: usize = 2_000;
