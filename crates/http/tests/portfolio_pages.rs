//! The portfolio governance pages (issue 8) against the real server on
//! every backend: the intake form and the tie rule, a proposal's scores and
//! weighted result, the gate forms shown only to whom may pass them, the
//! ranking's cut line, and over-allocated months on the capacity page.

mod common;

use common::{Server, assert_nothing_inline, client_with_token};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use reqwest::{Client, StatusCode};

/// An account with `role` and a client acting for it (an admin-scoped token).
async fn account(s: &Server, email: &str, name: &str, role: Role) -> (User, Client) {
    let user = s
        .app
        .add_user(
            &Email::parse(email).unwrap(),
            &Name::parse(name).unwrap(),
            role,
            None,
            "test password of the suite".into(),
        )
        .await
        .unwrap();
    let token = s
        .app
        .create_token(user.id, "tests", &[TokenScope::Admin])
        .await
        .unwrap()
        .1;
    (user, client_with_token(&token))
}

async fn organization(s: &Server) -> OrganizationId {
    let plan = s.first_plan_id().await;
    s.app
        .store()
        .get_plan(PlanId(plan))
        .await
        .unwrap()
        .organization_id
}

async fn page(client: &Client, s: &Server, path: &str) -> (StatusCode, String) {
    let res = client.get(s.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post(client: &Client, s: &Server, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(s.url(path)).form(form).send().await.unwrap()
}

fn draft(org: OrganizationId, title: &str, objective: NodeId) -> ProposalDraft {
    ProposalDraft {
        organization_id: org,
        plan_id: None,
        title: Name::parse(title).unwrap(),
        department_id: None,
        sponsor_id: None,
        problem: None,
        benefits: None,
        risk: RiskLevel::Medium,
        target_start: None,
        target_end: None,
        links: vec![],
        costs: vec![],
        effort: vec![],
        objectives: vec![objective],
    }
}

fn capital(year: i32, dollars: i64) -> CostLine {
    CostLine {
        fiscal_year: year,
        kind: CostKind::Capital,
        recurrence: Recurrence::OneTime,
        amount: Money::dollars(dollars),
    }
}

fn hours(role: &str, month: &str, hours: u32) -> EffortLine {
    EffortLine {
        role: StaffRole::parse(role).unwrap(),
        month: month.parse().unwrap(),
        hours,
    }
}

/// Creates and submits a tied proposal as `who`.
async fn submitted(s: &Server, who: &User, d: &ProposalDraft) -> ProposalId {
    let p = s.app.create_proposal(who, d).await.unwrap();
    s.app
        .submit_proposal(who, p.value.id, p.version, None)
        .await
        .unwrap();
    p.value.id
}

#[tokio::test]
async fn the_intake_form_refuses_submission_without_a_tie_and_keeps_the_input() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let org = organization(&s).await.0.to_string();
        let (status, form) = page(&s.http, &s, "/proposals/new").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_nothing_inline(&form);
        assert!(form.contains("<h1>New proposal</h1>"), "{b}");
        let objective = s.node_id("1.1").await;
        assert!(
            form.contains(&format!("name=\"objective\" value=\"{objective}\"")),
            "{b}: the sample plan's objectives are offered"
        );
        assert!(
            !form.contains(&format!(
                "name=\"objective\" value=\"{}\"",
                s.node_id("1").await
            )),
            "{b}: a goal is not"
        );
        let fields = [
            ("organization_id", org.as_str()),
            ("title", "Replace the permit desk <kiosks>"),
            ("risk", "high"),
            ("problem", "Kiosks fail twice a week"),
            ("cost_year", "2027"),
            ("cost_kind", "capital"),
            ("cost_recurrence", "one-time"),
            ("cost_amount", "48,500.00"),
            ("effort_role", "developer"),
            ("effort_month", "2027-02"),
            ("effort_hours", "120"),
            ("action", "submit"),
        ];
        let res = post(&s.http, &s, "/proposals", &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap();
        assert_nothing_inline(&html);
        let at = html
            .find("<fieldset id=\"objectives\" class=\"objectives invalid\"")
            .unwrap_or_else(|| panic!("{b}: the objectives are marked: {html}"));
        let objectives = &html[at..at + html[at..].find("</fieldset>").unwrap()];
        assert!(
            objectives.contains(
                "<p class=\"field-error\" id=\"objectives-error\">Tie the proposal to at least one objective of an active plan, or have an exception granted</p>"
            ),
            "{b}: the service's message beside the objectives: {objectives}"
        );
        assert!(
            html.contains("href=\"#objectives\""),
            "{b}: linked from the summary"
        );
        assert!(
            html.contains("not submitted"),
            "{b}: it says the draft was kept"
        );
        for kept in [
            "value=\"Replace the permit desk &#60;kiosks&#62;\"",
            "Kiosks fail twice a week</textarea>",
            "value=\"2027\"",
            "value=\"48,500.00\"",
            "value=\"developer\"",
            "value=\"2027-02\"",
            "<option value=\"high\" selected>",
        ] {
            assert!(html.contains(kept), "{b}: {kept} kept in {html}");
        }

        // Ticking an objective and submitting again goes through.
        let id = html
            .split("action=\"/proposals/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap()
            .to_owned();
        let version = html
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        let objective = objective.to_string();
        let mut again = fields.to_vec();
        again.push(("objective", objective.as_str()));
        again.push(("version", version.as_str()));
        let res = post(&s.http, &s, &format!("/proposals/{id}/edit"), &again).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(to, format!("/proposals/{id}?saved=submitted"), "{b}");
        let (_, shown) = page(&s.http, &s, &to).await;
        assert!(
            shown.contains("The proposal is submitted for review."),
            "{b}"
        );
        assert!(shown.contains("$48,500.00"), "{b}");
        assert!(shown.contains("</span> Submitted</span>"), "{b}: {shown}");
    }
}

#[tokio::test]
async fn a_proposal_page_shows_each_reviewers_scores_and_the_weighted_result() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let org = organization(&s).await;
        let (rex, _) = account(&s, "rex@tests.example", "Rex Reviewer", Role::Reviewer).await;
        let (eve, eve_client) =
            account(&s, "eve@tests.example", "Eve Editor", Role::PlanEditor).await;
        let objective = NodeId(s.node_id("1.1").await);
        let id = submitted(&s, &rex, &draft(org, "Portal monitoring", objective)).await;
        for (who, criterion, score) in [
            (&rex, "strategic-alignment", 5),
            (&rex, "value", 4),
            (&rex, "risk", 3),
            (&eve, "strategic-alignment", 4),
            (&eve, "value", 2),
        ] {
            s.app
                .score_proposal(who, id, criterion, score, None)
                .await
                .unwrap();
        }
        // Eve's last score through the page's form.
        let res = post(
            &eve_client,
            &s,
            &format!("/proposals/{id}/scores"),
            &[
                ("score-urgency", "4"),
                ("comment-urgency", "Support ends in June"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let (status, html) = page(&s.http, &s, &format!("/proposals/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_nothing_inline(&html);
        let table = &html[html.find("<table class=\"reviewer-scores\"").unwrap()..];
        let table = &table[..table.find("</table>").unwrap()];
        assert!(
            table.contains("<th scope=\"row\">Rex Reviewer</th><td class=\"number\">5</td><td class=\"number\">4</td><td class=\"number\">3</td><td class=\"number\">–</td><td class=\"number\">–</td>"),
            "{b}: {table}"
        );
        assert!(
            table.contains("<th scope=\"row\">Eve Editor</th><td class=\"number\">4</td><td class=\"number\">2</td><td class=\"number\">–</td><td class=\"number\">4</td><td class=\"number\">–</td>"),
            "{b}: {table}"
        );
        assert!(html.contains("Urgency: Support ends in June"), "{b}");
        assert!(
            html.contains(
                "Weighted score: <strong>3.71</strong> of 5 (67.6 %), 4 of 5 criteria scored."
            ),
            "{b}: {html}"
        );
        assert!(
            html.contains("(30 × 4.50 + 25 × 3.00 + 15 × 3.00 + 15 × 4.00) ÷ (30 + 25 + 15 + 15) = 315.00 ÷ 85 = 3.71"),
            "{b}: the arithmetic shown"
        );
    }
}

#[tokio::test]
async fn a_gate_form_appears_for_an_administrator_and_not_for_a_viewer() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let org = organization(&s).await;
        let (val, val_client) = account(&s, "val@tests.example", "Val Viewer", Role::Viewer).await;
        let objective = NodeId(s.node_id("1.1").await);
        let id = submitted(&s, &val, &draft(org, "Kiosk refresh", objective)).await;
        let path = format!("/proposals/{id}");
        let (_, admin) = page(&s.http, &s, &path).await;
        assert!(
            admin.contains(&format!("action=\"/proposals/{id}/gate\"")),
            "{b}: an administrator may pass the gates"
        );
        assert!(
            admin.contains("<input type=\"hidden\" name=\"to\" value=\"reviewed\">"),
            "{b}"
        );
        assert!(
            admin.contains("The proposal is complete: problem, benefits, costs and effort</label>"),
            "{b}: the checklist as checkboxes"
        );
        assert!(admin.contains("Grant an exception"), "{b}");
        let (_, viewer) = page(&val_client, &s, &path).await;
        assert!(
            !viewer.contains("/gate\""),
            "{b}: no gate form for a viewer"
        );
        assert!(!viewer.contains("Grant an exception"), "{b}");
        assert!(
            !viewer.contains("Save my scores"),
            "{b}: a viewer does not score"
        );
        assert!(
            viewer.contains("Review (to Reviewed): only Reviewer, Plan editor or Administrator may pass this gate."),
            "{b}: {viewer}"
        );

        // A gate passed without its checklist comes back with the message.
        let version = s.app.proposal(id).await.unwrap().version.to_string();
        let res = post(
            &s.http,
            &s,
            &format!("/proposals/{id}/gate"),
            &[
                ("to", "reviewed"),
                ("version", &version),
                ("reason", "ready"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("id=\"gate-reviewed-checklist-error\""),
            "{b}: {html}"
        );
        assert!(html.contains(">ready</textarea>"), "{b}: the reason kept");
        let checklist = GovernanceConfig::default().gates[0].checklist.clone();
        let mut form = vec![
            ("to", "reviewed"),
            ("version", version.as_str()),
            ("reason", "ready"),
        ];
        form.extend(checklist.iter().map(|c| ("checklist", c.as_str())));
        let res = post(&s.http, &s, &format!("/proposals/{id}/gate"), &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let (_, moved) = page(&s.http, &s, &path).await;
        assert!(
            moved.contains("Stage: <span class=\"badge stage-open\">"),
            "{b}"
        );
        assert!(
            moved.contains("✓ Every criterion has been scored"),
            "{b}: the history"
        );
    }
}

#[tokio::test]
async fn the_ranking_shows_the_cut_line_and_why_a_proposal_is_out() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let org = organization(&s).await;
        let (rex, _) = account(&s, "rex@tests.example", "Rex Reviewer", Role::Reviewer).await;
        s.app
            .set_budget(
                org,
                2027,
                BudgetLimit {
                    capital: Money::dollars(100_000),
                    operating: Money::dollars(10_000),
                },
            )
            .await
            .unwrap();
        let objective = NodeId(s.node_id("1.1").await);
        let mut small = draft(org, "Small and good", objective);
        small.costs = vec![capital(2027, 60_000)];
        let mut big = draft(org, "Too big", objective);
        big.costs = vec![capital(2027, 50_000)];
        let small = submitted(&s, &rex, &small).await;
        let big = submitted(&s, &rex, &big).await;
        s.app
            .score_proposal(&rex, small, "value", 5, None)
            .await
            .unwrap();
        s.app
            .score_proposal(&rex, big, "value", 2, None)
            .await
            .unwrap();
        let (status, html) = page(&s.http, &s, "/portfolio").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_nothing_inline(&html);
        let cut = html
            .find("<tr class=\"cut-line\">")
            .expect("a cut line row");
        let first = html.find("Small and good").unwrap();
        let second = html.find("Too big").unwrap();
        assert!(first < cut && cut < second, "{b}: the line between them");
        assert!(html[cut..].contains("✂ Cut line"), "{b}");
        let out = &html[second..];
        let out = &out[..out.find("</tr>").unwrap()];
        assert!(out.contains("✕</span> Out"), "{b}: {out}");
        assert!(
            out.contains("FY2027 capital: needs $50,000.00, $40,000.00 left"),
            "{b}: the reason: {out}"
        );
    }
}

#[tokio::test]
async fn the_capacity_page_marks_an_over_allocated_month() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let org = organization(&s).await;
        let (rex, _) = account(&s, "rex@tests.example", "Rex Reviewer", Role::Reviewer).await;
        let (ada, _) = account(&s, "ada@tests.example", "Ada Admin", Role::Administrator).await;
        let role = StaffRole::parse("developer").unwrap();
        for m in ["2027-03", "2027-04"] {
            s.app
                .set_capacity(org, &role, m.parse().unwrap(), 160)
                .await
                .unwrap();
        }
        let objective = NodeId(s.node_id("1.1").await);
        let mut d = draft(org, "Permit rebuild", objective);
        d.effort = vec![
            hours("developer", "2027-03", 200),
            hours("developer", "2027-04", 40),
        ];
        let id = submitted(&s, &rex, &d).await;
        let config = GovernanceConfig::default();
        for (who, to, gate) in [(&rex, "reviewed", 0), (&ada, "approved", 1)] {
            let v = s.app.proposal(id).await.unwrap().version;
            s.app
                .pass_gate(who, id, v, to, "as agreed", &config.gates[gate].checklist)
                .await
                .unwrap();
        }
        let (status, html) = page(&s.http, &s, "/capacity?from=2027-01&to=2027-12").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_nothing_inline(&html);
        assert!(
            html.contains("⚠ Over-allocated in 1 month(s)."),
            "{b}: {html}"
        );
        let row = &html[html.find("<th scope=\"row\">2027-03</th>").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("⚠ Over by 40 h"), "{b}: {row}");
        let april = &html[html.find("<th scope=\"row\">2027-04</th>").unwrap()..];
        let april = &april[..april.find("</tr>").unwrap()];
        assert!(april.ends_with("<td>No</td>"), "{b}: {april}");
        assert!(
            html.contains("class=\"demand-bar over\""),
            "{b}: the chart marks it"
        );
        assert!(html.contains("class=\"over-mark\""), "{b}");

        let (status, html) = page(&s.http, &s, "/capacity?from=2027-13").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(html.contains("id=\"from-error\""), "{b}");

        let (status, html) = page(&s.http, &s, "/budget").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("Budget: "), "{b}");
        let (status, _) = page(&s.http, &s, "/proposals/exceptions").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let (status, html) = page(&s.http, &s, "/proposals?stage=approved").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("Permit rebuild"), "{b}");
        let (status, html) = page(&s.http, &s, "/proposals?stage=draft").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(!html.contains("Permit rebuild"), "{b}");
    }
}
