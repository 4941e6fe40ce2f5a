//! The rules that turn a register into edges. `docs/graph.md` states them for users; keep the
//! two in step.

use super::{
    ALL_CUSTOMERS, CellAt, Edge, EdgeRule, EdgeRules, FlowGraph, Ids, Names, Node, NodeKind, Nodes,
    merge_edges,
};
use crate::model::key::name_key;
use crate::model::{
    ActivityRole, Category, EntityRef, Location, Place, Processor, Register, Tristate,
};
use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt};
use petgraph::Direction;
use petgraph::graph::NodeIndex;
use std::collections::{BTreeMap, BTreeSet};

/// The numbers edges use for categories, activities and cells, made before the edges.
struct Tables {
    categories: Names,
    activities: Names,
    /// File and sheet → its number, in order of first use (ranked in location order when the
    /// graph is finished).
    sheets: HashMap<Location, u32>,
}

impl Tables {
    fn new(register: &Register) -> Tables {
        let mut categories = BTreeSet::new();
        let mut add = |list: &[Category]| categories.extend(list.iter().map(Category::id));
        register
            .activities
            .iter()
            .for_each(|a| add(&a.data_categories));
        register
            .systems
            .iter()
            .for_each(|s| add(&s.data_categories));
        register
            .processors
            .iter()
            .for_each(|p| add(&p.data_categories));
        register.flows.iter().for_each(|f| add(&f.data_categories));
        let mut activities: BTreeSet<CompactString> =
            register.activities.iter().map(|a| a.key.clone()).collect();
        activities.extend(register.flows.iter().filter_map(|f| {
            match f.activity.as_ref().and_then(|a| a.target.as_ref()) {
                Some(EntityRef::Activity(key)) => Some(key.clone()),
                _ => None,
            }
        }));
        Tables {
            categories: Names::new(categories),
            activities: Names::new(activities),
            sheets: HashMap::new(),
        }
    }

    /// The identities of data categories ([`Category::id`]): the canonical category where the
    /// words name one, so `E-Mail-Adresse` and `E-mailadres` are one category on the graph.
    fn categories(&self, list: &[Category]) -> Option<Ids> {
        (!list.is_empty()).then(|| self.category_ids(list).collect())
    }

    fn category_ids<'l>(&'l self, list: &'l [Category]) -> impl Iterator<Item = u32> + 'l {
        list.iter()
            .filter_map(|c| self.categories.id(&Category::id(c)))
    }

    fn activity(&self, key: &str) -> Option<u32> {
        self.activities.id(key)
    }

    fn cell(&mut self, location: &Location) -> CellAt {
        CellAt::new(self.sheet(location), location.row, location.column)
    }

    /// The numbers of the files and sheets of activities' rows.
    fn sheets_of(&mut self, activities: &[crate::model::Activity]) -> Vec<u32> {
        activities
            .iter()
            .map(|a| self.sheet(&a.origin.row))
            .collect()
    }

    /// The number of a location's file and sheet.
    fn sheet(&mut self, location: &Location) -> u32 {
        let sheet = location.whole();
        let next = self.sheets.len() as u32;
        *self.sheets.entry(sheet).or_insert(next)
    }

    /// Hands the tables to the graph: sheets ranked in location order, and every edge's sets
    /// sorted.
    fn finish(self, g: &mut FlowGraph) {
        let mut sheets: Vec<(Location, u32)> = self.sheets.into_iter().collect();
        sheets.sort();
        let mut rank = vec![0; sheets.len()];
        for (r, (_, first)) in sheets.iter().enumerate() {
            rank[*first as usize] = r as u32;
        }
        // On both cores: L's 184,000 edges were sorted on one while the other waited.
        use rayon::prelude::*;
        let mut edges: Vec<&mut Edge> = g.graph.edge_weights_mut().collect();
        edges.par_iter_mut().for_each(|edge| {
            edge.origins
                .renumber(|c| c.in_sheet(rank[c.sheet() as usize]));
            edge.normalise();
        });
        g.categories = self.categories;
        g.activities = self.activities;
        g.sheets = sheets.into_iter().map(|(location, _)| location).collect();
    }
}

/// What an edge into a processor carries: the edge's categories and those the processor's row
/// says it receives (`received`, its category numbers). Over-approximating is the safe side for
/// transfer analysis, and registers name the same data differently in activities and processor
/// lists.
fn into_processor(cats: Option<Ids>, received: Option<&[u32]>) -> Option<Ids> {
    let mut cats = cats?;
    if let Some(received) = received {
        cats.extend(received.iter().copied());
    }
    Some(cats)
}

