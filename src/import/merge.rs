//! The same entity listed twice, in one table or across inputs, becomes one entity. Lists are
//! united; a value given twice differently is a conflict, reported, and the first one kept.

use crate::diag::{Code, Diagnostic};
use crate::model::SharedText;
use crate::model::key::name_key;
use crate::model::{
    Activity, Customer, Evidence, Location, Organisation, Origin, Processor, System, TableStats,
    Tristate,
};
use foldhash::{HashMap, HashMapExt};

/// Collects the names of fields whose values disagree.
#[derive(Default)]
struct Merger {
    conflicts: Vec<&'static str>,
}

impl Merger {
    fn opt<T: PartialEq + Clone>(
        &mut self,
        field: &'static str,
        into: &mut Option<T>,
        from: &Option<T>,
    ) {
        match (into.as_ref(), from) {
            (None, Some(_)) => *into = from.clone(),
            (Some(a), Some(b)) if a != b => self.conflicts.push(field),
            _ => {}
        }
    }

    /// Adds the items `into` lacks, in order, in one go (a `List` is copied when it grows).
    fn list<T, L>(&mut self, into: &mut L, from: &[T])
    where
        T: PartialEq + Clone,
        L: Extend<T> + std::ops::Deref<Target = [T]>,
    {
        let mut missing: Vec<T> = Vec::new();
        for item in from {
            if !into.contains(item) && !missing.contains(item) {
                missing.push(item.clone());
            }
        }
        if !missing.is_empty() {
            into.extend(missing);
        }
    }

    fn tristate(&mut self, field: &'static str, into: &mut Tristate, from: Tristate) {
        match (*into, from) {
            (Tristate::Unknown, other) => *into = other,
            (a, b) if b != Tristate::Unknown && a != b => self.conflicts.push(field),
            _ => {}
        }
    }

    fn evidence(&mut self, field: &'static str, into: &mut Evidence, from: &Evidence) {
        // Unknown is no answer: the other row's answer fills it.
        if into.status == Tristate::Unknown
            && (into.text().is_none() || from.status != Tristate::Unknown)
        {
            *into = from.clone();
        } else if from.status != Tristate::Unknown && into.status != from.status {
            self.conflicts.push(field);
        }
    }

    fn scalar<T: PartialEq>(&mut self, field: &'static str, a: &T, b: &T) {
        if a != b {
            self.conflicts.push(field);
        }
    }

