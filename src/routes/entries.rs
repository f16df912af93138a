//! "My entries": every result this device can see, with its status (draft,
//! waiting to sync, submitted, approved, returned, refused), the head's reason
//! first when returned, a way to correct it, and conflicts to resolve.

use leptos::prelude::*;
use thidua_core::{Body, Entry, EntryDetails, EntryKind, EntryStatus, RecordId, Role};

use crate::components::{corrected_title, correction_of};
use crate::i18n::{date, group, kind_name, money, refusal_text, t, Lang, Msg};
use crate::routes::{use_router, Route};
use crate::session::use_session;
use crate::storage;

/// The one number an entry's kind carries, if any.
pub fn figure_of(details: &EntryDetails) -> Option<u64> {
    match details {
        EntryDetails::Initiative { value_vnd } | EntryDetails::Research { value_vnd } => {
            Some(*value_vnd)
        }
        EntryDetails::Donation { money_vnd, .. } => Some(*money_vnd),
        EntryDetails::Training { participants } | EntryDetails::Event { participants } => {
            Some(u64::from(*participants))
        }
        EntryDetails::Trees { count } => Some(u64::from(*count)),
        _ => None,
    }
}

/// An entry's figure as the user reads it.
pub fn figure_text(lang: Lang, details: &EntryDetails) -> Option<String> {
    let n = figure_of(details)?;
    Some(match details.kind() {
        EntryKind::Initiative | EntryKind::Research | EntryKind::Donation => money(lang, n),
        _ => group(n, lang.group_sep()),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Draft,
    Waiting,
    Submitted,
    Approved,
    Returned,
}

impl Filter {
    const ALL: [Filter; 6] = [
        Filter::All,
        Filter::Draft,
        Filter::Waiting,
        Filter::Submitted,
        Filter::Approved,
        Filter::Returned,
    ];
    fn msg(self) -> Msg {
        match self {
            Filter::All => Msg::FilterAll,
            Filter::Draft => Msg::StatusDraft,
            Filter::Waiting => Msg::StatusWaiting,
            Filter::Submitted => Msg::StatusSubmitted,
            Filter::Approved => Msg::StatusApproved,
            Filter::Returned => Msg::StatusReturned,
        }
    }
}

/// What the list shows of an entry; `Shown` decides the badge.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Waiting,
    Refused,
    Submitted,
    Approved,
    Returned,
    Corrected,
}

#[derive(Clone, PartialEq)]
struct Row {
    id: RecordId,
    entry: Entry,
    unit: String,
    shown: Shown,
    reason: Option<String>,
    /// The title of the returned entry this one corrects.
    corrects: Option<String>,
    /// The server's refusal, said in the user's language when shown.
    refusal: Option<storage::Refusal>,
    versions: Vec<Option<Entry>>,
}

impl Row {
    fn matches(&self, filter: Filter) -> bool {
        match filter {
            Filter::All => true,
            Filter::Draft => false,
            Filter::Waiting => matches!(self.shown, Shown::Waiting | Shown::Refused),
            Filter::Submitted => self.shown == Shown::Submitted,
            Filter::Approved => self.shown == Shown::Approved,
            Filter::Returned => matches!(self.shown, Shown::Returned | Shown::Corrected),
        }
    }
}

#[component]
pub fn EntriesPage(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let filter = RwSignal::new(Filter::All);
    // Drafts are the device's alone (never synced): listed first, opened in the report form.
    let drafts = storage::load_drafts();
    let draft_count = drafts.len();
    let rows = Memo::new(move |_| {
        let me = session
            .device
            .with(|d| d.as_ref().map(|d| d.unit_id.clone()))
            .zip(session.role.get());
        session.outbox.with(|outbox| {
            session.doc.with(|doc| {
                let statuses = thidua_core::entry_statuses(doc);
                let corrected: std::collections::BTreeSet<&RecordId> = doc
                    .entries()
                    .filter_map(|(_, e)| e.corrects.as_ref())
                    .collect();
                let mut rows: Vec<Row> = doc
                    .entries()
                    .filter(|(_, e)| match &me {
                        // Officers see their own unit's; heads and deputies see all.
                        Some((unit, Role::Officer)) => &e.unit == unit,
                        _ => true,
                    })
                    .map(|(id, e)| {
                        let status = statuses.get(id).cloned().unwrap_or(EntryStatus::Submitted);
                        let refused = outbox.rejected.get(id).cloned();
                        let (shown, reason) = if let Some(why) = &refused {
                            (Shown::Refused, Some(why.reason.clone()))
                        } else if outbox.dirty.contains(id) {
                            (Shown::Waiting, None)
                        } else {
                            match status {
                                EntryStatus::Approved => (Shown::Approved, None),
                                EntryStatus::Returned { reason } if corrected.contains(id) => {
                                    (Shown::Corrected, Some(reason))
                                }
                                EntryStatus::Returned { reason } => (Shown::Returned, Some(reason)),
                                _ => (Shown::Submitted, None),
                            }
                        };
                        let versions = doc
                            .get(id)
                            .map(|r| {
                                r.heads
                                    .iter()
                                    .map(|h| match &h.body {
                                        Some(Body::Entry(v)) => Some(v.clone()),
                                        _ => None,
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        Row {
                            id: id.clone(),
                            entry: e.clone(),
                            unit: doc
                                .get_unit(&e.unit)
                                .map(|u| u.name.clone())
                                .unwrap_or_default(),
                            shown,
                            reason,
                            refusal: refused,
                            corrects: corrected_title(doc, e),
                            versions,
                        }
                    })
                    .collect();
                // Returned ones first: they need the officer; then newest.
                rows.sort_by(|a, b| {
                    (b.shown == Shown::Returned)
                        .cmp(&(a.shown == Shown::Returned))
                        .then_with(|| b.entry.date.cmp(&a.entry.date))
                        .then_with(|| b.id.cmp(&a.id))
                });
                rows
            })
        })
    });
    let visible = move || {
        rows.with(|r| {
            r.iter()
                .filter(|row| row.matches(filter.get()))
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::Entries)}</h2>
            <div class="chips" role="group" aria-label=move || t(lang.get(), Msg::FilterLabel)>
                {Filter::ALL
                    .into_iter()
                    .map(|f| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                aria-pressed=move || (filter.get() == f).to_string()
                                on:click=move |_| filter.set(f)
                            >
                                {move || t(lang.get(), f.msg())}
                                {move || {
                                    let n = match f {
                                        Filter::Draft => draft_count,
                                        Filter::All => draft_count + rows.with(Vec::len),
                                        _ => rows.with(|r| r.iter().filter(|row| row.matches(f)).count()),
                                    };
                                    format!(" ({n})")
                                }}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <Show when=move || { draft_count != 0 && matches!(filter.get(), Filter::All | Filter::Draft) }>
                <ul class="entries" data-testid="draft-entries">
                    {drafts
                        .iter()
                        .map(|d| {
                            let key = d.key.clone();
                            let title = d.title.clone();
                            let kind = d.kind;
                            let day = d.date.clone();
                            view! {
                                <li class="entry">
                                    <div class="entry-head">
                                        <strong class="entry-title">{move || if title.trim().is_empty() { t(lang.get(), Msg::Untitled).to_owned() } else { title.clone() }}</strong>
                                        <span class="badge draft" data-testid="status">{move || t(lang.get(), Msg::StatusDraft)}</span>
                                    </div>
                                    <p class="meta">
                                        {move || kind.map(|k| kind_name(lang.get(), k)).unwrap_or_default()}
                                        {(!day.is_empty()).then(|| format!(" · {day}"))}
                                    </p>
                                    <button
                                        type="button"
                                        class="secondary"
                                        on:click=move |_| router.go_with(Route::Report, &format!("draft={key}"))
                                    >
                                        {move || t(lang.get(), Msg::Open)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
            <Show
                when=move || filter.get() != Filter::Draft && rows.with(|r| !r.is_empty())
                fallback=move || view! { <p class="hint">{move || t(lang.get(), Msg::NoEntries)}</p> }
            >
                <ul class="entries" data-testid="entries">
                    <For each=visible key=|row| (row.id.clone(), row.versions.len(), row.shown as u8, row.entry.title.clone(), row.reason.clone()) let:row>
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
    let router = use_router();
    let (status_msg, status_class) = match row.shown {
        Shown::Refused => (Msg::StatusRefused, "refused"),
        Shown::Waiting => (Msg::StatusWaiting, "waiting"),
        Shown::Approved => (Msg::StatusApproved, "approved"),
        Shown::Returned => (Msg::StatusReturned, "returned"),
        Shown::Corrected => (Msg::StatusCorrected, "submitted"),
        Shown::Submitted => (Msg::StatusSubmitted, "submitted"),
    };
    let id = row.id.clone();
    let conflict = (row.versions.len() > 1).then(|| {
        let choices = row
            .versions
            .iter()
            .enumerate()
            .map(|(index, version)| {
                let id = id.clone();
                let version = version.clone();
                let text = move || match &version {
                    Some(e) => format!(
                        "{} · {}{}",
                        e.title,
                        date(e.date),
                        figure_text(lang.get(), &e.details).map(|f| format!(" · {f}")).unwrap_or_default()
                    ),
                    None => t(lang.get(), Msg::VersionDeleted).to_owned(),
                };
                view! {
                    <li>
                        <span>{text}</span>
                        <button type="button" class="secondary" on:click=move |_| session.resolve(&id, index)>
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
    let correctable = row.shown == Shown::Returned
        && session
            .device
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.unit_id == row.entry.unit));
    let correct_id = row.id.clone();
    let entry = row.entry.clone();
    let unit = row.unit.clone();
    view! {
        <li class="entry" data-id=row.id.to_string()>
            <div class="entry-head">
                <strong class="entry-title">{row.entry.title.clone()}</strong>
                <span class=format!("badge {status_class}") data-testid="status">
                    {move || t(lang.get(), status_msg)}
                </span>
            </div>
            {match row.refusal.clone() {
                Some(r) => Some(view! {
                    <p class="reason" data-testid="reason">{move || refusal_text(lang.get(), &r.code, &r.reason)}</p>
                }.into_any()),
                None => row.reason.clone().map(|why| view! { <p class="reason" data-testid="reason">{why}</p> }.into_any()),
            }}
            <Show when=move || correctable>
                {
                    let correct_id = correct_id.clone();
                    view! {
                        <button
                            type="button"
                            class="primary"
                            on:click=move |_| router.go_with(Route::Report, &format!("correct={correct_id}"))
                        >
                            {move || t(lang.get(), Msg::CorrectResubmit)}
                        </button>
                    }
                }
            </Show>
            {correction_of(lang, row.corrects.clone())}
            <p class="meta">
                {move || kind_name(lang.get(), entry.details.kind())}
                " · "
                {date(row.entry.date)}
                {move || figure_text(lang.get(), &row.entry.details).map(|f| format!(" · {f}"))}
                {(!unit.is_empty()).then(|| format!(" · {unit}"))}
            </p>
            {conflict}
        </li>
    }
}
