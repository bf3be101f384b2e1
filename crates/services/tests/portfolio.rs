//! Portfolio governance through the services layer, on every backend:
//! intake and the tie rule, weighted scores, the cut line, stage gates,
//! approval into an initiative, capacity and budget. The numbers asserted
//! are worked by hand in the comments (and in docs/portfolio.md).

#[path = "portfolio/fixture.rs"]
mod fixture;
#[path = "portfolio/resources.rs"]
mod resources;

use fixture::*;
use lodestar_domain::*;
use lodestar_services::ServiceError;
use lodestar_services::portfolio::ScoreEntry;

#[tokio::test]
async fn submission_is_refused_without_a_tie_or_an_exception() {
    for f in fixtures().await {
        let b = f.backend;
        let p = f
            .app
            .create_proposal(&f.viewer, &f.draft("Untied"))
            .await
            .unwrap();
        let e = invalid(
            f.app
                .submit_proposal(&f.viewer, p.value.id, p.version, None)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "objectives", "{b}");
        assert_eq!(
            e.message,
            "tie the proposal to at least one objective of an active plan, or have an exception granted",
            "{b}"
        );
        assert!(
            f.app.proposal(p.value.id).await.unwrap().value.is_draft(),
            "{b}: nothing moved"
        );

        // A goal is not an objective; an objective of a draft plan does not count.
        let mut d = f.draft("Tied to a goal");
        d.objectives = vec![f.node(f.plan, "1").await];
        let e = invalid(f.app.create_proposal(&f.viewer, &d).await.unwrap_err());
        assert_eq!(e.field, "objectives[0]", "{b}");
        assert!(e.message.contains("is a Goal"), "{b}: {}", e.message);
        d.objectives = vec![f.node(f.draft_plan, "1.1").await];
        let e = invalid(f.app.create_proposal(&f.viewer, &d).await.unwrap_err());
        assert!(
            e.message.contains("draft, not active"),
            "{b}: {}",
            e.message
        );
    }
}

#[tokio::test]
async fn submission_is_allowed_with_a_tie() {
    for f in fixtures().await {
        let b = f.backend;
        let id = f.tied("Portal monitoring", vec![], vec![]).await;
        let detail = f.app.proposal_detail(id).await.unwrap();
        assert_eq!(detail.proposal.stage.as_str(), "submitted", "{b}");
        assert!(detail.proposal.submitted_at.is_some(), "{b}");
        assert_eq!(detail.transitions.len(), 1, "{b}");
        let t = &detail.transitions[0];
        assert_eq!(
            (t.from.as_str(), t.to.as_str(), t.gate.as_str()),
            ("draft", "submitted", "Submit"),
            "{b}"
        );
        assert_eq!(t.actor_name, "Val Viewer", "{b}");
        let next: Vec<&str> = detail.next_gates.iter().map(|g| g.to.as_str()).collect();
        assert_eq!(next, ["reviewed", "rejected", "on-hold"], "{b}");

        // A submitted proposal is no longer edited.
        let err = f
            .app
            .update_proposal(&f.viewer, id, detail.version, &f.draft("Changed"))
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Conflict { .. }), "{b}: {err:?}");
    }
}

