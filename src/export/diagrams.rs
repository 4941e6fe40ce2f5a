//! Data-flow diagrams for reviews: the overview, one per third country, and one per activity
//! (one per department in large registers, per activity on request), built as graphviz-rust
//! structures, printed as DOT, and rendered to SVG by Graphviz `dot` when it is installed or by
//! the pure-Rust layout-rs otherwise. Their number is bounded ([`DIAGRAM_BUDGET`]) whatever the
//! register's size, and they are drawn on every core with the same bytes as on one.

use super::{ExportError, write_files};
use crate::analysis::recipients::ActivityRecipients;
use crate::analysis::{Status, TransferAnalysis};
use crate::graph::{FlowGraph, NodeKind};
use crate::i18n::{self, Lang, fill, text};
use crate::model::{Activity, ActivityRole, CompactString, Place, Register};
use crate::reference::{self, Standing};
use fixedbitset::FixedBitSet;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use graphviz_rust::cmd::{CommandArg, Format};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::graph::NodeIndex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How SVGs are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Renderer {
    /// Graphviz `dot` if it is installed, else the built-in renderer.
    #[default]
    Auto,
    /// Graphviz `dot`; fails when it is not installed.
    Dot,
    /// The pure-Rust renderer (layout-rs).
    Builtin,
}

/// The most nodes an overview shows before it groups processors and systems.
pub const NODE_BUDGET: usize = 60;

/// The most arrows a grouped drawing shows, the worst first: layout time grows quickly with
/// them, and a reader cannot follow more.
pub const EDGE_BUDGET: usize = 100;

/// The most nodes a per-activity, per-department or per-country drawing shows; beyond this it
/// groups like the overview (layout time grows faster than the graph).
pub const DRAWING_BUDGET: usize = 200;

/// The most diagrams a run draws by default (each a `.dot` and an `.svg` file).
pub const DIAGRAM_BUDGET: usize = 125;

/// Per-activity diagrams are drawn by default while the register has at most this many
/// activities; above it, one per department.
pub const PER_ACTIVITY_LIMIT: usize = 100;

/// Which activity diagrams to draw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PerActivity {
    /// One per activity up to [`PER_ACTIVITY_LIMIT`] activities, else one per department.
    #[default]
    Auto,
    /// One per activity, however many (`--per-activity`).
    All,
    /// These activities only, by id, key or name (`--activity ID`).
    Only(Vec<String>),
}

/// What the diagrams are drawn from.
pub struct DiagramSources<'a> {
    pub register: &'a Register,
    pub graph: &'a FlowGraph,
    pub analysis: &'a TransferAnalysis,
}

/// Where a node sits: the EEA, an adequate country, or a third country; and which country.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Eea,
    Adequate,
    Third,
}

fn zone_of(place: &Place, as_of: chrono::NaiveDate) -> (Zone, CompactString) {
    let data = reference::data();
    match place {
        Place::Eu | Place::Eea => (Zone::Eea, compact_str::format_compact!("{place}")),
        Place::Worldwide | Place::Europe | Place::OutsideEea => {
            (Zone::Third, compact_str::format_compact!("{place}"))
        }
        Place::Country(code) | Place::Organisation(code) => {
            // The US is adequate only for certified importers: drawn as a third country.
            let zone = match data.standing(code, as_of).map(|p| p.standing) {
                Some(s) if s.is_inside() => Zone::Eea,
                Some(Standing::Adequate | Standing::AdequatePartial) if code != "US" => {
                    Zone::Adequate
                }
                _ => Zone::Third,
            };
            (zone, code.as_str().into())
        }
    }
}

/// One box of a diagram, made for the nodes a diagram shows on their own (see
/// [`Context::node`]); grouped diagrams read the graph's nodes.
#[derive(Debug, Clone)]
struct DNode {
    id: CompactString,
    label: CompactString,
    tooltip: CompactString,
    kind: NodeKind,
    sub: bool,
    zone: Option<(Zone, CompactString)>,
}

/// One arrow of a diagram.
#[derive(Debug, Clone)]
struct DEdge {
    from: CompactString,
    to: CompactString,
    /// Labels of the categories that pass, as indices into the diagram's `labels`.
    categories: BTreeSet<u32>,
    everything: bool,
    status: Status,
}

/// A diagram before it becomes DOT.
struct Diagram {
    /// The language of its titles, legend and groups.
    lang: Lang,
    title: String,
    note: Option<String>,
    nodes: Vec<DNode>,
    edges: Vec<DEdge>,
    /// The category labels edges name, sorted, so that indices order as labels do.
    labels: Arc<[String]>,
}

/// A quoted DOT string: quotes and backslashes escaped, line breaks as `\n`.
fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if crate::model::text::is_hostile(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_string()), quoted(value))
}

fn style(kind: NodeKind, sub: bool) -> [(&'static str, &'static str); 3] {
    match kind {
        NodeKind::Organisation => [
            ("shape", "box"),
            ("style", "filled,bold"),
            ("fillcolor", "#1F4E79"),
        ],
        NodeKind::DataSubjects => [
            ("shape", "ellipse"),
            ("style", "filled"),
            ("fillcolor", "#FFF2CC"),
        ],
        NodeKind::Customer => [
            ("shape", "house"),
            ("style", "filled"),
            ("fillcolor", "#E2EFDA"),
        ],
        NodeKind::System => [
            ("shape", "cylinder"),
            ("style", "filled"),
            ("fillcolor", "#DDEBF7"),
        ],
        NodeKind::Processor if sub => [
            ("shape", "component"),
            ("style", "filled"),
            ("fillcolor", "#EDEDED"),
        ],
        NodeKind::Processor => [
            ("shape", "box"),
            ("style", "filled,rounded"),
            ("fillcolor", "#FCE4D6"),
        ],
        NodeKind::Recipient => [
            ("shape", "box"),
            ("style", "filled,rounded,dashed"),
            ("fillcolor", "#FCE4D6"),
        ],
    }
}

