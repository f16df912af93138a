//! The app shell: header with the network and sync state, the language
//! switch, and the screens for this device's role.

use leptos::prelude::*;

use crate::i18n::{role_name, t, Lang, Msg};
use crate::pages::{entries::EntryList, join::JoinPage, report::ReportForm};
use crate::platform;
use crate::session::{provide_session_context, use_session};
use crate::storage::{provide_settings_context, use_settings};
use crate::sync::{provide_sync_context, use_sync, SyncState};

#[component]
pub fn App() -> impl IntoView {
    let settings = provide_settings_context().0;
    let session = provide_session_context();
    provide_sync_context(session);
    let lang = Memo::new(move |_| settings.with(|s| s.lang));

    // Keep <html lang> right for screen readers and hyphenation.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
        }
    });

    // Ask once per start; the answer is kept with the settings.
    leptos::task::spawn_local(async move {
        if let Some(granted) = platform::request_persistent_storage().await {
            settings.update(|s| s.persistent = Some(granted));
        }
    });

    let joined = Memo::new(move |_| session.device.with(Option::is_some));
    view! {
        <Header lang=lang />
        <main id="main">
            <StorageWarnings lang=lang />
            <Show when=move || joined.get() fallback=move || view! { <JoinPage lang=lang /> }>
                <WhoCard lang=lang />
                <ReportForm lang=lang />
                <EntryList lang=lang />
            </Show>
            <OfficerCard lang=lang />
            <StorageCard lang=lang />
        </main>
        <footer class="foot">
            <span>{move || t(lang.get(), Msg::Version)}</span>
            " "
            <span data-testid="build">{crate::BUILD_LABEL}</span>
        </footer>
    }
}

