//! What changed between two versions of a register, by meaning rather than by cell: entities
//! matched by key, then by name, then as renames (a near name with the same service and
//! place); fields compared as sets of canonical values (places, mechanism keys, category
//! identities), so reordering rows or rewording a category in another language is no change;
//! and the third-country transfers whose status changed, both versions judged on one date.
//!
//! Every stage indexes each version once (hash maps, the deletion index of
//! [`NearIndex`]); no stage compares every pair.

use super::classify::{Reason, Status};
use super::transfers::{Transfer, TransferAnalysis};
use crate::import::link::{NearIndex, loose_key};
use crate::model::key::{fold, name_key};
use crate::model::{
    Activity, Category, CompactString, Evidence, LegalBasis, Location, Mechanism, Place, Processor,
    Reference, Register, System, Tristate,
};
use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The table an entity belongs to, or a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Processor,
    Activity,
    System,
    Transfer,
}

impl Subject {
    pub fn key(self) -> &'static str {
        match self {
            Subject::Processor => "processor",
            Subject::Activity => "activity",
            Subject::System => "system",
            Subject::Transfer => "transfer",
        }
    }
}

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// The same entity under a new name: a near name (one edit, or the same name without
    /// legal form and place words) with the same service and places, or the same id.
    Renamed,
    /// Where data is processed (a processor's effective locations, a system's locations).
    Moved,
    /// A processor's seat, where its places of processing are given apart.
    SeatMoved,
    MechanismChanged,
    DpfChanged,
    CategoriesAdded,
    CategoriesRemoved,
    ServiceChanged,
    PurposeChanged,
    DpaChanged,
    CertificationsChanged,
    RetentionChanged,
    EncryptionChanged,
    GroupsChanged,
    LegalEntityChanged,
    ParentChanged,
    LegalBasisChanged,
    DataSubjectsChanged,
    RecipientsAdded,
    RecipientsRemoved,
    HostChanged,
    DescriptionChanged,
    /// A third-country transfer the old version did not have.
    NewTransfer,
    /// A third-country transfer the new version no longer has.
    TransferEnded,
    /// A transfer that was covered (or only warned about) and is not covered now.
    NoLongerCovered,
    /// A transfer that was not covered and is now.
    NowCovered,
    /// A transfer moved between covered and covered with a gap.
    StatusChanged,
}

impl ChangeKind {
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Moved => "moved",
            ChangeKind::SeatMoved => "seat_moved",
            ChangeKind::MechanismChanged => "mechanism_changed",
            ChangeKind::DpfChanged => "dpf_changed",
            ChangeKind::CategoriesAdded => "categories_added",
            ChangeKind::CategoriesRemoved => "categories_removed",
            ChangeKind::ServiceChanged => "service_changed",
            ChangeKind::PurposeChanged => "purpose_changed",
            ChangeKind::DpaChanged => "dpa_changed",
            ChangeKind::CertificationsChanged => "certifications_changed",
            ChangeKind::RetentionChanged => "retention_changed",
            ChangeKind::EncryptionChanged => "encryption_changed",
            ChangeKind::GroupsChanged => "groups_changed",
            ChangeKind::LegalEntityChanged => "legal_entity_changed",
            ChangeKind::ParentChanged => "parent_changed",
            ChangeKind::LegalBasisChanged => "legal_basis_changed",
            ChangeKind::DataSubjectsChanged => "data_subjects_changed",
            ChangeKind::RecipientsAdded => "recipients_added",
            ChangeKind::RecipientsRemoved => "recipients_removed",
            ChangeKind::HostChanged => "host_changed",
            ChangeKind::DescriptionChanged => "description_changed",
            ChangeKind::NewTransfer => "new_transfer",
            ChangeKind::TransferEnded => "transfer_ended",
            ChangeKind::NoLongerCovered => "no_longer_covered",
            ChangeKind::NowCovered => "now_covered",
            ChangeKind::StatusChanged => "status_changed",
        }
    }

    /// Changes that list what was added to or removed from a set.
    pub fn is_set_change(self) -> bool {
        matches!(
            self,
            ChangeKind::CategoriesAdded
                | ChangeKind::CategoriesRemoved
                | ChangeKind::RecipientsAdded
                | ChangeKind::RecipientsRemoved
        )
    }
}