    fn extra(&mut self, into: &mut crate::model::Extra, from: &crate::model::Extra) {
        for (k, v) in from {
            into.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// An entity that can be merged with a duplicate of itself.
pub trait Mergeable {
    fn key(&self) -> &str;
    fn id(&self) -> Option<&str>;
    fn name(&self) -> &str;
    fn origin(&self) -> &Origin;
    /// Takes the other row's id when this one has none.
    fn adopt_id(&mut self, id: Option<&str>);
    /// Folds `other` into `self`, returning the fields that disagreed.
    fn merge(&mut self, other: &Self) -> Vec<&'static str>;
}

macro_rules! identity {
    () => {
        fn key(&self) -> &str {
            &self.key
        }
        fn id(&self) -> Option<&str> {
            self.id.as_deref()
        }
        fn name(&self) -> &str {
            &self.name
        }
        fn origin(&self) -> &Origin {
            &self.origin
        }
        fn adopt_id(&mut self, id: Option<&str>) {
            if self.id.is_none() {
                self.id = id.map(Into::into);
            }
        }
    };
}

impl Mergeable for Activity {
    identity!();
    fn merge(&mut self, o: &Self) -> Vec<&'static str> {
        let mut m = Merger::default();
        // The other's details, merged (in field order, as conflicts are listed) only when it
        // has any: an activity's details are boxed on demand.
        let theirs = o.details.as_deref();
        m.scalar("role", &self.role, &o.role);
        m.opt("purpose", &mut self.purpose, &o.purpose);
        m.opt(
            "legal_basis",
            &mut self.legal_basis_text,
            &o.legal_basis_text,
        );
        m.list(&mut self.legal_basis, &o.legal_basis);
        m.list(&mut self.controllers, &o.controllers);
        self.all_controllers |= o.all_controllers;
        m.list(&mut self.data_subjects, &o.data_subjects);
        m.list(&mut self.data_categories, &o.data_categories);
        if let Some(o) = theirs {
            let mine = self.details_mut();
            m.list(&mut mine.special_categories, &o.special_categories);
            m.opt(
                "art9_condition",
                &mut mine.art9_condition,
                &o.art9_condition,
            );
            m.list(&mut mine.art9_conditions, &o.art9_conditions);
            mine.art10_basis |= o.art10_basis;
        }
        m.list(&mut self.recipients, &o.recipients);
        if let Some(o) = theirs {
            let mine = self.details_mut();
            m.list(&mut mine.transfers, &o.transfers);
            m.opt(
                "transfer_safeguards",
                &mut mine.transfer_safeguards,
                &o.transfer_safeguards,
            );
        }
        m.list(&mut self.systems, &o.systems);
        m.opt("retention", &mut self.retention, &o.retention);
        m.opt("security", &mut self.security, &o.security);
        if let Some(o) = theirs {
            m.opt(
                "joint_controllers",
                &mut self.details_mut().joint_controllers,
                &o.joint_controllers,
            );
        }
        m.opt("department", &mut self.department, &o.department);
        if let Some(o) = theirs {
            let mine = self.details_mut();
            m.opt("source", &mut mine.source, &o.source);
            m.opt("dpia", &mut mine.dpia, &o.dpia);
            m.extra(&mut mine.extra, &o.extra);
        }
        m.conflicts
    }
}

impl Mergeable for System {
    identity!();
    fn merge(&mut self, o: &Self) -> Vec<&'static str> {
        let mut m = Merger::default();
        m.opt("description", &mut self.description, &o.description);
        m.opt("hosted_by", &mut self.hosted_by, &o.hosted_by);
        m.list(&mut self.locations, &o.locations);
        m.list(&mut self.data_categories, &o.data_categories);
        m.opt("owner", &mut self.owner, &o.owner);
        m.extra(&mut self.extra, &o.extra);
        m.conflicts
    }
}

impl Mergeable for Processor {
    identity!();
    fn merge(&mut self, o: &Self) -> Vec<&'static str> {
        let mut m = Merger::default();
        // The other's details, merged (in field order, as conflicts are listed) only when it
        // has any, as an activity's are.
        let theirs = o.details.as_deref();
        m.opt("legal_entity", &mut self.legal_entity, &o.legal_entity);
        // A provider listed once per service (published lists do) gives each service.
        match (&mut self.service, &o.service) {
            (None, Some(_)) => self.service = o.service,
            (Some(a), Some(b)) if !a.split("; ").any(|s| s == &**b) => {
                *a = SharedText::new(format!("{a}; {b}"));
            }
            _ => {}
        }
        m.list(&mut self.groups, &o.groups);
        // Listed with different places (per region or per service), it processes data in all
        // of them; which one is its seat the list does not say.
        if self.country.is_some() && o.country.is_some() && self.country != o.country {
            let mut places = self.effective_locations();
            for place in o.effective_locations() {
                if !places.contains(&place) {
                    places.push(place);
                }
            }
            self.locations = places.into();
            self.country = None;
        } else {
            m.opt("country", &mut self.country, &o.country);
            m.list(&mut self.locations, &o.locations);
        }
        m.list(&mut self.data_categories, &o.data_categories);
        m.scalar("role", &self.role, &o.role);
        if let Some(o) = theirs {
            let mine = self.details_mut();
            m.opt("parent", &mut mine.parent, &o.parent);
            m.list(&mut mine.sub_processors, &o.sub_processors);
        }
        m.evidence("dpa", &mut self.dpa, &o.dpa);
        m.opt(
            "transfer_mechanism",
            &mut self.transfer_mechanism_text,
            &o.transfer_mechanism_text,
        );
        m.list(&mut self.transfer_mechanisms, &o.transfer_mechanisms);
        m.tristate("dpf_certified", &mut self.dpf_certified, o.dpf_certified);
        m.tristate("dpf_hr", &mut self.dpf_hr, o.dpf_hr);
        m.evidence("tia", &mut self.tia, &o.tia);
        m.tristate(
            "encryption_in_transit",
            &mut self.encryption_in_transit,
            o.encryption_in_transit,
        );
        m.tristate(
            "encryption_at_rest",
            &mut self.encryption_at_rest,
            o.encryption_at_rest,
        );
        m.list(&mut self.certifications, &o.certifications);
        m.opt("retention", &mut self.retention, &o.retention);
        if let Some(o) = theirs {
            let mine = self.details_mut();
            m.opt("url", &mut mine.url, &o.url);
            m.list(&mut mine.notes, &o.notes);
            m.extra(&mut mine.extra, &o.extra);
        }
        m.conflicts
    }
}

impl Mergeable for Customer {
    identity!();
    fn merge(&mut self, o: &Self) -> Vec<&'static str> {
        let mut m = Merger::default();
        m.opt("contact", &mut self.contact, &o.contact);
        m.opt("country", &mut self.country, &o.country);
        m.opt(
            "representative",
            &mut self.representative,
            &o.representative,
        );
        m.opt("dpo", &mut self.dpo, &o.dpo);
        m.extra(&mut self.extra, &o.extra);
        m.conflicts
    }
}

