//! Evidence on screen: the officer's picker, a result's files as thumbnails with where each
//! stands in words, the head's "2 / 3 tệp đã đến", and the full-screen viewer.

use leptos::prelude::*;
use thidua_core::files::{FileRef, FileType};
use thidua_i18n::evidence::{self as words, te, EvidenceMsg as E};

use super::{use_evidence, AttachError, FileState, Shown};
use crate::filestore::FileStoreError;
use crate::lang::use_lang;
use crate::photo::PrepareError;

/// A picked file that was not attached, in the user's words.
fn attach_error(lang: thidua_i18n::Lang, e: &AttachError) -> &'static str {
    match e {
        AttachError::Prepare(PrepareError::NotAllowed) => te(lang, E::NotAllowed),
        AttachError::Prepare(PrepareError::TooBig { .. }) => te(lang, E::PdfTooBig),
        AttachError::Prepare(PrepareError::Unreadable) => te(lang, E::Unreadable),
        AttachError::Store(FileStoreError::Full) => te(lang, E::PhoneFull),
        AttachError::Store(FileStoreError::Unavailable(_)) | AttachError::NotJoined => {
            te(lang, E::NoStore)
        }
    }
}

/// "Thêm ảnh" (the camera) and "Thêm tệp" (photos or PDFs on the phone), and the files
/// attached so far. `files` is the form's list; `set_files` changes it (and stores the form).
#[component]
pub fn FilePicker(
    #[prop(into)] files: Signal<Vec<FileRef>>,
    set_files: Callback<Vec<FileRef>>,
) -> impl IntoView {
    let lang = use_lang();
    let evidence = use_evidence();
    let busy = RwSignal::new(0_usize);
    let problem = RwSignal::new(None::<&'static str>);
    let add = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else {
            return;
        };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        // The same file may be picked again later.
        input.set_value("");
        problem.set(None);
        leptos::task::spawn_local(async move {
            for file in picked {
                if !super::room_for_one_more(files.with_untracked(Vec::len)) {
                    problem.set(Some(te(lang.get_untracked(), E::TooMany)));
                    break;
                }
                busy.update(|n| *n += 1);
                let kept = evidence.attach(&file).await;
                busy.update(|n| *n = n.saturating_sub(1));
                match kept {
                    Ok(file) => {
                        let mut now = files.get_untracked();
                        if !now.iter().any(|f| f.hash == file.hash) {
                            now.push(file);
                            set_files.run(now);
                        }
                    }
                    Err(e) => problem.set(Some(attach_error(lang.get_untracked(), &e))),
                }
            }
        });
    };
    let remove = Callback::new(move |hash: String| {
        let now: Vec<FileRef> = files
            .get_untracked()
            .into_iter()
            .filter(|f| f.hash != hash)
            .collect();
        set_files.run(now);
        evidence.forget_if_unused(&hash);
    });
    let full = move || !super::room_for_one_more(files.with(Vec::len));
    view! {
        <fieldset class="evidence field" class:invalid=move || problem.with(Option::is_some) data-testid="evidence">
            <legend>{move || te(lang.get(), E::Title)}</legend>
            <p class="hint">{move || te(lang.get(), E::Explain)}</p>
            <FileList files=files remove=remove />
            <div class="pick">
                <label class="button secondary" class:disabled=full for="take-photo">
                    {move || te(lang.get(), E::TakePhoto)}
                </label>
                <input id="take-photo" class="visually-hidden" type="file" accept="image/*" capture="environment" disabled=full on:change=add />
                <label class="button secondary" class:disabled=full for="pick-file">
                    {move || te(lang.get(), E::PickFile)}
                </label>
                <input id="pick-file" class="visually-hidden" type="file" multiple
                    accept="image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
                    disabled=full on:change=add />
            </div>
            <Show when=move || busy.get() != 0>
                <p class="hint" role="status" data-testid="evidence-busy">{move || te(lang.get(), E::Preparing)}</p>
            </Show>
            {move || problem.get().map(|p| view! {
                <p class="error" role="alert" data-testid="evidence-error">{p}</p>
            })}
        </fieldset>
    }
}

