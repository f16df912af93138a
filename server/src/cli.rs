//! Administrative subcommands.
use chrono::{DateTime, Datelike, Utc};
use thidua_core::{
    validate, Body, Cluster, Decision, DeviceId, Document, RecordId, Role, Roles, Unit, UnitKind,
};

use crate::api::admin::join_link;
use crate::auth::{new_id, new_invite_code, new_invite_id, secret_hash};
use crate::config::{CreateClusterArgs, CreateFederationArgs};
use crate::store::{
    timestamp, Author, NewBoardInvite, NewCluster, NewFederation, NewInvite, Store, StoreError,
};
use thidua_core::demo::{self, DEMO_OFFICER, HEAD};

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

/// The command line as the author of what it writes, for the history.
fn server_author(unit: &RecordId) -> Result<Author, CliError> {
    Ok(Author {
        device_id: DeviceId::new(SERVER_DEVICE).map_err(|e| CliError::Invalid(e.to_string()))?,
        device_name: "thidua-server".into(),
        unit_id: unit.clone(),
    })
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
    let federation = match &args.federation {
        Some(f) => {
            let id = RecordId::new(f.trim())
                .map_err(|e| CliError::Invalid(format!("--federation: {e}")))?;
            if store.federation_name(id.clone()).await?.is_none() {
                return Err(CliError::Invalid(format!("there is no federation {id}")));
            }
            Some(id)
        }
        None => None,
    };
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
            federation,
            author: server_author(&head_unit_id)?,
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
    /// The federation was created now (false: it existed, only new invites were made).
    pub created: bool,
    pub head_code: String,
    pub officer_code: String,
    pub federation_id: RecordId,
    pub board_code: String,
}