fn edge(
    rule: EdgeRule,
    categories: Option<Ids>,
    activities: impl IntoIterator<Item = u32>,
    encrypted: Tristate,
    origin: CellAt,
) -> Edge {
    Edge::new(
        categories,
        activities.into_iter().collect(),
        encrypted,
        EdgeRules::from_iter([rule]),
        Ids::from_iter([origin]),
    )
}

/// Builds the flow graph of a register. Linear in the register's size: every reference was
/// resolved to a key by the importer, and keys are looked up in hash maps.
pub fn build(register: &Register) -> FlowGraph {
    let mut g = FlowGraph::default();
    let mut tables = Tables::new(register);
    let processors: HashMap<&str, &Processor> = register
        .processors
        .iter()
        .map(|p| (p.key.as_str(), p))
        .collect();
    let systems: HashMap<&str, &crate::model::System> = register
        .systems
        .iter()
        .map(|s| (s.key.as_str(), s))
        .collect();

    // Nodes, in a stable order: organisation, data subjects, customers, systems, processors.
    let org = g.add_node(Node {
        kind: NodeKind::Organisation,
        key: name_key(&register.organisation.name),
        label: register.organisation.name.as_str().into(),
        places: register.organisation.country.iter().cloned().collect(),
        stated: None,
    });
    let mut subjects: BTreeMap<CompactString, &str> = BTreeMap::new();
    for activity in &register.activities {
        for subject in &activity.data_subjects {
            subjects.entry(name_key(subject)).or_insert(subject);
        }
    }
    for (key, label) in &subjects {
        g.add_node(Node {
            kind: NodeKind::DataSubjects,
            key: key.clone(),
            label: (*label).into(),
            places: Vec::new(),
            stated: None,
        });
    }
    for customer in &register.customers {
        g.add_node(Node {
            kind: NodeKind::Customer,
            key: customer.key.clone(),
            label: customer.name.clone(),
            places: customer.country.iter().cloned().collect(),
            stated: None,
        });
    }
    // Processor activities for every customer (`*`) send from one node standing for all of
    // them: an edge per customer would list every such activity once per customer
    // (activities × customers in the graph, its JSON and its diagrams).
    if register.activities.iter().any(|a| a.all_controllers) {
        g.add_node(Node {
            kind: NodeKind::Customer,
            key: ALL_CUSTOMERS.into(),
            label: if register.customers.is_empty() {
                "all customers".into()
            } else {
                compact_str::format_compact!("all customers ({})", register.customers.len())
            },
            places: Vec::new(),
            stated: None,
        });
    }
    for system in &register.systems {
        let host = system.hosted_by.as_ref().and_then(|h| match &h.target {
            Some(EntityRef::Processor(key)) => processors.get(key.as_str()),
            _ => None,
        });
        let places: Vec<Place> = if system.locations.is_empty() {
            host.map(|h| h.effective_locations()).unwrap_or_default()
        } else {
            system.locations.to_vec()
        };
        g.add_node(Node {
            kind: NodeKind::System,
            key: system.key.clone(),
            label: system.name.clone(),
            places,
            stated: None,
        });
    }
    for processor in &register.processors {
        g.add_node(Node {
            kind: NodeKind::Processor,
            key: processor.key.clone(),
            label: processor.name.clone(),
            places: processor.effective_locations(),
            stated: None,
        });
    }
    let node = |g: &FlowGraph, target: &EntityRef| entity_node(g.nodes(), org, target);
    let in_transit = |key: &str| {
        processors
            .get(key)
            .map(|p| p.encryption_in_transit)
            .unwrap_or_default()
    };

    // Rule 1–4: activities. Each activity's edges are planned a chunk at a time, the next
    // chunk on one core while the edges of the one before are added on the other, in the
    // register's order: the graph is the same whichever core planned what.
    let received: HashMap<&str, Vec<u32>> = register
        .processors
        .iter()
        .map(|p| {
            (
                p.key.as_str(),
                tables.category_ids(&p.data_categories).collect(),
            )
        })
        .collect();
    let mut system_activities: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut all_customers: Option<Edge> = None;
    let chunks: Vec<&[crate::model::Activity]> =
        register.activities.chunks(PLANNED_AT_ONCE).collect();
    let plan =
        |nodes: Nodes, tables: &Tables, chunk: &[crate::model::Activity], sheets: Vec<u32>| {
            use rayon::prelude::*;
            let (processors, received) = (&processors, &received);
            chunk
                .par_iter()
                .zip(sheets)
                .map(|(activity, sheet)| {
                    let cell = |field: &str| {
                        let at = activity.origin.cell(field);
                        CellAt::new(sheet, at.row, at.column)
                    };
                    activity_edges(nodes, tables, org, activity, processors, received, cell)
                })
                .collect::<Vec<ActivityEdges>>()
        };
    let mut planned: Vec<ActivityEdges> = match chunks.first() {
        Some(first) => {
            let sheets = tables.sheets_of(first);
            plan(g.nodes(), &tables, first, sheets)
        }
        None => Vec::new(),
    };
    for (k, chunk) in chunks.iter().enumerate() {
        // The next chunk's sheets are numbered here, in order, before it is planned.
        let next = chunks
            .get(k + 1)
            .map(|&next| (next, tables.sheets_of(next)));
        let (nodes, mut edges) = g.halves();
        let tables = &tables;
        let (_, next_planned) = rayon::join(
            || {
                for (activity, planned) in chunk.iter().zip(std::mem::take(&mut planned)) {
                    if let Some(e) = planned.all_customers {
                        all_customers = Some(match all_customers.take() {
                            None => e,
                            Some(gathered) => merge_edges(gathered, e),
                        });
                    }
                    let id = tables.activity(&activity.key);
                    for system in &activity.systems {
                        if let Some(EntityRef::System(key)) = &system.target {
                            system_activities
                                .entry(key.as_str())
                                .or_default()
                                .extend(id);
                        }
                    }
                    for (from, to, e) in planned.edges {
                        edges.add(from, to, e);
                    }
                }
            },
            || next.map(|(next, sheets)| plan(nodes, tables, next, sheets)),
        );
        planned = next_planned.unwrap_or_default();
    }

    if let Some(gathered) = all_customers
        && let Some(from) = g.node(NodeKind::Customer, ALL_CUSTOMERS)
    {
        g.add_edge(from, org, gathered);
    }

    // Rule 5: systems → their host.
    for system in &register.systems {
        let Some(EntityRef::Processor(host)) =
            system.hosted_by.as_ref().and_then(|h| h.target.as_ref())
        else {
            continue;
        };
        if let (Some(from), Some(to)) = (
            g.node(NodeKind::System, &system.key),
            g.node(NodeKind::Processor, host),
        ) {
            let activities = system_activities
                .get(system.key.as_str())
                .cloned()
                .unwrap_or_default();
            let e = edge(
                EdgeRule::SystemHost,
                into_processor(
                    tables.categories(&system.data_categories),
                    received.get(host.as_str()).map(Vec::as_slice),
                ),
                activities,
                in_transit(host),
                tables.cell(&system.origin.cell("hosted_by")),
            );
            g.add_edge(from, to, e);
        }
    }

    // Rule 6: processors → sub-processors, from either side's column.
    for processor in &register.processors {
        if let Some(EntityRef::Processor(parent)) = processor
            .details()
            .parent
            .as_ref()
            .and_then(|p| p.target.as_ref())
            && let (Some(from), Some(to)) = (
                g.node(NodeKind::Processor, parent),
                g.node(NodeKind::Processor, &processor.key),
            )
        {
            let e = edge(
                EdgeRule::SubProcessor,
                tables.categories(&processor.data_categories),
                [],
                processor.encryption_in_transit,
                tables.cell(&processor.origin.cell("parent")),
            );
            g.add_edge(from, to, e);
        }
        for sub in &processor.details().sub_processors {
            if let Some(EntityRef::Processor(key)) = &sub.target
                && let (Some(from), Some(to)) = (
                    g.node(NodeKind::Processor, &processor.key),
                    g.node(NodeKind::Processor, key),
                )
            {
                let cats = processors
                    .get(key.as_str())
                    .and_then(|s| tables.categories(&s.data_categories));
                let e = edge(
                    EdgeRule::SubProcessor,
                    cats,
                    [],
                    in_transit(key),
                    tables.cell(&processor.origin.cell("sub_processors")),
                );
                g.add_edge(from, to, e);
            }
        }
    }

    // Rule 7: explicit flows.
    for flow in &register.flows {
        let (Some(from), Some(to)) = (
            flow.from.target.as_ref().and_then(|t| node(&g, t)),
            flow.to.target.as_ref().and_then(|t| node(&g, t)),
        ) else {
            continue;
        };
        let activities = match flow.activity.as_ref().and_then(|a| a.target.as_ref()) {
            Some(EntityRef::Activity(key)) => tables.activity(key),
            _ => None,
        };
        let mut e = edge(
            EdgeRule::ExplicitFlow,
            tables.categories(&flow.data_categories),
            activities,
            flow.encrypted,
            tables.cell(&flow.origin.row),
        );
        e.set_mechanisms(&flow.transfer_mechanisms);
        g.add_edge(from, to, e);
    }

    // Rule 8: transfers activities state. The importer is the processor the statement names
    // (linked at import), else the activity's recipients located there, else a recipient of
    // its own: the name the statement gives, or "recipients in <country>".
    for activity in &register.activities {
        let cats = tables.categories(&activity.data_categories);
        let id = tables.activity(&activity.key);
        for (i, stated) in activity.details().transfers.iter().enumerate() {
            let mut importers: Vec<NodeIndex> = Vec::new();
            if let Some(EntityRef::Processor(key)) =
                stated.importer.as_ref().and_then(|r| r.target.as_ref())
            {
                importers.extend(g.node(NodeKind::Processor, key));
            } else if stated.importer.is_none() {
                for recipient in &activity.recipients {
                    if let Some(EntityRef::Processor(key)) = &recipient.target
                        && processors
                            .get(key.as_str())
                            .is_some_and(|p| p.effective_locations().contains(&stated.place))
                    {
                        importers.extend(g.node(NodeKind::Processor, key));
                    }
                }
            }
            if importers.is_empty() {
                let label = match &stated.importer {
                    Some(name) => name.text.to_string(),
                    None => format!("recipients in {}", stated.place),
                };
                importers.push(g.add_node(Node {
                    kind: NodeKind::Recipient,
                    key: compact_str::format_compact!("{}#{i}", activity.key),
                    label: label.into(),
                    places: vec![stated.place.clone()],
                    stated: Some(Box::new((activity.key.clone(), i))),
                }));
            }
            for to in importers {
                let mut e = edge(
                    EdgeRule::StatedTransfer,
                    cats.clone(),
                    id,
                    Tristate::Unknown,
                    tables.cell(&activity.origin.cell("transfer_countries")),
                );
                e.set_mechanisms(&stated.mechanisms);
                if !g.graph[to].places.contains(&stated.place) {
                    e.set_places(vec![stated.place.clone()]);
                }
                g.add_edge(org, to, e);
            }
        }
    }

    // Rule 9: whatever nothing reaches is reached from the organisation (seed-style lists
    // name processors without saying which activity uses them). A processor without incoming
    // edges gets one; a cycle of processors that nothing reaches gets one into its first member.
    let mut reached = vec![false; g.graph.node_count()];
    let sources: Vec<NodeIndex> = g
        .graph
        .node_indices()
        .filter(|&n| {
            matches!(
                g.graph[n].kind,
                NodeKind::Organisation | NodeKind::DataSubjects | NodeKind::Customer
            )
        })
        .collect();
    mark_reachable(&g, sources, &mut reached);
    for kind in [NodeKind::Processor, NodeKind::System] {
        let mut unreached: Vec<NodeIndex> = g
            .graph
            .node_indices()
            .filter(|&n| g.graph[n].kind == kind && !reached[n.index()])
            .collect();
        // Entry points first: nodes without incoming edges, then the rest in key order.
        unreached.sort_by_key(|&n| {
            let has_incoming = g
                .graph
                .neighbors_directed(n, Direction::Incoming)
                .next()
                .is_some();
            (has_incoming, g.graph[n].key.clone())
        });
        for to in unreached {
            if reached[to.index()] {
                continue;
            }
            let e = match kind {
                NodeKind::Processor => {
                    let p = processors[g.graph[to].key.as_str()];
                    edge(
                        EdgeRule::UnlinkedProcessor,
                        tables.categories(&p.data_categories),
                        [],
                        p.encryption_in_transit,
                        tables.cell(&p.origin.cell("name")),
                    )
                }
                _ => {
                    let system = systems.get(g.graph[to].key.as_str()).copied();
                    let origin = system
                        .map(|s| s.origin.cell("name"))
                        .unwrap_or_else(|| Location::in_file(String::new()));
                    edge(
                        EdgeRule::UnlinkedSystem,
                        system.and_then(|s| tables.categories(&s.data_categories)),
                        [],
                        Tristate::Unknown,
                        tables.cell(&origin),
                    )
                }
            };
            g.add_edge(org, to, e);
            mark_reachable(&g, vec![to], &mut reached);
        }
    }
    tables.finish(&mut g);
    g.compact();
    g
}