fn edge_colour(status: Status) -> &'static str {
    match status {
        Status::NoTransfer => "#595959",
        Status::Ok => "#2E7D32",
        Status::Warning => "#E69500",
        Status::Error => "#C00000",
    }
}

/// Shortened category label: the first two, then how many more.
fn short(lang: Lang, categories: &[&str], everything: bool) -> String {
    if everything || categories.is_empty() {
        return text(lang, "diagram.all_data");
    }
    let mut items: Vec<&str> = categories.iter().copied().take(2).collect();
    let more = categories.len().saturating_sub(2);
    let mut label = items.join(", ");
    if more > 0 {
        items.clear();
        label.push_str(&format!(" +{more}"));
    }
    label
}

impl Diagram {
    /// The diagram as DOT. `legend_row` lays the legend out in a row with invisible edges,
    /// which only Graphviz understands; the built-in renderer would draw them.
    fn to_dot(&self, legend_row: bool) -> Graph {
        let lang = self.lang;
        let mut stmts: Vec<Stmt> = vec![
            Stmt::Attribute(attr("rankdir", "LR")),
            // The newer ranking copes with edges between nested clusters that the old one
            // rejects ("trouble in init_rank").
            Stmt::Attribute(attr("newrank", "true")),
            Stmt::Attribute(attr("fontname", "Helvetica")),
            Stmt::Attribute(attr("labelloc", "t")),
            Stmt::Attribute(attr(
                "label",
                &match &self.note {
                    Some(note) => format!("{}\n{note}", self.title),
                    None => self.title.clone(),
                },
            )),
            Stmt::GAttribute(GraphAttributes::Node(vec![
                attr("fontname", "Helvetica"),
                attr("fontsize", "10"),
            ])),
            Stmt::GAttribute(GraphAttributes::Edge(vec![
                attr("fontname", "Helvetica"),
                attr("fontsize", "8"),
            ])),
        ];
        let node_stmt = |n: &DNode| {
            let mut attributes = vec![attr("label", &n.label), attr("tooltip", &n.tooltip)];
            for (k, v) in style(n.kind, n.sub) {
                attributes.push(attr(k, v));
            }
            if n.kind == NodeKind::Organisation {
                attributes.push(attr("fontcolor", "white"));
            }
            Stmt::Node(Node::new(NodeId(quoted(&n.id), None), attributes))
        };
        // Clusters: zone, then country inside it.
        let mut zones: BTreeMap<Zone, BTreeMap<CompactString, Vec<&DNode>>> = BTreeMap::new();
        for n in &self.nodes {
            match &n.zone {
                Some((zone, country)) => zones
                    .entry(zone.clone())
                    .or_default()
                    .entry(country.clone())
                    .or_default()
                    .push(n),
                None => stmts.push(node_stmt(n)),
            }
        }
        for (zone, countries) in zones {
            let (name, label, colour) = match zone {
                Zone::Eea => ("cluster_eea", "diagram.eea", "#F2F8EE"),
                Zone::Adequate => ("cluster_adequate", "diagram.adequate", "#F3F7FC"),
                Zone::Third => ("cluster_third", "diagram.third", "#FDF1F1"),
            };
            let mut inner = vec![
                Stmt::Attribute(attr("label", &text(lang, label))),
                Stmt::Attribute(attr("style", "filled")),
                Stmt::Attribute(attr("fillcolor", colour)),
            ];
            for (country, nodes) in countries {
                let mut country_stmts = vec![
                    Stmt::Attribute(attr("label", &i18n::destination_name(lang, &country))),
                    Stmt::Attribute(attr("style", "dashed")),
                ];
                country_stmts.extend(nodes.into_iter().map(node_stmt));
                inner.push(Stmt::Subgraph(Subgraph {
                    id: quoted(&format!("cluster_{name}_{country}")),
                    stmts: country_stmts,
                }));
            }
            stmts.push(Stmt::Subgraph(Subgraph {
                id: quoted(name),
                stmts: inner,
            }));
        }
        for e in &self.edges {
            let categories: Vec<&str> = e
                .categories
                .iter()
                .map(|&i| self.labels[i as usize].as_str())
                .collect();
            let tooltip = if e.everything {
                text(lang, "diagram.everything")
            } else {
                categories.join(", ")
            };
            let mut attributes = vec![
                attr("label", &short(lang, &categories, e.everything)),
                attr("tooltip", &tooltip),
                attr("color", edge_colour(e.status)),
                attr("fontcolor", edge_colour(e.status)),
            ];
            if e.status == Status::Error {
                attributes.push(attr("penwidth", "2.5"));
            }
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(
                    Vertex::N(NodeId(quoted(&e.from), None)),
                    Vertex::N(NodeId(quoted(&e.to), None)),
                ),
                attributes,
            }));
        }
        stmts.push(Stmt::Subgraph(legend(lang, legend_row)));
        Graph::DiGraph {
            id: quoted("dataflows"),
            strict: false,
            stmts,
        }
    }
}

