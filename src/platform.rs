//! Browser services other than storage: the service worker, persistent
//! storage, and whether the device is online.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Registers `/sw.js`. When a new build's worker takes over a page that an
/// older worker controlled, the page reloads once so the user sees the new app.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let had_controller = container.controller().is_some();
    let _ = container.register("/sw.js");
    if had_controller {
        let reload = Closure::<dyn FnMut()>::new(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        let _ = container
            .add_event_listener_with_callback("controllerchange", reload.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        reload.forget();
    }
}

/// Asks the browser not to evict this site's storage. Returns whether it was
/// granted, or `None` where the browser has no storage manager.
pub async fn request_persistent_storage() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    if let Ok(promise) = storage.persisted() {
        if JsFuture::from(promise).await.ok()?.as_bool() == Some(true) {
            return Some(true);
        }
    }
    let granted: JsValue = JsFuture::from(storage.persist().ok()?).await.ok()?;
    granted.as_bool()
}

/// A signal that follows the browser's online/offline events.
pub fn online_signal() -> ReadSignal<bool> {
    let initial = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    let (online, set_online) = signal(initial);
    let _ = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    online
}
