//! Analysis of the flow graph: what reaches whom ([`reach`]), which hops are transfers to
//! third countries and how each stands under Chapter V as of a date ([`transfers`],
//! [`classify`]).

pub mod classify;
pub mod policy;
pub mod reach;
pub mod recipients;
pub mod transfers;

pub use classify::{Assessment, Reason, Status};
pub use transfers::{Destination, Transfer, TransferAnalysis, analyse};
