//! Text that a register repeats from row to row, kept once per run.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A cell's text that most registers repeat on many rows: a department, a retention period,
/// the security measures, a legal-basis wording, a data subject, a processor's service or
/// group, a certification. Each distinct text is kept once for the run (interned) and a value
/// is one pointer to it: 8 bytes where the text inline took 24, and a long text copied onto
/// every row (security measures often are) is held once instead of once per row.
///
/// Texts that differ from row to row (names, keys, purposes) stay `CompactString`s: interned,
/// each would be held for the run besides its entry in the interner's table.
///
/// Reads as a `str` (`Deref`); compares, orders and hashes as its text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedText(&'static CompactString);

impl SharedText {
    pub fn new(text: impl Into<CompactString>) -> SharedText {
        SharedText(internment::Intern::new(text.into()).as_ref())
    }

    pub fn as_str(&self) -> &'static str {
        self.0.as_str()
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> SharedText {
        SharedText::new(text)
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> SharedText {
        SharedText::new(text)
    }
}

impl From<CompactString> for SharedText {
    fn from(text: CompactString) -> SharedText {
        SharedText::new(text)
    }
}

impl From<SharedText> for String {
    fn from(text: SharedText) -> String {
        text.as_str().to_string()
    }
}

impl From<SharedText> for CompactString {
    fn from(text: SharedText) -> CompactString {
        text.0.clone()
    }
}

impl Default for SharedText {
    fn default() -> SharedText {
        SharedText::new("")
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for SharedText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        CompactString::deserialize(deserializer).map(SharedText::new)
    }
}

#[cfg(test)]
mod tests {
    use super::SharedText;

    #[test]
    fn equal_texts_are_one_value_and_compare_as_text() {
        let a = SharedText::new("TLS, RBAC, backups");
        let b = SharedText::from(String::from("TLS, RBAC, backups"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()), "kept once");
        assert_eq!(a, b);
        assert!(SharedText::new("Dept 10") < SharedText::new("Dept 9"));
        assert_eq!(&*a, "TLS, RBAC, backups");
        assert_eq!(std::mem::size_of::<Option<SharedText>>(), 8);
    }

    #[test]
    fn it_reads_and_writes_as_a_string() {
        let text: SharedText = serde_json::from_str("\"10 Jahre\"").unwrap();
        assert_eq!(text, "10 Jahre");
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"10 Jahre\"");
    }
}