fn legend(lang: Lang, row: bool) -> Subgraph {
    let entries = [
        (
            "legend_org",
            "diagram.organisation",
            NodeKind::Organisation,
            false,
        ),
        (
            "legend_subjects",
            "diagram.data_subjects",
            NodeKind::DataSubjects,
            false,
        ),
        (
            "legend_customer",
            "diagram.customer",
            NodeKind::Customer,
            false,
        ),
        ("legend_system", "diagram.system", NodeKind::System, false),
        (
            "legend_processor",
            "diagram.processor",
            NodeKind::Processor,
            false,
        ),
        (
            "legend_sub",
            "diagram.sub_processor",
            NodeKind::Processor,
            true,
        ),
    ];
    let mut stmts = vec![
        Stmt::Attribute(attr("label", &text(lang, "diagram.legend"))),
        Stmt::Attribute(attr("style", "dotted")),
    ];
    for (id, label, kind, sub) in entries {
        let mut attributes = vec![attr("label", &text(lang, label))];
        for (k, v) in style(kind, sub) {
            attributes.push(attr(k, v));
        }
        if kind == NodeKind::Organisation {
            attributes.push(attr("fontcolor", "white"));
        }
        stmts.push(Stmt::Node(Node::new(NodeId(quoted(id), None), attributes)));
    }
    // Invisible edges lay the legend out in one row instead of a tall column.
    for pair in entries.windows(2).filter(|_| row) {
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(quoted(pair[0].0), None)),
                Vertex::N(NodeId(quoted(pair[1].0), None)),
            ),
            attributes: vec![attr("style", "invis")],
        }));
    }
    Subgraph {
        id: quoted("cluster_legend"),
        stmts,
    }
}

/// The parts of the register a diagram draws from, precomputed once.
struct Context<'a> {
    sources: &'a DiagramSources<'a>,
    lang: Lang,
    /// Worst transfer status per (exporter, importer) node.
    status: HashMap<(NodeIndex, NodeIndex), Status>,
    /// Each graph node's place when the nodes are sorted by diagram id, by node index: a
    /// grouped diagram sorts tens of thousands of nodes, by number rather than by id.
    rank: Vec<u32>,
    /// The category labels, sorted and without repeats; and for each graph category (by its
    /// number) the index of its label there. Edges merge categories as small numbers.
    labels: Arc<[String]>,
    label_of: Vec<u32>,
    subs: HashSet<CompactString>,
    org: Option<NodeIndex>,
    /// Each processor's first group, each system's host as written: what grouping uses.
    processor_group: HashMap<&'a str, &'a str>,
    host_of: HashMap<&'a str, &'a str>,
}

