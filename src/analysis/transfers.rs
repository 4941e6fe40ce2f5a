//! Transfers: every edge into a recipient that holds data outside the EEA, for each such
//! country, with the path the data took, what passes, and its Chapter V status as of a date.

use super::classify::{Assessment, Importer, Status, assess};
use super::policy::Levels;
use super::reach::reach;
use super::recipients::ActivityRecipients;
use super::rules;
use crate::diag::{Code, Severity};
use crate::graph::{FlowGraph, NodeKind};
use crate::model::{
    Activity, CompactString, Location, Mechanism, Place, Processor, Register, StatedTransfer,
    Tristate,
};
use crate::reference::{self, Standing};
use crate::vocabulary::places as countries;
use crate::vocabulary::words::Concept;
use chrono::NaiveDate;
use foldhash::HashMap;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

/// One hop of personal data into one country.
#[derive(Debug, Clone)]
pub struct Transfer {
    /// ISO code of the destination, `EU`/`EEA`, or `unknown` (inline, as is the name
    /// when the reference data has it: a large register has a hundred thousand transfers).
    pub country: CompactString,
    pub country_name: Cow<'static, str>,
    pub exporter: Arc<str>,
    /// What is known of the importer, shared by every transfer into it.
    pub importer: Arc<ImporterView>,
    /// The nodes along [`Transfer::path`] in the graph the analysis was made from. This and
    /// the other lists are shared with the edge's transfers into its other places.
    pub path_nodes: Arc<[NodeIndex]>,
    /// A first transfer (the exporter is in the EEA: the organisation or an EEA processor), or
    /// an onward transfer from an importer outside the EEA (Art. 44; EDPB Guidelines 05/2021).
    pub onward: bool,
    /// For an onward transfer: where the tool of the transfer that brought the data to the
    /// exporter governs onward transfers (SCC clause 8.7/8.8, the DPF's Onward Transfer
    /// Principle), when the register records that tool.
    pub onward_terms: Option<Arc<str>>,
    /// The categories that pass and the activities they serve, by number into `names`.
    category_ids: Arc<[u32]>,
    activity_ids: Arc<[u32]>,
    /// The names the lists above number, one table for the whole analysis.
    names: Arc<TransferNames>,
    /// The mechanisms recorded for this hop (the flow's, else the importer's).
    pub mechanisms: Arc<[Mechanism]>,
    pub status: Status,
    /// Shared by the transfers judged alike (the same place, tools and importer facts).
    pub assessment: Arc<Assessment>,
    /// The rule this transfer's status is a finding of, if any.
    pub finding: Option<Code>,
    /// That finding's severity under the policy (`None`: allowed, not reported).
    pub finding_severity: Option<Severity>,
}

/// The names transfers list by number, kept once for the whole analysis: a large register
/// has a hundred thousand transfers, and each lists its path, categories and activities.
#[derive(Default)]
pub struct TransferNames {
    /// Per graph node on a transfer's path: its label with its places, as paths show it.
    path_labels: Vec<Option<Arc<str>>>,
    /// Category identities by number (see [`super::reach::Reach::categories`]).
    categories: Vec<Arc<str>>,
    /// Per activity number of the graph: the activity's name, for activities transfers serve.
    activities: Vec<Option<Arc<str>>>,
}

impl std::fmt::Debug for TransferNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The table is the whole analysis's: a transfer's lists show it, not this.
        f.write_str("TransferNames")
    }
}

impl Transfer {
    /// The parties from the source to the importer, each with its country.
    pub fn path(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.path_nodes.iter().map(|n| {
            self.names.path_labels[n.index()]
                .as_deref()
                .unwrap_or_default()
        })
    }

    /// The path as one line: `A (DE) → B (US)`.
    pub fn path_line(&self) -> String {
        self.path().collect::<Vec<_>>().join(" → ")
    }

    /// The data categories that pass, by identity (canonical key, else the words).
    pub fn categories(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.category_ids
            .iter()
            .map(|&id| &*self.names.categories[id as usize])
    }

    /// The activities the hop serves, by their numbers in the activities of the graph the
    /// analysis was made from ([`crate::graph::FlowGraph::activities`]), in the order of
    /// [`Transfer::activities`].
    pub fn activity_numbers(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.activity_ids.iter().copied()
    }

