//! `ropa init`: a commented default policy file to start from.

use crate::analysis::policy::{FILE_NAME, Policy};
use anyhow::{Context, Result, bail};
use std::path::Path;

/// The default policy, every key with its default and what it does.
pub const TEMPLATE: &str = include_str!("../analysis/policy.template.toml");

#[allow(clippy::print_stdout)]
pub fn run(dir: &Path, force: bool) -> Result<bool> {
    let path = dir.join(FILE_NAME);
    if path.exists() && !force {
        bail!("`{}` exists; pass --force to replace it", path.display());
    }
    // The template must stay a valid policy; a test checks it too.
    Policy::parse(TEMPLATE, "template")?;
    crate::export::write_atomic(&path, TEMPLATE.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(false)
}
