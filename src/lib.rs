//! ropa reads GDPR registers from the spreadsheets privacy teams already keep and turns them
//! into a data-flow graph, Art. 30 records, transfer reports, diagrams and findings.
//!
//! The modules follow the pipeline: [`import`] → [`model`] / [`graph`] → [`export`], with
//! [`diag`] for everything ropa has to say and [`reference`] for the embedded legal facts.
//! The command line lives in [`cli`].

pub mod analysis;
pub mod cli;
pub mod diag;
pub mod export;
pub mod graph;
pub mod import;
pub mod model;
pub mod reference;
pub mod vocabulary;
