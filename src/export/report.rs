//! The review report: one self-contained HTML file per language (`report.html`,
//! `report.de.html`) that a reviewer opens from disk. A summary (organisation, dates, sources,
//! counts, the most serious findings), every finding linked to its rule page and showing its
//! cell, every activity as a section with a stable anchor (`#activity-…`), its Art. 30 fields,
//! recipients, transfers and diagram, every third country with its transfers, and the
//! processors and sub-processors; a provenance footer closes it.
//!
//! It reads without JavaScript; the inline script only adds filters, search and sorting. Large
//! registers keep it usable: activity sections are collapsed above
//! [`OPEN_LIMIT`] activities, diagrams are inlined only for the activities the bounded diagram
//! set draws on their own, long lists are cut, and a findings-only view hides the rest.

use super::diagrams::{Drawn, Subject};
use super::html::{self, Extras};
use super::i18n::{self, Lang, fill, text};
use super::records::{self, RecordSources};
use super::transfers::file_name;
use crate::analysis::{Status, Transfer, TransferAnalysis};
use crate::diag::{Counts, Diagnostic, Severity};
use crate::graph::FlowGraph;
use crate::model::{
    Activity, ActivityRole, CompactString, EntityRef, Location, Place, Processor, Reference,
    Register,
};
use foldhash::{HashMap, HashMapExt, HashSet};
use maud::{Markup, PreEscaped, html};
use std::collections::BTreeMap;

/// Registers with at most this many activities show their sections open; larger ones
/// collapsed, opened one at a time (the per-activity diagram limit: above it there are no
/// per-activity diagrams either).
pub const OPEN_LIMIT: usize = super::diagrams::PER_ACTIVITY_LIMIT;

/// The most findings the findings table lists: the most serious first (errors, then warnings,
/// then infos, each in the register's order); a table per rule counts every one.
pub const FINDINGS_LIMIT: usize = 2_000;

/// The most transfers a country's table lists, the worst first.
pub const TRANSFER_LIMIT: usize = 100;

/// The size a report aims to stay under: when the activities' full sections would take it
/// over (estimated from the first [`SAMPLE`] of them), they are listed as an index per
/// department instead, their Art. 30 fields left to the records workbook.
pub const SIZE_BUDGET: usize = 12 * 1024 * 1024;
const SAMPLE: usize = 50;

/// The most activities a transfer row names, the most findings the summary lists, and the
/// most processors listed open.
const LIST_LIMIT: usize = 10;
const WORST_FINDINGS: usize = 5;
const PROCESSORS_OPEN: usize = 500;
/// The size the processors table aims to stay under, a third of the report's.
const PROCESSORS_BUDGET: usize = SIZE_BUDGET / 3;

/// How the activities are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A section each, open (up to [`OPEN_LIMIT`] activities).
    Open,
    /// A section each, closed: opened one at a time.
    Collapsed,
    /// Over the [`SIZE_BUDGET`]: a row each in an index per department.
    Index,
}

