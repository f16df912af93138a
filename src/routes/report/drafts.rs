//! The drafts kept on this device, under the form: each opens in the form as itself (the form
//! then says which draft it is), and can be deleted.

use chrono::Timelike;
use leptos::prelude::*;

use super::use_report_form;
use crate::i18n::{date, kind_name, t, Msg};
use crate::lang::use_lang;
use crate::routes::{use_router, Route};
use crate::session::use_session;
use crate::storage::{self, EntryDraft};

/// When a draft was last changed, as the list shows it.
pub fn saved_when(d: &EntryDraft) -> Option<String> {
    d.saved_at.map(|at| {
        let local = at.with_timezone(&chrono::Local);
        format!(
            "{} {:02}:{:02}",
            date(local.date_naive()),
            local.time().hour(),
            local.time().minute()
        )
    })
}

#[component]
pub fn DraftList() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let router = use_router();
    let state = use_report_form();
    let drafts = state.drafts;
    view! {
        <Show when=move || !drafts.with(Vec::is_empty)>
            <section class="card">
                <h2>{move || t(lang.get(), Msg::Drafts)}</h2>
                <ul class="entries" data-testid="drafts">
                    <For each=move || drafts.get() key=|d| (d.key.clone(), d.saved_at, d.title.clone()) let:draft>
                        {
                            let key = draft.key.clone();
                            let open_key = draft.key.clone();
                            let title = draft.title.clone();
                            let when = saved_when(&draft);
                            let kind = draft.kind;
                            view! {
                                <li class="entry">
                                    <strong class="entry-title">{move || if title.trim().is_empty() { t(lang.get(), Msg::Untitled).to_owned() } else { title.clone() }}</strong>
                                    <p class="meta">
                                        {move || kind.map(|k| kind_name(lang.get(), k)).unwrap_or_default()}
                                        {when.map(|w| format!(" · {w}"))}
                                    </p>
                                    <div class="row-actions">
                                        <button
                                            type="button"
                                            class="secondary"
                                            on:click=move |_| router.go_with(Route::Report, &format!("draft={open_key}"))
                                        >
                                            {move || t(lang.get(), Msg::Open)}
                                        </button>
                                        <button
                                            type="button"
                                            class="secondary"
                                            on:click=move |_| {
                                                drafts.update(|l| l.retain(|d| d.key != key));
                                                session.remember(storage::save_drafts(&drafts.get_untracked()));
                                                // The draft open in the form is gone: back to a new report.
                                                if state.mode.get_untracked() == super::Mode::Draft(key.clone()) {
                                                    router.go(Route::Report);
                                                }
                                            }
                                        >
                                            {move || t(lang.get(), Msg::Delete)}
                                        </button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
