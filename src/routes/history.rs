//! History (lịch sử) of one record, `/history?id=…`: every version the server accepted, who
//! wrote it (the device's name and its unit) and when, and what it changed, field by field,
//! from → to, in the user's language. An entry's history also shows the reviews of it. The
//! history lives on the server: offline, the screen says so.

use leptos::prelude::*;
use serde_json::Value;
use thidua_core::history::{self, Step};
use thidua_core::{Body, Document, RecordId, ReviewDecision};

use crate::api::{self, ApiError, HistoryResponse};
use crate::i18n::{date, group, Lang};
use crate::i18n_board::{field_name, tb, value_word, BoardMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::use_router;
use crate::session::use_session;

/// One step as shown: when (for the order), who, and what.
#[derive(Clone, Debug)]
struct Shown {
    at: String,
    who: String,
    step: Step,
    /// A review of the entry, not the entry itself.
    review: bool,
    /// A review's decision in words ("Duyệt", "Trả lại: <lý do>").
    decision: Option<String>,
}

fn when(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| crate::routes::reporting::local_time(t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| at.to_owned())
}

/// A value of a field, said for a person: a unit's or record's name, a date as dd/mm/yyyy,
/// yes/no, a number grouped, a code in words.
fn value_text(lang: Lang, doc: &Document, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => tb(lang, BoardMsg::Empty).to_owned(),
        Some(Value::Bool(b)) => tb(lang, if *b { BoardMsg::Yes } else { BoardMsg::No }).to_owned(),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(u) => group(u, lang.group_sep()),
            None => n.to_string(),
        },
        Some(Value::String(s)) if s.is_empty() => tb(lang, BoardMsg::Empty).to_owned(),
        Some(Value::String(s)) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return date(d);
            }
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                return crate::routes::reporting::local_time(t.with_timezone(&chrono::Utc));
            }
            if let Some(w) = value_word(lang, s) {
                return w.to_owned();
            }
            if let Ok(id) = RecordId::new(s.as_str()) {
                if let Some(u) = doc.get_unit(&id) {
                    return u.name.clone();
                }
                if let Some(c) = doc.get_campaign(&id) {
                    return c.title.clone();
                }
                if let Some(e) = doc.get_entry(&id) {
                    return e.title.clone();
                }
            }
            s.clone()
        }
        Some(v @ Value::Array(a)) if a.is_empty() => {
            let _ = v;
            tb(lang, BoardMsg::Empty).to_owned()
        }
        Some(v) => v.to_string(),
    }
}

/// Who wrote a version: "Điện thoại chị Lan (Công ty CP Cấp nước)".
fn who(doc: &Document, device_name: &str, unit: &RecordId) -> String {
    let unit = crate::routes::head::unit_name(doc, unit);
    if device_name.trim().is_empty() {
        unit
    } else {
        format!("{device_name} ({unit})")
    }
}

fn steps_of(lang: Lang, doc: &Document, answer: &HistoryResponse, review: bool) -> Vec<Shown> {
    let mut previous: Option<Option<Body>> = None;
    answer
        .steps
        .iter()
        .map(|s| {
            let body = s.revision.body.clone();
            let decision = match &body {
                Some(Body::Review(r)) => Some(match &r.decision {
                    ReviewDecision::Approve => {
                        value_word(lang, "approved").unwrap_or_default().to_owned()
                    }
                    ReviewDecision::Return { reason } => {
                        format!(
                            "{}: {reason}",
                            value_word(lang, "returned").unwrap_or_default()
                        )
                    }
                }),
                _ => None,
            };
            let step = history::step(previous.as_ref().map(|b| b.as_ref()), body.as_ref());
            previous = Some(body);
            Shown {
                at: s.at.clone(),
                who: who(doc, &s.device_name, &s.unit),
                step,
                review,
                decision,
            }
        })
        .collect()
}

