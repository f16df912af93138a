//! Reporting (tình hình báo cáo): for a campaign's deadline, which member units reported on
//! time, late or not at all, the reporting rate, and a reminder to those that have not: a
//! prefilled message handed to the share sheet (Zalo, SMS) or copied, recorded as a
//! `Reminder` so everyone sees who was reminded when. The server sends nothing.

use leptos::prelude::*;
use thidua_core::reporting::{self, ReportStatus};
use thidua_core::{Body, RecordId, Reminder};

use crate::i18n::{date, Lang};
use crate::i18n_board::{completeness_line, reminded_line, reminder_message, tb, BoardMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::head;
use crate::session::use_session;

pub fn status_word(lang: Lang, status: ReportStatus) -> &'static str {
    tb(
        lang,
        match status {
            ReportStatus::OnTime => BoardMsg::OnTime,
            ReportStatus::Late => BoardMsg::Late,
            ReportStatus::Missing => BoardMsg::Missing,
            ReportStatus::NotDue => BoardMsg::NotDue,
        },
    )
}

/// `15/06/2024 09:14` in the device's time.
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::Local)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The app's address, for messages that bring people to it.
fn app_link() -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/")
}

#[component]
pub fn ReportingPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (campaign, picker) = head::campaign_picker(session, lang);
    // The chosen deadline's due date as text; empty: the current one.
    let chosen = RwSignal::new(String::new());
    let note = RwSignal::new(None::<BoardMsg>);
    let campaign_id = Memo::new(move |_| head::id_of(&campaign.get()));
    let deadlines = Memo::new(move |_| {
        let Some(id) = campaign_id.get() else {
            return Vec::new();
        };
        session.doc.with(|d| {
            d.get_campaign(&id)
                .map(|c| {
                    reporting::sorted_deadlines(c)
                        .into_iter()
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let report = Memo::new(move |_| {
        let id = campaign_id.get()?;
        let today = platform::today();
        let wanted = chosen.get();
        session.doc.with(|d| {
            let current = d
                .get_campaign(&id)
                .and_then(|c| reporting::current_deadline(c, today).map(|x| x.due));
            reporting::completeness(d, &id, today)
                .into_iter()
                .find(|r| {
                    if wanted.is_empty() {
                        Some(r.deadline.due) == current
                    } else {
                        r.deadline.due.to_string() == wanted
                    }
                })
        })
    });
    let not_reported = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.units
                        .iter()
                        .filter(|u| {
                            matches!(u.status, ReportStatus::Missing | ReportStatus::NotDue)
                        })
                        .map(|u| (u.unit.clone(), u.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let remind = move |_| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let Some(cid) = campaign_id.get_untracked() else {
            return;
        };
        let units = not_reported();
        if units.is_empty() {
            return;
        }
        let lang = lang.get_untracked();
        let title = session.doc.with_untracked(|d| {
            d.get_campaign(&cid)
                .map(|c| c.title.clone())
                .unwrap_or_default()
        });
        let names: Vec<String> = units.iter().map(|(_, n)| n.clone()).collect();
        let link = app_link();
        let text = reminder_message(
            lang,
            &title,
            &r.deadline.name,
            &date(r.deadline.due),
            &names,
            &link,
        );
        let link = link.clone();
        let body = Body::Reminder(Reminder {
            campaign: cid,
            deadline: Some(r.deadline.due),
            units: units.into_iter().map(|(u, _)| u).collect(),
            at: chrono::Utc::now(),
        });
        if let Some(id) = session.new_id() {
            let _ = session.write(id, body);
        }
        leptos::task::spawn_local(async move {
            if platform::can_share() && platform::share("Thi Đua", &text, &link).await {
                note.set(Some(BoardMsg::ReminderShared));
            } else if platform::copy_text(&text).await {
                note.set(Some(BoardMsg::ReminderCopied));
            } else {
                note.set(Some(BoardMsg::ReminderFailed));
            }
        });
    };
    let reminded = Memo::new(move |_| {
        let Some(cid) = campaign_id.get() else {
            return Vec::new();
        };
        session.doc.with(|d| {
            reporting::reminders(d, &cid)
                .into_iter()
                .map(|r| {
                    let names: Vec<String> = r
                        .reminder
                        .units
                        .iter()
                        .map(|u| head::unit_name(d, u))
                        .collect();
                    (r.id.clone(), local_time(r.reminder.at), names)
                })
                .collect::<Vec<(RecordId, String, Vec<String>)>>()
        })
    });
    let deadline_pick = move || {
        (deadlines.with(|d| d.len() > 1)).then(|| {
            view! {
                <label class="field">
                    <span>{move || tb(lang.get(), BoardMsg::Deadline)}</span>
                    <select
                        id="reporting-deadline"
                        on:change=move |ev| chosen.set(event_target_value(&ev))
                    >
                        {move || {
                            let current = report.with(|r| r.as_ref().map(|r| r.deadline.due));
                            deadlines
                                .get()
                                .into_iter()
                                .map(|d| {
                                    let selected = Some(d.due) == current;
                                    view! {
                                        <option value=d.due.to_string() selected=selected>
                                            {format!("{} — {}", d.name, date(d.due))}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            }
        })
    };
    let body = move || match report.get() {
        None => {
            view! { <p class="hint">{move || tb(lang.get(), BoardMsg::NoDeadlines)}</p> }.into_any()
        }
        Some(r) => {
            let c = r.counts;
            let heading = format!("{} — {}", r.deadline.name, date(r.deadline.due));
            let rows = r
                .units
                .into_iter()
                .map(|u| {
                    let status = u.status;
                    let on = u.reported_on;
                    let class = match status {
                        ReportStatus::OnTime => "rep ok",
                        ReportStatus::Late => "rep late",
                        ReportStatus::Missing => "rep missing",
                        ReportStatus::NotDue => "rep",
                    };
                    view! {
                        <li class=class data-testid="report-unit">
                            <strong>{u.name}</strong>
                            <span class="meta">
                                {move || status_word(lang.get(), status)}
                                {move || on.map(|d| format!(" · {} {}", tb(lang.get(), BoardMsg::ReportedOn), date(d)))}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3>{heading}</h3>
                <p class="rate" data-testid="reporting-rate">
                    {move || completeness_line(lang.get(), c.reported(), c.expected, c.on_time)}
                </p>
                <ul class="rep-list">{rows}</ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card head" data-testid="reporting">
            <h2>{move || tb(lang.get(), BoardMsg::ReportingTitle)}</h2>
            {picker}
            {deadline_pick}
            {body}
            {move || report.with(Option::is_some).then(|| view! {
                <button
                    type="button"
                    class="primary"
                    data-testid="remind"
                    disabled=move || not_reported().is_empty()
                    on:click=remind
                >
                    {move || tb(lang.get(), BoardMsg::Remind)}
                </button>
                <p class="hint">{move || tb(lang.get(), if not_reported().is_empty() { BoardMsg::NothingToRemind } else { BoardMsg::RemindExplain })}</p>
                <p class="notice" role="status" data-testid="remind-notice">{move || note.get().map(|m| tb(lang.get(), m))}</p>
            })}
            <h3>{move || tb(lang.get(), BoardMsg::Reminded)}</h3>
            <ul class="entries" data-testid="reminders">
                {move || {
                    let list = reminded.get();
                    if list.is_empty() {
                        return view! { <li class="hint">{move || tb(lang.get(), BoardMsg::RemindedNone)}</li> }.into_any();
                    }
                    list.into_iter()
                        .map(|(_, at, names)| view! { <li class="meta">{move || reminded_line(lang.get(), &at, &names)}</li> })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </section>
    }
}