/// The report's own styles, after the shared page styles.
const CSS: &str = r#"
body { max-width: 90rem; }
p.named span:target { outline: 2px solid currentColor; }
[hidden] { display: none !important; }
nav.contents ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: 0; margin: .5rem 0; }
.notices { border-color: var(--bad); color: var(--bad); margin: 1rem 0; }
.notices p { margin: .2rem 0; }
#summary h3 { margin-top: 1rem; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .5rem; margin: .5rem 0 1rem; }
.count { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; overflow-wrap: anywhere; hyphens: auto; }
.count b { display: block; font-size: 1.4rem; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0; }
.controls label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
.controls input[type=search] { min-width: 16rem; }
.controls input, .controls select, .controls button { font: inherit; color: var(--ink); }
.sev { font-weight: 600; white-space: nowrap; }
.sev-error, .st-error { color: var(--bad); } .sev-warning, .st-warning { color: var(--warn); } .sev-info { color: var(--muted); } .st-ok { color: var(--ok); }
.help { color: var(--muted); font-size: .9rem; margin-top: .2rem; }
.original { font-size: .9rem; margin-top: .2rem; }
code, .cell { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; overflow-wrap: anywhere; }
td { overflow-wrap: break-word; }
th { overflow-wrap: break-word; hyphens: auto; }
.wide { overflow-x: auto; }
td.cell { min-width: 13rem; overflow-wrap: anywhere; }
td.text { min-width: 10rem; overflow-wrap: anywhere; }
#findings-table td.text { min-width: 18rem; }
h1, h2, h3, summary, li, .help { overflow-wrap: anywhere; }
.rule { white-space: nowrap; font-size: .85rem; }
#summary .cards { grid-template-columns: repeat(auto-fill, minmax(28rem, 1fr)); }
details.list { margin: .3rem 0; }
details.list > summary { cursor: pointer; padding: .2rem 0; }
#findings-table td:first-child, #findings-table td:last-child { white-space: nowrap; }
table.dense td, table.dense th { font-size: .9rem; }
section.activity, section.country { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .6rem; break-inside: auto; }
section.activity > details > summary, section.country > h3 { padding: .5rem .75rem; }
section.activity > details > summary { cursor: pointer; }
section.activity > details > summary h3 { display: inline; font-size: 1.05rem; }
section.activity .body, section.country .body { padding: 0 .75rem .75rem; }
dl.fields { display: grid; grid-template-columns: minmax(10rem, 20rem) 1fr; gap: .25rem 1rem; margin: .25rem 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
dl.fields ul { margin: 0; padding-left: 1.1rem; }
.missing { color: var(--bad); font-style: italic; }
figure.diagram { margin: .75rem 0 0; overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: .25rem; }
figure.diagram svg { max-width: 100%; height: auto; }
th.sort { cursor: pointer; }
th.sort::after { content: " ↕"; color: var(--muted); }
th.sort[aria-sort=ascending]::after { content: " ↑"; }
th.sort[aria-sort=descending]::after { content: " ↓"; }
body.findings-only main > section:not(#summary):not(#findings) { display: none; }
:target { outline: 2px solid #0969da; outline-offset: 2px; }
@media print {
  .controls, nav.contents { display: none !important; }
  section.activity, section.country { border: none; border-top: 1px solid var(--line); border-radius: 0; }
  section.activity > details > summary { list-style: none; }
  figure.diagram { break-inside: avoid; page-break-inside: avoid; border: none; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .wide { overflow: visible; }
  td a[href^="http"]::after { content: none; }
  td.text, #findings-table td.text { min-width: 0; }
  td.cell { min-width: 9rem; }
  th.sort::after { content: none; }
  .rule, #findings-table td:last-child { white-space: normal; }
}
@page { size: A4 landscape; margin: 12mm; }
"#;

/// The report's script: filters, search, sorting, opening sections; nothing the page needs to
/// be read.
const SCRIPT: &str = r#"(function () {
  "use strict";
  var doc = document, each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var form = doc.getElementById("filters"), table = doc.getElementById("findings-table");
  if (form && table) {
    form.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var count = doc.getElementById("filter-count"), template = count.getAttribute("data-template");
    var apply = function () {
      var f = form.elements, severity = f.severity.value, rule = f.rule.value, tab = f.table.value;
      var words = f.q.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      rows.forEach(function (r, i) {
        var keep = (!severity || r.getAttribute("data-severity") === severity) &&
          (!rule || r.getAttribute("data-code") === rule) &&
          (!tab || r.getAttribute("data-table") === tab) &&
          words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        r.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = template.replace("{shown}", shown).replace("{total}", rows.length);
    };
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }
  var collator = new Intl.Collator(doc.documentElement.lang, { numeric: true, sensitivity: "base" });
  each(doc.querySelectorAll("table.sortable"), function (t) {
    var heads = t.tHead.rows[0].cells;
    each(heads, function (th, column) {
      th.className = "sort";
      th.tabIndex = 0;
      var sort = function () {
        var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
        var key = function (r) {
          var c = r.cells[column];
          return c ? (c.getAttribute("data-sort") || c.textContent.trim()) : "";
        };
        var keys = new Map(rows.map(function (r) { return [r, key(r)]; }));
        rows.sort(function (a, b) { return direction * collator.compare(keys.get(a), keys.get(b)); });
        var fragment = doc.createDocumentFragment();
        rows.forEach(function (r) { fragment.appendChild(r); });
        body.appendChild(fragment);
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
  var sections = function (open) {
    each(doc.querySelectorAll("section.activity > details"), function (d) { d.open = open; });
  };
  each(doc.querySelectorAll("[data-details]"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { sections(b.getAttribute("data-details") === "open"); });
  });
  var only = doc.getElementById("findings-only");
  if (only) {
    only.closest("label").hidden = false;
    only.addEventListener("change", function () { doc.body.classList.toggle("findings-only", only.checked); });
  }
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(doc.querySelectorAll("details:not([open])"), function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () { closed.forEach(function (d) { d.open = false; }); closed = []; });
  var reveal = function () {
    var id = decodeURIComponent(location.hash.slice(1)), target = id && doc.getElementById(id);
    if (!target) { return; }
    var details = target.querySelector("details") || target.closest("details");
    if (details) { details.open = true; }
    doc.body.classList.remove("findings-only");
    if (only) { only.checked = false; }
    target.scrollIntoView();
  };
  window.addEventListener("hashchange", reveal);
  reveal();
})();
"#;

/// What the report is made from.
pub struct ReportSources<'a> {
    pub register: &'a Register,
    pub graph: &'a FlowGraph,
    pub analysis: &'a TransferAnalysis,
    /// The import diagnostics and rule findings, levels applied, in their stable order.
    pub findings: &'a [Diagnostic],
    /// The run's diagrams: an activity's own is inlined, the others are linked.
    pub diagrams: &'a [Drawn],
}

/// A row of an input table: its file and sheet (numbered in [`Context::places`]) and row.
type RowAt = (u32, u32);

/// Stable, unique fragment ids: the prefix and the key folded to ASCII words
/// (`activity-payroll`), with a number after the words when an earlier key took them. The
/// activities and processors with an anchor are kept by key, and only the ids that are not
/// their key's first choice: the others are made again when asked for (a large register's
/// 150,000 ids took 14 MB kept).
#[derive(Default)]
struct Anchors<'a> {
    activities: HashSet<&'a str>,
    processors: HashSet<&'a str>,
    /// The ids of activities and processors that are not their first choice, by prefix and key.
    numbered: HashMap<(&'static str, &'a str), CompactString>,
    countries: HashMap<&'a str, CompactString>,
}

impl<'a> Anchors<'a> {
    fn activity(&self, key: &str) -> Option<CompactString> {
        self.id(&self.activities, "activity", key)
    }

    fn processor(&self, key: &str) -> Option<CompactString> {
        self.id(&self.processors, "processor", key)
    }

    fn id(&self, keys: &HashSet<&str>, prefix: &'static str, key: &str) -> Option<CompactString> {
        let key = keys.get(key)?;
        Some(match self.numbered.get(&(prefix, *key)) {
            Some(id) => id.clone(),
            None => Anchors::first_choice(prefix, key),
        })
    }

    fn country(&self, code: &str) -> Option<&str> {
        self.countries.get(code).map(CompactString::as_str)
    }

    /// The id `key` gets unless an earlier key took it.
    fn first_choice(prefix: &str, key: &str) -> CompactString {
        let folded = crate::model::key::fold(key);
        let slug: String = folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
            .chars()
            .take(60)
            .collect();
        let slug = if slug.is_empty() {
            "unnamed".to_string()
        } else {
            slug.trim_end_matches('-').to_string()
        };
        compact_str::format_compact!("{prefix}-{slug}")
    }

    /// A new id for `key`, unique among those `used`, and whether it is the first choice.
    fn make(used: &mut HashSet<CompactString>, prefix: &str, key: &str) -> (CompactString, bool) {
        let base = Anchors::first_choice(prefix, key);
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = compact_str::format_compact!("{base}-{n}");
            n += 1;
        }
        let first = n == 2;
        (id, first)
    }

    fn new(sources: &'a ReportSources<'a>) -> Self {
        let mut anchors = Anchors::default();
        // The ids given so far: needed only while they are made.
        let mut used: HashSet<CompactString> = [
            "summary",
            "findings",
            "activities",
            "countries",
            "processors",
        ]
        .into_iter()
        .map(CompactString::from)
        .collect();
        let mut add = |keys: &mut HashSet<&'a str>, prefix: &'static str, key: &'a str| {
            let (id, first) = Anchors::make(&mut used, prefix, key);
            keys.insert(key);
            // A key met again takes its new id, as it would written over in a map of them all.
            if first {
                anchors.numbered.remove(&(prefix, key));
            } else {
                anchors.numbered.insert((prefix, key), id);
            }
        };
        let mut activities = HashSet::default();
        for a in &sources.register.activities {
            add(&mut activities, "activity", a.key.as_str());
        }
        let mut processors = HashSet::default();
        for p in &sources.register.processors {
            add(&mut processors, "processor", p.key.as_str());
        }
        anchors.activities = activities;
        anchors.processors = processors;
        for t in &sources.analysis.transfers {
            if !anchors.countries.contains_key(t.country.as_str()) {
                let (id, _) = Anchors::make(&mut used, "country", &t.country);
                anchors.countries.insert(t.country.as_str(), id);
            }
        }
        anchors
    }
}

/// Everything a section needs, computed once.
struct Context<'a> {
    sources: &'a ReportSources<'a>,
    lang: Lang,
    anchors: Anchors<'a>,
    records: &'a records::Context<'a>,
    /// Findings at rows of the register: (place, row, finding number), sorted. One list of
    /// numbers, not a map of lists: a large register has a finding on most of its rows.
    findings_at: Vec<(RowAt, u32)>,
    /// The files and sheets findings lie in, numbered.
    places: HashMap<(&'a str, Option<&'a str>), u32>,
    /// The table each input table's place holds.
    tables: HashMap<(&'a str, Option<&'a str>), crate::model::TableKind>,
    /// The transfers into each country, in the analysis's order.
    by_country: BTreeMap<&'a str, Vec<&'a Transfer>>,
    /// The third countries each importer receives data in: (importer key, country), by key,
    /// each importer's countries in the analysis's order. A sorted list, not a map of lists:
    /// a large register has tens of thousands of importers with a country or two each.
    countries_of: Vec<(&'a str, &'a str)>,
    /// Whether each finding (by number, from 1) is listed in the findings table.
    listed: Vec<bool>,
}

fn t(lang: Lang, key: &str) -> String {
    text(lang, key)
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::NoTransfer => "st-none",
        Status::Ok => "st-ok",
        Status::Warning => "st-warning",
        Status::Error => "st-error",
    }
}

impl<'a> Context<'a> {
    fn new(sources: &'a ReportSources<'a>, records: &'a records::Context<'a>, lang: Lang) -> Self {
        let register = sources.register;
        let mut places: HashMap<(&str, Option<&str>), u32> = HashMap::new();
        let mut findings_at: Vec<(RowAt, u32)> = Vec::new();
        for (i, d) in sources.findings.iter().enumerate() {
            if let Some(l) = &d.location
                && let Some(row) = l.row
            {
                let next = places.len() as u32;
                let place = *places.entry((l.file(), l.sheet())).or_insert(next);
                findings_at.push(((place, row), i as u32 + 1));
            }
        }
        findings_at.sort_unstable();
        findings_at.shrink_to_fit();
        let mut by_country: BTreeMap<&str, Vec<&Transfer>> = BTreeMap::new();
        let mut countries_of: Vec<(&str, &str)> = Vec::new();
        for tr in &sources.analysis.transfers {
            by_country.entry(tr.country.as_str()).or_default().push(tr);
            countries_of.push((tr.importer.key.as_str(), tr.country.as_str()));
        }
        // Stable: each importer's countries stay in the analysis's order, then each is kept
        // once (an importer's list is short).
        countries_of.sort_by_key(|(importer, _)| *importer);
        let mut kept = 0;
        for i in 0..countries_of.len() {
            let (importer, country) = countries_of[i];
            let group = countries_of[..kept].partition_point(|(other, _)| *other < importer);
            if !countries_of[group..kept].iter().any(|(_, c)| *c == country) {
                countries_of[kept] = (importer, country);
                kept += 1;
            }
        }
        countries_of.truncate(kept);
        countries_of.shrink_to_fit();
        let mut by_severity: Vec<usize> = (0..sources.findings.len()).collect();
        by_severity.sort_by_key(|&i| (sources.findings[i].severity, i));
        let mut listed = vec![false; sources.findings.len() + 1];
        for i in by_severity.into_iter().take(FINDINGS_LIMIT) {
            listed[i + 1] = true;
        }
        Context {
            listed,
            sources,
            lang,
            anchors: Anchors::new(sources),
            records,
            findings_at,
            places,
            tables: register
                .tables
                .iter()
                .map(|s| ((s.location.file(), s.location.sheet()), s.kind))
                .collect(),
            by_country,
            countries_of,
        }
    }

    fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }

    /// A finding's message: ropa writes messages in English, so in another language the
    /// rule's summary leads and the message follows, marked as English.
    fn finding_text(&self, d: &Diagnostic) -> Markup {
        if self.lang == Lang::En {
            return html! { (d.message) };
        }
        html! {
            (crate::i18n::rule_summary(self.lang, d.code))
            div.original lang="en" title=(self.t("report.original_message")) { (d.message) }
        }
    }

    /// What separates a label from its value in the report's language (`: `, French ` : `).
    fn colon(&self) -> String {
        crate::i18n::colon(self.lang)
    }

    /// A processor's name, linked to its row.
    fn processor_link(&self, key: &str, name: &str) -> Markup {
        match self.anchors.processor(key) {
            Some(id) => html! { a href={ "#" (id) } { (name) } },
            None => html! { (name) },
        }
    }

    /// A reference to another entity: linked when it names a processor or an activity.
    fn reference(&self, r: &Reference) -> Markup {
        match &r.target {
            Some(EntityRef::Processor(key)) => self.processor_link(key, &r.text),
            Some(EntityRef::Activity(key)) => self.activity_link(key, &r.text),
            _ => html! { (r.text) },
        }
    }

    fn activity_link(&self, key: &str, name: &str) -> Markup {
        match self.anchors.activity(key) {
            Some(id) => html! { a href={ "#" (id) } { (name) } },
            None => html! { (name) },
        }
    }

    fn country_link(&self, code: &str, name: &str) -> Markup {
        match self.anchors.country(code) {
            Some(id) => html! { a href={ "#" (id) } { (name) " (" (code) ")" } },
            None => html! { (name) " (" (code) ")" },
        }
    }

    fn places(&self, places: &[Place]) -> String {
        if places.is_empty() {
            return self.t("tristate.unknown");
        }
        places
            .iter()
            .map(|p| i18n::place(self.lang, p))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The table a location lies in, as a filter key and a label.
    fn table_of(&self, location: Option<&Location>) -> (String, String) {
        let Some(l) = location else {
            return ("register".to_string(), self.t("report.table.register"));
        };
        match self.tables.get(&(l.file(), l.sheet())) {
            Some(kind) => (
                kind.name().to_string(),
                self.t(&format!("report.table.{}", kind.name())),
            ),
            None => {
                let name = l.sheet().unwrap_or(l.file()).to_string();
                (format!("other:{name}"), name)
            }
        }
    }

    fn severity(&self, severity: Severity) -> String {
        self.t(&format!("severity.{severity}"))
    }

    /// The findings at an activity's row, each with its number.
    fn findings_here(&self, a: &'a Activity) -> &[(RowAt, u32)] {
        let row = &a.origin.row;
        let (Some(r), Some(&place)) = (row.row, self.places.get(&(row.file(), row.sheet()))) else {
            return &[];
        };
        let here = (place, r);
        let start = self.findings_at.partition_point(|(at, _)| *at < here);
        let end = start + self.findings_at[start..].partition_point(|(at, _)| *at == here);
        &self.findings_at[start..end]
    }

    /// The third countries an importer receives data in, in the analysis's order.
    fn countries_of(&self, importer: &str) -> Vec<&'a str> {
        let start = self
            .countries_of
            .partition_point(|(key, _)| *key < importer);
        self.countries_of[start..]
            .iter()
            .take_while(|(key, _)| *key == importer)
            .map(|(_, country)| *country)
            .collect()
    }

    /// A finding's code, linked to its row when the table lists it.
    fn finding_link(&self, n: usize) -> Markup {
        let d = &self.sources.findings[n - 1];
        if self.listed.get(n).copied().unwrap_or(false) {
            html! { a href={ "#finding-" (n) } class={ "sev-" (d.severity) } { (d.code) } }
        } else {
            html! { span class={ "sev-" (d.severity) } { (d.code) } }
        }
    }

    fn status(&self, status: Status) -> Markup {
        html! { span class=(status_class(status)) { (i18n::status(self.lang, status)) } }
    }
}

/// A value, or the "not recorded" mark for a required field left empty.
fn required(lang: Lang, value: Option<Markup>) -> Markup {
    match value {
        Some(v) => v,
        None => html! { span.missing { (t(lang, "records.not_recorded")) } },
    }
}

fn list<T>(items: &[T], item: impl Fn(&T) -> Markup) -> Option<Markup> {
    match items {
        [] => None,
        [one] => Some(item(one)),
        _ => Some(html! { ul { @for i in items { li { (item(i)) } } } }),
    }
}

/// Items of text, one per list entry.
fn words<T: AsRef<str>>(items: &[T]) -> Option<Markup> {
    list(items, |s| html! { (s.as_ref()) })
}

fn header(cx: &Context) -> Markup {
    let a = cx.sources.analysis;
    let lang = cx.lang;
    html! {
        header {
            h1 { (fill(cx.t("report.title"), &[("organisation", &cx.sources.register.organisation.name)])) }
            p.meta {
                (cx.t("meta.as_of")) " " (a.as_of) " · " (cx.t("meta.reference")) " " (a.reference_as_of)
            }
            @if !a.notices.is_empty() {
                div.box.notices role="alert" {
                    @for n in &a.notices { p { (i18n::notice(lang, n)) } }
                }
            }
            nav.contents aria-label=(cx.t("report.contents")) {
                ul {
                    li { a href="#summary" { (cx.t("report.summary")) } }
                    li { a href="#findings" { (cx.t("cover.findings")) " (" (cx.sources.findings.len()) ")" } }
                    li { a href="#activities" { (cx.t("cover.activities")) " (" (cx.sources.register.activities.len()) ")" } }
                    li { a href="#countries" { (cx.t("report.third_countries")) " (" (cx.by_country.len()) ")" } }
                    li { a href="#processors" { (cx.t("report.processors")) " (" (cx.sources.register.processors.len()) ")" } }
                }
            }
            div.controls {
                label hidden {
                    span { input #findings-only type="checkbox"; " " (cx.t("report.findings_only")) }
                }
            }
        }
    }
}

fn summary(cx: &Context) -> Markup {
    let register = cx.sources.register;
    let o = &register.organisation;
    let lang = cx.lang;
    let counts = Counts::of(cx.sources.findings);
    let controller = register
        .activities
        .iter()
        .filter(|a| a.role == ActivityRole::Controller)
        .count();
    let subs = register
        .processors
        .iter()
        .filter(|p| {
            p.details().parent.is_some() || p.role == crate::model::RecipientRole::SubProcessor
        })
        .count();
    let mut worst: Vec<(usize, &Diagnostic)> = cx.sources.findings.iter().enumerate().collect();
    worst.sort_by_key(|(i, d)| (d.severity, *i));
    worst.truncate(WORST_FINDINGS);
    let number = |label: String, n: usize, note: Option<String>| {
        html! {
            div.count {
                b { (n) }
                (label)
                @if let Some(note) = note { br; span.muted { (note) } }
            }
        }
    };
    let fields: Vec<(String, Option<String>)> = vec![
        (cx.t("cover.name"), Some(o.name.clone())),
        (
            cx.t("cover.role"),
            Some(records::organisation_role(lang, o.role)),
        ),
        (cx.t("cover.address"), o.address.clone()),
        (
            cx.t("cover.country"),
            o.country.as_ref().map(|p| i18n::place(lang, p)),
        ),
        (cx.t("cover.email"), o.email.clone()),
        (cx.t("cover.dpo"), o.dpo.clone()),
        (cx.t("cover.representative"), o.representative.clone()),
    ];
    html! {
        section #summary {
            h2 { (cx.t("report.summary")) }
            div.cards {
                div.card {
                    h3 { (cx.t("meta.organisation")) }
                    dl {
                        @for (label, value) in &fields {
                            @if let Some(value) = value {
                                dt { (label) } dd { (html::contact(value)) }
                            }
                        }
                    }
                }
                div.card {
                    h3 { (cx.t("report.evaluation")) }
                    dl {
                        dt { (cx.t("meta.as_of")) } dd { (cx.sources.analysis.as_of) }
                        dt { (cx.t("meta.reference")) } dd { (cx.sources.analysis.reference_as_of) }
                        dt { (cx.t("cover.sources")) }
                        dd { @for (i, s) in register.sources.iter().enumerate() { @if i > 0 { br; } code { (s) } } }
                    }
                }
            }
            h3 { (cx.t("report.counts")) }
            div.counts {
                (number(cx.t("cover.activities"), register.activities.len(),
                    Some(fill(cx.t("report.as_controller"), &[("count", &controller.to_string())]))))
                (number(cx.t("col.systems"), register.systems.len(), None))
                (number(cx.t("report.processors"), register.processors.len(),
                    Some(fill(cx.t("report.sub_processors"), &[("count", &subs.to_string())]))))
                (number(cx.t("report.customers"), register.customers.len(), None))
                (number(cx.t("cover.transfers"), cx.sources.analysis.transfers.len(), None))
                (number(cx.t("report.third_countries"), cx.by_country.len(), None))
                (number(cx.t("report.errors"), counts.errors, None))
                (number(cx.t("report.warnings"), counts.warnings, None))
                (number(cx.t("report.infos"), counts.infos, None))
            }
            h3 { (cx.t("report.worst_findings")) }
            @if worst.is_empty() {
                p { (cx.t("report.no_findings")) }
            } @else {
                ol {
                    @for (i, d) in &worst {
                        li {
                            span class={ "sev sev-" (d.severity) } { (cx.severity(d.severity)) }
                            " " a href={ "#finding-" (i + 1) } { (d.code) } " " (cx.finding_text(d))
                        }
                    }
                }
            }
        }
    }
}

fn findings(cx: &Context) -> Markup {
    let lang = cx.lang;
    let all = cx.sources.findings;
    let mut severities: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut rules: BTreeMap<crate::diag::Code, usize> = BTreeMap::new();
    let mut tables: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut per_rule: BTreeMap<crate::diag::Code, Counts> = BTreeMap::new();
    for d in all {
        per_rule.entry(d.code).or_default().add(d.severity);
    }
    let rows: Vec<(usize, &Diagnostic, (String, String))> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| cx.listed[i + 1])
        .map(|(i, d)| {
            *severities.entry(d.severity).or_default() += 1;
            *rules.entry(d.code).or_default() += 1;
            let table = cx.table_of(d.location.as_ref());
            tables
                .entry(table.0.clone())
                .or_insert((table.1.clone(), 0))
                .1 += 1;
            (i + 1, d, table)
        })
        .collect();
    html! {
        section #findings {
            h2 { (cx.t("cover.findings")) " (" (all.len()) ")" }
            @if all.is_empty() {
                p { (cx.t("report.no_findings")) }
            } @else {
                p.muted { (cx.t("report.findings_intro")) }
                @if rows.len() < all.len() {
                    div.box {
                        p { (fill(cx.t("report.findings_capped"), &[("shown", &rows.len().to_string()), ("total", &all.len().to_string())])) }
                        table.dense {
                            thead { tr {
                                th { (cx.t("report.filter.rule")) }
                                th { (cx.t("report.errors")) }
                                th { (cx.t("report.warnings")) }
                                th { (cx.t("report.infos")) }
                            } }
                            tbody {
                                @for (code, c) in &per_rule {
                                    tr {
                                        td { a href=(crate::diag::help_uri(*code)) { (code) } " " (code.name()) }
                                        td { (c.errors) } td { (c.warnings) } td { (c.infos) }
                                    }
                                }
                            }
                        }
                    }
                }
                form #filters .controls hidden role="search" {
                    label { (cx.t("col.severity"))
                        select name="severity" {
                            option value="" { (cx.t("report.filter.all")) }
                            @for (severity, n) in &severities {
                                option value=(severity) { (cx.severity(*severity)) " (" (n) ")" }
                            }
                        }
                    }
                    label { (cx.t("report.filter.rule"))
                        select name="rule" {
                            option value="" { (cx.t("report.filter.all")) }
                            @for (code, n) in &rules {
                                option value=(code) { (code) " " (code.name()) " (" (n) ")" }
                            }
                        }
                    }
                    label { (cx.t("report.filter.table"))
                        select name="table" {
                            option value="" { (cx.t("report.filter.all")) }
                            @for (key, (label, n)) in &tables {
                                option value=(key) { (label) " (" (n) ")" }
                            }
                        }
                    }
                    label { (cx.t("report.filter.search"))
                        input type="search" name="q" autocomplete="off";
                    }
                    output #filter-count aria-live="polite" data-template=(cx.t("report.filter.shown")) {}
                }
                div.wide { table #findings-table .sortable.dense {
                    thead { tr {
                        th { "#" }
                        th { (cx.t("col.severity")) }
                        th { (cx.t("report.filter.rule")) }
                        th { (cx.t("col.message")) }
                        th { (cx.t("report.col.cell")) }
                        th { (cx.t("report.filter.table")) }
                    } }
                    tbody {
                        @for (n, d, (table_key, table_label)) in &rows {
                            tr id={ "finding-" (n) } data-severity=(d.severity) data-code=(d.code) data-table=(table_key) {
                                td data-sort=(format!("{n:06}")) { (n) }
                                td data-sort=(d.severity as u8 + 1) {
                                    span class={ "sev sev-" (d.severity) } { (cx.severity(d.severity)) }
                                }
                                td {
                                    a href=(crate::diag::help_uri(d.code)) title=(cx.t("report.rule_page")) { (d.code) }
                                    br; span.muted.rule { (d.code.name()) }
                                }
                                td.text {
                                    (cx.finding_text(d))
                                    @if let Some(help) = &d.help { div.help { (help) } }
                                    @for r in &d.related {
                                        div.help { (r.message) ": " span.cell { (r.location.to_string()) } }
                                    }
                                }
                                td.cell data-sort=(location_sort(d.location.as_ref())) {
                                    @if let Some(l) = &d.location { (l.to_string()) }
                                }
                                td { (table_label) }
                            }
                        }
                    }
                } }
                p.muted { (fill(t(lang, "report.rules_docs"), &[("url", &format!("{}/blob/main/docs/rules/README.md", crate::diag::HOMEPAGE))])) }
            }
        }
    }
}