/// Merges duplicates in one table's worth of entities (from any number of inputs), in order
/// of appearance. A repeated id naming a different entity is rejected, and its table's counts
/// say so.
pub fn dedupe<T: Mergeable>(
    mut entities: Vec<T>,
    what: &str,
    stats: &mut [TableStats],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    // Kept in place: the kept entities are moved to the front, in order, and the rows merged
    // into them are cut off at the end (a large register's activities are too big to copy).
    let mut kept_count = 0;
    let mut by_key: HashMap<String, usize> = HashMap::with_capacity(entities.len());
    // Names of kept entities, for rows that describe the same entity once with an id and once
    // without (an overview table with numbers and a detail block per activity).
    let mut by_name: HashMap<compact_str::CompactString, usize> =
        HashMap::with_capacity(entities.len());
    for at in 0..entities.len() {
        let (before, here_on) = entities.split_at_mut(at);
        let kept = &mut before[..kept_count];
        let entity = &here_on[0];
        let same = by_key.get(entity.key()).copied().or_else(|| {
            by_name
                .get(&name_key(entity.name()))
                .copied()
                .filter(|&i| entity.id().is_none() || kept[i].id().is_none())
        });
        let Some(first) = same else {
            by_key.insert(entity.key().to_string(), kept_count);
            by_name.entry(name_key(entity.name())).or_insert(kept_count);
            entities.swap(kept_count, at);
            kept_count += 1;
            continue;
        };
        let existing = &mut kept[first];
        existing.adopt_id(entity.id());
        let here = entity.origin().cell("name");
        let there = existing.origin().cell("name");
        if entity.id().is_some() && name_key(existing.name()) != name_key(entity.name()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!(
                        "{what} id `{}` is already used by `{}`; `{}` is not used",
                        entity.id().unwrap_or_default(),
                        existing.name(),
                        entity.name()
                    ),
                )
                .at(entity.origin().cell("id"))
                .related(existing.origin().cell("id"), "first used here")
                .help("give every row its own id"),
            );
            reject(stats, &entity.origin().row);
            continue;
        }
        let conflicts = existing.merge(entity);
        if conflicts.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::MergedDuplicate,
                    format!(
                        "{what} `{}` is listed again; the two rows are merged",
                        entity.name()
                    ),
                )
                .at(here)
                .related(there, "first listed here"),
            );
        } else {
            diagnostics.push(
                Diagnostic::new(
                    Code::ConflictingDuplicate,
                    format!(
                        "{what} `{}` is listed again with a different {}; the first value is kept",
                        entity.name(),
                        conflicts.join(", ")
                    ),
                )
                .at(entity.origin().cell(conflicts[0]))
                .related(existing.origin().cell(conflicts[0]), "first value here")
                .help("make the rows agree, or give them different names if they are different entities"),
            );
        }
    }
    entities.truncate(kept_count);
    entities
}

/// Counts a rejected row against the table it came from.
fn reject(stats: &mut [TableStats], row: &Location) {
    if let Some(table) = stats
        .iter_mut()
        .find(|t| t.location.file() == row.file() && t.location.sheet() == row.sheet())
    {
        table.used = table.used.saturating_sub(1);
        table.rejected += 1;
    }
}

/// Several organisation tables (one per input) describe one organisation: the first is kept,
/// later ones fill its gaps, disagreements are reported.
pub fn organisations(
    mut found: Vec<Organisation>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Organisation> {
    if found.is_empty() {
        return None;
    }
    let mut first = found.remove(0);
    for other in found {
        let mut m = Merger::default();
        m.scalar("name", &name_key(&first.name), &name_key(&other.name));
        m.opt("address", &mut first.address, &other.address);
        m.opt("country", &mut first.country, &other.country);
        m.opt("email", &mut first.email, &other.email);
        m.opt("phone", &mut first.phone, &other.phone);
        m.opt("website", &mut first.website, &other.website);
        m.opt(
            "representative",
            &mut first.representative,
            &other.representative,
        );
        m.opt("dpo", &mut first.dpo, &other.dpo);
        m.opt(
            "supervisory_authority",
            &mut first.supervisory_authority,
            &other.supervisory_authority,
        );
        m.scalar("role", &first.role, &other.role);
        m.extra(&mut first.extra, &other.extra);
        if !m.conflicts.is_empty() {
            let field = m.conflicts[0];
            let mut d = Diagnostic::new(
                Code::ConflictingDuplicate,
                format!(
                    "the organisation is described again with a different {}; the first value is kept",
                    m.conflicts.join(", ")
                ),
            );
            if let Some(origin) = &other.origin {
                d = d.at(origin.cell(field));
            }
            if let Some(origin) = &first.origin {
                d = d.related(origin.cell(field), "first value here");
            }
            diagnostics.push(d);
        }
    }
    Some(first)
}
