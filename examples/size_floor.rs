//! The size floor of the app's wasm, measured by `scripts/bench` (step 1b); not shipped.
//!
//! The least any screen of the app needs, and nothing else: read the cluster document from
//! localStorage, merge it with a second copy, write it back as JSON, and let Leptos show one
//! number. Built with the app's own profile and flags, its gzip size is the floor under the
//! first-visit budget that no trimming of screens can go below.
use gloo_storage::Storage;
use leptos::prelude::*;
use thidua_core::{merge, Document};

fn main() {
    let text = gloo_storage::LocalStorage::raw()
        .get_item("thidua-floor")
        .ok()
        .flatten()
        .unwrap_or_default();
    let ours = Document::from_json(&text).ok();
    let theirs = Document::from_json(text.trim_start()).ok();
    let written = match (ours, theirs) {
        (Some(a), Some(b)) => serde_json::to_string(&merge(&a, &b)).map_or(0, |s| s.len()),
        _ => 0,
    };
    leptos::mount::mount_to_body(move || view! { <p>{written}</p> });
}
