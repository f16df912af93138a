//! `POST /api/join`: trade an invite code for a device token.
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use thidua_core::wire::{ErrorBody, Federation, JoinRequest, JoinResponse};

use crate::auth::{client_ip, new_device_id, new_token, secret_hash};
use crate::error::ApiError;
use crate::extract::Json;
use crate::store::{JoinAttempt, JoinOutcome, NewDevice};
use crate::AppState;

pub use thidua_core::wire::MAX_DEVICE_NAME;

/// A device's name as its holder typed it (trimmed), or why it cannot be one.
pub fn device_name<'a>(typed: &'a str, field: &str) -> Result<&'a str, ApiError> {
    let name = typed.trim();
    if name.is_empty() {
        return Err(ApiError::BadRequest(format!(
            "{field} is required (e.g. \"Điện thoại chị Lan\")"
        )));
    }
    if name.chars().count() > MAX_DEVICE_NAME {
        return Err(ApiError::BadRequest(format!(
            "{field} is longer than {MAX_DEVICE_NAME} characters"
        )));
    }
    Ok(name)
}
const MAX_CODE: usize = 200;

/// Trade an invite code for a device token
///
/// Up to 10 failed attempts from one address within a minute are looked at; after that one
/// attempt every 6 seconds is (the others get 429 with `Retry-After`), so an office behind one
/// address still gets in with a correct code. Successful joins do not count. The limit is
/// checked and a failure recorded in one step, so parallel attempts cannot pass it.
// Checks the rate limit before reading the body, hence the whole request as input.
#[utoipa::path(
    post,
    path = "/join",
    operation_id = "join",
    tag = "devices",
    request_body = JoinRequest,
    responses(
        (status = 201, description = "Joined: keep the token.", body = JoinResponse),
        (status = 403, description = "The code is unknown (`forbidden`); each failure counts \
            towards the rate limit.", body = ErrorBody),
        (status = 410, description = "The invite can no longer be used: `invite_withdrawn` (a \
            head or deputy withdrew it), `invite_expired`, or `invite_used_up` (joined with \
            `max_uses` times). Each counts towards the rate limit.", body = ErrorBody),
        (status = 429, description = "Too many failed joins from this address \
            (`too_many_requests`); the code was not looked at.", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait."))),
    )
)]
pub async fn join(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    match join_inner(state, parts, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn too_many(retry_after_ms: i64) -> Response {
    let mut response = ApiError::TooManyRequests(
        "too many failed join attempts from this address; wait a few seconds and try again".into(),
    )
    .into_response();
    let secs = (retry_after_ms.max(0) + 999) / 1000;
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        response.headers_mut().insert("retry-after", v);
    }
    response
}

async fn join_inner(
    state: AppState,
    parts: Parts,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let ip = client_ip(&parts, state.settings.behind_proxy)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let now = chrono::Utc::now();
    let attempt = JoinAttempt {
        ip,
        now_ms: now.timestamp_millis(),
        limit: state.settings.join_attempts_per_minute,
    };
    // Early and cheap, before reading the body; `Store::join` decides again atomically.
    if let Some(wait) = state.store.join_wait(attempt.clone()).await? {
        return Ok(too_many(wait));
    }
    let request = axum::http::Request::from_parts(parts, body);
    let Json(join) =
        <Json<JoinRequest> as axum::extract::FromRequest<()>>::from_request(request, &()).await?;
    let name = device_name(&join.device_name, "device_name")?;
    let code = join.code.trim();
    // An over-long code is looked up like any other: it matches nothing, and counts.
    let code = if code.len() > MAX_CODE { "" } else { code };
    let token = new_token()?;
    let device = NewDevice {
        id: new_device_id()?,
        name: name.to_owned(),
        token_hash: secret_hash(&token),
        created_at: now,
    };
    let outcome = state.store.join(secret_hash(code), device, attempt).await?;
    match outcome {
        JoinOutcome::Joined {
            device,
            cluster_name,
        } => {
            tracing::info!(device = %device.device_id, cluster = %device.cluster_id, "device joined");
            // A board member's device belongs to its federation (see `DeviceAuth`).
            let federation = device.role.is_board().then(|| Federation {
                id: device.cluster_id.clone(),
                name: cluster_name.clone(),
                board_unit: device.unit_id.clone(),
            });
            let body = JoinResponse {
                token,
                device_id: device.device_id,
                cluster_id: device.cluster_id,
                cluster_name,
                unit_id: device.unit_id,
                role: device.role,
                federation,
            };
            Ok((StatusCode::CREATED, Json(body)).into_response())
        }
        JoinOutcome::RateLimited { retry_after_ms } => Ok(too_many(retry_after_ms)),
        JoinOutcome::Expired => Err(ApiError::InviteExpired(
            "this invite code has expired; ask the cluster head for a new link".into(),
        )),
        JoinOutcome::Revoked => Err(ApiError::InviteWithdrawn(
            "this invite code was withdrawn; ask the cluster head for a new link".into(),
        )),
        JoinOutcome::UsedUp => Err(ApiError::InviteUsedUp(
            "this invite code was used as many times as it allows; ask the cluster head for \
             a new link"
                .into(),
        )),
        JoinOutcome::UnknownCode => Err(ApiError::Forbidden(
            "this invite code is not valid; check the link or ask the cluster head for a new one"
                .into(),
        )),
    }
}
