//! Small components shared by the screens, so each form field is built by one
//! piece of view code (view code is most of the app's download size).

use leptos::prelude::*;

/// A labelled text input with its error shown next to it.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Signal<Option<String>>,
    /// The hint says what was understood (a figure read from words): shown as a confirmation.
    #[prop(optional)]
    hint_ok: bool,
    /// `numeric` opens the number pad; `text` otherwise.
    #[prop(optional)]
    numeric: bool,
    #[prop(optional)] multiline: bool,
    #[prop(into, optional)] placeholder: Signal<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let label_for = id.clone();
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                rows="3"
                placeholder=placeholder
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type="text"
                inputmode=if numeric { "numeric" } else { "text" }
                placeholder=placeholder
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        }
        .into_any()
    };
    // An invalid field is marked by a thick border and a warning sign before its message,
    // not by colour alone.
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=label_for>{label}</label>
            {input}
            {move || hint.get().map(|h| view! { <p class="hint" class:understood=hint_ok>{h}</p> })}
            <p id=error_id class="error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Moves the focus to the first invalid field on the screen, scrolled to its middle, once the
/// errors are drawn: on a phone the first problem may be far above the button pressed.
pub fn focus_first_invalid() {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let Some(first) = document()
            .query_selector("main [aria-invalid=\"true\"]")
            .ok()
            .flatten()
        else {
            return;
        };
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        first.scroll_into_view_with_scroll_into_view_options(&options);
        if let Ok(input) = first.dyn_into::<web_sys::HtmlElement>() {
            let _ = input.focus();
        }
    });
}

/// The line under a form that says what happened: saved (in the success colour), or what to
/// do about a problem (in the warning style, announced at once).
#[component]
pub fn FormNotice(
    notice: RwSignal<Option<crate::i18n::Msg>>,
    testid: &'static str,
) -> impl IntoView {
    use crate::i18n::{t, Msg};
    let lang = crate::lang::use_lang();
    let bad = move || {
        matches!(
            notice.get(),
            Some(Msg::FixErrors | Msg::SavedNotStored | Msg::DraftMissing | Msg::EntryMissing)
        )
    };
    view! {
        <p
            class="notice"
            class:bad=bad
            role=move || if bad() { "alert" } else { "status" }
            data-testid=testid
        >
            {move || notice.get().map(|m| t(lang.get(), m))}
        </p>
    }
}

/// A labelled select; `options` are (value, label) pairs.
#[component]
pub fn Choice(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <select
                id=id
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p class="error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// The title of the returned entry that `entry` corrects, if it has one.
pub fn corrected_title(doc: &thidua_core::Document, entry: &thidua_core::Entry) -> Option<String> {
    let original = doc.get_entry(entry.corrects.as_ref()?)?;
    Some(original.title.clone())
}

/// "Bản sửa của: <title>" under a correction, in the officer's list and the review queue.
pub fn correction_of(
    lang: Memo<crate::i18n::Lang>,
    original: Option<String>,
) -> Option<impl IntoView> {
    use crate::i18n::{t, Msg};
    original.map(|title| {
        view! {
            <p class="meta" data-testid="corrects">{move || format!("{}: {title}", t(lang.get(), Msg::CorrectionOf))}</p>
        }
    })
}
