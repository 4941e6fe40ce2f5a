//! The data-flow graph: who passes personal data to whom. Built from the register by the rules
//! in [`build`] (documented in `docs/graph.md`); cycles are allowed.

pub mod build;

pub use build::build;

/// The key of the customer node that stands for every customer: the source of the data of
/// processor activities carried out for all customers (`*`).
pub const ALL_CUSTOMERS: &str = "*";

use crate::model::{Location, Mechanism, Place, Tristate};
use foldhash::HashMap;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Organisation,
    DataSubjects,
    Customer,
    System,
    Processor,
    /// An importer an activity states a transfer to that is not a processor of the register
    /// (`recipients in US`, or the name the statement gives).
    Recipient,
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
    /// For a stated recipient: the activity and the index of its statement.
    #[serde(skip)]
    pub stated: Option<(String, usize)>,
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
    /// Organisation → the importer of a transfer an activity states.
    StatedTransfer,
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
    /// Keys of the activities the edge serves; shared, because one `*` activity set is on
    /// the edge of every customer.
    pub activities: Arc<BTreeSet<String>>,
    pub encrypted: Tristate,
    /// Mechanisms set on the flow itself, overriding the importer's.
    pub mechanisms: Vec<Mechanism>,
    /// Places an activity states for this flow besides the importer's own (`Transfer to US`
    /// for a processor recorded elsewhere): the transfer analysis judges both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    pub rules: BTreeSet<EdgeRule>,
    /// The cells the edge was derived from (shared like `activities`), written as findings
    /// name cells (`file:Sheet!D7`): a large register's graph repeats them for every edge.
    #[serde(serialize_with = "cell_names")]
    pub origins: Arc<BTreeSet<Location>>,
}

fn cell_names<S: serde::Serializer>(
    origins: &Arc<BTreeSet<Location>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(origins.iter().map(|origin| origin.to_string()))
}

impl Edge {
    fn empty() -> Edge {
        Edge {
            categories: None,
            activities: Arc::default(),
            encrypted: Tristate::Unknown,
            mechanisms: Vec::new(),
            places: Vec::new(),
            rules: BTreeSet::new(),
            origins: Arc::default(),
        }
    }
}

/// Two derivations of one edge as one: categories united ("everything" wins), activities,
/// rules and origins united, an unencrypted derivation makes the edge unencrypted.
pub(crate) fn merge_edges(mut a: Edge, b: Edge) -> Edge {
    a.categories = match (a.categories.take(), b.categories) {
        (Some(mut x), Some(y)) => {
            x.extend(y);
            Some(x)
        }
        _ => None,
    };
    if !b.activities.is_subset(&a.activities) {
        Arc::make_mut(&mut a.activities).extend(b.activities.iter().cloned());
    }
    if a.encrypted == Tristate::Unknown || b.encrypted == Tristate::No {
        a.encrypted = match (a.encrypted, b.encrypted) {
            (_, Tristate::Unknown) => a.encrypted,
            (_, other) => other,
        };
    }
    for m in b.mechanisms {
        if !a.mechanisms.contains(&m) {
            a.mechanisms.push(m);
        }
    }
    for p in b.places {
        if !a.places.contains(&p) {
            a.places.push(p);
        }
    }
    a.rules.extend(b.rules);
    if !b.origins.is_subset(&a.origins) {
        Arc::make_mut(&mut a.origins).extend(b.origins.iter().cloned());
    }
    a
}

/// The graph with a stable index from entity keys to nodes.
#[derive(Debug, Default)]
pub struct FlowGraph {
    pub graph: DiGraph<Node, Edge>,
    /// Per kind, key → node: looked up by `&str`, with no key made for each lookup.
    index: HashMap<NodeKind, HashMap<String, NodeIndex>>,
    /// (from, to) → edge, so widening an edge does not scan a node's edges (the organisation
    /// has one per system and processor).
    edges: HashMap<(NodeIndex, NodeIndex), EdgeIndex>,
}

impl FlowGraph {
    /// The node for an entity, if it is in the graph.
    pub fn node(&self, kind: NodeKind, key: &str) -> Option<NodeIndex> {
        self.index.get(&kind)?.get(key).copied()
    }

    /// The edge from `from` to `to`, if any, without scanning `from`'s edges.
    pub fn edge_between(&self, from: NodeIndex, to: NodeIndex) -> Option<EdgeIndex> {
        self.edges.get(&(from, to)).copied()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    fn add_node(&mut self, node: Node) -> NodeIndex {
        if let Some(existing) = self.node(node.kind, &node.key) {
            return existing;
        }
        let (kind, key) = (node.kind, node.key.clone());
        let index = self.graph.add_node(node);
        self.index.entry(kind).or_default().insert(key, index);
        index
    }

    /// Adds an edge, or widens the existing one between the same two nodes.
    fn add_edge(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) {
        match self.edges.get(&(from, to)).copied() {
            Some(existing) => {
                let current = &mut self.graph[existing];
                *current = merge_edges(std::mem::replace(current, Edge::empty()), edge);
            }
            None => {
                let index = self.graph.add_edge(from, to, edge);
                self.edges.insert((from, to), index);
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
