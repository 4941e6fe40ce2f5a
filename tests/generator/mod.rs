//! Synthetic registers at any scale, for benchmarks and tests: activities, systems,
//! processors with sub-processor chains (cycles included), flows and customers, with a
//! realistic mix of EEA, adequate and third countries. Written as a folder of CSV tables,
//! deterministic for a given seed.
#![allow(dead_code)]

use std::io;
use std::path::Path;

/// How big a register to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub activities: usize,
    pub systems: usize,
    pub processors: usize,
    pub customers: usize,
    pub seed: u64,
    /// A blank row after each entry of a workbook's tables, as registers kept for reading
    /// often have: every entry after a gap is then tried as the header of a new table.
    pub blank_rows: bool,
}

impl Size {
    /// A register with the given numbers of activities, systems and processors, a tenth as many
    /// customers as activities, and seed 1.
    pub fn new(activities: usize, systems: usize, processors: usize) -> Self {
        Size {
            activities,
            systems,
            processors,
            customers: (activities / 10).max(1),
            seed: 1,
            blank_rows: false,
        }
    }

    /// The same register with a blank row after each entry.
    pub fn with_blank_rows(self) -> Self {
        Size {
            blank_rows: true,
            ..self
        }
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ven", "tor", "sil", "ba", "nex", "quo", "dri", "fal", "gen", "hu",
    "ix", "jor", "kel", "lum", "mor", "nav", "ost", "pel", "qui", "rho", "sen", "tam", "ul", "vex",
    "wyn", "zor", "ard", "bel", "cor", "dun", "elm", "fir", "gal", "hal", "ist", "jun",
];
const SUFFIXES: &[&str] = &["GmbH", "B.V.", "Ltd", "Inc.", "SAS", "AB", "S.p.A.", "LLC"];
const SERVICES: &[&str] = &[
    "Hosting",
    "E-mail delivery",
    "SMS",
    "Search",
    "Analytics",
    "Payments",
    "Support desk",
    "Backup",
    "CDN",
    "Monitoring",
    "Translation",
    "Video calls",
];
const SUBJECTS: &[&str] = &[
    "Employees",
    "Applicants",
    "Customers",
    "Prospects",
    "Website visitors",
    "Suppliers",
    "Patients",
    "Students",
    "Newsletter subscribers",
    "Contractors",
];
const CATEGORIES: &[&str] = &[
    "Name",
    "E-mail address",
    "Phone number",
    "Postal address",
    "IP address",
    "Bank details",
    "Date of birth",
    "Order history",
    "Support messages",
    "Location data",
    "Device ID",
    "Cookie ID",
    "Salary",
    "Shift schedule",
    "Login data",
    "Photos",
];
const BASES: &[&str] = &[
    "contract",
    "legitimate interests",
    "consent",
    "legal obligation",
    "Art. 6(1)(f)",
    "6 Abs. 1 lit. b DSGVO",
];
/// Countries by weight: mostly EEA, some adequate, some third countries.
const COUNTRIES: &[(&str, u32)] = &[
    ("DE", 20),
    ("NL", 12),
    ("FR", 8),
    ("IE", 8),
    ("SE", 4),
    ("PL", 3),
    ("EU", 5),
    ("CH", 3),
    ("GB", 5),
    ("JP", 2),
    ("CA", 2),
    ("KR", 1),
    ("BR", 1),
    ("US", 18),
    ("IN", 4),
    ("SG", 2),
    ("CN", 1),
    ("AU", 1),
    ("worldwide", 1),
];
const DEPARTMENTS: &[&str] = &[
    "HR",
    "Sales",
    "Marketing",
    "Support",
    "Finance",
    "IT",
    "Legal",
    "Operations",
    "Product",
    "Logistics",
    "Procurement",
    "Research",
];
const MECHANISMS: &[&str] = &["SCC", "DPF", "BCR", "", "EU-US Privacy Shield", "Art. 49"];

struct Generator {
    rng: fastrand::Rng,
}

impl Generator {
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn some<'a>(&mut self, items: &'a [&'a str], min: usize, max: usize) -> String {
        let n = self.rng.usize(min..=max);
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < n.min(items.len()) {
            let item = self.pick(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen.join("; ")
    }

    fn country(&mut self) -> &'static str {
        let total: u32 = COUNTRIES.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.u32(..total);
        for (code, weight) in COUNTRIES {
            if roll < *weight {
                return code;
            }
            roll -= weight;
        }
        "DE"
    }

    /// Distinct names: syllable combinations drawn without repeats, then a suffix.
    fn names(&mut self, count: usize, offset: usize) -> Vec<String> {
        let s = SYLLABLES.len();
        let space = s * s * s;
        let mut names = Vec::with_capacity(count);
        // A stride co-prime with the space walks every combination once before repeating.
        let stride = 7919 % space;
        for i in 0..count {
            let k = (offset + i) * stride % space;
            let (a, b, c) = (k / (s * s), (k / s) % s, k % s);
            let mut word = format!("{}{}{}", SYLLABLES[a], SYLLABLES[b], SYLLABLES[c]);
            if let Some(first) = word.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            let round = (offset + i) / space;
            let suffix = SUFFIXES[(offset + i) % SUFFIXES.len()];
            names.push(if round == 0 {
                format!("{word} {suffix}")
            } else {
                format!("{word} {suffix} {round}")
            });
        }
        names
    }
}

fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut writer = csv::Writer::from_path(path).map_err(io::Error::other)?;
    writer.write_record(header).map_err(io::Error::other)?;
    for row in rows {
        writer.write_record(row).map_err(io::Error::other)?;
    }
    writer.flush()
}

/// Writes a register of the given size into `dir` (created if needed), one CSV file per table.
pub fn generate(size: Size, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    tables(size, &mut |name, header, rows| {
        write_csv(&dir.join(format!("{name}.csv")), header, rows)
    })
}

/// Writes a register of the given size as one workbook, one sheet per table.
pub fn generate_workbook(size: Size, path: &Path) -> io::Result<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    tables(size, &mut |name, header, rows| {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(io::Error::other)?;
        for (c, heading) in header.iter().enumerate() {
            sheet
                .write_string(0, c as u16, *heading)
                .map_err(io::Error::other)?;
        }
        let step = if size.blank_rows { 2 } else { 1 };
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet
                        .write_string((r * step) as u32 + 1, c as u16, cell)
                        .map_err(io::Error::other)?;
                }
            }
        }
        Ok(())
    })?;
    workbook.save(path).map_err(io::Error::other)
}

