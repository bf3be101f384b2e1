//! The public StratML download, `/public/plans/{key}/plan.stratml.xml`, on
//! both backends: 404 until the plan is published; then, for an anonymous
//! visitor, the published goals and measures only (a withheld objective and
//! everything beneath it left out, no people, no notes), valid against the
//! StratML schemas when ../shared/standards and xmllint are there.

mod common;

use common::Server;
use reqwest::StatusCode;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Checks `xml` with `xmllint --schema`, or prints a notice when the schema
/// or xmllint is missing (xmllint missing is an error under
/// `LODESTAR_REQUIRE_TOOLS=1`, which .ci/run sets).
fn check_schema(xsd: &str, xml: &str) {
    let required = std::env::var("LODESTAR_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let dir = std::env::var_os("LODESTAR_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let schema = dir.join("standards/stratml").join(xsd);
    if !schema.is_file() {
        eprintln!(
            "notice: ../shared/standards/stratml/{xsd} not found; the schema check was skipped"
        );
        return;
    }
    let Ok(mut child) = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg("-")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        assert!(!required, "LODESTAR_REQUIRE_TOOLS=1 but xmllint cannot run");
        eprintln!("notice: xmllint not found (libxml2-utils); the schema check was skipped");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_public_stratml_holds_only_published_content() {
    for s in Server::all_with_sample_data().await {
        let plan_id = s.first_plan_id().await;
        let (_, plan) = s.get(&format!("/api/v1/plans/{plan_id}")).await;
        let key = plan["key"].as_str().unwrap().to_owned();
        let path = format!("/public/plans/{key}/plan.stratml.xml");
        let get = |query: &'static str| {
            let url = s.url(&format!("{path}{query}"));
            let client = s.anonymous.clone();
            async move {
                let res = client.get(url).send().await.unwrap();
                let kind = res.headers().get("content-type").cloned();
                (res.status(), kind, res.text().await.unwrap())
            }
        };
        assert_eq!(
            get("").await.0,
            StatusCode::NOT_FOUND,
            "{}: unpublished",
            s.backend
        );

        let published = s
            .http
            .put(s.url(&format!("/api/v1/plans/{plan_id}/publication")))
            .send()
            .await
            .unwrap();
        assert_eq!(published.status(), StatusCode::OK);
        let withheld = s.node_id("1.1").await;
        assert_eq!(
            s.delete(&format!("/api/v1/nodes/{withheld}/publication"))
                .await,
            StatusCode::OK
        );

        let (status, kind, xml) = get("").await;
        assert_eq!(status, StatusCode::OK, "{}: {xml}", s.backend);
        assert_eq!(kind.unwrap(), "application/xml; charset=utf-8");
        assert!(xml.contains("<PerformancePlanOrReport "), "{xml}");
        assert!(xml.contains("<Name>Resident-Centered Digital Services</Name>"));
        assert!(xml.contains(
            "<MeasurementDimension>Service transactions completed online</MeasurementDimension>"
        ));
        for hidden in [
            "Offer one front door to city services",
            "Redesign the city website around resident tasks",
            "City website and resident portal availability",
            "Tomás Beaulieu",
            "Public-safety servers waited",
            "@",
        ] {
            assert!(
                !xml.contains(hidden),
                "{}: {hidden:?} is not published",
                s.backend
            );
        }
        check_schema("PerformancePlanOrReport-20160506.xsd", &xml);

        let (status, _, part1) = get("?part=1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(part1.contains("<StrategicPlan ") && !part1.contains("Offer one front door"));
        check_schema("StrategicPlan-ISO17469-1-20140401.xsd", &part1);

        let (status, _, message) = get("?part=3").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(message.contains("part: must be 1 or 2"), "{message}");
    }
}