    /// The names of the activities the hop serves.
    pub fn activities(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.activity_ids.iter().map(|&id| {
            self.names.activities[id as usize]
                .as_deref()
                .unwrap_or_default()
        })
    }
}

/// A transfer as the JSON report writes it: the importer's facts as fields of the transfer,
/// its cells named as findings name them (`file:Sheet!D7`).
impl Serialize for Transfer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::model::origin::CellName;
        use serde::ser::SerializeStruct;
        /// A list of names, written as it is read.
        struct Seq<I>(I);
        impl<'a, I: Iterator<Item = &'a str> + Clone> Serialize for Seq<I> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.clone())
            }
        }
        /// A field left out when it has no value, as `skip_serializing_if` would.
        fn optional<T: SerializeStruct, V: Serialize>(
            t: &mut T,
            key: &'static str,
            value: &Option<V>,
        ) -> Result<(), T::Error> {
            match value {
                Some(value) => t.serialize_field(key, value),
                None => t.skip_field(key),
            }
        }
        let importer = &*self.importer;
        let mut t = serializer.serialize_struct("Transfer", 21)?;
        t.serialize_field("country", &self.country)?;
        t.serialize_field("country_name", &self.country_name)?;
        t.serialize_field("path", &Seq(self.path()))?;
        t.serialize_field("exporter", &self.exporter)?;
        t.serialize_field("importer", &importer.name)?;
        t.serialize_field("importer_key", &importer.key)?;
        t.serialize_field("onward", &self.onward)?;
        optional(&mut t, "onward_terms", &self.onward_terms)?;
        t.serialize_field("categories", &Seq(self.categories()))?;
        t.serialize_field("activities", &Seq(self.activities()))?;
        t.serialize_field("mechanisms", &self.mechanisms)?;
        optional(&mut t, "mechanism_text", &importer.mechanism_text)?;
        t.serialize_field("dpf_certified", &importer.dpf_certified)?;
        t.serialize_field("tia", &importer.tia)?;
        t.serialize_field("dpa", &importer.dpa)?;
        optional(&mut t, "retention", &importer.retention)?;
        t.serialize_field("status", &self.status)?;
        t.serialize_field("assessment", &self.assessment)?;
        t.serialize_field("finding", &self.finding)?;
        t.serialize_field("finding_severity", &self.finding_severity)?;
        t.serialize_field("country_cell", &CellName(&importer.country_cell))?;
        t.serialize_field("mechanism_cell", &CellName(&importer.mechanism_cell))?;
        t.end()
    }
}

/// One destination country, summarised.
#[derive(Debug, Clone, Serialize)]
pub struct Destination {
    pub country: String,
    pub country_name: String,
    pub standing: Option<Standing>,
    /// The worst status of its transfers.
    pub status: Status,
    /// The distinct legal bases relied on.
    pub mechanisms: Vec<Mechanism>,
    pub importers: Vec<String>,
    pub categories: Vec<String>,
    pub paths: usize,
    /// The verdict on the worst transfer (with the scope of a partial adequacy decision).
    pub worst: Assessment,
}

/// The whole analysis of a register as of a date.
#[derive(Debug, Clone, Serialize)]
pub struct TransferAnalysis {
    pub as_of: NaiveDate,
    pub reference_as_of: &'static str,
    /// Every hop into a third country (and into unknown places), sorted by country and path.
    pub transfers: Vec<Transfer>,
    /// Every destination country, EEA ones included, sorted by code.
    pub destinations: Vec<Destination>,
    /// What every report says first: nothing or not all of the register could be read.
    pub notices: Vec<super::Notice>,
    /// The register's own words for each data category the transfers name (`categories`
    /// hold category identities: canonical keys, or the words themselves).
    pub category_words: BTreeMap<String, Vec<String>>,
    /// Who each activity's data reaches; computed once here for the rules, the records and
    /// the diagrams.
    #[serde(skip)]
    pub recipients: ActivityRecipients,
}

fn place_code(place: Option<&Place>) -> CompactString {
    match place {
        Some(p) => compact_str::format_compact!("{p}"),
        None => "unknown".into(),
    }
}

/// The English name of a destination.
pub fn country_name(code: &str) -> Cow<'static, str> {
    match code {
        "EU" => "European Union".into(),
        "EEA" => "European Economic Area".into(),
        "worldwide" => "worldwide (unknown)".into(),
        "unknown" => "unknown location".into(),
        _ => countries::index()
            .english_name(code)
            .map_or_else(|| code.to_string().into(), Cow::Borrowed),
    }
}

