//! Browser-only code, tested in headless Chromium:
//! `cargo test -p thidua --target wasm32-unknown-unknown` (see scripts/test).
#![cfg(target_arch = "wasm32")]

use thidua::i18n::Lang;
use thidua::storage::{load_settings, save_settings, Settings};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage is available in the test browser")
}

#[wasm_bindgen_test]
fn settings_round_trip_through_local_storage() {
    let settings = Settings {
        lang: Lang::En,
        officer_name: "Nguyễn Thị Lan".into(),
        persistent: Some(false),
    };
    save_settings(&settings).expect("saved");
    let raw = local_storage()
        .get_item("thidua.settings")
        .expect("readable")
        .expect("present");
    assert!(raw.contains("Nguyễn Thị Lan"), "stored as JSON: {raw}");
    assert_eq!(load_settings(), settings);
}

#[wasm_bindgen_test]
fn unreadable_settings_fall_back_to_vietnamese_defaults() {
    local_storage()
        .set_item("thidua.settings", "{not json")
        .expect("writable");
    let settings = load_settings();
    assert_eq!(settings.lang, Lang::Vi);
    assert!(settings.officer_name.is_empty());
}
