//! The board's awards (`/board/awards`): the proposals the clusters sent up and wait for a
//! decision (from the dashboard), each accepted with a decision number and date or returned
//! with a reason (an `AwardDecision` written into the cluster through the board's push), and
//! the award history across clusters and years, searched by unit, person and award kind.

use leptos::prelude::*;
use thidua_core::rollup::SentProposal;
use thidua_core::wire::AwardHistoryQuery;
use thidua_core::{parse_date, AwardDecision, AwardKind, AwardOutcome, Body, Document, RecordId};

use crate::api::{self, ApiError};
use crate::components::Field;
use crate::i18n::date;
use crate::i18n::report::award_label;
use crate::i18n_board::{accepted_line, sent_line, tb, BoardMsg};
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::board::{refresh, token, use_board, DataAge};
use crate::session::{use_session, Session};

/// Writes the board's decision on a proposal into its cluster.
async fn decide(
    session: Session,
    cluster: RecordId,
    proposal: RecordId,
    sent: chrono::DateTime<chrono::Utc>,
    outcome: AwardOutcome,
) -> Result<(), ApiError> {
    let device = session
        .device
        .get_untracked()
        .ok_or_else(|| ApiError::BadAnswer("not joined".into()))?;
    let id = session
        .new_id()
        .ok_or_else(|| ApiError::BadAnswer("no id".into()))?;
    let mut doc = Document::new(cluster.clone());
    let record = doc
        .put(
            id,
            Body::AwardDecision(AwardDecision {
                proposal,
                sent,
                outcome,
            }),
            &device.device_id,
            Some(device.unit_id.clone()),
            chrono::Utc::now(),
        )
        .clone();
    let push_id = format!("{}-d{}", device.device_id, js_sys::Date::now() as u64);
    let answer = api::board_push(&device.token, cluster.as_str(), &push_id, &[record]).await?;
    match answer.rejected.first() {
        Some(r) => Err(ApiError::Server {
            status: 422,
            code: thidua_core::wire::ErrorCode::default(),
            message: r.reason.clone(),
        }),
        None => Ok(()),
    }
}