fn label(graph: &FlowGraph, node: NodeIndex) -> String {
    let n = &graph.graph[node];
    let places: Vec<String> = n.places.iter().map(Place::to_string).collect();
    if places.is_empty() || n.kind == NodeKind::DataSubjects {
        n.label.to_string()
    } else {
        format!("{} ({})", n.label, places.join(", "))
    }
}

/// What the analysis knows of an importer: a processor of the register, or the importer of a
/// transfer an activity states (known only by that statement). Made once per importer and
/// shared by the transfers into it (a large register has a hundred thousand transfers into
/// fifty thousand processors).
#[derive(Debug)]
pub struct ImporterView {
    pub name: Arc<str>,
    /// Key of the importer in the processors table.
    pub key: CompactString,
    mechanisms: Vec<Mechanism>,
    /// The mechanism cell as written.
    pub mechanism_text: Option<Arc<str>>,
    pub dpf_certified: Tristate,
    dpf_hr: Tristate,
    pub tia: Tristate,
    pub dpa: Tristate,
    pub retention: Option<Arc<str>>,
    /// Where to fix a transfer into it: its country and mechanism cells.
    pub country_cell: Arc<Location>,
    pub mechanism_cell: Arc<Location>,
}

impl ImporterView {
    fn processor(p: &Processor, name: Arc<str>) -> Self {
        ImporterView {
            name,
            key: p.key.clone(),
            mechanisms: p.transfer_mechanisms.to_vec(),
            mechanism_text: p.transfer_mechanism_text.as_deref().map(Arc::from),
            dpf_certified: p.dpf_certified,
            dpf_hr: p.dpf_hr,
            tia: p.tia.status,
            dpa: p.dpa.status,
            retention: p.retention.as_deref().map(Arc::from),
            country_cell: Arc::new(p.origin.cell(if p.locations.is_empty() {
                "country"
            } else {
                "locations"
            })),
            mechanism_cell: Arc::new(p.origin.cell("transfer_mechanism")),
        }
    }

    fn stated(
        node: &crate::graph::Node,
        name: Arc<str>,
        a: &Activity,
        stated: &StatedTransfer,
    ) -> Self {
        let country_cell = Arc::new(a.origin.cell("transfer_countries"));
        ImporterView {
            name,
            key: node.key.clone(),
            mechanisms: stated.mechanisms.clone(),
            mechanism_text: Some(Arc::from(stated.text.as_str())),
            dpf_certified: stated.dpf_certified,
            dpf_hr: Tristate::Unknown,
            tia: Tristate::Unknown,
            dpa: Tristate::Unknown,
            retention: None,
            mechanism_cell: if a.details().transfer_safeguards.is_some()
                && stated.mechanisms.is_empty()
            {
                Arc::new(a.origin.cell("transfer_safeguards"))
            } else {
                country_cell.clone()
            },
            country_cell,
        }
    }
}

/// Whether the data is HR data: an employment category, or employees or applicants among the
/// data subjects of the activities it comes from.
fn is_hr_data<'k>(
    categories: &[&Arc<str>],
    activity_keys: impl IntoIterator<Item = &'k str>,
    activities: &HashMap<&str, &Activity>,
) -> bool {
    categories
        .iter()
        .any(|c| crate::vocabulary::categories::is_within(c, "employment_data"))
        || activity_keys
            .into_iter()
            .filter_map(|k| activities.get(k))
            .flat_map(|a| &a.data_subjects)
            .any(|s| crate::vocabulary::words::contains(Concept::Employees, s))
}

/// Whether every place a party holds data is outside the EEA on the date (an unknown or
/// vague place is not known to be outside).
fn is_outside(places: &[Place], on: NaiveDate) -> bool {
    let data = reference::data();
    !places.is_empty()
        && places.iter().all(|p| match p {
            Place::Country(code) | Place::Organisation(code) => !data.inside_on(code, on),
            Place::OutsideEea => true,
            Place::Eu | Place::Eea | Place::Europe | Place::Worldwide => false,
        })
}

