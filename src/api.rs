//! The only code in the app that talks to the network: the sync endpoint of
//! the server that served the app (same origin, under `/api/`). What it sends and reads are
//! core's wire types (`thidua_core::wire`), the ones the server answers with.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use thidua_core::wire::{
    DeviceRevoked, ErrorBody, ErrorCode, FilesStatusRequest, FilesStatusResponse, InviteRequest,
    JoinRequest, PullResponse, PushRequest, PushResponse, RenameRequest, WaitResponse,
};
use thidua_core::{Record, Role, UnitId};

/// A new invite: the code is shown once; `link` is `/join#<code>`.
pub use thidua_core::wire::InviteCreated as Invite;
pub use thidua_core::wire::{
    DeviceInfo, FileProgress, InviteInfo, InviteState, JoinResponse, Rejection,
};

/// Why a call did not succeed, in words the sync bar can show.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No network, or the server could not be reached.
    Unreachable,
    /// The server no longer knows this device (`unauthorized`: revoked or unknown token).
    Unauthorized(String),
    /// The server answered with an error and said why: its code (`invite_withdrawn`…) and
    /// its words.
    Server {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    /// The answer could not be read.
    BadAnswer(String),
}

impl ApiError {
    /// Errors worth retrying later without the user doing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            // A captive portal or a proxy answering in place of the server: it passes.
            ApiError::BadAnswer(_) => true,
            ApiError::Unauthorized(_) => false,
        }
    }
}

/// Joins the cluster with an invite code.
pub async fn join(code: &str, device_name: &str) -> Result<JoinResponse, ApiError> {
    let signal = timeout_signal();
    let request = Request::post("/api/join")
        .abort_signal(signal.as_ref())
        .json(&JoinRequest {
            code: code.to_owned(),
            device_name: device_name.to_owned(),
        })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read(request.send().await).await
}

/// Sends changed records. A push that the server refused as a whole still
/// carries the per-record reasons, so that answer is read too.
pub async fn push(
    token: &str,
    push_id: &str,
    records: &[Record],
) -> Result<PushResponse, ApiError> {
    let request = bearer(Request::post("/api/sync/push"), token)
        .json(&PushRequest {
            push_id: push_id.to_owned(),
            records: records.iter().collect::<Vec<&Record>>(),
        })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
    if response.status() == 422 {
        if let Ok(body) = response.json::<PushResponse>().await {
            return Ok(body);
        }
        return Err(ApiError::Server {
            status: 422,
            code: ErrorCode::default(),
            message: "push refused".into(),
        });
    }
    read(Ok(response)).await
}

/// Tells the server this device's holder's name, which the head lists it by.
pub async fn rename_me(token: &str, name: &str) -> Result<(), ApiError> {
    let request = bearer(Request::put("/api/me"), token)
        .json(&RenameRequest {
            name: name.to_owned(),
        })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    ok(request.send().await).await?;
    Ok(())
}

/// Fetches the changes after `since`.
pub async fn pull(token: &str, since: u64) -> Result<PullResponse, ApiError> {
    let request = bearer(
        Request::get(&format!("/api/sync/pull?since={since}")),
        token,
    );
    read(request.send().await).await
}

/// Waits (up to about 25 seconds, the server's choice) until the cluster has changes after
/// `since`; `true` when it has.
pub async fn wait(token: &str, since: u64) -> Result<bool, ApiError> {
    let signal = abort_after(WAIT_TIMEOUT_MS);
    let request = Request::get(&format!("/api/sync/wait?since={since}"))
        .header("Authorization", &format!("Bearer {token}"))
        .abort_signal(signal.as_ref());
    read::<WaitResponse>(request.send().await)
        .await
        .map(|w| w.changed)
}

/// A wait is held by the server for 25 s; one unanswered after this is given up.
const WAIT_TIMEOUT_MS: i32 = 40_000;

/// A sync request still unanswered after this is given up (and retried with the
/// backoff), so that a stalled connection never holds the sync loop.
const SYNC_TIMEOUT_MS: i32 = 30_000;

/// A signal that aborts a request, its body included, after [`SYNC_TIMEOUT_MS`].
fn timeout_signal() -> Option<web_sys::AbortSignal> {
    abort_after(SYNC_TIMEOUT_MS)
}

/// A signal that aborts a request, its body included, after `ms`.
fn abort_after(ms: i32) -> Option<web_sys::AbortSignal> {
    use wasm_bindgen::JsCast;
    let controller = web_sys::AbortController::new().ok()?;
    let signal = controller.signal();
    let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
    web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), ms)
        .ok()?;
    Some(signal)
}

