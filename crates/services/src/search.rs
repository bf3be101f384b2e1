//! Searching plans, their nodes and their measures by words.
//!
//! Every word of the query must appear, in any order and case, in a record's
//! title, code, key or description; hits in the title rank first. Matching is
//! done here rather than in SQL so that it folds Unicode case the same way on
//! SQLite and PostgreSQL.

use crate::{App, ServiceResult};
use lodestar_domain::{Measure, Node, Plan, ValidationError};
use std::collections::HashMap;

/// The most hits of each kind returned.
pub const MAX_HITS: usize = 50;
/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// A query split into the lower-cased words that must all appear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    /// Parses what someone typed; none when it holds no word.
    pub fn parse(raw: &str) -> Result<Option<Self>, ValidationError> {
        let chars = raw.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(ValidationError::new(
                "q",
                format!("a search may be at most {MAX_QUERY_CHARS} characters, got {chars}"),
            ));
        }
        let mut words: Vec<String> = raw.split_whitespace().map(str::to_lowercase).collect();
        words.sort();
        words.dedup();
        Ok((!words.is_empty()).then_some(Self { words }))
    }

    /// How well the query matches a record: none unless every word appears
    /// in `title` or `rest`; higher when more words are in the title.
    pub fn score(&self, title: &str, rest: &[Option<&str>]) -> Option<usize> {
        let title = title.to_lowercase();
        let rest: Vec<String> = rest.iter().flatten().map(|s| s.to_lowercase()).collect();
        let mut in_title = 0;
        for word in &self.words {
            if title.contains(word.as_str()) {
                in_title += 1;
            } else if !rest.iter().any(|r| r.contains(word.as_str())) {
                return None;
            }
        }
        Some(1 + in_title)
    }

    /// `text` cut into pieces, each marked as matching a word or not, so a
    /// page can highlight the matches.
    pub fn highlight(&self, text: &str) -> Vec<(String, bool)> {
        let lower: Vec<(usize, char)> = text.char_indices().collect();
        let mut marked = vec![false; lower.len()];
        let folded: Vec<String> = lower
            .iter()
            .map(|(_, c)| c.to_lowercase().collect())
            .collect();
        for word in &self.words {
            let word: Vec<char> = word.chars().collect();
            for start in 0..folded.len() {
                let mut matched = 0;
                let mut end = start;
                while end < folded.len() && matched < word.len() {
                    let piece: Vec<char> = folded[end].chars().collect();
                    if word[matched..].starts_with(&piece) {
                        matched += piece.len();
                        end += 1;
                    } else {
                        break;
                    }
                }
                if matched == word.len() {
                    marked[start..end].iter_mut().for_each(|m| *m = true);
                }
            }
        }
        let mut pieces: Vec<(String, bool)> = Vec::new();
        for (i, (_, c)) in lower.iter().enumerate() {
            match pieces.last_mut() {
                Some((s, m)) if *m == marked[i] => s.push(*c),
                _ => pieces.push((c.to_string(), marked[i])),
            }
        }
        pieces
    }
}

/// A node that matched, with what a result list shows beside it.
#[derive(Debug, Clone)]
pub struct NodeHit {
    /// The node.
    pub node: Node,
    /// The name of its level in its plan.
    pub level_name: String,
    /// Its plan's title.
    pub plan_title: String,
}

/// A measure that matched, with the node it measures.
#[derive(Debug, Clone)]
pub struct MeasureHit {
    /// The measure.
    pub measure: Measure,
    /// The title of the node it measures.
    pub node_title: String,
    /// Its plan's title.
    pub plan_title: String,
}

/// What a search found, best first, at most [`MAX_HITS`] of each kind.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// Plans whose title, key, vision or mission matched.
    pub plans: Vec<Plan>,
    /// Nodes whose title, code or description matched.
    pub nodes: Vec<NodeHit>,
    /// Measures whose name, key or description matched.
    pub measures: Vec<MeasureHit>,
    /// Whether a kind had more hits than were kept.
    pub truncated: bool,
}

/// Keeps the best [`MAX_HITS`] of scored hits, best first, stable otherwise.
fn best<T>(mut hits: Vec<(usize, T)>, truncated: &mut bool) -> Vec<T> {
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    if hits.len() > MAX_HITS {
        *truncated = true;
        hits.truncate(MAX_HITS);
    }
    hits.into_iter().map(|(_, t)| t).collect()
}