impl<'a> Context<'a> {
    fn new(sources: &'a DiagramSources<'a>, lang: Lang) -> Self {
        use rayon::prelude::*;
        let graph = sources.graph;
        let mut status: HashMap<(NodeIndex, NodeIndex), Status> = HashMap::new();
        for t in &sources.analysis.transfers {
            let [.., from, to] = t.path_nodes[..] else {
                continue;
            };
            let entry = status.entry((from, to)).or_insert(t.status);
            *entry = (*entry).max(t.status);
        }
        let each: Vec<String> = graph
            .categories
            .all()
            .iter()
            .map(|id| i18n::category_id(lang, id, &sources.register.categories))
            .collect();
        let labels: Arc<[String]> = each
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let label_of = each
            .iter()
            .map(|label| labels.binary_search(label).unwrap_or_default() as u32)
            .collect();
        let subs = sources
            .register
            .processors
            .iter()
            .filter(|p| {
                p.details().parent.is_some() || p.role == crate::model::RecipientRole::SubProcessor
            })
            .map(|p| p.key.clone())
            .collect();
        let g = &sources.graph.graph;
        let org = g
            .node_indices()
            .find(|&n| g[n].kind == NodeKind::Organisation);
        let processor_group = sources
            .register
            .processors
            .iter()
            .map(|p| {
                (
                    p.key.as_str(),
                    p.groups
                        .first()
                        .map(|group| group.as_str())
                        .unwrap_or_default(),
                )
            })
            .collect();
        let host_of = sources
            .register
            .systems
            .iter()
            .map(|s| {
                (
                    s.key.as_str(),
                    s.hosted_by
                        .as_ref()
                        .map(|h| h.text.as_str())
                        .unwrap_or_default(),
                )
            })
            .collect();
        let mut cx = Context {
            sources,
            lang,
            status,
            rank: Vec::new(),
            labels,
            label_of,
            subs,
            org,
            processor_group,
            host_of,
        };
        // Ids are `kind:key`, and no kind's name begins another's: they sort as (kind's
        // name, key) do, compared without making them.
        let kind_names: HashMap<NodeKind, String> = g
            .node_weights()
            .map(|n| n.kind)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|kind| (kind, format!("{kind:?}")))
            .collect();
        let sort_key = |n: u32| {
            let node = &g[NodeIndex::new(n as usize)];
            (kind_names[&node.kind].as_str(), node.key.as_str())
        };
        let mut by_id: Vec<u32> = (0..g.node_count() as u32).collect();
        by_id.par_sort_by(|&a, &b| sort_key(a).cmp(&sort_key(b)));
        cx.rank = vec![0; by_id.len()];
        for (place, &n) in by_id.iter().enumerate() {
            cx.rank[n as usize] = place as u32;
        }
        cx
    }

    /// A node's id in the diagrams: its kind and key.
    fn id(&self, index: NodeIndex) -> CompactString {
        let n = &self.sources.graph.graph[index];
        compact_str::format_compact!("{:?}:{}", n.kind, n.key)
    }

    /// Where a node holds data, as a diagram colours and groups it.
    fn zone(&self, index: NodeIndex) -> Option<(Zone, CompactString)> {
        let n = &self.sources.graph.graph[index];
        match n.kind {
            NodeKind::DataSubjects => None,
            _ => n
                .places
                .first()
                .map(|p| zone_of(p, self.sources.analysis.as_of)),
        }
    }

    /// A node as a box of its own. Made when a diagram shows it, not kept for every node:
    /// a large register's graph has a hundred thousand, and its diagrams group them.
    fn node(&self, index: NodeIndex) -> DNode {
        let mut n = std::borrow::Cow::Borrowed(&self.sources.graph.graph[index]);
        // The node standing for every customer is named in the diagram's language.
        if n.kind == NodeKind::Customer && n.key == crate::graph::ALL_CUSTOMERS {
            n.to_mut().label = fill(
                text(self.lang, "report.all_customers"),
                &[("count", &self.sources.register.customers.len().to_string())],
            )
            .into();
        }
        let label = if n.places.is_empty() || n.kind == NodeKind::DataSubjects {
            n.label.clone()
        } else {
            compact_str::format_compact!(
                "{}\n({})",
                n.label,
                i18n::place_codes(self.lang, &n.places)
            )
        };
        DNode {
            id: self.id(index),
            tooltip: n.label.clone(),
            label,
            kind: n.kind,
            sub: self.subs.contains(&n.key),
            zone: self.zone(index),
        }
    }

    fn edge(&self, from: NodeIndex, to: NodeIndex, weight: &crate::graph::Edge) -> DEdge {
        DEdge {
            from: self.id(from),
            to: self.id(to),
            categories: self.category_labels(weight).collect(),
            everything: weight.categories.is_none(),
            status: self.edge_status(from, to),
        }
    }

    /// The labels (as indices into `labels`) of the categories an edge carries.
    fn category_labels<'e>(
        &'e self,
        weight: &'e crate::graph::Edge,
    ) -> impl Iterator<Item = u32> + 'e {
        weight
            .categories
            .iter()
            .flat_map(|ids| ids.iter())
            .map(|id| self.label_of[id as usize])
    }

    /// The worst transfer status of the hop from `from` to `to`.
    fn edge_status(&self, from: NodeIndex, to: NodeIndex) -> Status {
        self.status
            .get(&(from, to))
            .copied()
            .unwrap_or(Status::NoTransfer)
    }

    /// The diagram of a set of graph nodes and the edges among them.
    fn induced(
        &self,
        title: String,
        nodes: &BTreeSet<NodeIndex>,
        keep: impl Fn(&crate::graph::Edge) -> bool,
    ) -> Diagram {
        let g = &self.sources.graph.graph;
        let mut dnodes: Vec<DNode> = nodes.iter().map(|&n| self.node(n)).collect();
        dnodes.sort_by(|a, b| a.id.cmp(&b.id));
        let mut edges = Vec::new();
        // Through each node's incoming edges: the organisation sends an edge to every system
        // and processor, so its outgoing edges would be read whole for every small diagram.
        for &to in nodes {
            for e in g.edges_directed(to, petgraph::Direction::Incoming) {
                use petgraph::visit::EdgeRef;
                if nodes.contains(&e.source()) && keep(e.weight()) {
                    edges.push(self.edge(e.source(), to, e.weight()));
                }
            }
        }
        edges.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        Diagram {
            lang: self.lang,
            title,
            note: None,
            nodes: dnodes,
            edges,
            labels: self.labels.clone(),
        }
    }

    fn title(&self, what: &str) -> String {
        fill(
            text(self.lang, "diagram.title"),
            &[
                ("organisation", &self.sources.register.organisation.name),
                ("what", what),
                ("date", &self.sources.analysis.as_of.to_string()),
            ],
        )
    }

    fn overview(&self) -> Diagram {
        let g = &self.sources.graph.graph;
        let all: BTreeSet<NodeIndex> = g.node_indices().collect();
        self.induced_within(
            self.title(&text(self.lang, "diagram.data_flows")),
            &all,
            |_| true,
            NODE_BUDGET,
        )
    }

    /// [`Context::induced`] when it has at most `budget` nodes, else the same nodes and edges
    /// grouped ([`Context::aggregated`]), without making the whole diagram first.
    fn induced_within(
        &self,
        title: String,
        nodes: &BTreeSet<NodeIndex>,
        keep: impl Fn(&crate::graph::Edge) -> bool,
        budget: usize,
    ) -> Diagram {
        if nodes.len() > budget {
            self.aggregated(title, nodes, keep)
        } else {
            self.induced(title, nodes, keep)
        }
    }

    /// Groups processors per country and group, systems per host, customers per country and
    /// data subjects into one node each, so the diagram of a large register stays readable;
    /// when that is still too many boxes, processors and systems are grouped per country only.
    fn aggregated(
        &self,
        title: String,
        nodes: &BTreeSet<NodeIndex>,
        keep: impl Fn(&crate::graph::Edge) -> bool,
    ) -> Diagram {
        let before = nodes.len();
        let mut grouped = self.grouped(&title, nodes, &keep, false);
        let lang = self.lang;
        let mut note = fill(
            text(lang, "diagram.grouped"),
            &[
                ("before", &before.to_string()),
                ("boxes", &grouped.nodes.len().to_string()),
                ("budget", &NODE_BUDGET.to_string()),
            ],
        );
        if grouped.edges.len() > EDGE_BUDGET {
            note.push_str("; ");
            note.push_str(&fill(
                text(lang, "diagram.most_serious"),
                &[
                    ("budget", &EDGE_BUDGET.to_string()),
                    ("count", &grouped.edges.len().to_string()),
                ],
            ));
            grouped.edges.sort_by(|a, b| {
                (std::cmp::Reverse(a.status), &a.from, &a.to).cmp(&(
                    std::cmp::Reverse(b.status),
                    &b.from,
                    &b.to,
                ))
            });
            grouped.edges.truncate(EDGE_BUDGET);
            grouped
                .edges
                .sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        }
        grouped.note = Some(note);
        grouped
    }

    /// The diagram of a set of graph nodes and the edges among them, grouped: by country and
    /// processor group or host, or by country and kind alone when `coarse`; the organisation
    /// stays itself; coarse anyway when the finer grouping leaves more than [`NODE_BUDGET`]
    /// boxes. Read from the graph, so that a diagram of a hundred thousand nodes is never made
    /// whole only to be grouped.
    fn grouped(
        &self,
        title: &str,
        nodes: &BTreeSet<NodeIndex>,
        keep: &impl Fn(&crate::graph::Edge) -> bool,
        coarse: bool,
    ) -> Diagram {
        // The nodes in id order: a group's box takes the kind and zone of its first.
        let g = &self.sources.graph.graph;
        let mut members: Vec<NodeIndex> = nodes.iter().copied().collect();
        members.sort_unstable_by_key(|n| self.rank[n.index()]);
        let processor_group = &self.processor_group;
        let host_of = &self.host_of;
        let lang = self.lang;
        let (unknown, no_group, the_organisation) = (
            text(lang, "diagram.unknown"),
            text(lang, "diagram.no_group"),
            text(lang, "diagram.the_organisation"),
        );
        // A group's name from what it depends on: kind, country and processor group or host.
        // A large diagram has a hundred thousand nodes but few of these, so each name is made
        // once.
        let group_name = |(kind, country, group): (NodeKind, &str, &str)| -> String {
            let in_country = |key: &str| fill(text(lang, key), &[("country", country)]);
            match kind {
                NodeKind::Processor if coarse => in_country("diagram.processors_in"),
                NodeKind::Recipient => in_country("diagram.recipients_in"),
                NodeKind::Processor => fill(
                    text(lang, "diagram.processors_in_group"),
                    &[("country", country), ("group", group)],
                ),
                NodeKind::System if coarse => in_country("diagram.systems_in"),
                NodeKind::System => {
                    fill(text(lang, "diagram.systems_hosted_by"), &[("host", group)])
                }
                NodeKind::Customer => in_country("diagram.customers_in"),
                NodeKind::DataSubjects => text(lang, "diagram.data_subjects"),
                NodeKind::Organisation => unreachable!("the organisation is never grouped"),
            }
        };
        // Each node's group, if it has one: keys that give the same name share the group.
        let mut group_of_key: HashMap<(NodeKind, CompactString, &str), usize> = HashMap::new();
        let mut group_by_name: HashMap<String, usize> = HashMap::new();
        // A group's name, size and first node (whose kind and zone the box takes).
        let mut groups: Vec<(String, usize, NodeIndex)> = Vec::new();
        let mut group_of: Vec<Option<usize>> = Vec::with_capacity(members.len());
        for &m in &members {
            let n = &g[m];
            let key = n.key.as_str();
            let zone = self.zone(m);
            let country: CompactString = zone.map_or_else(|| unknown.as_str().into(), |(_, c)| c);
            let key: Option<(NodeKind, CompactString, &str)> = match n.kind {
                NodeKind::Organisation => None,
                NodeKind::Processor | NodeKind::Recipient if coarse => {
                    Some((NodeKind::Processor, country, ""))
                }
                NodeKind::Processor => Some((
                    n.kind,
                    country,
                    processor_group
                        .get(key)
                        .copied()
                        .filter(|g| !g.is_empty())
                        .unwrap_or(&no_group),
                )),
                NodeKind::System if coarse => Some((n.kind, country, "")),
                NodeKind::System => Some((
                    n.kind,
                    CompactString::default(),
                    host_of
                        .get(key)
                        .copied()
                        .filter(|h| !h.is_empty())
                        .unwrap_or(&the_organisation),
                )),
                NodeKind::DataSubjects => Some((n.kind, CompactString::default(), "")),
                NodeKind::Recipient | NodeKind::Customer => Some((n.kind, country, "")),
            };
            let group = key.map(|key| {
                let g = *group_of_key
                    .entry(key)
                    .or_insert_with_key(|(kind, country, group)| {
                        let name = group_name((*kind, country, group));
                        *group_by_name.entry(name.clone()).or_insert_with(|| {
                            groups.push((name, 0, m));
                            groups.len() - 1
                        })
                    });
                groups[g].1 += 1;
                g
            });
            // More groups than boxes a diagram may have: grouped per country only, as it
            // would be once the boxes were made (a large register's processors have tens of
            // thousands of groups, each a name and a box).
            if !coarse && groups.len() > NODE_BUDGET {
                return self.grouped(title, nodes, keep, true);
            }
            group_of.push(group);
        }
        // The boxes in id order: a box per group, and the nodes that are no group's.
        let mut boxes: BTreeMap<CompactString, DNode> = BTreeMap::new();
        for (name, count, first) in &groups {
            let id = compact_str::format_compact!("group:{name}");
            let label = compact_str::format_compact!("{count} {name}");
            boxes.insert(
                id.clone(),
                DNode {
                    id,
                    tooltip: label.clone(),
                    label,
                    kind: g[*first].kind,
                    sub: false,
                    zone: self.zone(*first),
                },
            );
        }
        for (&m, group) in members.iter().zip(&group_of) {
            if group.is_none() {
                let node = self.node(m);
                boxes.insert(node.id.clone(), node);
            }
        }
        // Still too many boxes: processors and systems per country only. Decided before the
        // edges are gathered, which is most of the work.
        if !coarse && boxes.len() > NODE_BUDGET {
            return self.grouped(title, nodes, keep, true);
        }
        // Edges are merged by their ends' places in box order, which sort as the ids do.
        let ids: Vec<&str> = boxes.keys().map(CompactString::as_str).collect();
        let place_of_id = |id: &str| ids.binary_search(&id).map_or(0, |i| i as u32);
        let group_places: Vec<u32> = groups
            .iter()
            .map(|(name, _, _)| place_of_id(&format!("group:{name}")))
            .collect();
        // Each graph node's box, by node index; `u32::MAX` for nodes not in the diagram.
        let mut place_of_node = vec![u32::MAX; g.node_count()];
        for (&n, group) in members.iter().zip(&group_of) {
            place_of_node[n.index()] = match group {
                Some(group) => group_places[*group],
                None => place_of_id(&self.id(n)),
            };
        }
        let mut edges: BTreeMap<(u32, u32), (DEdge, FixedBitSet)> = BTreeMap::new();
        // Through each node's incoming edges, as in `induced`.
        for &m in nodes {
            for e in g.edges_directed(m, petgraph::Direction::Incoming) {
                use petgraph::visit::EdgeRef;
                let n = e.source();
                let (from, to) = (place_of_node[n.index()], place_of_node[m.index()]);
                if from == u32::MAX || from == to || !keep(e.weight()) {
                    continue;
                }
                // The labels are gathered as bits: a group's edge merges thousands of graph
                // edges, and a tree of labels took most of a large diagram's time.
                let (merged, labels) = edges.entry((from, to)).or_insert_with(|| {
                    let edge = DEdge {
                        from: ids[from as usize].into(),
                        to: ids[to as usize].into(),
                        categories: BTreeSet::new(),
                        everything: false,
                        status: Status::NoTransfer,
                    };
                    (edge, FixedBitSet::with_capacity(self.labels.len()))
                });
                let weight = e.weight();
                for label in self.category_labels(weight) {
                    labels.insert(label as usize);
                }
                merged.everything |= weight.categories.is_none();
                merged.status = merged.status.max(self.edge_status(n, m));
            }
        }
        let edges = edges.into_values().map(|(mut edge, labels)| {
            edge.categories = labels.ones().map(|label| label as u32).collect();
            edge
        });
        Diagram {
            lang: self.lang,
            title: title.to_string(),
            note: None,
            nodes: boxes.into_values().collect(),
            edges: edges.collect(),
            labels: self.labels.clone(),
        }
    }

    /// The diagram a plan stands for, grouped when it has more nodes than a drawing can
    /// lay out quickly.
    fn diagram(&self, plan: &Plan) -> Diagram {
        let reached = &self.sources.analysis.recipients;
        match plan {
            Plan::Overview => self.overview(),
            Plan::Paths { title, nodes } => {
                self.induced_within(title.clone(), nodes, |_| true, DRAWING_BUDGET)
            }
            Plan::Activity(a) => {
                let nodes = self.activity_nodes(a, reached);
                let what = fill(text(self.lang, "diagram.activity"), &[("name", &a.name)]);
                let id = self.sources.graph.activities.id(&a.key);
                self.induced_within(
                    self.title(&what),
                    &nodes,
                    |e| e.activities.is_empty() || id.is_some_and(|id| e.activities.contains(id)),
                    DRAWING_BUDGET,
                )
            }
            Plan::Department { name, activities } => {
                // The nodes of thousands of activities, most of them shared: gathered as a
                // list and sorted once, not inserted one by one into a tree.
                let mut gathered = Vec::new();
                // The department's activities by number: an edge into a processor many
                // activities use carries thousands of them, each tested for every diagram.
                let mut ours = vec![false; self.sources.graph.activities.all().len()];
                for a in activities {
                    self.activity_nodes_into(a, reached, &mut gathered);
                    if let Some(id) = self.sources.graph.activities.id(&a.key) {
                        ours[id as usize] = true;
                    }
                }
                gathered.sort_unstable();
                gathered.dedup();
                let nodes: BTreeSet<NodeIndex> = gathered.into_iter().collect();
                // The two groups ropa makes are named in the diagram's language (their file
                // names stay as they are).
                let shown = match name.as_str() {
                    NO_DEPARTMENT => text(self.lang, "diagram.no_department"),
                    OTHER_DEPARTMENTS => text(self.lang, "diagram.other_departments"),
                    _ => name.clone(),
                };
                let title = self.title(&fill(
                    text(self.lang, "diagram.department"),
                    &[("name", &shown), ("count", &activities.len().to_string())],
                ));
                self.induced_within(
                    title,
                    &nodes,
                    |e| e.activities.is_empty() || e.activities.iter().any(|id| ours[id as usize]),
                    DRAWING_BUDGET,
                )
            }
        }
    }

    /// The graph nodes an activity's data touches: the organisation, its data subjects, its
    /// customers (the node for all customers for `*`), and every recipient it reaches.
    fn activity_nodes(&self, a: &Activity, reached: &ActivityRecipients) -> BTreeSet<NodeIndex> {
        let mut nodes = Vec::new();
        self.activity_nodes_into(a, reached, &mut nodes);
        nodes.into_iter().collect()
    }

    /// [`Self::activity_nodes`], added to `nodes` (with repeats).
    fn activity_nodes_into(
        &self,
        a: &Activity,
        reached: &ActivityRecipients,
        nodes: &mut Vec<NodeIndex>,
    ) {
        let g = self.sources.graph;
        nodes.extend(self.org);
        for s in &a.data_subjects {
            nodes.extend(g.node(NodeKind::DataSubjects, &crate::model::key::name_key(s)));
        }
        if a.role == ActivityRole::Processor {
            if a.all_controllers {
                nodes.extend(g.node(NodeKind::Customer, crate::graph::ALL_CUSTOMERS));
            } else {
                nodes.extend(a.controllers.iter().filter_map(|c| match &c.target {
                    Some(crate::model::EntityRef::Customer(k)) => g.node(NodeKind::Customer, k),
                    _ => None,
                }));
            }
        }
        nodes.extend(reached.of(&a.key).iter().map(|r| r.node));
    }

    /// One diagram per activity the filter keeps.
    fn activities(&self, keep: impl Fn(&Activity) -> bool) -> Vec<(String, Subject, Plan<'a>)> {
        self.sources
            .register
            .activities
            .iter()
            .filter(|a| keep(a))
            .map(|a| {
                (
                    format!("activity-{}", slug(&a.key)),
                    Subject::Activity(a.key.clone()),
                    Plan::Activity(a),
                )
            })
            .collect()
    }

    /// One diagram per department (activities without one together), at most `budget`: the
    /// largest departments get their own, the rest share one.
    fn departments(&self, budget: usize) -> Vec<(String, Subject, Plan<'a>)> {
        let mut groups: BTreeMap<&str, Vec<&'a Activity>> = BTreeMap::new();
        for a in &self.sources.register.activities {
            let department = a
                .department
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            groups
                .entry(department.unwrap_or(NO_DEPARTMENT))
                .or_default()
                .push(a);
        }
        let mut groups: Vec<(String, Vec<&'a Activity>)> = groups
            .into_iter()
            .map(|(name, activities)| (name.to_string(), activities))
            .collect();
        if groups.len() > budget {
            // The largest keep their own diagram (ties by name); the others share one.
            groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
            let rest: Vec<&'a Activity> = groups
                .split_off(budget.saturating_sub(1))
                .into_iter()
                .flat_map(|(_, activities)| activities)
                .collect();
            groups.push((OTHER_DEPARTMENTS.to_string(), rest));
            groups.sort_by(|a, b| a.0.cmp(&b.0));
        }
        groups
            .into_iter()
            .map(|(name, activities)| {
                let keys = activities.iter().map(|a| a.key.clone()).collect();
                (
                    format!("department-{}", slug(&name)),
                    Subject::Department(keys),
                    Plan::Department { name, activities },
                )
            })
            .collect()
    }

    /// One diagram per destination of a transfer, at most `budget`: the destinations with the
    /// most transfers get their own, the rest share one.
    fn countries(&self, budget: usize) -> Vec<(String, Subject, Plan<'a>)> {
        let mut by_country: BTreeMap<&str, (BTreeSet<NodeIndex>, usize)> = BTreeMap::new();
        for t in &self.sources.analysis.transfers {
            let (nodes, count) = by_country.entry(t.country.as_str()).or_default();
            *count += 1;
            nodes.extend(t.path_nodes.iter().copied());
        }
        let mut countries: Vec<(String, String, BTreeSet<NodeIndex>, usize)> = by_country
            .into_iter()
            .map(|(code, (nodes, count))| {
                let name = format!("{} ({code})", i18n::destination_name(self.lang, code));
                (code.to_string(), name, nodes, count)
            })
            .collect();
        // The destinations beyond the budget, drawn together.
        let mut others = Vec::new();
        if countries.len() > budget {
            countries.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
            let rest = countries.split_off(budget.saturating_sub(1));
            others = rest.iter().map(|c| c.0.clone()).collect();
            let nodes = rest.into_iter().flat_map(|c| c.2).collect();
            countries.push((
                "others".to_string(),
                fill(
                    text(self.lang, "diagram.more_destinations"),
                    &[
                        ("count", &others.len().to_string()),
                        ("list", &others.join(", ")),
                    ],
                ),
                nodes,
                0,
            ));
            countries.sort_by(|a, b| a.0.cmp(&b.0));
        }
        countries
            .into_iter()
            .map(|(code, name, nodes, _)| {
                let title = self.title(&fill(
                    text(self.lang, "diagram.paths_to"),
                    &[("name", &name)],
                ));
                let codes = if code == "others" {
                    others.clone()
                } else {
                    vec![code.clone()]
                };
                (
                    format!("country-{}", slug(&code)),
                    Subject::Countries(codes),
                    Plan::Paths { title, nodes },
                )
            })
            .collect()
    }
}