/// A location as a sort key: file, sheet, then row and column as numbers.
fn location_sort(location: Option<&Location>) -> String {
    match location {
        Some(l) => format!(
            "{} {} {:08} {:05}",
            l.file(),
            l.sheet().unwrap_or_default(),
            l.row.unwrap_or(0),
            l.column.unwrap_or(0)
        ),
        None => String::new(),
    }
}

/// The Art. 30 fields of one activity, its recipients, transfers and diagram.
fn activity(cx: &Context, a: &Activity, open: bool, diagram: &ActivityDiagram) -> Markup {
    let lang = cx.lang;
    let parties = cx.records.parties(a);
    let worst = parties
        .iter()
        .flat_map(|p| &p.transfers)
        .map(|t| t.status)
        .max();
    let processor = a.role == ActivityRole::Processor;
    let id = cx.anchors.activity(&a.key).unwrap_or_default();
    let text_or = |value: Option<&str>| value.map(|v| html! { (v) });
    let recipients = {
        let mut items: Vec<Markup> = parties
            .iter()
            .map(|p| {
                html! {
                    (cx.processor_link(p.key, p.name)) " (" (cx.places(p.places)) ")"
                    @if let Some(role) = p.role { " – " (records::recipient_role(lang, role)) }
                    @if let Some(via) = p.via { ", " (cx.t("records.via")) " " (via) }
                }
            })
            .collect();
        items.extend(
            a.details()
                .recipient_categories
                .iter()
                .map(|c| html! { (c) }),
        );
        list(&items, |m| m.clone()).unwrap_or_else(|| html! { (cx.t("records.none")) })
    };
    let transfers = {
        let mut items: Vec<Markup> = parties
            .iter()
            .flat_map(|p| p.transfers.iter().map(move |t| (p, t)))
            .map(|(p, t)| {
                html! {
                    (cx.country_link(&t.country, &t.country_name)) (cx.colon())
                    (cx.processor_link(p.key, p.name)) " – "
                    (t.assessment.mechanism.map(|m| i18n::mechanism(lang, m)).unwrap_or_else(|| cx.t("none")))
                    " – " (cx.status(t.status))
                }
            })
            .collect();
        if let Some(stated) = records::stated_transfers(lang, a, i18n::place) {
            items.push(html! { (stated) });
        }
        list(&items, |m| m.clone()).unwrap_or_else(|| html! { (cx.t("records.no_transfers")) })
    };
    let categories: Vec<String> = a
        .data_categories
        .iter()
        .map(|c| i18n::category(lang, c))
        .collect();
    let special: Vec<String> = a
        .details()
        .special_categories
        .iter()
        .map(|s| records::special_text(lang, s))
        .collect();
    let legal_basis: Vec<String> = a
        .legal_basis
        .iter()
        .map(|b| i18n::legal_basis(lang, *b))
        .collect();
    let mut fields: Vec<(String, Markup)> = Vec::new();
    let mut field = |label: String, value: Markup| fields.push((label, value));
    if let Some(id) = &a.id {
        field(cx.t("col.id"), html! { (id) });
    }
    field(
        cx.t("cover.role"),
        html! { (records::organisation_role(lang, if processor { crate::model::OrganisationRole::Processor } else { crate::model::OrganisationRole::Controller })) },
    );
    if processor {
        let controllers = if a.all_controllers {
            Some(
                html! { (fill(cx.t("report.all_customers"), &[("count", &cx.sources.register.customers.len().to_string())])) },
            )
        } else {
            list(&a.controllers, |r| html! { (r.text) })
        };
        field(
            cx.t("report.field.controllers"),
            required(lang, controllers),
        );
        field(
            cx.t("art30.2b"),
            required(lang, text_or(a.purpose.as_deref())),
        );
    } else {
        if let Some(joint) = &a.details().joint_controllers {
            field(cx.t("report.field.joint"), html! { (joint) });
        }
        field(
            cx.t("art30.1b"),
            required(lang, text_or(a.purpose.as_deref())),
        );
        field(
            cx.t("col.legal_basis"),
            required(
                lang,
                words(&legal_basis).or_else(|| text_or(a.legal_basis_text.as_deref())),
            ),
        );
        field(
            cx.t("art30.1c_subjects"),
            required(lang, words(&a.data_subjects)),
        );
    }
    field(
        cx.t("art30.1c_data"),
        if processor {
            words(&categories).unwrap_or_else(|| html! { (cx.t("records.none")) })
        } else {
            required(lang, words(&categories))
        },
    );
    if !special.is_empty() {
        field(cx.t("col.special"), words(&special).unwrap_or_default());
        field(
            cx.t("col.art9"),
            required(lang, records::art9_text(lang, a).map(|s| html! { (s) })),
        );
    }
    field(
        cx.t(if processor {
            "report.field.sub_processors"
        } else {
            "report.field.recipients"
        }),
        recipients,
    );
    field(
        cx.t(if processor {
            "report.field.transfers_processor"
        } else {
            "report.field.transfers"
        }),
        transfers,
    );
    if !processor {
        field(
            cx.t("art30.1f"),
            required(lang, text_or(a.retention.as_deref())),
        );
    }
    field(
        cx.t(if processor { "art30.2d" } else { "art30.1g" }),
        required(lang, text_or(a.security.as_deref())),
    );
    if !a.systems.is_empty() {
        field(
            cx.t("col.systems"),
            list(&a.systems, |r| html! { (r.text) }).unwrap_or_default(),
        );
    }
    for (key, value) in [
        ("col.department", a.department.as_deref()),
        ("col.source", a.details().source.as_deref()),
        ("col.dpia", a.details().dpia.as_deref()),
    ] {
        if let Some(value) = value {
            field(cx.t(key), html! { (value) });
        }
    }
    for (key, value) in &a.details().extra {
        field(key.clone(), html! { (value) });
    }
    let row = &a.origin.row;
    field(
        cx.t("report.col.row"),
        html! { span.cell { (row.to_string()) } },
    );
    let here = cx.findings_here(a);
    if !here.is_empty() {
        field(
            cx.t("cover.findings"),
            html! {
                @for (i, (_, n)) in here.iter().enumerate() {
                    @if i > 0 { ", " }
                    (cx.finding_link(*n as usize))
                }
            },
        );
    }
    html! {
        section.activity id=(id) {
            details open[open] {
                summary {
                    h3 { (a.name) }
                    @if let Some(status) = worst { " " span class={ "badge " (status_class(status)) } { (i18n::status(lang, status)) } }
                    @if !here.is_empty() { " " span.badge.muted { (cx.t("cover.findings")) (cx.colon()) (here.len()) } }
                    @if let Some(d) = &a.department { " " span.muted { (d) } }
                }
                div.body {
                    dl.fields {
                        @for (label, value) in &fields { dt { (label) } dd { (value) } }
                    }
                    (diagram_markup(cx, diagram))
                }
            }
        }
    }
}

