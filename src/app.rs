//! The app shell: header with the network state and language switch, and the
//! first settings card.

use leptos::prelude::*;

use crate::i18n::{t, Lang, Msg};
use crate::platform;
use crate::storage::{provide_settings_context, use_settings};

#[component]
pub fn App() -> impl IntoView {
    let settings = provide_settings_context().0;
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

    view! {
        <Header lang=lang />
        <main id="main">
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
            <span
                class="net"
                class:off=move || !online.get()
                role="status"
                data-testid="net"
            >
                {move || t(lang.get(), if online.get() { Msg::Online } else { Msg::Offline })}
            </span>
        </header>
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
