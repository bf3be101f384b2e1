//! The words the demo portfolio is made of: an IT organization's strategic
//! plan, written for this generator.

/// Agencies of the `federal` scale (fictional).
pub const AGENCIES: &[&str] = &[
    "Department of Coastal Affairs",
    "Department of Public Lands",
    "Bureau of Transit Safety",
    "Office of Veterans Services",
    "Department of Revenue Administration",
    "Bureau of Weather and Climate",
    "Department of Workforce Development",
    "Office of Border Logistics",
    "Department of Rural Health",
    "Bureau of Water Resources",
    "Department of Housing Programs",
    "Office of Small Business Support",
    "Department of Education Grants",
    "Bureau of Energy Efficiency",
    "Department of Wildlife Conservation",
    "Office of Emergency Preparedness",
    "Department of Consumer Protection",
    "Bureau of Census Operations",
    "Department of Cultural Heritage",
    "Office of Trade Statistics",
    "Department of Aviation Services",
    "Bureau of Food Inspection",
    "Department of Justice Programs",
    "Office of Science Research",
    "Department of Postal Modernization",
];

/// The cities and towns of the `city` and `small` scales (fictional).
pub const TOWNS: &[&str] = &[
    "City of Millbrook",
    "Town of Alder Creek",
    "Town of Birch Hollow",
];

/// Departments of an IT organization.
pub const DEPARTMENTS: &[&str] = &[
    "Infrastructure and Operations",
    "Enterprise Applications",
    "Cybersecurity Office",
    "Data and Analytics",
    "Service Desk",
    "Digital Services",
    "Project Management Office",
    "Enterprise Architecture",
];

/// Given names of the generated people.
pub const GIVEN: &[&str] = &[
    "Ada", "Ben", "Carmen", "Deepa", "Elias", "Fatima", "Grace", "Hiro", "Ines", "Jamal", "Kira",
    "Luis", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chen", "Dara",
];

/// Family names of the generated people.
pub const FAMILY: &[&str] = &[
    "Abbott",
    "Bauer",
    "Castillo",
    "Dubois",
    "Eze",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreno",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Singh",
    "Tanaka",
    "Umarov",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Adeyemi",
    "Brennan",
    "Costa",
    "Dlamini",
];

/// Goals of an IT strategic plan.
pub const GOALS: &[&str] = &[
    "Modernize infrastructure",
    "Strengthen cybersecurity and resilience",
    "Deliver digital services people value",
    "Make data a shared asset",
    "Build a skilled and engaged IT workforce",
    "Govern technology investments wisely",
    "Improve the reliability of IT services",
    "Enable a mobile and hybrid workforce",
    "Retire technical debt",
    "Open government through technology",
];

/// Verbs that start an objective.
pub const OBJECTIVE_VERBS: &[&str] = &[
    "Reduce",
    "Increase",
    "Consolidate",
    "Standardize",
    "Expand",
    "Improve",
    "Automate",
    "Simplify",
];

/// What an objective acts on.
pub const OBJECTIVE_OBJECTS: &[&str] = &[
    "unplanned downtime of core systems",
    "the share of services offered online",
    "data centre footprint",
    "time to restore critical services",
    "coverage of multi-factor authentication",
    "reuse of shared platforms",
    "self-service options for staff",
    "the quality of published data",
    "vendor contracts under management",
    "staff digital skills",
    "accessibility of public websites",
    "the speed of procurement for IT",
    "records kept in approved systems",
    "endpoint patch compliance",
    "cloud hosting of line-of-business systems",
];

/// Verbs that start an initiative.
pub const INITIATIVE_VERBS: &[&str] = &[
    "Migrate",
    "Replace",
    "Upgrade",
    "Consolidate",
    "Automate",
    "Pilot",
    "Roll out",
    "Decommission",
    "Harden",
    "Modernize",
    "Procure",
    "Integrate",
];

/// What an initiative works on.
pub const SYSTEMS: &[&str] = &[
    "the permitting system",
    "the payroll platform",
    "email and calendars",
    "the data centre network",
    "endpoint protection",
    "identity and access management",
    "the geographic information system",
    "the case management system",
    "the public website",
    "the service desk tool",
    "backup and recovery",
    "the financial management system",
    "the records repository",
    "the grants portal",
    "video conferencing rooms",
    "the open data portal",
    "the mainframe batch jobs",
    "wireless networks in field offices",
    "the customer contact centre",
    "the asset inventory",
];

