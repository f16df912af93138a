//! Bearer tokens, invite codes and the extractors that identify the calling device.
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use thidua_core::{role_in_force, roles_year, DeviceId, Document, InviteId, Role, UnitId};

use crate::error::ApiError;
use crate::store::DeviceAuth;
use crate::AppState;

/// Longest bearer token or invite code looked at (ours are 43 and 22 characters).
const MAX_SECRET_LEN: usize = 200;

fn random<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|err| {
        tracing::error!(%err, "no randomness available");
        ApiError::Internal
    })?;
    Ok(buf)
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Hex SHA-256: how tokens and invite codes are stored and looked up.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A new bearer token: 32 random bytes, base64url (43 characters).
pub fn new_token() -> Result<String, ApiError> {
    Ok(b64url(&random::<32>()?))
}

/// A new invite code: 16 random bytes, base64url (22 characters).
pub fn new_invite_code() -> Result<String, ApiError> {
    Ok(b64url(&random::<16>()?))
}

/// A random id of 20 lowercase hex characters (80 bits), valid as device and record id.
pub fn new_id() -> Result<String, ApiError> {
    Ok(hex(&random::<10>()?))
}

pub fn new_device_id() -> Result<DeviceId, ApiError> {
    DeviceId::new(new_id()?).map_err(|_| ApiError::Internal)
}

pub fn new_invite_id() -> Result<InviteId, ApiError> {
    InviteId::new(new_id()?).map_err(|_| ApiError::Internal)
}

/// The bearer token of a request, if it has a well-formed one.
fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized(
            "this endpoint needs an `Authorization: Bearer <token>` header; join the cluster first"
                .into(),
        )
    })?;
    let value = value.to_str().unwrap_or_default();
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        ));
    }
    if token.len() > MAX_SECRET_LEN {
        return Err(ApiError::Unauthorized(
            "the bearer token is not valid".into(),
        ));
    }
    Ok(token)
}

/// The calling device, a cluster's or a board member's, identified by its bearer token (not
/// revoked).
#[derive(Debug, Clone)]
pub struct Caller(pub DeviceAuth);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        let hash = secret_hash(token);
        match state.store.authenticate(hash, chrono::Utc::now()).await? {
            Some(device) => Ok(Caller(device)),
            None => Err(ApiError::Unauthorized(
                "the bearer token is not valid or this device was removed from the cluster; join again"
                    .into(),
            )),
        }
    }
}

/// A device of a cluster (not a board member's: those work through `/api/board/…`, with a
/// cluster named per request).
#[derive(Debug, Clone)]
pub struct Device(pub DeviceAuth);

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Caller(device) = Caller::from_request_parts(parts, state).await?;
        if device.role.is_board() {
            return Err(ApiError::Forbidden(
                "this is a federation board member's device: it works through /api/board/".into(),
            ));
        }
        Ok(Device(device))
    }
}

/// A device of a federation's board: `device.cluster_id` is the federation's id and
/// `device.unit_id` the board's unit (see [`DeviceAuth`]).
#[derive(Debug, Clone)]
pub struct BoardMember {
    pub device: DeviceAuth,
}

impl BoardMember {
    pub fn federation(&self) -> &thidua_core::RecordId {
        &self.device.cluster_id
    }
}

impl FromRequestParts<AppState> for BoardMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Caller(device) = Caller::from_request_parts(parts, state).await?;
        if !device.role.is_board() {
            return Err(ApiError::Forbidden(
                "only a member of the federation's emulation board may do this".into(),
            ));
        }
        Ok(BoardMember { device })
    }
}

/// A device of the cluster head or deputy, by the role in force (see
/// [`thidua_core::role_in_force`]): the cluster's `Roles` records for its year, else the
/// device's invite.
#[derive(Debug, Clone)]
pub struct Manager {
    pub device: DeviceAuth,
    /// The role in force: head or deputy.
    pub role: Role,
    /// The cluster's records that decide roles (cluster and `Roles`), to judge other devices'.
    pub roles: Document,
}

impl Manager {
    /// The role in force of a device (or invite) of `unit` whose invite role is `invite_role`.
    pub fn role_of(&self, unit: &UnitId, invite_role: Role) -> Role {
        role_in_force(&self.roles, unit, invite_role)
    }

    /// Whether this manager may hand out or take away access of `invite_role` for `unit`:
    /// neither that role nor the one it would carry in force may be head unless this manager
    /// is the head (see [`may_manage_role`]).
    pub fn may_manage(&self, unit: &UnitId, invite_role: Role) -> bool {
        may_manage_role(self.role, invite_role)
            && may_manage_role(self.role, self.role_of(unit, invite_role))
    }
}

