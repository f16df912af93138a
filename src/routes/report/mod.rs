//! Reporting a result in seconds, one-thumbed: pick the kind from big
//! buttons, fill only what that kind needs, save. The form is kept on the
//! device at every keystroke; saving works offline; drafts can be kept.

use chrono::{NaiveDate, Timelike};
use leptos::prelude::*;
use thidua_core::{suggest_criterion, Body, Entry, EntryDetails, EntryKind, RecordId};

use crate::components::{Choice, Field};
use crate::i18n::{date, group, kind_name, money, problem_text, t, Lang, Msg};
use crate::routes::{use_router, Route};
use crate::session::{use_session, WriteError};
use crate::storage::{self, EntryDraft};

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

fn is_money(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::Initiative | EntryKind::Research | EntryKind::Donation
    )
}

/// `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text
        .trim()
        .split(['/', '-', '.'])
        .map(|p| p.trim().parse::<u32>());
    let (Some(Ok(d)), Some(Ok(m)), Some(Ok(y)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Only digits, at most 16 of them: people type `2.000.000` or `2,000,000`.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).take(16).collect()
}

fn number(text: &str) -> u64 {
    text.parse().unwrap_or(0)
}

fn details(d: &EntryDraft, kind: EntryKind) -> EntryDetails {
    let amount = number(&d.amount);
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    match kind {
        EntryKind::Initiative => EntryDetails::Initiative { value_vnd: amount },
        EntryKind::Research => EntryDetails::Research { value_vnd: amount },
        EntryKind::Work => EntryDetails::Work,
        EntryKind::Training => EntryDetails::Training {
            participants: small(amount),
        },
        EntryKind::Donation => EntryDetails::Donation {
            money_vnd: amount,
            items: d.items.trim().to_owned(),
            item_count: small(number(&d.item_count)),
        },
        EntryKind::Trees => EntryDetails::Trees {
            count: small(amount),
        },
        EntryKind::Event => EntryDetails::Event {
            participants: small(amount),
        },
        EntryKind::Model => EntryDetails::Model,
        EntryKind::AdvancedExample => EntryDetails::AdvancedExample {
            nominee: d.nominee.trim().to_owned(),
            collective: d.collective,
        },
        EntryKind::Other => EntryDetails::Other,
    }
}

/// The form's fields from an existing entry (for "repeat last" and corrections).
fn fill_from(d: &mut EntryDraft, e: &Entry) {
    d.campaign = e.campaign.to_string();
    d.criterion = e.criterion.clone().unwrap_or_default();
    d.kind = Some(e.details.kind());
    d.title = e.title.clone();
    d.description = e.description.clone();
    d.amount.clear();
    d.items.clear();
    d.item_count.clear();
    d.nominee.clear();
    match &e.details {
        EntryDetails::Initiative { value_vnd } | EntryDetails::Research { value_vnd } => {
            d.amount = value_vnd.to_string()
        }
        EntryDetails::Training { participants } | EntryDetails::Event { participants } => {
            d.amount = participants.to_string()
        }
        EntryDetails::Trees { count } => d.amount = count.to_string(),
        EntryDetails::Donation {
            money_vnd,
            items,
            item_count,
        } => {
            d.amount = money_vnd.to_string();
            d.items = items.clone();
            d.item_count = item_count.to_string();
        }
        EntryDetails::AdvancedExample {
            nominee,
            collective,
        } => {
            d.nominee = nominee.clone();
            d.collective = *collective;
        }
        EntryDetails::Work | EntryDetails::Model | EntryDetails::Other => {}
    }
}

/// Where a problem found by core is shown in this form.
fn form_field(core_field: &str) -> &str {
    match core_field {
        "details.value_vnd" | "details.participants" | "details.money_vnd" | "details.count" => {
            "amount"
        }
        "details.items" => "items",
        "details.item_count" => "item_count",
        "details.nominee" => "nominee",
        other => other,
    }
}

