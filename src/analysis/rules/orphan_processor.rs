//! ## What it does
//! Finds processors that no activity, system, flow or other processor sends data to, in a
//! register that records activities (R019). In a bare sub-processor list every processor is
//! linked from the organisation and none is reported.
//!
//! ## Why it matters
//! A processor nobody uses is either out of date (remove it, and tell customers, Art. 28(2))
//! or used by an activity the register does not record.

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::graph::EdgeRule;
use crate::graph::NodeKind;
use petgraph::Direction;

pub const RULE: Rule = Rule {
    code: Code::OrphanProcessor,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.register.activities.is_empty() {
        return;
    }
    let processors = cx.processors();
    for node in cx.graph.graph.node_indices() {
        let n = &cx.graph.graph[node];
        if n.kind != NodeKind::Processor {
            continue;
        }
        let only_by_default = cx
            .graph
            .graph
            .edges_directed(node, Direction::Incoming)
            .all(|e| {
                e.weight()
                    .rules
                    .iter()
                    .all(|r| r == EdgeRule::UnlinkedProcessor)
            });
        if only_by_default {
            let mut d = Diagnostic::new(
                Code::OrphanProcessor,
                format!(
                    "no activity, system or flow sends data to processor `{}`",
                    n.label
                ),
            )
            .help("link it from the activities or systems that use it, or remove it from the list");
            if let Some(p) = processors.get(n.key.as_str()) {
                d = d.at(p.origin.cell("name"));
            }
            out.push(d);
        }
    }
}
