//! Reporting a result: saved on the device at once, synced later.

use chrono::NaiveDate;
use leptos::prelude::*;
use thidua_core::{Body, Entry, EntryDetails, EntryKind, FieldError, RecordId};

use crate::i18n::{kind_name, problem_text, t, Lang, Msg};
use crate::session::{use_session, WriteError};

/// What the form holds while the user types; nothing here is lost on an error.
#[derive(Clone, Default)]
struct Draft {
    campaign: String,
    kind: Option<EntryKind>,
    title: String,
    description: String,
    date: String,
    amount: String,
    items: String,
    item_count: String,
    nominee: String,
}

/// Which number the kind asks for, and its label.
fn amount_label(kind: EntryKind) -> Option<Msg> {
    match kind {
        EntryKind::Initiative | EntryKind::Research => Some(Msg::ValueVnd),
        EntryKind::Training | EntryKind::Event => Some(Msg::Participants),
        EntryKind::Trees => Some(Msg::TreeCount),
        EntryKind::Donation => Some(Msg::MoneyVnd),
        _ => None,
    }
}

/// Digits only: people type `2.000.000` or `2,000,000`.
fn parse_amount(text: &str) -> Result<u64, ()> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '₫'))
        .collect();
    if digits.is_empty() {
        return Ok(0);
    }
    digits.parse().map_err(|_| ())
}

fn details(d: &Draft, kind: EntryKind, amount: u64) -> EntryDetails {
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
            item_count: parse_amount(&d.item_count).map(small).unwrap_or(0),
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
            collective: false,
        },
        EntryKind::Other => EntryDetails::Other,
    }
}

