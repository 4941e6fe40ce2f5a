//! Text from a register as outputs show it. A cell may hold anything: control characters
//! (a bell, an ANSI escape that recolours a terminal) and Unicode bidirectional overrides
//! (U+202E before `gpj.exe` makes it read as `exe.jpg`). Outputs meant for people show such characters as
//! `�` so a name cannot reorder or restyle what follows it; line breaks and tabs stay.

use std::borrow::Cow;

/// Whether a character is replaced in outputs: controls other than line break, carriage
/// return and tab, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069). Marks such as U+200F RIGHT-TO-LEFT MARK stay: they affect only their
/// neighbours.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every hostile character replaced by U+FFFD.
pub fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_hostile) {
        Cow::Owned(
            text.chars()
                .map(|c| if is_hostile(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_become_replacement_characters() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\u{FFFD}[31mb");
        assert_eq!(printable("\u{202e}gpj.exe"), "\u{FFFD}gpj.exe");
        assert_eq!(printable("line\nbreak\ttab"), "line\nbreak\ttab");
        assert_eq!(printable("שלום\u{200f}"), "שלום\u{200f}");
        assert!(matches!(printable("Postmark"), Cow::Borrowed(_)));
    }
}
