//! Every reader of the importer on arbitrary bytes: the whole import (which
//! detects the kind), and each reader directly, so that the fuzzer reaches
//! PDF, Word and StratML parsing without first guessing their headers.
//! Nothing may panic, hang or exhaust memory; a draft must be a valid plan.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lodestar_importer::{ImportOptions, docx, import, pdf, stratml};

fuzz_target!(|data: &[u8]| {
    let options = ImportOptions {
        source_name: "fuzz".into(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    if let Ok(draft) = import(data, &options) {
        assert!(draft.document.validate().is_ok());
    }
    let _ = pdf::extract_text(data);
    let _ = docx::extract_text(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = stratml::read(text);
    }
});
