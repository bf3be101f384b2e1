//! The owners' check-ins on the sample plan's initiatives, dated relative to
//! today: most recent and on track, six at risk and two off track asking for
//! help, eight completed, one deferred, and five monthly ones whose latest
//! check-in is 49 to 86 days old, so that the overdue list has names on it.
//! An initiative whose work starts after today gets no check-in.

use crate::{App, ServiceResult};
use lodestar_domain::ProgressStatus::{AtRisk, Completed, Deferred, OffTrack, OnTrack};
use lodestar_domain::*;
use std::collections::HashMap;
use time::{Date, Duration};

/// One owner's latest check-in on an initiative.
struct Update {
    code: &'static str,
    status: ProgressStatus,
    /// Percent done; ignored for a completed initiative, which is 100.
    percent: f64,
    /// How many days before today it was filed.
    days_ago: i64,
    happened: &'static str,
    next: &'static str,
    help: Option<&'static str>,
}

#[rustfmt::skip]
const UPDATES: &[Update] = &[
    // 1 Resident-Centered Digital Services
    Update {
        code: "1.1.1", status: Completed, percent: 100.0, days_ago: 9,
        happened: "The post-launch review closed the project: the task-based website has replaced the old department pages, and resident search success rose from 54% to 81%.",
        next: "Content ownership passes to the departments' digital champions; analytics are reviewed each quarter.",
        help: None,
    },
    Update {
        code: "1.1.2", status: AtRisk, percent: 62.0, days_ago: 8,
        happened: "Utility billing and 311 are linked to the resident account and 14,200 residents have signed up. Linking permits and recreation registration slipped because the permitting vendor's connector is not ready.",
        next: "Test the vendor's connector in December and decide on a fallback by mid-January.",
        help: Some("Need the City Manager's office to escalate the connector delay with the permitting vendor."),
    },
    Update {
        code: "1.1.3", status: OnTrack, percent: 70.0, days_ago: 58,
        happened: "Parking citations, business licences and facility rentals can now be paid online by card or bank transfer.",
        next: "Add animal licensing and false-alarm fees, then library fines with the new library system.",
        help: None,
    },
    Update {
        code: "1.1.4", status: OnTrack, percent: 20.0, days_ago: 12,
        happened: "Chose the 60 most-visited service pages and contracted certified Spanish and Vietnamese translators. Reviewers from two neighborhood associations will check the drafts.",
        next: "Publish the first 20 translated pages and add a language switcher to the page template.",
        help: None,
    },
    Update {
        code: "1.2.1", status: Completed, percent: 100.0, days_ago: 16,
        happened: "The audit of 1,400 pages and 85 forms is finished; every finding is logged in the content backlog or in the form conversion work of 1.2.2.",
        next: "The automated accessibility scan now runs every quarter to catch new problems.",
        help: None,
    },
    Update {
        code: "1.2.2", status: AtRisk, percent: 74.0, days_ago: 5,
        happened: "48 of the 65 high-use forms are live as accessible web forms. The rest need department sign-off on wording that is set by ordinance.",
        next: "Finish the Parks and City Clerk forms and announce a retirement date for the old PDFs.",
        help: Some("Parks and the City Clerk's office need to approve their form wording by December 15."),
    },
    Update {
        code: "1.2.3", status: OnTrack, percent: 85.0, days_ago: 15,
        happened: "86 of 102 content authors have completed the plain-language and accessibility course; recordings are on the intranet for new staff.",
        next: "Run two make-up sessions for the remaining authors in Public Works and Fire.",
        help: None,
    },
    Update {
        code: "1.3.1", status: OnTrack, percent: 92.0, days_ago: 7,
        happened: "Every service request type now runs on the new platform and crews get their work orders on tablets. The old call-tracking database is read-only.",
        next: "Archive the old database after the records retention review, then switch it off.",
        help: None,
    },
    Update {
        code: "1.3.2", status: AtRisk, percent: 55.0, days_ago: 49,
        happened: "The beta app for reporting potholes, broken streetlights and graffiti is with 150 resident testers. App store review rejected the wording of the location permission.",
        next: "Resubmit to the app stores with a revised privacy notice and plan the public launch.",
        help: Some("Need the City Attorney's office to approve the revised privacy notice."),
    },
    Update {
        code: "1.4.1", status: OnTrack, percent: 45.0, days_ago: 10,
        happened: "Building permits can be applied for and paid online since October; more than a third of new building applications arrived online in the first month.",
        next: "Start the electronic plan review pilot with five local architects in January.",
        help: None,
    },
    Update {
        code: "1.4.2", status: OnTrack, percent: 10.0, days_ago: 11,
        happened: "Kick-off held with the Building Division; inspectors agreed the scheduling rules contractors will see.",
        next: "Configure the inspection calendar in the permitting platform and test it with two contractors.",
        help: None,
    },
    // 2 Secure and Resilient City Technology
    Update {
        code: "2.1.1", status: Completed, percent: 100.0, days_ago: 19,
        happened: "Every staff, contractor and vendor account signs in with a second factor; the last exceptions were closed when the vendor accounts moved over.",
        next: "Coverage is reported monthly in the multi-factor measure of objective 2.1.",
        help: None,
    },
    Update {
        code: "2.1.2", status: OffTrack, percent: 40.0, days_ago: 6,
        happened: "Only 120 of 310 administrator accounts are in the password vault. Two legacy systems cannot rotate passwords automatically and their vendor has not scheduled a fix.",
        next: "Bring the remaining Windows server accounts into the vault and settle how to handle the two legacy systems.",
        help: Some("Need the CIO to fund a vault connector for the legacy utility billing system, or its owner to sign an accepted-risk exception."),
    },
    Update {
        code: "2.1.3", status: OnTrack, percent: 25.0, days_ago: 13,
        happened: "Mapped HR job codes to access profiles for Finance and Public Works and tested creating accounts automatically from new-hire records.",
        next: "Test automatic removal on the day of separation with HR and the service desk.",
        help: None,
    },
    Update {
        code: "2.2.1", status: Completed, percent: 100.0, days_ago: 18,
        happened: "The managed detection and response service has watched all servers and laptops around the clock for a year; confirmed threats are contained in under an hour on average.",
        next: "Review the service with the vendor before the annual contract renewal.",
        help: None,
    },
    Update {
        code: "2.2.2", status: OnTrack, percent: 90.0, days_ago: 14,
        happened: "The updated incident response plan was adopted, and the first tabletop exercise with the City Manager, Police and Communications ran in October.",
        next: "Publish the after-action report and close its three findings before next year's exercise.",
        help: None,
    },
    Update {
        code: "2.2.3", status: AtRisk, percent: 50.0, days_ago: 4,
        happened: "The median time to patch critical vulnerabilities is down from 38 days but still above target. Patches for the public-safety servers wait for windows the dispatch center can accept.",
        next: "Automate patching of standard workstations and agree a standing maintenance window with dispatch.",
        help: Some("Need the Police and Fire chiefs to approve a standing monthly maintenance window for public-safety servers."),
    },
    Update {
        code: "2.3.1", status: OnTrack, percent: 95.0, days_ago: 12,
        happened: "All tier-one systems are backed up to immutable storage and restore tests run every quarter. Two restores overran their recovery time last quarter.",
        next: "Tune the permitting database and payroll interface restores, then close the initiative.",
        help: None,
    },
    Update {
        code: "2.3.2", status: OnTrack, percent: 15.0, days_ago: 16,
        happened: "Finished the recovery design for utility billing and payroll and costed the cloud recovery site.",
        next: "Build the recovery environment for utility billing and run a failover test in the spring.",
        help: None,
    },
    Update {
        code: "2.3.3", status: OnTrack, percent: 30.0, days_ago: 19,
        happened: "Six of fourteen departments have drafted continuity plans on the new template; Finance and Utilities have ranked their critical services.",
        next: "Hold workshops with Police, Fire and Parks and collect the remaining drafts by March.",
        help: None,
    },
    Update {
        code: "2.4.1", status: OnTrack, percent: 95.0, days_ago: 3,
        happened: "The autumn phishing simulation's click rate is below this year's target, and 94% of staff have completed the annual security training.",
        next: "Give short refresher sessions in the three departments with the highest click rates.",
        help: None,
    },
    Update {
        code: "2.4.2", status: OnTrack, percent: 65.0, days_ago: 86,
        happened: "Standard security and data-protection clauses are drafted and already used in three new contracts.",
        next: "Settle the breach-notification clause with two vendors at renewal and add the clauses to the purchasing manual.",
        help: None,
    },
    // 3 Modern Systems and Infrastructure
    Update {
        code: "3.1.1", status: Completed, percent: 100.0, days_ago: 21,
        happened: "The City Council approved the ERP contract after a four-vendor evaluation with scripted demonstrations.",
        next: "Implementation continues under 3.1.2 and 3.1.3.",
        help: None,
    },
    Update {
        code: "3.1.2", status: OffTrack, percent: 35.0, days_ago: 5,
        happened: "The first data conversion rehearsal failed to reconcile: the legacy general ledger holds eleven years of unposted adjustments. The integrator puts the go-live date at risk by three months.",
        next: "Finance cleans up the adjustments; the conversion rehearsal is rerun in January.",
        help: Some("Need two temporary accountants for four months to clean up ledger data, and a steering committee decision on moving the go-live date."),
    },
    Update {
        code: "3.1.3", status: OnTrack, percent: 10.0, days_ago: 9,
        happened: "Payroll and HR design workshops started; the union contract rules for overtime and shift pay are written down.",
        next: "Finish the future-state design and agree which records to convert from the legacy system.",
        help: None,
    },
    Update {
        code: "3.1.4", status: OnTrack, percent: 5.0, days_ago: 20,
        happened: "Listed the reports and interfaces that still read from the legacy system and the records that must be archived.",
        next: "Agree the archive format with the City Clerk and set the read-only date.",
        help: None,
    },
    Update {
        code: "3.2.1", status: Completed, percent: 100.0, days_ago: 24,
        happened: "The cloud landing zone passed its security review; accounts, network, logging and cost alerts follow the city standard.",
        next: "New cloud workloads are built in the landing zone; nothing further under this initiative.",
        help: None,
    },
    Update {
        code: "3.2.2", status: OnTrack, percent: 80.0, days_ago: 10,
        happened: "Nine of twelve departments work from cloud collaboration. Planning and Public Works hold large drawing files that sync poorly.",
        next: "Pilot a drawing file service with Planning and Public Works, then set the old drives to read-only.",
        help: None,
    },
    Update {
        code: "3.2.3", status: OnTrack, percent: 10.0, days_ago: 25,
        happened: "Inventoried the 84 servers in the City Hall server room; each has a move, replace or retire decision.",
        next: "Move the first batch of file and print servers to the cloud.",
        help: None,
    },
    Update {
        code: "3.3.1", status: OnTrack, percent: 40.0, days_ago: 35,
        happened: "Segment 1 between City Hall and the Public Works yard is lit and carrying traffic. Permits for the segment to the libraries and fire stations are filed.",
        next: "Start boring the segment 2 route in the spring.",
        help: None,
    },
    Update {
        code: "3.3.2", status: OnTrack, percent: 30.0, days_ago: 11,
        happened: "Free Wi-Fi is live at the main library and two community centers; site surveys at six parks are done.",
        next: "Install access points in the branch libraries and publish usage figures.",
        help: None,
    },
    Update {
        code: "3.3.3", status: OnTrack, percent: 35.0, days_ago: 40,
        happened: "Published the broadband gap map, which combines residents' speed tests with provider coverage; three neighborhoods have no affordable service above 100 Mbps.",
        next: "Meet the two regional providers about a joint grant application for the east side.",
        help: None,
    },
    Update {
        code: "3.4.1", status: OnTrack, percent: 95.0, days_ago: 17,
        happened: "The application inventory lists 212 applications with owners, costs and end-of-support dates; 31 are marked for retirement.",
        next: "Police confirm the owners of their last 12 applications; then the inventory moves to the review board's upkeep.",
        help: None,
    },
    Update {
        code: "3.4.2", status: OnTrack, percent: 90.0, days_ago: 20,
        happened: "The technology investment review board meets monthly and has reviewed 27 proposals.",
        next: "Revise the charter so grant-funded projects also come to the board.",
        help: None,
    },
    Update {
        code: "3.4.3", status: OnTrack, percent: 90.0, days_ago: 14,
        happened: "The adopted budget created the technology replacement fund with a first contribution of $1.2 million.",
        next: "Set the yearly contribution formula from the device and network inventory.",
        help: None,
    },
    // 4 Data-Informed Government
    Update {
        code: "4.1.1", status: AtRisk, percent: 85.0, days_ago: 13,
        happened: "Department heads endorsed the data governance policy, but its adoption has twice been pushed off the council agenda.",
        next: "Brief council members individually before the next agenda is set.",
        help: Some("Need the City Manager to place the policy on the January council agenda."),
    },
    Update {
        code: "4.1.2", status: OnTrack, percent: 80.0, days_ago: 9,
        happened: "The catalog lists 340 datasets with owners and descriptions; Police and Fire entries are being checked for sensitive fields.",
        next: "Publish the catalog on the intranet and link its public entries to the open data portal.",
        help: None,
    },
    Update {
        code: "4.1.3", status: OnTrack, percent: 20.0, days_ago: 17,
        happened: "Adopted four sensitivity levels and classified the Finance and HR datasets.",
        next: "Classify the Police, Fire and Utilities datasets and map the protections each level needs.",
        help: None,
    },
    Update {
        code: "4.2.1", status: Completed, percent: 100.0, days_ago: 30,
        happened: "The open data portal relaunched with 120 datasets, each with an owner and a data dictionary.",
        next: "New datasets are published under objective 4.2 and counted in its measure.",
        help: None,
    },
    Update {
        code: "4.2.2", status: OnTrack, percent: 25.0, days_ago: 12,
        happened: "Agreed the dashboard's content with the Budget Office and built a draft on the reporting platform with last year's actuals.",
        next: "Test the draft with council staff and members of the budget advisory committee.",
        help: None,
    },
    Update {
        code: "4.2.3", status: Deferred, percent: 5.0, days_ago: 21,
        happened: "Deferred until the permitting platform's data export is stable; publishing daily before then would mean retracting records.",
        next: "Revisit once electronic plan review is live.",
        help: None,
    },
    Update {
        code: "4.3.1", status: OnTrack, percent: 40.0, days_ago: 6,
        happened: "The reporting platform is live with finance, 311 and permit data, and 45 staff have report-builder licences.",
        next: "Load HR and work-order data and retire three departmental reporting databases.",
        help: None,
    },
    Update {
        code: "4.3.2", status: OnTrack, percent: 75.0, days_ago: 71,
        happened: "The City Manager's monthly review now uses dashboards for 311 response times, permit turnaround and overtime.",
        next: "Add library and recreation measures and automate the monthly refresh.",
        help: None,
    },
    Update {
        code: "4.3.3", status: OnTrack, percent: 15.0, days_ago: 38,
        happened: "Street segments and storm drains are linked to GIS; water mains are being matched from the paper atlases.",
        next: "Finish the water mains and link work orders to asset IDs.",
        help: None,
    },
    // 5 A Skilled and Supported Workforce
    Update {
        code: "5.1.1", status: AtRisk, percent: 70.0, days_ago: 63,
        happened: "The classification study recommends new IT titles and pay ranges 8 to 12% higher for security and cloud roles. Talks with the union on the new ranges have not started.",
        next: "Present the study to the labor relations committee.",
        help: Some("Need the City Manager to open talks with the union before the next budget is drafted."),
    },
    Update {
        code: "5.1.2", status: OnTrack, percent: 55.0, days_ago: 8,
        happened: "The first six apprentices started on the service desk and in network operations, and the college grants credit for their on-the-job hours.",
        next: "Recruit the second cohort and name their mentors.",
        help: None,
    },
    Update {
        code: "5.1.3", status: OnTrack, percent: 90.0, days_ago: 13,
        happened: "Career ladders for all IT job families are published on the intranet and the training budget is in the adopted budget.",
        next: "Hold the first round of career conversations with every IT employee.",
        help: None,
    },
    Update {
        code: "5.2.1", status: OnTrack, percent: 60.0, days_ago: 10,
        happened: "The curriculum offers 14 courses; spreadsheets and the new ERP basics are the most popular, and last quarter's completions beat the target.",
        next: "Add a data-literacy course with the reporting platform team.",
        help: None,
    },
    Update {
        code: "5.2.2", status: OnTrack, percent: 95.0, days_ago: 18,
        happened: "Fourteen of fifteen departments have named a digital champion, and the champions meet monthly.",
        next: "Fire names its champion; then the network is handed to the HR training team.",
        help: None,
    },
    Update {
        code: "5.3.1", status: Completed, percent: 100.0, days_ago: 25,
        happened: "The self-service portal and knowledge base are open to all staff; password resets are fully self-service.",
        next: "The service desk keeps the articles current.",
        help: None,
    },
    Update {
        code: "5.3.2", status: OnTrack, percent: 20.0, days_ago: 30,
        happened: "Replaced 240 of the 1,150 laptops and desktops due this cycle, starting with the oldest in Public Works and the libraries.",
        next: "Refresh Police and Finance devices next quarter.",
        help: None,
    },
    Update {
        code: "5.3.3", status: OnTrack, percent: 90.0, days_ago: 11,
        happened: "Service levels by ticket priority are published, and the first employee satisfaction survey scored 4.1 out of 5.",
        next: "Repeat the survey in the spring and publish results by department.",
        help: None,
    },
];

