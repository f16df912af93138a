//! "My entries": every result this device can see, with its status (draft,
//! waiting to sync, submitted, approved, returned, refused), the head's reason
//! first when returned, a way to correct it, and conflicts to resolve.

use leptos::prelude::*;
use thidua_core::{Body, Entry, EntryDetails, EntryStatus, RecordId, Role};

use crate::components::{corrected_title, correction_of};
use crate::i18n::{date, group, kind_name, money, refusal_text, t, Lang, Msg};
use crate::lang::use_lang;
use crate::routes::{use_router, Route};
use crate::session::use_session;
use crate::storage;

/// An entry's figure as the user reads it.
pub fn figure_text(lang: Lang, details: &EntryDetails) -> Option<String> {
    let n = details.figure()?;
    Some(match details.kind().figure_kind()? {
        thidua_core::FigureKind::Money => money(lang, n),
        thidua_core::FigureKind::Count => group(n, lang.group_sep()),
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
    /// Its concurrent versions that differ, each with its place among the record's heads.
    versions: Vec<(usize, Option<Entry>)>,
    /// The returned versions this result corrects, oldest first, with the head's reasons:
    /// a correction and what it corrects are one item, with its story.
    story: Vec<(String, String)>,
    /// Not reviewed yet and of this device's unit: it can still be fixed or withdrawn.
    changeable: bool,
    /// When its shown version was written: a fix redraws the row.
    revised: Option<chrono::DateTime<chrono::Utc>>,
}

impl Row {
    fn matches(&self, filter: Filter) -> bool {
        match filter {
            Filter::All => true,
            Filter::Draft => false,
            Filter::Waiting => matches!(self.shown, Shown::Waiting | Shown::Refused),
            Filter::Submitted => self.shown == Shown::Submitted,
            Filter::Approved => self.shown == Shown::Approved,
            // A returned result that has been corrected is the correction's story now.
            Filter::Returned => self.shown == Shown::Returned,
        }
    }
}

/// Waiting, refused or submitted: nobody has decided on it yet.
fn shown_is_open(shown: Shown) -> bool {
    matches!(shown, Shown::Waiting | Shown::Refused | Shown::Submitted)
}

/// The returned results that `entry` corrects, oldest first: each one's title and the head's
/// reason for returning it.
fn story_of(
    doc: &thidua_core::Document,
    statuses: &std::collections::BTreeMap<RecordId, EntryStatus>,
    entry: &Entry,
) -> Vec<(String, String)> {
    let mut story = Vec::new();
    let mut next = entry.corrects.clone();
    // A chain of corrections is short; the bound only guards against a cycle.
    while let Some(id) = next.take().filter(|_| story.len() < 20) {
        let Some(before) = doc.get_entry(&id) else {
            break;
        };
        let reason = match statuses.get(&id) {
            Some(EntryStatus::Returned { reason }) => reason.clone(),
            _ => String::new(),
        };
        story.push((before.title.clone(), reason));
        next = before.corrects.clone();
    }
    story.reverse();
    story
}

#[component]
pub fn EntriesPage() -> impl IntoView {
    let lang = use_lang();
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
                let my_unit = me.as_ref().map(|(u, _)| u.clone());
                let mut rows: Vec<Row> = doc
                    .entries()
                    .filter(|(_, e)| match &me {
                        // Officers see their own unit's; heads and deputies see all.
                        Some((unit, Role::Officer)) => &e.unit == unit,
                        _ => true,
                    })
                    // Shown inside the item of the result that corrects it.
                    .filter(|(id, _)| {
                        !(corrected.contains(id)
                            && statuses
                                .get(*id)
                                .is_some_and(|s| matches!(s, EntryStatus::Returned { .. })))
                    })
                    .map(|(id, e)| {
                        let status = statuses.get(id).cloned().unwrap_or(EntryStatus::Submitted);
                        let status_for_row = status.clone();
                        let refused = outbox.rejected.get(id).cloned();
                        let (shown, reason) = if let Some(why) = &refused {
                            (Shown::Refused, Some(why.reason.clone()))
                        } else if outbox.dirty.contains(id) {
                            (Shown::Waiting, None)
                        } else {
                            match status_for_row {
                                EntryStatus::Approved => (Shown::Approved, None),
                                EntryStatus::Returned { reason } if corrected.contains(id) => {
                                    (Shown::Corrected, Some(reason))
                                }
                                EntryStatus::Returned { reason } => (Shown::Returned, Some(reason)),
                                _ => (Shown::Submitted, None),
                            }
                        };
                        // Concurrent versions saying the same (a restored backup and the old
                        // phone both sent it) are no conflict to resolve.
                        let mut versions: Vec<(usize, Option<Entry>)> = Vec::new();
                        let heads = doc.get(id).map(|r| r.heads.iter()).into_iter().flatten();
                        for (index, head) in heads.enumerate() {
                            let v = match &head.body {
                                Some(Body::Entry(v)) => Some(v.clone()),
                                _ => None,
                            };
                            if !versions.iter().any(|(_, seen)| *seen == v) {
                                versions.push((index, v));
                            }
                        }
                        let changeable = shown_is_open(shown)
                            && matches!(status, EntryStatus::Submitted)
                            && my_unit.as_ref() == Some(&e.unit);
                        Row {
                            revised: doc.get(id).and_then(|r| r.winner()).map(|w| w.at),
                            story: story_of(doc, &statuses, e),
                            changeable,
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
                thidua_core::order::sort_by(&mut rows, |a, b| {
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
            <Show when=move || filter.get() != Filter::Draft && rows.with(|r| r.is_empty())>
                <p class="hint">{move || t(lang.get(), Msg::NoEntries)}</p>
            </Show>
            <Show when=move || {
                let f = filter.get();
                let drafts_shown = draft_count != 0 && matches!(f, Filter::All | Filter::Draft);
                !drafts_shown && rows.with(|r| !r.is_empty() && !r.iter().any(|row| row.matches(f)))
            }>
                <p class="hint" data-testid="no-match">{move || t(lang.get(), Msg::NoMatch)}</p>
            </Show>
            <Show when=move || filter.get() != Filter::Draft && rows.with(|r| !r.is_empty())>
                <ul class="entries" data-testid="entries">
                    <For each=visible key=|row| (row.id.clone(), row.versions.len(), row.shown as u8, row.revised, row.reason.clone(), row.story.len()) let:row>
                        <EntryRow row=row />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn EntryRow(row: Row) -> impl IntoView {
    let lang = use_lang();
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
            .map(|(index, version)| {
                let index = *index;
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
    let edit_id = row.id.clone();
    let changeable = row.changeable;
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
            <crate::evidence::view::FileList files=row.entry.files.clone() />
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
            {(!row.story.is_empty()).then(|| {
                let story = row.story.clone();
                view! {
                    <ol class="story" data-testid="story">
                        {story.into_iter().map(|(title, reason)| view! {
                            <li>
                                <span class="story-title">{title}</span>
                                " — "
                                {move || t(lang.get(), Msg::StoryReturned)}
                                {(!reason.is_empty()).then(|| format!(": {reason}"))}
                            </li>
                        }).collect_view()}
                        <li>{move || t(lang.get(), Msg::StoryResent)}</li>
                    </ol>
                }
            })}
            {row.story.is_empty().then(|| correction_of(lang, row.corrects.clone()))}
            <Show when=move || changeable>
                <div class="row-actions">
                    <button
                        type="button"
                        class="secondary"
                        data-testid="fix-entry"
                        on:click={
                            let id = edit_id.clone();
                            move |_| router.go_with(Route::Report, &format!("edit={id}"))
                        }
                    >
                        {move || t(lang.get(), Msg::FixEntry)}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-testid="withdraw-entry"
                        on:click={
                            let id = edit_id.clone();
                            move |_| {
                                let ok = window()
                                    .confirm_with_message(t(lang.get_untracked(), Msg::WithdrawConfirm))
                                    .unwrap_or(false);
                                if ok {
                                    let _ = session.delete(&id);
                                }
                            }
                        }
                    >
                        {move || t(lang.get(), Msg::Withdraw)}
                    </button>
                </div>
            </Show>
            <p class="meta">
                {move || kind_name(lang.get(), entry.details.kind())}
                " · "
                {date(row.entry.date)}
                {move || figure_text(lang.get(), &row.entry.details).map(|f| format!(" · {f}"))}
                {(!unit.is_empty()).then(|| format!(" · {unit}"))}
            </p>
            <crate::routes::history::HistoryLink id=row.id.clone() />
            {conflict}
        </li>
    }
}
