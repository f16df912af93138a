//! Thi Đua core: the domain model, the sync document and its merge, validation, authorization
//! and derived entry status. Pure Rust with no I/O, so the same code runs in the browser app
//! (wasm32) and on the server, and both sides agree on every rule.
//!
//! Modules: [`ids`] (record and device ids), [`model`] (record bodies), [`sync`] (version
//! vectors, records, the document and its merge), [`status`] (entry review status),
//! [`validate`] (field checks), [`auth`] (who may push what). Everything is re-exported here.

/// Product name shown in the UI and logs.
pub const PRODUCT: &str = "Thi Đua";

pub mod auth;
pub mod demo;
pub mod ids;
pub mod model;
pub mod status;
pub mod sync;
pub mod validate;

pub use auth::{authorize, role_of, Actor, Denied, Role};
pub use ids::{DeviceId, IdError, RecordId, UnitId};
pub use model::*;
pub use status::{entry_status, entry_statuses, EntryStatus};
pub use sync::{
    merge, ClockOrder, DocError, Document, Record, RecordError, Revision, VersionVector, MAX_HEADS,
    SCHEMA_VERSION,
};
pub use validate::{validate, FieldError, Problem};
