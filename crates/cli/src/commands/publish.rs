//! `lodestar publish` and `lodestar unpublish`: make a plan, or parts of it,
//! public on the transparency portal and in the open data (docs/open-data.md).

use crate::error::{CliError, CliResult};
use clap::Args;
use lodestar_domain::Code;
use lodestar_services::App;
use std::io::Write;

/// Arguments of `lodestar publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// A node to keep private, by code (`1.2`); its whole subtree stays private too. Repeat for more.
    #[arg(long, value_name = "CODE")]
    pub withhold: Vec<String>,
}

/// Arguments of `lodestar unpublish`.
#[derive(Debug, Args)]
pub struct UnpublishArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,
}

/// Withholds the nodes named (all checked before any is changed), publishes
/// the plan, and says what the public now sees.
pub(crate) async fn publish(app: &App, args: &PublishArgs, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&args.plan).await?;
    let mut nodes = Vec::new();
    for raw in &args.withhold {
        let code =
            Code::parse(raw).map_err(|m| CliError::failed(format!("--withhold {raw:?}: {m}")))?;
        let node = app
            .store()
            .find_node_by_code(plan.id, &code)
            .await
            .map_err(lodestar_services::ServiceError::from)?
            .ok_or_else(|| {
                CliError::failed(format!(
                    "--withhold {raw:?}: plan {} has no node with that code",
                    plan.key
                ))
            })?;
        nodes.push(node.id);
    }
    for node in nodes {
        app.withhold_node(node).await?;
    }
    let day = app.publish_plan(plan.id).await?;
    let public = app.public_plan(plan.key.as_str()).await?;
    let (_, withheld) = app.publication(plan.id).await?;
    writeln!(
        out,
        "Published {} ({}) since {day}: {} node(s) and {} measure(s) public at /public/plans/{}; {} node(s) withheld with their subtrees.",
        plan.key,
        plan.title,
        public.nodes.len(),
        public.measures.len(),
        plan.key,
        withheld.len()
    )
    .map_err(CliError::stdout)
}

/// Makes a plan private again.
pub(crate) async fn unpublish(app: &App, args: &UnpublishArgs, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&args.plan).await?;
    let was = app.unpublish_plan(plan.id).await?;
    let text = if was {
        format!("{} is no longer public.", plan.key)
    } else {
        format!("{} was not published; nothing changed.", plan.key)
    };
    writeln!(out, "{text}").map_err(CliError::stdout)
}