/// A value before or after a change, typed so reports can show it in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Value {
    /// Text as written; `None` when the cell was empty.
    Text(Option<String>),
    Texts(Vec<String>),
    Places(Vec<Place>),
    Mechanisms(Vec<Mechanism>),
    Tristate(Tristate),
    /// Category identities ([`Category::id`]).
    Categories(Vec<String>),
    Evidence(Evidence),
    LegalBases(Vec<LegalBasis>),
    Status(Status),
}

/// One change, with the cell it is read from in each version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub subject: Subject,
    pub kind: ChangeKind,
    /// The entity's key in the new version (in the old one for removals); for transfers, the
    /// importer's key.
    pub key: CompactString,
    /// The entity's name in the new version (in the old one for removals); for transfers,
    /// the importer's.
    pub name: CompactString,
    /// The old name of a renamed entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_name: Option<CompactString>,
    /// The canonical field compared (`locations`, `data_categories`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// For transfers: the destination (an ISO code, `EU`, `unknown`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CompactString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// For transfers: why the new version's transfer has its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Box<Reason>>,
    /// Where the old version says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_at: Option<Location>,
    /// Where the new version says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_at: Option<Location>,
}

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub name: String,
    pub sources: Vec<String>,
    /// That the version could not be read, or not all of it: the changes are then not all
    /// there are.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<super::Notice>,
}

impl Version {
    fn of(side: &Side) -> Version {
        Version {
            name: side.register.name.clone(),
            sources: side.register.sources.clone(),
            notices: side
                .transfers
                .notices
                .iter()
                .filter(|n| n.is_about_the_read())
                .cloned()
                .collect(),
        }
    }
}

/// Everything that changed between two versions of a register.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterChanges {
    pub organisation: String,
    pub old: Version,
    pub new: Version,
    /// The date both versions' transfers were judged on.
    pub as_of: NaiveDate,
    pub changes: Vec<Change>,
    /// The words each version uses for each category identity, for reports.
    #[serde(skip)]
    pub category_words: BTreeMap<String, Vec<String>>,
    /// Old processor key → new processor key, for every processor kept or renamed.
    #[serde(skip)]
    pub processor_keys: HashMap<CompactString, CompactString>,
}

impl RegisterChanges {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether both versions were read whole, so that no change found is no change.
    pub fn read_fully(&self) -> bool {
        self.old.notices.is_empty() && self.new.notices.is_empty()
    }

    /// The changes a customer of a processor must be told of (Art. 28(2) GDPR): every change
    /// of a processor and of a third-country transfer.
    pub fn notifiable(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| matches!(c.subject, Subject::Processor | Subject::Transfer))
    }
}

/// One register version with its transfer analysis.
pub struct Side<'a> {
    pub register: &'a Register,
    pub transfers: &'a TransferAnalysis,
}

/// Compares two versions of a register. Both analyses should be judged on the same date, so
/// only the register's changes change a transfer's status.
pub fn compare(old: Side, new: Side) -> RegisterChanges {
    let mut changes = Vec::new();
    let processor_keys = processors(old.register, new.register, &mut changes);
    activities(old.register, new.register, &processor_keys, &mut changes);
    systems(old.register, new.register, &mut changes);
    transfers(old.transfers, new.transfers, &processor_keys, &mut changes);
    changes.sort_by_cached_key(|c| {
        (
            c.subject,
            name_key(&c.name),
            c.country.clone(),
            c.kind,
            c.field,
        )
    });
    let mut category_words = old.register.categories.clone();
    for (id, words) in &new.register.categories {
        let list = category_words.entry(id.clone()).or_default();
        for w in words {
            if !list.contains(w) {
                list.push(w.clone());
            }
        }
    }
    RegisterChanges {
        organisation: new.register.organisation.name.clone(),
        old: Version::of(&old),
        new: Version::of(&new),
        as_of: new.transfers.as_of,
        changes,
        category_words,
        processor_keys,
    }
}

