//! Transfers: every edge into a recipient that holds data outside the EEA, for each such
//! country, with the path the data took, what passes, and its Chapter V status as of a date.

use super::classify::{Assessment, Importer, Reason, Status, assess};
use super::policy::Levels;
use super::reach::reach;
use super::recipients::ActivityRecipients;
use super::rules;
use crate::diag::{Code, Severity};
use crate::graph::{FlowGraph, NodeKind};
use crate::model::{Location, Mechanism, Place, Processor, Register, Tristate};
use crate::reference::{self, Standing};
use crate::vocabulary::places as countries;
use chrono::NaiveDate;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One hop of personal data into one country.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    /// ISO code of the destination, `EU`/`EEA`, or `unknown`.
    pub country: String,
    pub country_name: String,
    /// The parties from the source to the importer, each with its country.
    pub path: Vec<String>,
    pub exporter: String,
    pub importer: String,
    /// Key of the importer in the processors table.
    pub importer_key: String,
    /// The graph nodes along `path`, for diagrams.
    #[serde(skip)]
    pub path_nodes: Vec<(NodeKind, String)>,
    /// From the organisation itself (first hop), or further down the chain (onward, Art. 44).
    pub onward: bool,
    pub categories: Vec<String>,
    pub activities: Vec<String>,
    /// The mechanisms recorded for this hop (the flow's, else the importer's).
    pub mechanisms: Vec<Mechanism>,
    /// The mechanism cell as written.
    pub mechanism_text: Option<String>,
    pub dpf_certified: Tristate,
    pub tia: Tristate,
    pub dpa: Tristate,
    pub retention: Option<String>,
    pub status: Status,
    pub assessment: Assessment,
    /// The rule this transfer's status is a finding of, if any.
    pub finding: Option<Code>,
    /// That finding's severity under the policy (`None`: allowed, not reported).
    pub finding_severity: Option<Severity>,
    /// Where to fix it: the importer's country and mechanism cells.
    pub country_cell: Option<Location>,
    pub mechanism_cell: Option<Location>,
}

/// One destination country, summarised.
#[derive(Debug, Clone, Serialize)]
pub struct Destination {
    pub country: String,
    pub country_name: String,
    pub standing: Option<Standing>,
    /// The worst status of its transfers.
    pub status: Status,
    /// The distinct legal bases relied on (mechanism keys).
    pub mechanisms: Vec<String>,
    pub importers: Vec<String>,
    pub categories: Vec<String>,
    pub paths: usize,
    /// The reason of the worst transfer.
    pub worst: Reason,
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
    /// Who each activity's data reaches; computed once here for the rules, the records and
    /// the diagrams.
    #[serde(skip)]
    pub recipients: ActivityRecipients,
}

fn place_code(place: Option<&Place>) -> String {
    match place {
        Some(p) => p.to_string(),
        None => "unknown".to_string(),
    }
}

/// The English name of a destination.
pub fn country_name(code: &str) -> String {
    match code {
        "EU" => "European Union".to_string(),
        "EEA" => "European Economic Area".to_string(),
        "worldwide" => "worldwide (unknown)".to_string(),
        "unknown" => "unknown location".to_string(),
        _ => countries::index()
            .english_name(code)
            .map(str::to_string)
            .unwrap_or_else(|| code.to_string()),
    }
}

fn label(graph: &FlowGraph, node: NodeIndex) -> String {
    let n = &graph.graph[node];
    let places: Vec<String> = n.places.iter().map(Place::to_string).collect();
    if places.is_empty() || n.kind == NodeKind::DataSubjects {
        n.label.clone()
    } else {
        format!("{} ({})", n.label, places.join(", "))
    }
}

