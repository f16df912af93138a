//! The review queue: entries newest first, filtered by unit, kind and status;
//! approve in one tap, return with a reason in two, or approve a selection.
//! Each decision is a `Review` record naming the entry revision it saw.

use std::collections::BTreeSet;

use leptos::prelude::*;
use thidua_core::{
    entry_statuses, format, Body, EntryKind, EntryStatus, RecordId, Review, ReviewDecision,
};

use crate::components::{corrected_title, correction_of};
use crate::i18n::{kind_name, t, Msg};
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::routes::head::{self, btn, tx, Bad, How, Pick, Text};
use crate::session::{use_session, Session};

#[derive(Clone, PartialEq)]
struct Row {
    id: RecordId,
    title: String,
    description: String,
    unit: String,
    kind: EntryKind,
    date: chrono::NaiveDate,
    figure: Option<u64>,
    status: EntryStatus,
    /// The title of the returned entry this one corrects.
    corrects: Option<String>,
    /// Its evidence.
    files: Vec<thidua_core::files::FileRef>,
}

/// Writes one decision on the entry's current revision.
fn decide(session: Session, entry: &RecordId, decision: ReviewDecision) -> bool {
    let Some(entry_clock) = session
        .doc
        .with_untracked(|d| d.get(entry).map(|r| r.clock()))
    else {
        return false;
    };
    let Some(id) = session.new_id() else {
        return false;
    };
    let review = Review {
        entry: entry.clone(),
        entry_clock,
        decision,
    };
    session.write(id, Body::Review(review)).is_ok()
}

fn status_key(s: &EntryStatus) -> &'static str {
    match s {
        EntryStatus::Submitted => "submitted",
        EntryStatus::Approved => "approved",
        EntryStatus::Returned { .. } => "returned",
        EntryStatus::Deleted => "deleted",
    }
}

/// Entries drawn at first, and added by each "show more".
const PAGE: usize = 50;

/// What the queue's parts share: the selection, the entry being returned and its reason,
/// and the notice of the last decision.
#[derive(Clone, Copy)]
struct Queue {
    selected: RwSignal<BTreeSet<RecordId>>,
    returning: RwSignal<Option<RecordId>>,
    reason: RwSignal<String>,
    errs: head::Errs,
    note: head::Note,
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let unit = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let status = RwSignal::new("submitted".to_owned());
    let queue = Queue {
        selected: RwSignal::new(BTreeSet::new()),
        returning: RwSignal::new(None),
        reason: RwSignal::new(String::new()),
        errs: RwSignal::new(Vec::new()),
        note: RwSignal::new(None),
    };
    provide_context(queue);
    let (selected, note) = (queue.selected, queue.note);

    let shown = RwSignal::new(PAGE);
    // The matching entries, newest first: ids and statuses only, so that a cluster with
    // thousands of entries builds and draws rows for the shown ones alone.
    let matching = Memo::new(move |_| {
        let (unit, kind, status) = (unit.get(), kind.get(), status.get());
        session.doc.with(|doc| {
            let statuses = entry_statuses(doc);
            let mut found: Vec<(chrono::DateTime<chrono::Utc>, RecordId, EntryStatus)> = doc
                .entries()
                .filter(|(_, e)| unit.is_empty() || e.unit.as_str() == unit)
                .filter(|(_, e)| kind.is_empty() || format!("{:?}", e.details.kind()) == kind)
                .filter_map(|(id, _)| {
                    let st = statuses.get(id).cloned().unwrap_or(EntryStatus::Submitted);
                    // When it reached the queue (its latest version), not the day it
                    // reports: a late report of an old event is still new to review.
                    let sent = doc.get(id).and_then(|r| r.winner()).map(|w| w.at)?;
                    (status.is_empty() || status_key(&st) == status).then(|| (sent, id.clone(), st))
                })
                .collect();
            // Newest first, then by id.
            thidua_core::order::sort_by(&mut found, |a, b| {
                (b.0, b.1.as_str()).cmp(&(a.0, a.1.as_str()))
            });
            found
        })
    });
    let rows = Memo::new(move |_| {
        let n = shown.get();
        matching.with(|found| {
            session.doc.with(|doc| {
                found
                    .iter()
                    .take(n)
                    .filter_map(|(_, id, st)| {
                        let e = doc.get_entry(id)?;
                        Some(Row {
                            id: id.clone(),
                            title: e.title.clone(),
                            description: e.description.clone(),
                            unit: head::unit_name(doc, &e.unit),
                            kind: e.details.kind(),
                            date: e.date,
                            figure: e.details.figure(),
                            corrects: corrected_title(doc, e),
                            status: st.clone(),
                            files: e.files.clone(),
                        })
                    })
                    .collect::<Vec<Row>>()
            })
        })
    });

