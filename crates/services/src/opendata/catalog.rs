//! The `/data.json` catalog in the DCAT-US 1.1 (Project Open Data v1.1)
//! schema: one dataset per published plan, with a CSV and a JSON
//! distribution for each of its nodes, measures and observations, so that a
//! city's open data portal can harvest them.

use super::{Format, Kind, OpenDataSettings};
use crate::publication::PublicPlan;
use serde_json::{Value, json};

/// The schema version `conformsTo` names.
pub const CONFORMS_TO: &str = "https://project-open-data.cio.gov/v1.1/schema";
/// The JSON Schema of the catalog, for `describedBy`.
pub const DESCRIBED_BY: &str = "https://project-open-data.cio.gov/v1.1/schema/catalog.json";
/// The JSON-LD context of the catalog.
pub const CONTEXT: &str = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld";

/// The catalog, with every URL under `base` (`https://plans.example.gov`,
/// no trailing slash).
pub fn catalog(base: &str, settings: &OpenDataSettings, plans: &[PublicPlan]) -> Value {
    json!({
        "@context": CONTEXT,
        "@id": format!("{base}/data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": DESCRIBED_BY,
        "dataset": plans.iter().map(|p| dataset(base, settings, p)).collect::<Vec<_>>(),
    })
}

/// The address of one download of a plan.
pub fn download_url(base: &str, plan_key: &str, kind: Kind, format: Format) -> String {
    format!(
        "{base}/public/plans/{plan_key}/{}.{}",
        kind.file_stem(),
        format.extension()
    )
}

/// The contact address: the configured one, else `webmaster@` the public
/// host (the mailbox RFC 2142 reserves for a web service).
pub fn contact_email(base: &str, settings: &OpenDataSettings) -> String {
    match &settings.contact_email {
        Some(email) => email.as_str().to_owned(),
        None => format!("webmaster@{}", host_of(base)),
    }
}

fn host_of(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => host.split(':').next().unwrap_or(host),
    }
}

/// The latest day the plan's published content is known to have changed:
/// the day it was published, or a later day a value was observed on.
pub fn modified(plan: &PublicPlan) -> lodestar_domain::CalendarDate {
    plan.measures
        .iter()
        .flat_map(|m| m.observations.iter().filter_map(|o| o.observed_on))
        .chain([plan.published_on])
        .max()
        .unwrap_or(plan.published_on)
}

