//! Thi Đua, the app: a Leptos client-side app that runs entirely in the browser.
//!
//! Module map: `storage` is the only code that touches localStorage, `api` the
//! only code that talks to the network, `sync` the loop that uses it,
//! `session` the cluster's data shared through context, `platform` the other
//! browser glue (service worker, persistent storage, network state), `i18n`
//! (the `thidua-i18n` crate) every user-visible string, `app` the shell and `routes/` one file per screen.

pub mod api;
pub mod app;
pub mod components;
pub mod evidence;
pub mod filestore;
pub mod lang;
pub mod live;
/// Every user-visible string lives in the `thidua-i18n` crate (`i18n/`); components
/// only name messages, so the Vietnamese and English catalogues stay complete.
pub use thidua_i18n as i18n;
pub use thidua_i18n::board as i18n_board;
pub use thidua_i18n::head as i18n_head;
pub mod photo;
pub mod platform;
pub mod routes;
pub mod session;
pub mod storage;
pub mod sync;

/// Shown in the footer; the end-to-end test sets it to tell two builds apart.
pub const BUILD_LABEL: &str = match option_env!("THIDUA_BUILD_LABEL") {
    Some(label) => label,
    None => env!("CARGO_PKG_VERSION"),
};

/// Mounts the app on `<body>` and starts the browser services.
pub fn start() {
    platform::register_service_worker();
    // The app is built in a task of its own, after the boot screen has painted: the officer
    // sees the product at once on a slow phone, and loading the wasm and building the first
    // screen are two shorter tasks instead of one long one that blocks the page.
    platform::after_next_paint(|| {
        platform::remove_boot_screen();
        leptos::mount::mount_to_body(app::App);
    });
}