#[component]
pub fn ReportPage(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let campaigns = Memo::new(move |_| {
        session.doc.with(|doc| {
            doc.campaigns()
                .map(|(id, c)| (id.clone(), c.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(Draft {
        date: today.format("%Y-%m-%d").to_string(),
        ..Draft::default()
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<Msg>);
    let error_for = move |field: &'static str| {
        move || {
            errors.with(|errs| {
                errs.iter()
                    .find(|e| e.field == field)
                    .map(|e| problem_text(lang.get(), &e.problem))
            })
        }
    };

    let save = move || {
        notice.set(None);
        let d = draft.get_untracked();
        let Some(device) = session.device.get_untracked() else {
            return;
        };
        let campaign = d.campaign.clone();
        let campaign = if campaign.is_empty() {
            campaigns
                .get_untracked()
                .first()
                .map(|(id, _)| id.to_string())
                .unwrap_or_default()
        } else {
            campaign
        };
        let kind = d.kind.unwrap_or(EntryKind::Initiative);
        let mut local = Vec::new();
        let amount = parse_amount(&d.amount).unwrap_or_else(|()| {
            local.push(FieldError {
                field: "details.amount",
                problem: thidua_core::Problem::Negative,
            });
            0
        });
        let date = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok();
        if date.is_none() {
            local.push(FieldError {
                field: "date",
                problem: thidua_core::Problem::Required,
            });
        }
        let campaign_id = RecordId::new(campaign);
        if campaign_id.is_err() {
            local.push(FieldError {
                field: "campaign",
                problem: thidua_core::Problem::Required,
            });
        }
        let (Some(date), Ok(campaign_id), true) = (date, campaign_id, local.is_empty()) else {
            errors.set(local);
            notice.set(Some(Msg::FixErrors));
            return;
        };
        let entry = Entry {
            unit: device.unit_id.clone(),
            campaign: campaign_id,
            criterion: None,
            date,
            title: d.title.trim().to_owned(),
            description: d.description.trim().to_owned(),
            details: details(&d, kind, amount),
            corrects: None,
        };
        let Some(id) = session.new_id() else {
            return;
        };
        match session.write(id, Body::Entry(entry)) {
            Ok(()) => {
                errors.set(Vec::new());
                notice.set(Some(Msg::Saved));
                // Keep campaign, kind and date: the next report is usually alike.
                draft.update(|d| {
                    d.title.clear();
                    d.description.clear();
                    d.amount.clear();
                    d.items.clear();
                    d.item_count.clear();
                    d.nominee.clear();
                });
            }
            Err(WriteError::Invalid(mut found)) => {
                // The form has one number field for the figure each kind needs.
                for e in &mut found {
                    if matches!(
                        e.field,
                        "details.value_vnd"
                            | "details.participants"
                            | "details.money_vnd"
                            | "details.count"
                    ) {
                        e.field = "details.amount";
                    }
                }
                errors.set(found);
                notice.set(Some(Msg::FixErrors));
            }
            Err(WriteError::Storage(_)) => notice.set(Some(Msg::StorageFailed)),
            Err(WriteError::NotJoined) => {}
        }
    };

    let kind = Memo::new(move |_| draft.with(|d| d.kind.unwrap_or(EntryKind::Initiative)));
    let field = move |f: fn(&mut Draft) -> &mut String| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            draft.update(|d| *f(d) = value);
        }
    };

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::NewEntry)}</h2>
            <Show
                when=move || !campaigns.with(Vec::is_empty)
                fallback=move || view! { <p class="hint">{move || t(lang.get(), Msg::NoCampaign)}</p> }
            >
                <form
                    class="form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }
                >
                    <label for="entry-campaign">{move || t(lang.get(), Msg::Campaign)}</label>
                    <select
                        id="entry-campaign"
                        on:change=field(|d| &mut d.campaign)
                    >
                        {move || {
                            campaigns
                                .get()
                                .into_iter()
                                .map(|(id, title)| {
                                    let value = id.to_string();
                                    let selected = draft.with(|d| d.campaign == value);
                                    view! { <option value=value selected=selected>{title}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p class="error">{error_for("campaign")}</p>

                    <label for="entry-kind">{move || t(lang.get(), Msg::Kind)}</label>
                    <select
                        id="entry-kind"
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            let picked = EntryKind::ALL.into_iter().find(|k| format!("{k:?}") == value);
                            draft.update(|d| d.kind = picked);
                        }
                    >
                        {move || {
                            EntryKind::ALL
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <option value=format!("{k:?}") selected=move || kind.get() == k>
                                            {move || kind_name(lang.get(), k)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>

                    <label for="entry-title">{move || t(lang.get(), Msg::Title)}</label>
                    <input
                        id="entry-title"
                        type="text"
                        maxlength="200"
                        prop:value=move || draft.with(|d| d.title.clone())
                        on:input=field(|d| &mut d.title)
                    />
                    <p class="error">{error_for("title")}</p>

                    <label for="entry-date">{move || t(lang.get(), Msg::Date)}</label>
                    <input
                        id="entry-date"
                        type="date"
                        prop:value=move || draft.with(|d| d.date.clone())
                        on:input=field(|d| &mut d.date)
                    />
                    <p class="error">{error_for("date")}</p>

                    {move || {
                        amount_label(kind.get())
                            .map(|label| {
                                view! {
                                    <label for="entry-amount">{move || t(lang.get(), label)}</label>
                                    <input
                                        id="entry-amount"
                                        type="text"
                                        inputmode="numeric"
                                        prop:value=move || draft.with(|d| d.amount.clone())
                                        on:input=field(|d| &mut d.amount)
                                    />
                                    <p class="error">{error_for("details.amount")}</p>
                                }
                            })
                    }}
                    <Show when=move || kind.get() == EntryKind::Donation>
                        <label for="entry-items">{move || t(lang.get(), Msg::Items)}</label>
                        <input
                            id="entry-items"
                            type="text"
                            prop:value=move || draft.with(|d| d.items.clone())
                            on:input=field(|d| &mut d.items)
                        />
                        <label for="entry-item-count">{move || t(lang.get(), Msg::ItemCount)}</label>
                        <input
                            id="entry-item-count"
                            type="text"
                            inputmode="numeric"
                            prop:value=move || draft.with(|d| d.item_count.clone())
                            on:input=field(|d| &mut d.item_count)
                        />
                    </Show>
                    <Show when=move || kind.get() == EntryKind::AdvancedExample>
                        <label for="entry-nominee">{move || t(lang.get(), Msg::Nominee)}</label>
                        <input
                            id="entry-nominee"
                            type="text"
                            prop:value=move || draft.with(|d| d.nominee.clone())
                            on:input=field(|d| &mut d.nominee)
                        />
                        <p class="error">{error_for("details.nominee")}</p>
                    </Show>

                    <label for="entry-description">{move || t(lang.get(), Msg::Description)}</label>
                    <textarea
                        id="entry-description"
                        rows="3"
                        prop:value=move || draft.with(|d| d.description.clone())
                        on:input=field(|d| &mut d.description)
                    ></textarea>

                    <button type="submit" class="primary">{move || t(lang.get(), Msg::Save)}</button>
                    <p class="notice" role="status" data-testid="report-notice">
                        {move || notice.get().map(|m| t(lang.get(), m))}
                    </p>
                </form>
            </Show>
        </section>
    }
}
