//! ropa reads GDPR registers from the spreadsheets privacy teams already keep and turns them
//! into a data-flow graph, Art. 30 records, transfer reports, diagrams and findings.
//!
//! The modules follow the pipeline: [`import`] → [`model`] / [`graph`] → [`analysis`] →
//! [`export`], with [`diag`] for everything ropa has to say, [`reference`] for the embedded
//! legal facts and [`i18n`] for the languages the results are written in.
//! The command line lives in [`cli`].

pub mod analysis;
pub mod cli;
pub mod diag;
pub mod export;
pub mod graph;
pub mod i18n;
pub mod import;
pub mod model;
pub mod reference;
pub mod vocabulary;
