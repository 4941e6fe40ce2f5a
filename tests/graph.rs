//! The flow graph follows the rules in docs/graph.md.

use ropa::graph::{self, EdgeRule, EdgeRules, FlowGraph, NodeKind};
use ropa::import;
use std::path::Path;

/// Writes CSV tables into a folder and builds the register's graph.
fn graph_of(tables: &[(&str, &str)]) -> (ropa::model::Register, FlowGraph) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in tables {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let imported = import::load("test", &[dir.path().to_path_buf()]).unwrap();
    let graph = graph::build(&imported.register);
    (imported.register, graph)
}

/// Edges as (from label, to label, rules).
fn edges(g: &FlowGraph) -> Vec<(String, String, EdgeRules)> {
    let mut out: Vec<_> = g
        .graph
        .edge_indices()
        .map(|e| {
            let (a, b) = g.graph.edge_endpoints(e).unwrap();
            (
                g.graph[a].label.to_string(),
                g.graph[b].label.to_string(),
                g.graph[e].rules,
            )
        })
        .collect();
    out.sort();
    out
}

fn edge(g: &FlowGraph, from: &str, to: &str) -> Option<ropa::graph::Edge> {
    let find = |label: &str| g.graph.node_indices().find(|&n| g.graph[n].label == label);
    let e = g.graph.find_edge(find(from)?, find(to)?)?;
    Some(g.graph[e].clone())
}

const ORG: (&str, &str) = ("organisation.csv", "Name,Role,Country\nAcme SaaS,both,NL\n");

#[test]
fn activities_systems_hosts_and_sub_processors_make_the_documented_edges() {
    let (_, g) = graph_of(&[
        ORG,
        (
            "activities.csv",
            "Name,Role,Controllers,Purpose,Data subjects,Personal data,Systems,Recipients\n\
             Service,processor,*,Run the service,Employees,Name;Phone,App,Mailer\n\
             Support,controller,,Answer tickets,Customers,Name,,Helpdesk\n",
        ),
        (
            "systems.csv",
            "Name,Hosted by,Data categories\nApp,Cloud,Name;Phone\n",
        ),
        (
            "processors.csv",
            "Name,Service,Country,Sub-processors,Parent,Personal data\n\
             Cloud,Hosting,DE,,,\n\
             Mailer,E-mail,US,Relay,,\n\
             Relay,SMTP relay,US,,,E-mail address\n\
             Helpdesk,Tickets,US,,,\n\
             Archive,Backup,CH,,Cloud,\n\
             Orphan,Analytics,US,,,\n",
        ),
        ("customers.csv", "Name,Country\nShop One,DE\nShop Two,AT\n"),
    ]);
    use EdgeRule::*;
    let rules = |r: &[EdgeRule]| r.iter().copied().collect::<EdgeRules>();
    let expected = vec![
        ("Acme SaaS", "App", rules(&[ActivitySystems])),
        ("Acme SaaS", "Helpdesk", rules(&[ActivityRecipients])),
        ("Acme SaaS", "Mailer", rules(&[ActivityRecipients])),
        ("Acme SaaS", "Orphan", rules(&[UnlinkedProcessor])),
        ("App", "Cloud", rules(&[SystemHost])),
        ("Cloud", "Archive", rules(&[SubProcessor])),
        ("Customers", "Acme SaaS", rules(&[ActivitySubjects])),
        ("Employees", "Acme SaaS", rules(&[ActivitySubjects])),
        ("Mailer", "Relay", rules(&[SubProcessor])),
        // `*`: one node stands for every customer, so the graph stays linear.
        (
            "all customers (2)",
            "Acme SaaS",
            rules(&[ActivityCustomers]),
        ),
    ];
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(a, b, r)| (a.to_string(), b.to_string(), r))
        .collect();
    assert_eq!(edges(&g), expected);

    let host = edge(&g, "App", "Cloud").unwrap();
    assert_eq!(g.edge_activities(&host).collect::<Vec<_>>(), ["service"]);
    let relay = edge(&g, "Mailer", "Relay").unwrap();
    // Edges carry category identities: the canonical category the words name.
    assert_eq!(g.edge_categories(&relay), Some(vec!["email_address"]));
    let archive = edge(&g, "Cloud", "Archive").unwrap();
    assert_eq!(
        archive.categories, None,
        "no categories listed: everything the source holds"
    );
}