/// A result's files: a thumbnail (a photo) or a PDF sign, the name and size, and where the
/// file stands. A tap opens the viewer; `remove`, when given, offers to take a file off.
#[component]
pub fn FileList(
    #[prop(into)] files: Signal<Vec<FileRef>>,
    #[prop(optional)] remove: Option<Callback<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let evidence = use_evidence();
    // What the server holds of files this phone did not send, asked again each time the
    // server answers (a file arriving wakes the devices of the cluster).
    Effect::new(move |_| {
        evidence.heard.track();
        let hashes: Vec<String> = files.with(|f| {
            f.iter()
                .filter(|f| evidence.local.with_untracked(|l| !l.contains_key(&f.hash)))
                .map(|f| f.hash.clone())
                .collect()
        });
        evidence.ask_server(hashes);
    });
    let tiles = move || {
        let all = files.get();
        all.iter()
            .enumerate()
            .map(|(at, file)| {
                let open_list = all.clone();
                let hash = file.hash.clone();
                let state = {
                    let hash = hash.clone();
                    move || evidence.state(&hash)
                };
                let refused = {
                    let state = state.clone();
                    move || matches!(state(), FileState::Refused(_))
                };
                let status = move || state_words(lang.get(), &state());
                let name = file.name.clone();
                let size = file.size;
                let is_pdf = file.file_type == FileType::Pdf;
                let thumb = {
                    let hash = hash.clone();
                    move || {
                        if is_pdf {
                            return view! { <span class="pdf" aria-hidden="true">"PDF"</span> }.into_any();
                        }
                        match evidence.shown(&hash) {
                            Shown::Ready(url) => view! { <img src=url alt="" /> }.into_any(),
                            Shown::Loading => view! { <span class="thumb-wait" aria-hidden="true">"…"</span> }.into_any(),
                            Shown::Failed { .. } => view! { <span class="thumb-wait" aria-hidden="true">"?"</span> }.into_any(),
                        }
                    }
                };
                let remove_button = remove.map(|remove| {
                    let hash = hash.clone();
                    view! {
                        <button type="button" class="icon" data-testid="file-remove"
                            aria-label=move || te(lang.get(), E::Remove)
                            on:click=move |_| remove.run(hash.clone())>"✕"</button>
                    }
                });
                view! {
                    <li class="file" class:refused=refused data-testid="file">
                        <button type="button" class="thumb" aria-label=move || te(lang.get(), E::Open)
                            on:click=move |_| evidence.viewing.set(Some((open_list.clone(), at)))>
                            {thumb}
                        </button>
                        <div class="file-text">
                            <span class="file-name">{name}</span>
                            <span class="hint">{move || words::size(lang.get(), size)}</span>
                            <span class="file-state" data-testid="file-status">{status}</span>
                        </div>
                        {remove_button}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || files.with(|f| !f.is_empty())>
            <ul class="files">{tiles}</ul>
        </Show>
    }
}

fn state_words(lang: thidua_i18n::Lang, state: &FileState) -> String {
    match state {
        FileState::OnPhoneOnly => te(lang, E::OnPhoneOnly).to_owned(),
        FileState::Sending(percent) => words::sending(lang, *percent),
        FileState::Received => format!("✓ {}", te(lang, E::Received)),
        FileState::Refused(code) => {
            format!("⚠ {}: {}", te(lang, E::Refused), words::refusal(lang, code))
        }
        FileState::NotArrived => te(lang, E::NotArrived).to_owned(),
        FileState::Unknown => te(lang, E::Unknown).to_owned(),
    }
}

/// "2 / 3 tệp đã đến" under a result in the review queue: nobody approves on half the
/// evidence by mistake. Asks the server when shown.
#[component]
pub fn Arrived(#[prop(into)] files: Signal<Vec<FileRef>>) -> impl IntoView {
    let lang = use_lang();
    let evidence = use_evidence();
    let counts = move || {
        files.with(|f| {
            let arrived = f
                .iter()
                .filter(|f| evidence.state(&f.hash) == FileState::Received)
                .count();
            (arrived, f.len())
        })
    };
    view! {
        <Show when=move || files.with(|f| !f.is_empty())>
            <p class="arrived" class:incomplete=move || { let (a, t) = counts(); a < t } data-testid="files-arrived">
                {move || {
                    let (arrived, total) = counts();
                    let mark = if arrived < total { "⚠ " } else { "✓ " };
                    format!("{mark}{}", words::arrived(lang.get(), arrived, total))
                }}
            </p>
        </Show>
    }
}

/// The file open full screen: a photo fitted to the screen, arrows (and a swipe) to the next,
/// a PDF as a link that opens it. Drawn once, over every screen.
#[component]
pub fn Viewer() -> impl IntoView {
    let lang = use_lang();
    let evidence = use_evidence();
    let step = move |by: isize| {
        evidence.viewing.update(|v| {
            if let Some((list, at)) = v {
                let len = list.len() as isize;
                *at = (*at as isize + by).rem_euclid(len.max(1)) as usize;
            }
        });
    };
    let close = move || evidence.viewing.set(None);
    let _keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if evidence.viewing.with_untracked(Option::is_none) {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" => step(1),
            "ArrowLeft" => step(-1),
            "Escape" => close(),
            _ => {}
        }
    });
    let touch_x = StoredValue::new(None::<i32>);
    let current = move || {
        evidence
            .viewing
            .with(|v| v.as_ref().and_then(|(l, at)| l.get(*at).cloned()))
    };
    let count = move || {
        evidence
            .viewing
            .with(|v| v.as_ref().map_or(0, |(l, _)| l.len()))
    };
    let shown = move || {
        current().map(|file| {
            let hash = file.hash.clone();
            match evidence.shown(&hash) {
                Shown::Ready(url) if file.file_type == FileType::Pdf => view! {
                    <a class="button primary" href=url target="_blank" rel="noopener" download=file.name.clone()>
                        {move || te(lang.get(), E::PdfOpen)}
                    </a>
                }
                .into_any(),
                Shown::Ready(url) => view! { <img src=url alt=file.name.clone() data-testid="viewer-image" /> }.into_any(),
                Shown::Loading => view! { <p>{move || te(lang.get(), E::Loading)}</p> }.into_any(),
                Shown::Failed { .. } => view! {
                    <p>{move || te(lang.get(), E::CouldNotLoad)}</p>
                    <button type="button" class="secondary" on:click=move |_| evidence.retry_shown(&hash)>
                        {move || te(lang.get(), E::Loading)}
                    </button>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Show when=move || evidence.viewing.with(Option::is_some)>
            <div class="viewer" role="dialog" aria-modal="true" data-testid="viewer"
                on:touchstart=move |ev| touch_x.set_value(ev.touches().get(0).map(|t| t.client_x()))
                on:touchend=move |ev| {
                    let start = touch_x.get_value();
                    let end = ev.changed_touches().get(0).map(|t| t.client_x());
                    if let (Some(a), Some(b)) = (start, end) {
                        if (b - a).abs() > 50 { step(if b < a { 1 } else { -1 }); }
                    }
                }>
                <div class="viewer-bar">
                    <span class="viewer-name">{move || current().map(|f| f.name)}</span>
                    <button type="button" class="icon" data-testid="viewer-close" aria-label=move || te(lang.get(), E::Close) on:click=move |_| close()>"✕"</button>
                </div>
                <div class="viewer-body">{shown}</div>
                <Show when=move || { count() > 1 }>
                    <div class="viewer-nav">
                        <button type="button" class="secondary" aria-label=move || te(lang.get(), E::Previous) on:click=move |_| step(-1)>"‹"</button>
                        <span>{move || evidence.viewing.with(|v| v.as_ref().map(|(l, at)| format!("{} / {}", at + 1, l.len())))}</span>
                        <button type="button" class="secondary" data-testid="viewer-next" aria-label=move || te(lang.get(), E::Next) on:click=move |_| step(1)>"›"</button>
                    </div>
                </Show>
            </div>
        </Show>
    }
}

/// Settings: the files kept on this phone, and freeing the space of those the server has.
#[component]
pub fn FilesUsage() -> impl IntoView {
    let lang = use_lang();
    let evidence = use_evidence();
    let said = RwSignal::new(None::<&'static str>);
    let free = Action::new_local(move |_: &()| async move { evidence.free_space().await });
    Effect::new(move |_| {
        if let Some(done) = free.value().get() {
            said.set(Some(match done {
                Ok(()) => te(lang.get_untracked(), E::Freed),
                Err(FileStoreError::Full) => te(lang.get_untracked(), E::PhoneFull),
                Err(FileStoreError::Unavailable(_)) => te(lang.get_untracked(), E::NoStore),
            }));
        }
    });
    view! {
        <section class="card" data-testid="files-usage">
            <h2>{move || te(lang.get(), E::StorageTitle)}</h2>
            <p data-testid="files-usage-line">{move || {
                let (files, bytes, unsent) = evidence.usage();
                if files == 0 { te(lang.get(), E::StorageNone).to_owned() } else { words::usage(lang.get(), files, bytes, unsent) }
            }}</p>
            <Show when=move || { let (files, _, unsent) = evidence.usage(); files > unsent }>
                <button type="button" class="secondary wide" on:click=move |_| { free.dispatch(()); }>
                    {move || te(lang.get(), E::FreeSpace)}
                </button>
            </Show>
            {move || said.get().map(|s| view! { <p class="notice" role="status">{s}</p> })}
        </section>
    }
}
