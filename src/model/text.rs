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

/// Whether `text` may hold a hostile character, from its bytes alone: every one is encoded
/// with an ASCII control byte, DEL, or the lead byte 0xC2 (U+0080–U+009F) or 0xE2 (the
/// bidirectional controls). Most cells have none of these, and bytes are quicker to scan than
/// characters (outputs check every cell of a large register).
fn may_be_hostile(text: &str) -> bool {
    text.bytes().any(|b| {
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || matches!(b, 0x7F | 0xC2 | 0xE2)
    })
}

/// `text` with every hostile character replaced by U+FFFD.
pub fn printable(text: &str) -> Cow<'_, str> {
    if may_be_hostile(text) && text.chars().any(is_hostile) {
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

    #[test]
    fn the_byte_scan_finds_every_hostile_character() {
        // Every hostile character is found by the byte scan, whatever surrounds it.
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| is_hostile(*c))
        {
            let text = format!("ä{c}€");
            assert!(may_be_hostile(&text), "U+{:04X}", c as u32);
            assert_ne!(printable(&text), text.as_str(), "U+{:04X}", c as u32);
        }
        // Text with the lead bytes but no hostile character stays as it is.
        assert_eq!(printable("né – “quoted” €"), "né – “quoted” €");
    }
}
