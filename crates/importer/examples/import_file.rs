//! Prints the draft plan-as-code JSON (with warnings) of one document, for
//! scoring an import by hand: `cargo run -p lodestar-importer --example import_file -- FILE`.

#![allow(clippy::print_stdout)] // a command-line tool: its output is the point

use lodestar_importer::{ImportOptions, import};

fn main() {
    let path = std::env::args().nth(1).expect("usage: import_file FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let options = ImportOptions {
        source_name: path.clone(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    match import(&bytes, &options) {
        Ok(draft) => {
            let mut value = serde_json::to_value(&draft.document).expect("serializable");
            value["warnings"] = serde_json::to_value(&draft.warnings).expect("serializable");
            println!(
                "{}",
                serde_json::to_string_pretty(&value).expect("serializable")
            );
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
