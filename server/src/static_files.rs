//! The built app: files from the static folder (precompressed siblings preferred),
//! cache headers by file name, and the single-page-app fallback to `index.html`.
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};

use crate::{ApiError, AppState};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const NO_CACHE: &str = "no-cache";

#[derive(Debug, Clone)]
pub struct StaticFiles {
    dir: PathBuf,
    serve_dir: ServeDir,
    index: ServeFile,
}

impl StaticFiles {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let serve_dir = ServeDir::new(&dir)
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(true);
        let index = ServeFile::new(dir.join("index.html"))
            .precompressed_br()
            .precompressed_gzip();
        Self {
            dir,
            serve_dir,
            index,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn index_path(&self) -> PathBuf {
        self.dir.join("index.html")
    }

    pub async fn serve(&self, request: Request) -> Response {
        let path = request.uri().path().to_owned();
        if path == "/api" || path.starts_with("/api/") {
            // Whatever the router did not match under /api is an API 404, never the app.
            return ApiError::from_status(StatusCode::NOT_FOUND, truncate(&path)).into_response();
        }
        let method = request.method().clone();
        let headers = request.headers().clone();
        let response = match self.serve_dir.clone().oneshot(request).await {
            Ok(r) => r.map(Body::new),
            Err(never) => match never {},
        };
        let spa = response.status() == StatusCode::NOT_FOUND
            && (method == Method::GET || method == Method::HEAD)
            && !has_extension(&path);
        let mut response = if spa {
            let mut index_request = Request::new(Body::empty());
            *index_request.method_mut() = method;
            *index_request.headers_mut() = headers;
            match self.index.clone().oneshot(index_request).await {
                Ok(r) => r.map(Body::new),
                Err(never) => match never {},
            }
        } else {
            response
        };
        if response.status() == StatusCode::NOT_FOUND {
            response = (
                StatusCode::NOT_FOUND,
                format!("Not found: {}", truncate(&path)),
            )
                .into_response();
        }
        let ok = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
        let cache = if ok && !spa && is_content_hashed(&path) {
            IMMUTABLE
        } else {
            NO_CACHE
        };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
        // The body depends on Accept-Encoding (precompressed siblings).
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        response
    }
}

pub async fn handler(State(state): State<AppState>, request: Request) -> Response {
    state.files.serve(request).await
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(200) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Whether the last path segment has a file extension (`/app.js` yes, `/campaigns/42` no).
pub fn has_extension(path: &str) -> bool {
    Path::new(last_segment(path)).extension().is_some()
}

/// Whether the file name carries Trunk's content hash: `name-<hex>` followed by `.` or `_`
/// (`thidua-1a2b3c4d5e6f7a8b_bg.wasm`, `style-0123456789abcdef.css`). Trunk prints the
/// 64-bit hash without zero padding, so 12 to 16 hex digits are accepted.
pub fn is_content_hashed(path: &str) -> bool {
    let name = last_segment(path).as_bytes();
    name.iter().enumerate().any(|(i, &b)| {
        if b != b'-' {
            return false;
        }
        let digits = name[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
            .count();
        (12..=16).contains(&digits) && matches!(name.get(i + 1 + digits), Some(b'.' | b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        for yes in [
            "/thidua-1a2b3c4d5e6f7a8b_bg.wasm",
            "/thidua-1a2b3c4d5e6f7a8b.js",
            "/style-0123456789abcdef.css",
            "/assets/x-y-0123456789abcdef.svg",
            "/style-123456789abcdef.css",
        ] {
            assert!(is_content_hashed(yes), "{yes}");
        }
        for no in [
            "/",
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/icons/icon-192.png",
            "/style-0123456789abcdeg.css",
            "/style-0123456789ABCDEF.css",
            "/style-0123456789abcdef0.css",
            "/thidua-1a2b3c4d5e6f7a8b",
            "/thidua-1a2b3c4d5e6f7a8b-1a2b3c4d5e6f7a8b/index.html",
        ] {
            assert!(!is_content_hashed(no), "{no}");
        }
    }

    #[test]
    fn extensions() {
        assert!(has_extension("/a.js"));
        assert!(has_extension("/x/manifest.webmanifest"));
        assert!(!has_extension("/"));
        assert!(!has_extension("/campaigns/42"));
        assert!(!has_extension("/join"));
        assert!(!has_extension("/.hidden"));
    }
}