/// A table's name, header and rows, handed to the writer.
type Sink<'a> = dyn FnMut(&str, &[&str], &[Vec<String>]) -> io::Result<()> + 'a;

fn tables(size: Size, out: &mut Sink) -> io::Result<()> {
    let mut g = Generator {
        rng: fastrand::Rng::with_seed(size.seed),
    };
    let processor_names = g.names(size.processors, 0);
    let system_names: Vec<String> = (0..size.systems)
        .map(|i| format!("System {i:05}"))
        .collect();
    let customer_names = g.names(size.customers, size.processors);

    out(
        "organisation",
        &["Key", "Value"],
        &[
            vec!["Name".into(), "Synthetic Software B.V.".into()],
            vec!["Role".into(), "both".into()],
            vec!["Country".into(), "NL".into()],
            vec!["DPO".into(), "dpo@synthetic.example".into()],
        ],
    )?;

    let mut processors = Vec::with_capacity(size.processors);
    for (i, name) in processor_names.iter().enumerate() {
        let country = g.country();
        let locations = if g.rng.u8(..10) < 2 {
            format!("{country}; {}", g.country())
        } else {
            String::new()
        };
        // Chains: a third of the processors work for an earlier one; a few of those also name
        // their parent as their own sub-processor, which closes a cycle.
        let parent_index = (i > 10 && g.rng.u8(..3) == 0).then(|| g.rng.usize(..i));
        let parent = parent_index
            .map(|p| processor_names[p].clone())
            .unwrap_or_default();
        let sub = match parent_index {
            Some(p) if g.rng.u8(..12) == 0 => processor_names[p].clone(),
            _ => String::new(),
        };
        let third = !matches!(country, "DE" | "NL" | "FR" | "IE" | "SE" | "PL" | "EU");
        let mechanism = if third { g.pick(MECHANISMS) } else { "" };
        processors.push(vec![
            name.clone(),
            g.pick(SERVICES).to_string(),
            country.to_string(),
            locations,
            g.some(CATEGORIES, 0, 3),
            parent,
            sub,
            g.pick(&["yes", "yes", "yes", "no", ""]).to_string(),
            mechanism.to_string(),
            if mechanism == "DPF" {
                "yes"
            } else {
                g.pick(&["no", ""])
            }
            .to_string(),
            if mechanism == "SCC" {
                g.pick(&["yes", "no", ""])
            } else {
                ""
            }
            .to_string(),
            g.pick(&["yes", "yes", "no", ""]).to_string(),
        ]);
    }
    out(
        "processors",
        &[
            "Name",
            "Service",
            "Country",
            "Data location",
            "Personal data",
            "Parent",
            "Sub-processors",
            "DPA",
            "Transfer mechanism",
            "DPF certified",
            "TIA",
            "Encrypted in transit",
        ],
        &processors,
    )?;

    let systems: Vec<Vec<String>> = system_names
        .iter()
        .map(|name| {
            vec![
                name.clone(),
                processor_names[g.rng.usize(..size.processors.max(1))].clone(),
                String::new(),
                g.some(CATEGORIES, 1, 4),
            ]
        })
        .collect();
    out(
        "systems",
        &["Name", "Hosted by", "Data location", "Data categories"],
        &systems,
    )?;

    let customers: Vec<Vec<String>> = customer_names
        .iter()
        .map(|name| vec![name.clone(), g.country().to_string()])
        .collect();
    out("customers", &["Name", "Country"], &customers)?;

    let mut activities = Vec::with_capacity(size.activities);
    let mut flows = Vec::new();
    for i in 0..size.activities {
        let processor_role = g.rng.u8(..5) == 0;
        // A SaaS runs a handful of services for all its customers; the other processor
        // activities are done for one customer each.
        let controllers = if processor_role {
            if i < 100 && g.rng.u8(..10) == 0 {
                "*".to_string()
            } else {
                customer_names[g.rng.usize(..customer_names.len())].clone()
            }
        } else {
            String::new()
        };
        let recipients: Vec<&str> = (0..g.rng.usize(0..=3))
            .map(|_| processor_names[g.rng.usize(..size.processors.max(1))].as_str())
            .collect();
        let used: Vec<&str> = (0..g.rng.usize(0..=2))
            .map(|_| system_names[g.rng.usize(..size.systems.max(1))].as_str())
            .collect();
        let id = format!("A{i:06}");
        activities.push(vec![
            id.clone(),
            format!("Activity {i:06}"),
            if processor_role {
                "processor"
            } else {
                "controller"
            }
            .to_string(),
            controllers,
            format!("Purpose of activity {i}"),
            if processor_role {
                String::new()
            } else {
                g.pick(BASES).to_string()
            },
            g.some(SUBJECTS, 1, 2),
            g.some(CATEGORIES, 1, 4),
            recipients.join("; "),
            used.join("; "),
            g.pick(&["1 year", "3 years", "30 days", "until deletion request", ""])
                .to_string(),
            g.pick(&["Encryption; access control", "ISO 27001", ""])
                .to_string(),
            // Twelve departments in turn (no draw, so the other columns stay as they were).
            DEPARTMENTS[i % DEPARTMENTS.len()].to_string(),
        ]);
        if i % 20 == 0 && !used.is_empty() && size.processors > 0 {
            flows.push(vec![
                used[0].to_string(),
                processor_names[g.rng.usize(..size.processors)].clone(),
                g.some(CATEGORIES, 1, 2),
                id,
                g.pick(&["yes", "no", ""]).to_string(),
            ]);
        }
    }
    out(
        "activities",
        &[
            "ID",
            "Name",
            "Role",
            "Controllers",
            "Purpose",
            "Legal basis",
            "Data subjects",
            "Personal data",
            "Recipients",
            "Systems",
            "Retention",
            "Security measures",
            "Department",
        ],
        &activities,
    )?;
    out(
        "flows",
        &["From", "To", "Data categories", "Activity", "Encrypted"],
        &flows,
    )?;
    Ok(())
}

