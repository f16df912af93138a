//! Thi Đua server: serves the built app (`dist/`) and the JSON sync API under `/api`.
//!
//! [`app`] builds the whole router from an [`AppState`]; [`serve`] runs it on a listener
//! until a shutdown signal; [`run`] is what the binary calls.
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::{middleware, Router};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod extract;
pub mod files;
pub mod live;
pub mod net;
pub mod security;
pub mod static_files;
pub mod store;
pub mod sync;

pub use error::ApiError;
use security::Csp;
use static_files::StaticFiles;
use store::{SqliteStore, Store, StoreError};

/// Largest request body accepted (bigger ones get a 413 JSON error).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Tunables that are not paths.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Take the client address for rate limiting from the last `X-Forwarded-For` hop.
    pub behind_proxy: bool,
    /// Failed joins allowed per client address per minute.
    pub join_attempts_per_minute: u32,
    /// Connection cap and timeouts.
    pub limits: net::Limits,
    /// Where evidence files are kept (`<data>/files`).
    pub files_dir: PathBuf,
    /// Evidence files' limits and grace period.
    pub files: files::FileLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            behind_proxy: false,
            join_attempts_per_minute: 10,
            limits: net::Limits::default(),
            files_dir: PathBuf::from("data/files"),
            files: files::FileLimits::default(),
        }
    }
}

/// Shared by all handlers.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub files: Arc<StaticFiles>,
    pub csp: Arc<Csp>,
    pub settings: Arc<Settings>,
    /// Wakes the devices waiting for their cluster's changes.
    pub live: Arc<live::Live>,
    /// Evidence files' bytes (`settings.files_dir`).
    pub evidence: Arc<files::DiskFiles>,
    /// The board dashboard's cluster lines, until their cluster changes.
    pub dashboard: Arc<api::board::DashboardCache>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, static_dir: impl Into<PathBuf>) -> Self {
        Self::with_settings(store, static_dir, Settings::default())
    }

    pub fn with_settings(
        store: Arc<dyn Store>,
        static_dir: impl Into<PathBuf>,
        settings: Settings,
    ) -> Self {
        let files = StaticFiles::new(static_dir);
        let csp = Csp::new(files.index_path(), Duration::from_secs(1));
        let evidence = Arc::new(files::DiskFiles::new(settings.files_dir.clone()));
        Self {
            evidence,
            store,
            files: Arc::new(files),
            csp: Arc::new(csp),
            settings: Arc::new(settings),
            live: Arc::new(live::Live::default()),
            dashboard: Arc::default(),
        }
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let timeout = state.settings.limits.request_timeout;
    Router::new()
        .nest("/api", api::router())
        .fallback(static_files::handler)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state.csp),
            security::headers,
        ))
        .layer(middleware::from_fn_with_state(
            timeout,
            net::request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes open requests;
/// connections are capped and timed out as `state.settings.limits` say (see [`net`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Devices waiting for changes are answered at once, so they do not hold the shutdown.
    let live = Arc::clone(&state.live);
    let shutdown = async move {
        shutdown.await;
        live.close();
    };
    let limits = state.settings.limits.clone();
    net::serve(listener, app(state), &limits, shutdown).await
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Command(String),
}

/// Logs go to stderr (RUST_LOG overrides; default: warnings only) so that stdout
/// carries just the one "is running" line.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs the command line.
pub async fn run(cli: config::Cli) -> Result<(), RunError> {
    let global = cli.global;
    match cli.command.unwrap_or(config::Command::Serve) {
        config::Command::Serve => {
            let store = open_store(&global)?;
            if !global.static_dir.join("index.html").is_file() {
                tracing::warn!(
                    dir = %global.static_dir.display(),
                    "no index.html in the static folder; build the app with `trunk build --release`"
                );
            }
            let settings = Settings {
                behind_proxy: global.behind_proxy,
                limits: net::Limits {
                    max_connections: global.max_connections,
                    ..net::Limits::default()
                },
                files_dir: global.files_dir(),
                files: files::FileLimits {
                    max_file_bytes: global.max_file_bytes,
                    max_cluster_bytes: global.max_cluster_file_bytes,
                    grace: Duration::from_secs(u64::from(global.file_grace_days) * 24 * 3600),
                },
                ..Settings::default()
            };
            let state = AppState::with_settings(store, global.static_dir.clone(), settings);
            // At startup and then hourly: files no record names any more, stale uploads.
            let collector = files::spawn_collector(
                Arc::clone(&state.store),
                Arc::clone(&state.evidence),
                state.settings.files.grace,
                Duration::from_secs(3600),
            );
            let addr = SocketAddr::new(global.bind, global.port);
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|source| RunError::Bind { addr, source })?;
            let local = listener.local_addr()?;
            println!("Thi Đua is running: open {}", config::display_url(local));
            serve(listener, state, shutdown_signal()).await?;
            collector.abort();
            Ok(())
        }
        config::Command::CreateCluster(args) => {
            let store = open_store(&global)?;
            let base = args
                .public_url
                .clone()
                .unwrap_or_else(|| config::display_url(SocketAddr::new(global.bind, global.port)));
            let created = cli::create_cluster(store.as_ref(), &args, chrono::Utc::now())
                .await
                .map_err(|e| RunError::Command(e.to_string()))?;
            print!("{}", created.report(&base));
            Ok(())
        }
        config::Command::Demo(args) => {
            let store = open_store(&global)?;
            let base = args
                .public_url
                .clone()
                .unwrap_or_else(|| config::display_url(SocketAddr::new(global.bind, global.port)));
            let invites = cli::load_demo(store.as_ref(), chrono::Utc::now())
                .await
                .map_err(|e| RunError::Command(e.to_string()))?;
            print!("{}", invites.report(&base));
            Ok(())
        }
        config::Command::CreateFederation(args) => {
            let store = open_store(&global)?;
            let base = args
                .public_url
                .clone()
                .unwrap_or_else(|| config::display_url(SocketAddr::new(global.bind, global.port)));
            let created = cli::create_federation(store.as_ref(), &args, chrono::Utc::now())
                .await
                .map_err(|e| RunError::Command(e.to_string()))?;
            print!("{}", created.report(&base));
            Ok(())
        }
    }
}

fn open_store(global: &config::GlobalArgs) -> Result<Arc<dyn Store>, RunError> {
    let store = SqliteStore::open(&global.db_path())?;
    Ok(Arc::new(store))
}
