//! Joining a cluster with an invite code, typed or from the invite link
//! (`/join#CODE`: the code stays in the fragment, out of server logs).

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::Field;
use crate::i18n::{invite_refusal, join_error, t, Msg};
use crate::lang::use_lang;
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
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let settings = use_settings().0;
    let router = use_router();
    let code = RwSignal::new(code_from_link().unwrap_or_default());
    let name = RwSignal::new(settings.with_untracked(|s| s.officer_name.clone()));
    let error = RwSignal::new(None::<String>);
    // The name typed, for the device record once joined.
    let typed_name = StoredValue::new(String::new());
    // (code, the name sent): the request runs as an action, its state shown.
    let joining = api::action();
    let busy = joining.pending();
    Effect::new(move |_| {
        let Some(api::Answer::Join(result)) = joining.value().get() else {
            return;
        };
        let lang = lang.get_untracked();
        match result {
            Ok(answer) => {
                session.joined(answer, typed_name.get_value());
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
            Err(ApiError::Unreachable) => {
                error.set(Some(t(lang, Msg::JoinNeedsNetwork).to_owned()))
            }
            // In the user's words only; the server's English sentence is for the log.
            Err(ApiError::Server {
                status,
                code,
                message,
            }) => {
                leptos::logging::warn!("join refused ({status} {code}): {message}");
                // A link withdrawn, expired or used up says which; anything else generally.
                let why = invite_refusal(lang, &code).unwrap_or_else(|| join_error(lang, status));
                error.set(Some(why.to_owned()));
            }
            Err(ApiError::Unauthorized(message)) => {
                leptos::logging::warn!("join refused: {message}");
                error.set(Some(join_error(lang, 403).to_owned()));
            }
            Err(ApiError::BadAnswer(_)) => error.set(Some(join_error(lang, 502).to_owned())),
        }
    });

    let join = move || {
        let lang = lang.get_untracked();
        let typed = code.get_untracked().trim().to_owned();
        let name_typed = name.get_untracked().trim().to_owned();
        error.set(
            typed
                .is_empty()
                .then(|| t(lang, Msg::JoinCodeNeeded).to_owned()),
        );
        if typed.is_empty() {
            crate::components::focus_first_invalid();
            return;
        }
        // The head lists devices by this name; one not given yet is asked for once joined.
        if !name_typed.is_empty() {
            settings.update(|s| s.officer_name = name_typed.clone());
        }
        let device_name = if name_typed.is_empty() {
            t(lang, Msg::UnnamedDevice).to_owned()
        } else {
            name_typed.clone()
        };
        typed_name.set_value(name_typed);
        joining.dispatch_local(api::Call::Join {
            code: typed,
            device_name,
        });
    };

    // Opening an invite link joins at once; a name not known yet is asked for on home.
    if !code.get_untracked().is_empty() {
        join();
    }

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::JoinTitle)}</h2>
            <p class="hint">{move || t(lang.get(), Msg::JoinExplain)}</p>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                join();
            }>
                <Field
                    id="join-name"
                    label=Signal::derive(move || t(lang.get(), Msg::JoinName).to_owned())
                    value=name
                    on_input=Callback::new(move |v| name.set(v))
                    hint=Signal::derive(move || Some(t(lang.get(), Msg::JoinNameHint).to_owned()))
                    placeholder=Signal::derive(move || t(lang.get(), Msg::OfficerNamePlaceholder).to_owned())
                />
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

/// An invite link opened on a phone that has already joined: it says where the phone belongs
/// and what to do, instead of silently showing home (a phone is in one cluster at a time).
#[component]
pub fn AlreadyJoined() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let router = use_router();
    let (cluster, unit) = session.device.with_untracked(|d| {
        d.as_ref()
            .map(|d| {
                let unit = session
                    .doc
                    .with_untracked(|doc| doc.get_unit(&d.unit_id).map(|u| u.name.clone()))
                    .unwrap_or_else(|| d.unit_id.to_string());
                (d.cluster_name.clone(), unit)
            })
            .unwrap_or_default()
    });
    // The code leaves the address bar: it must not join by accident later.
    if let Some(window) = web_sys::window() {
        let _ = window.history().and_then(|h| {
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/join"))
        });
    }
    view! {
        <section class="card" data-testid="already-joined">
            <h2>{move || t(lang.get(), Msg::AlreadyJoinedTitle)}</h2>
            <p class="lead">{move || format!("{}: {cluster}. {}: {unit}.", t(lang.get(), Msg::WhoCluster), t(lang.get(), Msg::WhoUnit))}</p>
            <p class="hint">{move || t(lang.get(), Msg::AlreadyJoinedExplain)}</p>
            <button type="button" class="primary" on:click=move |_| router.go(Route::Home)>
                {move || t(lang.get(), Msg::GoHome)}
            </button>
            <button type="button" class="secondary wide" on:click=move |_| router.go(Route::Settings)>
                {move || t(lang.get(), Msg::NavSettings)}
            </button>
        </section>
    }
}
