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

/// Runs `f` once the browser has painted the next frame: a timeout set from an animation frame
/// callback fires after that frame's paint. A hidden tab gets no animation frames, so a plain
/// timeout runs `f` too if the frame has not come; `f` runs once, whichever is first.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        f();
        return;
    };
    let once = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
    let run = {
        let once = once.clone();
        move || {
            if let Some(f) = once.take() {
                f();
            }
        }
    };
    let fallback = run.clone();
    let frame = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let task = Closure::once_into_js(run);
            let _ = window.set_timeout_with_callback(task.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(frame.unchecked_ref());
    let late = Closure::once_into_js(fallback);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(late.unchecked_ref(), 200);
}

/// Removes the boot screen that `index.html` paints while the wasm downloads: on a slow
/// link the officer sees the product and what is happening, not a blank page.
pub fn remove_boot_screen() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}

/// Today on this device's clock and in its time zone: the day an officer means by "today".
/// The device's calendar day at the instant `at`.
pub fn local_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono::Local).date_naive()
}

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Whether the browser says it has a network now.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Scrolls the element `id` to the top of the screen once it is drawn (a form that opens
/// below the buttons that opened it).
pub fn scroll_into_view_soon(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Start);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// Completes after `ms` milliseconds (a timer of the page, so a hidden tab may stretch it).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Whether the page is shown (not a background tab or a locked phone's).
pub fn is_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| !d.hidden())
}

/// Runs `f` each time the page comes back into view (the officer returns to the app).
pub fn on_visible(f: impl Fn() + 'static) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let listener = Closure::<dyn Fn()>::new(move || {
        if is_visible() {
            f();
        }
    });
    let _ = document
        .add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}

/// Whether the browser says it is online, shared through context: one pair of window
/// listeners for the whole app, however many screens read it.
#[derive(Clone, Copy)]
pub struct OnlineCtx(pub ReadSignal<bool>);

/// Listens to the browser's online/offline events (once) and shares the state.
pub fn provide_online_context() -> ReadSignal<bool> {
    let (online, set_online) = signal(is_online());
    let _ = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    provide_context(OnlineCtx(online));
    online
}

/// Whether the device is online now, as a signal.
pub fn use_online() -> ReadSignal<bool> {
    expect_context::<OnlineCtx>().0
}

/// Offers `text` to the user as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    download_blob(&document, file_name, &blob)
}

/// Offers bytes (e.g. a workbook from the server) as a file download.
pub fn download_bytes(file_name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    download_blob(&document, file_name, &blob)
}

/// Offers a blob (e.g. a spreadsheet from the server) as a file download.
pub fn download_blob(
    document: &web_sys::Document,
    file_name: &str,
    blob: &web_sys::Blob,
) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}

/// The text of the first file chosen in a file input.
pub async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    JsFuture::from(file.text()).await.ok()?.as_string()
}

/// Puts `text` on the clipboard; whether the browser took it.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Whether the phone can hand a link to its share sheet (Zalo, SMS…).
pub fn can_share() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::has(&w.navigator(), &JsValue::from_str("share")).unwrap_or(false)
    })
}

/// Opens the phone's share sheet with `text` and `url`; whether it was shared (not cancelled).
pub async fn share(title: &str, text: &str, url: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let data = web_sys::ShareData::new();
    data.set_title(title);
    data.set_text(text);
    data.set_url(url);
    JsFuture::from(window.navigator().share_with_data(&data))
        .await
        .is_ok()
}

/// Bytes the browser lets this site store, where it says.
pub async fn storage_quota() -> Option<f64> {
    let storage = web_sys::window()?.navigator().storage();
    let estimate: web_sys::StorageEstimate = JsFuture::from(storage.estimate().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    estimate.get_quota()
}

/// Start of a timed step: a `performance.mark` named `<name>:start`. Always on (a mark costs
/// microseconds); see [`perf_end`].
pub fn perf_start(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(&format!("{name}:start"));
    }
}

/// End of a timed step: a `performance.measure` named `name` from its [`perf_start`] mark,
/// shown in the browser's performance tools and read by `tests/bench/browser.mjs`.
pub fn perf_end(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let start = format!("{name}:start");
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
    }
}