/// What the report shows of an activity's diagram.
enum ActivityDiagram<'d> {
    /// Its own, inlined (the sanitised SVG).
    Inline(String),
    /// Drawn with others (its department's), in this file.
    File(&'d str),
    None,
}

fn diagram_markup(cx: &Context, diagram: &ActivityDiagram) -> Markup {
    match diagram {
        ActivityDiagram::Inline(svg) => html! {
            figure.diagram { (PreEscaped(svg)) }
        },
        ActivityDiagram::File(name) => html! {
            p.muted { (cx.t("report.diagram_in")) " " a href={ "diagrams/" (name) ".svg" } { "diagrams/" (name) ".svg" } }
        },
        ActivityDiagram::None => html! {
            p.muted { (cx.t("report.diagram_none")) }
        },
    }
}

/// Each wanted activity's diagram: its own drawn one inlined, else the file of the diagram it
/// is drawn in. Only the activities asked for: a department's diagram names every member, and
/// a large register's index needs the file for one member of each department.
fn activity_diagrams<'d>(
    sources: &ReportSources<'d>,
    wanted: impl Fn(&str) -> bool,
) -> HashMap<&'d str, ActivityDiagram<'d>> {
    let mut out = HashMap::new();
    for (i, d) in sources.diagrams.iter().enumerate() {
        match &d.subject {
            Subject::Activity(key) if wanted(key) => {
                let shown = match &d.drawing {
                    Some(drawing) => html::inline_svg(&drawing.svg, &format!("d{}-", i + 1))
                        .map(ActivityDiagram::Inline)
                        .unwrap_or(ActivityDiagram::File(&d.name)),
                    None => ActivityDiagram::File(&d.name),
                };
                out.insert(key.as_str(), shown);
            }
            Subject::Department(keys) => {
                for key in keys.iter().filter(|key| wanted(key)) {
                    out.entry(key.as_str())
                        .or_insert(ActivityDiagram::File(&d.name));
                }
            }
            Subject::Activity(_) | Subject::Overview | Subject::Countries(_) => {}
        }
    }
    out
}

