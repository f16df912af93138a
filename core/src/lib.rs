//! Thi Đua core: the domain model, the sync document and its merge, validation, authorization
//! and derived entry status. Pure Rust with no I/O, so the same code runs in the browser app
//! (wasm32) and on the server, and both sides agree on every rule.
//!
//! Modules: [`ids`] (record and device ids), [`model`] (record bodies), [`sync`] (version
//! vectors, records, the document and its merge), [`status`] (entry review status),
//! [`validate`] (field checks), [`auth`] (who may push what), [`scoring`] (scores, ranking,
//! progress, review session snapshots), [`summary`] (totals and the report text),
//! [`proposal`] (proposals sent up to the board, award history), [`reporting`] (deadlines and
//! completeness), [`rollup`] (the board's dashboard across clusters),
//! [`export`] (CSV), [`format`] (numbers, money, dates, Vietnamese order), [`input`] (figures and dates as people
//! type them), [`templates`]
//! (campaign templates), [`wire`] (every request and response body of the HTTP API). The main
//! items are re-exported here.

/// Product name shown in the UI and logs.
pub const PRODUCT: &str = "Thi Đua";

pub mod auth;
pub mod demo;
pub mod files;
/// Helpers for tests of core and of the crates on top of it (the catalogue's).
#[doc(hidden)]
pub mod fixtures;
pub mod format;
pub mod history;
pub mod ids;
pub mod input;
pub mod model;
pub mod order;
pub mod proposal;
pub mod reporting;
pub mod rollup;
pub mod scoring;
pub mod status;
pub mod summary;
pub mod sync;
mod tagged;
pub mod templates;
pub mod validate;
pub mod wire;

pub use auth::{
    authorize, effective_role, role_in_force, role_of, roles_year, Actor, Denied, Role,
};
pub use format::Lang;
pub use ids::{DeviceId, IdError, InviteId, RecordId, UnitId};
pub use input::{parse_date, parse_figure, FigureError, FigureKind};
pub use model::*;
pub use scoring::{progress, score, snapshot_session, suggest_criterion, CriterionProgress};
pub use status::{entry_status, entry_statuses, EntryStatus};
pub use summary::{summarize, Summary};
pub use sync::{
    merge, ClockOrder, DocError, Document, Record, RecordError, Revision, VersionVector,
    WireRecord, MAX_HEADS, SCHEMA_VERSION,
};
pub use validate::{not_in_future, validate, validate_at, FieldError, Problem};