#[component]
pub fn ReportPage(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let form = RwSignal::new(storage::load_form());
    let drafts = RwSignal::new(storage::load_drafts());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let notice = RwSignal::new(None::<Msg>);

    // The campaigns this unit reports to; the running one first.
    let campaigns =
        Memo::new(move |_| session.doc.with(|doc| doc.campaigns_running_first(today())));

    // Sensible defaults, and a correction opened from "My entries".
    Effect::new(move |opened: Option<()>| {
        let first = campaigns.with(|l| l.first().map(|(id, _)| id.to_string()));
        let correct = router
            .param("correct")
            .and_then(|id| RecordId::new(id).ok());
        // A draft opened from "My entries".
        let draft = router
            .param("draft")
            .and_then(|key| drafts.with_untracked(|l| l.iter().find(|d| d.key == key).cloned()));
        form.update(|f| {
            if let Some(d) = draft {
                if f.key != d.key {
                    *f = d;
                }
            }
            if let Some(id) = correct {
                if f.corrects.as_ref() != Some(&id) {
                    if let Some(e) = session
                        .doc
                        .with_untracked(|doc| doc.get_entry(&id).cloned())
                    {
                        *f = EntryDraft::default();
                        fill_from(f, &e);
                        f.date = date(e.date);
                        f.corrects = Some(id);
                    }
                }
            }
            if f.campaign.is_empty() {
                f.campaign = first.unwrap_or_default();
            }
            // A save keeps the date for the next, similar report; a form opened afresh
            // with nothing typed starts from today, not from yesterday's date.
            if f.date.is_empty() || (opened.is_none() && f.is_blank()) {
                f.date = date(today());
            }
        });
    });
    // Every keystroke is on the device at once.
    Effect::new(move |_| {
        let current = form.get();
        session.remember(storage::save_form(&current));
    });

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()))
        })
    };
    let set = move |apply: fn(&mut EntryDraft, String)| {
        Callback::new(move |value: String| form.update(|f| apply(f, value)))
    };
    // Figures keep only their digits; what else was typed is said next to the field at once
    // (a minus sign cannot make a figure negative, a letter is not a figure).
    let figure_input = move |field: &'static str, apply: fn(&mut EntryDraft, String)| {
        Callback::new(move |value: String| {
            let typed = value.trim();
            let why = if typed.starts_with('-') || typed.starts_with('−') {
                Some(problem_text(
                    lang.get_untracked(),
                    &thidua_core::Problem::Negative,
                ))
            } else if typed
                .chars()
                .any(|c| !(c.is_ascii_digit() || " .,".contains(c)))
            {
                Some(t(lang.get_untracked(), Msg::DigitsOnly).to_owned())
            } else {
                None
            };
            errors.update(|e| {
                e.retain(|(f, _)| f != field);
                if let Some(why) = why {
                    e.push((field.to_owned(), why));
                }
            });
            form.update(|f| apply(f, digits(&value)));
        })
    };
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

    let save = move || {
        notice.set(None);
        let lang = lang.get_untracked();
        let f = form.get_untracked();
        let Some(device) = session.device.get_untracked() else {
            return;
        };
        let Some(kind) = f.kind else {
            return;
        };
        let mut local = Vec::new();
        let date = parse_date(&f.date);
        if date.is_none() {
            local.push(("date".to_owned(), t(lang, Msg::DateFormat).to_owned()));
        }
        let campaign = RecordId::new(f.campaign.clone());
        if campaign.is_err() {
            local.push((
                "campaign".to_owned(),
                t(lang, Msg::ChooseCampaign).to_owned(),
            ));
        }
        let (Some(date), Ok(campaign), true) = (date, campaign, local.is_empty()) else {
            errors.set(local);
            notice.set(Some(Msg::FixErrors));
            return;
        };
        let entry = Entry {
            unit: device.unit_id.clone(),
            campaign,
            criterion: (!f.criterion.is_empty()).then(|| f.criterion.clone()),
            date,
            title: f.title.trim().to_owned(),
            description: f.description.trim().to_owned(),
            details: details(&f, kind),
            corrects: f.corrects.clone(),
        };
        // Checked before taking an id, so a refused save uses none.
        if let Err(found) = session
            .doc
            .with_untracked(|doc| thidua_core::validate(doc, &Body::Entry(entry.clone())))
        {
            errors.set(
                found
                    .iter()
                    .map(|e| {
                        (
                            form_field(e.field).to_owned(),
                            problem_text(lang, &e.problem),
                        )
                    })
                    .collect(),
            );
            notice.set(Some(Msg::FixErrors));
            return;
        }
        let Some(id) = session.new_id() else {
            return;
        };
        match session.write(id, Body::Entry(entry)) {
            Ok(()) | Err(WriteError::Storage(_)) => {
                errors.set(Vec::new());
                notice.set(Some(if session.storage_error.get_untracked().is_some() {
                    Msg::SavedNotStored
                } else {
                    Msg::Saved
                }));
                // A saved draft is done with.
                if !f.key.is_empty() {
                    drafts.update(|list| list.retain(|d| d.key != f.key));
                    session.remember(storage::save_drafts(&drafts.get_untracked()));
                }
                // Keep campaign, kind and date: the next report is usually alike.
                form.set(EntryDraft {
                    campaign: f.campaign,
                    kind: f.kind,
                    date: f.date,
                    criterion: f.criterion,
                    ..EntryDraft::default()
                });
                if f.corrects.is_some() {
                    router.go(Route::Entries);
                }
            }
            Err(WriteError::Invalid(found)) => {
                errors.set(
                    found
                        .iter()
                        .map(|e| {
                            (
                                form_field(e.field).to_owned(),
                                problem_text(lang, &e.problem),
                            )
                        })
                        .collect(),
                );
                notice.set(Some(Msg::FixErrors));
            }
            Err(WriteError::NotJoined) => {}
        }
    };

    let keep_draft = move |_| {
        let mut f = form.get_untracked();
        if f.key.is_empty() {
            f.key = format!("d{}", js_sys::Date::now() as u64);
        }
        f.saved_at = Some(chrono::Utc::now());
        drafts.update(|list| {
            list.retain(|d| d.key != f.key);
            list.insert(0, f.clone());
        });
        session.remember(storage::save_drafts(&drafts.get_untracked()));
        form.set(EntryDraft {
            campaign: f.campaign,
            date: f.date,
            ..EntryDraft::default()
        });
        errors.set(Vec::new());
        notice.set(Some(Msg::DraftKept));
    };

    let kind_buttons = move || {
        EntryKind::ALL
        .into_iter()
        .map(|k| {
            view! {
                <button
                    type="button"
                    class="kind"
                    aria-pressed=move || (kind.get() == Some(k)).to_string()
                    on:click=move |_| {
                        let unit = session.device.with_untracked(|d| d.as_ref().map(|d| d.unit_id.clone()));
                        form.update(|f| {
                            // A criterion kept from another kind would count this result toward
                            // the wrong target: a new kind takes its own.
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
                        errors.set(Vec::new());
                    }
                >
                    {move || kind_name(lang.get(), k)}
                </button>
            }
        })
        .collect_view()
    };

    let amount_hint = Signal::derive(move || {
        let lang = lang.get();
        let k = kind.get()?;
        let n = form.with(|f| number(&f.amount));
        (n > 0 && is_money(k)).then(|| money(lang, n))
    });

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::NewEntry)}</h2>
            {move || {
                form.with(|f| f.corrects.clone())
                    .map(|_| view! { <p class="hint">{move || t(lang.get(), Msg::Correcting)}</p> })
            }}
            <Show
                when=move || !campaigns.with(Vec::is_empty)
                fallback=move || view! { <p class="hint">{move || t(lang.get(), Msg::NoCampaign)}</p> }
            >
                <fieldset class="kinds">
                    <legend>{move || t(lang.get(), Msg::Kind)}</legend>
                    {kind_buttons()}
                </fieldset>
            </Show>
            <Show when=move || kind.get().is_some() && !campaigns.with(Vec::is_empty)>
                <form class="form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                    {move || {
                        last_of_kind
                            .get()
                            .map(|e| {
                                view! {
                                    <button
                                        type="button"
                                        class="secondary"
                                        on:click=move |_| {
                                            form.update(|f| {
                                                let (date, corrects, key) = (f.date.clone(), f.corrects.clone(), f.key.clone());
                                                fill_from(f, &e);
                                                f.date = date;
                                                f.corrects = corrects;
                                                f.key = key;
                                            })
                                        }
                                    >
                                        {move || t(lang.get(), Msg::RepeatLast)}
                                    </button>
                                }
                            })
                    }}
                    <Show when=move || campaigns.with(|l| l.len() > 1)>
                        <Choice
                            id="entry-campaign"
                            label=Signal::derive(move || t(lang.get(), Msg::Campaign).to_owned())
                            options=Signal::derive(move || {
                                campaigns.with(|l| l.iter().map(|(id, c)| (id.to_string(), c.title.clone())).collect())
                            })
                            value=Signal::derive(move || form.with(|f| f.campaign.clone()))
                            on_change=set(|f, v| { f.campaign = v; f.criterion.clear(); })
                            error=error_for("campaign")
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
                        on_change=set(|f, v| f.criterion = v)
                        error=error_for("criterion")
                    />
                    <Field
                        id="entry-title"
                        label=Signal::derive(move || t(lang.get(), Msg::Title).to_owned())
                        value=Signal::derive(move || form.with(|f| f.title.clone()))
                        on_input=set(|f, v| f.title = v)
                        error=error_for("title")
                    />
                    <Field
                        id="entry-date"
                        label=Signal::derive(move || t(lang.get(), Msg::DateLabel).to_owned())
                        value=Signal::derive(move || form.with(|f| f.date.clone()))
                        on_input=set(|f, v| f.date = v)
                        error=error_for("date")
                        numeric=true
                        placeholder=Signal::derive(move || t(lang.get(), Msg::DatePlaceholder).to_owned())
                    />
                    <div class="chips">
                        <button type="button" class="chip" on:click=move |_| form.update(|f| f.date = date(today()))>
                            {move || t(lang.get(), Msg::Today)}
                        </button>
                        <button
                            type="button"
                            class="chip"
                            on:click=move |_| form.update(|f| f.date = date(today().pred_opt().unwrap_or(today())))
                        >
                            {move || t(lang.get(), Msg::Yesterday)}
                        </button>
                    </div>
                    {move || {
                        kind.get()
                            .and_then(amount_label)
                            .map(|label| {
                                view! {
                                    <Field
                                        id="entry-amount"
                                        label=Signal::derive(move || t(lang.get(), label).to_owned())
                                        value=Signal::derive(move || {
                                            let lang = lang.get();
                                            form.with(|f| {
                                                if f.amount.is_empty() { String::new() } else { group(number(&f.amount), lang.group_sep()) }
                                            })
                                        })
                                        on_input=figure_input("amount", |f, v| f.amount = v)
                                        error=error_for("amount")
                                        hint=amount_hint
                                        numeric=true
                                    />
                                }
                            })
                    }}
                    <Show when=move || kind.get() == Some(EntryKind::Donation)>
                        <Field
                            id="entry-items"
                            label=Signal::derive(move || t(lang.get(), Msg::Items).to_owned())
                            value=Signal::derive(move || form.with(|f| f.items.clone()))
                            on_input=set(|f, v| f.items = v)
                            error=error_for("items")
                        />
                        <Field
                            id="entry-item-count"
                            label=Signal::derive(move || t(lang.get(), Msg::ItemCount).to_owned())
                            value=Signal::derive(move || form.with(|f| f.item_count.clone()))
                            on_input=figure_input("item_count", |f, v| f.item_count = v)
                            error=error_for("item_count")
                            numeric=true
                        />
                    </Show>
                    <Show when=move || kind.get() == Some(EntryKind::AdvancedExample)>
                        <Field
                            id="entry-nominee"
                            label=Signal::derive(move || t(lang.get(), Msg::Nominee).to_owned())
                            value=Signal::derive(move || form.with(|f| f.nominee.clone()))
                            on_input=set(|f, v| f.nominee = v)
                            error=error_for("nominee")
                        />
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=move || form.with(|f| f.collective)
                                on:change=move |ev| form.update(|f| f.collective = event_target_checked(&ev))
                            />
                            {move || t(lang.get(), Msg::Collective)}
                        </label>
                    </Show>
                    <Field
                        id="entry-description"
                        label=Signal::derive(move || t(lang.get(), Msg::Description).to_owned())
                        value=Signal::derive(move || form.with(|f| f.description.clone()))
                        on_input=set(|f, v| f.description = v)
                        error=error_for("description")
                        multiline=true
                    />
                    <button type="submit" class="primary">{move || t(lang.get(), Msg::Save)}</button>
                    <button type="button" class="secondary wide" on:click=keep_draft>
                        {move || t(lang.get(), Msg::KeepDraft)}
                    </button>
                </form>
            </Show>
            <p
                class="notice"
                class:warn=move || notice.get() == Some(Msg::SavedNotStored)
                role="status"
                data-testid="report-notice"
            >
                {move || notice.get().map(|m| t(lang.get(), m))}
            </p>
        </section>
        <DraftList lang=lang drafts=drafts form=form />
    }
}

