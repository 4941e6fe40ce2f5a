//! Resolves references between entities by id or name, in one hash lookup each, and finds
//! near-duplicate names with a deletion index instead of comparing every pair.

use crate::diag::{Code, Diagnostic};
use crate::model::key::{fold, name_key};
use crate::model::{
    EntityRef, Evidence, List, Location, Origin, Place, Processor, ProcessorDetails, Rare,
    RecipientRole, Reference, Register, Tristate,
};
use compact_str::CompactString;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Ids and names of one table → entity key.
#[derive(Default)]
struct Lookup {
    keys: HashMap<CompactString, CompactString>,
}

impl Lookup {
    fn add(&mut self, key: &str, id: Option<&str>, name: &str) {
        if let Some(id) = id {
            self.keys.insert(name_key(id), key.into());
        }
        self.keys
            .entry(name_key(name))
            .or_insert_with(|| key.into());
    }

    /// The lookup of a table, from each row's key, id and name.
    fn of<T>(rows: &[T], fields: fn(&T) -> (&str, Option<&str>, &str)) -> Lookup {
        let mut lookup = Lookup::default();
        for (key, id, name) in rows.iter().map(fields) {
            lookup.add(key, id, name);
        }
        lookup
    }

    fn find(&self, text: &str) -> Option<&CompactString> {
        self.keys.get(&name_key(text))
    }
}

/// Names that differ by one edit (or only in spacing and punctuation), found through the
/// single-deletion variants of each name: linear in the total length of the names.
pub struct NearIndex {
    names: Vec<(String, String)>, // (compact folded name, display name)
    /// Each compact name without its digits: names equal here differ only in digits
    /// (`Server 1`, `Server 2`), which makes them different entities, not typos.
    letters: Vec<String>,
    /// (hash of a variant, name index), sorted: each run of one hash is a bucket. Variants are
    /// hashed, not stored, because a register's names have millions of them; two variants
    /// that only share a hash put a pair forward that [`is_near`] then turns down.
    variants: Vec<(u64, u32)>,
}