/// What the matcher needs of an entity.
trait Entity {
    fn key(&self) -> &str;
    fn name(&self) -> &str;
    /// Whether `other` (of the old version) can be this entity renamed: the same service and
    /// places, or the same purpose.
    fn same_role(&self, other: &Self) -> bool;
    fn at(&self, field: &str) -> Location;
}

impl Entity for Processor {
    fn key(&self) -> &str {
        &self.key
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn same_role(&self, other: &Self) -> bool {
        same_text(&self.service, &other.service)
            && place_set(&self.effective_locations()) == place_set(&other.effective_locations())
    }
    fn at(&self, field: &str) -> Location {
        self.origin.cell(field)
    }
}

impl Entity for Activity {
    fn key(&self) -> &str {
        &self.key
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn same_role(&self, other: &Self) -> bool {
        same_text(&self.purpose, &other.purpose)
    }
    fn at(&self, field: &str) -> Location {
        self.origin.cell(field)
    }
}

impl Entity for System {
    fn key(&self) -> &str {
        &self.key
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn same_role(&self, other: &Self) -> bool {
        same_reference(&self.hosted_by, &other.hosted_by)
            && place_set(&self.locations) == place_set(&other.locations)
    }
    fn at(&self, field: &str) -> Location {
        self.origin.cell(field)
    }
}

/// Pairs of (old index, new index) for entities in both versions, and the indices only in the
/// old or only in the new one. Matches by key, then by name, then as renames.
struct Matching {
    pairs: Vec<(usize, usize, bool)>,
    removed: Vec<usize>,
    added: Vec<usize>,
}

fn match_entities<T: Entity>(old: &[T], new: &[T]) -> Matching {
    let mut by_key: HashMap<&str, usize> = HashMap::with_capacity(old.len());
    let mut by_name: HashMap<CompactString, usize> = HashMap::with_capacity(old.len());
    for (i, e) in old.iter().enumerate() {
        by_key.insert(e.key(), i);
        by_name.entry(name_key(e.name())).or_insert(i);
    }
    let mut used = vec![false; old.len()];
    let mut pairs = Vec::new();
    let mut unmatched_new = Vec::new();
    for (j, e) in new.iter().enumerate() {
        let found = by_key
            .get(e.key())
            .copied()
            .filter(|&i| !used[i])
            .or_else(|| {
                by_name
                    .get(&name_key(e.name()))
                    .copied()
                    .filter(|&i| !used[i])
            });
        match found {
            Some(i) => {
                used[i] = true;
                // The same id under another name is a rename too.
                let renamed = name_key(old[i].name()) != name_key(e.name());
                pairs.push((i, j, renamed));
            }
            None => unmatched_new.push(j),
        }
    }
    // Renames: the old entities left over, indexed once by near name and by loose name.
    let left: Vec<usize> = (0..old.len()).filter(|&i| !used[i]).collect();
    let near = NearIndex::new(left.iter().map(|&i| old[i].name()));
    let mut loose: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, &i) in left.iter().enumerate() {
        let key = loose_key(old[i].name());
        if !key.is_empty() {
            loose.entry(key).or_default().push(n);
        }
    }
    let mut added = Vec::new();
    for j in unmatched_new {
        let e = &new[j];
        let loose_candidates = loose
            .get(&loose_key(e.name()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let candidate = near
            .similar(e.name())
            .into_iter()
            .chain(loose_candidates.iter().copied())
            .map(|n| left[n])
            .find(|&i| !used[i] && e.same_role(&old[i]));
        match candidate {
            Some(i) => {
                used[i] = true;
                pairs.push((i, j, true));
            }
            None => added.push(j),
        }
    }
    let removed = (0..old.len()).filter(|&i| !used[i]).collect();
    Matching {
        pairs,
        removed,
        added,
    }
}

fn same_text<S: AsRef<str>>(a: &Option<S>, b: &Option<S>) -> bool {
    a.as_ref().map(|a| fold(a.as_ref())) == b.as_ref().map(|b| fold(b.as_ref()))
}

fn same_reference(a: &Option<Reference>, b: &Option<Reference>) -> bool {
    a.as_ref().map(|r| name_key(&r.text)) == b.as_ref().map(|r| name_key(&r.text))
}

/// List items as the change's value shows them.
fn texts<T: AsRef<str>>(items: &[T]) -> Vec<String> {
    items.iter().map(|item| item.as_ref().to_string()).collect()
}

fn place_set(places: &[Place]) -> BTreeSet<Place> {
    places.iter().cloned().collect()
}

fn category_ids(categories: &[Category]) -> BTreeSet<CompactString> {
    categories.iter().map(Category::id).collect()
}

fn folded_set(items: &[impl AsRef<str>]) -> BTreeSet<String> {
    items
        .iter()
        .map(|s| fold(s.as_ref()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Builds changes for one entity pair.
struct Pair<'a, T: Entity> {
    subject: Subject,
    old: &'a T,
    new: &'a T,
    out: &'a mut Vec<Change>,
}

impl<T: Entity> Pair<'_, T> {
    fn change(&mut self, kind: ChangeKind, field: &'static str, old: Value, new: Value) {
        self.out.push(Change {
            old: Some(old),
            new: Some(new),
            ..self.bare(kind, field)
        });
    }

    fn text<S: AsRef<str>>(
        &mut self,
        kind: ChangeKind,
        field: &'static str,
        old: &Option<S>,
        new: &Option<S>,
    ) {
        if !same_text(old, new) {
            let owned = |text: &Option<S>| text.as_ref().map(|t| t.as_ref().to_string());
            self.change(
                kind,
                field,
                Value::Text(owned(old)),
                Value::Text(owned(new)),
            );
        }
    }

    /// Added and removed members of a set, each as its own change.
    fn set(
        &mut self,
        kinds: (ChangeKind, ChangeKind),
        field: &'static str,
        old: &BTreeSet<CompactString>,
        new: &BTreeSet<CompactString>,
        wrap: fn(Vec<String>) -> Value,
    ) {
        let added = new.difference(old).map(CompactString::to_string).collect();
        let removed = old.difference(new).map(CompactString::to_string).collect();
        self.lists(kinds, field, added, removed, wrap);
    }

    /// What was added and what was removed, each as its own change when not empty.
    fn lists(
        &mut self,
        kinds: (ChangeKind, ChangeKind),
        field: &'static str,
        added: Vec<String>,
        removed: Vec<String>,
        wrap: fn(Vec<String>) -> Value,
    ) {
        if !added.is_empty() {
            self.out.push(Change {
                old: None,
                new: Some(wrap(added)),
                ..self.bare(kinds.0, field)
            });
        }
        if !removed.is_empty() {
            self.out.push(Change {
                old: Some(wrap(removed)),
                new: None,
                ..self.bare(kinds.1, field)
            });
        }
    }

    fn bare(&self, kind: ChangeKind, field: &'static str) -> Change {
        Change {
            subject: self.subject,
            kind,
            key: self.new.key().into(),
            name: self.new.name().into(),
            old_name: None,
            field: Some(field),
            country: None,
            old: None,
            new: None,
            reason: None,
            old_at: Some(self.old.at(field)),
            new_at: Some(self.new.at(field)),
        }
    }

    fn renamed(&mut self) {
        self.out.push(Change {
            old_name: Some(self.old.name().into()),
            ..self.bare(ChangeKind::Renamed, "name")
        });
    }
}

/// An entity only in one version.
fn one_sided<T: Entity>(subject: Subject, kind: ChangeKind, entity: &T, old_side: bool) -> Change {
    let at = Some(entity.at("name"));
    Change {
        subject,
        kind,
        key: entity.key().into(),
        name: entity.name().into(),
        old_name: None,
        field: None,
        country: None,
        old: None,
        new: None,
        reason: None,
        old_at: if old_side { at.clone() } else { None },
        new_at: if old_side { None } else { at },
    }
}

fn push_one_sided<T: Entity>(
    subject: Subject,
    matching: &Matching,
    old: &[T],
    new: &[T],
    out: &mut Vec<Change>,
) {
    for &i in &matching.removed {
        out.push(one_sided(subject, ChangeKind::Removed, &old[i], true));
    }
    for &j in &matching.added {
        out.push(one_sided(subject, ChangeKind::Added, &new[j], false));
    }
}

/// Processor changes; returns old key → new key for every processor in both versions.
fn processors(
    old: &Register,
    new: &Register,
    out: &mut Vec<Change>,
) -> HashMap<CompactString, CompactString> {
    let matching = match_entities(&old.processors, &new.processors);
    push_one_sided(
        Subject::Processor,
        &matching,
        &old.processors,
        &new.processors,
        out,
    );
    let mut keys = HashMap::with_capacity(matching.pairs.len());
    for &(i, j, renamed) in &matching.pairs {
        let (o, n) = (&old.processors[i], &new.processors[j]);
        keys.insert(o.key.clone(), n.key.clone());
        let mut pair = Pair {
            subject: Subject::Processor,
            old: o,
            new: n,
            out,
        };
        if renamed {
            pair.renamed();
        }
        let (old_places, new_places) = (o.effective_locations(), n.effective_locations());
        if place_set(&old_places) != place_set(&new_places) {
            let field = if n.locations.is_empty() {
                "country"
            } else {
                "locations"
            };
            pair.change(
                ChangeKind::Moved,
                field,
                Value::Places(old_places),
                Value::Places(new_places),
            );
        }
        // The seat on its own, when the places of processing are given apart from it.
        let places_apart = !o.locations.is_empty() || !n.locations.is_empty();
        if places_apart && o.country != n.country {
            pair.change(
                ChangeKind::SeatMoved,
                "country",
                Value::Places(o.country.iter().cloned().collect()),
                Value::Places(n.country.iter().cloned().collect()),
            );
        }
        let mechanisms = |p: &Processor| {
            p.transfer_mechanisms
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
        };
        if mechanisms(o) != mechanisms(n) {
            pair.change(
                ChangeKind::MechanismChanged,
                "transfer_mechanism",
                Value::Mechanisms(mechanisms(o).into_iter().collect()),
                Value::Mechanisms(mechanisms(n).into_iter().collect()),
            );
        }
        if o.dpf_certified != n.dpf_certified {
            pair.change(
                ChangeKind::DpfChanged,
                "dpf_certified",
                Value::Tristate(o.dpf_certified),
                Value::Tristate(n.dpf_certified),
            );
        }
        pair.set(
            (ChangeKind::CategoriesAdded, ChangeKind::CategoriesRemoved),
            "data_categories",
            &category_ids(&o.data_categories),
            &category_ids(&n.data_categories),
            Value::Categories,
        );
        pair.text(
            ChangeKind::ServiceChanged,
            "service",
            &o.service,
            &n.service,
        );
        if (o.dpa.status, o.dpa.date()) != (n.dpa.status, n.dpa.date()) {
            pair.change(
                ChangeKind::DpaChanged,
                "dpa",
                Value::Evidence(o.dpa.clone()),
                Value::Evidence(n.dpa.clone()),
            );
        }
        if folded_set(&o.certifications) != folded_set(&n.certifications) {
            pair.change(
                ChangeKind::CertificationsChanged,
                "certifications",
                Value::Texts(texts(&o.certifications)),
                Value::Texts(texts(&n.certifications)),
            );
        }
        pair.text(
            ChangeKind::RetentionChanged,
            "retention",
            &o.retention,
            &n.retention,
        );
        for (field, a, b) in [
            (
                "encryption_in_transit",
                o.encryption_in_transit,
                n.encryption_in_transit,
            ),
            (
                "encryption_at_rest",
                o.encryption_at_rest,
                n.encryption_at_rest,
            ),
        ] {
            if a != b {
                pair.change(
                    ChangeKind::EncryptionChanged,
                    field,
                    Value::Tristate(a),
                    Value::Tristate(b),
                );
            }
        }
        if folded_set(&o.groups) != folded_set(&n.groups) {
            pair.change(
                ChangeKind::GroupsChanged,
                "group",
                Value::Texts(texts(&o.groups)),
                Value::Texts(texts(&n.groups)),
            );
        }
        pair.text(
            ChangeKind::LegalEntityChanged,
            "legal_entity",
            &o.legal_entity,
            &n.legal_entity,
        );
        if !same_reference(&o.details().parent, &n.details().parent) {
            let text = |p: &Processor| p.details().parent.as_ref().map(|r| r.text.to_string());
            pair.change(
                ChangeKind::ParentChanged,
                "parent",
                Value::Text(text(o)),
                Value::Text(text(n)),
            );
        }
    }
    keys
}

/// The names an activity's recipients stand for: processors by their (new) key's name,
/// categories of recipients by their words.
fn recipient_names(
    a: &Activity,
    names: &HashMap<CompactString, &str>,
    keys: Option<&HashMap<CompactString, CompactString>>,
) -> BTreeMap<CompactString, String> {
    let mut out = BTreeMap::new();
    for r in &a.recipients {
        let key = match &r.target {
            Some(crate::model::EntityRef::Processor(k)) => keys
                .and_then(|m| m.get(k))
                .cloned()
                .unwrap_or_else(|| k.clone()),
            _ => name_key(&r.text),
        };
        let shown = names
            .get(&key)
            .map(|s| s.to_string())
            .unwrap_or_else(|| r.text.to_string());
        out.insert(key, shown);
    }
    for c in &a.details().recipient_categories {
        out.entry(name_key(c)).or_insert_with(|| c.to_string());
    }
    out
}

fn activities(
    old: &Register,
    new: &Register,
    processor_keys: &HashMap<CompactString, CompactString>,
    out: &mut Vec<Change>,
) {
    let matching = match_entities(&old.activities, &new.activities);
    push_one_sided(
        Subject::Activity,
        &matching,
        &old.activities,
        &new.activities,
        out,
    );
    let new_names: HashMap<CompactString, &str> = new
        .processors
        .iter()
        .map(|p| (p.key.clone(), p.name.as_str()))
        .collect();
    for &(i, j, renamed) in &matching.pairs {
        let (o, n) = (&old.activities[i], &new.activities[j]);
        let mut pair = Pair {
            subject: Subject::Activity,
            old: o,
            new: n,
            out,
        };
        if renamed {
            pair.renamed();
        }
        pair.text(
            ChangeKind::PurposeChanged,
            "purpose",
            &o.purpose,
            &n.purpose,
        );
        let bases = |a: &Activity| a.legal_basis.iter().copied().collect::<BTreeSet<_>>();
        if bases(o) != bases(n) {
            pair.change(
                ChangeKind::LegalBasisChanged,
                "legal_basis",
                Value::LegalBases(bases(o).into_iter().collect()),
                Value::LegalBases(bases(n).into_iter().collect()),
            );
        }
        if folded_set(&o.data_subjects) != folded_set(&n.data_subjects) {
            pair.change(
                ChangeKind::DataSubjectsChanged,
                "data_subjects",
                Value::Texts(texts(&o.data_subjects)),
                Value::Texts(texts(&n.data_subjects)),
            );
        }
        pair.set(
            (ChangeKind::CategoriesAdded, ChangeKind::CategoriesRemoved),
            "data_categories",
            &category_ids(&o.data_categories),
            &category_ids(&n.data_categories),
            Value::Categories,
        );
        let old_recipients = recipient_names(o, &new_names, Some(processor_keys));
        let new_recipients = recipient_names(n, &new_names, None);
        let shown =
            |keys: Vec<&CompactString>, from: &BTreeMap<CompactString, String>| -> Vec<String> {
                keys.into_iter()
                    .filter_map(|k| from.get(k).cloned())
                    .collect()
            };
        let old_keys: BTreeSet<&CompactString> = old_recipients.keys().collect();
        let new_keys: BTreeSet<&CompactString> = new_recipients.keys().collect();
        let added = shown(
            new_keys.difference(&old_keys).copied().collect(),
            &new_recipients,
        );
        let removed = shown(
            old_keys.difference(&new_keys).copied().collect(),
            &old_recipients,
        );
        pair.lists(
            (ChangeKind::RecipientsAdded, ChangeKind::RecipientsRemoved),
            "recipients",
            added,
            removed,
            Value::Texts,
        );
        pair.text(
            ChangeKind::RetentionChanged,
            "retention",
            &o.retention,
            &n.retention,
        );
    }
}

fn systems(old: &Register, new: &Register, out: &mut Vec<Change>) {
    let matching = match_entities(&old.systems, &new.systems);
    push_one_sided(Subject::System, &matching, &old.systems, &new.systems, out);
    for &(i, j, renamed) in &matching.pairs {
        let (o, n) = (&old.systems[i], &new.systems[j]);
        let mut pair = Pair {
            subject: Subject::System,
            old: o,
            new: n,
            out,
        };
        if renamed {
            pair.renamed();
        }
        if place_set(&o.locations) != place_set(&n.locations) {
            pair.change(
                ChangeKind::Moved,
                "locations",
                Value::Places(o.locations.to_vec()),
                Value::Places(n.locations.to_vec()),
            );
        }
        if !same_reference(&o.hosted_by, &n.hosted_by) {
            let text = |s: &System| s.hosted_by.as_ref().map(|r| r.text.to_string());
            pair.change(
                ChangeKind::HostChanged,
                "hosted_by",
                Value::Text(text(o)),
                Value::Text(text(n)),
            );
        }
        pair.set(
            (ChangeKind::CategoriesAdded, ChangeKind::CategoriesRemoved),
            "data_categories",
            &category_ids(&o.data_categories),
            &category_ids(&n.data_categories),
            Value::Categories,
        );
        pair.text(
            ChangeKind::DescriptionChanged,
            "description",
            &o.description,
            &n.description,
        );
    }
}

/// Transfers by importer and destination, with the worst of their paths.
fn transfer_index<'a>(
    analysis: &'a TransferAnalysis,
    keys: Option<&HashMap<CompactString, CompactString>>,
) -> BTreeMap<(CompactString, String), &'a Transfer> {
    let mut index: BTreeMap<(CompactString, String), &Transfer> = BTreeMap::new();
    for t in &analysis.transfers {
        let importer = keys
            .and_then(|m| m.get(&t.importer.key))
            .cloned()
            .unwrap_or_else(|| t.importer.key.clone());
        let slot = index.entry((importer, t.country.to_string())).or_insert(t);
        if t.status > slot.status {
            *slot = t;
        }
    }
    index
}

fn transfers(
    old: &TransferAnalysis,
    new: &TransferAnalysis,
    processor_keys: &HashMap<CompactString, CompactString>,
    out: &mut Vec<Change>,
) {
    let before = transfer_index(old, Some(processor_keys));
    let after = transfer_index(new, None);
    let change = |kind, t: &Transfer, old_t: Option<&Transfer>, new_t: Option<&Transfer>| Change {
        // Why a transfer stands as it does now; an ended transfer has no standing.
        subject: Subject::Transfer,
        kind,
        key: t.importer.key.clone(),
        name: t.importer.name.as_ref().into(),
        old_name: None,
        field: None,
        country: Some(t.country.clone()),
        old: old_t.map(|x| Value::Status(x.status)),
        new: new_t.map(|x| Value::Status(x.status)),
        reason: new_t.map(|x| Box::new(x.assessment.reason.clone())),
        old_at: old_t.map(|x| x.importer.country_cell.as_ref().clone()),
        new_at: new_t.map(|x| x.importer.country_cell.as_ref().clone()),
    };
    for (id, &t) in &after {
        match before.get(id) {
            None => out.push(change(ChangeKind::NewTransfer, t, None, Some(t))),
            Some(&o) if o.status != t.status => {
                let kind = if t.status == Status::Error {
                    ChangeKind::NoLongerCovered
                } else if o.status == Status::Error {
                    ChangeKind::NowCovered
                } else {
                    ChangeKind::StatusChanged
                };
                out.push(change(kind, t, Some(o), Some(t)));
            }
            Some(_) => {}
        }
    }
    for (id, &o) in &before {
        if !after.contains_key(id) {
            out.push(change(ChangeKind::TransferEnded, o, Some(o), None));
        }
    }
}
