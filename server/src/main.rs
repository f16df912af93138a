//! `thidua-server`: serves the Thi Đua app and its sync API. See the library for everything.
use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = thidua_server::config::Cli::parse();
    thidua_server::init_tracing();
    match thidua_server::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("thidua-server: {err}");
            ExitCode::FAILURE
        }
    }
}
