//! Company names: the legal-form words they end with (`data/legal_forms.csv`), so a name can be
//! told from a person's and `Anthropic, PBC` linked to `Anthropic`.

use super::rows;
use crate::model::key::fold;
use serde::Deserialize;
use std::sync::LazyLock;

const LEGAL_FORMS_CSV: &str = include_str!("data/legal_forms.csv");

#[derive(Deserialize)]
struct FormRow {
    form: String,
}

/// Folded legal forms, longest first so `gmbh co kg` wins over `kg`.
static FORMS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut forms: Vec<String> = rows::<FormRow>("legal_forms.csv", LEGAL_FORMS_CSV)
        .into_iter()
        .map(|r| fold(&r.form))
        .filter(|f| !f.is_empty())
        .collect();
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    forms.dedup();
    forms
});

/// The legal form a name ends with, folded (`b v` for `Example B.V.`).
pub fn legal_form(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    FORMS
        .iter()
        .find(|form| {
            folded.len() > form.len()
                && folded.ends_with(form.as_str())
                && folded.as_bytes()[folded.len() - form.len() - 1] == b' '
        })
        .map(String::as_str)
}

/// Whether the whole text is a legal form (`Inc.`, `S.L.`): a list item split off a company
/// name at its comma.
pub fn is_legal_form(text: &str) -> bool {
    let folded = fold(text);
    !folded.is_empty() && FORMS.contains(&folded)
}

/// The folded name without its legal form: `anthropic` for `Anthropic, PBC`.
pub fn without_legal_form(name: &str) -> String {
    let folded = fold(name);
    match legal_form(name) {
        Some(form) => folded[..folded.len() - form.len()].trim_end().to_string(),
        None => folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_are_found_at_the_end() {
        assert_eq!(legal_form("Example B.V."), Some("b v"));
        assert_eq!(legal_form("Terre & Feu Céramiques SARL"), Some("sarl"));
        assert_eq!(legal_form("Muster GmbH & Co. KG"), Some("gmbh co kg"));
        assert_eq!(legal_form("Anthropic"), None);
        assert_eq!(legal_form("Plc"), None, "a form alone is not a name");
        assert_eq!(without_legal_form("Anthropic, PBC"), "anthropic");
        assert_eq!(without_legal_form("Sendinblue SAS"), "sendinblue");
    }
}
