//! Who receives an activity's data: the recipients and systems it names, the processors that
//! host those systems, and every sub-processor down the chain. Art. 30(1)(d) asks for all of
//! them, not only the ones the activity's row lists.

use crate::graph::{FlowGraph, NodeKind};
use crate::model::CompactString;
use foldhash::{HashMap, HashMapExt};
use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

/// A recipient reached by an activity, with the party it receives from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub node: NodeIndex,
    /// The node the data came from on the first path found (the organisation for direct
    /// recipients).
    pub via: NodeIndex,
}

/// Per activity, the processors and systems its data reaches, in breadth-first order.
#[derive(Debug, Clone, Default)]
pub struct ActivityRecipients {
    /// Sorted by activity key, each list at its exact length: a large register has a hundred
    /// thousand activities, and a map of keys to lists grown by doubling held three times
    /// what they reach.
    by_activity: Vec<(CompactString, Box<[Reached]>)>,
}

impl ActivityRecipients {
    /// Computes the reach of every activity. Each search stops at nodes it has seen, so cycles
    /// end, and its cost is the size of what the activity reaches.
    pub fn new(graph: &FlowGraph) -> Self {
        // The edges each activity starts from: those tagged with it, except into the
        // organisation (those bring data in).
        let mut starts: HashMap<&str, Vec<EdgeIndex>> = HashMap::new();
        for edge in graph.graph.edge_references() {
            if graph.graph[edge.target()].kind == NodeKind::Organisation {
                continue;
            }
            for activity in graph.edge_activities(edge.weight()) {
                starts.entry(activity).or_default().push(edge.id());
            }
        }
        let mut seen: Vec<usize> = vec![usize::MAX; graph.node_count()];
        let mut keys: Vec<&str> = starts.keys().copied().collect();
        let mut by_activity = Vec::with_capacity(keys.len());
        keys.sort_unstable();
        for (stamp, key) in keys.into_iter().enumerate() {
            let mut reached = Vec::new();
            let mut queue = std::collections::VecDeque::new();
            let mut edges = starts[key].clone();
            edges.sort();
            for edge in edges {
                if let Some((from, to)) = graph.graph.edge_endpoints(edge)
                    && seen[to.index()] != stamp
                {
                    seen[to.index()] = stamp;
                    reached.push(Reached {
                        node: to,
                        via: from,
                    });
                    queue.push_back(to);
                }
            }
            while let Some(node) = queue.pop_front() {
                let mut next: Vec<NodeIndex> = graph
                    .graph
                    .neighbors_directed(node, Direction::Outgoing)
                    .filter(|n| {
                        matches!(graph.graph[*n].kind, NodeKind::Processor | NodeKind::System)
                    })
                    .collect();
                next.sort_by(|a, b| graph.graph[*a].key.cmp(&graph.graph[*b].key));
                for to in next {
                    if seen[to.index()] != stamp {
                        seen[to.index()] = stamp;
                        reached.push(Reached {
                            node: to,
                            via: node,
                        });
                        queue.push_back(to);
                    }
                }
            }
            by_activity.push((CompactString::from(key), reached.into_boxed_slice()));
        }
        ActivityRecipients { by_activity }
    }

    /// What an activity's data reaches.
    pub fn of(&self, activity: &str) -> &[Reached] {
        match self
            .by_activity
            .binary_search_by(|(key, _)| key.as_str().cmp(activity))
        {
            Ok(at) => &self.by_activity[at].1,
            Err(_) => &[],
        }
    }
}
