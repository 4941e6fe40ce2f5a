//! The data-flow graph: who passes personal data to whom. Built from the register by the rules
//! in [`build`] (documented in `docs/graph.md`); cycles are allowed.

pub mod build;

pub use build::build;

/// The key of the customer node that stands for every customer: the source of the data of
/// processor activities carried out for all customers (`*`).
pub const ALL_CUSTOMERS: &str = "*";

use crate::model::{CompactString, Location, Mechanism, Place, Tristate};
use foldhash::HashMap;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::Serialize;
use std::collections::BTreeSet;

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
pub type NodeId = (NodeKind, CompactString);

/// A party or store in the graph.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub kind: NodeKind,
    pub key: CompactString,
    pub label: CompactString,
    /// Where it holds data: a processor's locations (else its seat), a system's locations (else
    /// its host's), the organisation's and customers' countries.
    pub places: Vec<Place>,
    /// For a stated recipient: the activity and the index of its statement (boxed: few nodes
    /// are stated recipients, and a large register has hundreds of thousands of nodes).
    #[serde(skip)]
    pub stated: Option<Box<(CompactString, usize)>>,
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

/// Strings that edges name many times (data categories, activity keys), numbered in sorted
/// order, so that numbers order as the strings do. Edges hold the numbers: a large register's
/// graph would otherwise repeat the strings on every edge.
#[derive(Debug, Clone, Default)]
pub struct Names(Vec<CompactString>);

impl Names {
    fn new(names: BTreeSet<CompactString>) -> Self {
        Names(names.into_iter().collect())
    }

    /// The number of a name, if the graph has it.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.0
            .binary_search_by(|n| n.as_str().cmp(name))
            .ok()
            .map(|i| i as u32)
    }

    pub fn name(&self, id: u32) -> &str {
        &self.0[id as usize]
    }

    /// Every name, in number order.
    pub fn all(&self) -> &[CompactString] {
        &self.0
    }
}

/// A set of numbers from [`Names`] (or of cells), ascending and without repeats once the graph
/// is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids<T = u32>(Vec<T>);

impl<T> Default for Ids<T> {
    fn default() -> Self {
        Ids(Vec::new())
    }
}

impl<T: Copy + Ord> Ids<T> {
    pub fn iter(&self) -> impl ExactSizeIterator<Item = T> + '_ {
        self.0.iter().copied()
    }

    pub fn contains(&self, id: T) -> bool {
        self.0.binary_search(&id).is_ok()
    }

    /// Replaces each id, in place; [`Ids::normalise`] sorts them again.
    pub(crate) fn renumber(&mut self, f: impl Fn(T) -> T) {
        for id in &mut self.0 {
            *id = f(*id);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn extend(&mut self, ids: impl IntoIterator<Item = T>) {
        self.0.extend(ids);
    }

    /// Sorted and without repeats; merging edges only appends.
    fn normalise(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
        self.0.shrink_to_fit();
    }
}

impl<T> FromIterator<T> for Ids<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Ids(iter.into_iter().collect())
    }
}

/// Adds to an edge's places or tools those it lacks, in order.
fn add_missing<T: PartialEq>(list: &mut Vec<T>, more: Vec<T>) {
    for m in more {
        if !list.contains(&m) {
            list.push(m);
        }
    }
}

/// What a flow or an activity states for one edge itself. Few edges have any, and a large
/// register's graph has hundreds of thousands: boxed, and absent when empty, the two lists
/// take 8 bytes of an edge instead of 32.
#[derive(Debug, Clone, Default)]
struct StatedOnEdge {
    mechanisms: Vec<Mechanism>,
    places: Vec<Place>,
}

/// A cell an edge was derived from: a sheet (or file) of [`FlowGraph::sheets`], and its row
/// and column (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellAt {
    /// The sheet's rank in the order of locations, so that cells sort as their locations do.
    sheet: u32,
    row: u32,
    column: u32,
}

impl CellAt {
    fn new(sheet: u32, row: Option<u32>, column: Option<u32>) -> CellAt {
        CellAt {
            sheet,
            row: row.unwrap_or(0),
            column: column.unwrap_or(0),
        }
    }

    fn sheet(self) -> u32 {
        self.sheet
    }

    fn in_sheet(self, sheet: u32) -> CellAt {
        CellAt { sheet, ..self }
    }
}