fn without_digits(compact: &str) -> String {
    compact.chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// Whether two names, each (compact, compact without digits, as written), are near-duplicates:
/// one edit apart (not in digits), or equal once spacing and punctuation are ignored while the
/// names as written differ.
fn is_near(a: (&str, &str, &str), b: (&str, &str, &str)) -> bool {
    let ((a, a_letters, a_display), (b, b_letters, b_display)) = (a, b);
    if a == b {
        return name_key(a_display) != name_key(b_display);
    }
    // Checked before the edit distance, which is the costly part: generated and numbered
    // names (`Processor 17`, `Processor 71`) share deletion variants by the thousand.
    if a_letters == b_letters {
        return false;
    }
    let length = |s: &str| s.chars().count();
    length(a).abs_diff(length(b)) <= 1 && strsim::osa_distance(a, b) == 1
}

fn compact(name: &str) -> String {
    fold(name).replace(' ', "")
}

/// The hashes of a compact name and of each of its single-deletion variants (none for a name
/// too long to vary), without building the variants.
fn variant_hashes(word: &str) -> impl Iterator<Item = u64> {
    use std::hash::{BuildHasher, Hasher};
    let chars: Vec<char> = word.chars().collect();
    let skips = if chars.len() <= NEAR_MAX_LEN {
        chars.len()
    } else {
        0
    };
    // A fixed seed: the pairs found, and so the findings, must not change from run to run.
    let state = foldhash::fast::FixedState::with_seed(0x0c0f_fee0_dead_beef);
    // `usize::MAX` skips nothing: the name itself.
    std::iter::once(usize::MAX)
        .chain(0..skips)
        .map(move |skip| {
            let mut hasher = state.build_hasher();
            for (i, c) in chars.iter().enumerate() {
                if i != skip {
                    hasher.write_u32(*c as u32);
                }
            }
            hasher.write_usize(chars.len() - usize::from(skip != usize::MAX));
            hasher.finish()
        })
}

/// Names shorter than this are too short for one letter to mean a typo.
const NEAR_MIN_LEN: usize = 4;
/// Names longer than this are only compared whole: deletion variants grow with the square of
/// the length.
const NEAR_MAX_LEN: usize = 64;
/// Variant buckets larger than this are common stems, not typos.
const NEAR_MAX_BUCKET: usize = 32;

impl NearIndex {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = NearIndex {
            names: Vec::new(),
            letters: Vec::new(),
            variants: Vec::new(),
        };
        for name in names {
            let c = compact(name);
            let i = index.names.len() as u32;
            if c.chars().count() >= NEAR_MIN_LEN {
                index
                    .variants
                    .extend(variant_hashes(&c).map(|hash| (hash, i)));
            }
            index.letters.push(without_digits(&c));
            index.names.push((c, name.to_string()));
        }
        // A name whose variants repeat (`aab` less either `a`) counts once in the bucket.
        index.variants.sort_unstable();
        index.variants.dedup();
        index
    }

    /// The names in the bucket of a variant's hash.
    fn bucket(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let start = self.variants.partition_point(|&(h, _)| h < hash);
        self.variants[start..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, i)| i as usize)
    }

    /// Whether names `i` and `j` are near-duplicates.
    fn near(&self, i: usize, j: usize) -> bool {
        is_near(
            (&self.names[i].0, &self.letters[i], &self.names[i].1),
            (&self.names[j].0, &self.letters[j], &self.names[j].1),
        )
    }

    /// Pairs of indices (first < second) of near-duplicate names, in order.
    pub fn pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs = BTreeSet::new();
        for bucket in self.variants.chunk_by(|a, b| a.0 == b.0) {
            if bucket.len() < 2 || bucket.len() > NEAR_MAX_BUCKET {
                continue;
            }
            for (n, &(_, i)) in bucket.iter().enumerate() {
                for &(_, j) in &bucket[n + 1..] {
                    let (i, j) = (i as usize, j as usize);
                    if self.near(i, j) {
                        pairs.insert((i.min(j), i.max(j)));
                    }
                }
            }
        }
        pairs.into_iter().collect()
    }

    /// The name (as written) close to `text`, if any.
    pub fn similar_name(&self, text: &str) -> Option<&str> {
        self.similar(text).map(|i| self.names[i].1.as_str())
    }

    /// The index of a name close to `text`, if any.
    pub fn similar(&self, text: &str) -> Option<usize> {
        let c = compact(text);
        if c.chars().count() < NEAR_MIN_LEN {
            return None;
        }
        let letters = without_digits(&c);
        let mut best = None;
        for hash in variant_hashes(&c) {
            for i in self.bucket(hash) {
                let (known, display) = &self.names[i];
                if best.is_none_or(|b| i < b)
                    && is_near((&c, &letters, text), (known, &self.letters[i], display))
                {
                    best = Some(i);
                }
            }
        }
        best
    }
}

/// A name as loosely written: folded, without bracketed parts, legal form or place words, so
/// `Anthropic USA`, `Anthropic, PBC` and `Anthropic` meet, and `Heroku (Salesforce)` and
/// `Heroku EU` too.
pub fn loose_key(name: &str) -> String {
    let mut outside = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let places = crate::vocabulary::places::index();
    let base = crate::vocabulary::names::without_legal_form(&outside);
    let words: Vec<&str> = base.split(' ').filter(|w| !w.is_empty()).collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| {
            // Two-letter words are places only as codes in the original (`EU`, `US`).
            let place = if w.len() <= 2 {
                outside.split(|c: char| !c.is_alphanumeric()).any(|o| {
                    o.eq_ignore_ascii_case(w)
                        && o.chars().all(|c| c.is_ascii_uppercase())
                        && places.lookup(o).is_some()
                })
            } else {
                places.lookup(w).is_some()
            };
            !place && !crate::vocabulary::names::is_legal_form(w)
        })
        .collect();
    if kept.is_empty() {
        base
    } else {
        kept.join(" ")
    }
}