impl DemoInvites {
    pub fn report(&self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        format!(
            "{} demo federation {} with cluster {}.\nCluster head (Lam Sơn): {base}{}\n\
             Unit officer (MEDLATEC): {base}{}\nFederation board (Ban thi đua): {base}{}\n",
            if self.created {
                "Created the"
            } else {
                "Found the"
            },
            self.federation_id,
            self.cluster_id,
            join_link(&self.head_code),
            join_link(&self.officer_code),
            join_link(&self.board_code),
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

/// An invite for a board member of `federation`, and its code.
pub fn board_invite_for(
    federation: &RecordId,
    created_by: Option<DeviceId>,
    now: DateTime<Utc>,
    days: u32,
    max_uses: Option<u32>,
) -> Result<(NewBoardInvite, String), CliError> {
    let code = new_invite_code().map_err(|_| CliError::Random)?;
    let invite = NewBoardInvite {
        id: new_invite_id().map_err(|_| CliError::Random)?,
        code_hash: secret_hash(&code),
        federation_id: federation.clone(),
        created_by,
        created_at: now,
        expires_at: Some(now + chrono::TimeDelta::days(i64::from(days))),
        max_uses,
    };
    Ok((invite, code))
}

/// What `create-federation` made.
#[derive(Debug, Clone)]
pub struct CreatedFederation {
    pub id: RecordId,
    pub name: String,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

impl CreatedFederation {
    pub fn report(&self, base: &str) -> String {
        format!(
            "Created federation \"{}\" (id {}).\nOpen this link on a board member's device to \
             join its emulation board (valid until {}):\n{}{}\n",
            self.name,
            self.id,
            timestamp(self.expires_at),
            base.trim_end_matches('/'),
            join_link(&self.code),
        )
    }
}

/// Creates a federation and its board's first invite: the one thing a new installation's
/// board needs from the command line.
pub async fn create_federation(
    store: &dyn Store,
    args: &CreateFederationArgs,
    now: DateTime<Utc>,
) -> Result<CreatedFederation, CliError> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > thidua_core::wire::MAX_BOARD_NAME {
        return Err(CliError::Invalid(format!(
            "--name must be 1 to {} characters",
            thidua_core::wire::MAX_BOARD_NAME
        )));
    }
    if !(1..=365).contains(&args.invite_days) {
        return Err(CliError::Invalid(
            "--invite-days must be between 1 and 365".into(),
        ));
    }
    // Short enough that the board's unit id (`fed-<id>`) stays a valid id.
    let id = RecordId::new(format!("ld-{}", new_id().map_err(|_| CliError::Random)?))
        .map_err(|_| CliError::Random)?;
    let (invite, code) = board_invite_for(&id, None, now, args.invite_days, None)?;
    let expires_at = invite.expires_at.unwrap_or(now);
    store
        .create_federation(NewFederation {
            id: id.clone(),
            name: name.to_owned(),
            created_at: now,
            first_invite: invite,
        })
        .await?;
    Ok(CreatedFederation {
        id,
        name: name.to_owned(),
        code,
        expires_at,
    })
}

/// Loads `thidua_core::demo::federation` (once; its ids are fixed): the federation, its three
/// clusters, and invites for Cluster No. 18's head and one officer and for the board.
pub async fn load_demo(store: &dyn Store, now: DateTime<Utc>) -> Result<DemoInvites, CliError> {
    let server = DeviceId::new(SERVER_DEVICE).map_err(|e| CliError::Invalid(e.to_string()))?;
    let today = thidua_core::reporting::local_day(now);
    let fed =
        demo::federation(today, &server, now).map_err(|e| CliError::Invalid(e.to_string()))?;
    let c18 = fed
        .clusters
        .first()
        .ok_or_else(|| CliError::Invalid("the demo has no cluster".into()))?;
    let head_unit = c18
        .units
        .get(HEAD)
        .ok_or_else(|| CliError::Invalid("the demo has no head unit".into()))?;
    let officer_unit = c18
        .units
        .get(DEMO_OFFICER)
        .ok_or_else(|| CliError::Invalid("the demo has no officer unit".into()))?;
    let (head_invite, head_code) = invite_for(&c18.cluster, head_unit, Role::Head, now, 30)?;
    let (officer_invite, officer_code) =
        invite_for(&c18.cluster, officer_unit, Role::Officer, now, 30)?;
    let (board_invite, board_code) = board_invite_for(&fed.id, None, now, 30, None)?;
    let exists = store.federation_name(fed.id.clone()).await?.is_some();
    if exists {
        store.create_board_invite(board_invite).await?;
    } else {
        store
            .create_federation(NewFederation {
                id: fed.id.clone(),
                name: fed.name.clone(),
                created_at: now,
                first_invite: board_invite,
            })
            .await?;
    }
    let mut head_invite = Some(head_invite);
    for (cluster, head) in fed.clusters.iter().zip(&fed.heads) {
        let is_c18 = cluster.cluster == c18.cluster;
        if store
            .record(cluster.cluster.clone(), cluster.cluster.clone())
            .await?
            .is_some()
        {
            if is_c18 {
                if let Some(invite) = head_invite.take() {
                    store.create_invite(invite).await?;
                }
            }
            continue;
        }
        let invite = match head_invite.take().filter(|_| is_c18) {
            Some(invite) => invite,
            None => invite_for(&cluster.cluster, head, Role::Head, now, 30)?.0,
        };
        let name = match cluster.document.body(&cluster.cluster) {
            Some(Body::Cluster(c)) => c.name.clone(),
            _ => cluster.cluster.to_string(),
        };
        store
            .create_cluster(NewCluster {
                id: cluster.cluster.clone(),
                name,
                created_at: now,
                records: cluster.document.records.values().cloned().collect(),
                head_invite: invite,
                federation: Some(fed.id.clone()),
                author: server_author(head)?,
            })
            .await?;
    }
    store.create_invite(officer_invite).await?;
    Ok(DemoInvites {
        cluster_id: c18.cluster.clone(),
        created: !exists,
        head_code,
        officer_code,
        federation_id: fed.id,
        board_code,
    })
}