/// The answer's body as `T`, or why there is none.
async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    ok(sent)
        .await?
        .json::<T>()
        .await
        .map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// The answer if it is a success, else the error it says. Not generic, so the app carries one
/// copy of it whatever the answer's type.
async fn ok(sent: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = sent.map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let (code, message) = match response.json::<ErrorBody>().await {
        Ok(body) => (body.error, body.message),
        Err(_) => (ErrorCode::default(), response.status_text()),
    };
    // The code says the device is out, whatever the status: a proxy's 401 is not the
    // server's word.
    Err(match code {
        ErrorCode::Unauthorized => ApiError::Unauthorized(message),
        code => ApiError::Server {
            status,
            code,
            message,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// Cluster head and deputy: invites, devices, the summary spreadsheet.

fn bearer(request: gloo_net::http::RequestBuilder, token: &str) -> gloo_net::http::RequestBuilder {
    request
        .header("Authorization", &format!("Bearer {token}"))
        .abort_signal(timeout_signal().as_ref())
}

/// Creates an invite for a member unit and role, usable `max_uses` times (or without limit).
pub async fn create_invite(
    token: &str,
    unit_id: &str,
    role: Role,
    max_uses: Option<u32>,
) -> Result<Invite, ApiError> {
    // Not an id (never, from the unit list): refused here, as the server would.
    let unit_id = UnitId::new(unit_id).map_err(|_| ApiError::Server {
        status: 400,
        code: ErrorCode::BadRequest,
        message: "unit_id is not a valid id".into(),
    })?;
    let request = bearer(Request::post("/api/invites"), token)
        .json(&InviteRequest {
            unit_id,
            role,
            expires_in_days: None,
            max_uses,
        })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read(request.send().await).await
}

/// Whose links and devices: the cluster's (its units' people) or the federation board's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seat {
    Cluster,
    Board,
}

impl Seat {
    fn base(self) -> &'static str {
        match self {
            Seat::Cluster => "/api",
            Seat::Board => "/api/board",
        }
    }
}

/// The seat's invite links, withdrawn and expired ones included.
pub async fn invites(token: &str, seat: Seat) -> Result<Vec<InviteInfo>, ApiError> {
    let uri = format!("{}/invites", seat.base());
    read(bearer(Request::get(&uri), token).send().await).await
}

/// Withdraws an invite link: nobody joins with it any more.
pub async fn withdraw_invite(token: &str, seat: Seat, id: &str) -> Result<(), ApiError> {
    let uri = format!("{}/invites/{id}", seat.base());
    ok(bearer(Request::delete(&uri), token).send().await).await?;
    Ok(())
}

/// The seat's devices, revoked ones included.
pub async fn devices(token: &str, seat: Seat) -> Result<Vec<DeviceInfo>, ApiError> {
    let uri = format!("{}/devices", seat.base());
    read(bearer(Request::get(&uri), token).send().await).await
}

/// Revokes a device: its token stops working. `withdraw` also withdraws the link it joined
/// with, and `replace` makes a fresh one for its unit (so that "removed" means removed).
pub async fn revoke_device(
    token: &str,
    seat: Seat,
    id: &str,
    withdraw: bool,
    replace: bool,
) -> Result<DeviceRevoked, ApiError> {
    let uri = format!(
        "{}/devices/{id}?withdraw_invite={withdraw}&replace_invite={replace}",
        seat.base()
    );
    read(bearer(Request::delete(&uri), token).send().await).await
}

/// The campaign summary as an Excel workbook, made by the server.
pub async fn summary_xlsx(
    token: &str,
    campaign: &str,
    lang: crate::i18n::Lang,
) -> Result<Vec<u8>, ApiError> {
    let uri = format!(
        "/api/export/summary.xlsx?campaign={campaign}&lang={}",
        lang.tag()
    );
    ok(bearer(Request::get(&uri), token).send().await)
        .await?
        .binary()
        .await
        .map_err(|e| ApiError::BadAnswer(e.to_string()))
}

/// The board's dashboard as an Excel workbook, made by the server.
pub async fn board_xlsx(token: &str, lang: crate::i18n::Lang) -> Result<Vec<u8>, ApiError> {
    let uri = format!("/api/board/dashboard.xlsx?lang={}", lang.tag());
    ok(bearer(Request::get(&uri), token).send().await)
        .await?
        .binary()
        .await
        .map_err(|e| ApiError::BadAnswer(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Evidence files: uploaded in chunks by offset (resumable), asked after, read back.

/// What the server has of a file so far (to resume an upload from there).
pub async fn upload_status(token: &str, hash: &str) -> Result<FileProgress, ApiError> {
    read(
        bearer(Request::get(&format!("/api/files/{hash}/upload")), token)
            .send()
            .await,
    )
    .await
}

/// Sends one chunk of a file, starting at `offset`; the answer says what the server now has.
pub async fn upload_chunk(
    token: &str,
    file: &thidua_core::files::FileRef,
    offset: u64,
    chunk: &[u8],
) -> Result<FileProgress, ApiError> {
    let uri = format!(
        "/api/files/{}?offset={offset}&size={}&type={}",
        file.hash,
        file.size,
        file.file_type.mime()
    );
    let body = js_sys::Uint8Array::from(chunk);
    let request = bearer(Request::put(&uri), token)
        .header("Content-Type", "application/octet-stream")
        .body(body)
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read(request.send().await).await
}

/// Which of these files the server has whole, and how much of the others.
pub async fn files_status(
    token: &str,
    hashes: &[String],
) -> Result<std::collections::BTreeMap<String, FileProgress>, ApiError> {
    let request = bearer(Request::post("/api/files/status"), token)
        .json(&FilesStatusRequest {
            hashes: hashes.to_vec(),
        })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read::<FilesStatusResponse>(request.send().await)
        .await
        .map(|r| r.files)
}

/// A file's bytes from the server (for the head's review and the print view).
pub async fn file_bytes(token: &str, hash: &str) -> Result<web_sys::Blob, ApiError> {
    let sent = bearer(Request::get(&format!("/api/files/{hash}")), token)
        .send()
        .await;
    let bytes = ok(sent)
        .await?
        .binary()
        .await
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map_err(|_| ApiError::BadAnswer("not a blob".into()))
}

// ---------------------------------------------------------------------------------------------
// The requests the screens run as Leptos actions (joining, and the head's invites, devices and
// workbook). Every action is the same `Action<Call, Answer>` with the same function, so the app
// carries one copy of Leptos's action machinery instead of one per screen (about 20 KB of wasm).

/// A request run as an action, with what it needs.
#[derive(Clone)]
pub enum Call {
    /// [`join`].
    Join { code: String, device_name: String },
    /// [`invites`] and [`devices`], one after the other.
    Lists { token: String, seat: Seat },
    /// [`create_invite`].
    Invite {
        token: String,
        unit_id: String,
        role: Role,
        max_uses: Option<u32>,
    },
    /// [`withdraw_invite`].
    Withdraw {
        token: String,
        seat: Seat,
        id: String,
    },
    /// [`revoke_device`].
    Revoke {
        token: String,
        seat: Seat,
        id: String,
        withdraw: bool,
        replace: bool,
    },
    /// [`summary_xlsx`]; the answer names the campaign again.
    Xlsx {
        token: String,
        campaign: String,
        lang: crate::i18n::Lang,
    },
    /// [`board_invite`].
    BoardInvite { token: String },
    /// [`board_xlsx`]; the answer's name is the file's.
    BoardXlsx {
        token: String,
        lang: crate::i18n::Lang,
    },
}

/// What a [`Call`] answered: the variant of the same name.
#[derive(Clone)]
pub enum Answer {
    Join(Result<JoinResponse, ApiError>),
    Lists(
        Result<Vec<InviteInfo>, ApiError>,
        Result<Vec<DeviceInfo>, ApiError>,
    ),
    Invite(Result<Invite, ApiError>),
    Withdraw(Result<(), ApiError>),
    Revoke(Result<DeviceRevoked, ApiError>),
    Xlsx(String, Result<Vec<u8>, ApiError>),
}

/// An action that runs [`Call`]s; its value is the last one's [`Answer`].
pub type CallAction = leptos::prelude::Action<Call, Answer>;

/// A new action for a screen's requests (see [`Call`]).
pub fn action() -> CallAction {
    leptos::prelude::Action::new_local(|call: &Call| run(call.clone()))
}

async fn run(call: Call) -> Answer {
    match call {
        Call::Join { code, device_name } => Answer::Join(join(&code, &device_name).await),
        Call::Lists { token, seat } => {
            Answer::Lists(invites(&token, seat).await, devices(&token, seat).await)
        }
        Call::Invite {
            token,
            unit_id,
            role,
            max_uses,
        } => Answer::Invite(create_invite(&token, &unit_id, role, max_uses).await),
        Call::Withdraw { token, seat, id } => {
            Answer::Withdraw(withdraw_invite(&token, seat, &id).await)
        }
        Call::Revoke {
            token,
            seat,
            id,
            withdraw,
            replace,
        } => Answer::Revoke(revoke_device(&token, seat, &id, withdraw, replace).await),
        Call::Xlsx {
            token,
            campaign,
            lang,
        } => {
            let bytes = summary_xlsx(&token, &campaign, lang).await;
            Answer::Xlsx(campaign, bytes)
        }
        Call::BoardInvite { token } => Answer::Invite(board_invite(&token).await),
        Call::BoardXlsx { token, lang } => Answer::Xlsx(
            "tong-quan-cac-cum".to_owned(),
            board_xlsx(&token, lang).await,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// History of a record, and the federation's board.

pub use thidua_core::wire::{
    AwardHistoryQuery, AwardHistoryResponse, ClusterCreated, ClustersResponse,
    CreateClusterRequest, Dashboard, HistoryResponse, UnitMoved,
};

/// Every version of a record the server accepted, oldest first.
pub async fn history(token: &str, record: &str) -> Result<HistoryResponse, ApiError> {
    let uri = format!("/api/history/{}", encode(record));
    read(bearer(Request::get(&uri), token).send().await).await
}

/// The federation and its clusters.
pub async fn board_clusters(token: &str) -> Result<ClustersResponse, ApiError> {
    read(
        bearer(Request::get("/api/board/clusters"), token)
            .send()
            .await,
    )
    .await
}

/// Forms a cluster; the answer carries the head's invite.
pub async fn create_cluster(
    token: &str,
    body: &CreateClusterRequest,
) -> Result<ClusterCreated, ApiError> {
    let request = bearer(Request::post("/api/board/clusters"), token)
        .json(body)
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read(request.send().await).await
}

/// Archives a cluster (read only since), or brings it back.
pub async fn archive_cluster(token: &str, cluster: &str, archived: bool) -> Result<(), ApiError> {
    let uri = format!("/api/board/clusters/{}/archive", encode(cluster));
    let request = bearer(Request::post(&uri), token)
        .json(&thidua_core::wire::ArchiveClusterRequest { archived })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    ok(request.send().await).await?;
    Ok(())
}

/// Moves a unit from one cluster of the federation to another.
pub async fn move_unit(
    token: &str,
    body: &thidua_core::wire::MoveUnitRequest,
) -> Result<UnitMoved, ApiError> {
    let request = bearer(Request::post("/api/board/units/move"), token)
        .json(body)
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read(request.send().await).await
}

/// A new head's link for a cluster of the federation (the head's phone lost, or handed on).
pub async fn board_head_invite(token: &str, cluster: &str) -> Result<Invite, ApiError> {
    let uri = format!("/api/board/clusters/{}/head-invite", encode(cluster));
    read(bearer(Request::post(&uri), token).send().await).await
}

/// An invite for another board member.
pub async fn board_invite(token: &str) -> Result<Invite, ApiError> {
    let request = bearer(Request::post("/api/board/invites"), token)
        .json(&thidua_core::wire::BoardInviteRequest::default())
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    read(request.send().await).await
}

/// The roll-up across the federation's clusters, computed by the server.
pub async fn dashboard(token: &str) -> Result<Dashboard, ApiError> {
    read(
        bearer(Request::get("/api/board/dashboard"), token)
            .send()
            .await,
    )
    .await
}

/// Accepted awards across the federation's clusters and years.
pub async fn board_awards(
    token: &str,
    query: &AwardHistoryQuery,
) -> Result<AwardHistoryResponse, ApiError> {
    let mut params = Vec::new();
    if let Some(u) = query.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        params.push(format!("unit={}", encode(u.trim())));
    }
    if let Some(p) = query.person.as_deref().filter(|p| !p.trim().is_empty()) {
        params.push(format!("person={}", encode(p.trim())));
    }
    if let Some(k) = query.kind {
        if let Ok(serde_json::Value::String(k)) = serde_json::to_value(k) {
            params.push(format!("kind={k}"));
        }
    }
    let uri = format!("/api/board/awards?{}", params.join("&"));
    read(bearer(Request::get(&uri), token).send().await).await
}

/// Writes records (a decision on a proposal) into a cluster of the federation, as the board.
pub async fn board_push(
    token: &str,
    cluster: &str,
    push_id: &str,
    records: &[Record],
) -> Result<PushResponse, ApiError> {
    let uri = format!("/api/board/clusters/{}/push", encode(cluster));
    let request = bearer(Request::post(&uri), token)
        .json(&PushRequest {
            push_id: push_id.to_owned(),
            records: records.iter().collect::<Vec<&Record>>(),
        })
        .map_err(|e| ApiError::BadAnswer(e.to_string()))?;
    let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
    if response.status() == 422 {
        if let Ok(body) = response.json::<PushResponse>().await {
            return Ok(body);
        }
    }
    read(Ok(response)).await
}

/// A path or query part, percent-encoded.
fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