#[tokio::test]
async fn submission_is_allowed_with_an_exception_from_an_allowed_role() {
    for f in fixtures().await {
        let b = f.backend;
        let p = f
            .app
            .create_proposal(&f.viewer, &f.draft("Emergency firewall"))
            .await
            .unwrap();
        let id = p.value.id;
        let err = f
            .app
            .grant_exception(&f.editor, id, p.version, "urgent")
            .await
            .unwrap_err();
        match err {
            ServiceError::Forbidden(m) => assert!(m.contains("only administrator may"), "{b}: {m}"),
            other => panic!("{b}: expected Forbidden, got {other:?}"),
        }
        let e = invalid(
            f.app
                .grant_exception(&f.admin, id, p.version, "  ")
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "reason", "{b}");
        let granted = f
            .app
            .grant_exception(&f.admin, id, p.version, "Security incident; CIO approval")
            .await
            .unwrap();
        let exception = granted.value.exception.clone().unwrap();
        assert_eq!(exception.approver_name.as_str(), "Ada Admin", "{b}");
        let out = f
            .app
            .submit_proposal(&f.viewer, id, granted.version, Some("needed now"))
            .await
            .unwrap();
        assert_eq!(out.proposal.stage.as_str(), "submitted", "{b}");
        assert!(out.transition.note.unwrap().contains("by exception"), "{b}");

        let report = f.app.exceptions_report(Some(f.org)).await.unwrap();
        assert_eq!(report.len(), 1, "{b}");
        assert_eq!(report[0].proposal_id, id, "{b}");
        assert!(!report[0].tied, "{b}");
        assert_eq!(
            report[0].exception.reason.as_str(),
            "Security incident; CIO approval",
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_score_is_the_weighted_mean_of_every_reviewers_scores() {
    for f in fixtures().await {
        let b = f.backend;
        let id = f.tied("Permits online", vec![], vec![]).await;
        let err = f
            .app
            .score_proposal(&f.viewer, id, "value", 5, None)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Forbidden(_)), "{b}: {err:?}");
        let e = invalid(
            f.app
                .score_proposal(&f.reviewer, id, "beauty", 5, None)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "scores[0].criterion", "{b}");
        let e = invalid(
            f.app
                .score_proposal(&f.reviewer, id, "value", 6, None)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "scores[0].score", "{b}");

        // A sheet is stored whole or not at all: a bad second entry keeps the first out.
        let sheet = [
            ScoreEntry {
                criterion: "value",
                score: 4,
                comment: None,
            },
            ScoreEntry {
                criterion: "risk",
                score: 9,
                comment: None,
            },
        ];
        let e = invalid(
            f.app
                .score_proposal_sheet(&f.reviewer, id, &sheet)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "scores[1].score", "{b}");
        let (scores, _) = f.app.proposal_scores(id).await.unwrap();
        assert!(scores.is_empty(), "{b}: {} scores stored", scores.len());

        // Rex (reviewer): alignment 5, value 4, risk 1, then risk re-scored 3.
        // Eve (plan editor): alignment 4, value 2, urgency 4. Cost unscored.
        for (who, criterion, score) in [
            (&f.reviewer, "strategic-alignment", 5),
            (&f.reviewer, "value", 4),
            (&f.reviewer, "risk", 1),
            (&f.editor, "strategic-alignment", 4),
            (&f.editor, "value", 2),
            (&f.editor, "urgency", 4),
        ] {
            f.app
                .score_proposal(who, id, criterion, score, Some("see notes"))
                .await
                .unwrap();
        }
        let (scores, summary) = f
            .app
            .score_proposal(&f.reviewer, id, "risk", 3, None)
            .await
            .unwrap();
        // Means: alignment (5+4)/2 = 4.5, value (4+2)/2 = 3, risk 3 (the
        // re-score replaced the 1), urgency 4. Weighted over the scored criteria:
        // (30·4.5 + 25·3 + 15·3 + 15·4) / (30 + 25 + 15 + 15) = 315 / 85 = 3.70588…
        // As a percentage: (3.70588 − 1) / 4 · 100 = 67.647…
        assert_eq!(scores.len(), 6, "{b}: one score per reviewer per criterion");
        let score = summary.score.unwrap();
        assert!((score - 315.0 / 85.0).abs() < 1e-9, "{b}: {score}");
        assert!(
            (summary.percent.unwrap() - 67.647_058_823).abs() < 1e-6,
            "{b}"
        );
        assert_eq!(
            (summary.criteria_scored, summary.criteria_total),
            (4, 5),
            "{b}"
        );
        let rex_risk = scores
            .iter()
            .find(|s| s.reviewer_name == "Rex Reviewer" && s.criterion.as_str() == "risk")
            .unwrap();
        assert_eq!(
            (rex_risk.score, rex_risk.comment.as_deref()),
            (3, None),
            "{b}: each reviewer's input stays visible"
        );
        let eve: Vec<_> = scores
            .iter()
            .filter(|s| s.reviewer_name == "Eve Editor")
            .collect();
        assert_eq!(eve.len(), 3, "{b}");
    }
}

#[tokio::test]
async fn gates_need_the_right_role_a_reason_and_the_checklist() {
    for f in fixtures().await {
        let b = f.backend;
        let id = f.tied("Fibre to the libraries", vec![], vec![]).await;
        let e = invalid(f.pass(&f.admin, id, "closed", &[]).await.unwrap_err());
        assert_eq!(e.field, "to", "{b}");
        assert!(
            e.message
                .contains("may move to: reviewed, rejected, on-hold"),
            "{b}: {}",
            e.message
        );

        let err = f
            .pass(&f.viewer, id, "reviewed", &f.checklist(0))
            .await
            .unwrap_err();
        match err {
            ServiceError::Forbidden(m) => assert!(
                m.contains("reviewer, plan-editor, administrator"),
                "{b}: {m}"
            ),
            other => panic!("{b}: expected Forbidden, got {other:?}"),
        }
        let v = f.version(id).await;
        let e = invalid(
            f.app
                .pass_gate(&f.reviewer, id, v, "reviewed", "", &f.checklist(0))
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "reason", "{b}");
        let e = invalid(
            f.pass(&f.reviewer, id, "reviewed", &f.checklist(0)[..1])
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "checklist", "{b}");
        assert!(e.message.contains("Every criterion has been scored"), "{b}");

        let out = f
            .pass(&f.reviewer, id, "reviewed", &f.checklist(0))
            .await
            .unwrap();
        assert_eq!(out.proposal.stage.as_str(), "reviewed", "{b}");
        let err = f
            .pass(&f.editor, id, "approved", &f.checklist(1))
            .await
            .unwrap_err();
        match err {
            ServiceError::Forbidden(m) => assert!(m.contains("only by: administrator"), "{b}: {m}"),
            other => panic!("{b}: expected Forbidden, got {other:?}"),
        }
        let v = f.version(id).await;
        let err = f
            .app
            .pass_gate(&f.admin, id, v - 1, "approved", "ok", &f.checklist(1))
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Stale { .. }), "{b}: {err:?}");

        let transitions = f.app.proposal_detail(id).await.unwrap().transitions;
        assert_eq!(transitions.len(), 2, "{b}: refused moves leave no record");
        let t = &transitions[1];
        assert_eq!(
            (t.from.as_str(), t.to.as_str(), t.gate.as_str()),
            ("submitted", "reviewed", "Review"),
            "{b}"
        );
        assert_eq!(t.actor_id, Some(f.reviewer.id), "{b}");
        assert_eq!(t.actor_name, "Rex Reviewer", "{b}");
        assert_eq!(t.reason.as_str(), "as discussed at the board", "{b}");
        assert_eq!(t.checklist, f.checklist(0), "{b}");
    }
}

