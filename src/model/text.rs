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
/// as an ASCII control byte, DEL, 0xC2 0x80–0x9F (U+0080–U+009F) or 0xE2 0x80 0xAA–0xAE and
/// 0xE2 0x81 0xA6–0xA9 (the bidirectional controls). Most cells have none of these, and bytes
/// are quicker to scan than characters (outputs check every cell of a large register); the
/// lead byte alone would not do, as every arrow, dash and curly quote starts with 0xE2.
fn may_be_hostile(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Blocks are first checked for any byte a hostile character starts with, without
    // branching (the compiler makes that a vector compare); only a block that has one is
    // scanned byte by byte, looking past its end where a character crosses it.
    const BLOCK: usize = 32;
    let starts = |b: u8| {
        (b < 0x20 && b != b'\n' && b != b'\r' && b != b'\t')
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xE2)
    };
    bytes.chunks(BLOCK).enumerate().any(|(block, chunk)| {
        chunk.iter().fold(false, |any, &b| any | starts(b))
            && (block * BLOCK..block * BLOCK + chunk.len()).any(|i| hostile_at(bytes, i))
    })
}

/// Whether a hostile character starts at byte `i`.
fn hostile_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        0x00..=0x1F => !matches!(bytes[i], b'\n' | b'\r' | b'\t'),
        0x7F => true,
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    }
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
        // The byte scan finds every hostile character, whatever surrounds it, and no other.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("ä{c}€");
            assert_eq!(may_be_hostile(&text), is_hostile(c), "U+{:04X}", c as u32);
            if is_hostile(c) {
                assert_ne!(printable(&text), text.as_str(), "U+{:04X}", c as u32);
            }
        }
        // Wherever it stands in a longer text, across the blocks the scan reads.
        for c in ['\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2069}'] {
            for at in 0..100 {
                let text = format!("{}{c}{}", "a".repeat(at), "→".repeat(3));
                assert!(may_be_hostile(&text), "U+{:04X} at {at}", c as u32);
            }
        }
        assert!(!may_be_hostile(&"né – “quoted” €\n\t".repeat(20)));
        // Text with the lead bytes but no hostile character stays as it is.
        assert_eq!(printable("né – “quoted” €"), "né – “quoted” €");
    }
}
