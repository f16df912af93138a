//! The reported results on this device: status of each, the server's refusal
//! if any, and concurrent versions to choose between.

use leptos::prelude::*;
use thidua_core::{Body, EntryStatus, RecordId, Role};

use crate::i18n::{date, kind_name, money, t, Lang, Msg};
use crate::session::use_session;

#[derive(Clone, PartialEq)]
struct Row {
    id: RecordId,
    title: String,
    unit: String,
    kind: thidua_core::EntryKind,
    date: chrono::NaiveDate,
    figure: Option<u64>,
    status: EntryStatus,
    waiting: bool,
    refused: Option<String>,
    versions: Vec<String>,
}

/// The one number an entry's kind carries, if any.
fn figure_of(details: &thidua_core::EntryDetails) -> Option<u64> {
    use thidua_core::EntryDetails as D;
    match details {
        D::Initiative { value_vnd } | D::Research { value_vnd } => Some(*value_vnd),
        D::Donation { money_vnd, .. } => Some(*money_vnd),
        D::Training { participants } | D::Event { participants } => Some(u64::from(*participants)),
        D::Trees { count } => Some(u64::from(*count)),
        _ => None,
    }
}

#[component]
pub fn EntriesPage(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let rows = Memo::new(move |_| {
        let me = session
            .device
            .with(|d| d.as_ref().map(|d| (d.unit_id.clone(), d.role)));
        session.outbox.with(|outbox| {
            session.doc.with(|doc| {
                let mut rows: Vec<Row> = doc
                    .entries()
                    .filter(|(_, e)| match &me {
                        // Officers see their own unit's; heads and deputies see all.
                        Some((unit, Role::Officer)) => &e.unit == unit,
                        _ => true,
                    })
                    .map(|(id, e)| {
                        let record = doc.get(id);
                        let versions = record
                            .map(|r| {
                                r.heads
                                    .iter()
                                    .map(|h| match &h.body {
                                        Some(Body::Entry(v)) => v.title.clone(),
                                        _ => "—".to_owned(),
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        Row {
                            id: id.clone(),
                            title: e.title.clone(),
                            unit: doc
                                .get_unit(&e.unit)
                                .map(|u| u.name.clone())
                                .unwrap_or_default(),
                            kind: e.details.kind(),
                            date: e.date,
                            figure: figure_of(&e.details),
                            status: thidua_core::entry_status(doc, id),
                            waiting: outbox.dirty.contains(id),
                            refused: outbox.rejected.get(id).cloned(),
                            versions,
                        }
                    })
                    .collect();
                rows.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
                rows
            })
        })
    });

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::Entries)}</h2>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! { <p class="hint">{move || t(lang.get(), Msg::NoEntries)}</p> }
            >
                <ul class="entries" data-testid="entries">
                    <For each=move || rows.get() key=|row| (row.id.clone(), row.versions.clone(), row.waiting, row.refused.clone(), format!("{:?}", row.status)) let:row>
                        <EntryRow row=row lang=lang />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn EntryRow(row: Row, lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let (status_msg, status_class) = if row.refused.is_some() {
        (Msg::StatusRefused, "refused")
    } else if row.waiting {
        (Msg::StatusWaiting, "waiting")
    } else {
        match &row.status {
            EntryStatus::Approved => (Msg::StatusApproved, "approved"),
            EntryStatus::Returned { .. } => (Msg::StatusReturned, "returned"),
            _ => (Msg::StatusSubmitted, "submitted"),
        }
    };
    let reason = match (&row.refused, &row.status) {
        (Some(why), _) => Some(why.clone()),
        (None, EntryStatus::Returned { reason }) => Some(reason.clone()),
        _ => None,
    };
    let id = row.id.clone();
    let conflict = (row.versions.len() > 1).then(|| {
        let choices = row
            .versions
            .iter()
            .enumerate()
            .map(|(index, title)| {
                let id = id.clone();
                view! {
                    <li>
                        <span>{title.clone()}</span>
                        <button
                            type="button"
                            class="secondary"
                            on:click=move |_| session.resolve(&id, index)
                        >
                            {move || t(lang.get(), Msg::KeepThis)}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="conflict" role="group">
                <p>{move || t(lang.get(), Msg::Conflict)}</p>
                <ul>{choices}</ul>
            </div>
        }
    });
    let (kind, figure) = (row.kind, row.figure);
    let figure = move || {
        let lang = lang.get();
        figure.map(|n| match kind {
            thidua_core::EntryKind::Initiative
            | thidua_core::EntryKind::Research
            | thidua_core::EntryKind::Donation => format!(" · {}", money(lang, n)),
            _ => format!(
                " · {}",
                crate::i18n::group(n, if lang == Lang::Vi { '.' } else { ',' })
            ),
        })
    };
    view! {
        <li class="entry" data-id=row.id.to_string()>
            <div class="entry-head">
                <strong class="entry-title">{row.title.clone()}</strong>
                <span class=format!("badge {status_class}") data-testid="status">
                    {move || t(lang.get(), status_msg)}
                </span>
            </div>
            {reason.map(|why| view! { <p class="reason">{why}</p> })}
            <p class="meta">
                {move || kind_name(lang.get(), row.kind)}
                " · "
                {date(row.date)}
                {figure}
                {(!row.unit.is_empty()).then(|| format!(" · {}", row.unit))}
            </p>
            {conflict}
        </li>
    }
}