/// Activities whose edges are planned together before they are added: enough to keep both
/// cores busy, few enough that the planned edges stay small beside the graph.
const PLANNED_AT_ONCE: usize = 4096;

/// The edges of rules 1–4 for one activity, in the order they are added.
struct ActivityEdges {
    edges: Vec<(NodeIndex, NodeIndex, Edge)>,
    /// The edge from all customers (`*`), gathered into one across activities.
    all_customers: Option<Edge>,
}

fn activity_edges(
    g: Nodes,
    tables: &Tables,
    org: NodeIndex,
    activity: &crate::model::Activity,
    processors: &HashMap<&str, &Processor>,
    received: &HashMap<&str, Vec<u32>>,
    cell: impl Fn(&str) -> CellAt,
) -> ActivityEdges {
    let mut planned = ActivityEdges {
        edges: Vec::new(),
        all_customers: None,
    };
    let cats = tables.categories(&activity.data_categories);
    let id = tables.activity(&activity.key);
    let this = || id.into_iter();
    for subject in &activity.data_subjects {
        if let Some(from) = g.node(NodeKind::DataSubjects, &name_key(subject)) {
            let e = edge(
                EdgeRule::ActivitySubjects,
                cats.clone(),
                this(),
                Tristate::Unknown,
                cell("data_subjects"),
            );
            planned.edges.push((from, org, e));
        }
    }
    if activity.role == ActivityRole::Processor {
        let e = edge(
            EdgeRule::ActivityCustomers,
            cats.clone(),
            this(),
            Tristate::Unknown,
            cell("controllers"),
        );
        if activity.all_controllers {
            planned.all_customers = Some(e);
        } else {
            for controller in &activity.controllers {
                if let Some(from) = controller
                    .target
                    .as_ref()
                    .and_then(|t| entity_node(g, org, t))
                {
                    planned.edges.push((from, org, e.clone()));
                }
            }
        }
    }
    for system in &activity.systems {
        if let Some(EntityRef::System(key)) = &system.target
            && let Some(to) = g.node(NodeKind::System, key)
        {
            let e = edge(
                EdgeRule::ActivitySystems,
                cats.clone(),
                this(),
                Tristate::Unknown,
                cell("systems"),
            );
            planned.edges.push((org, to, e));
        }
    }
    for recipient in &activity.recipients {
        if let Some(EntityRef::Processor(key)) = &recipient.target
            && let Some(to) = g.node(NodeKind::Processor, key)
        {
            let e = edge(
                EdgeRule::ActivityRecipients,
                into_processor(cats.clone(), received.get(key.as_str()).map(Vec::as_slice)),
                this(),
                processors
                    .get(key.as_str())
                    .map(|p| p.encryption_in_transit)
                    .unwrap_or_default(),
                cell("recipients"),
            );
            planned.edges.push((org, to, e));
        }
    }
    planned
}

/// The node of an entity a reference resolved to.
fn entity_node(g: Nodes, org: NodeIndex, target: &EntityRef) -> Option<NodeIndex> {
    match target {
        EntityRef::Organisation => Some(org),
        EntityRef::System(k) => g.node(NodeKind::System, k),
        EntityRef::Processor(k) => g.node(NodeKind::Processor, k),
        EntityRef::Customer(k) => g.node(NodeKind::Customer, k),
        EntityRef::DataSubjects(k) => g.node(NodeKind::DataSubjects, k),
        EntityRef::Activity(_) => None,
    }
}

/// Marks everything reachable from `start` (iteratively, so long chains cannot overflow).
fn mark_reachable(g: &FlowGraph, mut stack: Vec<NodeIndex>, reached: &mut [bool]) {
    while let Some(n) = stack.pop() {
        if reached[n.index()] {
            continue;
        }
        reached[n.index()] = true;
        stack.extend(
            g.graph
                .neighbors_directed(n, Direction::Outgoing)
                .filter(|m| !reached[m.index()]),
        );
    }
}
