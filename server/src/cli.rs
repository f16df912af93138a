//! Administrative subcommands.
use chrono::{DateTime, Datelike, Utc};
use thidua_core::{
    validate, Body, Cluster, Decision, DeviceId, Document, RecordId, Role, Roles, Unit, UnitKind,
};

use crate::api::admin::join_link;
use crate::auth::{new_id, new_invite_code, new_invite_id, secret_hash};
use crate::config::CreateClusterArgs;
use crate::store::{timestamp, NewCluster, NewInvite, Store, StoreError};
use thidua_core::demo::{demo_reviewed, DEMO_OFFICER, HEAD};

/// Author of the revisions the server writes itself (never a real device: theirs are hex).
pub const SERVER_DEVICE: &str = "server";

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("could not create random ids")]
    Random,
}

#[derive(Debug, Clone)]
pub struct CreatedCluster {
    pub cluster_id: RecordId,
    pub name: String,
    pub head_unit_id: RecordId,
    pub head_unit_name: String,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

impl CreatedCluster {
    /// What `create-cluster` prints; `base` is the server's public URL.
    pub fn report(&self, base: &str) -> String {
        format!(
            "Created cluster \"{}\" (id {}), head unit \"{}\" (id {}).\n\
             Open this link on the head's device to join (valid until {}):\n{}{}\n",
            self.name,
            self.cluster_id,
            self.head_unit_name,
            self.head_unit_id,
            timestamp(self.expires_at),
            base.trim_end_matches('/'),
            join_link(&self.code),
        )
    }
}

fn random_record_id() -> Result<RecordId, CliError> {
    let id = new_id().map_err(|_| CliError::Random)?;
    RecordId::new(id).map_err(|_| CliError::Random)
}

/// Creates a cluster with its cluster record, head unit and this year's roles, and an
/// invite for the head.
pub async fn create_cluster(
    store: &dyn Store,
    args: &CreateClusterArgs,
    now: DateTime<Utc>,
) -> Result<CreatedCluster, CliError> {
    let name = args.name.trim();
    let head_unit_name = args.head_unit_name.trim();
    if !(1..=365).contains(&args.invite_days) {
        return Err(CliError::Invalid(
            "--invite-days must be between 1 and 365".into(),
        ));
    }
    let server = DeviceId::new(SERVER_DEVICE).map_err(|e| CliError::Invalid(e.to_string()))?;
    let cluster_id = random_record_id()?;
    let head_unit_id = random_record_id()?;
    let roles_id = random_record_id()?;
    let year = args.year.unwrap_or_else(|| now.year());
    let mut doc = Document::new(cluster_id.clone());
    let bodies: Vec<(RecordId, Body)> = vec![
        (
            cluster_id.clone(),
            Body::Cluster(Cluster {
                name: name.to_owned(),
                decision: Decision {
                    number: args.decision_number.trim().to_owned(),
                    date: args.decision_date.unwrap_or_else(|| now.date_naive()),
                    issuer: args.decision_issuer.trim().to_owned(),
                },
                year,
                former_units: Vec::new(),
            }),
        ),
        (
            head_unit_id.clone(),
            Body::Unit(Unit {
                name: head_unit_name.to_owned(),
                kind: UnitKind::GrassrootsUnion,
            }),
        ),
        (
            roles_id,
            Body::Roles(Roles {
                year,
                head: head_unit_id.clone(),
                deputy: None,
            }),
        ),
    ];
    for (id, body) in bodies {
        doc.put(id, body, &server, None, now);
    }
    for record in doc.records.values() {
        if let Some(body) = record.body() {
            if let Err(errors) = validate(&doc, body) {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                return Err(CliError::Invalid(format!(
                    "the {} would be invalid: {}",
                    record.kind,
                    list.join("; ")
                )));
            }
        }
    }
    let code = new_invite_code().map_err(|_| CliError::Random)?;
    let expires_at = now + chrono::TimeDelta::days(i64::from(args.invite_days));
    let invite = NewInvite {
        id: new_invite_id().map_err(|_| CliError::Random)?,
        code_hash: secret_hash(&code),
        cluster_id: cluster_id.clone(),
        unit_id: head_unit_id.clone(),
        role: Role::Head,
        created_by: None,
        created_at: now,
        expires_at: Some(expires_at),
        max_uses: None,
    };
    store
        .create_cluster(NewCluster {
            id: cluster_id.clone(),
            name: name.to_owned(),
            created_at: now,
            records: doc.records.values().cloned().collect(),
            head_invite: invite,
        })
        .await?;
    Ok(CreatedCluster {
        cluster_id,
        name: name.to_owned(),
        head_unit_id,
        head_unit_name: head_unit_name.to_owned(),
        code,
        expires_at,
    })
}

/// Invite links printed by `demo`.
#[derive(Debug, Clone)]
pub struct DemoInvites {
    pub cluster_id: RecordId,
    /// The cluster was created now (false: it existed, only new invites were made).
    pub created: bool,
    pub head_code: String,
    pub officer_code: String,
}

impl DemoInvites {
    pub fn report(&self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        format!(
            "{} demo cluster {}.\nCluster head (Lam Sơn): {base}{}\nUnit officer (MEDLATEC): {base}{}\n",
            if self.created { "Created the" } else { "Found the" },
            self.cluster_id,
            join_link(&self.head_code),
            join_link(&self.officer_code),
        )
    }
}

fn invite_for(
    cluster: &RecordId,
    unit: &RecordId,
    role: Role,
    now: DateTime<Utc>,
    days: u32,
) -> Result<(NewInvite, String), CliError> {
    let code = new_invite_code().map_err(|_| CliError::Random)?;
    let invite = NewInvite {
        id: new_invite_id().map_err(|_| CliError::Random)?,
        code_hash: secret_hash(&code),
        cluster_id: cluster.clone(),
        unit_id: unit.clone(),
        role,
        created_by: None,
        created_at: now,
        expires_at: Some(now + chrono::TimeDelta::days(i64::from(days))),
        max_uses: None,
    };
    Ok((invite, code))
}

/// Loads `thidua_core::demo` as a cluster (once; its ids are fixed) and makes invites for
/// its head and one officer.
pub async fn load_demo(store: &dyn Store, now: DateTime<Utc>) -> Result<DemoInvites, CliError> {
    let server = DeviceId::new(SERVER_DEVICE).map_err(|e| CliError::Invalid(e.to_string()))?;
    let demo = demo_reviewed(now.date_naive(), &server, now)
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let head_unit = demo
        .units
        .get(HEAD)
        .ok_or_else(|| CliError::Invalid("the demo has no head unit".into()))?;
    let officer_unit = demo
        .units
        .get(DEMO_OFFICER)
        .ok_or_else(|| CliError::Invalid("the demo has no officer unit".into()))?;
    let (head_invite, head_code) = invite_for(&demo.cluster, head_unit, Role::Head, now, 30)?;
    let (officer_invite, officer_code) =
        invite_for(&demo.cluster, officer_unit, Role::Officer, now, 30)?;
    let exists = store
        .record(demo.cluster.clone(), demo.cluster.clone())
        .await?
        .is_some();
    if exists {
        store.create_invite(head_invite).await?;
    } else {
        let name = match demo.document.body(&demo.cluster) {
            Some(Body::Cluster(c)) => c.name.clone(),
            _ => demo.cluster.to_string(),
        };
        store
            .create_cluster(NewCluster {
                id: demo.cluster.clone(),
                name,
                created_at: now,
                records: demo.document.records.values().cloned().collect(),
                head_invite,
            })
            .await?;
    }
    store.create_invite(officer_invite).await?;
    Ok(DemoInvites {
        cluster_id: demo.cluster,
        created: !exists,
        head_code,
        officer_code,
    })
}