#[tokio::test]
async fn approval_creates_the_initiative_under_the_first_objective() {
    for f in fixtures().await {
        let b = f.backend;
        let people = f.app.store().list_people(Some(f.org)).await.unwrap();
        let sam = people
            .iter()
            .find(|p| p.name.as_str() == "Sam Sponsor")
            .unwrap()
            .id;
        let (o11, o21) = (f.node(f.plan, "1.1").await, f.node(f.plan, "2.1").await);
        let mut d = f.draft("Status page");
        d.objectives = vec![o11, o21];
        d.sponsor_id = Some(sam);
        d.problem =
            Some(LongText::parse("Residents cannot tell when the portal is down.").unwrap());
        d.benefits = Some(LongText::parse("Fewer calls.").unwrap());
        d.target_start = Some("2026-02-01".parse().unwrap());
        d.target_end = Some("2026-09-30".parse().unwrap());
        let p = f.app.create_proposal(&f.viewer, &d).await.unwrap();
        f.app
            .submit_proposal(&f.viewer, p.value.id, p.version, None)
            .await
            .unwrap();
        let out = f.approve(p.value.id).await;

        let node_id = out.initiative.expect("an initiative");
        assert_eq!(out.proposal.node_id, Some(node_id), "{b}: linked back");
        let node = f.app.store().get_node(node_id).await.unwrap();
        assert_eq!(node.parent_id, Some(o11), "{b}");
        assert_eq!(node.level, 2, "{b}");
        assert_eq!(node.title.as_str(), "Status page", "{b}");
        assert_eq!(node.owner_id, Some(sam), "{b}");
        assert_eq!(node.start_date.unwrap().to_string(), "2026-02-01", "{b}");
        assert_eq!(node.due_date.unwrap().to_string(), "2026-09-30", "{b}");
        assert!(
            node.description
                .unwrap()
                .as_str()
                .contains("Expected benefits: Fewer calls."),
            "{b}"
        );
        let links = f.app.store().list_alignments(Some(node_id)).await.unwrap();
        assert_eq!(links.len(), 1, "{b}");
        assert_eq!(
            (links[0].from_node_id, links[0].to_node_id),
            (node_id, o21),
            "{b}"
        );
        assert!(
            out.transition
                .note
                .unwrap()
                .contains("created an initiative"),
            "{b}"
        );

        // Moving on into execution creates nothing more.
        let started = f
            .pass(&f.editor, p.value.id, "in-execution", &f.checklist(2))
            .await
            .unwrap();
        assert_eq!(started.initiative, None, "{b}");
        assert_eq!(
            f.app.store().plan_nodes(f.plan).await.unwrap().len(),
            6,
            "{b}"
        );
    }
}

