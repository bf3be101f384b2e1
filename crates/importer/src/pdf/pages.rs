//! The page tree, flattened into the pages in reading order, each with the
//! attributes it inherits from its ancestors.

use super::document::Document;
use super::object::{Dict, Object};
use super::{Result, damaged};
use std::collections::HashSet;
use std::rc::Rc;

/// How deep the page tree may be; real trees are a few levels deep.
const MAX_TREE_DEPTH: usize = 64;

/// One page: what to draw and with which resources.
pub(super) struct Page {
    /// `/Contents`: a stream, an array of streams, or nothing.
    pub(super) contents: Option<Object>,
    /// `/Resources`, own or inherited.
    pub(super) resources: Option<Rc<Object>>,
    /// `/Rotate`, in degrees clockwise.
    pub(super) rotate: i64,
}

/// The document's pages, in order.
pub(super) fn pages(doc: &Document<'_>) -> Result<Vec<Page>> {
    let catalog = doc.catalog()?;
    let root = catalog
        .get(b"Pages".as_slice())
        .ok_or_else(|| damaged("the file is damaged: it has no page tree"))?;
    let mut pages = Vec::new();
    let mut seen = HashSet::new();
    // Nodes still to visit, last first: (node, inherited resources, inherited rotation, depth).
    let mut stack = vec![(root.clone(), None::<Rc<Object>>, 0i64, 0usize)];
    while let Some((node, resources, rotate, depth)) = stack.pop() {
        if let Object::Ref(num) = node
            && !seen.insert(num)
        {
            continue;
        }
        let Some(dict) = doc.dict(Some(&node))? else {
            return Err(missing(&node));
        };
        let resources = match dict.get(b"Resources".as_slice()) {
            Some(own) => Some(Rc::new(own.clone())),
            None => resources,
        };
        let rotate = dict
            .get(b"Rotate".as_slice())
            .and_then(Object::as_i64)
            .unwrap_or(rotate);
        match kids(doc, &dict)? {
            Some(kids) if depth < MAX_TREE_DEPTH => {
                for kid in kids.into_iter().rev() {
                    stack.push((kid, resources.clone(), rotate, depth + 1));
                }
            }
            Some(_) => return Err(damaged("the file is damaged: its page tree is too deep")),
            None => pages.push(Page {
                contents: dict.get(b"Contents".as_slice()).cloned(),
                resources,
                rotate,
            }),
        }
    }
    Ok(pages)
}

/// A node's `/Kids`, or `None` when it is a page.
fn kids(doc: &Document<'_>, dict: &Dict) -> Result<Option<Vec<Object>>> {
    let is_page = dict.get(b"Type".as_slice()).and_then(Object::as_name) == Some(b"Page");
    match dict.get(b"Kids".as_slice()) {
        Some(kids) if !is_page => match doc.resolve(kids)? {
            Object::Array(items) => Ok(Some(items)),
            _ => Ok(Some(Vec::new())),
        },
        _ => Ok(None),
    }
}

fn missing(node: &Object) -> crate::ImportError {
    match node {
        Object::Ref(num) => damaged(&format!(
            "the file is truncated or damaged: its page tree refers to object {num}, which is missing"
        )),
        _ => damaged("the file is damaged: its page tree holds something that is not a page"),
    }
}