impl App {
    /// Every plan, node and measure that matches `query`, in all plans.
    pub async fn search(&self, query: &Query) -> ServiceResult<SearchResults> {
        let plans = self.store().list_plans().await?;
        let mut plan_hits = Vec::new();
        let mut node_hits = Vec::new();
        let mut measure_hits = Vec::new();
        for plan in &plans {
            if let Some(score) = query.score(
                plan.title.as_str(),
                &[
                    Some(plan.key.as_str()),
                    plan.vision.as_ref().map(|v| v.as_str()),
                    plan.mission.as_ref().map(|m| m.as_str()),
                ],
            ) {
                plan_hits.push((score, plan.clone()));
            }
            let nodes = self.store().plan_nodes(plan.id).await?;
            let titles: HashMap<_, _> = nodes.iter().map(|n| (n.id, n.title.as_str())).collect();
            for m in self.store().plan_measures(plan.id).await? {
                let rest = [
                    Some(m.key.as_str()),
                    m.description.as_ref().map(|d| d.as_str()),
                ];
                if let Some(score) = query.score(m.name.as_str(), &rest) {
                    let hit = MeasureHit {
                        node_title: titles.get(&m.node_id).copied().unwrap_or("").to_owned(),
                        plan_title: plan.title.to_string(),
                        measure: m,
                    };
                    measure_hits.push((score, hit));
                }
            }
            node_hits.extend(nodes_matching(query, plan, nodes));
        }
        let mut truncated = false;
        Ok(SearchResults {
            plans: best(plan_hits, &mut truncated),
            nodes: best(node_hits, &mut truncated),
            measures: best(measure_hits, &mut truncated),
            truncated,
        })
    }
}

/// A plan's nodes that match, scored, in tree order within a score.
fn nodes_matching(query: &Query, plan: &Plan, mut nodes: Vec<Node>) -> Vec<(usize, NodeHit)> {
    nodes.sort_by_key(|n| (n.level, n.position, n.id));
    nodes
        .into_iter()
        .filter_map(|n| {
            let rest = [
                n.code.as_ref().map(|c| c.as_str()),
                n.description.as_ref().map(|d| d.as_str()),
            ];
            let score = query.score(n.title.as_str(), &rest)?;
            Some((
                score,
                NodeHit {
                    level_name: plan
                        .levels
                        .name(n.level)
                        .map_or_else(|| format!("Level {}", n.level + 1), ToString::to_string),
                    plan_title: plan.title.to_string(),
                    node: n,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(raw: &str) -> Query {
        Query::parse(raw).unwrap().unwrap()
    }

    #[test]
    fn a_query_of_blanks_asks_for_nothing() {
        assert_eq!(Query::parse("  \t ").unwrap(), None);
    }

    #[test]
    fn an_overlong_query_is_refused_with_its_length() {
        let err = Query::parse(&"x".repeat(MAX_QUERY_CHARS + 1)).unwrap_err();
        assert_eq!(err.field, "q");
        assert!(err.message.contains("201"), "{}", err.message);
    }

    #[test]
    fn every_word_must_appear_in_any_case_and_order() {
        let query = q("Cloud SERVICES");
        assert!(query.score("Move services to the cloud", &[]).is_some());
        assert!(
            query
                .score("Move services", &[Some("on the Cloud")])
                .is_some()
        );
        assert_eq!(query.score("Move services", &[None]), None);
    }

    #[test]
    fn words_in_the_title_rank_higher_than_in_the_description() {
        let query = q("cloud");
        let title = query.score("Cloud first", &[]).unwrap();
        let description = query.score("Hosting", &[Some("cloud first")]).unwrap();
        assert!(title > description);
    }

    #[test]
    fn case_folds_beyond_ascii() {
        assert!(q("ÉCOLE").score("Une école numérique", &[]).is_some());
    }

    #[test]
    fn highlight_marks_each_match_and_keeps_the_text() {
        let pieces = q("data").highlight("Open Data and data.json");
        let text: String = pieces.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(text, "Open Data and data.json");
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|(_, m)| *m)
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(marked, ["Data", "data"]);
    }

    #[test]
    fn highlight_without_a_match_is_one_plain_piece() {
        assert_eq!(
            q("zzz").highlight("Open data"),
            vec![("Open data".to_owned(), false)]
        );
    }

    #[test]
    fn only_the_best_hits_are_kept_and_the_cut_is_reported() {
        let mut truncated = false;
        let hits: Vec<(usize, usize)> = (0..MAX_HITS + 5).map(|i| (i % 3, i)).collect();
        let kept = best(hits, &mut truncated);
        assert!(truncated);
        assert_eq!(kept.len(), MAX_HITS);
        assert!(kept.iter().take(10).all(|i| i % 3 == 2));
    }
}