impl EdgeRule {
    pub const ALL: [EdgeRule; 10] = [
        EdgeRule::ActivitySubjects,
        EdgeRule::ActivityCustomers,
        EdgeRule::ActivitySystems,
        EdgeRule::ActivityRecipients,
        EdgeRule::SystemHost,
        EdgeRule::SubProcessor,
        EdgeRule::ExplicitFlow,
        EdgeRule::StatedTransfer,
        EdgeRule::UnlinkedProcessor,
        EdgeRule::UnlinkedSystem,
    ];
}

/// The rules that made an edge, as bits of one number (a set on the heap for each of a large
/// register's edges cost more than the rest of the edge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EdgeRules(u16);

impl EdgeRules {
    pub fn contains(self, rule: EdgeRule) -> bool {
        self.0 & (1 << rule as u16) != 0
    }

    /// The rules in their order.
    pub fn iter(self) -> impl Iterator<Item = EdgeRule> {
        EdgeRule::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<EdgeRule> for EdgeRules {
    fn from_iter<I: IntoIterator<Item = EdgeRule>>(rules: I) -> Self {
        EdgeRules(rules.into_iter().fold(0, |bits, r| bits | 1 << r as u16))
    }
}

impl Serialize for EdgeRules {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// What passes along an edge.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The data categories that pass ([`FlowGraph::categories`]); `None` means everything the
    /// source holds.
    pub categories: Option<Ids>,
    /// The activities the edge serves ([`FlowGraph::activities`]).
    pub activities: Ids,
    pub encrypted: Tristate,
    /// Mechanisms and places stated for the edge itself ([`Edge::mechanisms`],
    /// [`Edge::places`]).
    stated: Option<Box<StatedOnEdge>>,
    pub rules: EdgeRules,
    /// The cells the edge was derived from ([`FlowGraph::origin`]).
    pub origins: Ids<CellAt>,
}

impl Edge {
    pub(crate) fn new(
        categories: Option<Ids>,
        activities: Ids,
        encrypted: Tristate,
        rules: EdgeRules,
        origins: Ids<CellAt>,
    ) -> Edge {
        Edge {
            categories,
            activities,
            encrypted,
            stated: None,
            rules,
            origins,
        }
    }

    fn empty() -> Edge {
        Edge::new(
            None,
            Ids::default(),
            Tristate::Unknown,
            EdgeRules::default(),
            Ids::default(),
        )
    }

    /// Mechanisms set on the flow itself, overriding the importer's.
    pub fn mechanisms(&self) -> &[Mechanism] {
        self.stated.as_ref().map_or(&[], |s| &s.mechanisms)
    }

    /// Places an activity states for this flow besides the importer's own (`Transfer to US`
    /// for a processor recorded elsewhere): the transfer analysis judges both.
    pub fn places(&self) -> &[Place] {
        self.stated.as_ref().map_or(&[], |s| &s.places)
    }

    pub(crate) fn set_mechanisms(&mut self, mechanisms: &[Mechanism]) {
        if !mechanisms.is_empty() {
            self.stated.get_or_insert_default().mechanisms = mechanisms.to_vec();
        }
    }

    pub(crate) fn set_places(&mut self, places: Vec<Place>) {
        if !places.is_empty() {
            self.stated.get_or_insert_default().places = places;
        }
    }

    fn normalise(&mut self) {
        if let Some(categories) = &mut self.categories {
            categories.normalise();
        }
        self.activities.normalise();
        self.origins.normalise();
    }
}

/// Two derivations of one edge as one: categories united ("everything" wins), activities,
/// rules and origins united, an unencrypted derivation makes the edge unencrypted. Sets are
/// appended to here and sorted once the graph is built.
pub(crate) fn merge_edges(mut a: Edge, b: Edge) -> Edge {
    a.categories = match (a.categories.take(), b.categories) {
        (Some(mut x), Some(y)) => {
            x.extend(y.0);
            Some(x)
        }
        _ => None,
    };
    a.activities.extend(b.activities.0);
    if a.encrypted == Tristate::Unknown || b.encrypted == Tristate::No {
        a.encrypted = match (a.encrypted, b.encrypted) {
            (_, Tristate::Unknown) => a.encrypted,
            (_, other) => other,
        };
    }
    match (&mut a.stated, b.stated) {
        (_, None) => {}
        (None, more) => a.stated = more,
        (Some(own), Some(more)) => {
            let more = *more;
            add_missing(&mut own.mechanisms, more.mechanisms);
            add_missing(&mut own.places, more.places);
        }
    }
    a.rules = EdgeRules(a.rules.0 | b.rules.0);
    a.origins.extend(b.origins.0);
    a
}

/// The graph with a stable index from entity keys to nodes.
#[derive(Debug, Default)]
pub struct FlowGraph {
    pub graph: DiGraph<Node, Edge>,
    /// Per kind, key → node: looked up by `&str`, with no key made for each lookup.
    index: HashMap<NodeKind, HashMap<CompactString, NodeIndex>>,
    /// (from, to) → edge, so widening an edge does not scan a node's edges (the organisation
    /// has one per system and processor).
    edges: HashMap<(NodeIndex, NodeIndex), EdgeIndex>,
    /// The data categories edges name (their [`crate::model::Category::id`]s).
    pub categories: Names,
    /// The keys of the activities edges serve.
    pub activities: Names,
    /// The files and sheets of the cells edges were derived from, in location order.
    sheets: Vec<Location>,
}

/// The index of a graph's nodes, read while edges are added (see [`FlowGraph::halves`]).
#[derive(Clone, Copy)]
pub(crate) struct Nodes<'g>(&'g HashMap<NodeKind, HashMap<CompactString, NodeIndex>>);

impl Nodes<'_> {
    pub(crate) fn node(&self, kind: NodeKind, key: &str) -> Option<NodeIndex> {
        self.0.get(&kind)?.get(key).copied()
    }
}

