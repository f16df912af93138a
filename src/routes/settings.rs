//! Settings: language, the officer's name, who this device is, storage.

use leptos::prelude::*;

use crate::i18n::{role_name, t, Lang, Msg};
use crate::session::use_session;
use crate::storage::use_settings;

#[component]
pub fn SettingsPage(lang: Memo<Lang>) -> impl IntoView {
    view! {
        <LanguageCard lang=lang />
        <WhoCard lang=lang />
        <OfficerCard lang=lang />
        <StorageCard lang=lang />
    }
}

#[component]
fn LanguageCard(lang: Memo<Lang>) -> impl IntoView {
    let settings = use_settings().0;
    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::Language)}</h2>
            <div class="langs" role="group" aria-label=move || t(lang.get(), Msg::Language)>
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
            </div>
        </section>
    }
}

/// Who this device is in the cluster, and leaving it.
#[component]
pub fn WhoCard(lang: Memo<Lang>) -> impl IntoView {
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
        <Show when=move || session.device.with(Option::is_some)>
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
        </Show>
    }
}

#[component]
fn OfficerCard(lang: Memo<Lang>) -> impl IntoView {
    let settings = use_settings().0;
    let name = Memo::new(move |_| settings.with(|s| s.officer_name.clone()));
    view! {
        <section class="card">
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
