//! Security headers, including a Content-Security-Policy that allows exactly the
//! inline scripts of the served `index.html` (Trunk injects one to load the wasm).
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Returns the raw text of every inline `<script>` (one without a `src` attribute), in order.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<script") {
        let start = pos + found;
        let after_name = start + "<script".len();
        // `<scripts>` or `<script-x>` are other tags.
        match lower.as_bytes().get(after_name) {
            Some(b) if b.is_ascii_whitespace() || *b == b'>' || *b == b'/' => {}
            _ => {
                pos = after_name;
                continue;
            }
        }
        let Some(tag_end) = find_tag_end(&lower, after_name) else {
            break;
        };
        let attrs = &lower[after_name..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = lower[body_start..].find("</script") else {
            break;
        };
        let body_end = body_start + close;
        if !has_attribute(attrs, "src") {
            // `lower` and `html` have the same byte offsets (ASCII lowering only).
            out.push(&html[body_start..body_end]);
        }
        pos = body_end + "</script".len();
    }
    out
}

/// Index of the `>` closing a start tag, skipping quoted attribute values.
fn find_tag_end(s: &str, from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            (None, _) => {}
        }
    }
    None
}

/// Whether a (lowercased) attribute list contains the attribute `name`.
fn has_attribute(attrs: &str, name: &str) -> bool {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        if &attrs[start..i] == name {
            return true;
        }
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
        if i == start {
            i += 1;
        }
    }
    false
}

/// `'sha256-<base64>'` source expressions for the inline scripts of `html`.
pub fn script_hashes(html: &str) -> Vec<String> {
    inline_scripts(html)
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

/// The full policy for a given index.html (or none).
pub fn policy(index_html: Option<&str>) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in index_html.map(script_hashes).unwrap_or_default() {
        script_src.push(' ');
        script_src.push_str(&hash);
    }
    // Evidence photos are shown from blob: URLs (thumbnails, full screen) and a PDF in a
    // frame or object of its blob: URL; blobs are made by the app itself from bytes it read.
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

struct Cached {
    mtime: Option<SystemTime>,
    checked: Instant,
    value: HeaderValue,
}

/// The current CSP header, recomputed when index.html's modification time changes
/// (checked at most once per `recheck`).
pub struct Csp {
    index: PathBuf,
    recheck: Duration,
    cached: RwLock<Cached>,
}

impl Csp {
    pub fn new(index: impl Into<PathBuf>, recheck: Duration) -> Self {
        let index = index.into();
        let (mtime, value) = load(&index);
        Self {
            index,
            recheck,
            cached: RwLock::new(Cached {
                mtime,
                checked: Instant::now(),
                value,
            }),
        }
    }

    pub fn header(&self) -> HeaderValue {
        {
            let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
            if cached.checked.elapsed() < self.recheck {
                return cached.value.clone();
            }
        }
        let mtime = modified(&self.index);
        let mut cached = self.cached.write().unwrap_or_else(PoisonError::into_inner);
        cached.checked = Instant::now();
        if mtime != cached.mtime {
            let (mtime, value) = load(&self.index);
            cached.mtime = mtime;
            cached.value = value;
            tracing::info!("index.html changed; Content-Security-Policy recomputed");
        }
        cached.value.clone()
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn load(index: &Path) -> (Option<SystemTime>, HeaderValue) {
    let mtime = modified(index);
    let html = std::fs::read_to_string(index).ok();
    let value = HeaderValue::from_str(&policy(html.as_deref()))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    (mtime, value)
}

/// Middleware adding the security headers to every response.
pub async fn headers(State(csp): State<Arc<Csp>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // A response with a policy of its own (an evidence file: `sandbox`) keeps it.
    if !h.contains_key(CONTENT_SECURITY_POLICY) {
        h.insert(CONTENT_SECURITY_POLICY, csp.header());
    }
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TRUNK_LIKE: &str = r#"<!doctype html>
<html><head>
<link rel="modulepreload" href="/thidua-1a2b3c4d5e6f7a8b.js" crossorigin="anonymous">
<script src="/other.js"></script>
<SCRIPT type="module">
import init, * as bindings from '/thidua-1a2b3c4d5e6f7a8b.js';
const wasm = await init({ module_or_path: '/thidua-1a2b3c4d5e6f7a8b_bg.wasm' });
</SCRIPT>
<script data-note="a > b" type="text/javascript">console.log("x")</script>
<scripts>not a script</scripts>
</head><body></body></html>"#;

    #[test]
    fn extracts_only_inline_scripts_exactly() {
        let scripts = inline_scripts(TRUNK_LIKE);
        assert_eq!(scripts.len(), 2);
        assert!(scripts[0].starts_with("\nimport init"));
        assert!(scripts[0].ends_with("_bg.wasm' });\n"));
        assert_eq!(scripts[1], r#"console.log("x")"#);
    }

    #[test]
    fn hashes_match_known_sha256() {
        // echo -n 'console.log("x")' | openssl dgst -sha256 -binary | base64
        let html = r#"<script>console.log("x")</script>"#;
        assert_eq!(
            script_hashes(html),
            vec!["'sha256-UhmjnsS5y53J5R2rogJZ1Nssebi34s+ck3+meO17Kik='".to_owned()]
        );
        assert!(script_hashes("<script></script>")[0]
            .contains("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    }

    #[test]
    fn src_detection_is_attribute_based() {
        assert!(has_attribute(r#" type="module" src="/a.js""#, "src"));
        assert!(has_attribute(" src=/a.js", "src"));
        assert!(!has_attribute(r#" data-src="/a.js""#, "src"));
        assert!(!has_attribute(r#" title="src=x""#, "src"));
        assert!(has_attribute(" async src", "src"));
    }

    #[test]
    fn unterminated_or_odd_html_does_not_panic() {
        for html in [
            "<script",
            "<script>",
            "<script type='x",
            "<script>never closed",
            "é<script>é</script>",
            "<scriptx>",
            "",
        ] {
            let _ = script_hashes(html);
        }
        assert_eq!(inline_scripts("é<script>é</script>"), vec!["é"]);
    }

    #[test]
    fn policy_lists_hashes_in_script_src() {
        let p = policy(Some("<script>a</script>"));
        assert!(p.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(p.ends_with("frame-ancestors 'none'"));
        assert!(policy(None).contains("script-src 'self' 'wasm-unsafe-eval'; style-src"));
    }

    #[test]
    fn recomputed_when_index_changes() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index.html");
        std::fs::write(&index, "<script>a</script>").unwrap();
        let csp = Csp::new(&index, Duration::ZERO);
        let first = csp.header();
        std::fs::write(&index, "<script>b</script>").unwrap();
        let f = std::fs::File::options().write(true).open(&index).unwrap();
        f.set_modified(SystemTime::now() + Duration::from_secs(5))
            .unwrap();
        let second = csp.header();
        assert_ne!(first, second);
        assert_eq!(second.to_str().unwrap(), policy(Some("<script>b</script>")));
    }
}