    let unit_opts = Signal::derive(move || {
        let mut o = vec![(String::new(), th(lang.get(), HeadMsg::AllUnits).to_owned())];
        o.extend(session.doc.with(head::unit_options));
        o
    });
    let kind_opts = Signal::derive(move || {
        let lang = lang.get();
        let mut o = vec![(String::new(), th(lang, HeadMsg::AllKinds).to_owned())];
        o.extend(EntryKind::ALL.map(|k| (format!("{k:?}"), kind_name(lang, k).to_owned())));
        o
    });
    let status_opts = Signal::derive(move || {
        let lang = lang.get();
        [
            ("submitted", t(lang, Msg::StatusSubmitted)),
            ("returned", t(lang, Msg::StatusReturned)),
            ("approved", t(lang, Msg::StatusApproved)),
            ("", th(lang, HeadMsg::AllStatuses)),
        ]
        .map(|(v, l)| (v.to_owned(), l.to_owned()))
        .to_vec()
    });

    let approve_selected = move |_| {
        let ids = selected.get_untracked();
        let done = ids
            .iter()
            .filter(|id| decide(session, id, ReviewDecision::Approve))
            .count();
        selected.set(BTreeSet::new());
        note.set((done > 0).then_some(HeadMsg::ApprovedSome));
    };
    let all_selected = move || {
        rows.with(|r| !r.is_empty() && r.iter().all(|row| selected.with(|s| s.contains(&row.id))))
    };

    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::ReviewTitle)}
            <div class="filters">
                {head::pick(lang, Pick { id: "review-unit", label: HeadMsg::FilterUnit, options: unit_opts, value: unit, field: "" }, None)}
                {head::pick(lang, Pick { id: "review-kind", label: HeadMsg::FilterKind, options: kind_opts, value: kind, field: "" }, None)}
                {head::pick(lang, Pick { id: "review-status", label: HeadMsg::FilterStatus, options: status_opts, value: status, field: "" }, None)}
            </div>
            <div class="bulk">
                <label class="pick">
                    <input
                        type="checkbox"
                        prop:checked=all_selected
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.set(if on {
                                rows.with(|r| r.iter().map(|row| row.id.clone()).collect())
                            } else {
                                BTreeSet::new()
                            });
                        }
                    />
                    {tx(lang, HeadMsg::SelectAll)}
                </label>
                <button
                    type="button"
                    class="primary"
                    disabled=move || selected.with(BTreeSet::is_empty)
                    on:click=approve_selected
                >
                    {move || format!("{} ({})", th(lang.get(), HeadMsg::ApproveSelected), selected.with(BTreeSet::len))}
                </button>
            </div>
            {head::toast(lang, note)}
            {move || rows.with(Vec::is_empty).then(|| head::para(lang, "hint", HeadMsg::NoMatch))}
            <ul class="entries" data-testid="review-list">
                {move || rows.get().into_iter().map(|row| view! { <ReviewRow row=row /> }).collect_view()}
            </ul>
            {move || {
                let (total, n) = (matching.with(Vec::len), shown.get());
                (total > n).then(|| view! {
                    <button
                        type="button"
                        class="secondary"
                        data-testid="review-more"
                        on:click=move |_| shown.update(|s| *s += PAGE)
                    >
                        {move || format!("{} ({n}/{total})", th(lang.get(), HeadMsg::ShowMore))}
                    </button>
                })
            }}
        </section>
    }
}