/// The activities' full sections, open or closed, one part each.
fn activity_sections<'c>(
    cx: &'c Context<'c>,
    activities: &'c [Activity],
    open: bool,
) -> impl Iterator<Item = Markup> + 'c {
    let wanted: HashSet<&str> = activities.iter().map(|a| a.key.as_str()).collect();
    let mut diagrams = activity_diagrams(cx.sources, |key| wanted.contains(key));
    activities.iter().map(move |a| {
        let diagram = diagrams
            .remove(a.key.as_str())
            .unwrap_or(ActivityDiagram::None);
        activity(cx, a, open, &diagram)
    })
}

/// Which activities get a row in the index: the most serious (worst transfer, then most
/// findings, then register order), as many as `budget` bytes hold.
fn index_rows(cx: &Context, budget: usize) -> Vec<bool> {
    use rayon::prelude::*;
    let lang = cx.lang;
    let all = &cx.sources.register.activities;
    // Each activity's key found once, not at every comparison of the sort.
    let mut keys: Vec<_> = all
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            (
                std::cmp::Reverse(worst_transfer(cx, a)),
                std::cmp::Reverse(cx.findings_here(a).len()),
                i,
            )
        })
        .collect();
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|(_, _, i)| i).collect();
    with_rows(
        &order,
        budget,
        |i| index_row(cx, &all[i], lang).into_string().len(),
        |i| all[i].name.len() + all[i].key.len() + 40,
    )
}

