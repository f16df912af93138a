//! The only module that reads or writes localStorage.
//!
//! Like leptos' todomvc example, state lives in a signal and one `Effect`
//! mirrors it to storage, so every edit is on the device at once.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

const SETTINGS_KEY: &str = "thidua.settings";

/// What the user set on this device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub officer_name: String,
    /// Whether the browser granted persistent storage; `None` until asked.
    pub persistent: Option<bool>,
}

/// Reads the settings; missing or unreadable data gives the defaults.
pub fn load_settings() -> Settings {
    LocalStorage::get(SETTINGS_KEY).unwrap_or_default()
}

/// Writes the settings.
pub fn save_settings(settings: &Settings) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(SETTINGS_KEY, settings)
}

/// The settings, shared through context because the header (language), the
/// pages and the storage effect all read and write the same value.
#[derive(Clone, Copy)]
pub struct SettingsCtx(pub RwSignal<Settings>);

/// Loads the settings, shares them, and mirrors every change to localStorage.
pub fn provide_settings_context() -> SettingsCtx {
    let ctx = SettingsCtx(RwSignal::new(load_settings()));
    Effect::new(move |_| {
        let settings = ctx.0.get();
        if let Err(err) = save_settings(&settings) {
            leptos::logging::warn!("could not save settings: {err}");
        }
    });
    provide_context(ctx);
    ctx
}

/// The settings from context.
pub fn use_settings() -> SettingsCtx {
    expect_context::<SettingsCtx>()
}
