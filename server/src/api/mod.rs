//! `/api/*`: JSON only, never the app shell.
//!
//! Each handler carries its `#[utoipa::path]` description and answers with core's wire types
//! (`thidua_core::wire`); [`routes`] registers each handler and its description in one step,
//! so the router and `/api/openapi.json` ([`openapi`]) cannot disagree.
use axum::extract::{OriginalUri, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use thidua_core::wire::{Health, HealthStatus};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::Json;
use crate::AppState;

pub mod admin;
pub mod board;
pub mod board_members;
pub mod export;
pub mod files;
pub mod history;
pub mod join;
pub mod live;
pub mod me;
pub mod openapi;
pub mod sync;

/// Every endpoint with its description, paths relative to `/api`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(openapi::handler))
        .routes(routes!(join::join))
        .routes(routes!(me::rename))
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull))
        .routes(routes!(live::wait))
        .routes(routes!(sync::snapshot))
        .routes(routes!(admin::create_invite, admin::list_invites))
        .routes(routes!(admin::revoke_invite))
        .routes(routes!(admin::list_devices))
        .routes(routes!(admin::revoke_device))
        .routes(routes!(export::summary_xlsx))
        .routes(routes!(history::history))
        .routes(routes!(board::list_clusters, board::create_cluster))
        .routes(routes!(board::archive_cluster))
        .routes(routes!(board::head_invite))
        .routes(routes!(board::move_unit))
        .routes(routes!(board::push))
        .routes(routes!(board::pull))
        .routes(routes!(board::snapshot))
        .routes(routes!(board::dashboard))
        .routes(routes!(export::dashboard_xlsx))
        .routes(routes!(board::awards))
        .routes(routes!(
            board_members::create_invite,
            board_members::list_invites
        ))
        .routes(routes!(board_members::revoke_invite))
        .routes(routes!(board_members::list_devices))
        .routes(routes!(board_members::revoke_device))
        .routes(routes!(files::upload_chunk, files::download))
        .routes(routes!(files::upload_progress))
        .routes(routes!(files::status))
}

pub fn router() -> Router<AppState> {
    let (router, _) = routes().split_for_parts();
    router
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(crate::BODY_LIMIT))
        .layer(middleware::from_fn(json_errors))
        // Workbooks are zip files already, and PDFs mostly compressed inside (photos are
        // left alone by the default predicate).
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new(export::XLSX))
                    .and(NotForContentType::const_new("application/pdf")),
            ),
        )
}

/// Liveness and store check
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "meta",
    responses((status = 200, description = "The server and its store answer.", body = Health))
)]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.health().await?;
    Ok(Json(Health {
        status: HealthStatus::Ok,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        store: state.store.kind(),
    }))
}

async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::from_status(axum::http::StatusCode::NOT_FOUND, uri.path())
}

/// Turns any non-JSON error produced by the router or a layer (405, 413, ...) into a
/// JSON `ApiError`, and marks every API response as not cacheable unless its handler said
/// otherwise (an evidence file never changes).
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
    let cacheable = status.is_success() && response.headers().contains_key(CACHE_CONTROL);
    if !cacheable {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