/// The record's history and, for an entry, its reviews' histories, merged by time.
async fn load(
    token: String,
    id: RecordId,
    reviews: Vec<RecordId>,
) -> Result<Vec<(HistoryResponse, bool)>, ApiError> {
    let mut out = vec![(api::history(&token, id.as_str()).await?, false)];
    for r in reviews {
        out.push((api::history(&token, r.as_str()).await?, true));
    }
    Ok(out)
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let router = use_router();
    let online = platform::use_online();
    let id = router.param("id").and_then(|s| RecordId::new(s).ok());
    let title = id.as_ref().and_then(|id| {
        session.doc.with_untracked(|d| {
            d.get_entry(id)
                .map(|e| e.title.clone())
                .or_else(|| d.get_campaign(id).map(|c| c.title.clone()))
        })
    });
    let fetch = Action::new_local(move |id: &RecordId| {
        let id = id.clone();
        let token = session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
            .unwrap_or_default();
        let reviews: Vec<RecordId> = session.doc.with_untracked(|d| {
            d.reviews()
                .filter(|(_, r)| r.entry == id)
                .map(|(rid, _)| rid.clone())
                .collect()
        });
        load(token, id, reviews)
    });
    if let Some(id) = id.clone() {
        if platform::is_online() {
            fetch.dispatch(id);
        }
    }
    let retry = {
        let id = id.clone();
        move |_| {
            if let Some(id) = id.clone() {
                fetch.dispatch(id);
            }
        }
    };
    let shown = move || {
        let lg = lang.get();
        let value = fetch.value().get()?;
        Some(match value {
            Err(_) => view! { <p class="alert" role="alert">{tb(lg, BoardMsg::HistoryFailed)}</p> }
                .into_any(),
            Ok(answers) => {
                let mut steps: Vec<Shown> = session.doc.with(|d| {
                    answers
                        .iter()
                        .flat_map(|(a, review)| steps_of(lg, d, a, *review))
                        .collect()
                });
                steps.sort_by(|a, b| a.at.cmp(&b.at));
                if steps.is_empty() {
                    return Some(
                        view! { <p class="hint">{tb(lg, BoardMsg::HistoryEmpty)}</p> }.into_any(),
                    );
                }
                let rows = steps
                    .into_iter()
                    .map(|s| {
                        let head_line =
                            format!("{} · {} {}", when(&s.at), tb(lg, BoardMsg::By), s.who);
                        let what = session.doc.with(|d| step_view(lg, d, &s));
                        view! {
                            <li class="entry" data-testid="history-step">
                                <p class="meta">{head_line}</p>
                                {what}
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ol class="entries history">{rows}</ol> }.into_any()
            }
        })
    };
    view! {
        <section class="card" data-testid="history">
            <h2>{move || tb(lang.get(), BoardMsg::HistoryTitle)}</h2>
            {title.map(|t| view! { <p class="meta"><strong>{t}</strong></p> })}
            {move || (!online.get()).then(|| view! {
                <p class="alert" role="alert" data-testid="history-offline">{move || tb(lang.get(), BoardMsg::HistoryOffline)}</p>
            })}
            {move || (online.get() && fetch.value().with(Option::is_none) && !fetch.pending().get()).then(|| view! {
                <button type="button" class="secondary" on:click=retry.clone()>{move || tb(lang.get(), BoardMsg::Refresh)}</button>
            })}
            {shown}
            <button type="button" class="secondary" on:click=move |_| { let _ = window().history().map(|h| h.back()); }>
                {move || crate::i18n_head::th(lang.get(), crate::i18n_head::HeadMsg::Back)}
            </button>
        </section>
    }
}

/// What one step did, in words.
fn step_view(lang: Lang, doc: &Document, s: &Shown) -> AnyView {
    let label = |m: BoardMsg| {
        let mut text = tb(lang, m).to_owned();
        if s.review {
            text = format!(
                "{}: {text}",
                crate::i18n_head::th(lang, crate::i18n_head::HeadMsg::ReviewTitle)
            );
        }
        text
    };
    if let (true, Some(said), false) = (s.review, &s.decision, matches!(s.step, Step::Deleted)) {
        let text = said.clone();
        return view! { <p class="step" data-testid="history-review"><strong>{text}</strong></p> }
            .into_any();
    }
    match &s.step {
        Step::Created => {
            view! { <p class="step"><strong>{label(BoardMsg::Created)}</strong></p> }.into_any()
        }
        Step::Deleted => {
            view! { <p class="step"><strong>{label(BoardMsg::Deleted)}</strong></p> }.into_any()
        }
        Step::Restored => {
            view! { <p class="step"><strong>{label(BoardMsg::Restored)}</strong></p> }.into_any()
        }
        Step::Changed(changes) if changes.is_empty() => {
            view! { <p class="step">{label(BoardMsg::NoChange)}</p> }.into_any()
        }
        Step::Changed(changes) => {
            let rows = changes
                .iter()
                .filter(|c| !c.field.ends_with("entry_clock"))
                .map(|c| {
                    let line = format!(
                        "{}: {} → {}",
                        field_name(lang, &c.field),
                        value_text(lang, doc, c.before.as_ref()),
                        value_text(lang, doc, c.after.as_ref())
                    );
                    view! { <li data-testid="history-change">{line}</li> }
                })
                .collect_view();
            view! { <ul class="changes">{rows}</ul> }.into_any()
        }
    }
}

/// The way to a record's history from a row that shows it.
#[component]
pub fn HistoryLink(id: RecordId) -> impl IntoView {
    let lang = use_lang();
    let router = use_router();
    let query = format!("id={id}");
    let href = format!("{}?{query}", crate::routes::Route::History.path());
    view! {
        <a
            href=href
            class="history-link"
            data-testid="history-link"
            on:click=move |ev| {
                ev.prevent_default();
                router.go_with(crate::routes::Route::History, &query);
            }
        >
            {move || tb(lang.get(), BoardMsg::History)}
        </a>
    }
}
