//! `feed.xml`: an Atom feed (RFC 4287) of sub-processor notices, one entry per notice, so
//! customers can subscribe. Writing a notice into a folder that already has a feed extends
//! it: old entries are kept, and an entry for the same notice (the same changes) is replaced
//! rather than added again. Ids are `tag:` URIs (RFC 4151) built from the organisation's
//! domain or e-mail, the notice's date and a hash of its changes, so they never depend on
//! when or where ropa ran; timestamps come from the evaluation date, never the clock.

use super::i18n::{Lang, fill, text};
use super::notice::{Notice, Terms, html_body};
use super::transfers::published_url;
use crate::analysis::changes::RegisterChanges;
use crate::model::Organisation;
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// An existing feed that cannot be extended.
#[derive(Debug, Error)]
#[error("`{path}` is not an Atom feed ropa can extend; move it away to start a new one")]
pub struct FeedError {
    pub path: String,
    #[source]
    pub source: atom_syndication::Error,
}

/// A hash of what a notice says: the organisation and its notifiable changes by meaning (not
/// the cells they were read from, nor the dates), hex. The same changes told again on a
/// later day are the same notice.
pub fn notice_hash(changes: &RegisterChanges) -> String {
    let mut hasher = Sha256::new();
    hasher.update(changes.organisation.as_bytes());
    for c in changes.notifiable() {
        let line = serde_json::json!([
            c.subject, c.kind, c.key, c.field, c.country, c.old, c.new, c.old_name
        ]);
        hasher.update(b"\n");
        hasher.update(line.to_string().as_bytes());
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Who may mint `tag:` ids for the organisation: the host of the publishing address, else
/// its e-mail address, else its website's host.
fn authority(organisation: &Organisation, publish_url: Option<&str>) -> Option<String> {
    let host = |url: &str| {
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
        let host = host
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        (host.contains('.')
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .then_some(host)
    };
    publish_url
        .and_then(host)
        .or_else(|| {
            organisation
                .email
                .as_deref()
                .map(str::trim)
                .filter(|e| {
                    e.contains('@')
                        && e.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(c))
                })
                .map(str::to_ascii_lowercase)
        })
        .or_else(|| organisation.website.as_deref().and_then(host))
}

/// A `tag:` URI, or a name-based `urn:uuid:` when the organisation has no domain or e-mail.
fn id(authority: Option<&str>, date: NaiveDate, specific: &str) -> String {
    match authority {
        Some(authority) => format!("tag:{authority},{date}:{specific}"),
        None => {
            let digest = Sha256::digest(specific.as_bytes());
            let mut b: Vec<u8> = digest[..16].to_vec();
            // RFC 9562 version 8 (custom), variant 10.
            b[6] = (b[6] & 0x0f) | 0x80;
            b[8] = (b[8] & 0x3f) | 0x80;
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!(
                "urn:uuid:{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            )
        }
    }
}

fn midnight(date: NaiveDate) -> FixedDateTime {
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC is an offset");
    date.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(utc)
        .single()
        .expect("UTC has no gaps")
}

/// The feed text with this notice's entry added to `existing` (the current `feed.xml`, if
/// any). `path` names the feed in errors.
pub fn extend(
    existing: Option<&[u8]>,
    path: &str,
    notice: &Notice,
    changes: &RegisterChanges,
    organisation: &Organisation,
    terms: &Terms,
) -> Result<String, FeedError> {
    let lang: Lang = notice.lang;
    let authority = authority(organisation, terms.publish_url.as_deref());
    let hash = notice_hash(changes);
    let specific = format!("subprocessor-notice/{hash}/{}", lang.code());
    let updated = midnight(terms.date);

    let mut feed = match existing {
        Some(bytes) => Feed::read_from(bytes).map_err(|source| FeedError {
            path: path.to_string(),
            source,
        })?,
        None => Feed {
            id: id(
                authority.as_deref(),
                terms.date,
                &format!(
                    "subprocessors/{}/{}",
                    crate::model::key::fold(&organisation.name).replace(' ', "-"),
                    lang.code()
                ),
            ),
            ..Feed::default()
        },
    };
    // The same notice again (the same changes, maybe on another day) replaces its entry and
    // keeps its id and first publication.
    let suffix = format!(":{specific}");
    let local_id = id(None, terms.date, &specific);
    let previous = feed
        .entries
        .iter()
        .position(|e| e.id.ends_with(&suffix) || e.id == local_id);
    let (entry_id, published) = match previous.map(|i| feed.entries.remove(i)) {
        Some(old) => (old.id.clone(), old.published.unwrap_or(updated)),
        None => (id(authority.as_deref(), terms.date, &specific), updated),
    };
    let count = notice.entries.len().to_string();
    let deadline = terms.objection_deadline.to_string();
    let entry = Entry {
        title: Text::plain(fill(
            text(lang, "feed.entry_title"),
            &[("effective", &terms.effective.to_string())],
        )),
        id: entry_id,
        updated,
        published: Some(published),
        summary: Some(Text::plain(super::i18n::labelled(
            lang,
            &notice.subject,
            &fill(
                text(lang, "feed.summary"),
                &[("count", &count), ("deadline", &deadline)],
            ),
        ))),
        content: Some(Content {
            content_type: Some("html".to_string()),
            value: Some(html_body(notice).into_string()),
            lang: Some(lang.code().to_string()),
            ..Content::default()
        }),
        ..Entry::default()
    };
    feed.entries.push(entry);
    // Newest first; ids break ties so the order never depends on the run.
    feed.entries
        .sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));

    feed.title = Text::plain(fill(
        text(lang, "feed.title"),
        &[("organisation", &organisation.name)],
    ));
    feed.updated = feed
        .entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(updated);
    feed.lang = Some(lang.code().to_string());
    feed.authors = vec![Person {
        name: organisation.name.clone(),
        email: organisation.email.clone(),
        uri: organisation.website.clone(),
        ..Person::default()
    }];
    feed.generator = Some(Generator {
        value: "ropa".to_string(),
        ..Generator::default()
    });
    feed.links = match &terms.publish_url {
        Some(base) => {
            vec![
                Link {
                    href: published_url(base, "feed", "xml", lang),
                    rel: "self".to_string(),
                    mime_type: Some("application/atom+xml".to_string()),
                    ..Link::default()
                },
                Link {
                    href: published_url(base, "subprocessors", "html", lang),
                    rel: "alternate".to_string(),
                    mime_type: Some("text/html".to_string()),
                    ..Link::default()
                },
            ]
        }
        None => Vec::new(),
    };
    let config = atom_syndication::WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    let bytes = feed
        .write_with_config(Vec::new(), config)
        .map_err(|source| FeedError {
            path: path.to_string(),
            source,
        })?;
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_tag_uris_from_the_domain_or_email_else_uuids() {
        let mut org = Organisation {
            name: "Muster".into(),
            email: Some("Privacy@Muster.example".into()),
            ..Organisation::default()
        };
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let by_email = authority(&org, None);
        assert_eq!(by_email.as_deref(), Some("privacy@muster.example"));
        assert_eq!(
            authority(&org, Some("https://www.muster.example:443/legal/")).as_deref(),
            Some("www.muster.example")
        );
        assert_eq!(
            id(by_email.as_deref(), date, "x/1"),
            "tag:privacy@muster.example,2026-11-23:x/1"
        );
        org.email = Some("not an address".into());
        assert_eq!(authority(&org, None), None);
        let uuid = id(None, date, "x/1");
        assert!(uuid.starts_with("urn:uuid:") && uuid.len() == 45, "{uuid}");
        assert_eq!(uuid, id(None, date, "x/1"), "stable");
    }
}
