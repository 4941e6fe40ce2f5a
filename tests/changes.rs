//! `ropa diff`: every kind of change between two register versions, renames against
//! removal and addition, reordering and rewording that are no change, the cells each change
//! points at, and the command's exit codes and formats.

use ropa::analysis::changes::{ChangeKind, RegisterChanges, Side, Subject, compare};
use ropa::analysis::{self};
use ropa::import;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const PROCESSORS_OLD: &str = "\
Name,Service,Group,Country,Locations,Data categories,DPA,Transfer mechanism,DPF certified,TIA,Certifications,Retention,Encrypted in transit,Legal entity,Parent
Acme Mail,E-mail delivery,Core,DE,,Email address,yes,,,,ISO 27001,30 days,yes,Acme GmbH,
OldCo,Backups,Core,NL,,Name,yes,,,,,,,,
Mover,Hosting,Core,DE,,Name,yes,,,,,,,,
Seat Inc,Analytics,Core,US,DE,Name,yes,,,,,,,,
Shield,Support desk,Core,US,,Name,yes,SCC,,yes,,,,,
Certo,Chat,Core,US,,Name,yes,DPF,yes,,,,,,
Legacy,CRM,Core,US,,Name,yes,Privacy Shield,,,,,,,
Farewell,Storage,Core,US,,Name,yes,SCC,,yes,,,,,
Foo Cloud,Cloud A,Core,DE,,Name,yes,,,,,,,,
Fields,Payroll,Core,DE,,Name,yes,,,,ISO 9001,1 year,unknown,Fields BV,Acme Mail
";

const PROCESSORS_NEW: &str = "\
Name,Service,Group,Country,Locations,Data categories,DPA,Transfer mechanism,DPF certified,TIA,Certifications,Retention,Encrypted in transit,Legal entity,Parent
Acme-Mail,E-mail delivery,Core,DE,,Email address,yes,,,,ISO 27001,30 days,yes,Acme GmbH,
Mover,Hosting,Core,FR,,Name,yes,,,,,,,,
Seat Inc,Analytics,Core,IE,DE,Name,yes,,,,,,,,
Shield,Support desk,Core,US,,Name,yes,SCC,,,,,,,
Certo,Chat,Core,US,,Name,yes,DPF,no,,,,,,
Legacy,CRM,Core,US,,Name,yes,SCC 2021/914,,yes,,,,,
Farewell,Storage,Core,DE,,Name,yes,SCC,,yes,,,,,
Foo Clouds,Cloud B,Core,DE,,Name,yes,,,,,,,,
Fields,Payroll and HR,Extra,DE,,Email address,no,,,,ISO 27001,2 years,yes,Fields NV,
NewCo,Ticketing,Core,US,,Name,yes,SCC,,,,,,,
";

const ACTIVITIES_OLD: &str = "\
ID,Name,Purpose,Legal basis,Data subjects,Data categories,Recipients,Retention
A1,Newsletter,Send newsletters,consent,Customers,Email address,Acme Mail,1 year
A2,Support,Answer questions,contract,Customers,Name,Shield;OldCo,2 years
A3,Old thing,Something gone,contract,Customers,Name,,1 year
A4,Billing runs,Invoice customers,contract,Customers,Name,,10 years
";

const ACTIVITIES_NEW: &str = "\
ID,Name,Purpose,Legal basis,Data subjects,Data categories,Recipients,Retention
A1,Newsletter,Send newsletters and offers,legitimate interests,Customers;Prospects,Email address;Name,Acme-Mail,2 years
A2,Support,Answer questions,contract,Customers,Name,Shield;NewCo,2 years
A5,New thing,Something new,contract,Customers,Name,,1 year
A4x,Billing run,Invoice customers,contract,Customers,Name,,10 years
";

const SYSTEMS_OLD: &str = "\
Name,Description,Hosted by,Locations,Data categories
CRM App,Our CRM,Mover,DE,Name
Old DB,Archive,Mover,DE,Name
Wiki Tool,Team wiki,Mover,DE,Name
";

const SYSTEMS_NEW: &str = "\
Name,Description,Hosted by,Locations,Data categories
CRM App,CRM,Acme-Mail,FR,Name;Email address
Wiki-Tool,Team wiki,Mover,DE,Name
New DB,Archive,Mover,DE,Name
";

