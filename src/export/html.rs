//! Self-contained HTML pages: one file with its styles inline, no fonts, scripts or images
//! from elsewhere, readable without JavaScript and printable. Pages are written with maud,
//! which escapes every interpolated string, so register text (names are user text) can never
//! become markup.

use super::i18n::Lang;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The styles of every page: system fonts, a readable measure, tables that wrap, and print
/// rules (no background colours, no breaks inside an entry, links written out).
const CSS: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.5; max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 0 0 .5rem; }
.meta, .muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
.entries .card { margin: 0 0 1rem; }
.entries .card dl { grid-template-columns: minmax(10rem, max-content) 1fr; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; break-inside: avoid; page-break-inside: avoid; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .75rem; margin: .5rem 0 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; hyphens: auto; }
.card .note { color: var(--muted); font-size: .9rem; margin: .6rem 0 0; }
.badge { display: inline-block; font-size: .8rem; padding: 0 .4rem; border-radius: 1rem; border: 1px solid currentColor; margin-left: .3rem; }
.added { color: var(--ok); } .removed { color: var(--bad); } .changed { color: var(--warn); }
.status-error { color: var(--bad); font-weight: 600; } .status-warning { color: var(--warn); } .status-ok { color: var(--ok); }
table { border-collapse: collapse; width: 100%; }
.box table { width: auto; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
ul.changes { margin: .5rem 0 0; padding-left: 1.2rem; }
.box { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .5rem; }
a { color: #0969da; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .cards { display: block; }
  .card { margin-bottom: .6rem; }
  .box, th { background: none; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"#;

/// A whole page: doctype, language, title, inline styles and the body.
pub fn page(lang: Lang, title: &str, body: Markup) -> String {
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="ropa";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    };
    let mut text = markup.into_string();
    text.push('\n');
    text
}

/// An e-mail address or web address as a link, other text as text.
pub fn contact(text: &str) -> Markup {
    let trimmed = text.trim();
    if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
        html! { a href=(trimmed) { (trimmed) } }
    } else if trimmed.contains('@') && !trimmed.contains(char::is_whitespace) {
        html! { a href={ "mailto:" (trimmed) } { (trimmed) } }
    } else {
        html! { (trimmed) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_text_is_escaped_and_nothing_is_fetched() {
        let page = page(
            Lang::En,
            "<script>alert(1)</script>",
            html! { p { ("Müller & Söhne <b>") } (contact("javascript:alert(1)")) },
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;script&gt;") && page.contains("Müller &amp; Söhne &lt;b&gt;"));
        assert!(!page.contains("href=\"javascript"));
        assert!(!page.contains("src=") && !page.contains("<link"));
        assert!(page.contains("@media print"));
    }
}
