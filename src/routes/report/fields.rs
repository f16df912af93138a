//! The report form's inputs: the kind buttons, then only what that kind needs. Figures are
//! kept as typed and read by core's `parse_figure`; the value understood is shown under the
//! field, or why it was not understood, as the officer types.

use leptos::prelude::*;
use thidua_core::{parse_figure, suggest_criterion, Campaign, EntryKind, FigureKind, RecordId};

use super::{fill_from, use_report_form};
use crate::components::{Choice, Field};
use crate::i18n::{date, figure_error_text, group, kind_name, money, t, Lang, Msg};
use crate::platform::{scroll_into_view_soon, today};
use crate::session::use_session;
use crate::storage::EntryDraft;

/// Which number a kind asks for, and its label.
fn amount_label(kind: EntryKind) -> Option<Msg> {
    match kind {
        EntryKind::Initiative | EntryKind::Research => Some(Msg::ValueVnd),
        EntryKind::Training | EntryKind::Event => Some(Msg::Participants),
        EntryKind::Trees => Some(Msg::TreeCount),
        EntryKind::Donation => Some(Msg::MoneyVnd),
        _ => None,
    }
}

/// What a typed figure will count as, when that is not plain from the text itself
/// (`5 triệu` → `= 5.000.000 ₫`); nothing when it reads the same (`2.000.000`).
fn understood(lang: Lang, text: &str, kind: FigureKind) -> Option<String> {
    let n = parse_figure(text, kind, lang).ok()??;
    let shown = match kind {
        FigureKind::Money => money(lang, n),
        FigureKind::Count => group(n, lang.group_sep()),
    };
    let plain = group(n, lang.group_sep());
    (kind == FigureKind::Money || text.trim() != plain).then(|| format!("= {shown}"))
}

