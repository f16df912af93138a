//! The accept loop: `axum::serve` without its gaps. Each connection holds a permit of a
//! semaphore, so at most [`Limits::max_connections`] are open (the rest wait in the kernel's
//! backlog, costing no file handle here); a connection that takes longer than
//! [`Limits::header_timeout`] to send a request's headers, or stays idle that long between
//! requests, is closed; a request whose handler (body included) takes longer than
//! [`Limits::request_timeout`] gets 408 ([`request_timeout`]).
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt as _;

/// Connection limits of [`crate::serve`].
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections open at once (each costs a file handle).
    pub max_connections: usize,
    /// Time to send a request's headers, and the longest idle time of a kept-alive connection.
    pub header_timeout: Duration,
    /// Time for a request's handler, reading its body included.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // Well under the usual limit of 1024 file handles per process.
            max_connections: 512,
            header_timeout: Duration::from_secs(20),
            // A 1 MB push over a weak 2G signal takes about half a minute; so does an evidence
            // chunk (at most 1 MiB). A chunk cut by this timeout keeps the bytes that arrived,
            // and the upload goes on from there.
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// Middleware: a request must be handled, its body read included, within `limit`; a body sent
/// a byte at a time gets a JSON 408 instead of holding its connection.
pub async fn request_timeout(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => axum::response::IntoResponse::into_response(crate::ApiError::RequestTimeout),
    }
}

/// How long shutting down waits for open requests to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets open
/// requests finish (for at most [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    // HTTP/1 only: browsers speak HTTP/2 only over TLS, which a proxy in front ends; and
    // detecting the version first would wait, without a timeout, for a silent client.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    loop {
        // A permit first: past the cap, connections wait in the backlog, not in memory.
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(err) => {
                    // Out of file handles and the like: wait instead of spinning.
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(axum::body::Body::new)
            });
        let service = TowerToHyperService::new(service);
        let builder = Arc::clone(&builder);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(err) = result {
                            tracing::debug!(%err, "connection ended");
                        }
                        break;
                    }
                    changed = stop.changed() => {
                        conn.as_mut().graceful_shutdown();
                        if changed.is_err() {
                            // Nothing more to wait for from the sender.
                            let _ = conn.as_mut().await;
                            break;
                        }
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection task holds a permit: all of them back means all closed.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(all)).await;
    Ok(())
}
