//! Reading a typeset report card back as text, for the tests of every crate
//! that produces one: `pdftotext` (Debian's poppler-utils) is the reader a
//! user's tools would be, so a check against its output is a check of what a
//! reader gets.

use std::io::Write;
use std::process::{Command, Stdio};

/// The PDF's text as `pdftotext` reads it, runs of white space made single
/// spaces; none (after a notice) when `pdftotext` is not installed, unless
/// `LODESTAR_REQUIRE_TOOLS=1` (set by .ci/run) makes that a failure.
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let child = Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            let required = std::env::var("LODESTAR_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "LODESTAR_REQUIRE_TOOLS=1 but pdftotext cannot run: {e}"
            );
            eprintln!(
                "notice: pdftotext (poppler-utils) is not installed; skipping the PDF text checks"
            );
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("pdftotext's stdin")
        .write_all(pdf)
        .expect("write the PDF to pdftotext");
    let out = child.wait_with_output().expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}