/// Processors by their loose names, and by the first word of them.
struct LooseIndex {
    by_key: HashMap<String, Vec<usize>>,
    by_first: HashMap<String, Vec<usize>>,
}

impl LooseIndex {
    fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = LooseIndex {
            by_key: HashMap::new(),
            by_first: HashMap::new(),
        };
        for (i, name) in names.into_iter().enumerate() {
            let key = loose_key(name);
            if key.is_empty() {
                continue;
            }
            if let Some(first) = key.split(' ').next() {
                index.by_first.entry(first.to_string()).or_default().push(i);
            }
            index.by_key.entry(key).or_default().push(i);
        }
        index
    }

    /// The one processor a loosely written name means: the same loose name, else a one-word
    /// processor name that the text starts with (`Stripe Payments Europe` → `Stripe`). `None`
    /// when no processor, or more than one, fits.
    fn find(&self, text: &str) -> Option<usize> {
        let key = loose_key(text);
        if key.is_empty() {
            return None;
        }
        if let Some(found) = self.by_key.get(&key) {
            return (found.len() == 1).then(|| found[0]);
        }
        let first = key.split(' ').next()?;
        if first.len() < 3 {
            return None;
        }
        let candidates: Vec<usize> = self
            .by_key
            .get(first)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        (candidates.len() == 1).then(|| candidates[0])
    }
}

