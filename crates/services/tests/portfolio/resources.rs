//! The cut line, capacity, budget, the configuration and the audit log.

use super::fixture::*;
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_services::ServiceError;

#[tokio::test]
async fn the_cut_line_fills_greedily_under_capacity_and_budget() {
    for f in fixtures().await {
        let b = f.backend;
        // FY2026: $100,000 capital, $50,000 operating. Developers: 400 h in 2026-03.
        f.app
            .set_budget(
                f.org,
                2026,
                BudgetLimit {
                    capital: money(100_000),
                    operating: money(50_000),
                },
            )
            .await
            .unwrap();
        let dev = StaffRole::parse("developer").unwrap();
        f.app
            .set_capacity(f.org, &dev, month("2026-03"), 400)
            .await
            .unwrap();

        // Committed first: $20,000 capital and 240 h → $80,000 capital and 160 h left.
        let committed = f
            .tied(
                "Committed work",
                vec![cost(2026, CostKind::Capital, 20_000)],
                vec![effort("developer", "2026-03", 240)],
            )
            .await;
        f.approve(committed).await;
        // A: $60,000 capital, 100 h: in → $20,000 and 60 h left.
        let a = f
            .tied(
                "A",
                vec![cost(2026, CostKind::Capital, 60_000)],
                vec![effort("developer", "2026-03", 100)],
            )
            .await;
        // B: fits the budget ($10,000 ≤ $20,000) but not the hours (100 h > 60 h): out.
        let bb = f
            .tied(
                "B",
                vec![cost(2026, CostKind::Capital, 10_000)],
                vec![effort("developer", "2026-03", 100)],
            )
            .await;
        // C: fits the hours (10 h ≤ 60 h) but not the budget ($60,000 operating > $50,000): out.
        let c = f
            .tied(
                "C",
                vec![cost(2026, CostKind::Operating, 60_000)],
                vec![effort("developer", "2026-03", 10)],
            )
            .await;
        // D: smaller, ranked below B and C, fits: $5,000 operating, 60 h.
        let d = f
            .tied(
                "D",
                vec![cost(2026, CostKind::Operating, 5_000)],
                vec![effort("developer", "2026-03", 60)],
            )
            .await;
        // E: unscored, ranks last; nothing is left for its 1 h.
        let e = f
            .tied("E", vec![], vec![effort("developer", "2026-03", 1)])
            .await;
        for (id, score) in [(a, 5), (bb, 4), (c, 3), (d, 2)] {
            f.app
                .score_proposal(&f.reviewer, id, "value", score, None)
                .await
                .unwrap();
        }

        let portfolio = f.app.portfolio(f.org).await.unwrap();
        assert_eq!(portfolio.committed.len(), 1, "{b}");
        let rows: Vec<(ProposalId, bool, &str)> = portfolio
            .ranked
            .iter()
            .map(|r| (r.proposal.id, r.entry.fits, r.entry.reason.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (a, true, "in: uses $60,000.00 of budget and 100 staff hours"),
                (
                    bb,
                    false,
                    "out: developer in 2026-03: needs 100 h, 60 h left of 400 h"
                ),
                (
                    c,
                    false,
                    "out: FY2026 operating: needs $60,000.00, $50,000.00 left"
                ),
                (d, true, "in: uses $5,000.00 of budget and 60 staff hours"),
                (
                    e,
                    false,
                    "out: developer in 2026-03: needs 1 h, 0 h left of 400 h"
                ),
            ],
            "{b}"
        );
        assert_eq!(
            portfolio.ranked[4].entry.score, None,
            "{b}: unscored, ranked last"
        );
        assert_eq!(portfolio.ranked[0].summary.criteria_scored, 1, "{b}");
    }
}

