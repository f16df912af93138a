//! Award proposals (đề nghị khen thưởng): the award, the nominee (a member
//! unit or a named person of one), the reason with the approved results it
//! rests on, and the cluster's vote with its result and the rule.

use std::collections::BTreeSet;

use crate::i18n::report::{award_label, vote_label, vote_rule};
use leptos::prelude::*;
use thidua_core::proposal::{self, ProposalState};
use thidua_core::{
    entry_statuses, AwardKind, AwardOutcome, AwardProposal, Body, EntryStatus, Nominee, RecordId,
    Votes,
};

use crate::i18n::{date, Lang};
use crate::i18n_board::{accepted_line, returned_line, sent_line, tb, value_word, BoardMsg};
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::routes::head::{self, btn, tx, How, Pick, Text, F};
use crate::session::use_session;

fn kind_key(k: AwardKind) -> String {
    format!("{k:?}")
}

fn result_line(lang: Lang, v: &Votes) -> String {
    format!(
        "{} {} · {} {} · {} {} — {}",
        th(lang, HeadMsg::VotesFor),
        v.for_,
        th(lang, HeadMsg::VotesAgainst),
        v.against,
        th(lang, HeadMsg::VotesAbstain),
        v.abstain,
        vote_label(v.result(), lang)
    )
}

