//! The register format's tables: their names and their columns' headings in English, German,
//! Dutch and French, and the headings of the ICO, CNIL, DSK and Fides templates.
//! `docs/register-format.md` is the user-facing copy of this table.

use crate::model::TableKind;
use crate::model::key::fold;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One column of a table.
pub struct Field {
    /// The canonical key.
    pub key: &'static str,
    pub required: bool,
    /// Headings that mean this column (matched after folding).
    pub headings: &'static [&'static str],
}

/// One table of the register format.
pub struct TableSchema {
    pub kind: TableKind,
    /// Sheet names and CSV file stems that mean this table.
    pub names: &'static [&'static str],
    pub fields: &'static [Field],
}

const fn field(key: &'static str, headings: &'static [&'static str]) -> Field {
    Field {
        key,
        required: false,
        headings,
    }
}

const fn required(key: &'static str, headings: &'static [&'static str]) -> Field {
    Field {
        key,
        required: true,
        headings,
    }
}

const ID: &[&str] = &[
    "id",
    "nr",
    "no",
    "number",
    "ref",
    "reference",
    "processing reference",
    "kennung",
    "lfd nr",
    "nummer",
    "referentie",
    "reference interne",
    "numero",
];

const DATA_CATEGORIES: &[&str] = &[
    "data categories",
    "categories of personal data",
    "personal data",
    "personal data categories",
    "categories of data",
    "personenbezogene daten",
    "kategorien personenbezogener daten",
    "kategorien von personenbezogenen daten",
    "kategorien von daten",
    "datenkategorien",
    "daten",
    "categorieen van persoonsgegevens",
    "categorieen persoonsgegevens",
    "persoonsgegevens",
    "categories de donnees",
    "categories de donnees collectees",
    "donnees traitees",
    "categories de donnees traitees",
    "donnees",
];

const RETENTION: &[&str] = &[
    "retention",
    "retention period",
    "retention schedule",
    "retention periods",
    "loschfrist",
    "loschfristen",
    "fristen fur die loschung",
    "speicherdauer",
    "aufbewahrung",
    "aufbewahrungsfrist",
    "aufbewahrungsdauer",
    "bewaartermijn",
    "bewaartermijnen",
    "voorgenomen bewaartermijn",
    "duree de conservation",
    "durees de conservation",
    "delais prevus pour l effacement",
];

const COUNTRY: &[&str] = &[
    "country",
    "location",
    "seat",
    "headquarters",
    "standort",
    "sitz",
    "land",
    "sitzland",
    "locatie",
    "vestiging",
    "vestigingsland",
    "pays",
    "localisation",
    "siege",
];

const LOCATIONS: &[&str] = &[
    "locations",
    "data location",
    "data locations",
    "storage location",
    "storage locations",
    "server location",
    "server locations",
    "processing location",
    "processing locations",
    "location of personal data",
    "speicherort",
    "speicherorte",
    "serverstandort",
    "serverstandorte",
    "datenstandort",
    "verarbeitungsort",
    "opslaglocatie",
    "opslaglocaties",
    "locatie van de gegevens",
    "lieu d hebergement",
    "lieux d hebergement",
    "localisation des donnees",
];

const MECHANISM: &[&str] = &[
    "transfer mechanism",
    "safeguards",
    "transfer safeguards",
    "transfer tool",
    "garantien",
    "geeignete garantien",
    "ubermittlungsgrundlage",
    "ubermittlungsmechanismus",
    "rechtsgrundlage der ubermittlung",
    "doorgiftemechanisme",
    "waarborgen",
    "garanties",
    "mecanisme de transfert",
];

const ENCRYPTED: &[&str] = &[
    "encrypted",
    "encrypted in transit",
    "encryption in transit",
    "traffic encrypted",
    "datenverkehr verschlusselt",
    "verschlusselt",
    "transportverschlusselung",
    "versleuteld",
    "chiffrement",
    "chiffre",
    "chiffrement en transit",
];

const NOTES: &[&str] = &[
    "notes",
    "note",
    "comments",
    "comment",
    "remarks",
    "info",
    "information",
    "bemerkungen",
    "anmerkungen",
    "hinweise",
    "opmerkingen",
    "toelichting",
    "remarques",
    "commentaires",
];

const ROLE: &[&str] = &["role", "rolle", "rol", "role or responsibility"];

const REPRESENTATIVE: &[&str] = &[
    "representative",
    "vertreter",
    "angabe zum vertreter des verantwortlichen",
    "vertegenwoordiger",
    "representant",
];

const DPO: &[&str] = &[
    "dpo",
    "data protection officer",
    "datenschutzbeauftragter",
    "datenschutzbeauftragte",
    "angabe zur person des datenschutzbeauftragten",
    "dsb",
    "functionaris voor de gegevensbescherming",
    "fg",
    "delegue a la protection des donnees",
    "dpd",
];

pub static SCHEMAS: &[TableSchema] = &[
    TableSchema {
        kind: TableKind::Organisation,
        names: &[
            "organisation",
            "organization",
            "company",
            "controller details",
            "verantwortlicher",
            "unternehmen",
            "organisatie",
            "organisme",
        ],
        fields: &[
            required(
                "name",
                &[
                    "name",
                    "organisation",
                    "organization",
                    "organisation name",
                    "organization name",
                    "organization name and contact detail",
                    "legal name",
                    "name des verantwortlichen",
                    "firma",
                    "verantwortlicher",
                    "naam",
                    "organisatie",
                    "nom",
                    "nom de l organisme",
                    "organisme",
                ],
            ),
            field("role", ROLE),
            field(
                "address",
                &["address", "anschrift", "adresse", "adres", "postal address"],
            ),
            required(
                "country",
                &[
                    "country",
                    "land",
                    "sitz",
                    "sitzland",
                    "pays",
                    "vestigingsland",
                ],
            ),
            field(
                "email",
                &[
                    "email",
                    "e mail",
                    "email address",
                    "e mail adresse",
                    "e mailadres",
                    "adresse de messagerie",
                    "courriel",
                ],
            ),
            field(
                "phone",
                &["phone", "telephone", "telefon", "telefoon", "telefonnummer"],
            ),
            field(
                "website",
                &[
                    "website",
                    "web",
                    "webseite",
                    "internetseite",
                    "site web",
                    "site internet",
                ],
            ),
            field("representative", REPRESENTATIVE),
            field("dpo", DPO),
            field(
                "supervisory_authority",
                &[
                    "supervisory authority",
                    "aufsichtsbehorde",
                    "angabe zur zustandigen aufsichtsbehorde",
                    "zustandige aufsichtsbehorde",
                    "toezichthouder",
                    "autorite de controle",
                ],
            ),
        ],
    },
    TableSchema {
        kind: TableKind::Activities,
        names: &[
            "activities",
            "processing activities",
            "processing",
            "ropa",
            "record of processing activities",
            "verarbeitungstatigkeiten",
            "verarbeitungsverzeichnis",
            "verzeichnis von verarbeitungstatigkeiten",
            "vvt",
            "verwerkingsactiviteiten",
            "verwerkingen",
            "verwerkingsregister",
            "traitements",
            "activites de traitement",
            "registre",
        ],
        fields: &[
            field("id", ID),
            required(
                "name",
                &[
                    "name",
                    "activity",
                    "processing activity",
                    "name of processing",
                    "name of processing activity",
                    "processing activity name",
                    "bezeichnung der verarbeitungstatigkeit",
                    "verarbeitungstatigkeit",
                    "tatigkeit",
                    "verfahren",
                    "bezeichnung",
                    "naam verwerking",
                    "verwerkingsactiviteit",
                    "naam van de verwerking",
                    "verwerking",
                    "activite de traitement",
                    "nom du traitement",
                    "nom de l activite",
                    "traitement",
                    "activites",
                    "designation des activites",
                ],
            ),
            field("role", ROLE),
            field(
                "controllers",
                &[
                    "controllers",
                    "controller",
                    "customers",
                    "on behalf of",
                    "name and contact details of controller",
                    "verantwortliche",
                    "auftraggeber",
                    "im auftrag von",
                    "opdrachtgevers",
                    "opdrachtgever",
                    "verwerkingsverantwoordelijke",
                    "responsables de traitement",
                    "clients",
                ],
            ),
            required(
                "purpose",
                &[
                    "purpose",
                    "purposes",
                    "purpose of processing",
                    "purposes of processing",
                    "purposes of the processing",
                    "categories of processing",
                    "zweck",
                    "zwecke",
                    "zwecke der verarbeitung",
                    "zweck der verarbeitung",
                    "doel",
                    "doelen",
                    "doel van de verwerking",
                    "verwerkingsdoeleinden",
                    "doeleinden",
                    "finalite",
                    "finalites",
                    "objectifs poursuivis",
                    "finalite du traitement",
                ],
            ),
            field(
                "legal_basis",
                &[
                    "legal basis",
                    "lawful basis",
                    "lawful basis for processing",
                    "article 6 lawful basis for processing personal data",
                    "gdpr article 6 lawful basis for processing",
                    "rechtsgrundlage",
                    "rechtsgrundlage der verarbeitung",
                    "grondslag",
                    "verwerkingsgrond",
                    "rechtsgrond",
                    "wettelijke verwerkingsgrond",
                    "base legale",
                    "base juridique",
                    "fondement juridique",
                ],
            ),
            required(
                "data_subjects",
                &[
                    "data subjects",
                    "categories of individuals",
                    "categories of data subjects",
                    "data subject categories",
                    "betroffene personen",
                    "betroffene",
                    "kategorien betroffener personen",
                    "beschreibung der kategorien betroffener personen",
                    "categorieen van betrokkenen",
                    "categorieen betrokkenen",
                    "betrokkenen",
                    "categories de personnes concernees",
                    "personnes concernees",
                ],
            ),
            required("data_categories", DATA_CATEGORIES),
            field(
                "special_categories",
                &[
                    "special categories",
                    "special category data",
                    "special categories of personal data",
                    "sensitive data",
                    "besondere kategorien",
                    "besondere kategorien personenbezogener daten",
                    "bijzondere persoonsgegevens",
                    "bijzondere categorieen persoonsgegevens",
                    "bijzonder",
                    "donnees sensibles",
                    "des donnees sensibles sont elles traitees",
                ],
            ),
            field(
                "art9_condition",
                &[
                    "art9 condition",
                    "article 9 condition",
                    "article 9 condition for processing special category data",
                    "bedingung nach art 9",
                    "art 9 abs 2",
                    "uitzonderingsgrond",
                    "condition article 9",
                ],
            ),
            field(
                "recipients",
                &[
                    "recipients",
                    "categories of recipients",
                    "processors recipients",
                    "empfanger",
                    "kategorien von empfangern",
                    "datenempfanger",
                    "nennung der konkreten datenempfanger",
                    "ontvangers",
                    "categorieen van ontvangers",
                    "categorieen ontvangers",
                    "ontvangers of categorieen van ontvangers",
                    "destinataires",
                    "categories de destinataires",
                    "categories de destinataires des donnees",
                ],
            ),
            field(
                "transfer_countries",
                &[
                    "transfer countries",
                    "names of third countries or international organisations that personal data are transferred to",
                    "third country transfers",
                    "third countries",
                    "transfers",
                    "transfers outside uk eu",
                    "drittlander",
                    "ubermittlung in drittlander",
                    "drittlandtransfer",
                    "drittlandubermittlung",
                    "gegebenenfalls ubermittlung von daten an ein drittland oder an eine internationale organisation",
                    "derde landen",
                    "doorgiften naar derde landen",
                    "transferts hors ue",
                    "transferts des donnees hors ue",
                    "transferts vers des pays tiers",
                    "pays tiers",
                ],
            ),
            field(
                "transfer_safeguards",
                &[
                    "transfer safeguards",
                    "safeguards",
                    "safeguards for exceptional transfers of personal data to third countries or international organisations",
                    "safeguards for exceptional transfers of personal data",
                    "geeignete garantien",
                    "garantien",
                    "dokumentierung geeigneter garantien",
                    "sofern datenubermittlung gemass art 49 abs 1",
                    "waarborgen",
                    "passende waarborgen",
                    "garanties",
                    "garanties appropriees",
                ],
            ),
            field(
                "systems",
                &[
                    "systems",
                    "system",
                    "applications",
                    "application",
                    "fides system",
                    "it systems",
                    "systeme",
                    "anwendungen",
                    "eingesetzte systeme",
                    "systemen",
                    "applicaties",
                    "logiciel",
                    "nom du logiciel ou de l application",
                    "logiciels",
                ],
            ),
            field("retention", RETENTION),
            field(
                "security",
                &[
                    "security",
                    "security measures",
                    "tom",
                    "toms",
                    "technical and organisational measures",
                    "technical and organizational measures",
                    "general description of technical and organisational security measures",
                    "general description of security measures",
                    "technische und organisatorische massnahmen",
                    "angewandte toms",
                    "beveiligingsmaatregelen",
                    "technische en organisatorische maatregelen",
                    "mesures de securite",
                    "mesures de securite organisationnelles et techniques",
                ],
            ),
            field(
                "joint_controllers",
                &[
                    "joint controllers",
                    "joint controller",
                    "name and contact details of joint controller",
                    "gemeinsam verantwortliche",
                    "gemeinsam verantwortlicher",
                    "gezamenlijke verwerkingsverantwoordelijke",
                    "gezamenlijke verwerkingsverantwoordelijken",
                    "responsable conjoint",
                    "nom du responsable conjoint du traitement",
                ],
            ),
            field(
                "department",
                &[
                    "department",
                    "business function",
                    "department or business function",
                    "business owner",
                    "owner",
                    "fachabteilung",
                    "verantwortliche fachabteilung",
                    "abteilung",
                    "afdeling",
                    "service",
                    "direction",
                ],
            ),
            field(
                "source",
                &[
                    "source",
                    "source of data",
                    "the source of the personal data",
                    "herkunft der daten",
                    "datenquelle",
                    "bron",
                    "herkomst",
                    "source des donnees",
                ],
            ),
            field(
                "dpia",
                &[
                    "dpia",
                    "data protection impact assessment required",
                    "data protection impact assessment",
                    "dsfa",
                    "datenschutz folgenabschatzung",
                    "gegevensbeschermingseffectbeoordeling",
                    "dpia vereist",
                    "geb",
                    "aipd",
                    "analyse d impact",
                ],
            ),
        ],
    },
    TableSchema {
        kind: TableKind::Systems,
        names: &[
            "systems",
            "applications",
            "it systems",
            "assets",
            "systeme",
            "anwendungen",
            "systemen",
            "applicaties",
            "logiciels",
        ],
        fields: &[
            field("id", ID),
            required(
                "name",
                &[
                    "name",
                    "system",
                    "application",
                    "system name",
                    "anwendung",
                    "systemname",
                    "systeem",
                    "applicatie",
                    "naam",
                    "logiciel",
                    "nom",
                ],
            ),
            field(
                "description",
                &[
                    "description",
                    "beschreibung",
                    "omschrijving",
                    "beschrijving",
                ],
            ),
            field(
                "hosted_by",
                &[
                    "hosted by",
                    "host",
                    "hosting provider",
                    "hoster",
                    "gehostet von",
                    "gehostet bei",
                    "hosting",
                    "gehost door",
                    "hostingpartij",
                    "heberge par",
                    "hebergeur",
                ],
            ),
            field("locations", LOCATIONS),
            field("data_categories", DATA_CATEGORIES),
            field(
                "owner",
                &[
                    "owner",
                    "system owner",
                    "verantwortlich",
                    "systemverantwortlicher",
                    "eigenaar",
                    "proprietaire",
                    "responsable",
                ],
            ),
        ],
    },
    TableSchema {
        kind: TableKind::Processors,
        names: &[
            "processors",
            "sub processors",
            "subprocessors",
            "recipients",
            "vendors",
            "auftragsverarbeiter",
            "unterauftragsverarbeiter",
            "subdienstleister",
            "dienstleister",
            "empfanger",
            "verwerkers",
            "subverwerkers",
            "ontvangers",
            "sous traitants",
            "destinataires",
        ],
        fields: &[
            field("id", ID),
            required(
                "name",
                &[
                    "name",
                    "processor",
                    "sub processor",
                    "subprocessor",
                    "vendor",
                    "provider",
                    "recipient",
                    "unterauftragsverarbeiter",
                    "auftragsverarbeiter",
                    "dienstleister",
                    "anbieter",
                    "subdienstleister",
                    "empfanger",
                    "verwerker",
                    "subverwerker",
                    "leverancier",
                    "naam",
                    "sous traitant",
                    "prestataire",
                    "nom",
                ],
            ),
            field(
                "legal_entity",
                &[
                    "legal entity",
                    "company",
                    "contracting entity",
                    "rechtstrager",
                    "firma",
                    "vertragspartner",
                    "rechtspersoon",
                    "entite juridique",
                    "societe",
                ],
            ),
            required(
                "service",
                &[
                    "service",
                    "purpose of processing by processor",
                    "dienst",
                    "leistung",
                    "dienstleistung",
                    "zweck",
                    "dienstverlening",
                    "prestation",
                    "purpose",
                ],
            ),
            field(
                "group",
                &[
                    "group",
                    "category",
                    "gruppe",
                    "kategorie",
                    "groep",
                    "categorie",
                    "groupe",
                ],
            ),
            required("country", COUNTRY),
            field("locations", LOCATIONS),
            field("data_categories", DATA_CATEGORIES),
            field("role", ROLE),
            field(
                "parent",
                &[
                    "parent",
                    "parent processor",
                    "sub processor of",
                    "hauptauftragsverarbeiter",
                    "ubergeordneter auftragsverarbeiter",
                    "hoofdverwerker",
                    "sous traitant principal",
                ],
            ),
            field(
                "sub_processors",
                &[
                    "sub processors",
                    "subprocessors",
                    "unterauftragsverarbeiter",
                    "subverwerkers",
                    "sous traitants ulterieurs",
                ],
            ),
            field(
                "dpa",
                &[
                    "dpa",
                    "data processing agreement",
                    "link to contract with processor",
                    "avv",
                    "av vertrag",
                    "auftragsverarbeitungsvertrag",
                    "verarbeitungsvereinbarung",
                    "vertrag zur auftragsverarbeitung",
                    "verwerkersovereenkomst",
                    "contrat de sous traitance",
                ],
            ),
            field("transfer_mechanism", MECHANISM),
            field(
                "dpf_certified",
                &[
                    "dpf",
                    "dpf certified",
                    "dpf certification",
                    "data privacy framework",
                    "dpf zertifiziert",
                    "dpf gecertificeerd",
                    "certifie dpf",
                ],
            ),
            field(
                "tia",
                &[
                    "tia",
                    "transfer impact assessment",
                    "transfer impact assessment done",
                    "transfer impact assessment tia",
                    "analyse d impact des transferts",
                ],
            ),
            field("encryption_in_transit", ENCRYPTED),
            field(
                "encryption_at_rest",
                &[
                    "encrypted at rest",
                    "encryption at rest",
                    "verschlusselt gespeichert",
                    "speicherverschlusselung",
                    "versleuteld opgeslagen",
                    "chiffrement au repos",
                ],
            ),
            field(
                "certifications",
                &[
                    "certifications",
                    "certificates",
                    "certification",
                    "digitale zertifikate",
                    "zertifizierungen",
                    "zertifikate",
                    "certificeringen",
                    "certificaten",
                ],
            ),
            field("retention", RETENTION),
            field("url", &["url", "link", "lien", "webseite"]),
            field("notes", NOTES),
        ],
    },
    TableSchema {
        kind: TableKind::Flows,
        names: &[
            "flows",
            "data flows",
            "dataflows",
            "datenflusse",
            "datenstrome",
            "gegevensstromen",
            "datastromen",
            "flux",
            "flux de donnees",
        ],
        fields: &[
            required(
                "from",
                &["from", "source", "von", "quelle", "van", "bron", "de"],
            ),
            required(
                "to",
                &["to", "destination", "an", "ziel", "naar", "vers", "nach"],
            ),
            field("data_categories", DATA_CATEGORIES),
            field(
                "activity",
                &[
                    "activity",
                    "processing activity",
                    "verarbeitungstatigkeit",
                    "verwerkingsactiviteit",
                    "traitement",
                ],
            ),
            field("encrypted", ENCRYPTED),
            field("transfer_mechanism", MECHANISM),
            field("notes", NOTES),
        ],
    },
    TableSchema {
        kind: TableKind::Customers,
        names: &[
            "customers",
            "clients",
            "controllers",
            "kunden",
            "mandanten",
            "auftraggeber",
            "klanten",
            "opdrachtgevers",
        ],
        fields: &[
            field("id", ID),
            required(
                "name",
                &[
                    "name",
                    "customer",
                    "client",
                    "controller",
                    "kunde",
                    "mandant",
                    "auftraggeber",
                    "klant",
                    "opdrachtgever",
                    "naam",
                    "nom",
                ],
            ),
            field(
                "contact",
                &[
                    "contact",
                    "contact details",
                    "kontakt",
                    "kontaktdaten",
                    "ansprechpartner",
                    "contactpersoon",
                    "contactgegevens",
                    "coordonnees",
                ],
            ),
            field("country", COUNTRY),
            field("representative", REPRESENTATIVE),
            field("dpo", DPO),
        ],
    },
];

/// The schema of a table kind.
pub fn schema(kind: TableKind) -> &'static TableSchema {
    SCHEMAS
        .iter()
        .find(|s| s.kind == kind)
        .expect("every table kind has a schema")
}

/// Folds a heading for matching: text in parentheses or brackets dropped, then [`fold`].
pub fn fold_heading(heading: &str) -> String {
    let mut out = String::with_capacity(heading.len());
    let mut depth = 0usize;
    for c in heading.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    fold(&out)
}

struct HeadingIndex {
    /// (table, folded heading) → candidate keys, in schema order.
    exact: HashMap<(TableKind, String), Vec<&'static str>>,
    /// Per table: folded headings of at least 8 characters, for the containment fallback.
    long: HashMap<TableKind, Vec<(String, &'static str)>>,
    names: HashMap<String, TableKind>,
}

static INDEX: LazyLock<HeadingIndex> = LazyLock::new(|| {
    let mut index = HeadingIndex {
        exact: HashMap::new(),
        long: HashMap::new(),
        names: HashMap::new(),
    };
    for schema in SCHEMAS {
        for name in schema.names {
            index.names.entry(fold(name)).or_insert(schema.kind);
        }
        for field in schema.fields {
            for heading in field.headings {
                let folded = fold(heading);
                let keys = index
                    .exact
                    .entry((schema.kind, folded.clone()))
                    .or_default();
                if !keys.contains(&field.key) {
                    keys.push(field.key);
                }
                if folded.len() >= 8 {
                    index
                        .long
                        .entry(schema.kind)
                        .or_default()
                        .push((folded, field.key));
                }
            }
        }
    }
    index
});

/// The table a sheet name or file stem means.
pub fn table_for_name(name: &str) -> Option<TableKind> {
    INDEX.names.get(&fold(name)).copied()
}

/// Candidate keys for a heading in a table, best first: exact matches, else the longest known
/// heading the text contains as whole words.
pub fn keys_for_heading(kind: TableKind, heading: &str) -> Vec<&'static str> {
    let folded = fold_heading(heading);
    if folded.is_empty() {
        return Vec::new();
    }
    if let Some(keys) = INDEX.exact.get(&(kind, folded.clone())) {
        return keys.clone();
    }
    let padded = format!(" {folded} ");
    let mut best: Option<(&str, &'static str)> = None;
    for (known, key) in INDEX.long.get(&kind).into_iter().flatten() {
        if padded.contains(&format!(" {known} ")) && best.is_none_or(|(b, _)| known.len() > b.len())
        {
            best = Some((known, key));
        }
    }
    best.map(|(_, key)| vec![key]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_across_languages_and_templates() {
        let a = TableKind::Activities;
        assert_eq!(keys_for_heading(a, "Zwecke der\nVerarbeitung"), ["purpose"]);
        assert_eq!(
            keys_for_heading(a, "Retention schedule (if possible)"),
            ["retention"]
        );
        assert_eq!(
            keys_for_heading(a, "Categories of individuals*"),
            ["data_subjects"]
        );
        assert_eq!(
            keys_for_heading(
                a,
                "Fristen für die Löschung der verschiedenen Datenkategorien"
            ),
            ["retention"]
        );
        assert_eq!(
            keys_for_heading(
                a,
                "Kategorien von Empfängern, gegenüber denen personenbezogene Daten offen gelegt worden sind oder werden"
            ),
            ["recipients"]
        );
        assert_eq!(
            keys_for_heading(
                a,
                "Technische und organisatorische Maßnahmen (TOM) gemäß Art. 32 Abs. 1 DSGVO"
            ),
            ["security"]
        );
        assert_eq!(
            keys_for_heading(a, "Catégories de personnes concernées"),
            ["data_subjects"]
        );
        assert_eq!(
            keys_for_heading(a, "Categorieën van persoonsgegevens"),
            ["data_categories"]
        );
        assert_eq!(keys_for_heading(a, "Favourite colour"), Vec::<&str>::new());
        let p = TableKind::Processors;
        assert_eq!(
            keys_for_heading(p, "Unterauftragsverarbeiter"),
            ["name", "sub_processors"]
        );
        assert_eq!(
            keys_for_heading(p, "Übergeordneter Auftragsverarbeiter"),
            ["parent"]
        );
        assert_eq!(keys_for_heading(p, "Standort"), ["country"]);
    }

    #[test]
    fn sheet_names_in_four_languages() {
        assert_eq!(
            table_for_name("Verarbeitungstätigkeiten"),
            Some(TableKind::Activities)
        );
        assert_eq!(
            table_for_name("Sub-processors"),
            Some(TableKind::Processors)
        );
        assert_eq!(table_for_name("Datenflüsse"), Some(TableKind::Flows));
        assert_eq!(table_for_name("Klanten"), Some(TableKind::Customers));
        assert_eq!(
            table_for_name("Sous-traitants"),
            Some(TableKind::Processors)
        );
        assert_eq!(table_for_name("Template"), None);
    }

    #[test]
    fn no_heading_means_two_keys_in_one_table_by_accident() {
        // A heading listed twice in one table must list its keys in schema order, which the
        // greedy assignment relies on (name before sub_processors).
        for schema in SCHEMAS {
            let mut seen = std::collections::HashSet::new();
            for field in schema.fields {
                assert!(
                    seen.insert(field.key),
                    "{} twice in {:?}",
                    field.key,
                    schema.kind
                );
            }
        }
    }
}