/// What sometimes follows an initiative's title.
pub const PHASES: &[&str] = &[
    "(phase 1)",
    "(phase 2)",
    "(pilot)",
    "for field offices",
    "for headquarters",
];

/// The plan's cross-cutting tags: key and name.
pub const TAGS: &[(&str, &str)] = &[
    ("cloud", "Cloud"),
    ("security", "Security"),
    ("equity", "Digital equity"),
    ("data", "Data"),
    ("cost-savings", "Cost savings"),
];

/// A measure's shape: its name, unit, direction, where it starts and where
/// it should land, and how many decimals its values keep.
#[derive(Debug, Clone, Copy)]
pub struct MeasureShape {
    /// Its name.
    pub name: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// `higher`, `lower` or `range`.
    pub direction: &'static str,
    /// A typical baseline.
    pub baseline: f64,
    /// A typical final target (the centre of the range for `range`).
    pub target: f64,
    /// Decimals kept.
    pub decimals: i32,
}

const fn shape(
    name: &'static str,
    unit: &'static str,
    direction: &'static str,
    baseline: f64,
    target: f64,
    decimals: i32,
) -> MeasureShape {
    MeasureShape {
        name,
        unit,
        direction,
        baseline,
        target,
        decimals,
    }
}

/// The measures a plan draws from.
pub const MEASURES: &[MeasureShape] = &[
    shape("Portal availability", "%", "higher", 99.0, 99.9, 2),
    shape("First-contact resolution", "%", "higher", 55.0, 75.0, 1),
    shape(
        "Mean time to restore critical services",
        "hours",
        "lower",
        12.0,
        4.0,
        1,
    ),
    shape(
        "Critical patches applied within 14 days",
        "%",
        "higher",
        60.0,
        95.0,
        1,
    ),
    shape(
        "Applications hosted in the cloud",
        "%",
        "higher",
        10.0,
        60.0,
        1,
    ),
    shape("Phishing simulation click rate", "%", "lower", 15.0, 4.0, 1),
    shape("IT budget variance", "%", "range", 6.0, 0.0, 1),
    shape(
        "Transactions completed online",
        "%",
        "higher",
        40.0,
        75.0,
        1,
    ),
    shape(
        "Customer satisfaction",
        "points of 5",
        "higher",
        3.4,
        4.3,
        2,
    ),
    shape(
        "Open high-risk audit findings",
        "findings",
        "lower",
        40.0,
        5.0,
        0,
    ),
    shape("Data sets published", "data sets", "higher", 20.0, 150.0, 0),
    shape(
        "Staff trained in digital skills",
        "%",
        "higher",
        25.0,
        80.0,
        1,
    ),
    shape("Average age of open tickets", "days", "lower", 12.0, 5.0, 1),
    shape("Accounts protected by MFA", "%", "higher", 70.0, 99.5, 1),
    shape("Pages meeting WCAG 2.1 AA", "%", "higher", 50.0, 95.0, 1),
];

/// What a check-in says happened.
pub const HAPPENED: &[&str] = &[
    "Finished the design review with the vendor.",
    "Completed user acceptance testing for the first release.",
    "Migrated the second batch of workloads.",
    "Held workshops with the business owners.",
    "Closed the open procurement questions.",
    "Trained the first group of staff.",
    "Resolved the integration defects found in testing.",
    "Signed off the security assessment.",
];

/// What a check-in says comes next.
pub const NEXT: &[&str] = &[
    "Start the pilot with two departments.",
    "Cut over the remaining users.",
    "Finish data migration and reconcile the totals.",
    "Publish the updated runbooks.",
    "Retire the old servers.",
    "Report results to the steering committee.",
];

/// What an at-risk or off-track check-in asks for.
pub const HELP: &[&str] = &[
    "Need a decision on the contract extension from procurement.",
    "Two engineers are needed from the infrastructure team for a month.",
    "Waiting on the vendor's fix; escalation to the account manager requested.",
    "Budget for additional licences must be approved.",
];