/// The department diagram of activities without a department, and the one of the departments
/// beyond the budget: their file stems, whatever the language.
const NO_DEPARTMENT: &str = "no department";
const OTHER_DEPARTMENTS: &str = "other departments";

/// A file-name-safe form of a key.
fn slug(text: &str) -> String {
    let folded = crate::model::key::fold(text);
    let slug: String = folded
        .chars()
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    if slug.is_empty() {
        "unnamed".to_string()
    } else {
        slug.chars().take(60).collect()
    }
}

/// Draws a diagram as SVG with the chosen renderer, saying which one drew it. Graphviz gets
/// the DOT that is written to disk; the built-in renderer a variant without the invisible
/// legend edges it cannot hide.
fn render(
    diagram: &Diagram,
    dot: &str,
    renderer: Renderer,
) -> Result<(String, &'static str), String> {
    if renderer != Renderer::Builtin {
        match graphviz_rust::exec_dot(dot.to_string(), vec![CommandArg::Format(Format::Svg)]) {
            Ok(bytes) => return Ok((String::from_utf8_lossy(&bytes).into_owned(), "Graphviz dot")),
            Err(e) if renderer == Renderer::Dot => return Err(format!("Graphviz dot failed: {e}")),
            Err(_) => {}
        }
    }
    let plain = diagram.to_dot(false).print(&mut PrinterContext::default());
    builtin(&plain).map(|svg| (svg, BUILTIN))
}