fn text(field: &str, raw: &str) -> Result<LongText, ValidationError> {
    LongText::parse_field(field, raw)
}

/// Files the table's check-ins on the plan as of `today`; returns how many.
pub(super) async fn file(app: &App, plan: PlanId, today: Date) -> ServiceResult<usize> {
    let nodes: HashMap<String, Node> = app
        .store()
        .plan_nodes(plan)
        .await?
        .into_iter()
        .filter_map(|n| Some((n.code.as_ref()?.as_str().to_owned(), n)))
        .collect();
    let mut filed = 0;
    for u in UPDATES {
        let at = |e: ValidationError| e.within(&format!("check-ins[{}]", u.code));
        let node = nodes.get(u.code).ok_or_else(|| {
            at(ValidationError::new(
                "code",
                "the sample's check-in table names a node the sample plan does not have",
            ))
        })?;
        let start = node.start_date.map(CalendarDate::date);
        if start.is_some_and(|s| s > today) {
            continue;
        }
        // Never before the work started.
        let date = (today - Duration::days(u.days_ago)).max(start.unwrap_or(Date::MIN));
        let draft = CheckInDraft {
            author_id: None,
            reason: None,
            date: Some(CalendarDate::new(date).map_err(|m| at(ValidationError::new("date", m)))?),
            status: u.status,
            percent: match u.status {
                Completed => None,
                _ => Some(
                    Percent::new(u.percent).map_err(|m| at(ValidationError::new("percent", m)))?,
                ),
            },
            happened: Some(text("happened", u.happened).map_err(at)?),
            next: Some(text("next", u.next).map_err(at)?),
            help_needed: u
                .help
                .map(|h| text("help_needed", h))
                .transpose()
                .map_err(at)?,
            links: Vec::new(),
        };
        app.file_checkin(node.id, &draft).await?;
        filed += 1;
    }
    Ok(filed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_code::{DocFormat, parse};
    use crate::sample::{SAMPLE_NAME, SAMPLE_PLAN};
    use std::collections::HashSet;

    #[test]
    fn the_table_covers_each_initiative_once() {
        let doc = parse(SAMPLE_NAME, SAMPLE_PLAN, DocFormat::Yaml).unwrap();
        let flat = doc.validate().unwrap();
        let initiatives: HashSet<&str> = flat
            .iter()
            .filter(|f| f.level == 2)
            .filter_map(|f| f.entry.code.as_ref().map(Code::as_str))
            .collect();
        let codes: Vec<&str> = UPDATES.iter().map(|u| u.code).collect();
        assert_eq!(codes.len(), initiatives.len(), "one update per initiative");
        assert_eq!(codes.iter().copied().collect::<HashSet<_>>(), initiatives);
    }

    #[test]
    fn texts_are_valid_and_help_goes_with_trouble() {
        for u in UPDATES {
            assert!(text("happened", u.happened).is_ok(), "{}", u.code);
            assert!(text("next", u.next).is_ok(), "{}", u.code);
            assert!((0.0..=100.0).contains(&u.percent), "{}", u.code);
            let troubled = matches!(u.status, AtRisk | OffTrack);
            assert_eq!(
                u.help.is_some(),
                troubled,
                "{}: help goes with trouble",
                u.code
            );
        }
    }
}
