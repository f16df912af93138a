//! `/api/*`: JSON only, never the app shell.
use axum::extract::{OriginalUri, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;
use serde::Serialize;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;

use crate::error::ApiError;
use crate::extract::Json;
use crate::AppState;

pub mod admin;
pub mod export;
pub mod join;
pub mod live;
pub mod me;
pub mod openapi;
pub mod sync;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::handler))
        .route("/join", post(join::join))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/wait", get(live::wait))
        .route("/snapshot", get(sync::snapshot))
        .route(
            "/invites",
            post(admin::create_invite).get(admin::list_invites),
        )
        .route("/invites/{id}", delete(admin::revoke_invite))
        .route("/devices", get(admin::list_devices))
        .route("/devices/{id}", delete(admin::revoke_device))
        .route("/me", put(me::rename))
        .route("/export/summary.xlsx", get(export::summary_xlsx))
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(crate::BODY_LIMIT))
        .layer(middleware::from_fn(json_errors))
        // Workbooks are zip files already.
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new().and(NotForContentType::const_new(export::XLSX)),
            ),
        )
}

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub store: &'static str,
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.health().await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        store: state.store.kind(),
    }))
}

async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::from_status(axum::http::StatusCode::NOT_FOUND, uri.path())
}

/// Turns any non-JSON error produced by the router or a layer (405, 413, ...) into a
/// JSON `ApiError`, and marks every API response as not cacheable.
async fn json_errors(request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path().to_owned(), |u| u.path().to_owned());
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let allow = response.headers().get(axum::http::header::ALLOW).cloned();
        let path: String = path.chars().take(200).collect();
        response = ApiError::from_status(status, &path).into_response();
        if let Some(allow) = allow {
            response
                .headers_mut()
                .insert(axum::http::header::ALLOW, allow);
        }
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