#[test]
fn processor_cycles_are_allowed_and_reached_once() {
    let (register, g) = graph_of(&[
        ORG,
        (
            "processors.csv",
            "Name,Service,Country,Sub-processors\nA,x,US,B\nB,y,US,C\nC,z,IN,A\n",
        ),
    ]);
    assert_eq!(register.processors.len(), 3);
    let e = edges(&g);
    assert!(
        e.iter().any(|(a, b, _)| a == "C" && b == "A"),
        "the cycle closes"
    );
    let entries: Vec<_> = e
        .iter()
        .filter(|(_, _, r)| r.contains(EdgeRule::UnlinkedProcessor))
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "one entry into a cycle nothing else reaches: {e:?}"
    );
    assert_eq!(entries[0].1, "A", "the first member by key");
}

#[test]
fn explicit_flows_connect_any_two_parties_and_carry_their_mechanism() {
    let (_, g) = graph_of(&[
        ORG,
        (
            "activities.csv",
            "Name,Purpose,Data subjects,Personal data\nChat,Talk to customers,Website visitors,Messages\n",
        ),
        ("processors.csv", "Name,Service,Country\nChatCo,Chat,US\n"),
        (
            "flows.csv",
            "From,To,Data categories,Activity,Encrypted,Transfer mechanism\n\
             Website visitors,ChatCo,Messages,Chat,yes,SCC\n",
        ),
    ]);
    let flow = edge(&g, "Website visitors", "ChatCo").unwrap();
    assert!(flow.rules.contains(EdgeRule::ExplicitFlow));
    assert_eq!(flow.mechanisms(), [ropa::model::Mechanism::Scc]);
    assert_eq!(flow.encrypted, ropa::model::Tristate::Yes);
    assert_eq!(g.edge_activities(&flow).collect::<Vec<_>>(), ["chat"]);
    assert!(
        edge(&g, "Acme SaaS", "ChatCo").is_none(),
        "a processor reached by a flow is not also linked from the organisation"
    );
}

#[test]
fn the_example_registers_give_connected_graphs() {
    for input in ["inputs/dyflexis.xlsx", "inputs/dealerdesk"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(input);
        let imported = import::load("example", &[path]).unwrap();
        let g = graph::build(&imported.register);
        for n in g.graph.node_indices() {
            let node = &g.graph[n];
            if matches!(node.kind, NodeKind::Processor | NodeKind::System) {
                assert!(
                    g.graph
                        .neighbors_directed(n, petgraph::Direction::Incoming)
                        .next()
                        .is_some(),
                    "{input}: nothing flows to {}",
                    node.label
                );
            }
        }
    }
}

/// `register.json` names an edge's cells by file and sheet, with the cells in each, so that a
/// file's path is written once per edge, not once per cell.
#[test]
fn an_edge_names_its_cells_by_file_and_sheet() {
    let cells_of = |input: &str, from: &str, to: &str| {
        let imported = import::load("example", &[Path::new(input).to_path_buf()]).unwrap();
        let g = graph::build(&imported.register);
        let summary = serde_json::to_value(g.summary()).unwrap();
        let edges = summary["edges"].as_array().unwrap();
        edges
            .iter()
            .find(|e| e["from"]["key"] == from && e["to"]["key"] == to)
            .map(|e| e["origins"].clone())
            .unwrap_or_else(|| panic!("{input}: no edge {from} → {to}"))
    };
    // Inputs are named as given (cargo runs the tests in the package's folder).
    // Postmark → AWS is named in the parent's sub-processor cell and in the sub-processor's
    // parent cell.
    assert_eq!(
        cells_of("inputs/dealerdesk", "postmark", "amazon web services"),
        serde_json::json!({"inputs/dealerdesk/Auftragsverarbeiter.csv": ["5:13", "15:14"]})
    );
    // Google Mail is named by two activities, in their recipients and transfer-countries cells.
    assert_eq!(
        cells_of("inputs/dyflexis.xlsx", "dyflexis", "google mail"),
        serde_json::json!({"inputs/dyflexis.xlsx:Verwerkingsactiviteiten": ["I3", "K3", "I4", "K4"]})
    );
}