fn write_register(dir: &Path, processors: &str, activities: &str, systems: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("processors.csv"), processors).unwrap();
    std::fs::write(dir.join("activities.csv"), activities).unwrap();
    std::fs::write(dir.join("systems.csv"), systems).unwrap();
    dir.to_path_buf()
}

fn diff(old: &Path, new: &Path) -> RegisterChanges {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let load = |p: &Path| {
        let register = import::load("r", &[p.to_path_buf()]).unwrap().register;
        let graph = ropa::graph::build(&register);
        let transfers = analysis::analyse(&register, &graph, date);
        (register, transfers)
    };
    let (a, ta) = load(old);
    let (b, tb) = load(new);
    compare(
        Side {
            register: &a,
            transfers: &ta,
        },
        Side {
            register: &b,
            transfers: &tb,
        },
    )
}

type Key = (Subject, ChangeKind, String);

fn keys(changes: &RegisterChanges) -> BTreeSet<Key> {
    changes
        .changes
        .iter()
        .map(|c| (c.subject, c.kind, c.name.to_string()))
        .collect()
}

#[test]
fn every_kind_of_change_is_found_once() {
    let dir = tempfile::tempdir().unwrap();
    let old = write_register(
        &dir.path().join("old"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    let new = write_register(
        &dir.path().join("new"),
        PROCESSORS_NEW,
        ACTIVITIES_NEW,
        SYSTEMS_NEW,
    );
    let changes = diff(&old, &new);
    use ChangeKind as K;
    use Subject as S;
    let expected: BTreeSet<Key> = [
        (S::Processor, K::Renamed, "Acme-Mail"),
        (S::Processor, K::Removed, "OldCo"),
        (S::Processor, K::Moved, "Mover"),
        (S::Processor, K::SeatMoved, "Seat Inc"),
        (S::Processor, K::DpfChanged, "Certo"),
        (S::Processor, K::MechanismChanged, "Legacy"),
        (S::Processor, K::Moved, "Farewell"),
        // A near name with another service is another processor.
        (S::Processor, K::Removed, "Foo Cloud"),
        (S::Processor, K::Added, "Foo Clouds"),
        (S::Processor, K::ServiceChanged, "Fields"),
        (S::Processor, K::GroupsChanged, "Fields"),
        (S::Processor, K::DpaChanged, "Fields"),
        (S::Processor, K::CertificationsChanged, "Fields"),
        (S::Processor, K::RetentionChanged, "Fields"),
        (S::Processor, K::EncryptionChanged, "Fields"),
        (S::Processor, K::LegalEntityChanged, "Fields"),
        (S::Processor, K::ParentChanged, "Fields"),
        (S::Processor, K::CategoriesAdded, "Fields"),
        (S::Processor, K::CategoriesRemoved, "Fields"),
        (S::Processor, K::Added, "NewCo"),
        (S::Activity, K::PurposeChanged, "Newsletter"),
        (S::Activity, K::LegalBasisChanged, "Newsletter"),
        (S::Activity, K::DataSubjectsChanged, "Newsletter"),
        (S::Activity, K::CategoriesAdded, "Newsletter"),
        (S::Activity, K::RetentionChanged, "Newsletter"),
        (S::Activity, K::RecipientsAdded, "Support"),
        (S::Activity, K::RecipientsRemoved, "Support"),
        (S::Activity, K::Removed, "Old thing"),
        (S::Activity, K::Added, "New thing"),
        (S::Activity, K::Renamed, "Billing run"),
        (S::System, K::HostChanged, "CRM App"),
        (S::System, K::Moved, "CRM App"),
        (S::System, K::CategoriesAdded, "CRM App"),
        (S::System, K::DescriptionChanged, "CRM App"),
        (S::System, K::Removed, "Old DB"),
        (S::System, K::Added, "New DB"),
        (S::System, K::Renamed, "Wiki-Tool"),
        (S::Transfer, K::StatusChanged, "Shield"),
        (S::Transfer, K::NoLongerCovered, "Certo"),
        (S::Transfer, K::NowCovered, "Legacy"),
        (S::Transfer, K::TransferEnded, "Farewell"),
        (S::Transfer, K::NewTransfer, "NewCo"),
    ]
    .into_iter()
    .map(|(s, k, n)| (s, k, n.to_string()))
    .collect();
    let found = keys(&changes);
    assert_eq!(
        found.difference(&expected).collect::<Vec<_>>(),
        Vec::<&Key>::new(),
        "unexpected changes"
    );
    assert_eq!(
        expected.difference(&found).collect::<Vec<_>>(),
        Vec::<&Key>::new(),
        "missed changes"
    );
    assert_eq!(changes.changes.len(), expected.len(), "each change once");

    // A rename keeps the old name; the renamed processor's recipients are no change.
    let renamed = changes
        .changes
        .iter()
        .find(|c| c.kind == K::Renamed && c.subject == S::Processor)
        .unwrap();
    assert_eq!(renamed.old_name.as_deref(), Some("Acme Mail"));
    // Every change carries both cells, or the one side it exists on.
    let moved = changes
        .changes
        .iter()
        .find(|c| c.kind == K::Moved && c.name == "Mover")
        .unwrap();
    let old_at = moved.old_at.as_ref().unwrap().to_string();
    let new_at = moved.new_at.as_ref().unwrap().to_string();
    assert!(old_at.ends_with("old/processors.csv:4:4"), "{old_at}");
    assert!(new_at.ends_with("new/processors.csv:3:4"), "{new_at}");
    for c in &changes.changes {
        match c.kind {
            K::Added | K::NewTransfer => assert!(c.old_at.is_none() && c.new_at.is_some()),
            K::Removed | K::TransferEnded => assert!(c.old_at.is_some() && c.new_at.is_none()),
            _ => assert!(c.old_at.is_some() && c.new_at.is_some(), "{c:?}"),
        }
    }
    // The categories added are canonical identities.
    let added = changes
        .changes
        .iter()
        .find(|c| c.kind == K::CategoriesAdded && c.name == "Fields")
        .unwrap();
    assert_eq!(
        added.new,
        Some(ropa::analysis::changes::Value::Categories(vec![
            "email_address".into()
        ]))
    );
}

#[test]
fn reordering_and_rewording_are_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let old = write_register(
        &dir.path().join("old"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    // Rows reversed, two columns swapped, and a category written in German.
    let mut lines: Vec<&str> = PROCESSORS_OLD.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let swap = |line: &str| {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells.swap(1, 3);
        cells.join(",")
    };
    let mut processors = swap(header) + "\n";
    for line in lines {
        processors.push_str(&swap(&line.replace("Email address", "E-Mail-Adresse")));
        processors.push('\n');
    }
    let activities: String = {
        let mut lines: Vec<&str> = ACTIVITIES_OLD.lines().collect();
        let header = lines.remove(0);
        lines.reverse();
        std::iter::once(header)
            .chain(lines)
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let new = write_register(
        &dir.path().join("new"),
        &processors,
        &activities,
        SYSTEMS_OLD,
    );
    let changes = diff(&old, &new);
    assert!(changes.is_empty(), "{:#?}", changes.changes);
}

fn ropa(args: &[&str], dir: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_command_exits_one_on_changes_and_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_register(
        &dir.path().join("old"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    write_register(
        &dir.path().join("new"),
        PROCESSORS_NEW,
        ACTIVITIES_NEW,
        SYSTEMS_NEW,
    );
    let same = ropa(&["diff", "old", "old", "--as-of", "2026-11-23"], dir.path());
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("No changes."));

    let human = ropa(&["diff", "old", "new", "--as-of", "2026-11-23"], dir.path());
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("Processor `Acme Mail` renamed to `Acme-Mail`"),
        "{text}"
    );
    assert!(
        text.contains("--> new/processors.csv:3:4\n  was old/processors.csv:4:4"),
        "{text}"
    );

    let json = ropa(
        &[
            "diff",
            "old",
            "new",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ],
        dir.path(),
    );
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["as_of"], "2026-11-23");
    assert!(
        value["changes"].as_array().unwrap().iter().any(|c| {
            c["kind"] == "new_transfer" && c["country"] == "US" && c["name"] == "NewCo"
        })
    );

    let md = ropa(
        &[
            "diff",
            "old",
            "new",
            "--format",
            "md",
            "--lang",
            "de",
            "--as-of",
            "2026-11-23",
        ],
        dir.path(),
    );
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("# Änderungen am Verzeichnis"), "{md}");
    assert!(md.contains("## Übermittlungen in Drittländer"));

    let missing = ropa(&["diff", "old", "nowhere"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
}

fn entries(feed: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(feed).expect("the feed is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated", "author"] {
        assert!(
            root.children().any(|c| c.tag_name().name() == required),
            "the feed has its {required}"
        );
    }
    root.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .unwrap_or_default()
                    .to_string()
            };
            assert!(!child("title").is_empty() && !child("content").is_empty());
            (child("id"), child("updated"))
        })
        .collect()
}

#[test]
fn the_notice_follows_the_policy_and_the_feed_grows_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    write_register(
        &dir.path().join("old"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    let evil = format!("{PROCESSORS_NEW}<b>Evil & Co</b>,Tracking,Core,DE,,Name,yes,,,,,,,,\n");
    write_register(&dir.path().join("new"), &evil, ACTIVITIES_NEW, SYSTEMS_NEW);
    std::fs::write(
        dir.path().join("ropa.toml"),
        "as-of = 2026-11-23\nlanguages = [\"en\", \"de\"]\nnotice-days = 14\nobjection-days = 10\nobjection-contact = \"dpo@example.com\"\n",
    )
    .unwrap();
    let run = ropa(&["diff", "old", "new", "--notice", "out"], dir.path());
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = dir.path().join("out");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "feed.de.xml",
            "feed.xml",
            "notice.de.html",
            "notice.de.md",
            "notice.de.txt",
            "notice.html",
            "notice.md",
            "notice.txt"
        ]
    );
    let txt = std::fs::read_to_string(out.join("notice.txt")).unwrap();
    assert!(txt.starts_with("Subject: Notice of changes to the sub-processors of new\n"));
    assert!(txt.contains("Date of this notice: 2026-11-23"));
    assert!(
        txt.contains("The changes take effect on: 2026-12-07"),
        "14 days: {txt}"
    );
    assert!(txt.contains("Objections by: 2026-12-03"), "10 days: {txt}");
    assert!(txt.contains("write to dpo@example.com by 2026-12-03"));
    // What a reviewer asks of a new sub-processor.
    let newco = &txt[txt.find("New sub-processor: NewCo").unwrap()..];
    for fact in [
        "What it does: Ticketing",
        "Data categories it receives: Name",
        "Where it processes them: United States",
        "Transfer mechanism: Standard contractual clauses",
        "How long it keeps data: not recorded",
    ] {
        assert!(newco.contains(fact), "{fact}: {newco}");
    }
    assert!(txt.contains("New sub-processor: Foo Clouds"));
    assert!(txt.contains("Sub-processor no longer used: OldCo"));
    let de = std::fs::read_to_string(out.join("notice.de.md")).unwrap();
    assert!(
        de.contains("**Die Änderungen gelten ab**: 2026-12-07"),
        "{de}"
    );

    let html = std::fs::read_to_string(out.join("notice.html")).unwrap();
    assert!(html.contains("&lt;b&gt;Evil &amp; Co&lt;/b&gt;") && !html.contains("<b>Evil"));
    assert!(!html.contains("<script") && !html.contains("<link") && html.contains("@media print"));
    assert!(html.contains("href=\"mailto:dpo@example.com\"") || html.contains("dpo@example.com"));

    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let first = entries(&feed);
    assert_eq!(first.len(), 1);
    assert!(
        first[0].0.starts_with("urn:uuid:"),
        "no domain or e-mail: {:?}",
        first[0]
    );
    assert_eq!(
        first[0].1, "2026-11-23T00:00:00+00:00",
        "from the evaluation date"
    );

    // The same notice again, even on a later day: no second entry, the same id.
    let again = ropa(
        &[
            "diff",
            "old",
            "new",
            "--notice",
            "out",
            "--as-of",
            "2026-11-30",
        ],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    let second = entries(&std::fs::read_to_string(out.join("feed.xml")).unwrap());
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].0, first[0].0);
    assert_eq!(second[0].1, "2026-11-30T00:00:00+00:00");

    // Another notice adds an entry and keeps the first.
    let newer = format!("{evil}Later Inc,Search,Core,DE,,Name,yes,,,,,,,,\n");
    write_register(
        &dir.path().join("newer"),
        &newer,
        ACTIVITIES_NEW,
        SYSTEMS_NEW,
    );
    let later = ropa(
        &[
            "diff",
            "new",
            "newer",
            "--notice",
            "out",
            "--as-of",
            "2026-12-10",
        ],
        dir.path(),
    );
    assert_eq!(later.status.code(), Some(1));
    let third = entries(&std::fs::read_to_string(out.join("feed.xml")).unwrap());
    assert_eq!(third.len(), 2);
    assert_eq!(third[0].1, "2026-12-10T00:00:00+00:00", "newest first");
    assert_eq!(third[1].0, first[0].0, "the first entry is kept");

    // Without a policy the notice period is 30 days.
    let plain = tempfile::tempdir().unwrap();
    write_register(
        &plain.path().join("a"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    write_register(
        &plain.path().join("b"),
        PROCESSORS_NEW,
        ACTIVITIES_NEW,
        SYSTEMS_NEW,
    );
    ropa(
        &["diff", "a", "b", "--notice", "n", "--as-of", "2026-01-31"],
        plain.path(),
    );
    let txt = std::fs::read_to_string(plain.path().join("n/notice.txt")).unwrap();
    assert!(
        txt.contains("The changes take effect on: 2026-03-02"),
        "{txt}"
    );
    assert!(
        txt.contains("reply to this notice by 2026-03-02"),
        "no contact recorded"
    );
}

#[test]
fn a_feed_that_is_not_atom_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    write_register(
        &dir.path().join("old"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    write_register(
        &dir.path().join("new"),
        PROCESSORS_NEW,
        ACTIVITIES_NEW,
        SYSTEMS_NEW,
    );
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/feed.xml"), "not a feed").unwrap();
    let run = ropa(
        &[
            "diff",
            "old",
            "new",
            "--notice",
            "out",
            "--as-of",
            "2026-11-23",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not an Atom feed"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/feed.xml")).unwrap(),
        "not a feed"
    );
    assert!(
        !dir.path().join("out/notice.md").exists(),
        "nothing is written when the feed cannot be extended"
    );
}

#[test]
fn a_version_not_read_whole_is_never_no_change_and_gets_no_notice() {
    let dir = tempfile::tempdir().unwrap();
    write_register(
        &dir.path().join("old"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    let new = write_register(
        &dir.path().join("new"),
        PROCESSORS_OLD,
        ACTIVITIES_OLD,
        SYSTEMS_OLD,
    );
    // The same register, plus a file ropa cannot read to its end.
    std::fs::write(
        new.join("more-processors.csv"),
        "Name,Service,Country\n\"Unclosed quote,Mail,US\nOther,Mail,DE\n",
    )
    .unwrap();
    let human = ropa(&["diff", "old", "new", "--as-of", "2026-11-23"], dir.path());
    let text = String::from_utf8(human.stdout).unwrap();
    assert_eq!(human.status.code(), Some(1), "may have changed: {text}");
    assert!(!text.contains("No changes."), "{text}");
    assert!(
        text.contains("new: NOT ALL OF THIS REGISTER COULD BE READ"),
        "{text}"
    );

    let md = ropa(
        &[
            "diff",
            "old",
            "new",
            "--as-of",
            "2026-11-23",
            "--format",
            "md",
        ],
        dir.path(),
    );
    let text = String::from_utf8(md.stdout).unwrap();
    assert!(!text.contains("No changes."), "{text}");
    assert!(text.contains("> **new: "), "{text}");

    let notice = ropa(
        &[
            "diff",
            "old",
            "new",
            "--as-of",
            "2026-11-23",
            "--notice",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(notice.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&notice.stderr).contains("no customer notice written"),
        "{}",
        String::from_utf8_lossy(&notice.stderr)
    );
    assert!(!dir.path().join("out").exists());
}
