//! Joining a cluster with an invite code, typed or from the invite link
//! (`/join#CODE`: the code stays in the fragment, out of server logs).

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{join_error, t, Lang, Msg};
use crate::routes::{use_router, Route};
use crate::session::use_session;
use crate::storage::use_settings;

/// The code in an invite link, if the page was opened from one.
fn code_from_link() -> Option<String> {
    let location = web_sys::window()?.location();
    if location.pathname().ok()? != "/join" {
        return None;
    }
    let code = location
        .hash()
        .ok()?
        .trim_start_matches('#')
        .trim()
        .to_owned();
    (!code.is_empty()).then_some(code)
}

#[component]
pub fn JoinPage(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let settings = use_settings().0;
    let router = use_router();
    let code = RwSignal::new(code_from_link().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let join = move || {
        let typed = code.get_untracked().trim().to_owned();
        if typed.is_empty() {
            error.set(Some(t(lang.get_untracked(), Msg::JoinCode).to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        let name = settings.with_untracked(|s| s.officer_name.clone());
        let device_name = if name.trim().is_empty() {
            "Thi Đua".to_owned()
        } else {
            name
        };
        leptos::task::spawn_local(async move {
            match api::join(&typed, &device_name).await {
                Ok(answer) => {
                    session.joined(answer);
                    if let Some(window) = web_sys::window() {
                        // Drop the code from the address bar and history.
                        let _ = window.history().and_then(|h| {
                            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
                        });
                    }
                    // Home is where a joined phone lands; its tab shows as the current one.
                    router.route.set(Route::Home);
                    router.query.set(String::new());
                }
                Err(ApiError::Unreachable) => error.set(Some(
                    t(lang.get_untracked(), Msg::JoinNeedsNetwork).to_owned(),
                )),
                // The user's words first; the server's own (in English) after, for support.
                Err(ApiError::Server { status, message }) => error.set(Some(format!(
                    "{} ({message})",
                    join_error(lang.get_untracked(), status)
                ))),
                Err(ApiError::Unauthorized(message)) => error.set(Some(format!(
                    "{} ({message})",
                    join_error(lang.get_untracked(), 403)
                ))),
                Err(ApiError::BadAnswer(_)) => {
                    error.set(Some(join_error(lang.get_untracked(), 502).to_owned()))
                }
            }
            busy.set(false);
        });
    };

    // Opening an invite link joins at once.
    if !code.get_untracked().is_empty() {
        join();
    }

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::JoinTitle)}</h2>
            <p class="hint">{move || t(lang.get(), Msg::JoinExplain)}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                join();
            }>
                <label for="join-code">{move || t(lang.get(), Msg::JoinCode)}</label>
                <input
                    id="join-code"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="200"
                    prop:value=code
                    on:input=move |ev| code.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="join-error"
                />
                <p id="join-error" class="error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=busy>
                    {move || t(lang.get(), if busy.get() { Msg::Joining } else { Msg::JoinButton })}
                </button>
            </form>
        </section>
    }
}