/// A graph's edges, added to while its nodes are looked up (see [`FlowGraph::halves`]).
pub(crate) struct Edges<'g> {
    graph: &'g mut DiGraph<Node, Edge>,
    edges: &'g mut HashMap<(NodeIndex, NodeIndex), EdgeIndex>,
}

impl Edges<'_> {
    /// Adds an edge, or widens the existing one between the same two nodes.
    pub(crate) fn add(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) {
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
}

impl FlowGraph {
    /// The node for an entity, if it is in the graph.
    pub fn node(&self, kind: NodeKind, key: &str) -> Option<NodeIndex> {
        self.nodes().node(kind, key)
    }

    /// The index of its nodes.
    pub(crate) fn nodes(&self) -> Nodes<'_> {
        Nodes(&self.index)
    }

    /// The node index to read and the edges to add to, at once: a large register's
    /// activities plan their edges on one core while the edges planned before are added on
    /// the other.
    pub(crate) fn halves(&mut self) -> (Nodes<'_>, Edges<'_>) {
        (
            Nodes(&self.index),
            Edges {
                graph: &mut self.graph,
                edges: &mut self.edges,
            },
        )
    }

    /// The edge from `from` to `to`, if any, without scanning `from`'s edges.
    pub fn edge_between(&self, from: NodeIndex, to: NodeIndex) -> Option<EdgeIndex> {
        self.edges.get(&(from, to)).copied()
    }

    /// The location of a cell an edge was derived from.
    pub fn origin(&self, cell: CellAt) -> Location {
        let mut location = self.sheets[cell.sheet as usize].clone();
        location.row = (cell.row > 0).then_some(cell.row);
        location.column = (cell.column > 0).then_some(cell.column);
        location
    }

    /// An edge's categories as names (`None`: everything its source holds).
    pub fn edge_categories<'g>(&'g self, edge: &'g Edge) -> Option<Vec<&'g str>> {
        let ids = edge.categories.as_ref()?;
        Some(ids.iter().map(|id| self.categories.name(id)).collect())
    }

    /// The keys of the activities an edge serves, in key order.
    pub fn edge_activities<'g>(
        &'g self,
        edge: &'g Edge,
    ) -> impl ExactSizeIterator<Item = &'g str> + 'g {
        edge.activities.iter().map(|id| self.activities.name(id))
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

    /// The graph again at its exact size: petgraph's lists grow by doubling, and a large
    /// register's graph would keep room for up to as many nodes and edges again for the rest
    /// of the run (the allocator keeps a block in place when a shrink frees less than half).
    /// Added back in the same order, every node and edge keeps its index and its neighbours
    /// their order.
    fn compact(&mut self) {
        let (nodes, edges) = std::mem::take(&mut self.graph).into_nodes_edges();
        let mut exact = DiGraph::with_capacity(nodes.len(), edges.len());
        for node in nodes {
            exact.add_node(node.weight);
        }
        for edge in edges {
            exact.add_edge(edge.source(), edge.target(), edge.weight);
        }
        self.graph = exact;
    }

    /// Adds an edge, or widens the existing one between the same two nodes.
    fn add_edge(&mut self, from: NodeIndex, to: NodeIndex, edge: Edge) {
        self.halves().1.add(from, to, edge);
    }

    /// Nodes and edges in a serialisable, stable form.
    pub fn summary(&self) -> GraphSummary<'_> {
        let mut edges: Vec<EdgeIndex> = self.graph.edge_indices().collect();
        // Keys are looked up as the sort compares: kept for every edge at once, they would be
        // as large as the views this list replaces.
        let ends = |e: EdgeIndex| {
            self.graph
                .edge_endpoints(e)
                .map(|(a, b)| (self.node_ref(a), self.node_ref(b)))
        };
        edges.sort_by(|&a, &b| ends(a).cmp(&ends(b)));
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
        GraphSummary {
            nodes,
            edges,
            graph: self,
        }
    }

    fn node_ref(&self, node: NodeIndex) -> NodeRef<'_> {
        let n = &self.graph[node];
        NodeRef {
            kind: n.kind,
            key: &n.key,
        }
    }
}