#[component]
fn DraftList(
    lang: Memo<Lang>,
    drafts: RwSignal<Vec<EntryDraft>>,
    form: RwSignal<EntryDraft>,
) -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || !drafts.with(Vec::is_empty)>
            <section class="card">
                <h2>{move || t(lang.get(), Msg::Drafts)}</h2>
                <ul class="entries" data-testid="drafts">
                    <For each=move || drafts.get() key=|d| (d.key.clone(), d.saved_at) let:draft>
                        {
                            let open = draft.clone();
                            let key = draft.key.clone();
                            let title = draft.title.clone();
                            let when = draft.saved_at.map(|t| {
                                let local = t.with_timezone(&chrono::Local);
                                format!("{} {:02}:{:02}", date(local.date_naive()), local.time().hour(), local.time().minute())
                            });
                            let kind = draft.kind;
                            view! {
                                <li class="entry">
                                    <strong class="entry-title">{move || if title.trim().is_empty() { t(lang.get(), Msg::Untitled).to_owned() } else { title.clone() }}</strong>
                                    <p class="meta">
                                        {move || kind.map(|k| kind_name(lang.get(), k)).unwrap_or_default()}
                                        {when.map(|w| format!(" · {w}"))}
                                    </p>
                                    <div class="row-actions">
                                        <button type="button" class="secondary" on:click=move |_| form.set(open.clone())>
                                            {move || t(lang.get(), Msg::Open)}
                                        </button>
                                        <button
                                            type="button"
                                            class="secondary"
                                            on:click=move |_| {
                                                drafts.update(|l| l.retain(|d| d.key != key));
                                                session.remember(storage::save_drafts(&drafts.get_untracked()));
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