/// The activities as an index: per department (closed), a row each with its anchor, the
/// third countries its data reaches, its worst transfer, its findings and its row, for the
/// activities `has_row` marks; the others are named under their department, each with its
/// anchor, so that every link to an activity still leads to it. In parts: a department's
/// frame, then each row, then each name.
fn activity_index<'c>(
    cx: &'c Context<'c>,
    has_row: Vec<bool>,
) -> impl Iterator<Item = Markup> + 'c {
    let lang = cx.lang;
    let all = &cx.sources.register.activities;
    let mut departments: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in all.iter().enumerate() {
        let department = a.department.as_deref().map(str::trim).unwrap_or_default();
        departments.entry(department).or_default().push(i);
    }
    let firsts: HashSet<&str> = departments
        .values()
        .filter_map(|members| members.first())
        .map(|&i| all[i].key.as_str())
        .collect();
    let diagrams = activity_diagrams(cx.sources, |key| firsts.contains(key));
    let records_file = file_name("records-of-processing", "xlsx", lang);
    departments.into_iter().flat_map(move |(department, members)| {
        let (with_row, named): (Vec<usize>, Vec<usize>) =
            members.iter().partition(|&&i| has_row[i]);
        let note = fill(
            cx.t("report.index_more"),
            &[
                ("count", &named.len().to_string()),
                ("file", &records_file),
            ],
        );
        // The department as one `html!` around its rows and names writes it: rendered with a
        // mark where the rows go and one where the names go, and cut at the marks.
        let frame = html! {
            details.list {
                summary {
                    @if department.is_empty() { (cx.t("report.no_department")) } @else { (department) }
                    " (" (members.len()) ")"
                    @if let Some(ActivityDiagram::File(name)) = members.first().and_then(|&i| diagrams.get(all[i].key.as_str())) {
                        " · " a href={ "diagrams/" (name) ".svg" } { "diagrams/" (name) ".svg" }
                    }
                }
                @if !with_row.is_empty() {
                    div.wide { table.sortable.dense {
                        thead { tr {
                            th { (cx.t("col.activity")) }
                            th { (cx.t("col.id")) }
                            th { (cx.t("cover.role")) }
                            th { (cx.t("report.third_countries")) }
                            th { (cx.t("col.status")) }
                            th { (cx.t("cover.findings")) }
                            th { (cx.t("report.col.row")) }
                        } }
                        tbody { (html::MARK) }
                    } }
                }
                @if !named.is_empty() {
                    p.muted { (note) }
                    p.named { (html::MARK) }
                }
            }
        }
        .into_string();
        // The department is its head, rows, what lies between, names and tail.
        let marks = usize::from(!with_row.is_empty()) + usize::from(!named.is_empty());
        let mut pieces = html::cut_at_marks(&frame, marks).into_iter();
        let head = pieces.next().unwrap_or_default();
        let tail = pieces.next_back().unwrap_or_default();
        let between = pieces.next().unwrap_or_default();
        let rows = with_row.into_iter().map(move |i| index_row(cx, &all[i], lang));
        let names = named.into_iter().enumerate().map(move |(n, i)| {
            let a = &all[i];
            named_item(n, cx.anchors.activity(&a.key), &a.name)
        });
        std::iter::once(PreEscaped(head))
            .chain(rows)
            .chain(std::iter::once(PreEscaped(between)))
            .chain(names)
            .chain(std::iter::once(PreEscaped(tail)))
    })
}

/// Which items get a row within `budget` bytes: the first of `order` (most serious first),
/// as many as fit once every other item is named (`named_size`), with rows the size of the
/// first [`SAMPLE`] (`row_size`).
fn with_rows(
    order: &[usize],
    budget: usize,
    row_size: impl Fn(usize) -> usize,
    named_size: impl Fn(usize) -> usize,
) -> Vec<bool> {
    let n = order.len();
    let sample = &order[..SAMPLE.min(n)];
    let row = sample.iter().map(|&i| row_size(i)).sum::<usize>() / sample.len().max(1);
    let named_total: usize = (0..n).map(named_size).sum();
    let named = named_total / n.max(1);
    let rows = if row * n <= budget {
        n
    } else {
        budget.saturating_sub(named_total) / row.saturating_sub(named).max(1)
    };
    let mut has_row = vec![false; n];
    for &i in order.iter().take(rows) {
        has_row[i] = true;
    }
    has_row
}

/// The items a table has no row for, by name, each with its anchor (`(anchor, name)`), after
/// a note saying where they are; nothing when there are none.
fn named_without_rows<'n>(
    note: &str,
    items: impl ExactSizeIterator<Item = (Option<CompactString>, &'n str)>,
) -> Markup {
    if items.len() == 0 {
        return html! {};
    }
    html! {
        p.muted { (note) }
        p.named {
            @for (n, (anchor, name)) in items.enumerate() {
                (named_item(n, anchor, name))
            }
        }
    }
}

/// One of a list of names, with its anchor, after a comma from the second on.
fn named_item(n: usize, anchor: Option<CompactString>, name: &str) -> Markup {
    html! {
        @if n > 0 { ", " }
        span id=[anchor] { (name) }
    }
}

/// The worst status of the transfers an activity's data takes, if any.
fn worst_transfer(cx: &Context, a: &Activity) -> Option<Status> {
    cx.records
        .parties(a)
        .iter()
        .flat_map(|p| &p.transfers)
        .map(|t| t.status)
        .max()
}

fn index_row(cx: &Context, a: &Activity, lang: Lang) -> Markup {
    let parties = cx.records.parties(a);
    let mut countries: Vec<(&str, &str)> = Vec::new();
    let mut worst = None;
    for t in parties.iter().flat_map(|p| &p.transfers) {
        worst = worst.max(Some(t.status));
        if !countries.iter().any(|(c, _)| *c == t.country) {
            countries.push((&t.country, &t.country_name));
        }
    }
    let here = cx.findings_here(a);
    let id = cx.anchors.activity(&a.key).unwrap_or_default();
    let role = if a.role == ActivityRole::Processor {
        crate::model::OrganisationRole::Processor
    } else {
        crate::model::OrganisationRole::Controller
    };
    html! {
        tr id=(id) {
            td.text { (a.name) }
            td { (a.id.as_deref().unwrap_or_default()) }
            td { (records::organisation_role(lang, role)) }
            td {
                @for (i, (code, _)) in countries.iter().enumerate() {
                    @if i > 0 { ", " }
                    @match cx.anchors.country(code) {
                        Some(anchor) => a href={ "#" (anchor) } { (code) },
                        None => (code),
                    }
                }
            }
            td data-sort=(worst.map_or(0, |s| s as u8 + 1)) { @if let Some(s) = worst { (cx.status(s)) } }
            td data-sort=(here.len()) {
                @for (i, (_, n)) in here.iter().take(LIST_LIMIT).enumerate() {
                    @if i > 0 { ", " }
                    (cx.finding_link(*n as usize))
                }
                @if here.len() > LIST_LIMIT { " " span.muted { (fill(cx.t("report.more"), &[("count", &(here.len() - LIST_LIMIT).to_string())])) } }
            }
            td.cell data-sort=(location_sort(Some(&a.origin.row))) { (a.origin.row.to_string()) }
        }
    }
}

/// The activities section, in parts: full sections while they fit the size budget (`budget`:
/// what is left of it), else the index.
fn activities<'c>(
    cx: &'c Context<'c>,
    budget: usize,
) -> (Layout, Box<dyn Iterator<Item = Markup> + 'c>) {
    let all = &cx.sources.register.activities;
    let (layout, body): (Layout, Box<dyn Iterator<Item = Markup>>) = if all.len() <= OPEN_LIMIT {
        (Layout::Open, Box::new(activity_sections(cx, all, true)))
    } else {
        // Every section costs about what the first ones do.
        let first = &all[..SAMPLE.min(all.len())];
        let sample: usize = activity_sections(cx, first, false)
            .map(|section| section.into_string().len())
            .sum();
        let estimate = sample / first.len().max(1) * all.len();
        if estimate <= budget {
            (
                Layout::Collapsed,
                Box::new(activity_sections(cx, all, false)),
            )
        } else {
            (
                Layout::Index,
                Box::new(activity_index(cx, index_rows(cx, budget))),
            )
        }
    };
    let count = all.len().to_string();
    // The section as one `html!` around its body writes it, cut at a mark.
    let frame = html! {
        section #activities {
            h2 { (cx.t("cover.activities")) " (" (all.len()) ")" }
            @match layout {
                Layout::Open => {},
                Layout::Collapsed => p.muted { (fill(cx.t("report.collapsed"), &[("count", &count)])) },
                Layout::Index => p.box { (fill(cx.t("report.index"), &[("count", &count), ("file", &file_name("records-of-processing", "xlsx", cx.lang))])) },
            }
            @if layout != Layout::Index {
                div.controls {
                    button type="button" data-details="open" hidden { (cx.t("report.open_all")) }
                    button type="button" data-details="close" hidden { (cx.t("report.close_all")) }
                }
            }
            @if all.is_empty() {
                p { (cx.t("records.none")) }
            }
            (html::MARK)
        }
    }
    .into_string();
    let mut pieces = html::cut_at_marks(&frame, 1).into_iter();
    let (open, close) = (
        pieces.next().unwrap_or_default(),
        pieces.next().unwrap_or_default(),
    );
    let parts = std::iter::once(PreEscaped(open))
        .chain(body)
        .chain(std::iter::once(PreEscaped(close)));
    (layout, Box::new(parts))
}