/// A node named by kind and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NodeRef<'a> {
    pub kind: NodeKind,
    pub key: &'a str,
}

/// An edge with its endpoints, its numbers written as the names they stand for and its cells
/// as findings name cells (`file:Sheet!D7`).
#[derive(Debug)]
pub struct EdgeView<'a> {
    pub from: NodeRef<'a>,
    pub to: NodeRef<'a>,
    pub edge: &'a Edge,
    graph: &'a FlowGraph,
}

impl Serialize for EdgeView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (graph, edge) = (self.graph, self.edge);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("from", &self.from)?;
        map.serialize_entry("to", &self.to)?;
        map.serialize_entry("categories", &graph.edge_categories(edge))?;
        let activities: Vec<&str> = graph.edge_activities(edge).collect();
        map.serialize_entry("activities", &activities)?;
        map.serialize_entry("encrypted", &edge.encrypted)?;
        map.serialize_entry("mechanisms", edge.mechanisms())?;
        if !edge.places().is_empty() {
            map.serialize_entry("places", edge.places())?;
        }
        map.serialize_entry("rules", &edge.rules)?;
        map.serialize_entry("origins", &Origins { graph, edge })?;
        map.end()
    }
}

/// An edge's cells by file and sheet, each named as findings name it: the sheet (or file) as
/// a key, the cells in it (`J2`, or `3:9` in a CSV file) as its list. A large register's
/// edges hold hundreds of thousands of cells, and the path written out for each was a tenth
/// of `register.json`.
struct Origins<'a> {
    graph: &'a FlowGraph,
    edge: &'a Edge,
}

impl Serialize for Origins<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let cells: Vec<CellAt> = self.edge.origins.iter().collect();
        let mut map = serializer.serialize_map(None)?;
        // The cells are sorted by sheet, so each sheet's cells come together.
        for group in cells.chunk_by(|a, b| a.sheet == b.sheet) {
            let sheet = self.graph.sheets[group[0].sheet as usize].to_string();
            let names: Vec<String> = group
                .iter()
                .map(|&cell| {
                    let named = self.graph.origin(cell).to_string();
                    // The sheet's name is the start of its cells' names.
                    named[sheet.len()..]
                        .trim_start_matches(['!', ':'])
                        .to_string()
                })
                .collect();
            map.serialize_entry(&sheet, &names)?;
        }
        map.end()
    }
}

/// The whole graph, sorted. Edges are kept as indices and written as [`EdgeView`]s one at a
/// time: a large register's graph has hundreds of thousands.
#[derive(Debug)]
pub struct GraphSummary<'a> {
    pub nodes: Vec<&'a Node>,
    /// Sorted by their endpoints.
    pub edges: Vec<EdgeIndex>,
    graph: &'a FlowGraph,
}

impl GraphSummary<'_> {
    /// An edge with its endpoints, as the summary writes it.
    pub fn edge(&self, edge: EdgeIndex) -> Option<EdgeView<'_>> {
        let graph = self.graph;
        let (a, b) = graph.graph.edge_endpoints(edge)?;
        Some(EdgeView {
            from: graph.node_ref(a),
            to: graph.node_ref(b),
            edge: &graph.graph[edge],
            graph,
        })
    }
}

impl Serialize for GraphSummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeSeq, SerializeStruct};
        struct Edges<'s, 'a>(&'s GraphSummary<'a>);
        impl Serialize for Edges<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.edges.len()))?;
                for &edge in &self.0.edges {
                    if let Some(view) = self.0.edge(edge) {
                        seq.serialize_element(&view)?;
                    }
                }
                seq.end()
            }
        }
        let mut summary = serializer.serialize_struct("GraphSummary", 2)?;
        summary.serialize_field("nodes", &self.nodes)?;
        summary.serialize_field("edges", &Edges(self))?;
        summary.end()
    }
}
