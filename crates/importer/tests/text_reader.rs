//! The text reader on documents written for these tests: the Harbor Falls
//! plan, and one small document per pattern that real plans bring.

#[allow(dead_code)] // each test binary uses only some of the shared helpers
mod support;

use lodestar_importer::{Draft, ImportOptions, import};
use support::outline::outline;

fn read(text: &str) -> Draft {
    let options = ImportOptions {
        source_name: "plan.txt".into(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    let draft = import(text.as_bytes(), &options).expect("a plan");
    assert!(
        draft.document.validate().is_ok(),
        "{:?}",
        draft.document.validate()
    );
    draft
}

fn warned(draft: &Draft, part: &str) -> bool {
    draft.warnings.iter().any(|w| w.message.contains(part))
}

const HARBOR_FALLS: &str = include_str!("fixtures/harbor-falls.txt");

/// The tree of the Harbor Falls fixture; the PDF and Word tests expect the same.
pub const HARBOR_FALLS_TREE: &[&str] = &[
    "1 Residents reach every city service online",
    "  1.1 Put the most used transactions online",
    "    1.1.1 Online permit applications [short-term]",
    "    1.1.2 Online utility billing [short-term]",
    "    1.1.3 Launch a resident account portal [short-term]",
    "    1.1.4 Retire paper forms for business licenses [long-term]",
    "    1.1.5 Integrate the service request system with the resident account [long-term]",
    "  1.2 Make the city website usable by everyone",
    "    1.2.1 Audit every page against WCAG 2.1 AA [short-term]",
    "    1.2.2 Train content editors in plain language [short-term]",
    "    1.2.3 Fix contrast and keyboard defects on the busiest pages [short-term]",
    "    1.2.4 Publish an accessibility statement with yearly updates [long-term]",
    "2 A secure and resilient city network",
    "  2.1 Harden the network against attack",
    "    2.1.1 Deploy multi-factor sign-in for all staff [short-term]",
    "    2.1.2 Replace unsupported firewalls at the water plant [short-term]",
    "    2.1.3 Separate the plant control network from the office network and monitor both around the clock [long-term]",
    "  2.2 Recover critical systems within four hours",
    "    2.2.1 Copy backups of critical systems to a second site [FY2026]",
    "    2.2.2 Test the recovery plan twice a year [FY2027]",
    "3 Decisions grounded in open data",
    "  3.1 Publish the city's data by default",
    "    3.1.1 Stand up an open data portal [short-term]",
    "    3.1.2 Publish the budget as open data [short-term]",
    "    3.1.3 Publish every department's key datasets with a quality check [long-term]",
    "  3.2 Grow analytics skills across departments",
    "    3.2.1 Run an analytics fellowship for city staff [short-term]",
    "    3.2.2 Hire a chief data officer [long-term]",
];

#[test]
fn the_harbor_falls_plan_reads_into_its_tree() {
    let draft = read(HARBOR_FALLS);
    assert_eq!(outline(&draft), HARBOR_FALLS_TREE);
    let doc = &draft.document;
    assert_eq!(doc.title.as_str(), "Strategic Technology Plan");
    assert_eq!(
        doc.organization.name.as_str(),
        "Harbor Falls Information Technology Department"
    );
    assert_eq!((doc.period.start_year, doc.period.end_year), (2025, 2029));
    assert_eq!(doc.levels.describe(), "Goal, Objective, Initiative");
    assert!(
        doc.vision
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("A city where every resident")
    );
    assert!(
        doc.mission
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("Deliver dependable")
    );
    let principles: Vec<_> = doc.principles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        principles,
        ["Residents first", "Open by default", "Secure by design"]
    );
    let tags: Vec<_> = doc.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tags,
        ["Cloud platforms", "Data management", "Workforce skills"]
    );
    assert!(warned(&draft, "printed twice"));
    assert!(warned(
        &draft,
        "\"Keeping the plan current\" is numbered like a top-level item"
    ));
    assert_eq!(doc.status.as_str(), "draft");
}