fn dataset(base: &str, settings: &OpenDataSettings, plan: &PublicPlan) -> Value {
    let key = plan.key.as_str();
    let publisher = plan.organization.as_str();
    let landing = format!("{base}/public/plans/{key}");
    let contact_name = settings
        .contact_name
        .clone()
        .unwrap_or_else(|| publisher.to_owned());
    let mut levels: Vec<String> = Vec::new();
    for node in &plan.nodes {
        let name = node.level_name.to_lowercase();
        if !name.is_empty() && !levels.contains(&name) {
            levels.push(name);
        }
    }
    let mut keyword = vec![
        "strategic plan".to_owned(),
        "performance measures".to_owned(),
        "key performance indicators".to_owned(),
    ];
    keyword.extend(
        levels
            .iter()
            .filter(|l| !keyword.contains(l))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let distribution: Vec<Value> = Kind::ALL
        .iter()
        .flat_map(|kind| Format::ALL.iter().map(move |format| (*kind, *format)))
        .map(|(kind, format)| {
            json!({
                "@type": "dcat:Distribution",
                "title": format!("{} ({})", kind.title(), format.name()),
                "description": kind.description(),
                "downloadURL": download_url(base, key, kind, format),
                "mediaType": format.media_type(),
                "format": format.name(),
            })
        })
        .collect();
    let items = if levels.is_empty() {
        String::new()
    } else {
        format!(" ({})", levels.join(", "))
    };
    json!({
        "@type": "dcat:Dataset",
        "title": plan.title.as_str(),
        "description": format!(
            "The published part of the strategic plan \"{}\" of {publisher} ({}–{}): its \
             items{items} with their status and progress, the measures that track them with \
             baselines, targets and latest values, and every value observed.",
            plan.title.as_str(),
            plan.period.start_year,
            plan.period.end_year,
        ),
        "keyword": keyword,
        "modified": modified(plan).to_string(),
        "issued": plan.published_on.to_string(),
        "publisher": {"@type": "org:Organization", "name": publisher},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": contact_name,
            "hasEmail": format!("mailto:{}", contact_email(base, settings)),
        },
        "identifier": landing,
        "accessLevel": "public",
        "bureauCode": [settings.bureau_code],
        "programCode": [settings.program_code],
        "temporal": format!("{}-01-01/{}-12-31", plan.period.start_year, plan.period.end_year),
        "landingPage": landing,
        "distribution": distribution,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use lodestar_domain::Email;

    #[test]
    fn a_catalog_names_its_schema_and_lists_each_plan_with_six_downloads() {
        let plan = fixture::plan();
        let base = "https://plans.example.gov";
        let doc = catalog(base, &OpenDataSettings::default(), &[plan]);
        assert_eq!(doc["@type"], "dcat:Catalog");
        assert_eq!(doc["conformsTo"], CONFORMS_TO);
        assert_eq!(doc["@id"], "https://plans.example.gov/data.json");
        let dataset = &doc["dataset"][0];
        assert_eq!(dataset["title"], "City IT plan");
        assert_eq!(dataset["accessLevel"], "public");
        assert_eq!(dataset["issued"], "2026-01-05");
        assert_eq!(
            dataset["modified"], "2026-07-03",
            "the latest observation's day"
        );
        assert_eq!(dataset["temporal"], "2025-01-01/2029-12-31");
        assert_eq!(dataset["publisher"]["name"], "City of Harbor Falls");
        assert_eq!(
            dataset["landingPage"],
            "https://plans.example.gov/public/plans/city-it"
        );
        assert!(
            dataset["keyword"]
                .as_array()
                .unwrap()
                .contains(&json!("objective"))
        );
        let urls: Vec<&str> = dataset["distribution"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["downloadURL"].as_str().unwrap())
            .collect();
        assert_eq!(urls.len(), 6);
        assert!(urls.contains(&"https://plans.example.gov/public/plans/city-it/observations.csv"));
        assert!(urls.contains(&"https://plans.example.gov/public/plans/city-it/nodes.json"));
    }

    #[test]
    fn the_contact_is_the_configured_one_or_the_hosts_webmaster() {
        let base = "https://plans.example.gov:8443";
        let doc = catalog(base, &OpenDataSettings::default(), &[fixture::plan()]);
        let contact = &doc["dataset"][0]["contactPoint"];
        assert_eq!(contact["hasEmail"], "mailto:webmaster@plans.example.gov");
        assert_eq!(contact["fn"], "City of Harbor Falls");
        let settings = OpenDataSettings {
            contact_name: Some("Open Data Team".into()),
            contact_email: Some(Email::parse("opendata@example.gov").unwrap()),
            ..OpenDataSettings::default()
        };
        let doc = catalog(base, &settings, &[fixture::plan()]);
        let contact = &doc["dataset"][0]["contactPoint"];
        assert_eq!(contact["hasEmail"], "mailto:opendata@example.gov");
        assert_eq!(contact["fn"], "Open Data Team");
    }

    #[test]
    fn codes_default_to_not_applicable_and_an_empty_catalog_is_still_a_catalog() {
        let doc = catalog(
            "http://x.example",
            &OpenDataSettings::default(),
            &[fixture::plan()],
        );
        assert_eq!(doc["dataset"][0]["bureauCode"], json!(["000:00"]));
        assert_eq!(doc["dataset"][0]["programCode"], json!(["000:000"]));
        let empty = catalog("http://x.example", &OpenDataSettings::default(), &[]);
        assert_eq!(empty["dataset"], json!([]));
    }

    #[test]
    fn the_host_is_found_in_any_base() {
        assert_eq!(host_of("https://a.example.gov"), "a.example.gov");
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:80/x"), "::1");
    }
}