/// Resolves every reference of the register, creates the sub-processors that are only named,
/// sorts recipient items into processors and recipient categories, and reports near-duplicates.
pub fn link(register: &mut Register, diagnostics: &mut Vec<Diagnostic>) {
    // Linking runs between the import and the graph, on one core but where noted: the tables'
    // lookups, the processors' name indexes and the activities are each made or linked on both.
    let ((systems, customers), (activities, mut processors)) = rayon::join(
        || {
            rayon::join(
                || Lookup::of(&register.systems, |s| (&s.key, s.id.as_deref(), &s.name)),
                || Lookup::of(&register.customers, |c| (&c.key, c.id.as_deref(), &c.name)),
            )
        },
        || {
            rayon::join(
                || Lookup::of(&register.activities, |a| (&a.key, a.id.as_deref(), &a.name)),
                || Lookup::of(&register.processors, |p| (&p.key, p.id.as_deref(), &p.name)),
            )
        },
    );

    // Sub-processors named in a list but without a row of their own become entities.
    let mut implicit: Vec<Processor> = Vec::new();
    for p in &register.processors {
        for sub in &p.details().sub_processors {
            if processors.find(&sub.text).is_none() && name_key(&sub.text) != p.key {
                let key = name_key(&sub.text);
                diagnostics.push(
                    Diagnostic::new(
                        Code::ImplicitSubProcessor,
                        format!(
                            "sub-processor `{}` of `{}` has no row of its own; its location is unknown",
                            sub.text, p.name
                        ),
                    )
                    .at(p.origin.cell("sub_processors"))
                    .help("add a row for it with its country, or correct the name"),
                );
                processors.add(&key, None, &sub.text);
                implicit.push(implicit_sub_processor(&sub.text, &key, p));
            }
        }
    }
    // The list was made exactly as long as the table: grown by doubling it would hold room for
    // as many processors again for the rest of the run.
    register.processors.reserve_exact(implicit.len());
    register.processors.extend(implicit);
    let names = || register.processors.iter().map(|p| p.name.as_str());
    let (processor_names, loose) =
        rayon::join(|| NearIndex::new(names()), || LooseIndex::new(names()));

    let organisation_key = name_key(&register.organisation.name);
    let subjects: BTreeSet<CompactString> = register
        .activities
        .iter()
        .flat_map(|a| a.data_subjects.iter().map(|s| name_key(s)))
        .collect();

    let resolve =
        |lookup: &Lookup, make: fn(CompactString) -> EntityRef, reference: &mut Reference| {
            reference.target = lookup.find(&reference.text).cloned().map(make);
            reference.target.is_some()
        };
    let unknown = |what: &str, text: &str, at: Location, near: Option<&str>| {
        let mut d = Diagnostic::new(
            Code::UnknownReference,
            format!("`{text}` names no {what} of this register"),
        )
        .at(at);
        d = match near {
            Some(name) => d.help(format!("did you mean `{name}`?")),
            None => d.help(format!(
                "add a row for it to the {what} table, or correct the name"
            )),
        };
        d
    };

    let no_systems = register.systems.is_empty();
    // By key, so that each stated importer is one lookup, not a scan of the processors.
    let mut processor_at: HashMap<&str, usize> = HashMap::with_capacity(register.processors.len());
    for (i, p) in register.processors.iter().enumerate() {
        processor_at.entry(p.key.as_str()).or_insert(i);
    }
    // Each activity's references are linked on its own, on both cores; the diagnostics are
    // gathered in the activities' order.
    let listed = &register.processors;
    let per_activity: Vec<Vec<Diagnostic>> = register
        .activities
        .par_iter_mut()
        .map(|activity| {
            let mut diagnostics = Vec::new();
            for system in &mut activity.systems {
                if !resolve(&systems, EntityRef::System, system) {
                    // A register without a systems table names its software as text (the CNIL's
                    // `Nom du logiciel`): nothing to link, nothing wrong.
                    let d = unknown(
                        "system",
                        &system.text,
                        activity.origin.cell("systems"),
                        None,
                    );
                    diagnostics.push(if no_systems {
                        d.severity(crate::diag::Severity::Info)
                            .help("the register has no systems table; the name is kept as text")
                    } else {
                        d
                    });
                }
            }
            let stated_transfers =
                (activity.details.as_deref_mut()).map_or(&mut [][..], |d| &mut d.transfers[..]);
            for stated in stated_transfers {
                let Some(importer) = &mut stated.importer else {
                    continue;
                };
                let at = activity.origin.cell("transfer_countries");
                let found = processors.find(&importer.text).cloned().or_else(|| {
                    loose
                        .find(&importer.text)
                        .map(|i| listed[i].key.clone())
                });
                let Some(key) = found else {
                    continue;
                };
                let Some(p) = processor_at
                    .get(key.as_str())
                    .map(|&i| &listed[i])
                else {
                    continue;
                };
                let recorded = p.effective_locations();
                if !recorded.is_empty() && !recorded.contains(&stated.place) && !stated.place.is_vague()
                {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::StatedTransferMismatch,
                            format!(
                                "the activity states a transfer to {} by `{}`, whose row records {}; both are judged",
                                stated.place,
                                p.name,
                                recorded.iter().map(Place::to_string).collect::<Vec<_>>().join(", ")
                            ),
                        )
                        .at(at)
                        .related(p.origin.cell(if p.locations.is_empty() { "country" } else { "locations" }), "processor's places")
                        .help("make the activity's transfer and the processor's location agree"),
                    );
                }
                importer.target = Some(EntityRef::Processor(key));
            }
            for controller in &mut activity.controllers {
                if !resolve(&customers, EntityRef::Customer, controller) {
                    diagnostics.push(unknown(
                        "customer",
                        &controller.text,
                        activity.origin.cell("controllers"),
                        None,
                    ));
                }
            }
            // As long as the list it replaces: grown by doubling, the recipients of a large
            // register's activities would hold room for as many again.
            let mut kept = Vec::with_capacity(activity.recipients.len());
            for mut recipient in std::mem::take(&mut activity.recipients) {
                if resolve(&processors, EntityRef::Processor, &mut recipient) {
                    kept.push(recipient);
                    continue;
                }
                let at = activity.origin.cell("recipients");
                if let Some(i) = loose.find(&recipient.text) {
                    let p = &listed[i];
                    diagnostics.push(
                        Diagnostic::new(
                            Code::RecipientLinked,
                            format!(
                                "recipient `{}` is read as processor `{}`",
                                recipient.text, p.name
                            ),
                        )
                        .at(at)
                        .related(p.origin.cell("name"), "processor listed here")
                        .help("write the processor's name as listed to make the link explicit"),
                    );
                    recipient.target = Some(EntityRef::Processor(p.key.clone()));
                    kept.push(recipient);
                    continue;
                }
                match processor_names.similar(&recipient.text) {
                    Some(i) => diagnostics.push(
                        Diagnostic::new(
                            Code::NearDuplicateName,
                            format!(
                                "recipient `{}` is one letter away from processor `{}`",
                                recipient.text, processor_names.names[i].1
                            ),
                        )
                        .at(at)
                        .related(listed[i].origin.cell("name"), "processor listed here")
                        .help("if they are the same, spell them the same; the recipient is kept as a category for now"),
                    ),
                    None => diagnostics.push(
                        Diagnostic::new(
                            Code::RecipientCategory,
                            format!(
                                "recipient `{}` names no processor; kept as a category of recipients",
                                recipient.text
                            ),
                        )
                        .at(at),
                    ),
                }
                activity
                    .details_mut()
                    .recipient_categories
                    .push(recipient.text);
            }
            activity.recipients = kept.into();
            diagnostics
        })
        .collect();
    diagnostics.extend(per_activity.into_iter().flatten());

    for system in &mut register.systems {
        if let Some(host) = &mut system.hosted_by
            && !resolve(&processors, EntityRef::Processor, host)
        {
            diagnostics.push(unknown(
                "processor",
                &host.text,
                system.origin.cell("hosted_by"),
                processor_names.similar_name(&host.text),
            ));
        }
    }

    for p in &mut register.processors {
        // Only a processor with details names a parent or sub-processors.
        let Some(details) = p.details.as_deref_mut() else {
            continue;
        };
        // A processor that names itself as its parent or sub-processor makes no chain.
        let own = p.key.clone();
        if details
            .parent
            .as_ref()
            .is_some_and(|r| processors.find(&r.text) == Some(&own))
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::SelfParent,
                    format!("`{}` names itself as its parent processor; ignored", p.name),
                )
                .at(p.origin.cell("parent"))
                .help("name the processor it works for, or leave the cell empty"),
            );
            details.parent = None;
        }
        let before = details.sub_processors.len();
        details
            .sub_processors
            .retain(|r| processors.find(&r.text) != Some(&own));
        if details.sub_processors.len() < before {
            diagnostics.push(
                Diagnostic::new(
                    Code::SelfParent,
                    format!(
                        "`{}` lists itself among its sub-processors; ignored",
                        p.name
                    ),
                )
                .at(p.origin.cell("sub_processors")),
            );
        }
        if let Some(parent) = &mut details.parent
            && !resolve(&processors, EntityRef::Processor, parent)
        {
            diagnostics.push(unknown(
                "processor",
                &parent.text,
                p.origin.cell("parent"),
                processor_names.similar_name(&parent.text),
            ));
        }
        for sub in &mut details.sub_processors {
            // Every sub-processor resolves: missing ones were created above.
            resolve(&processors, EntityRef::Processor, sub);
        }
        if details.is_empty() {
            p.details = None;
        }
    }

    for flow in &mut register.flows {
        for (field, reference) in [("from", &mut flow.from), ("to", &mut flow.to)] {
            let key = name_key(&reference.text);
            reference.target = if key == organisation_key {
                Some(EntityRef::Organisation)
            } else if let Some(k) = systems.find(&reference.text) {
                Some(EntityRef::System(k.clone()))
            } else if let Some(k) = processors.find(&reference.text) {
                Some(EntityRef::Processor(k.clone()))
            } else if let Some(k) = customers.find(&reference.text) {
                Some(EntityRef::Customer(k.clone()))
            } else if subjects.contains(&key) {
                Some(EntityRef::DataSubjects(key))
            } else {
                None
            };
            if reference.target.is_none() {
                diagnostics.push(unknown(
                    "organisation, system, processor, customer or data-subject category",
                    &reference.text,
                    flow.origin.cell(field),
                    processor_names.similar_name(&reference.text),
                ));
            }
        }
        if let Some(activity) = &mut flow.activity
            && !resolve(&activities, EntityRef::Activity, activity)
        {
            diagnostics.push(unknown(
                "activity",
                &activity.text,
                flow.origin.cell("activity"),
                None,
            ));
        }
    }

    near_duplicates(
        &processor_names,
        "processor",
        |i| register.processors[i].origin.cell("name"),
        diagnostics,
    );
    let system_names = NearIndex::new(register.systems.iter().map(|s| s.name.as_str()));
    near_duplicates(
        &system_names,
        "system",
        |i| register.systems[i].origin.cell("name"),
        diagnostics,
    );
    let customer_names = NearIndex::new(register.customers.iter().map(|c| c.name.as_str()));
    near_duplicates(
        &customer_names,
        "customer",
        |i| register.customers[i].origin.cell("name"),
        diagnostics,
    );
}