#[tokio::test]
async fn capacity_over_allocation_is_flagged() {
    for f in fixtures().await {
        let b = f.backend;
        let dev = StaffRole::parse("developer").unwrap();
        f.app
            .set_capacity(f.org, &dev, month("2026-03"), 160)
            .await
            .unwrap();
        f.app
            .set_capacity(f.org, &dev, month("2026-04"), 160)
            .await
            .unwrap();
        let one = f
            .tied(
                "One",
                vec![],
                vec![
                    effort("developer", "2026-03", 120),
                    effort("developer", "2026-04", 40),
                ],
            )
            .await;
        let two = f
            .tied(
                "Two",
                vec![],
                vec![
                    effort("developer", "2026-03", 80),
                    effort("analyst", "2026-04", 8),
                ],
            )
            .await;
        // Submitted but not committed: no demand yet.
        f.tied("Three", vec![], vec![effort("developer", "2026-04", 500)])
            .await;
        f.approve(one).await;
        f.approve(two).await;
        let rows = f
            .app
            .capacity_report(f.org, month("2026-03"), month("2026-04"))
            .await
            .unwrap();
        let table: Vec<(String, String, u64, u64, i64, bool)> = rows
            .iter()
            .map(|r| {
                (
                    r.role.to_string(),
                    r.month.to_string(),
                    r.capacity,
                    r.demand,
                    r.free,
                    r.over_allocated,
                )
            })
            .collect();
        assert_eq!(
            table,
            [
                ("analyst".into(), "2026-03".into(), 0, 0, 0, false),
                ("analyst".into(), "2026-04".into(), 0, 8, -8, true),
                ("developer".into(), "2026-03".into(), 160, 200, -40, true),
                ("developer".into(), "2026-04".into(), 160, 40, 120, false),
            ],
            "{b}"
        );
        let e = invalid(
            f.app
                .capacity_report(f.org, month("2026-05"), month("2026-03"))
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "to", "{b}");
    }
}

#[tokio::test]
async fn the_budget_rolls_up_by_goal_and_objective_split_between_ties() {
    for f in fixtures().await {
        let b = f.backend;
        let (o11, o21) = (f.node(f.plan, "1.1").await, f.node(f.plan, "2.1").await);
        let mut d = f.draft("Shared platform");
        d.objectives = vec![o11, o21];
        d.costs = vec![
            CostLine {
                fiscal_year: 2026,
                kind: CostKind::Capital,
                recurrence: Recurrence::OneTime,
                amount: Money(10_001),
            },
            CostLine {
                fiscal_year: 2027,
                kind: CostKind::Operating,
                recurrence: Recurrence::Recurring,
                amount: money(300),
            },
        ];
        let p = f.app.create_proposal(&f.viewer, &d).await.unwrap();
        f.app
            .submit_proposal(&f.viewer, p.value.id, p.version, None)
            .await
            .unwrap();
        f.approve(p.value.id).await;
        f.app
            .set_budget(
                f.org,
                2026,
                BudgetLimit {
                    capital: money(1_000),
                    operating: money(0),
                },
            )
            .await
            .unwrap();

        let r = f.app.budget_rollup(f.org).await.unwrap();
        let rows: Vec<(Option<NodeId>, i32, Money, Money)> = r
            .rows
            .iter()
            .map(|row| {
                (
                    row.placement.objective_id,
                    row.fiscal_year,
                    row.capital,
                    row.operating,
                )
            })
            .collect();
        // $100.01 capital splits $50.01 (first tie) + $50.00; $300 operating $150 each.
        assert!(
            rows.contains(&(Some(o11), 2026, Money(5_001), Money::ZERO)),
            "{b}: {rows:?}"
        );
        assert!(
            rows.contains(&(Some(o21), 2026, Money(5_000), Money::ZERO)),
            "{b}"
        );
        assert!(
            rows.contains(&(Some(o11), 2027, Money::ZERO, money(150))),
            "{b}"
        );
        assert_eq!(
            r.rows[0].placement.goal_title.as_ref().unwrap().as_str(),
            "Reliable services",
            "{b}"
        );
        let fy26 = r.years.iter().find(|y| y.fiscal_year == 2026).unwrap();
        assert_eq!(
            (fy26.capital, fy26.capital_left),
            (Money(10_001), Money(89_999)),
            "{b}"
        );
        let fy27 = r.years.iter().find(|y| y.fiscal_year == 2027).unwrap();
        assert_eq!(
            (fy27.limit, fy27.operating_left),
            (None, money(-300)),
            "{b}: no budget is $0"
        );
    }
}

