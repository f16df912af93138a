//! The one error type every handler returns, rendered as core's
//! [`ErrorBody`]: `{"error": "<code>", "message": "<plain English naming the problem>"}`.
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use thidua_core::wire::{ErrorBody, ErrorCode};

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is understood but a field is missing, of the wrong type or out of range.
    #[error("{0}")]
    BadRequest(String),
    /// The body is not JSON or not the JSON this endpoint expects.
    #[error("{0}")]
    InvalidJson(String),
    /// The body is not sent as `Content-Type: application/json`.
    #[error("the request body must be sent with Content-Type: application/json")]
    UnsupportedMediaType,
    /// The body was sent with another media type than the one this endpoint reads.
    #[error("{0}")]
    WrongMediaType(String),
    /// No or an unknown/revoked bearer token.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known but its role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    /// The invite was withdrawn by a head or deputy.
    #[error("{0}")]
    InviteWithdrawn(String),
    #[error("{0}")]
    InviteExpired(String),
    /// The invite was used as many times as it allows.
    #[error("{0}")]
    InviteUsedUp(String),
    #[error("the request body is larger than the {limit} bytes allowed")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    TooManyRequests(String),
    /// The request, its body included, took longer than the server allows.
    #[error("the request took too long to arrive; send it again")]
    RequestTimeout,
    /// No record of the caller's cluster names this evidence file (or it is another
    /// cluster's: the same answer, so nothing tells whether it exists elsewhere).
    #[error("{0}")]
    FileNotReferenced(String),
    /// A chunk does not start where the server's copy of the file ends.
    #[error("{0}")]
    OffsetMismatch(String),
    /// The bytes received do not have the SHA-256 that names the file.
    #[error("{0}")]
    HashMismatch(String),
    /// The bytes are not a JPEG, PNG, WebP or PDF (or not the type the record lists).
    #[error("{0}")]
    FileTypeNotAllowed(String),
    #[error("{0}")]
    FileTooLarge(String),
    #[error("{0}")]
    ClusterStorageFull(String),
    /// The cluster was archived by its federation's board: read only.
    #[error("{0}")]
    ClusterArchived(String),
    /// The data store did not answer; details are logged, not sent.
    #[error("the data store is not available right now; try again shortly")]
    StoreUnavailable,
    /// A bug or an unexpected failure; details are logged, not sent.
    #[error("the server hit an unexpected problem; it has been logged")]
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::InvalidJson(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType | Self::WrongMediaType(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) | Self::ClusterArchived(_) => StatusCode::CONFLICT,
            Self::InviteWithdrawn(_) | Self::InviteExpired(_) | Self::InviteUsedUp(_) => {
                StatusCode::GONE
            }
            Self::PayloadTooLarge { .. } | Self::FileTooLarge(_) | Self::ClusterStorageFull(_) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Self::FileNotReferenced(_) => StatusCode::FORBIDDEN,
            Self::OffsetMismatch(_) => StatusCode::CONFLICT,
            Self::HashMismatch(_) | Self::FileTypeNotAllowed(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::StoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine-readable code for the client.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::InvalidJson(_) => ErrorCode::InvalidJson,
            Self::UnsupportedMediaType | Self::WrongMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::Unauthorized(_) => ErrorCode::Unauthorized,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::InviteWithdrawn(_) => ErrorCode::InviteWithdrawn,
            Self::InviteExpired(_) => ErrorCode::InviteExpired,
            Self::InviteUsedUp(_) => ErrorCode::InviteUsedUp,
            Self::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::TooManyRequests(_) => ErrorCode::TooManyRequests,
            Self::RequestTimeout => ErrorCode::RequestTimeout,
            Self::FileNotReferenced(_) => ErrorCode::FileNotReferenced,
            Self::OffsetMismatch(_) => ErrorCode::OffsetMismatch,
            Self::HashMismatch(_) => ErrorCode::HashMismatch,
            Self::FileTypeNotAllowed(_) => ErrorCode::FileTypeNotAllowed,
            Self::FileTooLarge(_) => ErrorCode::FileTooLarge,
            Self::ClusterStorageFull(_) => ErrorCode::ClusterStorageFull,
            Self::ClusterArchived(_) => ErrorCode::ClusterArchived,
            Self::StoreUnavailable => ErrorCode::StoreUnavailable,
            Self::Internal => ErrorCode::Internal,
        }
    }

    /// An error for a status produced outside our handlers (router, layers).
    pub fn from_status(status: StatusCode, path: &str) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound(format!("there is no API endpoint at {path}")),
            StatusCode::METHOD_NOT_ALLOWED => {
                Self::MethodNotAllowed(format!("{path} does not accept this HTTP method"))
            }
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge {
                limit: crate::BODY_LIMIT,
            },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            s if s.is_client_error() => Self::BadRequest(format!(
                "the request to {path} was refused ({})",
                s.canonical_reason().unwrap_or("client error")
            )),
            _ => Self::Internal,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::warn!(code = %self.code(), "request failed");
        }
        let body = Json(ErrorBody {
            error: self.code(),
            message: self.to_string(),
        });
        (status, body).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        if let StoreError::ArchivedCluster(_) = err {
            return Self::ClusterArchived(
                "this cluster was archived by the federation's board: it is read only".into(),
            );
        }
        tracing::error!(error = %err, "store error");
        match err {
            StoreError::Busy => Self::StoreUnavailable,
            _ => Self::Internal,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge {
                limit: crate::BODY_LIMIT,
            },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            _ => match rejection {
                // serde's message names the field and what was expected.
                JsonRejection::JsonDataError(e) => {
                    Self::InvalidJson(format!("the JSON body does not fit: {}", source_text(&e)))
                }
                JsonRejection::JsonSyntaxError(e) => {
                    Self::InvalidJson(format!("the body is not valid JSON: {}", source_text(&e)))
                }
                other => Self::InvalidJson(format!("the body could not be read: {other}")),
            },
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        match rejection {
            QueryRejection::FailedToDeserializeQueryString(e) => Self::BadRequest(format!(
                "the query string does not fit: {}",
                source_text(&e)
            )),
            other => Self::BadRequest(format!("the query string could not be read: {other}")),
        }
    }
}

/// The innermost error message (serde's, naming field and position), not axum's wrapper.
fn source_text(err: &dyn std::error::Error) -> String {
    let mut current: &dyn std::error::Error = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}
