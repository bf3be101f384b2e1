//! Pages whose content is the same for every viewer and expensive at scale
//! (a plan's dashboard, the portfolio ranking): the content is rendered once,
//! kept by [`App::memoized`] until the data or the day changes, and framed
//! for each request with the viewer's own chrome (name, menus, form token).

use super::error::render;
use super::{Chrome, PageError};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lodestar_services::App;
use lodestar_services::memo::Memoizable;
use std::future::Future;
use std::sync::Arc;

/// Rendered content as kept.
#[derive(Clone)]
pub(crate) struct Content {
    /// 200, or 400 for content that reports a bad query beside its form.
    pub status: StatusCode,
    /// The document's title.
    pub title: Arc<str>,
    /// What the frame names (the plan for its navigation).
    pub subject: Arc<str>,
    /// The HTML inside `<main>`.
    pub body: Arc<str>,
}

impl Content {
    /// Content with this status, title, subject and body.
    pub fn new(status: StatusCode, title: String, subject: String, body: String) -> Self {
        Self {
            status,
            title: title.into(),
            subject: subject.into(),
            body: body.into(),
        }
    }
}

impl Memoizable for Content {
    fn weight(&self) -> usize {
        self.title.len() + self.subject.len() + self.body.len()
    }
}

/// The viewer's frame around kept content.
#[derive(Template)]
#[template(path = "kept.html")]
struct Framed<'a> {
    chrome: Chrome,
    title: &'a str,
    body: &'a str,
}

/// The page for `key`: the kept content, or the one `build` renders, framed by
/// the chrome `frame` draws for this viewer from the content's subject.
pub(crate) async fn page<B>(
    app: &App,
    key: &str,
    frame: impl FnOnce(&str) -> Chrome,
    build: B,
) -> Result<Response, PageError>
where
    B: Future<Output = Result<Content, PageError>>,
{
    let content = app.memoized(key, build).await?;
    let page = Framed {
        chrome: frame(&content.subject),
        title: &content.title,
        body: &content.body,
    };
    Ok((content.status, render(&page)?).into_response())
}