impl FromRequestParts<AppState> for Manager {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Device(device) = Device::from_request_parts(parts, state).await?;
        let roles = state.store.role_records(device.cluster_id.clone()).await?;
        let role = device.role_in(&roles);
        if role.manages_cluster() {
            return Ok(Manager {
                device,
                role,
                roles,
            });
        }
        let why = match roles_year(&roles) {
            Some(year) if device.role.manages_cluster() => format!(
                "; the cluster's roles for {year} do not name this device's unit head or deputy"
            ),
            _ => String::new(),
        };
        Err(ApiError::Forbidden(format!(
            "only the cluster head or deputy may do this; this device is a {role}{why}"
        )))
    }
}

/// Whether `role` may be handed out (or taken away) by a manager with `manager` role (both
/// roles in force): deputies cannot create or remove head access.
pub fn may_manage_role(manager: Role, role: Role) -> bool {
    manager == Role::Head || role != Role::Head
}

/// The window over which failed joins are counted.
pub const JOIN_WINDOW_MS: i64 = 60_000;

/// How long an address must wait before its next join code is looked at, given its failed
/// attempts in the last [`JOIN_WINDOW_MS`] (`failures`, the latest at `last_failure_ms`).
///
/// Up to `limit` failures go through at once; past that one attempt is let through every
/// `JOIN_WINDOW_MS / limit` (a token bucket), not one a minute after a full lockout: an office
/// behind one address where some mistyped can still join with a correct code within seconds,
/// while a guesser stays at `limit` guesses a minute. Successful joins never count.
pub fn join_wait_ms(
    failures: u32,
    last_failure_ms: Option<i64>,
    now_ms: i64,
    limit: u32,
) -> Option<i64> {
    if failures < limit {
        return None;
    }
    let every = JOIN_WINDOW_MS / i64::from(limit.max(1));
    let since = now_ms - last_failure_ms.unwrap_or(i64::MIN / 2);
    (since < every).then(|| every - since)
}

/// The client's address: the socket peer, or with `behind_proxy` the last
/// `X-Forwarded-For` hop (the one the trusted proxy appended).
pub fn client_ip(parts: &Parts, behind_proxy: bool) -> Option<IpAddr> {
    if behind_proxy {
        // Only the hop our proxy appended counts: earlier ones are whatever the client sent.
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|s| s.trim().parse::<IpAddr>().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn secrets_have_expected_shape() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 43);
        assert!(t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(t, new_token().unwrap());
        assert_eq!(new_invite_code().unwrap().len(), 22);
        assert_eq!(new_id().unwrap().len(), 20);
        assert_eq!(
            secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn bearer_parsing() {
        let parts = |v: Option<&str>| {
            let mut b = axum::http::Request::builder();
            if let Some(v) = v {
                b = b.header("authorization", v);
            }
            b.body(()).unwrap().into_parts().0
        };
        assert_eq!(bearer(&parts(Some("Bearer abc"))).unwrap(), "abc");
        assert_eq!(bearer(&parts(Some("bearer  abc "))).unwrap(), "abc");
        assert!(bearer(&parts(None)).is_err());
        assert!(bearer(&parts(Some("Basic abc"))).is_err());
        assert!(bearer(&parts(Some("Bearer"))).is_err());
        assert!(bearer(&parts(Some(&format!("Bearer {}", "x".repeat(201))))).is_err());
    }

    #[test]
    fn forwarded_ip_only_when_behind_proxy() {
        let mut parts = axum::http::Request::builder()
            .header("x-forwarded-for", "203.0.113.9, 198.51.100.7")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        parts
            .extensions
            .insert(ConnectInfo::<SocketAddr>("10.0.0.1:5000".parse().unwrap()));
        assert_eq!(client_ip(&parts, false).unwrap().to_string(), "10.0.0.1");
        assert_eq!(client_ip(&parts, true).unwrap().to_string(), "198.51.100.7");
    }

    #[test]
    fn join_limit_is_a_burst_then_a_trickle() {
        assert_eq!(join_wait_ms(0, None, 1_000, 10), None);
        assert_eq!(join_wait_ms(9, Some(1_000), 1_000, 10), None);
        // Ten failures: the next attempt waits until 6 s after the last failure.
        assert_eq!(join_wait_ms(10, Some(1_000), 1_000, 10), Some(6_000));
        assert_eq!(join_wait_ms(10, Some(1_000), 5_000, 10), Some(2_000));
        assert_eq!(join_wait_ms(10, Some(1_000), 7_000, 10), None);
        assert_eq!(join_wait_ms(30, Some(1_000), 7_000, 10), None);
        assert_eq!(join_wait_ms(1, Some(1_000), 1_000, 0), Some(60_000));
    }

    #[test]
    fn deputies_cannot_manage_heads() {
        assert!(may_manage_role(Role::Head, Role::Head));
        assert!(may_manage_role(Role::Deputy, Role::Officer));
        assert!(may_manage_role(Role::Deputy, Role::Deputy));
        assert!(!may_manage_role(Role::Deputy, Role::Head));
    }
}