#[tokio::test]
async fn approval_by_exception_without_a_tie_creates_no_node() {
    for f in fixtures().await {
        let b = f.backend;
        let p = f
            .app
            .create_proposal(&f.viewer, &f.draft("Emergency patching"))
            .await
            .unwrap();
        let g = f
            .app
            .grant_exception(&f.admin, p.value.id, p.version, "Zero-day")
            .await
            .unwrap();
        f.app
            .submit_proposal(&f.viewer, p.value.id, g.version, None)
            .await
            .unwrap();
        let out = f.approve(p.value.id).await;
        assert_eq!(out.initiative, None, "{b}");
        assert_eq!(out.proposal.node_id, None, "{b}");
        assert!(
            out.transition
                .note
                .unwrap()
                .contains("no initiative was created"),
            "{b}"
        );
    }
}

#[tokio::test]
async fn a_sponsor_or_plan_of_another_organization_is_refused_by_field() {
    for f in fixtures().await {
        let b = f.backend;
        let other = f
            .app
            .create_organization(&OrganizationDraft {
                name: Name::parse("Elsewhere County").unwrap(),
                parent_id: None,
            })
            .await
            .unwrap();
        let stranger = f
            .app
            .create_person(&PersonDraft {
                organization_id: other.id,
                name: Name::parse("Stan Stranger").unwrap(),
                email: None,
                department_id: None,
            })
            .await
            .unwrap();
        let mut d = f.draft("Sponsored from elsewhere");
        d.sponsor_id = Some(stranger.id);
        let e = invalid(f.app.create_proposal(&f.viewer, &d).await.unwrap_err());
        assert_eq!(e.field, "sponsor_id", "{b}");
        assert_eq!(
            e.message,
            format!("person {} belongs to another organization", stranger.id),
            "{b}"
        );

        let mut d = f.draft("Filed under another organization");
        d.organization_id = other.id;
        d.plan_id = Some(f.plan);
        let e = invalid(f.app.create_proposal(&f.viewer, &d).await.unwrap_err());
        assert_eq!(e.field, "plan_id", "{b}: {}", e.message);
        assert!(
            e.message.contains("belongs to another organization"),
            "{b}: {}",
            e.message
        );
    }
}