const BUILTIN: &str = "ropa's built-in renderer (layout-rs)";

fn builtin(dot: &str) -> Result<String, String> {
    // layout-rs panics on some inputs; a diagram failing must not take the run down.
    std::panic::catch_unwind(|| {
        let graph = layout::gv::DotParser::new(dot).process()?;
        let mut builder = layout::gv::GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut visual = builder.get();
        let mut svg = layout::backends::svg::SVGWriter::new();
        visual.do_it(false, false, false, &mut svg);
        Ok(svg.finalize())
    })
    .unwrap_or_else(|_| Err("the built-in renderer could not lay out this graph".to_string()))
}

/// Marks which renderer drew an SVG, right after its XML declaration.
fn with_note(svg: String, renderer: &str) -> String {
    let note = format!("<!-- ropa: rendered by {renderer} -->\n");
    match svg.find("?>") {
        Some(end) if svg.starts_with("<?xml") => {
            let (head, tail) = svg.split_at(end + 2);
            format!("{head}\n{note}{}", tail.trim_start_matches('\n'))
        }
        _ => format!("{note}{svg}"),
    }
}

/// The diagrams a selection asks for, in file order: the overview, the third countries, then
/// the activities or departments.
fn select<'a>(
    cx: &Context<'a>,
    per_activity: &PerActivity,
) -> Result<Vec<(String, Subject, Plan<'a>)>, ExportError> {
    let register = cx.sources.register;
    let mut diagrams = vec![("overview".to_string(), Subject::Overview, Plan::Overview)];
    diagrams.extend(cx.countries(DIAGRAM_BUDGET / 2));
    match per_activity {
        PerActivity::All => diagrams.extend(cx.activities(|_| true)),
        PerActivity::Only(wanted) => {
            let mut keys = BTreeSet::new();
            for text in wanted {
                let key = crate::model::key::name_key(text);
                let found = register.activities.iter().find(|a| {
                    a.id.as_deref()
                        .is_some_and(|id| crate::model::key::name_key(id) == key)
                        || a.key == key
                        || crate::model::key::name_key(&a.name) == key
                });
                match found {
                    Some(a) => {
                        keys.insert(a.key.as_str());
                    }
                    None => return Err(ExportError::UnknownActivity(text.clone())),
                }
            }
            diagrams.extend(cx.activities(|a| keys.contains(a.key.as_str())));
        }
        PerActivity::Auto if register.activities.len() <= PER_ACTIVITY_LIMIT => {
            diagrams.extend(cx.activities(|_| true));
        }
        PerActivity::Auto => {
            let left = DIAGRAM_BUDGET.saturating_sub(diagrams.len()).max(1);
            diagrams.extend(cx.departments(left));
        }
    }
    Ok(diagrams)
}

