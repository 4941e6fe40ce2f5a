//! What reaches whom: data categories propagated along the flow graph to a fixpoint.
//!
//! Each node holds a bitset of categories. Sources (the organisation, data subjects and
//! customers) start with what they send; an edge passes what its source holds, restricted to
//! the edge's categories when it names any. Sets only grow, so the worklist terminates on
//! cycles, and the cost is bounded by edges × categories.

use crate::graph::{FlowGraph, NodeKind};
use fixedbitset::FixedBitSet;
use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::VecDeque;
use std::sync::Arc;

/// Stands for personal data whose categories no row records: what flows along an edge that
/// names no categories from a source that names none either.
pub const UNSPECIFIED: &str = "personal data (categories not recorded)";

/// The categories every node holds, and how each was first reached.
#[derive(Debug)]
pub struct Reach {
    /// Category names; index 0 is [`UNSPECIFIED`]. Shared: every transfer lists the
    /// categories it carries, and a large register has hundreds of thousands of them.
    pub categories: Vec<Arc<str>>,
    held: Vec<FixedBitSet>,
    /// For each node, the edge data first arrived by (a shortest path from the sources).
    first_edge: Vec<Option<EdgeIndex>>,
}

impl Reach {
    /// What passes along an edge: its source's categories, restricted to the edge's, as
    /// numbers into [`Reach::categories`] in name order (unspecified last).
    pub fn passed(&self, graph: &FlowGraph, edge: EdgeIndex, masks: &EdgeMasks) -> Vec<u32> {
        let Some((from, _)) = graph.graph.edge_endpoints(edge) else {
            return Vec::new();
        };
        let mut set = self.held[from.index()].clone();
        if let Some(mask) = &masks.0[edge.index()] {
            set.intersect_with(mask);
        }
        // Category n of the graph is n + 1 here, and the graph numbers them in name order.
        let mut ids: Vec<u32> = set.ones().filter(|&i| i != 0).map(|i| i as u32).collect();
        if set.contains(0) {
            ids.push(0);
        }
        ids
    }

    /// The path data first took to a node, as nodes from a source to it.
    pub fn path_to(&self, graph: &FlowGraph, node: NodeIndex) -> Vec<NodeIndex> {
        let mut path = vec![node];
        let mut current = node;
        // A node appears at most once on a first-arrival path; the bound guards the loop.
        for _ in 0..graph.node_count() {
            let Some(edge) = self.first_edge[current.index()] else {
                break;
            };
            let Some((from, _)) = graph.graph.edge_endpoints(edge) else {
                break;
            };
            path.push(from);
            current = from;
        }
        path.reverse();
        path
    }
}

/// Each edge's category mask (`None`: passes everything).
pub struct EdgeMasks(Vec<Option<FixedBitSet>>);

/// Runs the propagation.
pub fn reach(graph: &FlowGraph) -> (Reach, EdgeMasks) {
    // The graph numbers its categories in name order; 0 here is UNSPECIFIED, so category n of
    // the graph is n + 1.
    let mut categories: Vec<Arc<str>> = vec![Arc::from(UNSPECIFIED)];
    categories.extend(graph.categories.all().iter().map(|c| Arc::from(c.as_str())));
    let width = categories.len();

    let masks: Vec<Option<FixedBitSet>> = graph
        .graph
        .edge_weights()
        .map(|edge| {
            edge.categories.as_ref().map(|set| {
                let mut mask = FixedBitSet::with_capacity(width);
                for id in set.iter() {
                    mask.insert(id as usize + 1);
                }
                mask
            })
        })
        .collect();

    let nodes = graph.node_count();
    let mut held = vec![FixedBitSet::with_capacity(width); nodes];
    let mut first_edge: Vec<Option<EdgeIndex>> = vec![None; nodes];
    let mut queue: VecDeque<NodeIndex> = VecDeque::new();
    // Sources hold what they send. The organisation also holds what it sends without having
    // received it, so published sub-processor lists without activities still carry data.
    for node in graph.graph.node_indices() {
        if !matches!(
            graph.graph[node].kind,
            NodeKind::Organisation | NodeKind::DataSubjects | NodeKind::Customer
        ) {
            continue;
        }
        let set = &mut held[node.index()];
        set.insert(0);
        for edge in graph.graph.edges_directed(node, Direction::Outgoing) {
            if let Some(mask) = &masks[edge.id().index()] {
                set.union_with(mask);
            }
        }
    }
    // Organisation first, then the other sources, so first-arrival paths start there when
    // they can.
    let mut sources: Vec<NodeIndex> = graph
        .graph
        .node_indices()
        .filter(|&n| !held[n.index()].is_clear())
        .collect();
    sources.sort_by_key(|&n| (graph.graph[n].kind, graph.graph[n].key.clone()));
    queue.extend(sources);

    while let Some(node) = queue.pop_front() {
        let source = held[node.index()].clone();
        for edge in graph.graph.edges_directed(node, Direction::Outgoing) {
            let target = edge.target();
            let mut passing = source.clone();
            if let Some(mask) = &masks[edge.id().index()] {
                passing.intersect_with(mask);
            }
            if passing.is_subset(&held[target.index()]) {
                continue;
            }
            if held[target.index()].is_clear() && first_edge[target.index()].is_none() {
                first_edge[target.index()] = Some(edge.id());
            }
            held[target.index()].union_with(&passing);
            queue.push_back(target);
        }
    }
    (
        Reach {
            categories,
            held,
            first_edge,
        },
        EdgeMasks(masks),
    )
}