#[component]
fn Header(lang: Memo<Lang>) -> impl IntoView {
    let settings = use_settings().0;
    let online = platform::online_signal();
    view! {
        <header class="bar">
            <h1 class="brand">"Thi Đua"</h1>
            <span class="net" class:off=move || !online.get() role="status" data-testid="net">
                {move || t(lang.get(), if online.get() { Msg::Online } else { Msg::Offline })}
            </span>
        </header>
        <SyncBar lang=lang />
        <nav class="langs" aria-label=move || t(lang.get(), Msg::Language)>
            {Lang::ALL
                .into_iter()
                .map(|option| {
                    view! {
                        <button
                            type="button"
                            class="lang"
                            lang=option.tag()
                            aria-pressed=move || (lang.get() == option).to_string()
                            on:click=move |_| settings.update(|s| s.lang = option)
                        >
                            {option.label()}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Where sync stands, in one glance, with a button to sync now.
#[component]
fn SyncBar(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let sync = use_sync();
    let text = move || {
        let lang = lang.get();
        let waiting = session.waiting();
        let refused = session.outbox.with(|o| o.rejected.len());
        let mut parts = Vec::new();
        match sync.state.get() {
            SyncState::Syncing => parts.push(t(lang, Msg::SyncSyncing).to_owned()),
            SyncState::Unreachable => parts.push(t(lang, Msg::SyncOffline).to_owned()),
            SyncState::Failed(why) => parts.push(format!("{}: {why}", t(lang, Msg::SyncFailed))),
            SyncState::Idle | SyncState::Done if waiting == 0 && refused == 0 => {
                parts.push(t(lang, Msg::SyncSynced).to_owned())
            }
            SyncState::Idle | SyncState::Done => {}
        }
        if waiting > 0 {
            parts.push(format!("{waiting} {}", t(lang, Msg::SyncWaiting)));
        }
        if refused > 0 {
            parts.push(format!("{refused} {}", t(lang, Msg::SyncRefused)));
        }
        parts.join(" · ")
    };
    view! {
        <Show when=move || session.device.with(Option::is_some)>
            <div class="sync" role="status" aria-live="polite">
                <span data-testid="sync-state">{text}</span>
                <button type="button" class="secondary" on:click=move |_| sync.now()>
                    {move || t(lang.get(), Msg::SyncNow)}
                </button>
            </div>
        </Show>
    }
}

#[component]
fn StorageWarnings(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    view! {
        {move || {
            session
                .storage_error
                .get()
                .map(|why| {
                    view! {
                        <p class="alert" role="alert">
                            {move || t(lang.get(), Msg::StorageFailed)}
                            ": "
                            {why.clone()}
                        </p>
                    }
                })
        }}
        {move || {
            let damaged = session.damaged.get();
            (damaged > 0)
                .then(|| {
                    view! {
                        <p class="alert" role="alert">
                            {damaged}
                            " "
                            {move || t(lang.get(), Msg::Damaged)}
                        </p>
                    }
                })
        }}
    }
}

/// Who this device is in the cluster.
#[component]
fn WhoCard(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let who = move || {
        let device = session.device.get()?;
        let unit = session
            .doc
            .with(|doc| doc.get_unit(&device.unit_id).map(|u| u.name.clone()))
            .unwrap_or_else(|| device.unit_id.to_string());
        Some((device.cluster_name, unit, device.role))
    };
    let leave = move |_| {
        let unsynced = session.waiting() > 0;
        let confirmed = !unsynced
            || web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t(lang.get_untracked(), Msg::LeaveWarning))
                        .ok()
                })
                .unwrap_or(false);
        if confirmed {
            session.leave();
        }
    };
    view! {
        <section class="card who" data-testid="who">
            {move || {
                who()
                    .map(|(cluster, unit, role)| {
                        view! {
                            <dl>
                                <dt>{move || t(lang.get(), Msg::WhoCluster)}</dt>
                                <dd>{cluster}</dd>
                                <dt>{move || t(lang.get(), Msg::WhoUnit)}</dt>
                                <dd>{unit}</dd>
                                <dt>{move || t(lang.get(), Msg::WhoRole)}</dt>
                                <dd>{move || role_name(lang.get(), role)}</dd>
                            </dl>
                        }
                    })
            }}
            <button type="button" class="secondary" on:click=leave>
                {move || t(lang.get(), Msg::Leave)}
            </button>
        </section>
    }
}

#[component]
fn OfficerCard(lang: Memo<Lang>) -> impl IntoView {
    let settings = use_settings().0;
    let name = Memo::new(move |_| settings.with(|s| s.officer_name.clone()));
    view! {
        <section class="card">
            <p class="lead">{move || t(lang.get(), Msg::Tagline)}</p>
            <label for="officer-name">{move || t(lang.get(), Msg::OfficerName)}</label>
            <input
                id="officer-name"
                type="text"
                autocomplete="name"
                maxlength="120"
                placeholder=move || t(lang.get(), Msg::OfficerNamePlaceholder)
                prop:value=name
                on:input=move |ev| settings.update(|s| s.officer_name = event_target_value(&ev))
            />
            <p class="hint">{move || t(lang.get(), Msg::OfficerNameHint)}</p>
            <Show when=move || !name.get().trim().is_empty()>
                <p class="greet" data-testid="greeting">
                    {move || t(lang.get(), Msg::Greeting)}
                    ", "
                    {name}
                </p>
            </Show>
        </section>
    }
}

#[component]
fn StorageCard(lang: Memo<Lang>) -> impl IntoView {
    let settings = use_settings().0;
    let status = move || {
        let msg = match settings.with(|s| s.persistent) {
            Some(true) => Msg::StoragePersistent,
            Some(false) => Msg::StorageNotPersistent,
            None => Msg::StorageAsking,
        };
        t(lang.get(), msg)
    };
    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::StorageTitle)}</h2>
            <p data-testid="persist">{status}</p>
            <p class="hint">{move || t(lang.get(), Msg::StorageExplain)}</p>
            <p class="hint">{move || t(lang.get(), Msg::OfflineReady)}</p>
        </section>
    }
}
