//! ## What it does
//! Finds processors that data reaches only through more processors than the policy's
//! `max-chain-depth` (default 3: processor, sub-processor, and its sub-processor) (R020).
//!
//! ## Why it matters
//! Every link must be bound by the same obligations (Art. 28(4)) and every onward transfer
//! needs a basis (Art. 44); long chains are where control and documentation get lost.

use super::{Rule, RuleContext};
use crate::diag::{Code, Diagnostic};
use crate::graph::NodeKind;
use petgraph::Direction;
use std::collections::VecDeque;

pub const RULE: Rule = Rule {
    code: Code::SubProcessorChainTooDeep,
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let graph = &cx.graph.graph;
    // Breadth-first from everything that is not a processor: each processor's depth is the
    // fewest processors on a path to it, so cycles cannot make it grow.
    let mut depth: Vec<Option<usize>> = vec![None; graph.node_count()];
    let mut via: Vec<Option<petgraph::graph::NodeIndex>> = vec![None; graph.node_count()];
    let mut queue = VecDeque::new();
    for node in graph.node_indices() {
        if graph[node].kind != NodeKind::Processor {
            depth[node.index()] = Some(0);
            queue.push_back(node);
        }
    }
    while let Some(node) = queue.pop_front() {
        let d = depth[node.index()].unwrap_or(0);
        for next in graph.neighbors_directed(node, Direction::Outgoing) {
            if depth[next.index()].is_none() && graph[next].kind == NodeKind::Processor {
                depth[next.index()] = Some(d + 1);
                via[next.index()] = Some(node);
                queue.push_back(next);
            }
        }
    }
    let processors = cx.processors();
    let mut nodes: Vec<_> = graph.node_indices().collect();
    nodes.sort_by(|a, b| graph[*a].key.cmp(&graph[*b].key));
    for node in nodes {
        let Some(d) = depth[node.index()] else {
            continue;
        };
        if d <= cx.max_chain_depth {
            continue;
        }
        let mut chain = vec![graph[node].label.clone()];
        let mut current = node;
        while let Some(previous) = via[current.index()] {
            chain.push(graph[previous].label.clone());
            current = previous;
        }
        chain.reverse();
        let mut finding = Diagnostic::new(
            Code::SubProcessorChainTooDeep,
            format!(
                "`{}` is {d} processors down the chain ({}), deeper than the allowed {}",
                graph[node].label,
                chain.join(" → "),
                cx.max_chain_depth
            ),
        )
        .help(
            "check the chain's agreements and transfers, or raise `max-chain-depth` in ropa.toml",
        );
        if let Some(p) = processors.get(graph[node].key.as_str()) {
            finding = finding.at(p.origin.cell("parent"));
        }
        out.push(finding);
    }
}