/// Where the tool of the transfer into the exporter (the hop before the last on the path)
/// governs onward transfers.
fn first_tool_terms(
    graph: &FlowGraph,
    nodes: &[NodeIndex],
    processors: &HashMap<&str, &Processor>,
    verdicts: &mut Verdicts,
    on: NaiveDate,
) -> Option<Arc<str>> {
    let [.., before, exporter, _] = nodes else {
        return None;
    };
    let edge = graph.edge_between(*before, *exporter)?;
    let node = &graph.graph[*exporter];
    let processor = processors.get(node.key.as_str());
    let mechanisms = if graph.graph[edge].mechanisms().is_empty() {
        processor
            .map(|p| p.transfer_mechanisms.to_vec())
            .unwrap_or_default()
    } else {
        graph.graph[edge].mechanisms().to_vec()
    };
    let facts = Importer {
        dpf_certified: processor.map_or(Tristate::Unknown, |p| p.dpf_certified),
        dpf_hr: processor.map_or(Tristate::Unknown, |p| p.dpf_hr),
        tia: processor.map_or(Tristate::Unknown, |p| p.tia.status),
        hr_data: false,
    };
    node.places
        .iter()
        .map(|place| verdicts.of(Some(place), &mechanisms, facts, on))
        .filter(|a| a.status != Status::NoTransfer)
        .find_map(|a| a.onward_terms.clone())
}

/// Runs the transfer analysis.
pub fn analyse(register: &Register, graph: &FlowGraph, as_of: NaiveDate) -> TransferAnalysis {
    let (reach, masks) = reach(graph);
    let processors: HashMap<&str, &Processor> = register
        .processors
        .iter()
        .map(|p| (p.key.as_str(), p))
        .collect();
    let activities: HashMap<&str, &Activity> = register
        .activities
        .iter()
        .map(|a| (a.key.as_str(), a))
        .collect();

    let shared = Shared::new(graph, register);
    let no_names = Arc::new(TransferNames::default());
    use rayon::prelude::*;
    // Each edge is judged on its own, on every core. Only transfers (hops with a status other
    // than "no transfer") are kept whole, in the edges' order; every hop counts towards its
    // destination's summary. Who each activity reaches is found meanwhile (one search per
    // activity, on one core at a time).
    let edges: Vec<_> = graph.graph.edge_indices().collect();
    let (parts, recipients): (Vec<(Vec<Transfer>, Summaries, Verdicts)>, _) = rayon::join(
        || {
            edges
                .into_par_iter()
                .fold(
                    || (Vec::new(), Summaries::new(), Verdicts::default()),
                    |(mut made, mut summaries, mut verdicts), edge| {
                        judge_edge(
                            &Judging {
                                graph,
                                reach: &reach,
                                masks: &masks,
                                processors: &processors,
                                activities: &activities,
                                shared: &shared,
                                names: &no_names,
                                as_of,
                            },
                            edge,
                            &mut made,
                            &mut summaries,
                            &mut verdicts,
                        );
                        (made, summaries, verdicts)
                    },
                )
                .collect()
        },
        || ActivityRecipients::new(graph),
    );
    // Joined in the edges' order into one list of exactly the transfers' length: a list grown
    // by doubling would hold up to twice their size for the rest of the run.
    let mut all = Vec::with_capacity(parts.iter().map(|(made, _, _)| made.len()).sum());
    let mut summaries = Summaries::new();
    for (made, others, _) in parts {
        all.extend(made);
        for (country, summary) in others {
            match summaries.entry(country) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(summary);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().merge(summary),
            }
        }
    }
    let destinations = destinations(summaries, as_of);
    let names = Arc::new(shared.into_names(reach.categories));
    let mut hops: Vec<Transfer> = all;
    for hop in &mut hops {
        hop.names = names.clone();
    }
    hops.par_sort_by(|a, b| {
        a.country
            .cmp(&b.country)
            .then_with(|| a.path().cmp(b.path()))
            .then_with(|| a.importer.name.cmp(&b.importer.name))
    });
    TransferAnalysis {
        as_of,
        reference_as_of: reference::AS_OF,
        destinations,
        transfers: hops,
        notices: Vec::new(),
        category_words: register.categories.clone(),
        recipients,
    }
}

/// What judging an edge reads.
struct Judging<'g> {
    graph: &'g FlowGraph,
    reach: &'g super::reach::Reach,
    masks: &'g super::reach::EdgeMasks,
    processors: &'g HashMap<&'g str, &'g Processor>,
    activities: &'g HashMap<&'g str, &'g Activity>,
    shared: &'g Shared<'g>,
    /// An empty table each transfer points at until the analysis's is made.
    names: &'g Arc<TransferNames>,
    as_of: NaiveDate,
}