#[test]
fn goal_and_objective_labels_with_contents_and_a_body_in_capitals_build_each_item_once() {
    let draft = read(
        "TABLE OF CONTENTS\n\
         GOAL 1: Serve residents well\t3\n\
         Objective 1.1: Answer every call\t4\n\
         GOAL 2: Keep data safe.....\t6\n\
         Objective 2.1: Patch within a week.....\t7\n\
         \n\
         GOAL 1: SERVE RESIDENTS WELL\n\
         Residents expect answers.\n\
         OBJECTIVE 1.1: ANSWER EVERY CALL\n\
         We will staff the line.\n\
         1. Hire two agents\n\
         2. Extend the hours\n\
         GOAL 2: KEEP DATA SAFE\n\
         OBJECTIVE 2.1: PATCH WITHIN A WEEK\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "1 Serve residents well",
            "  1.1 Answer every call",
            "2 Keep data safe",
            "  2.1 Patch within a week",
        ]
    );
    assert_eq!(draft.document.levels.describe(), "Goal, Objective");
}

#[test]
fn a_contents_entry_without_a_body_is_reported() {
    let draft = read(
        "Contents\nGOAL 1: One\t2\nGOAL 2: Two\t3\nGOAL 3: Three\t4\n\nGOAL 1: One\nGOAL 2: Two\n",
    );
    assert_eq!(outline(&draft), ["1 One", "2 Two"]);
    assert!(warned(&draft, "the contents list \"Three\""));
}

#[test]
fn decimal_numbering_ignores_ordinary_numbered_lists() {
    let draft = read(
        "OUR CAPABILITIES\n1. Cloud\n2. Data\n\nSTRATEGIC GOALS\n\
         1. Modern services\n1.1. Move to the cloud\n1.2. Retire old systems\n\
         2. Safe city\n2.1. Train staff\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "1 Modern services",
            "  1.1 Move to the cloud",
            "  1.2 Retire old systems",
            "2 Safe city",
            "  2.1 Train staff",
        ]
    );
    let tags: Vec<_> = draft
        .document
        .tags
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(tags, ["Cloud", "Data"]);
}

#[test]
fn pillars_strategies_and_actions_keep_the_documents_level_names() {
    let draft = read(
        "Pillar 1: Connected city\nStrategy 1:1 Expand public wifi\nAction 1:1:1 Light up the parks\n\
         Action 1:1:2 Wire the libraries\nPillar 2: Trusted city\nStrategy 2:1 Publish the data\n\
         Action 2:1:1 Open a portal\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "1 Connected city",
            "  1:1 Expand public wifi",
            "    1:1:1 Light up the parks",
            "    1:1:2 Wire the libraries",
            "2 Trusted city",
            "  2:1 Publish the data",
            "    2:1:1 Open a portal",
        ]
    );
    assert_eq!(draft.document.levels.describe(), "Pillar, Strategy, Action");
}

#[test]
fn unnumbered_pillar_headings_take_the_number_their_strategies_imply() {
    let draft = read(
        "CONNECTED CITY\n\nStrategy 1.1: Expand public wifi\nStrategy 1.2: Wire the libraries\n\n\
         TRUSTED CITY\n\nStrategy 2.1: Publish the data\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "1 CONNECTED CITY",
            "  1.1 Expand public wifi",
            "  1.2 Wire the libraries",
            "2 TRUSTED CITY",
            "  2.1 Publish the data",
        ]
    );
    assert_eq!(draft.document.levels.describe(), "Goal, Strategy");
}

#[test]
fn markdown_headings_with_lists_beneath() {
    let draft = read(
        "# City plan\n\n## Principle: Residents first\n\n### Action 01: Redesign the forms\n\n\
         - departments will test every form with residents\n- forms will be\n  available in five languages\n\n\
         Some prose about why.\n\n- a narrative list, not an action\n\n\
         ## Principle: Open by default\n\n### Action 02: Publish the data\n\n\
         The team will:\n\n* open a portal\n* publish the yearly budget as data. It is due in May\n",
    );
    let doc = &draft.document;
    assert_eq!(doc.nodes.len(), 2);
    assert_eq!(doc.nodes[0].title.as_str(), "Residents first");
    let action = &doc.nodes[0].children[0];
    assert_eq!(action.title.as_str(), "Redesign the forms");
    let titles: Vec<_> = action.children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "departments will test every form with residents",
            "forms will be available in five languages"
        ]
    );
    let second = &doc.nodes[1].children[0];
    let titles: Vec<_> = second.children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        ["open a portal", "publish the yearly budget as data."]
    );
    assert_eq!(
        second.children[1].description.as_ref().unwrap().as_str(),
        "It is due in May"
    );
    assert_eq!(doc.levels.describe(), "Principle, Action, Initiative");
}