#[component]
pub fn BoardAwardsPage() -> impl IntoView {
    let lang = use_lang();
    let board = use_board();
    refresh(board);
    let waiting = Memo::new(move |_| {
        board.dashboard.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.rollup
                        .clusters
                        .iter()
                        .flat_map(|c| {
                            c.proposals_waiting
                                .iter()
                                .map(|p| (c.cluster.clone(), c.name.clone(), p.clone()))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <section class="card head" data-testid="proposals-waiting">
            <h2>{move || tb(lang.get(), BoardMsg::ProposalsWaiting)}</h2>
            <DataAge />
            <ul class="entries">
                {move || {
                    let list = waiting.get();
                    if list.is_empty() {
                        return view! { <li class="hint">{move || tb(lang.get(), BoardMsg::NoProposalsWaiting)}</li> }.into_any();
                    }
                    list.into_iter()
                        .map(|(cluster, name, p)| view! { <Waiting cluster=cluster cluster_name=name proposal=p /> })
                        .collect_view()
                        .into_any()
                }}
            </ul>
        </section>
        <AwardSearch />
    }
}

#[component]
fn Waiting(cluster: RecordId, cluster_name: String, proposal: SentProposal) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let board = use_board();
    let online = platform::use_online();
    let number = RwSignal::new(String::new());
    let day = RwSignal::new(crate::routes::head::fmt_date(platform::today()));
    let reason = RwSignal::new(String::new());
    let bad = RwSignal::new(Vec::<(&'static str, String)>::new());
    let err = move |f: &'static str| {
        Signal::derive(move || {
            bad.with(|e| e.iter().find(|(k, _)| *k == f).map(|(_, m)| m.clone()))
        })
    };
    let key = proposal.proposal.to_string();
    let (proposal_id, sent_at) = (proposal.proposal.clone(), proposal.sent);
    let act = Action::new_local(move |outcome: &AwardOutcome| {
        let (cluster, id, sent, outcome) = (
            cluster.clone(),
            proposal_id.clone(),
            sent_at,
            outcome.clone(),
        );
        async move {
            let done = decide(session, cluster, id, sent, outcome).await;
            if done.is_ok() {
                refresh(board);
            }
            done
        }
    });
    let required =
        move || crate::i18n::problem_text(lang.get_untracked(), &thidua_core::Problem::Required);
    let accept = move |_| {
        let mut found = Vec::new();
        let n = number.get_untracked().trim().to_owned();
        if n.is_empty() {
            found.push(("number", required()));
        }
        let d = parse_date(&day.get_untracked());
        if d.is_none() {
            found.push((
                "date",
                th(lang.get_untracked(), HeadMsg::BadDate).to_owned(),
            ));
        }
        bad.set(found);
        if let (false, Some(date)) = (n.is_empty(), d) {
            act.dispatch(AwardOutcome::Accepted { number: n, date });
        }
    };
    let give_back = move |_| {
        let r = reason.get_untracked().trim().to_owned();
        if r.is_empty() {
            bad.set(vec![("reason", required())]);
            return;
        }
        bad.set(Vec::new());
        act.dispatch(AwardOutcome::Returned { reason: r });
    };
    let kind = proposal.kind;
    let who = if proposal.collective {
        proposal.nominee.clone()
    } else {
        format!("{} ({})", proposal.nominee, proposal.unit_name)
    };
    let sent = date(platform::local_day(proposal.sent));
    let reason_text = proposal.reason.clone();
    view! {
        <li class="entry" data-testid="waiting-proposal">
            <strong class="entry-title">{move || format!("{}: {who}", award_label(kind, lang.get()))}</strong>
            <p class="meta">{cluster_name}" · "{move || sent_line(lang.get(), &sent)}</p>
            {(!reason_text.is_empty()).then(|| view! { <p class="desc">{reason_text}</p> })}
            <div class="two">
                <Field id=format!("decision-number-{key}") label=Signal::derive(move || tb(lang.get(), BoardMsg::DecisionNumber).to_owned()) value=number on_input=Callback::new(move |v| number.set(v)) error=err("number") />
                <Field id=format!("decision-date-{key}") label=Signal::derive(move || tb(lang.get(), BoardMsg::DecisionDate).to_owned()) value=day on_input=Callback::new(move |v| day.set(v)) error=err("date") />
            </div>
            <button type="button" class="approve" data-testid="accept-proposal" disabled=move || !online.get() || act.pending().get() on:click=accept>
                {move || tb(lang.get(), BoardMsg::Accept)}
            </button>
            <Field id=format!("return-reason-{key}") label=Signal::derive(move || tb(lang.get(), BoardMsg::ReturnReason).to_owned()) value=reason on_input=Callback::new(move |v| reason.set(v)) error=err("reason") />
            <button type="button" class="secondary" data-testid="return-proposal" disabled=move || !online.get() || act.pending().get() on:click=give_back>
                {move || tb(lang.get(), BoardMsg::ReturnProposal)}
            </button>
            {move || act.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice" role="status" data-testid="decided">{move || tb(lang.get(), BoardMsg::Decided)}</p> }.into_any(),
                Err(e) => view! { <p class="alert" role="alert">{move || crate::routes::cluster::access::api_error(lang.get(), &e)}</p> }.into_any(),
            })}
        </li>
    }
}

fn kind_key(k: AwardKind) -> String {
    format!("{k:?}")
}

#[component]
fn AwardSearch() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let unit = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let search = Action::new_local(move |q: &AwardHistoryQuery| {
        let (token, q) = (token(session), q.clone());
        async move { api::board_awards(&token, &q).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = kind.get_untracked();
        search.dispatch(AwardHistoryQuery {
            unit: Some(unit.get_untracked()),
            person: Some(person.get_untracked()),
            kind: AwardKind::ALL.into_iter().find(|x| kind_key(*x) == k),
        });
    };
    view! {
        <section class="card head" data-testid="award-search">
            <h2>{move || tb(lang.get(), BoardMsg::AwardHistory)}</h2>
            <form class="form" on:submit=submit>
                <Field id="search-unit" label=Signal::derive(move || tb(lang.get(), BoardMsg::SearchUnit).to_owned()) value=unit on_input=Callback::new(move |v| unit.set(v)) />
                <Field id="search-person" label=Signal::derive(move || tb(lang.get(), BoardMsg::SearchPerson).to_owned()) value=person on_input=Callback::new(move |v| person.set(v)) />
                <label class="field" for="search-kind">
                    <span>{move || th(lang.get(), HeadMsg::AwardKind)}</span>
                    <select id="search-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">{move || tb(lang.get(), BoardMsg::AnyKind)}</option>
                        {move || AwardKind::ALL.map(|k| view! { <option value=kind_key(k)>{award_label(k, lang.get())}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="primary" data-testid="search-awards" disabled=move || !online.get() || search.pending().get()>
                    {move || tb(lang.get(), BoardMsg::Search)}
                </button>
            </form>
            <ul class="entries">
                {move || search.value().get().map(|r| match r {
                    Err(e) => view! { <li class="alert">{crate::routes::cluster::access::api_error(lang.get(), &e)}</li> }.into_any(),
                    Ok(found) if found.awards.is_empty() => view! { <li class="hint">{tb(lang.get(), BoardMsg::NoAwards)}</li> }.into_any(),
                    Ok(found) => {
                        let lg = lang.get();
                        found.awards.into_iter().map(|a| {
                            let who = match &a.person {
                                Some(p) => format!("{p} ({})", a.unit_name),
                                None => a.unit_name.clone(),
                            };
                            view! {
                                <li class="entry" data-testid="award-found">
                                    <strong>{format!("{} — {}: {who}", a.year, award_label(a.kind, lg))}</strong>
                                    <p class="meta">{format!("{} · {}", a.cluster_name, accepted_line(lg, &a.number, &date(a.date)))}</p>
                                </li>
                            }
                        }).collect_view().into_any()
                    }
                })}
            </ul>
        </section>
    }
}