#[component]
pub fn AwardsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (campaign, picker) = head::campaign_picker(session, lang);
    // None: no form; Some(None): a new proposal; Some(Some(id)): editing one.
    let open = RwSignal::new(None::<Option<RecordId>>);
    let note: head::Note = RwSignal::new(None);
    // Set while the head amends a returned proposal: saving sends it up again.
    let resend = RwSignal::new(false);
    let list = Memo::new(move |_| {
        let c = campaign.get();
        let lg = lang.get();
        session.doc.with(|d| {
            d.award_proposals()
                .filter(|(_, p)| p.campaign.as_ref().is_some_and(|x| x.as_str() == c))
                .map(|(id, p)| {
                    let unit = head::unit_name(d, p.nominee.unit());
                    // The approved results the reason cites, by title, so the vote is read
                    // against what was achieved.
                    let cited: Vec<String> = p
                        .entries
                        .iter()
                        .filter_map(|e| d.get_entry(e).map(|e| e.title.clone()))
                        .collect();
                    let state = proposal::proposal_state(d, id);
                    let steps = steps(lg, d, id, p.sent);
                    (id.clone(), p.clone(), unit, cited, state, steps)
                })
                .collect::<Vec<_>>()
        })
    });
    let rows = move || {
        let lg = lang.get();
        list.get()
            .into_iter()
            .map(|(id, p, unit, cited, state, steps)| {
                let gone = id.clone();
                let send_id = id.clone();
                let amend_id = id.clone();
                let who = match &p.nominee {
                    Nominee::Unit { .. } => unit,
                    Nominee::Person { name, .. } => format!("{name} ({unit})"),
                };
                let passed = p.votes.result() == thidua_core::VoteResult::Passed;
                view! {
                    <li class="entry" data-testid="award">
                        <div class="entry-head">
                            <strong class="entry-title">{format!("{}: {who}", award_label(p.kind, lg))}</strong>
                        </div>
                        {(!p.reason.trim().is_empty()).then(|| view! { <p class="desc" data-testid="award-reason">{p.reason.clone()}</p> })}
                        {(!cited.is_empty()).then(|| view! {
                            <ul class="cited" data-testid="award-cited">
                                {cited.into_iter().map(|title| view! { <li>{title}</li> }).collect_view()}
                            </ul>
                        })}
                        <p class="meta" class:ok=passed>{result_line(lg, &p.votes)}</p>
                        {state_view(lg, &state)}
                        {(!steps.is_empty()).then(|| view! {
                            <ol class="steps" data-testid="proposal-steps">
                                {steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                            </ol>
                        })}
                        <div class="acts">
                            {(passed && matches!(state, ProposalState::Draft)).then(|| view! {
                                <button type="button" class="primary" data-testid="send-up" on:click=move |_| {
                                    let ok = window()
                                        .confirm_with_message(tb(lang.get_untracked(), BoardMsg::ConfirmSendUp))
                                        .unwrap_or(false);
                                    if ok && send_up(session, &send_id) {
                                        note.set(Some(HeadMsg::Saved));
                                    }
                                }>{move || tb(lang.get(), BoardMsg::SendUp)}</button>
                            })}
                            {matches!(state, ProposalState::Returned { .. }).then(|| view! {
                                <button type="button" class="primary" data-testid="amend-resend" on:click=move |_| {
                                    resend.set(true);
                                    open.set(Some(Some(amend_id.clone())));
                                }>{move || tb(lang.get(), BoardMsg::AmendAndResend)}</button>
                            })}
                            {btn(lang, "secondary", HeadMsg::Edit, None, Callback::new(move |()| open.set(Some(Some(id.clone())))))}
                            {btn(lang, "secondary", HeadMsg::Delete, None, Callback::new(move |()| {
                                let ok = window()
                                    .confirm_with_message(th(lang.get_untracked(), HeadMsg::ConfirmDeleteProposal))
                                    .unwrap_or(false);
                                if ok && session.delete(&gone).is_ok() {
                                    open.set(None);
                                    note.set(Some(HeadMsg::Deleted));
                                }
                            }))}
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let form = move || {
        open.get().map(|id| {
            let stored = id.as_ref().and_then(|id| {
                session
                    .doc
                    .with_untracked(|d| d.get_award_proposal(id).cloned())
            });
            proposal(
                lang,
                id,
                stored,
                campaign.get_untracked(),
                open,
                note,
                resend,
            )
        })
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::AwardsTitle)}
            {picker}
            {btn(lang, "primary", HeadMsg::NewProposal, Some(Signal::derive(move || campaign.with(String::is_empty))), Callback::new(move |()| {
                note.set(None);
                open.set(Some(None));
            }))}
            {head::notice(lang, note)}
            <ul class="entries" data-testid="awards">{rows}</ul>
        </section>
        {form}
        <UnitAwards />
    }
}

#[allow(clippy::too_many_arguments)]
fn proposal(
    lang: Memo<Lang>,
    id: Option<RecordId>,
    stored: Option<AwardProposal>,
    campaign: String,
    open: RwSignal<Option<Option<RecordId>>>,
    note: head::Note,
    resend: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let p = stored.as_ref();
    let kind = RwSignal::new(kind_key(p.map_or(AwardKind::EmulationFlag, |p| p.kind)));
    let person = p.and_then(|p| match &p.nominee {
        Nominee::Person { name, .. } => Some(name.clone()),
        Nominee::Unit { .. } => None,
    });
    let who = RwSignal::new(if person.is_some() { "person" } else { "unit" }.to_owned());
    let name = RwSignal::new(person.unwrap_or_default());
    let unit = RwSignal::new(
        p.map(|p| p.nominee.unit().to_string())
            .or_else(|| {
                session
                    .doc
                    .with_untracked(head::unit_options)
                    .into_iter()
                    .next()
                    .map(|u| u.0)
            })
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(p.map(|p| p.reason.clone()).unwrap_or_default());
    let linked = RwSignal::new(
        p.map(|p| p.entries.iter().cloned().collect::<BTreeSet<_>>())
            .unwrap_or_default(),
    );
    let votes = p.map(|p| p.votes).unwrap_or_default();
    let (for_, against, abstain) = (
        RwSignal::new(votes.for_.to_string()),
        RwSignal::new(votes.against.to_string()),
        RwSignal::new(votes.abstain.to_string()),
    );
    let errs: head::Errs = RwSignal::new(Vec::new());
    let form_note: head::Note = RwSignal::new(None);
    let campaign_id = head::id_of(&campaign);

    let kinds = Signal::derive(move || {
        AwardKind::ALL
            .map(|k| (kind_key(k), award_label(k, lang.get()).to_owned()))
            .to_vec()
    });
    let whos = Signal::derive(move || {
        let lang = lang.get();
        vec![
            ("unit".to_owned(), th(lang, HeadMsg::Collective).to_owned()),
            ("person".to_owned(), th(lang, HeadMsg::Person).to_owned()),
        ]
    });
    let units = Signal::derive(move || session.doc.with(head::unit_options));
    // Approved results of the nominee's unit in this campaign, to cite.
    let cid = campaign_id.clone();
    let approved = Memo::new(move |_| {
        let u = unit.get();
        session.doc.with(|d| {
            let st = entry_statuses(d);
            d.entries()
                .filter(|(id, e)| {
                    e.unit.as_str() == u
                        && Some(&e.campaign) == cid.as_ref()
                        && st.get(*id) == Some(&EntryStatus::Approved)
                })
                .map(|(id, e)| (id.clone(), e.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    // The result shown while typing; a figure that does not read counts as nothing until fixed.
    let read_votes = move || {
        let lang = lang.get();
        let n = |s: RwSignal<String>| head::number_in(lang, &s.get(), "", &mut Vec::new());
        Votes {
            for_: n(for_),
            against: n(against),
            abstain: n(abstain),
        }
    };
    let submit = move |()| {
        let lang = lang.get_untracked();
        let mut bad = Vec::new();
        // Each count's problem under its own field.
        let v = Votes {
            for_: head::number_in(lang, &for_.get_untracked(), "votes.for", &mut bad),
            against: head::number_in(lang, &against.get_untracked(), "votes.against", &mut bad),
            abstain: head::number_in(lang, &abstain.get_untracked(), "votes.abstain", &mut bad),
        };
        let Some(u) = head::id_of(&unit.get_untracked()) else {
            bad.push((
                "nominee.unit",
                head::Bad::Core(thidua_core::Problem::Required),
            ));
            errs.set(bad);
            form_note.set(Some(HeadMsg::FixErrors));
            crate::components::focus_first_invalid();
            return;
        };
        let nominee = if who.get_untracked() == "person" {
            Nominee::Person {
                name: name.get_untracked().trim().to_owned(),
                unit: u,
            }
        } else {
            Nominee::Unit { unit: u }
        };
        let cited = approved.with_untracked(|a| {
            linked.with_untracked(|l| {
                a.iter()
                    .filter(|(id, _)| l.contains(id))
                    .map(|(id, _)| id.clone())
                    .collect()
            })
        });
        let body = Body::AwardProposal(AwardProposal {
            campaign: campaign_id.clone(),
            kind: AwardKind::ALL
                .into_iter()
                .find(|k| kind_key(*k) == kind.get_untracked())
                .unwrap_or(AwardKind::EmulationFlag),
            nominee,
            reason: reason.get_untracked().trim().to_owned(),
            entries: cited,
            votes: v,
            // An edit keeps when it was sent up; amending a returned one sends it again.
            sent: if resend.get_untracked() {
                Some(chrono::Utc::now())
            } else {
                id.as_ref().and_then(|id| {
                    session
                        .doc
                        .with_untracked(|d| d.get_award_proposal(id).and_then(|p| p.sent))
                })
            },
        });
        let Some(rid) = id.clone().or_else(|| session.new_id()) else {
            return;
        };
        if head::save_checked(session, rid, body, bad, errs, form_note) {
            note.set(Some(HeadMsg::Saved));
            resend.set(false);
            open.set(None);
        }
    };
    let checks = move || {
        approved
            .get()
            .into_iter()
            .map(|(id, title)| {
                let id2 = id.clone();
                view! {
                    <li>
                        <label class="pick">
                            <input
                                type="checkbox"
                                prop:checked=move || linked.with(|l| l.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    linked.update(|l| {
                                        if on { l.insert(id2.clone()); } else { l.remove(&id2); }
                                    });
                                }
                            />
                            {title}
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::NewProposal)}
            {head::form(
                lang,
                vec![
                    F::Pick(Pick { id: "award-kind", label: HeadMsg::AwardKind, options: kinds, value: kind, field: "kind" }),
                    F::Pick(Pick { id: "award-who", label: HeadMsg::NomineeType, options: whos, value: who, field: "nominee" }),
                    F::Pick(Pick { id: "award-unit", label: HeadMsg::FilterUnit, options: units, value: unit, field: "nominee.unit" }),
                    F::Text(Text { id: "award-name", label: HeadMsg::PersonName, value: name, field: "nominee.name", how: How::Text, shown: Some(Signal::derive(move || who.get() == "person")) }),
                    F::Text(Text { id: "award-reason", label: HeadMsg::Reason, value: reason, field: "reason", how: How::Long, shown: None }),
                ],
                Some(view! {
                    <fieldset class="checks">
                        <legend>{tx(lang, HeadMsg::LinkedEntries)}</legend>
                        <ul>{checks}</ul>
                        {move || approved.with(Vec::is_empty).then(|| head::para(lang, "hint", HeadMsg::NothingHere))}
                    </fieldset>
                    <fieldset class="votes">
                        <legend>{tx(lang, HeadMsg::Votes)}</legend>
                        <div class="three">
                            {head::text(lang, Text { id: "votes-for", label: HeadMsg::VotesFor, value: for_, field: "votes.for", how: How::Number, shown: None }, errs)}
                            {head::text(lang, Text { id: "votes-against", label: HeadMsg::VotesAgainst, value: against, field: "votes.against", how: How::Number, shown: None }, errs)}
                            {head::text(lang, Text { id: "votes-abstain", label: HeadMsg::VotesAbstain, value: abstain, field: "votes.abstain", how: How::Number, shown: None }, errs)}
                        </div>
                        // Core's rule on the votes together (their total), under all three.
                        <p class="error" role="alert">
                            {move || errs.with(|e| e.iter().find(|(f, _)| *f == "votes").map(|(_, b)| head::bad_text(lang.get(), b)))}
                        </p>
                        <p class="result" data-testid="vote-result">
                            {move || format!("{}: {}", th(lang.get(), HeadMsg::Result), vote_label(read_votes().result(), lang.get()))}
                        </p>
                        <p class="hint">{move || vote_rule(lang.get())}</p>
                    </fieldset>
                }.into_any()),
                errs,
                form_note,
                HeadMsg::Save,
                Callback::new(submit),
            )}
            {move || resend.get().then(|| view! { <p class="hint">{move || tb(lang.get(), BoardMsg::SendAgain)}</p> })}
            {btn(lang, "secondary", HeadMsg::Cancel, None, Callback::new(move |()| { resend.set(false); open.set(None) }))}
        </section>
    }
}

/// Sends a passed proposal up to the board: its `sent` is now.
fn send_up(session: crate::session::Session, id: &RecordId) -> bool {
    let Some(mut p) = session
        .doc
        .with_untracked(|d| d.get_award_proposal(id).cloned())
    else {
        return false;
    };
    p.sent = Some(chrono::Utc::now());
    session.write(id.clone(), Body::AwardProposal(p)).is_ok()
}

/// Where the proposal stands with the board, in one line.
fn state_view(lang: Lang, state: &ProposalState) -> Option<AnyView> {
    let (class, text) = match state {
        ProposalState::Draft => return None,
        ProposalState::Sent { at } => (
            "proposal-state",
            sent_line(lang, &date(crate::platform::local_day(*at))),
        ),
        ProposalState::Returned { reason, .. } => {
            ("proposal-state returned", returned_line(lang, reason))
        }
        ProposalState::Accepted { number, date: d } => (
            "proposal-state accepted",
            accepted_line(lang, number, &date(*d)),
        ),
    };
    Some(view! { <p class=class data-testid="proposal-state">{text}</p> }.into_any())
}

/// Each step of the proposal with the board, who and when: every sending and every decision.
fn steps(
    lang: Lang,
    d: &thidua_core::Document,
    id: &RecordId,
    sent: Option<chrono::DateTime<chrono::Utc>>,
) -> Vec<String> {
    let who = |u: Option<&thidua_core::UnitId>| match u {
        Some(u) if d.get_unit(u).is_some() => head::unit_name(d, u),
        _ => value_word(lang, "board").unwrap_or_default().to_owned(),
    };
    let time = |t: chrono::DateTime<chrono::Utc>| crate::routes::reporting::local_time(t);
    let mut out = Vec::new();
    let decisions = proposal::decisions(d, id);
    for step in &decisions {
        out.push(format!(
            "{}: {}",
            tb(lang, BoardMsg::StepSent),
            time(step.decision.sent)
        ));
        let what = match &step.decision.outcome {
            AwardOutcome::Returned { reason } => {
                format!("{}: {reason}", tb(lang, BoardMsg::StepReturned))
            }
            AwardOutcome::Accepted { number, date: day } => {
                format!(
                    "{} {number} ({})",
                    tb(lang, BoardMsg::StepAccepted),
                    date(*day)
                )
            }
        };
        out.push(format!(
            "{what} — {} {}, {}",
            tb(lang, BoardMsg::By),
            who(step.by),
            time(step.at)
        ));
    }
    if let Some(at) = sent.filter(|at| !decisions.iter().any(|s| s.decision.sent == *at)) {
        out.push(format!("{}: {}", tb(lang, BoardMsg::StepSent), time(at)));
    }
    out
}

/// A unit's accepted awards (its award history), filtered by unit.
#[component]
fn UnitAwards() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let unit = RwSignal::new(String::new());
    let units = Signal::derive(move || {
        let mut o = vec![(String::new(), th(lang.get(), HeadMsg::AllUnits).to_owned())];
        o.extend(session.doc.with(head::unit_options));
        o
    });
    let list = move || {
        let lg = lang.get();
        let chosen = unit.get();
        let found = session.doc.with(|d| {
            let name = head::id_of(&chosen).map(|id| head::unit_name(d, &id));
            let query = thidua_core::wire::AwardHistoryQuery {
                unit: name,
                ..Default::default()
            };
            proposal::award_history(&[d], &query)
        });
        if found.is_empty() {
            return view! { <li class="hint">{tb(lg, BoardMsg::NoAwards)}</li> }.into_any();
        }
        found
            .into_iter()
            .map(|a| {
                let who = match &a.person {
                    Some(p) => format!("{p} ({})", a.unit_name),
                    None => a.unit_name.clone(),
                };
                let line = format!("{} — {}: {who}", a.year, award_label(a.kind, lg));
                let decision = accepted_line(lg, &a.number, &date(a.date));
                view! {
                    <li class="entry" data-testid="unit-award">
                        <strong>{line}</strong>
                        <p class="meta">{decision}</p>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card head" data-testid="award-history">
            <h2>{move || tb(lang.get(), BoardMsg::AwardHistory)}</h2>
            {head::pick(lang, Pick { id: "award-history-unit", label: HeadMsg::AwardedUnit, options: units, value: unit, field: "" }, None)}
            <ul class="entries">{list}</ul>
        </section>
    }
}