fn mechanisms_text(lang: Lang, t: &Transfer) -> String {
    if t.mechanisms.is_empty() {
        return text(lang, "none");
    }
    i18n::mechanisms(lang, &t.mechanisms).join(", ")
}

fn countries(cx: &Context) -> Markup {
    let lang = cx.lang;
    let analysis = cx.sources.analysis;
    let destinations: HashMap<&str, &crate::analysis::Destination> = analysis
        .destinations
        .iter()
        .map(|d| (d.country.as_str(), d))
        .collect();
    let country_diagrams: HashMap<&str, &str> = cx
        .sources
        .diagrams
        .iter()
        .filter_map(|d| match &d.subject {
            Subject::Countries(codes) => {
                Some(codes.iter().map(move |c| (c.as_str(), d.name.as_str())))
            }
            _ => None,
        })
        .flatten()
        .collect();
    html! {
        section #countries {
            h2 { (cx.t("report.third_countries")) " (" (cx.by_country.len()) ")" }
            // "No transfers" only when ropa read the whole register.
            @if cx.by_country.is_empty() && cx.sources.analysis.read_fully() {
                p { (cx.t("md.no_transfers")) }
            }
            @for (code, transfers) in &cx.by_country {
                @let first = transfers[0];
                @let id = cx.anchors.country(code).unwrap_or_default();
                @let destination = destinations.get(code);
                @let worst = transfers.iter().map(|t| t.status).max().unwrap_or(Status::NoTransfer);
                section.country id=(id) {
                    h3 {
                        (first.country_name) " (" (code) ") "
                        span class={ "badge " (status_class(worst)) } { (i18n::status(lang, worst)) }
                    }
                    div.body {
                        dl.fields {
                            @if let Some(d) = destination {
                                dt { (cx.t("col.standing")) } dd { (i18n::standing(lang, d.standing)) }
                                dt { (cx.t("col.basis")) }
                                dd { @if d.mechanisms.is_empty() { (cx.t("none")) } @else {
                                    (i18n::mechanisms(lang, &d.mechanisms).join(", "))
                                } }
                                dt { (cx.t("col.categories")) }
                                dd { (i18n::category_ids(lang, &d.categories, &analysis.category_words).join(", ")) }
                                dt { (cx.t("col.worst")) } dd { (i18n::assessment(lang, &d.worst)) }
                            }
                            dt { (cx.t("col.paths")) } dd { (transfers.len()) }
                            @if let Some(name) = country_diagrams.get(code) {
                                dt { (cx.t("report.diagram")) }
                                dd { a href={ "diagrams/" (name) ".svg" } { "diagrams/" (name) ".svg" } }
                            }
                        }
                        div.wide { table.sortable.dense {
                            thead { tr {
                                th { (cx.t("col.path")) }
                                th { (cx.t("col.kind")) }
                                th { (cx.t("col.mechanism")) }
                                th { (cx.t("col.categories")) }
                                th { (cx.t("col.activities")) }
                                th { (cx.t("col.status")) }
                                th { (cx.t("col.reason")) }
                                th { (cx.t("report.col.cell")) }
                            } }
                            tbody {
                                @for tr in worst_first(transfers, TRANSFER_LIMIT) {
                                    (transfer_row(cx, tr))
                                }
                            }
                        } }
                        @if transfers.len() > TRANSFER_LIMIT {
                            p.muted { (fill(cx.t("report.transfers_capped"), &[("shown", &TRANSFER_LIMIT.to_string()), ("total", &transfers.len().to_string()), ("file", &file_name("transfers", "xlsx", lang))])) }
                        }
                    }
                }
            }
        }
    }
}

/// The worst `limit` transfers (all when there are no more), in the analysis's order.
fn worst_first<'t>(transfers: &[&'t Transfer], limit: usize) -> Vec<&'t Transfer> {
    if transfers.len() <= limit {
        return transfers.to_vec();
    }
    let mut order: Vec<usize> = (0..transfers.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(transfers[i].status), i));
    order.truncate(limit);
    order.sort_unstable();
    order.into_iter().map(|i| transfers[i]).collect()
}

fn transfer_row(cx: &Context, tr: &Transfer) -> Markup {
    let lang = cx.lang;
    let parties: Vec<&str> = tr.path().collect();
    let (path, importer) = parties.split_at(parties.len().saturating_sub(1));
    let shown = tr.activities().len().min(LIST_LIMIT);
    html! {
        tr {
            td.text {
                @for step in path { (step) " → " }
                @if let Some(_last) = importer.first() {
                    (cx.processor_link(&tr.importer.key, &tr.importer.name))
                }
            }
            td { (i18n::transfer_kind(lang, tr.onward, tr.onward_terms.as_deref())) }
            td.text {
                (mechanisms_text(lang, tr))
                @if let Some(written) = &tr.importer.mechanism_text { br; span.muted { "“" (written) "”" } }
                br; span.muted { "DPF " (i18n::tristate(lang, tr.importer.dpf_certified)) " · TIA " (i18n::tristate(lang, tr.importer.tia)) }
            }
            td.text { (i18n::category_ids(lang, tr.categories(), &cx.sources.analysis.category_words).join(", ")) }
            td.text {
                // Linked by the activity's key in the graph (names may repeat).
                @for (i, (number, name)) in tr.activity_numbers().zip(tr.activities()).take(shown).enumerate() {
                    @if i > 0 { ", " }
                    (cx.activity_link(cx.sources.graph.activities.name(number), name))
                }
                @if tr.activities().len() > shown {
                    " " span.muted { (fill(cx.t("report.more"), &[("count", &(tr.activities().len() - shown).to_string())])) }
                }
            }
            td data-sort=(tr.status as u8) { (cx.status(tr.status)) }
            td.text {
                (i18n::assessment(lang, &tr.assessment))
                @if let Some(code) = tr.finding {
                    br; a href=(crate::diag::help_uri(code)) { (code) " " (code.name()) }
                }
            }
            td.cell {
                (tr.importer.mechanism_cell.to_string())
            }
        }
    }
}

