//! Settings: language, the officer's name, who this device is, storage.

use leptos::prelude::*;

use crate::i18n::{group, lang_label, leave_warning, role_name, t, Lang, Msg};
use crate::lang::use_lang;
use crate::platform;
use crate::session::{use_session, Session};
use crate::storage::{self, use_settings, RestoreError};
use thidua_i18n::evidence::{te, EvidenceMsg};

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <LanguageCard />
        <WhoCard />
        <OfficerCard />
        <StorageCard />
        <crate::evidence::view::FilesUsage />
        <BackupCard />
    }
}

#[component]
fn LanguageCard() -> impl IntoView {
    let lang = use_lang();
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
                                {lang_label(option)}
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
pub fn WhoCard() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let who = move || {
        let device = session.device.get()?;
        let unit = session
            .doc
            .with(|doc| doc.get_unit(&device.unit_id).map(|u| u.name.clone()))
            .unwrap_or_else(|| device.unit_id.to_string());
        Some((
            device.cluster_name,
            unit,
            session.role.get().unwrap_or(device.role),
        ))
    };
    let leave = move |_| {
        // Leaving deletes this device's copy: what exists only here is counted in the warning.
        let unsynced = session.outbox.with_untracked(storage::Outbox::unsynced);
        let drafts = storage::load_drafts().len();
        let lang = lang.get_untracked();
        let question = if unsynced + drafts > 0 {
            leave_warning(lang, unsynced, drafts)
        } else {
            t(lang, Msg::LeaveConfirm).to_owned()
        };
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
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
fn OfficerCard() -> impl IntoView {
    let lang = use_lang();
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
                // Done typing: the head's list of devices learns the name at the next sync.
                on:change=move |_| crate::sync::use_sync().now()
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
fn StorageCard() -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings().0;
    let session = use_session();
    let quota = RwSignal::new(None::<f64>);
    leptos::task::spawn_local(async move { quota.set(crate::platform::storage_quota().await) });
    let used = move || {
        // Re-read when the document changes.
        session.doc.track();
        let lang = lang.get();
        let kb = storage::bytes_used().div_ceil(1024) as u64;
        let mut text = format!(
            "{}: {} KB",
            t(lang, Msg::StorageUsed),
            group(kb, lang.group_sep())
        );
        if let Some(q) = quota.get() {
            let mb = (q / 1_048_576.0).round() as u64;
            text.push_str(&format!(
                " · {} {} MB",
                t(lang, Msg::StorageQuota),
                group(mb, lang.group_sep())
            ));
        }
        text
    };
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
            <p data-testid="storage-used">{used}</p>
            <p class="hint">{move || t(lang.get(), Msg::StorageExplain)}</p>
            <p class="hint">{move || t(lang.get(), Msg::OfflineReady)}</p>
        </section>
    }
}

/// Downloads a backup file of everything on this device, including what is only in memory
/// because storage refused it and the evidence files the server has not got; then says
/// whether the download started.
pub fn export_backup(
    session: Session,
    evidence: crate::evidence::Evidence,
    done: impl FnOnce(bool) + 'static,
) {
    leptos::task::spawn_local(async move {
        let files = evidence.unsent().await;
        done(download_backup(session, files));
    });
}

fn download_backup(session: Session, files: Vec<(thidua_core::files::FileRef, Vec<u8>)>) -> bool {
    let mut backup = session.doc.with_untracked(|doc| {
        session.outbox.with_untracked(|outbox| {
            session
                .device
                .with_untracked(|device| storage::backup(doc, outbox, device.as_ref()))
        })
    });
    backup.files = files
        .into_iter()
        .map(|(file, bytes)| storage::BackupFile::new(file, &bytes))
        .collect();
    let stamp = backup.made_at.format("%Y%m%d-%H%M");
    let text = serde_json::to_string_pretty(&backup).unwrap_or_default();
    platform::download(
        &format!("thidua-sao-luu-{stamp}.json"),
        "application/json",
        &text,
    )
    .is_ok()
}

/// What the last export or import said. Shared from above the screens because an import
/// onto a new phone joins it to the backup's cluster, and the screen is built anew then.
#[derive(Clone, Copy)]
pub struct ImportNotice(RwSignal<Option<String>>);

pub fn provide_import_notice_context() {
    provide_context(ImportNotice(RwSignal::new(None)));
}

/// A backup file of everything on this device, and restoring one.
#[component]
fn BackupCard() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let message = use_context::<ImportNotice>().map_or_else(|| RwSignal::new(None), |n| n.0);
    let evidence = crate::evidence::use_evidence();
    let export = move |_| {
        export_backup(session, evidence, move |done| {
            message.set(Some(
                t(
                    lang.get_untracked(),
                    if done {
                        Msg::BackupMade
                    } else {
                        Msg::BackupFailed
                    },
                )
                .to_owned(),
            ));
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let lang = lang.get_untracked();
            let Some(text) = platform::read_chosen_file(&input).await else {
                message.set(Some(t(lang, Msg::RestoreNotBackup).to_owned()));
                return;
            };
            let device = session.device.get_untracked();
            let mut doc = session.doc.get_untracked();
            let outcome = storage::restore(&text, &mut doc, device.as_ref());
            message.set(Some(match outcome {
                Ok(changed) => {
                    let n = changed.len();
                    session.doc.set(doc);
                    session.queue_restored(changed);
                    let files = evidence.restore(storage::backup_files(&text)).await;
                    let mut said = format!("{} {n}", t(lang, Msg::RestoreDone));
                    if files > 0 {
                        said.push_str(&format!(
                            " {} ({files})",
                            te(lang, EvidenceMsg::RestoredFiles)
                        ));
                    }
                    said
                }
                Err(RestoreError::JoinFirst) => t(lang, Msg::RestoreJoinFirst).to_owned(),
                Err(RestoreError::NotABackup) => t(lang, Msg::RestoreNotBackup).to_owned(),
                Err(RestoreError::OtherCluster) => t(lang, Msg::RestoreOtherCluster).to_owned(),
                Err(RestoreError::Storage(why)) => {
                    format!("{}: {why}", t(lang, Msg::StorageFailed))
                }
            }));
            input.set_value("");
        });
    };
    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::BackupTitle)}</h2>
            <p class="hint">{move || t(lang.get(), Msg::BackupExplain)}</p>
            <p class="hint" data-testid="backup-no-token">{move || t(lang.get(), Msg::BackupNoToken)}</p>
            <button type="button" class="primary" on:click=export>{move || t(lang.get(), Msg::BackupExport)}</button>
            <label for="backup-file" class="file-label">{move || t(lang.get(), Msg::BackupImport)}</label>
            <input id="backup-file" type="file" accept="application/json,.json" on:change=import />
            <p class="notice" role="status" data-testid="backup-message">{move || message.get()}</p>
        </section>
    }
}