/// What many transfers repeat, made once and shared: the labels of the parties on their
/// paths, the names of their activities and what is known of their importers (a large
/// register has a hundred thousand transfers into fifty thousand processors). Each is made
/// when first needed.
struct Shared<'g> {
    /// Per node: its label, and its label with its places as paths show it.
    labels: Vec<OnceLock<Arc<str>>>,
    path_labels: Vec<OnceLock<Arc<str>>>,
    /// Per processor node: what the analysis knows of it as an importer, with its cells.
    importers: Vec<OnceLock<Arc<ImporterView>>>,
    /// Activity key → the activity's name.
    activity_names: HashMap<&'g str, &'g str>,
    /// Per activity number of the graph: its name, once a transfer serves it.
    activities: Vec<OnceLock<Arc<str>>>,
}

impl<'g> Shared<'g> {
    fn new(graph: &FlowGraph, register: &'g Register) -> Shared<'g> {
        let nodes = graph.graph.node_count();
        Shared {
            labels: (0..nodes).map(|_| OnceLock::new()).collect(),
            path_labels: (0..nodes).map(|_| OnceLock::new()).collect(),
            importers: (0..nodes).map(|_| OnceLock::new()).collect(),
            activity_names: register
                .activities
                .iter()
                .map(|a| (a.key.as_str(), a.name.as_str()))
                .collect(),
            activities: (0..graph.activities.all().len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    fn label(&self, graph: &FlowGraph, node: NodeIndex) -> Arc<str> {
        self.labels[node.index()]
            .get_or_init(|| Arc::from(graph.graph[node].label.as_str()))
            .clone()
    }

    /// Makes a node's label as paths show it, once.
    fn path_label(&self, graph: &FlowGraph, node: NodeIndex) {
        self.path_labels[node.index()].get_or_init(|| Arc::from(label(graph, node)));
    }

    fn importer(&self, node: NodeIndex, make: impl FnOnce() -> ImporterView) -> Arc<ImporterView> {
        self.importers[node.index()]
            .get_or_init(|| Arc::new(make()))
            .clone()
    }

    /// Makes the name of the graph's activity `id` (the key when the register has no such
    /// activity), once.
    fn activity(&self, graph: &FlowGraph, id: u32) {
        self.activities[id as usize].get_or_init(|| {
            let key = graph.activities.name(id);
            Arc::from(self.activity_names.get(key).copied().unwrap_or(key))
        });
    }

    /// The names made while judging, as the transfers' table.
    fn into_names(self, categories: Vec<Arc<str>>) -> TransferNames {
        TransferNames {
            path_labels: self
                .path_labels
                .into_iter()
                .map(OnceLock::into_inner)
                .collect(),
            categories,
            activities: self
                .activities
                .into_iter()
                .map(OnceLock::into_inner)
                .collect(),
        }
    }
}

/// Judges the hop along `edge` into each place its importer holds data: transfers go to
/// `made`, and every hop into its destination's summary.
fn judge_edge<'g>(
    cx: &Judging<'g>,
    edge: petgraph::graph::EdgeIndex,
    made: &mut Vec<Transfer>,
    summaries: &mut Summaries<'g>,
    verdicts: &mut Verdicts,
) {
    let Judging {
        graph,
        reach,
        masks,
        processors,
        activities,
        as_of,
        ..
    } = *cx;
    let Some((from, to)) = graph.graph.edge_endpoints(edge) else {
        return;
    };
    let importer_node = &graph.graph[to];
    let importer: Arc<ImporterView> = match importer_node.kind {
        NodeKind::Processor => match processors.get(importer_node.key.as_str()) {
            Some(p) => cx.shared.importer(to, || {
                ImporterView::processor(p, cx.shared.label(graph, to))
            }),
            None => return,
        },
        NodeKind::Recipient => {
            let Some((activity, i)) = importer_node.stated.as_deref() else {
                return;
            };
            match activities
                .get(activity.as_str())
                .and_then(|a| a.details().transfers.get(*i).map(|t| (*a, t)))
            {
                Some((a, stated)) => Arc::new(ImporterView::stated(
                    importer_node,
                    cx.shared.label(graph, to),
                    a,
                    stated,
                )),
                None => return,
            }
        }
        _ => return,
    };
    let category_ids = reach.passed(graph, edge, masks);
    if category_ids.is_empty() {
        return;
    }
    let categories: Vec<&Arc<str>> = category_ids
        .iter()
        .map(|&id| &reach.categories[id as usize])
        .collect();
    let weight = &graph.graph[edge];
    let mechanisms = if weight.mechanisms().is_empty() {
        importer.mechanisms.clone()
    } else {
        weight.mechanisms().to_vec()
    };
    let facts = Importer {
        dpf_certified: importer.dpf_certified,
        dpf_hr: importer.dpf_hr,
        tia: importer.tia,
        hr_data: is_hr_data(&categories, graph.edge_activities(weight), activities),
    };
    // Where the importer holds data, and any place an activity states for this flow.
    let mut importer_places: Vec<&Place> = importer_node.places.iter().collect();
    importer_places.extend(
        weight
            .places()
            .iter()
            .filter(|p| !importer_node.places.contains(p)),
    );
    let places: Vec<Option<&Place>> = if importer_places.is_empty() {
        vec![None]
    } else {
        importer_places.into_iter().map(Some).collect()
    };
    // The path and the rest of a transfer are made once, for the first place that is one;
    // the edge's other places copy them.
    let mut first: Option<usize> = None;
    for (i, place) in places.into_iter().enumerate() {
        let assessment = verdicts.of(place, &mechanisms, facts, as_of);
        let code = place_code(place);
        let summary = summaries.entry(code.clone()).or_default();
        summary.add(
            (assessment.status, edge.index(), i),
            &assessment,
            &importer.name,
            &categories,
        );
        if assessment.status == Status::NoTransfer {
            continue;
        }
        let t = match first {
            // Made once per edge, copied for its other places.
            Some(at) => made[at].clone().judged(code, assessment),
            None => transfer(
                cx,
                (from, to),
                weight,
                (&importer, &mechanisms, &category_ids),
                (code, assessment),
                verdicts,
            ),
        };
        first.get_or_insert(made.len());
        made.push(t);
    }
}

/// The transfer along an edge into one destination, with the verdict on it.
fn transfer(
    cx: &Judging,
    (from, to): (NodeIndex, NodeIndex),
    weight: &crate::graph::Edge,
    (importer, mechanisms, category_ids): (&Arc<ImporterView>, &[Mechanism], &[u32]),
    (country, assessment): (CompactString, Arc<Assessment>),
    verdicts: &mut Verdicts,
) -> Transfer {
    let graph = cx.graph;
    let mut nodes = cx.reach.path_to(graph, from);
    nodes.push(to);
    // An exporter outside the EEA makes an onward transfer, resting on the tool of the
    // transfer that brought the data there; an EEA processor makes a first transfer (EDPB
    // Guidelines 05/2021).
    let onward = matches!(
        graph.graph[from].kind,
        NodeKind::Processor | NodeKind::Recipient
    ) && is_outside(&graph.graph[from].places, cx.as_of);
    let onward_terms = if onward {
        first_tool_terms(graph, &nodes, cx.processors, verdicts, cx.as_of)
    } else {
        None
    };
    let finding = rules::code_for(&assessment.reason);
    // The names the transfer lists are made once for the whole analysis.
    for &node in &nodes {
        cx.shared.path_label(graph, node);
    }
    let activity_ids: Arc<[u32]> = weight.activities.iter().collect();
    for &id in activity_ids.iter() {
        cx.shared.activity(graph, id);
    }
    Transfer {
        country_name: country_name(&country),
        country,
        path_nodes: nodes.into(),
        exporter: cx.shared.label(graph, from),
        importer: importer.clone(),
        onward,
        onward_terms,
        category_ids: category_ids.into(),
        activity_ids,
        // Set once every transfer is made (see [`analyse`]).
        names: cx.names.clone(),
        mechanisms: mechanisms.into(),
        status: assessment.status,
        assessment,
        finding,
        finding_severity: finding.map(Code::default_severity),
    }
}

/// Every hop into one destination, summarised as it is judged.
#[derive(Default)]
struct Summary<'g> {
    /// The worst verdict: the last hop of the highest status in edge and place order.
    worst: Option<((Status, usize, usize), Arc<Assessment>)>,
    mechanisms: BTreeSet<Mechanism>,
    importers: BTreeSet<String>,
    categories: BTreeSet<&'g str>,
    paths: usize,
}

type Summaries<'g> = BTreeMap<CompactString, Summary<'g>>;

/// Verdicts already reached, by place, tools and importer facts: a verdict depends on nothing
/// else, and a large register has a hundred thousand transfers to a few dozen places with a
/// few tools, which then share one verdict and its citations.
#[derive(Default)]
struct Verdicts(Vec<(Judged, Arc<Assessment>)>);

/// What a verdict is reached from, besides the date.
type Judged = (Option<Place>, Vec<Mechanism>, Importer);

impl Verdicts {
    fn of(
        &mut self,
        place: Option<&Place>,
        mechanisms: &[Mechanism],
        facts: Importer,
        on: NaiveDate,
    ) -> Arc<Assessment> {
        // A short list: looked up without making a key.
        if let Some((_, verdict)) = self.0.iter().find(|((at, tools, importer), _)| {
            at.as_ref() == place && tools == mechanisms && *importer == facts
        }) {
            return verdict.clone();
        }
        let verdict = Arc::new(assess(place, mechanisms, facts, on));
        self.0.push((
            (place.cloned(), mechanisms.to_vec(), facts),
            verdict.clone(),
        ));
        verdict
    }
}

impl<'g> Summary<'g> {
    fn add(
        &mut self,
        rank: (Status, usize, usize),
        assessment: &Arc<Assessment>,
        importer: &str,
        categories: &[&'g Arc<str>],
    ) {
        if self.worst.as_ref().is_none_or(|(worst, _)| rank > *worst) {
            self.worst = Some((rank, assessment.clone()));
        }
        self.mechanisms.extend(assessment.mechanism);
        if !self.importers.contains(importer) {
            self.importers.insert(importer.to_string());
        }
        self.categories.extend(categories.iter().map(|&c| &**c));
        self.paths += 1;
    }

    fn merge(&mut self, other: Summary<'g>) {
        if let Some((rank, assessment)) = other.worst
            && self.worst.as_ref().is_none_or(|(worst, _)| rank > *worst)
        {
            self.worst = Some((rank, assessment));
        }
        self.mechanisms.extend(other.mechanisms);
        self.importers.extend(other.importers);
        self.categories.extend(other.categories);
        self.paths += other.paths;
    }
}

impl Transfer {
    /// The same transfer into another destination, with the verdict on it.
    fn judged(self, country: CompactString, assessment: Arc<Assessment>) -> Transfer {
        let finding = rules::code_for(&assessment.reason);
        Transfer {
            country_name: country_name(&country),
            country,
            status: assessment.status,
            assessment,
            finding,
            finding_severity: finding.map(Code::default_severity),
            ..self
        }
    }
}

impl TransferAnalysis {
    /// Whether ropa read the whole register, so that finding no transfer is an all-clear.
    pub fn read_fully(&self) -> bool {
        !self.notices.iter().any(super::Notice::is_about_the_read)
    }

    /// The transfers to each importer, by its key.
    pub fn by_importer(&self) -> BTreeMap<&str, Vec<&Transfer>> {
        let mut by: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
        for t in &self.transfers {
            by.entry(t.importer.key.as_str()).or_default().push(t);
        }
        by
    }

    /// Sets each transfer's finding severity from the policy's levels.
    pub fn apply_levels(&mut self, levels: &Levels) {
        for t in &mut self.transfers {
            if let Some(code) = t.finding {
                t.finding_severity = levels.severity(code);
            }
        }
    }
}

fn destinations(summaries: Summaries, as_of: NaiveDate) -> Vec<Destination> {
    summaries
        .into_iter()
        .filter_map(|(code, summary)| {
            let ((status, _, _), worst) = summary.worst?;
            Some(Destination {
                country_name: country_name(&code).into_owned(),
                standing: match code.as_str() {
                    "EU" => Some(Standing::Eu),
                    "EEA" => Some(Standing::Eea),
                    _ => reference::data().standing(&code, as_of).map(|p| p.standing),
                },
                country: code.to_string(),
                status,
                mechanisms: summary.mechanisms.into_iter().collect(),
                importers: summary.importers.into_iter().collect(),
                categories: summary.categories.into_iter().map(str::to_string).collect(),
                paths: summary.paths,
                worst: Arc::unwrap_or_clone(worst),
            })
        })
        .collect()
}
