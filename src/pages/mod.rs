//! One file per screen.
pub mod entries;
pub mod join;
pub mod report;
