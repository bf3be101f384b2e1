//! The rows of the downloads, from a published plan built in place.

use super::fixture;
use super::*;
use serde_json::{Value, json};

#[test]
fn a_node_row_names_its_parent_level_and_status() {
    let table = nodes_table(&fixture::plan());
    assert_eq!(table.columns, NODE_COLUMNS);
    let json = table.to_json();
    assert_eq!(json[1]["plan_key"], "city-it");
    assert_eq!(json[1]["parent_code"], "1");
    assert_eq!(json[1]["parent_node_id"], 1);
    assert_eq!(json[1]["level_name"], "Objective");
    assert_eq!(json[1]["status"], "at-risk");
    assert_eq!(json[1]["progress_percent"], 40.0);
    assert_eq!(json[0]["parent_code"], Value::Null);
    assert_eq!(json[0]["start_date"], "2025-01-01");
    assert_eq!(json[0]["due_date"], Value::Null);
    let text = String::from_utf8(table.to_csv().unwrap()).unwrap();
    assert!(text.starts_with(&(NODE_COLUMNS.join(",") + "\r\n")));
    assert!(text.contains("\"Line one, \"\"quoted\"\"\nline two\""));
}

#[test]
fn a_parent_that_is_not_published_is_left_blank() {
    let mut plan = fixture::plan();
    plan.nodes.remove(0);
    let json = nodes_table(&plan).to_json();
    assert_eq!(json[0]["parent_code"], Value::Null);
    assert_eq!(json[0]["parent_node_id"], Value::Null);
}

#[test]
fn a_measure_row_has_its_final_target_and_latest_value() {
    let json = measures_table(&fixture::plan()).to_json();
    assert_eq!(json[0]["measure_key"], "uptime");
    assert_eq!(json[0]["target_value"], 99.9);
    assert_eq!(json[0]["target_period"], Value::Null);
    assert_eq!(json[0]["latest_value"], 99.95);
    assert_eq!(json[0]["latest_period"], "2026-Q2");
    assert_eq!(json[0]["health"], "green");
    assert_eq!(json[0]["node_code"], "1.1");
    assert_eq!(json[0]["baseline_date"], "2024-12-31");
    assert_eq!(json[0]["calculated"], false);
    assert_eq!(json[0]["threshold_basis"], "percent-of-target");
    assert_eq!(json[1]["target_value"], Value::Null);
    assert_eq!(json[1]["target_low"], -5.0);
    assert_eq!(json[1]["target_high"], 5.0);
    assert_eq!(json[1]["target_period"], "2026");
    assert_eq!(json[1]["health"], Value::Null);
}

#[test]
fn observations_are_by_measure_and_period_with_the_periods_days() {
    let table = observations_table(&fixture::plan());
    let json = table.to_json();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["period"], "2026-Q1");
    assert_eq!(json[0]["period_start"], "2026-01-01");
    assert_eq!(json[0]["period_end"], "2026-03-31");
    assert_eq!(json[1]["source"], "Monitoring, weekly");
    assert_eq!(json[2]["measure_key"], "budget");
    assert_eq!(
        json[2]["value"],
        Value::Null,
        "a calculated value may be missing"
    );
    let text = String::from_utf8(table.to_csv().unwrap()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], OBSERVATION_COLUMNS.join(","));
    assert_eq!(
        lines[2],
        "city-it,uptime,2026-Q2,2026-04-01,2026-06-30,99.95,2026-07-03,\"Monitoring, weekly\""
    );
    assert_eq!(lines[3], "city-it,budget,2026,2026-01-01,2026-12-31,,,");
}

#[test]
fn every_kind_names_its_columns() {
    assert_eq!(Kind::Nodes.columns(), NODE_COLUMNS);
    assert_eq!(Kind::Observations.columns(), OBSERVATION_COLUMNS);
    let all: Vec<&str> = Kind::ALL
        .iter()
        .flat_map(|k| k.columns().iter().copied())
        .collect();
    assert!(
        all.iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
    );
    assert_eq!(json!(Format::Csv.media_type()), "text/csv");
}
