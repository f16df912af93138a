//! Part 1: health, API 404s, static files, caching, compression, SPA fallback, headers, limits.
#![allow(clippy::unwrap_used)]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;

#[tokio::test]
async fn health_reports_ok_version_and_store() {
    let app = TestApp::new();
    let res = app.get("/api/health").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "application/json");
    assert_eq!(header(&res, "cache-control"), "no-store");
    let json = body_json(res).await;
    assert_eq!(json["status"], "ok");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["store"], "sqlite");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_not_the_app() {
    let app = TestApp::new();
    for uri in [
        "/api/nope",
        "/api/sync/nothing",
        "/api",
        "/api/",
        "/api/x.js",
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
        let json = body_json(res).await;
        assert_eq!(json["error"], "not_found", "{uri}");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("no API endpoint"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn wrong_method_on_api_is_json_405() {
    let app = TestApp::new();
    let res = app
        .send(Request::post("/api/health").body(Body::empty()).unwrap())
        .await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(header(&res, "allow").contains("GET"));
    let json = body_json(res).await;
    assert_eq!(json["error"], "method_not_allowed");
}

#[tokio::test]
async fn static_content_types() {
    let app = TestApp::new();
    for (uri, ty) in [
        ("/thidua-1a2b3c4d5e6f7a8b_bg.wasm", "application/wasm"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/thidua-1a2b3c4d5e6f7a8b.js", "text/javascript"),
        ("/sw.js", "text/javascript"),
        ("/style-0123456789abcdef.css", "text/css"),
        ("/icons/icon.svg", "image/svg+xml"),
        ("/icons/icon-192.png", "image/png"),
        ("/", "text/html"),
        ("/index.html", "text/html"),
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert!(
            header(&res, "content-type").starts_with(ty),
            "{uri}: {}",
            header(&res, "content-type")
        );
    }
}

#[tokio::test]
async fn cache_headers_hashed_vs_unhashed() {
    let app = TestApp::new();
    for uri in [
        "/thidua-1a2b3c4d5e6f7a8b_bg.wasm",
        "/thidua-1a2b3c4d5e6f7a8b.js",
        "/style-0123456789abcdef.css",
    ] {
        let res = app.get(uri).await;
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable",
            "{uri}"
        );
    }
    for uri in [
        "/",
        "/index.html",
        "/manifest.webmanifest",
        "/sw.js",
        "/icons/icon.svg",
        "/icons/icon-192.png",
        "/campaigns/42",
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{uri}");
    }
}

async fn get_with_encoding(app: &TestApp, uri: &str, accept: &str) -> axum::http::Response<Body> {
    app.send(
        Request::get(uri)
            .header("accept-encoding", accept)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn precompressed_siblings_are_chosen_by_accept_encoding() {
    let app = TestApp::new();
    let wasm = "/thidua-1a2b3c4d5e6f7a8b_bg.wasm";

    let res = get_with_encoding(&app, wasm, "gzip, deflate, br").await;
    assert_eq!(header(&res, "content-encoding"), "br");
    assert_eq!(header(&res, "content-type"), "application/wasm");
    assert!(header(&res, "vary")
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert_eq!(body_bytes(res).await, b"BR-WASM");

    let res = get_with_encoding(&app, wasm, "gzip").await;
    assert_eq!(header(&res, "content-encoding"), "gzip");
    assert_eq!(body_bytes(res).await, b"GZ-WASM");

    let res = get_with_encoding(&app, wasm, "identity").await;
    assert_eq!(header(&res, "content-encoding"), "");
    assert_eq!(body_bytes(res).await, b"\0asm\x01\0\0\0");

    // Only a .gz sibling exists for the js: br-capable clients get gzip.
    let res = get_with_encoding(&app, "/thidua-1a2b3c4d5e6f7a8b.js", "br, gzip").await;
    assert_eq!(header(&res, "content-encoding"), "gzip");
    assert_eq!(body_bytes(res).await, b"GZ-JS");

    // The SPA fallback also uses index.html's siblings.
    let res = get_with_encoding(&app, "/campaigns/1", "br").await;
    assert_eq!(header(&res, "content-encoding"), "br");
    assert!(header(&res, "content-type").starts_with("text/html"));
    assert_eq!(body_bytes(res).await, b"BR-INDEX");
}

#[tokio::test]
async fn api_json_is_compressed_on_the_fly() {
    let app = TestApp::new();
    let res = get_with_encoding(&app, "/api/health", "gzip").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), "gzip");
    let bytes = body_bytes(res).await;
    assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
}

#[tokio::test]
async fn spa_fallback_for_extensionless_paths_only() {
    let app = TestApp::new();
    for uri in ["/join", "/campaigns/42/report", "/apix", "/x?y=1"] {
        let res = app.get(uri).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert!(
            header(&res, "content-type").starts_with("text/html"),
            "{uri}"
        );
        assert_eq!(header(&res, "cache-control"), "no-cache");
        assert_eq!(body_bytes(res).await, index_html().as_bytes(), "{uri}");
    }
    for uri in [
        "/missing.js",
        "/thidua-ffffffffffffffff_bg.wasm",
        "/icons/none.png",
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{uri}");
    }
    // HEAD gets the shell's headers too.
    let res = app
        .send(Request::head("/join").body(Body::empty()).unwrap())
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn path_traversal_is_refused() {
    let app = TestApp::new();
    common::write(app.dist.path().parent().unwrap(), "secret.txt", b"secret");
    for uri in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/icons/..%2f..%2fsecret.txt",
    ] {
        let res = app.get(uri).await;
        assert_ne!(res.status(), StatusCode::OK, "{uri}");
        assert_ne!(body_bytes(res).await, b"secret", "{uri}");
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::new();
    let script_hash = thidua_server::security::script_hashes(&index_html());
    assert_eq!(script_hash.len(), 1);
    let expected_csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'",
        script_hash[0]
    );
    for uri in [
        "/",
        "/join",
        "/api/health",
        "/api/nope",
        "/missing.js",
        "/sw.js",
    ] {
        let res = app.get(uri).await;
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{uri}");
        assert_eq!(header(&res, "referrer-policy"), "no-referrer", "{uri}");
        assert_eq!(
            header(&res, "content-security-policy"),
            expected_csp,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn csp_hash_matches_the_inline_script() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(INLINE_SCRIPT.as_bytes());
    let expected = format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    let app = TestApp::new();
    let res = app.get("/").await;
    assert!(header(&res, "content-security-policy").contains(&expected));
}

#[tokio::test]
async fn oversize_bodies_get_a_json_413() {
    let app = TestApp::new();
    let mut big = br#"{"code":"x","device_name":""#.to_vec();
    big.extend(std::iter::repeat_n(b'a', thidua_server::BODY_LIMIT));
    big.extend(br#""}"#);
    for chunked in [false, true] {
        let mut req = Request::post("/api/join").header("content-type", "application/json");
        if !chunked {
            req = req.header("content-length", big.len());
        }
        let body = if chunked {
            // No Content-Length: the limit applies while reading.
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
            Body::from_stream(futures_stream(chunks))
        } else {
            Body::from(big.clone())
        };
        let res = app.send(req.body(body).unwrap()).await;
        assert_eq!(
            res.status(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "chunked={chunked}"
        );
        let json = body_json(res).await;
        assert_eq!(json["error"], "payload_too_large");
        assert!(json["message"].as_str().unwrap().contains("1048576 bytes"));
    }
}

fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::iter(chunks)
}