#[tokio::test]
async fn the_configuration_is_validated_and_keeps_stages_in_use() {
    for f in fixtures().await {
        let b = f.backend;
        let settings = f.app.governance_settings(f.org).await.unwrap();
        assert_eq!(settings.version, None, "{b}: the default");
        let mut config = settings.config.clone();
        config.criteria.push(Criterion {
            key: Key::parse("accessibility").unwrap(),
            name: Name::parse("Accessibility").unwrap(),
            weight: 10,
            guidance: (1..=5).map(|i| format!("level {i}")).collect(),
        });
        let err = f
            .app
            .put_governance_config(&f.editor, f.org, None, &config)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Forbidden(_)), "{b}");
        let stored = f
            .app
            .put_governance_config(&f.admin, f.org, None, &config)
            .await
            .unwrap();
        assert_eq!(stored.version, Some(1), "{b}");
        assert_eq!(
            f.app
                .governance_settings(f.org)
                .await
                .unwrap()
                .config
                .criteria
                .len(),
            6,
            "{b}"
        );

        let mut broken = config.clone();
        broken.criteria[0].weight = 0;
        let e = invalid(
            f.app
                .put_governance_config(&f.admin, f.org, Some(1), &broken)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "criteria[0].weight", "{b}");

        f.tied("Waiting", vec![], vec![]).await;
        let mut fewer = config.clone();
        fewer.stages.retain(|s| s.key.as_str() != "on-hold");
        fewer.gates.retain(|g| {
            g.to.as_str() != "on-hold" && !g.from.iter().any(|s| s.as_str() == "on-hold")
        });
        f.app
            .put_governance_config(&f.admin, f.org, Some(1), &fewer)
            .await
            .unwrap();
        let mut no_entry = fewer.clone();
        no_entry.stages[0].key = Key::parse("intake").unwrap();
        for g in &mut no_entry.gates {
            for s in &mut g.from {
                if s.as_str() == "submitted" {
                    *s = Key::parse("intake").unwrap();
                }
            }
        }
        let e = invalid(
            f.app
                .put_governance_config(&f.admin, f.org, Some(2), &no_entry)
                .await
                .unwrap_err(),
        );
        assert_eq!(e.field, "stages", "{b}");
        assert!(
            e.message.contains("proposals are in stage submitted"),
            "{b}: {}",
            e.message
        );
        let err = f
            .app
            .put_governance_config(&f.admin, f.org, Some(1), &fewer)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Stale { .. }), "{b}: {err:?}");
    }
}

#[tokio::test]
async fn every_portfolio_table_is_audited() {
    for f in fixtures().await {
        let b = f.backend;
        let actor = lodestar_services::Actor {
            user_id: Some(f.admin.id.0),
            name: "ada@testwick.gov".into(),
        };
        lodestar_services::acting_as(actor, async {
            let id = f
                .tied("Audited", vec![cost(2026, CostKind::Capital, 1)], vec![])
                .await;
            f.app
                .score_proposal(&f.reviewer, id, "value", 3, None)
                .await
                .unwrap();
            let dev = StaffRole::parse("developer").unwrap();
            f.app
                .set_capacity(f.org, &dev, month("2026-01"), 8)
                .await
                .unwrap();
            f.app
                .set_budget(f.org, 2026, BudgetLimit::default())
                .await
                .unwrap();
            f.app
                .put_governance_config(&f.admin, f.org, None, &GovernanceConfig::default())
                .await
                .unwrap();
        })
        .await;
        for table in [
            "proposals",
            "proposal_objectives",
            "proposal_transitions",
            "proposal_scores",
            "staff_capacity",
            "budgets",
            "governance_settings",
        ] {
            let filter = lodestar_storage::AuditFilter {
                entity: Some(table.into()),
                ..Default::default()
            };
            let rows = f.app.store().audit_rows(&filter, 0, 10).await.unwrap();
            assert!(!rows.is_empty(), "{b}: {table} is not audited");
            assert_eq!(rows[0].actor, "ada@testwick.gov", "{b}: {table}");
        }
    }
}
