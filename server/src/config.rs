//! Command line and environment configuration.
use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Thi Đua server: serves the app and keeps each union's data in sync.
#[derive(Debug, Clone, Parser)]
#[command(name = "thidua-server", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// TCP port to listen on.
    #[arg(long, env = "THIDUA_PORT", default_value_t = 8080, global = true)]
    pub port: u16,
    /// Address to listen on (0.0.0.0 to accept other devices on the network).
    #[arg(long, env = "THIDUA_BIND", default_value = "127.0.0.1", global = true)]
    pub bind: IpAddr,
    /// Folder holding the database (created if missing).
    #[arg(long, env = "THIDUA_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Folder holding the built app (Trunk's `dist/`).
    #[arg(long, env = "THIDUA_STATIC_DIR", default_value = "dist", global = true)]
    pub static_dir: PathBuf,
    /// Running behind a reverse proxy: take client addresses (for rate limiting) from the
    /// last X-Forwarded-For hop.
    #[arg(long, env = "THIDUA_BEHIND_PROXY", global = true)]
    pub behind_proxy: bool,
    /// Most connections open at once (each costs a file handle; keep it under `ulimit -n`).
    #[arg(
        long,
        env = "THIDUA_MAX_CONNECTIONS",
        default_value_t = 512,
        global = true
    )]
    pub max_connections: usize,
    /// Largest evidence file taken, in bytes (a photo is made small on the phone; a PDF is
    /// sent as it is).
    #[arg(
        long,
        env = "THIDUA_MAX_FILE_BYTES",
        default_value_t = thidua_core::files::DEFAULT_MAX_FILE_BYTES,
        global = true
    )]
    pub max_file_bytes: u64,
    /// Most bytes one cluster's evidence files may take together (default 5 GB).
    #[arg(
        long,
        env = "THIDUA_MAX_CLUSTER_FILE_BYTES",
        default_value_t = 5 * 1024 * 1024 * 1024,
        global = true
    )]
    pub max_cluster_file_bytes: u64,
    /// Days an evidence file no record names any more (or an upload left unfinished) is kept
    /// before it is deleted.
    #[arg(
        long,
        env = "THIDUA_FILE_GRACE_DAYS",
        default_value_t = 7,
        global = true
    )]
    pub file_grace_days: u32,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the app and the sync API (the default).
    Serve,
    /// Create a new cluster (a union and its member units) and print the head's invite link.
    CreateCluster(CreateClusterArgs),
    /// Load the demo federation (Liên đoàn Lao động tỉnh Thanh Hóa with Cụm thi đua số 18 and
    /// two more clusters) if missing and print fresh invite links for a head, an officer and
    /// the federation's board.
    Demo(DemoArgs),
    /// Create a federation (liên đoàn lao động) and print its board's first invite link;
    /// everything after that happens in the app.
    CreateFederation(CreateFederationArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CreateFederationArgs {
    /// Name of the federation, e.g. "Liên đoàn Lao động tỉnh Thanh Hóa".
    #[arg(long)]
    pub name: String,
    /// Days the board's invite link stays valid.
    #[arg(long, default_value_t = 30)]
    pub invite_days: u32,
    /// Base URL printed in front of the invite link, e.g. https://thidua.example.vn
    #[arg(long, env = "THIDUA_PUBLIC_URL")]
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Base URL printed in front of the invite links.
    #[arg(long, env = "THIDUA_PUBLIC_URL")]
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CreateClusterArgs {
    /// Name of the cluster, e.g. "Cụm thi đua số 3".
    #[arg(long)]
    pub name: String,
    /// Name of the head unit (the union leading the cluster this year).
    #[arg(long, default_value = "Đơn vị trưởng cụm")]
    pub head_unit_name: String,
    /// Number of the decision establishing the cluster, e.g. "1197/QĐ-UBND" (editable later).
    #[arg(long, default_value = "chưa nhập")]
    pub decision_number: String,
    /// Authority that issued the decision (editable later).
    #[arg(long, default_value = "chưa nhập")]
    pub decision_issuer: String,
    /// Date of the decision, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub decision_date: Option<chrono::NaiveDate>,
    /// Emulation year (default: this year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Days the head's invite link stays valid.
    #[arg(long, default_value_t = 30)]
    pub invite_days: u32,
    /// Base URL printed in front of the invite link, e.g. https://thidua.example.vn
    #[arg(long, env = "THIDUA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The federation whose board runs the cluster (its id, from `create-federation`).
    #[arg(long)]
    pub federation: Option<String>,
}

impl GlobalArgs {
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("thidua.sqlite3")
    }

    /// Where evidence files are kept (content-addressed, beside the database).
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}

/// The address to show people: an unspecified bind address becomes loopback.
pub fn display_url(addr: std::net::SocketAddr) -> String {
    let ip = addr.ip();
    let host = match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) if v6.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    format!("http://{host}:{}/", addr.port())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn defaults_and_subcommands() {
        let cli = Cli::try_parse_from(["thidua-server"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.global.port, 8080);
        assert_eq!(cli.global.bind.to_string(), "127.0.0.1");
        assert_eq!(cli.global.data_dir, PathBuf::from("data"));
        assert_eq!(cli.global.static_dir, PathBuf::from("dist"));
        let cli = Cli::try_parse_from(["thidua-server", "serve", "--port", "9000"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Serve)));
        assert_eq!(cli.global.port, 9000);
        let cli = Cli::try_parse_from([
            "thidua-server",
            "--data-dir",
            "/tmp/x",
            "create-cluster",
            "--name",
            "Cụm 3",
        ])
        .unwrap();
        match cli.command {
            Some(Command::CreateCluster(a)) => assert_eq!(a.name, "Cụm 3"),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(cli.global.db_path(), PathBuf::from("/tmp/x/thidua.sqlite3"));
    }

    #[test]
    fn url_shown_uses_loopback_for_unspecified() {
        assert_eq!(
            display_url("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            display_url("192.168.1.5:80".parse().unwrap()),
            "http://192.168.1.5:80/"
        );
        assert_eq!(display_url("[::1]:81".parse().unwrap()), "http://[::1]:81/");
    }
}