#[test]
fn horizon_labels_in_the_middle_of_their_rows_repeated_and_continued_rows() {
    let draft = read(
        "1. Resilience\n1.1. Recover fast\n\nKey Initiatives\n\
         \tAward the recovery contract\n\
         SHORT-TERM - Review the staffing model\n\
         \tTest the recovery plan\n\
         \tTest the recovery plan\n\
         Long-Term\tConsolidate servers into the two city\n\
         \tdata centers\n\
         \tConsolidate servers into the two city data centres\n\
         1.2. Second\n1.2.1. Placeholder\n",
    );
    let tree = outline(&draft);
    assert_eq!(
        &tree[2..6],
        [
            "    1.1.1 Award the recovery contract [short-term]",
            "    1.1.2 Review the staffing model [short-term]",
            "    1.1.3 Test the recovery plan [short-term]",
            "    1.1.4 Consolidate servers into the two city data centers [long-term]",
        ]
    );
    assert!(warned(&draft, "printed twice"));
    assert!(warned(&draft, "damaged repeat"));
}

#[test]
fn near_term_longer_term_and_fiscal_years_are_horizons() {
    let draft = read(
        "1. Goal\n1.1. Objective\nNear term Open the portal\nLonger term Close the counter\n\
         FY 27 Retire the mainframe\n1.2. Other\n1.2.1. Item\n",
    );
    let horizons: Vec<String> = draft.document.nodes[0].children[0]
        .children
        .iter()
        .map(|c| c.horizon.unwrap().to_string())
        .collect();
    assert_eq!(horizons, ["short-term", "long-term", "FY2027"]);
}

#[test]
fn initiatives_run_together_split_where_the_evidence_is_strong_and_warn_otherwise() {
    let draft = read(
        "1. Goal\n1.1. Objective\nKey Initiatives\n\
         Short-Term Develop the cloud strategy Establish a cloud governance board COP data center in the cloud strategy\n\
         Long-Term Enterprise Resource Planning Assessment Citywide Consolidated Contact Center Implementation Program Office Standing Review Board Charter\n\
         1.2. Other\n1.2.1. Item\n",
    );
    let titles: Vec<_> = draft.document.nodes[0].children[0]
        .children
        .iter()
        .map(|c| c.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Develop the cloud strategy",
            "Establish a cloud governance board",
            "COP data center in the cloud strategy",
            "Enterprise Resource Planning Assessment Citywide Consolidated Contact Center Implementation Program Office Standing Review Board Charter",
        ]
    );
    assert!(!warned(&draft, "Develop the cloud"));
    assert!(warned(&draft, "may hold several initiatives"));
}

#[test]
fn two_column_pages_give_each_list_to_its_own_item_in_order() {
    let draft = read(
        "Goal 1: Connected city\nObjective 1.1: Expand wifi\nWifi reaches parks.\n\
         Objective 1.2: Open data\nData reaches residents.\n\
         Actions\n- Light up the parks\n- Wire the libraries\n\
         Actions\n- Open a portal\n- Publish the budget\n\
         Goal 2: Other\nObjective 2.1: Thing\n",
    );
    assert_eq!(
        &outline(&draft)[..7],
        [
            "1 Connected city",
            "  1.1 Expand wifi",
            "    1.1.1 Light up the parks",
            "    1.1.2 Wire the libraries",
            "  1.2 Open data",
            "    1.2.1 Open a portal",
            "    1.2.2 Publish the budget",
        ]
    );
    assert!(warned(&draft, "two-column"));
}

#[test]
fn page_numbers_running_headers_quotes_and_stories_are_not_items() {
    let draft = read(
        "GOAL 1: Serve\nObjective 1.1: Answer calls\n\n12\n\nCity Plan 2025-2029\n\n\
         \"Technology is a force multiplier.\" – A. Commissioner\n\nSuccess Story\n\
         The library moved online.\n\nGOAL 2: Protect\nObjective 2.1: Patch\n- Page 3 of 9\n",
    );
    assert_eq!(
        outline(&draft),
        ["1 Serve", "  1.1 Answer calls", "2 Protect", "  2.1 Patch"]
    );
}