/// The processors: a table row each while they fit [`PROCESSORS_BUDGET`]; over it, rows for
/// those receiving the most serious transfers and the others named, each with its anchor.
fn processors(cx: &Context) -> Markup {
    let lang = cx.lang;
    let register = cx.sources.register;
    let all = &register.processors;
    let evidence = |e: &crate::model::Evidence| i18n::evidence(lang, e);
    let mut worst: HashMap<&str, Status> = HashMap::new();
    for t in &cx.sources.analysis.transfers {
        let entry = worst.entry(t.importer.key.as_str()).or_insert(t.status);
        *entry = (*entry).max(t.status);
    }
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(worst.get(all[i].key.as_str())), i));
    let has_row = with_rows(
        &order,
        PROCESSORS_BUDGET,
        |i| processor_row(cx, &all[i], &evidence).into_string().len(),
        |i| all[i].name.len() + all[i].key.len() + 40,
    );
    let named: Vec<&Processor> = all
        .iter()
        .zip(&has_row)
        .filter(|(_, row)| !**row)
        .map(|(p, _)| p)
        .collect();
    let records_file = file_name("records-of-processing", "xlsx", lang);
    html! {
        section #processors {
            h2 { (cx.t("report.processors")) " (" (all.len()) ")" }
            @if all.is_empty() {
                p { (cx.t("records.none")) }
            } @else {
                details.list open[all.len() <= PROCESSORS_OPEN] {
                summary { (fill(cx.t("report.show_table"), &[("count", &all.len().to_string())])) }
                div.wide { table.sortable.dense {
                    thead { tr {
                        th { (cx.t("col.name")) }
                        th { (cx.t("col.role")) }
                        th { (cx.t("col.service")) }
                        th { (cx.t("col.seat")) " / " (cx.t("col.locations")) }
                        th { (cx.t("col.parent")) }
                        th { (cx.t("col.sub_processors")) }
                        th { (cx.t("col.dpa")) }
                        th { (cx.t("col.mechanism")) }
                        th { (cx.t("col.dpf")) }
                        th { (cx.t("col.tia")) }
                        th { (cx.t("report.third_countries")) }
                    } }
                    tbody {
                        @for (p, _) in all.iter().zip(&has_row).filter(|(_, row)| **row) {
                            (processor_row(cx, p, &evidence))
                        }
                    }
                } }
                (named_without_rows(
                    &fill(cx.t("report.processors_more"), &[("count", &named.len().to_string()), ("file", &records_file)]),
                    named.iter().map(|p| (cx.anchors.processor(&p.key), p.name.as_str())),
                ))
                }
            }
        }
    }
}

fn processor_row(
    cx: &Context,
    p: &Processor,
    evidence: &dyn Fn(&crate::model::Evidence) -> String,
) -> Markup {
    let lang = cx.lang;
    let id = cx.anchors.processor(&p.key).unwrap_or_default();
    let countries = cx.countries_of(&p.key);
    html! {
        tr id=(id) {
            td.text {
                @if let Some(url) = p.details().url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                    a href=(url) rel="noreferrer" { (p.name) }
                } @else { (p.name) }
                @if let Some(entity) = &p.legal_entity { br; span.muted { (entity) } }
            }
            td { (records::recipient_role(lang, p.role)) }
            td.text { (p.service.as_deref().unwrap_or_default()) }
            td {
                (p.country.as_ref().map(|c| i18n::place(lang, c)).unwrap_or_else(|| cx.t("tristate.unknown")))
                @if !p.locations.is_empty() { br; span.muted { (cx.places(&p.locations)) } }
            }
            td.text { @if let Some(parent) = &p.details().parent { (cx.reference(parent)) } }
            td.text {
                @for (i, s) in p.details().sub_processors.iter().enumerate() {
                    @if i > 0 { ", " }
                    (cx.reference(s))
                }
            }
            td { (evidence(&p.dpa)) }
            td.text {
                @if let Some(written) = &p.transfer_mechanism_text { (written) }
                @else { (i18n::mechanisms(lang, &p.transfer_mechanisms).join(", ")) }
            }
            td { (i18n::tristate(lang, p.dpf_certified)) }
            td { (evidence(&p.tia)) }
            td {
                @for (i, code) in countries.iter().enumerate() {
                    @if i > 0 { ", " }
                    @match cx.anchors.country(code) {
                        Some(id) => a href={ "#" (id) } { (code) },
                        None => (code),
                    }
                }
            }
        }
    }
}

fn footer(cx: &Context) -> Markup {
    let renderers: Vec<&str> = {
        let mut seen: Vec<&str> = Vec::new();
        for d in cx.sources.diagrams {
            if let Some(drawing) = &d.drawing
                && matches!(d.subject, Subject::Activity(_))
                && !seen.contains(&drawing.renderer)
            {
                seen.push(drawing.renderer);
            }
        }
        seen
    };
    html! {
        footer {
            p {
                (fill(cx.t("report.generated_by"), &[("version", env!("CARGO_PKG_VERSION"))]))
                " · " (cx.t("meta.as_of")) " " (cx.sources.analysis.as_of)
                " · " (cx.t("meta.reference")) " " (cx.sources.analysis.reference_as_of)
            }
            p { (cx.t("report.inputs")) (cx.colon())
                @for (i, s) in cx.sources.register.sources.iter().enumerate() { @if i > 0 { ", " } code { (s) } }
            }
            @if !renderers.is_empty() {
                p { (fill(cx.t("report.rendered_by"), &[("renderer", &renderers.join(", "))])) }
                // The renderer, as the SVG files carry it, so a comparison knows what drew them.
                @for r in &renderers { (PreEscaped(format!("\n<!-- ropa: rendered by {r} -->\n"))) }
            }
            p { a href=(crate::diag::HOMEPAGE) { (crate::diag::HOMEPAGE) } }
        }
    }
}

/// A report made whole: its text, and what writing it made.
pub struct Report {
    pub html: String,
    pub written: Written,
}

/// What writing a report made: its file name, size, how it shows the activities, and how
/// many findings it lists of how many.
pub struct Written {
    pub file: String,
    pub bytes: u64,
    pub layout: Layout,
    pub findings_listed: usize,
    pub findings_total: usize,
}

/// The file a report in `lang` is written to.
pub fn file(lang: Lang) -> String {
    file_name("report", "html", lang)
}

/// The report in one language, within [`SIZE_BUDGET`].
pub fn report(sources: &ReportSources, lang: Lang) -> Report {
    report_within(sources, lang, SIZE_BUDGET)
}

/// The report in one language, aiming to stay under `size_budget` bytes.
pub fn report_within(sources: &ReportSources, lang: Lang, size_budget: usize) -> Report {
    let record_sources = RecordSources {
        register: sources.register,
        graph: sources.graph,
        analysis: sources.analysis,
        diagnostics: sources.findings,
    };
    let records = records::Context::new(&record_sources, lang);
    let mut html = Vec::new();
    let written = write_using(sources, &records, size_budget, &mut html)
        .expect("writing to memory does not fail");
    Report {
        html: String::from_utf8(html).expect("the page is written from strings"),
        written,
    }
}

/// Writes the report in the language of the records' context (made once for the records and
/// the report when a build makes both: on L it holds 27 MB while they are written side by
/// side). The activities are rendered as they are written: the whole page is never held.
pub fn write_with(
    sources: &ReportSources,
    records: &records::Context,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Written> {
    write_using(sources, records, SIZE_BUDGET, out)
}

fn write_using(
    sources: &ReportSources,
    records: &records::Context,
    size_budget: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Written> {
    let lang = records.lang();
    let cx = Context::new(sources, records, lang);
    let title = fill(
        cx.t("report.title"),
        &[("organisation", &sources.register.organisation.name)],
    );
    // The parts around the activities are made first, each kept at its length (rendered, they
    // keep room for as much again): the activities get what they leave of the budget.
    let mut before = html! { (summary(&cx)) (findings(&cx)) }.into_string();
    before.shrink_to_fit();
    let mut after = html! { (countries(&cx)) (processors(&cx)) }.into_string();
    after.shrink_to_fit();
    let budget = size_budget.saturating_sub(before.len() + after.len());
    let (layout, activities) = activities(&cx, budget);
    // The body as `header main { before activities after } footer` writes it.
    let body = std::iter::once(html! { (header(&cx)) (PreEscaped("<main>")) })
        .chain([PreEscaped(before)])
        .chain(activities)
        .chain([PreEscaped(after)])
        .chain(std::iter::once_with(|| {
            html! { (PreEscaped("</main>")) (footer(&cx)) }
        }));
    let bytes = html::write_page(
        out,
        lang,
        &title,
        Extras {
            css: CSS,
            script: Some(SCRIPT),
        },
        body,
    )?;
    Ok(Written {
        file: file(lang),
        bytes,
        layout,
        findings_listed: cx.listed.iter().filter(|l| **l).count(),
        findings_total: sources.findings.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::with_rows;

    #[test]
    fn rows_go_to_the_most_serious_first_as_many_as_fit() {
        // Ten items, most serious first in `order`; rows of 100 bytes, names of 10.
        let order = [7, 3, 9, 0, 1, 2, 4, 5, 6, 8];
        let rows = |budget| with_rows(&order, budget, |_| 100, |_| 10);
        assert!(rows(1_000).iter().all(|&row| row), "all fit");
        // 100 bytes of names, then 90 more per row: three rows.
        let some = rows(400);
        let listed: Vec<usize> = (0..10).filter(|&i| some[i]).collect();
        assert_eq!(listed, [3, 7, 9]);
        assert!(rows(50).iter().all(|&row| !row), "only names fit");
    }
}
