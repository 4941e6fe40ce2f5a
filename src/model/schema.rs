//! The register format's tables and their fields: which canonical keys each table has and
//! which of them are required. The words that name them live in the vocabulary
//! (`src/vocabulary/data/headings.csv`); `docs/register-format.md` is the user-facing page.

use super::TableKind;

/// One field of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The canonical key, as in `register.json`.
    pub key: &'static str,
    pub required: bool,
}

const fn field(key: &'static str) -> Field {
    Field {
        key,
        required: false,
    }
}

const fn required(key: &'static str) -> Field {
    Field {
        key,
        required: true,
    }
}

const ORGANISATION: &[Field] = &[
    required("name"),
    // A contact block of a person (`Nom`, `Prénom`) gives a first name beside the name.
    field("first_name"),
    field("role"),
    field("address"),
    field("postcode"),
    field("city"),
    required("country"),
    field("email"),
    field("phone"),
    field("website"),
    field("representative"),
    field("dpo"),
    field("supervisory_authority"),
];

const ACTIVITIES: &[Field] = &[
    field("id"),
    required("name"),
    field("role"),
    field("controllers"),
    required("purpose"),
    field("legal_basis"),
    required("data_subjects"),
    required("data_categories"),
    field("special_categories"),
    field("art9_condition"),
    field("recipients"),
    field("transfer_countries"),
    field("transfer_safeguards"),
    field("systems"),
    field("retention"),
    field("security"),
    field("joint_controllers"),
    field("department"),
    field("source"),
    field("dpia"),
];

const SYSTEMS: &[Field] = &[
    field("id"),
    required("name"),
    field("description"),
    field("hosted_by"),
    field("locations"),
    field("data_categories"),
    field("owner"),
];

const PROCESSORS: &[Field] = &[
    field("id"),
    required("name"),
    field("legal_entity"),
    required("service"),
    field("group"),
    required("country"),
    field("locations"),
    field("data_categories"),
    field("role"),
    field("parent"),
    field("sub_processors"),
    field("dpa"),
    field("transfer_mechanism"),
    field("dpf_certified"),
    field("dpf_hr"),
    field("tia"),
    field("encryption_in_transit"),
    field("encryption_at_rest"),
    field("certifications"),
    field("retention"),
    field("url"),
    field("notes"),
];

const FLOWS: &[Field] = &[
    required("from"),
    required("to"),
    field("data_categories"),
    field("activity"),
    field("encrypted"),
    field("transfer_mechanism"),
    field("notes"),
];

const CUSTOMERS: &[Field] = &[
    field("id"),
    required("name"),
    field("contact"),
    field("country"),
    field("representative"),
    field("dpo"),
];

/// The fields of a table, in the order the register format lists them.
pub fn fields(kind: TableKind) -> &'static [Field] {
    match kind {
        TableKind::Organisation => ORGANISATION,
        TableKind::Activities => ACTIVITIES,
        TableKind::Systems => SYSTEMS,
        TableKind::Processors => PROCESSORS,
        TableKind::Flows => FLOWS,
        TableKind::Customers => CUSTOMERS,
    }
}

/// Fields that hold lists: a key/value block may give them on several lines (`Destinataires
/// internes`, `Organismes externes`, `Sous-traitants` are all recipients).
pub fn is_list(key: &str) -> bool {
    matches!(
        key,
        "controllers"
            | "data_subjects"
            | "data_categories"
            | "special_categories"
            | "recipients"
            | "transfer_countries"
            | "systems"
            | "locations"
            | "sub_processors"
            | "certifications"
    )
}

/// The field of a table with this key.
pub fn field_of(kind: TableKind, key: &str) -> Option<&'static Field> {
    fields(kind).iter().find(|f| f.key == key)
}

/// The register format's own key for `key`, in any table: how a key read back from
/// `register.json` becomes the static key the model holds.
pub fn static_key(key: &str) -> Option<&'static str> {
    TableKind::ALL
        .iter()
        .flat_map(|kind| fields(*kind))
        .find(|f| f.key == key)
        .map(|f| f.key)
}

/// Every field key of every table, sorted and without repeats: origins number their cells'
/// fields by their place here, so that numbers order as keys do.
fn all_keys() -> &'static [&'static str] {
    static KEYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut keys: Vec<&'static str> = TableKind::ALL
            .iter()
            .flat_map(|kind| fields(*kind))
            .map(|f| f.key)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    });
    &KEYS
}

/// A field key's number (see [`all_keys`]).
pub fn key_number(key: &str) -> Option<u16> {
    all_keys().binary_search(&key).ok().map(|i| i as u16)
}

/// The field key a number stands for.
pub fn numbered_key(number: u16) -> &'static str {
    all_keys()[number as usize]
}

/// The column that names a table's entities, which a table found by its headings must have.
pub fn identifies(kind: TableKind, keys: &[&str]) -> bool {
    let has = |key: &str| keys.contains(&key);
    match kind {
        TableKind::Flows => has("from") && has("to"),
        // Activities without a name column are named after their purpose.
        TableKind::Activities => has("name") || has("purpose"),
        _ => has("name"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_twice_in_a_table() {
        for kind in TableKind::ALL {
            let mut seen = std::collections::HashSet::new();
            for f in fields(kind) {
                assert!(seen.insert(f.key), "{} twice in {kind:?}", f.key);
            }
        }
    }
}