/// The headings of the Art. 30 table in the ICO's controller template, read from the
/// template's fixture (`tests/fixtures/registers/ico_controller.xlsx`): the row that starts
/// with `Business function`.
fn ico_headings() -> io::Result<Vec<String>> {
    use calamine::Reader;
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registers/ico_controller.xlsx");
    let mut workbook = calamine::open_workbook_auto(&path).map_err(io::Error::other)?;
    let sheet = workbook
        .worksheet_range("Template")
        .map_err(io::Error::other)?;
    sheet
        .rows()
        .find(|row| {
            row.first()
                .is_some_and(|c| matches!(c, calamine::Data::String(s) if s == "Business function"))
        })
        .map(|row| {
            row.iter()
                .map(|c| c.to_string())
                .take_while(|c| !c.is_empty())
                .collect()
        })
        .ok_or_else(|| io::Error::other("the ICO fixture has no `Business function` row"))
}

/// Third countries as the ICO template's users write them: names, and `None`.
const ICO_COUNTRIES: &[&str] = &[
    "",
    "",
    "",
    "",
    "None",
    "N/A",
    "United States",
    "United States",
    "Australia",
    "India",
    "Switzerland",
    "Japan",
    "Canada",
    "Brazil",
    "Singapore",
];

/// Writes `size.activities` activities in the layout of the ICO's controller template, a
/// layout ropa was not designed around: one sheet with a title, the controller's block of
/// names and addresses, a second title, then the Art. 30 table under the template's own long
/// headings, recipients and third countries as free text in each row (no processor table).
pub fn generate_ico_workbook(size: Size, path: &Path) -> io::Result<()> {
    let mut g = Generator {
        rng: fastrand::Rng::with_seed(size.seed),
    };
    let recipients = g.names(size.processors.max(1), 0);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Template").map_err(io::Error::other)?;
    let mut put = |row: u32, column: u16, text: &str| -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        sheet
            .write_string(row, column, text)
            .map(|_| ())
            .map_err(io::Error::other)
    };
    put(
        0,
        0,
        "Synthetic Garden Centres Ltd - record of processing activities",
    )?;
    for (c, heading) in ["Name", "Address", "Email", "Telephone"].iter().enumerate() {
        put(1, c as u16 + 1, heading)?;
    }
    let block = [
        [
            "Controller",
            "Synthetic Garden Centres Ltd",
            "Unit 4, Valley Park, Norwich NR6 5DP, UK",
            "privacy@synthetic.example",
            "01603 555 0142",
        ],
        [
            "Data Protection Officer",
            "A. Example",
            "As above",
            "dpo@synthetic.example",
            "01603 555 0199",
        ],
    ];
    for (r, cells) in block.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            put(r as u32 + 2, c as u16, cell)?;
        }
    }
    put(6, 0, "Article 30 Record of Processing Activities")?;
    for (c, heading) in ico_headings()?.iter().enumerate() {
        put(7, c as u16, heading)?;
    }
    for i in 0..size.activities {
        let country = g.pick(ICO_COUNTRIES);
        let safeguard = match country {
            "" | "None" | "N/A" => "",
            _ => g.pick(&[
                "EU SCCs with the UK Addendum",
                "IDTA",
                "",
                "Adequacy regulations",
            ]),
        };
        let named = (0..g.rng.usize(1..=3))
            .map(|_| recipients[g.rng.usize(..recipients.len())].as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let row = [
            g.pick(DEPARTMENTS).to_string(),
            format!(
                "Processing activity {i:06}\nFor {}",
                g.pick(SUBJECTS).to_lowercase()
            ),
            String::new(),
            g.some(SUBJECTS, 1, 3),
            g.some(CATEGORIES, 1, 5),
            format!("{named}; HMRC"),
            format!("https://contracts.synthetic.example/dpa-{}.pdf", i % 500),
            country.to_string(),
            safeguard.to_string(),
            g.pick(&["6 years", "24 months", "Until consent is withdrawn", ""])
                .to_string(),
            g.pick(&["MFA; encrypted laptops", "Role-based access", "TLS"])
                .to_string(),
            g.some(BASES, 1, 2),
        ];
        for (c, cell) in row.iter().enumerate() {
            put(i as u32 + 8, c as u16, cell)?;
        }
    }
    workbook.save(path).map_err(io::Error::other)
}