/// Runs the transfer analysis.
pub fn analyse(register: &Register, graph: &FlowGraph, as_of: NaiveDate) -> TransferAnalysis {
    let (reach, masks) = reach(graph);
    let processors: HashMap<&str, &Processor> = register
        .processors
        .iter()
        .map(|p| (p.key.as_str(), p))
        .collect();
    let activity_names: HashMap<&str, &str> = register
        .activities
        .iter()
        .map(|a| (a.key.as_str(), a.name.as_str()))
        .collect();

    let mut hops: Vec<Transfer> = Vec::new();
    let mut all: Vec<Transfer> = Vec::new();
    for edge in graph.graph.edge_indices() {
        let Some((from, to)) = graph.graph.edge_endpoints(edge) else {
            continue;
        };
        let importer_node = &graph.graph[to];
        if importer_node.kind != NodeKind::Processor {
            continue;
        }
        let Some(importer) = processors.get(importer_node.key.as_str()) else {
            continue;
        };
        let categories: Vec<String> = reach
            .passed(graph, edge, &masks)
            .into_iter()
            .map(str::to_string)
            .collect();
        if categories.is_empty() {
            continue;
        }
        let weight = &graph.graph[edge];
        let mechanisms = if weight.mechanisms.is_empty() {
            importer.transfer_mechanisms.clone()
        } else {
            weight.mechanisms.clone()
        };
        let facts = Importer {
            dpf_certified: importer.dpf_certified,
            tia: importer.tia.status,
        };
        let mut nodes = reach.path_to(graph, from);
        nodes.push(to);
        let path: Vec<String> = nodes.iter().map(|&n| label(graph, n)).collect();
        let path_nodes: Vec<(NodeKind, String)> = nodes
            .iter()
            .map(|&n| (graph.graph[n].kind, graph.graph[n].key.clone()))
            .collect();
        let onward = graph.graph[from].kind == NodeKind::Processor;
        let places: Vec<Option<&Place>> = if importer_node.places.is_empty() {
            vec![None]
        } else {
            importer_node.places.iter().map(Some).collect()
        };
        for place in places {
            let assessment = assess(place, &mechanisms, facts, as_of);
            let finding = rules::code_for(&assessment.reason);
            let code = place_code(place);
            let transfer = Transfer {
                country_name: country_name(&code),
                country: code,
                path: path.clone(),
                path_nodes: path_nodes.clone(),
                exporter: graph.graph[from].label.clone(),
                importer: importer.name.clone(),
                importer_key: importer.key.clone(),
                onward,
                categories: categories.clone(),
                activities: weight
                    .activities
                    .iter()
                    .map(|k| {
                        activity_names
                            .get(k.as_str())
                            .copied()
                            .unwrap_or(k)
                            .to_string()
                    })
                    .collect(),
                mechanisms: mechanisms.clone(),
                mechanism_text: importer.transfer_mechanism_text.clone(),
                dpf_certified: importer.dpf_certified,
                tia: importer.tia.status,
                dpa: importer.dpa.status,
                retention: importer.retention.clone(),
                status: assessment.status,
                assessment,
                finding,
                finding_severity: finding.map(Code::default_severity),
                country_cell: Some(importer.origin.cell(if importer.locations.is_empty() {
                    "country"
                } else {
                    "locations"
                })),
                mechanism_cell: Some(importer.origin.cell("transfer_mechanism")),
            };
            if transfer.status == Status::NoTransfer {
                all.push(transfer);
            } else {
                all.push(transfer.clone());
                hops.push(transfer);
            }
        }
    }
    hops.sort_by(|a, b| {
        (&a.country, &a.path, &a.importer).cmp(&(&b.country, &b.path, &b.importer))
    });
    TransferAnalysis {
        as_of,
        reference_as_of: reference::AS_OF,
        destinations: destinations(&all),
        transfers: hops,
        notices: Vec::new(),
        recipients: ActivityRecipients::new(graph),
    }
}

impl TransferAnalysis {
    /// Sets each transfer's finding severity from the policy's levels.
    pub fn apply_levels(&mut self, levels: &Levels) {
        for t in &mut self.transfers {
            if let Some(code) = t.finding {
                t.finding_severity = levels.severity(code);
            }
        }
    }
}

fn destinations(all: &[Transfer]) -> Vec<Destination> {
    let mut by_country: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
    for t in all {
        by_country.entry(t.country.as_str()).or_default().push(t);
    }
    by_country
        .into_iter()
        .map(|(code, transfers)| {
            let worst = transfers
                .iter()
                .max_by_key(|t| t.status)
                .expect("a destination has transfers");
            let set = |f: &dyn Fn(&Transfer) -> Vec<String>| -> Vec<String> {
                transfers
                    .iter()
                    .flat_map(|t| f(t))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            };
            Destination {
                country: code.to_string(),
                country_name: worst.country_name.clone(),
                standing: match code {
                    "EU" => Some(Standing::Eu),
                    "EEA" => Some(Standing::Eea),
                    _ => reference::data().jurisdiction(code).map(|j| j.standing),
                },
                status: worst.status,
                mechanisms: set(&|t| {
                    t.assessment
                        .mechanism
                        .iter()
                        .map(|m| m.key().to_string())
                        .collect()
                }),
                importers: set(&|t| vec![t.importer.clone()]),
                categories: set(&|t| t.categories.clone()),
                paths: transfers.len(),
                worst: worst.assessment.reason.clone(),
            }
        })
        .collect()
}
