//! The data-flow graph: who passes personal data to whom. Built from the register by the rules
//! in [`build`] (documented in `docs/graph.md`); cycles are allowed.

pub mod build;

pub use build::build;

use crate::model::{Location, Mechanism, Place, Tristate};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Organisation,
    DataSubjects,
    Customer,
    System,
    Processor,
}

/// A node's identity: its kind and the entity's key.
pub type NodeId = (NodeKind, String);

/// A party or store in the graph.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub kind: NodeKind,
    pub key: String,
    pub label: String,
    /// Where it holds data: a processor's locations (else its seat), a system's locations (else
    /// its host's), the organisation's and customers' countries.
    pub places: Vec<Place>,
}

/// Which rule of `docs/graph.md` made an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeRule {
    /// Data subjects → organisation, for each activity.
    ActivitySubjects,
    /// Customer → organisation, for processor activities.
    ActivityCustomers,
    /// Organisation → system used by an activity.
    ActivitySystems,
    /// Organisation → recipient of an activity.
    ActivityRecipients,
    /// System → the processor hosting it.
    SystemHost,
    /// Processor → its sub-processor.
    SubProcessor,
    /// A row of the flows table.
    ExplicitFlow,
    /// Organisation → a processor nothing else reaches (published sub-processor lists).
    UnlinkedProcessor,
    /// Organisation → a system no activity uses.
    UnlinkedSystem,
}

/// What passes along an edge.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// The data categories that pass; `None` means everything the source holds.
    pub categories: Option<BTreeSet<String>>,
    /// Keys of the activities the edge serves.
    pub activities: BTreeSet<String>,
    pub encrypted: Tristate,
    /// Mechanisms set on the flow itself, overriding the importer's.
    pub mechanisms: Vec<Mechanism>,
    pub rules: BTreeSet<EdgeRule>,
    /// The cells the edge was derived from.
    pub origins: Vec<Location>,
}

/// The graph with a stable index from entity keys to nodes.
#[derive(Debug, Default)]
pub struct FlowGraph {
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<NodeId, NodeIndex>,
}

impl FlowGraph {
    /// The node for an entity, if it is in the graph.
    pub fn node(&self, kind: NodeKind, key: &str) -> Option<NodeIndex> {
        self.index.get(&(kind, key.to_string())).copied()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    fn add_node(&mut self, node: Node) -> NodeIndex {
        let id = (node.kind, node.key.clone());
        if let Some(&existing) = self.index.get(&id) {
            return existing;
        }
        let index = self.graph.add_node(node);
        self.index.insert(id, index);
        index
    }

    /// Adds an edge, or widens the existing one between the same two nodes.
    fn add_edge(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) {
        match self.graph.find_edge(from, to) {
            Some(existing) => {
                let current = &mut self.graph[existing];
                current.categories = match (current.categories.take(), edge.categories) {
                    (Some(mut a), Some(b)) => {
                        a.extend(b);
                        Some(a)
                    }
                    _ => None,
                };
                current.activities.extend(edge.activities);
                if current.encrypted == Tristate::Unknown {
                    current.encrypted = edge.encrypted;
                } else if edge.encrypted == Tristate::No {
                    current.encrypted = Tristate::No;
                }
                for m in edge.mechanisms {
                    if !current.mechanisms.contains(&m) {
                        current.mechanisms.push(m);
                    }
                }
                current.rules.extend(edge.rules);
                for origin in edge.origins {
                    if !current.origins.contains(&origin) {
                        current.origins.push(origin);
                    }
                }
            }
            None => {
                self.graph.add_edge(from, to, edge);
            }
        }
    }

    /// Nodes and edges in a serialisable, stable form.
    pub fn summary(&self) -> GraphSummary<'_> {
        let id = |i: NodeIndex| {
            let n = &self.graph[i];
            NodeRef {
                kind: n.kind,
                key: &n.key,
            }
        };
        let mut edges: Vec<EdgeView<'_>> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                Some(EdgeView {
                    from: id(a),
                    to: id(b),
                    edge: &self.graph[e],
                })
            })
            .collect();
        edges.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
        GraphSummary { nodes, edges }
    }
}

/// A node named by kind and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NodeRef<'a> {
    pub kind: NodeKind,
    pub key: &'a str,
}

/// An edge with its endpoints.
#[derive(Debug, Serialize)]
pub struct EdgeView<'a> {
    pub from: NodeRef<'a>,
    pub to: NodeRef<'a>,
    #[serde(flatten)]
    pub edge: &'a Edge,
}

/// The whole graph, sorted.
#[derive(Debug, Serialize)]
pub struct GraphSummary<'a> {
    pub nodes: Vec<&'a Node>,
    pub edges: Vec<EdgeView<'a>>,
}