/// What a diagram is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// Every party and flow of the register.
    Overview,
    /// The paths to these destinations (one, or the destinations beyond the budget together).
    Countries(Vec<String>),
    /// One activity, by key.
    Activity(CompactString),
    /// A department's activities (or several small departments'), by key.
    Department(Vec<CompactString>),
}

/// What one diagram of the selection draws; it becomes a [`Diagram`] only when it is drawn, on
/// whichever core is free, and is dropped once drawn.
enum Plan<'a> {
    Overview,
    /// The paths to one or more destinations: their nodes.
    Paths {
        title: String,
        nodes: BTreeSet<NodeIndex>,
    },
    Activity(&'a Activity),
    Department {
        name: String,
        activities: Vec<&'a Activity>,
    },
}

/// A diagram of the selection: its file stem, what it is about, and its drawing when it was
/// drawn.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The file stem in `diagrams/` (`activity-v1`, `country-us`).
    pub name: String,
    pub subject: Subject,
    pub drawing: Option<Drawing>,
}

/// A diagram's DOT and SVG text, and which renderer drew the SVG.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub dot: String,
    /// The SVG as written to disk: the renderer's output with a comment naming it.
    pub svg: String,
    pub renderer: &'static str,
}

/// The diagrams a selection asks for, in file order, each drawn when `wanted` keeps its
/// subject (in parallel; the order and bytes do not depend on the schedule).
pub fn draw(
    sources: &DiagramSources,
    per_activity: &PerActivity,
    renderer: Renderer,
    lang: Lang,
    wanted: impl Fn(&Subject) -> bool + Sync,
) -> Result<Vec<Drawn>, ExportError> {
    use rayon::prelude::*;
    let cx = Context::new(sources, lang);
    let mut used = HashSet::new();
    let mut named = Vec::new();
    for (name, subject, plan) in select(&cx, per_activity)? {
        let mut unique = name.clone();
        let mut n = 2;
        while !used.insert(unique.clone()) {
            unique = format!("{name}-{n}");
            n += 1;
        }
        named.push((unique, subject, plan));
    }
    // Each diagram is laid out on its own (Graphviz runs as a separate process), so the
    // drawings are independent; collecting keeps the order and bytes fixed.
    named
        .into_par_iter()
        .map(|(name, subject, plan)| {
            if !wanted(&subject) {
                return Ok(Drawn {
                    name,
                    subject,
                    drawing: None,
                });
            }
            let diagram = cx.diagram(&plan);
            let dot = diagram.to_dot(true).print(&mut PrinterContext::default());
            let (svg, by) = render(&diagram, &dot, renderer)
                .map_err(|e| ExportError::Render(format!("{name}: {e}")))?;
            Ok(Drawn {
                name,
                subject,
                drawing: Some(Drawing {
                    dot,
                    svg: with_note(svg, by),
                    renderer: by,
                }),
            })
        })
        .collect()
}

/// The `.dot` and `.svg` files of the drawn diagrams, by their names in `diagrams/`.
pub fn files(drawn: &[Drawn]) -> Vec<(String, Vec<u8>)> {
    drawn
        .iter()
        .filter_map(|d| d.drawing.as_ref().map(|drawing| (&d.name, drawing)))
        .flat_map(|(name, drawing)| {
            [
                (
                    format!("{name}.dot"),
                    format!("{}\n", drawing.dot).into_bytes(),
                ),
                (format!("{name}.svg"), drawing.svg.clone().into_bytes()),
            ]
        })
        .collect()
}

/// Writes the drawn diagrams as `.dot` and `.svg` into `dir/diagrams`.
pub fn write_drawn(drawn: &[Drawn], dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    Ok(write_files(&dir.join("diagrams"), files(drawn))?)
}

/// Draws the selected diagrams and writes them as `.dot` and `.svg` into `dir/diagrams`.
pub fn write(
    sources: &DiagramSources,
    per_activity: &PerActivity,
    renderer: Renderer,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    write_drawn(&draw(sources, per_activity, renderer, lang, |_| true)?, dir)
}