#[component]
pub fn KindPicker() -> impl IntoView {
    let session = use_session();
    let state = use_report_form();
    let lang = state.lang;
    let kind = Memo::new(move |_| state.form.with(|f| f.kind));
    let pick = move |k: EntryKind| {
        let unit = session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.unit_id.clone()));
        state.update(|f| {
            // A criterion kept from another kind would count this result toward the wrong
            // target: a new kind takes its own.
            if f.kind != Some(k) {
                f.criterion.clear();
            }
            f.kind = Some(k);
            // Pre-choose the criterion this kind went to last time: one tap less.
            if f.criterion.is_empty() {
                let campaign = RecordId::new(&f.campaign).ok();
                if let (Some(unit), Some(campaign)) = (unit, campaign) {
                    f.criterion = session
                        .doc
                        .with_untracked(|doc| suggest_criterion(doc, &campaign, &unit, k))
                        .unwrap_or_default();
                }
            }
        });
        state.errors.set(Vec::new());
        // The form opens below the buttons: bring its first field up to the thumb.
        scroll_into_view_soon("report-form");
    };
    view! {
        <fieldset class="kinds">
            <legend>{move || t(lang.get(), Msg::Kind)}</legend>
            {EntryKind::ALL
                .into_iter()
                .map(|k| {
                    view! {
                        <button
                            type="button"
                            class="kind"
                            aria-pressed=move || (kind.get() == Some(k)).to_string()
                            on:click=move |_| pick(k)
                        >
                            {move || kind_name(lang.get(), k)}
                        </button>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A figure field: kept as typed, with the value understood or the reason it was not.
#[component]
fn FigureField(
    id: &'static str,
    field: &'static str,
    label: Signal<String>,
    kind: FigureKind,
    get: fn(&EntryDraft) -> &String,
    set: fn(&mut EntryDraft, String),
) -> impl IntoView {
    let state = use_report_form();
    let lang = state.lang;
    let on_input = Callback::new(move |value: String| {
        let lang = lang.get_untracked();
        let why = parse_figure(&value, kind, lang)
            .err()
            .map(|e| figure_error_text(lang, &e, kind));
        state.set_error(field, why);
        state.update(|f| set(f, value));
    });
    let hint = Signal::derive(move || {
        let lang = lang.get();
        state.form.with(|f| understood(lang, get(f), kind))
    });
    view! {
        <Field
            id=id
            label=label
            value=Signal::derive(move || state.form.with(|f| get(f).clone()))
            on_input=on_input
            error=state.error_for(field)
            hint=hint
            hint_ok=true
            numeric=true
            placeholder=Signal::derive(move || {
                t(lang.get(), if kind == FigureKind::Money { Msg::MoneyPlaceholder } else { Msg::CountPlaceholder }).to_owned()
            })
        />
    }
}

/// A text field of the form.
fn text_field(
    id: &'static str,
    field: &'static str,
    label: Msg,
    get: fn(&EntryDraft) -> &String,
    set: fn(&mut EntryDraft, String),
    multiline: bool,
) -> impl IntoView {
    let state = use_report_form();
    let lang = state.lang;
    view! {
        <Field
            id=id
            label=Signal::derive(move || t(lang.get(), label).to_owned())
            value=Signal::derive(move || state.form.with(|f| get(f).clone()))
            on_input=Callback::new(move |v| state.update(|f| set(f, v)))
            error=state.error_for(field)
            multiline=multiline
        />
    }
}

#[component]
pub fn EntryFields(campaigns: Memo<Vec<(RecordId, Campaign)>>) -> impl IntoView {
    let session = use_session();
    let state = use_report_form();
    let lang = state.lang;
    let form = state.form;
    let kind = Memo::new(move |_| form.with(|f| f.kind));
    let campaign = Memo::new(move |_| {
        form.with(|f| {
            campaigns.with(|l| {
                l.iter()
                    .find(|(id, _)| id.as_str() == f.campaign)
                    .map(|(_, c)| c.clone())
            })
        })
    });
    // The last entry of this kind from this unit, to repeat.
    let last_of_kind = Memo::new(move |_| {
        let kind = kind.get()?;
        let unit = session
            .device
            .with(|d| d.as_ref().map(|d| d.unit_id.clone()))?;
        session.doc.with(|doc| {
            doc.entries()
                .filter(|(_, e)| e.unit == unit && e.details.kind() == kind)
                .max_by_key(|(id, e)| (e.date, (*id).clone()))
                .map(|(_, e)| e.clone())
        })
    });
    // Not in a correction or fix: it would replace the result being changed.
    let repeat = move || {
        if matches!(
            state.mode.get(),
            super::Mode::Correct(_) | super::Mode::Edit(_)
        ) {
            return None;
        }
        last_of_kind.get().map(|e| {
            view! {
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        let lang = lang.get_untracked();
                        state.update(|f| {
                            let (day, corrects, edits, key) =
                                (f.date.clone(), f.corrects.clone(), f.edits.clone(), f.key.clone());
                            fill_from(f, &e, lang);
                            f.date = day;
                            f.corrects = corrects;
                            f.edits = edits;
                            f.key = key;
                        })
                    }
                >
                    {move || t(lang.get(), Msg::RepeatLast)}
                </button>
            }
        })
    };
    let set_day = move |day: chrono::NaiveDate| {
        state.set_error("date", None);
        state.update(|f| f.date = date(day));
    };
    let amount = move || {
        let k = kind.get()?;
        let label = amount_label(k)?;
        let figure = k.figure_kind()?;
        Some(view! {
            <FigureField
                id="entry-amount"
                field="amount"
                label=Signal::derive(move || t(lang.get(), label).to_owned())
                kind=figure
                get=|f| &f.amount
                set=|f, v| f.amount = v
            />
        })
    };
    view! {
        {repeat}
        <Show when=move || campaigns.with(|l| l.len() > 1)>
            <Choice
                id="entry-campaign"
                label=Signal::derive(move || t(lang.get(), Msg::Campaign).to_owned())
                options=Signal::derive(move || {
                    campaigns.with(|l| l.iter().map(|(id, c)| (id.to_string(), c.title.clone())).collect())
                })
                value=Signal::derive(move || form.with(|f| f.campaign.clone()))
                on_change=Callback::new(move |v| state.update(|f| { f.campaign = v; f.criterion.clear(); }))
                error=state.error_for("campaign")
            />
        </Show>
        <Choice
            id="entry-criterion"
            label=Signal::derive(move || t(lang.get(), Msg::Criterion).to_owned())
            options=Signal::derive(move || {
                let mut options = vec![(String::new(), t(lang.get(), Msg::NoCriterion).to_owned())];
                if let Some(c) = campaign.get() {
                    options.extend(c.criteria.iter().map(|c| (c.id.clone(), c.name.clone())));
                }
                options
            })
            value=Signal::derive(move || form.with(|f| f.criterion.clone()))
            on_change=Callback::new(move |v| state.update(|f| f.criterion = v))
            error=state.error_for("criterion")
        />
        {text_field("entry-title", "title", Msg::Title, |f| &f.title, |f, v| f.title = v, false)}
        <Field
            id="entry-date"
            label=Signal::derive(move || t(lang.get(), Msg::DateLabel).to_owned())
            value=Signal::derive(move || form.with(|f| f.date.clone()))
            on_input=Callback::new(move |v| state.update(|f| f.date = v))
            error=state.error_for("date")
            numeric=true
            placeholder=Signal::derive(move || t(lang.get(), Msg::DatePlaceholder).to_owned())
        />
        <div class="chips">
            <button type="button" class="chip" on:click=move |_| set_day(today())>
                {move || t(lang.get(), Msg::Today)}
            </button>
            <button
                type="button"
                class="chip"
                on:click=move |_| set_day(today().pred_opt().unwrap_or(today()))
            >
                {move || t(lang.get(), Msg::Yesterday)}
            </button>
        </div>
        {amount}
        <Show when=move || kind.get() == Some(EntryKind::Donation)>
            {text_field("entry-items", "items", Msg::Items, |f| &f.items, |f, v| f.items = v, false)}
            <FigureField
                id="entry-item-count"
                field="item_count"
                label=Signal::derive(move || t(lang.get(), Msg::ItemCount).to_owned())
                kind=FigureKind::Count
                get=|f| &f.item_count
                set=|f, v| f.item_count = v
            />
        </Show>
        <Show when=move || kind.get() == Some(EntryKind::AdvancedExample)>
            {text_field("entry-nominee", "nominee", Msg::Nominee, |f| &f.nominee, |f, v| f.nominee = v, false)}
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || form.with(|f| f.collective)
                    on:change=move |ev| state.update(|f| f.collective = event_target_checked(&ev))
                />
                {move || t(lang.get(), Msg::Collective)}
            </label>
        </Show>
        {text_field("entry-description", "description", Msg::Description, |f| &f.description, |f, v| f.description = v, true)}
        <crate::evidence::view::FilePicker
            files=Signal::derive(move || form.with(|f| f.files.clone()))
            set_files=Callback::new(move |files| state.update(|f| f.files = files))
        />
    }
}