#[test]
fn damaged_text_is_kept_with_a_warning_never_invented() {
    let draft = read(
        "1. Goal\n1.1. Objective\nKey Initiatives\nShort-Term Establish a repeatable risk assessment process to assess network,\n\
         \n14\n\ngement and\n1.2. Other\n1.2.1. Item\n",
    );
    let item = &draft.document.nodes[0].children[0].children[0];
    assert_eq!(
        item.title.as_str(),
        "Establish a repeatable risk assessment process to assess network,"
    );
    assert!(warned(&draft, "ends mid-sentence"));
    assert_eq!(draft.document.nodes[0].children[0].children.len(), 1);
}

#[test]
fn templated_sections_make_the_headings_items() {
    let draft = read(
        "# Our focus areas\n\n# Better services\nIntro.\n## Current situation\nText.\n## How we'll do this\n\
         ### Online forms\nWe will act.\nThis means:\n› build the forms\n› test them with people\n\
         ## What great looks like\n› a happy resident\n\n\
         # Stronger workforce\n## Current situation\nText.\n## How we'll do this\n\
         To grow skills we want to:\n› run a fellowship\n› hire\nanalysts across departments\n\
         ## What great looks like\nText.\n\
         # Open data\n## Current situation\nText.\n## How we'll do this\n## Data portal\n> publish the datasets\n\
         ## What great looks like\nText.\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "1 Better services",
            "  1.1 Online forms",
            "    1.1.1 build the forms",
            "    1.1.2 test them with people",
            "2 Stronger workforce",
            "  2.1 To grow skills we want to",
            "    2.1.1 run a fellowship",
            "    2.1.2 hire analysts across departments",
            "3 Open data",
            "  3.1 Data portal",
            "    3.1.1 publish the datasets",
        ]
    );
}

#[test]
fn roman_sections_with_sub_headings() {
    let draft = read(
        "# I. Introduction\n## Why now\n# II. Security\n## Zero trust\n## Identity\n\
         # III. Workforce\n## Skills\n# IV. Conclusion\n## Next\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "II Security",
            "  II.1 Zero trust",
            "  II.2 Identity",
            "III Workforce",
            "  III.1 Skills"
        ]
    );
}

#[test]
fn a_document_with_no_plan_items_is_an_error_that_says_so() {
    let options = ImportOptions {
        source_name: "memo.txt".into(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    let err = import(
        b"Dear colleagues,\nthe meeting moved to Tuesday.\n",
        &options,
    )
    .unwrap_err();
    assert!(err.to_string().contains("no goals, objectives"), "{err}");
}

#[test]
fn a_plan_with_a_single_goal_keeps_it_above_its_objectives() {
    let draft =
        read("GOAL 1: Residents first\nObjective 1.1: Open data\nObjective 1.2: Plain language\n");
    assert_eq!(
        outline(&draft),
        [
            "1 Residents first",
            "  1.1 Open data",
            "  1.2 Plain language"
        ]
    );
    assert_eq!(draft.document.levels.describe(), "Goal, Objective");
}

#[test]
fn strategic_goal_and_strategic_objective_are_the_level_names() {
    let draft = read(
        "Strategic goal 1: Residents first\nStrategic objective 1.1: Open data\n\
         Strategic goal 2: Safe systems\nStrategic objective 2.1: Patch fast\n",
    );
    assert_eq!(outline(&draft).len(), 4);
    assert_eq!(
        draft.document.levels.describe(),
        "Strategic goal, Strategic objective"
    );
}

#[test]
fn indented_list_items_nest_and_numbered_lists_under_an_item_are_its_children() {
    let draft = read(
        "## Goal 1: Residents first\n- Open data\n  - Publish the budget\n  - Open a portal\n- Plain language\n\
         ## Goal 2: Safe systems\nThe team will:\n1. Patch within a week\n2. Test backups\n\n\
         4. A footnote that is not an item\n",
    );
    assert_eq!(
        outline(&draft),
        [
            "1 Residents first",
            "  1.1 Open data",
            "    1.1.1 Publish the budget",
            "    1.1.2 Open a portal",
            "  1.2 Plain language",
            "2 Safe systems",
            "  2.1 Patch within a week",
            "  2.2 Test backups",
        ]
    );
}