/// One entry of the queue: what it is, its status and story, approve or return.
#[component]
fn ReviewRow(row: Row) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let Queue {
        selected,
        returning,
        errs,
        note,
        ..
    } = expect_context::<Queue>();
    let id = row.id.clone();
    let data_id = id.to_string();
    let (id2, id3, id4, id5) = (id.clone(), id.clone(), id.clone(), id.clone());
    let (badge, class) = match &row.status {
        EntryStatus::Approved => (Msg::StatusApproved, "approved"),
        EntryStatus::Returned { .. } => (Msg::StatusReturned, "returned"),
        _ => (Msg::StatusSubmitted, "submitted"),
    };
    let returned = match &row.status {
        EntryStatus::Returned { reason } => Some(reason.clone()),
        _ => None,
    };
    let figure = row.figure;
    let files = row.files.clone();
    let money = matches!(
        row.kind,
        EntryKind::Initiative | EntryKind::Research | EntryKind::Donation
    );
    let meta = move || {
        let lang = lang.get();
        let mut s = format!("{} · {}", kind_name(lang, row.kind), format::date(row.date));
        if let Some(n) = figure {
            s.push_str(" · ");
            s.push_str(&if money {
                format::vnd(n, lang)
            } else {
                format::number(n, lang)
            });
        }
        s
    };
    let history_id = id.clone();
    let approve = Callback::new(move |()| {
        if decide(session, &id4, ReviewDecision::Approve) {
            note.set(Some(HeadMsg::ApprovedSome));
        }
    });
    let open = Callback::new(move |()| {
        errs.set(Vec::new());
        returning.set(Some(id5.clone()));
    });
    let form = move || {
        returning
            .with(|r| r.as_ref() == Some(&id))
            .then(|| view! { <ReturnForm entry=id.clone() /> })
    };
    view! {
        <li class="entry" data-id=data_id>
            <label class="pick">
                <input
                    type="checkbox"
                    prop:checked=move || selected.with(|s| s.contains(&id2))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            if on { s.insert(id3.clone()); } else { s.remove(&id3); }
                        });
                    }
                />
                <strong class="entry-title">{row.title}</strong>
            </label>
            <p class="meta">
                <span class=format!("badge {class}") data-testid="status">
                    {move || t(lang.get(), badge)}
                </span>
                " "
                {meta}
                " · "
                {row.unit}
            </p>
            {correction_of(lang, row.corrects)}
            {(!row.description.is_empty()).then(|| view! { <p class="desc">{row.description}</p> })}
            {returned.map(|why| view! { <p class="reason">{why}</p> })}
            <crate::evidence::view::FileList files=files.clone() />
            <crate::evidence::view::Arrived files=files />
            <div class="acts">
                {btn(lang, "approve", HeadMsg::Approve, None, approve)}
                {btn(lang, "secondary", HeadMsg::Return, None, open)}
                <crate::routes::history::HistoryLink id=history_id />
            </div>
            {form}
        </li>
    }
}

/// Returning an entry: the reason is required, and the officer reads it as written.
#[component]
fn ReturnForm(entry: RecordId) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let Queue {
        returning,
        reason,
        errs,
        note,
        ..
    } = expect_context::<Queue>();
    view! {
        <form
            class="form"
            on:submit=move |ev| {
                ev.prevent_default();
                let why = reason.get_untracked().trim().to_owned();
                if why.is_empty() {
                    errs.set(vec![("decision.reason", Bad::Core(thidua_core::Problem::Required))]);
                    return;
                }
                if decide(session, &entry, ReviewDecision::Return { reason: why }) {
                    reason.set(String::new());
                    returning.set(None);
                    note.set(Some(HeadMsg::ReturnedOne));
                }
            }
        >
            {head::text(lang, Text { id: "return-reason", label: HeadMsg::ReturnReason, value: reason, field: "decision.reason", how: How::Long, shown: None }, errs)}
            {head::submit(lang, HeadMsg::ConfirmReturn)}
        </form>
    }
}
