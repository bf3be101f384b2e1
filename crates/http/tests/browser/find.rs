//! Finding what is on the page the way a person does: links and buttons by
//! their text, fields by their label, headings by their words.

use crate::harness::{Browser, PATIENCE};
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::Value;

/// An XPath string literal for `s`, whatever quotes it holds.
pub fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}

impl Browser {
    /// The first element `xpath` finds, waiting for it to appear.
    pub async fn xpath(&self, xpath: &str, what: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath))
            .await;
        match found {
            Ok(el) => el,
            Err(_) => panic!(
                "no {what} on {} ({xpath}); page says:\n{}",
                self.path().await,
                self.main_text().await
            ),
        }
    }

    /// Every element `xpath` finds now.
    pub async fn all(&self, xpath: &str) -> Vec<Element> {
        self.client.find_all(Locator::XPath(xpath)).await.unwrap()
    }

    /// The link whose visible text contains `text`.
    pub async fn link(&self, text: &str) -> Element {
        let t = xpath_literal(text);
        self.xpath(
            &format!("//a[contains(normalize-space(.), {t})]"),
            &format!("link “{text}”"),
        )
        .await
    }

    /// The button whose text (or value) contains `text`.
    pub async fn button(&self, text: &str) -> Element {
        let t = xpath_literal(text);
        let xpath = format!(
            "//button[contains(normalize-space(.), {t})] | //input[(@type='submit' or @type='button') and contains(@value, {t})]"
        );
        self.xpath(&xpath, &format!("button “{text}”")).await
    }

    /// The form control whose label starts with `label`: by `<label for>`,
    /// a wrapping `<label>`, or `aria-label`.
    pub async fn field(&self, label: &str) -> Element {
        let t = xpath_literal(label);
        let controls = ["input", "select", "textarea"];
        let mut alternatives = Vec::new();
        for c in controls {
            alternatives.push(format!(
                "//{c}[@id = //label[starts-with(normalize-space(.), {t})]/@for]"
            ));
            alternatives.push(format!(
                "//label[starts-with(normalize-space(.), {t})]//{c}"
            ));
            alternatives.push(format!("//{c}[starts-with(@aria-label, {t})]"));
        }
        self.xpath(
            &alternatives.join(" | "),
            &format!("field labelled “{label}”"),
        )
        .await
    }

    /// The heading (h1–h6) whose text contains `text`.
    pub async fn heading(&self, text: &str) -> Element {
        let t = xpath_literal(text);
        let xpath = format!(
            "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][contains(normalize-space(.), {t})]"
        );
        self.xpath(&xpath, &format!("heading “{text}”")).await
    }

    /// The text of `<main>`, as a person reads it.
    pub async fn main_text(&self) -> String {
        match self.client.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.unwrap_or_default(),
            Err(_) => self.client.source().await.unwrap_or_default(),
        }
    }

    /// The page's one `<h1>`.
    pub async fn h1(&self) -> String {
        self.xpath("//h1", "h1").await.text().await.unwrap()
    }

    /// Runs `script` with `args` in the page and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Whether any element `xpath` finds now.
    pub async fn has(&self, xpath: &str) -> bool {
        !self.all(xpath).await.is_empty()
    }
}