fn near_duplicates(
    index: &NearIndex,
    what: &str,
    cell: impl Fn(usize) -> Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (i, j) in index.pairs() {
        diagnostics.push(
            Diagnostic::new(
                Code::NearDuplicateName,
                format!(
                    "{what} `{}` and {what} `{}` have nearly the same name",
                    index.names[j].1, index.names[i].1
                ),
            )
            .at(cell(j))
            .related(cell(i), "the other one")
            .help("if they are the same, spell them the same; if not, make the names clearly different"),
        );
    }
}

fn implicit_sub_processor(name: &str, key: &str, parent: &Processor) -> Processor {
    Processor {
        key: key.into(),
        id: None,
        name: name.into(),
        legal_entity: None,
        service: None,
        groups: List::new(),
        country: None,
        locations: List::new(),
        data_categories: List::new(),
        role: RecipientRole::SubProcessor,
        dpa: Evidence::default(),
        transfer_mechanisms: List::new(),
        transfer_mechanism_text: None,
        dpf_certified: Tristate::Unknown,
        dpf_hr: Tristate::Unknown,
        tia: Evidence::default(),
        encryption_in_transit: Tristate::Unknown,
        encryption_at_rest: Tristate::Unknown,
        certifications: List::new(),
        retention: None,
        implicit: true,
        details: Some(Box::new(ProcessorDetails {
            parent: Some(Reference {
                text: parent.name.as_str().into(),
                target: Some(EntityRef::Processor(parent.key.clone())),
            }),
            ..ProcessorDetails::default()
        })),
        origin: Origin::new(parent.origin.cell("sub_processors")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_letter_apart_is_near() {
        let index = NearIndex::new(["Sprung", "Postmark", "Spryng", "Zendesk"]);
        assert_eq!(index.pairs(), [(0, 2)]);
        assert_eq!(index.similar("Spryng"), Some(0));
        assert_eq!(
            index.similar("Zendsek"),
            Some(3),
            "a transposition is one edit"
        );
        assert_eq!(index.similar("Salesforce"), None);
    }

    #[test]
    fn digits_and_short_names_are_not_typos() {
        let index = NearIndex::new(["Server 1", "Server 2", "AWS", "AWZ"]);
        assert!(index.pairs().is_empty());
    }

    #[test]
    fn spacing_and_punctuation_variants_are_near() {
        let index = NearIndex::new(["Google Mail", "Google-Mail", "GoogleMail"]);
        assert_eq!(index.pairs(), [(0, 1), (0, 2), (1, 2)]);
    }
}
