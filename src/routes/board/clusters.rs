//! The federation's clusters (`/board/clusters`): the list, forming a cluster (name, decision,
//! year, member units one per line, this year's head and deputy) with the head's invite link
//! and QR to hand over, archiving, moving a unit between clusters, and inviting another board
//! member. Every action needs the network: the server keeps the clusters.

use leptos::prelude::*;
use thidua_core::wire::{ClusterInfo, CreateClusterRequest, MoveUnitRequest};
use thidua_core::{parse_date, Decision, RecordId, UnitId};

use crate::api::{self, Invite};
use crate::components::Field;
use crate::i18n::Lang;
use crate::i18n_board::{moved_line, tb, BoardMsg};
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::board::token;
use crate::routes::cluster::access::{api_error, BoardMembers, InviteCard};
use crate::session::use_session;

fn label(lang: Memo<Lang>, msg: BoardMsg) -> Signal<String> {
    Signal::derive(move || tb(lang.get(), msg).to_owned())
}

/// The member units typed or pasted, one per line, blank lines and bullets dropped.
fn unit_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '•', '*'])
                .trim()
                .to_owned()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

#[component]
pub fn ClustersPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let list = Action::new_local(move |(): &()| {
        let token = token(session);
        async move { api::board_clusters(&token).await }
    });
    if platform::is_online() {
        list.dispatch(());
    }
    let clusters = Memo::new(move |_| {
        list.value()
            .get()
            .and_then(Result::ok)
            .map(|r| r.clusters)
            .unwrap_or_default()
    });
    let archive = Action::new_local(move |(id, archived): &(RecordId, bool)| {
        let (token, id, archived) = (token(session), id.clone(), *archived);
        async move {
            let done = api::archive_cluster(&token, id.as_str(), archived).await;
            list.dispatch(());
            done
        }
    });
    // A new link for a cluster's head, shown under that cluster.
    let head_link = Action::new_local(move |id: &RecordId| {
        let (token, id) = (token(session), id.clone());
        async move {
            let made = api::board_head_invite(&token, id.as_str()).await;
            (id, made)
        }
    });
    let rows = move || {
        let lg = lang.get();
        clusters
            .get()
            .into_iter()
            .map(|c: ClusterInfo| {
                let archived = c.archived_at.is_some();
                let id = c.id.clone();
                let for_head = c.id.clone();
                let shown = c.id.clone();
                let (name, head) = (c.name.clone(), c.head_unit.clone().unwrap_or_default());
                let mut meta = format!(
                    "{}{} · {} {}",
                    c.year.map(|y| format!("{} {y} · ", tb(lg, BoardMsg::Year))).unwrap_or_default(),
                    c.id,
                    c.units,
                    tb(lg, BoardMsg::Units).to_lowercase()
                );
                if let Some(h) = &c.head_unit {
                    meta.push_str(&format!(" · {}: {h}", tb(lg, BoardMsg::HeadUnit)));
                }
                view! {
                    <li class="entry" data-testid="cluster-row">
                        <strong class="entry-title">{c.name}</strong>
                        <p class="meta">{meta}</p>
                        {archived.then(|| view! { <p class="meta">{tb(lg, BoardMsg::Archived)}</p> })}
                        <div class="acts wrap">
                            <button type="button" class="secondary" disabled=move || !online.get()
                                on:click=move |_| {
                                    // Archiving stops the cluster's writes: asked once more.
                                    let sure = archived || window()
                                        .confirm_with_message(tb(lang.get_untracked(), BoardMsg::ConfirmArchive))
                                        .unwrap_or(false);
                                    if sure {
                                        archive.dispatch((id.clone(), !archived));
                                    }
                                }>
                                {tb(lg, if archived { BoardMsg::Unarchive } else { BoardMsg::Archive })}
                            </button>
                            {(!archived).then(|| view! {
                                <button type="button" class="secondary" data-testid="head-link"
                                    disabled=move || !online.get() || head_link.pending().get()
                                    on:click=move |_| { head_link.dispatch(for_head.clone()); }>
                                    {tb(lg, BoardMsg::NewHeadLink)}
                                </button>
                            })}
                        </div>
                        {move || head_link.value().get().filter(|(id, _)| *id == shown).map(|(_, made)| match made {
                            Ok(invite) => invite_card(invite, name.clone(), head.clone()).into_any(),
                            Err(e) => view! { <p class="alert" role="alert">{api_error(lang.get(), &e)}</p> }.into_any(),
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card head" data-testid="board-clusters">
            <h2>{move || tb(lang.get(), BoardMsg::ClustersTitle)}</h2>
            {move || list.value().get().and_then(|r| r.err()).map(|e| view! { <p class="alert" role="alert">{api_error(lang.get(), &e)}</p> })}
            {move || (!online.get()).then(|| view! { <p class="alert" role="alert">{move || tb(lang.get(), BoardMsg::NeedsNetwork)}</p> })}
            <ul class="entries">{rows}</ul>
        </section>
        <NewCluster on_made=Callback::new(move |()| { list.dispatch(()); }) />
        <MoveUnit clusters=clusters on_moved=Callback::new(move |()| { list.dispatch(()); }) />
        <BoardMembers />
    }
}

#[component]
fn NewCluster(on_made: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let name = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let issuer = RwSignal::new(String::new());
    let year = RwSignal::new(platform::today().format("%Y").to_string());
    let units = RwSignal::new(String::new());
    let head_unit = RwSignal::new("0".to_owned());
    let deputy = RwSignal::new(String::new());
    let errs = RwSignal::new(Vec::<(&'static str, String)>::new());
    let err = move |f: &'static str| {
        Signal::derive(move || {
            errs.with(|e| e.iter().find(|(k, _)| *k == f).map(|(_, m)| m.clone()))
        })
    };
    let names = Memo::new(move |_| unit_lines(&units.get()));
    let create = Action::new_local(move |body: &CreateClusterRequest| {
        let (token, body) = (token(session), body.clone());
        async move { api::create_cluster(&token, &body).await }
    });
    Effect::new(move |_| {
        if create.value().with(|v| matches!(v, Some(Ok(_)))) {
            on_made.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lg = lang.get_untracked();
        let mut bad: Vec<(&'static str, String)> = Vec::new();
        let required = crate::i18n::problem_text(lg, &thidua_core::Problem::Required);
        let title = name.get_untracked().trim().to_owned();
        if title.is_empty() {
            bad.push(("name", required.clone()));
        }
        let date = parse_date(&day.get_untracked());
        if date.is_none() {
            bad.push(("date", th(lg, HeadMsg::BadDate).to_owned()));
        }
        let y = year
            .get_untracked()
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1945..=2100).contains(y));
        if y.is_none() {
            bad.push(("year", required.clone()));
        }
        let list = names.get_untracked();
        if list.is_empty() {
            bad.push(("units", required.clone()));
        }
        let head_index = head_unit.get_untracked().parse::<u32>().unwrap_or(0);
        let deputy_index = deputy
            .get_untracked()
            .parse::<u32>()
            .ok()
            .filter(|d| *d != head_index);
        errs.set(bad.clone());
        let (Some(date), Some(y), true) = (date, y, bad.is_empty()) else {
            crate::components::focus_first_invalid();
            return;
        };
        create.dispatch(CreateClusterRequest {
            name: title,
            decision: Decision {
                number: number.get_untracked().trim().to_owned(),
                date,
                issuer: issuer.get_untracked().trim().to_owned(),
            },
            year: y,
            units: list,
            head_unit_index: head_index,
            deputy_unit_index: deputy_index,
        });
    };
    let options = move |with_none: bool| {
        let mut o: Vec<(String, String)> = Vec::new();
        if with_none {
            o.push((String::new(), tb(lang.get(), BoardMsg::NoDeputy).to_owned()));
        }
        o.extend(
            names
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, n)| (i.to_string(), n)),
        );
        o.into_iter()
            .map(|(v, l)| view! { <option value=v.clone()>{l}</option> })
            .collect_view()
    };
    view! {
        <section class="card head" data-testid="new-cluster">
            <h2>{move || tb(lang.get(), BoardMsg::NewCluster)}</h2>
            <form class="form" on:submit=submit>
                <Field id="cluster-name" label=label(lang, BoardMsg::ClusterName) value=name on_input=Callback::new(move |v| name.set(v)) error=err("name") />
                <Field id="cluster-decision-number" label=label(lang, BoardMsg::DecisionNumber) value=number on_input=Callback::new(move |v| number.set(v)) />
                <div class="two">
                    <Field id="cluster-decision-date" label=label(lang, BoardMsg::DecisionDate) value=day on_input=Callback::new(move |v| day.set(v)) error=err("date") placeholder=Signal::derive(|| "27/03/2024".to_owned()) />
                    <Field id="cluster-year" label=label(lang, BoardMsg::Year) value=year on_input=Callback::new(move |v| year.set(v)) error=err("year") numeric=true />
                </div>
                <Field id="cluster-decision-issuer" label=label(lang, BoardMsg::DecisionIssuer) value=issuer on_input=Callback::new(move |v| issuer.set(v)) />
                <label class="field" for="cluster-units">
                    <span>{move || tb(lang.get(), BoardMsg::MemberUnits)}</span>
                    <textarea id="cluster-units" class="units"
                        aria-invalid=move || errs.with(|e| e.iter().any(|(k, _)| *k == "units")).to_string()
                        prop:value=move || units.get()
                        on:input=move |ev| units.set(event_target_value(&ev))></textarea>
                    <span class="hint">{move || tb(lang.get(), BoardMsg::MemberUnitsHint)}</span>
                    <span class="error" role="alert">{move || err("units").get()}</span>
                </label>
                <div class="two">
                    <label class="field" for="cluster-head">
                        <span>{move || tb(lang.get(), BoardMsg::HeadUnit)}</span>
                        <select id="cluster-head" on:change=move |ev| head_unit.set(event_target_value(&ev))>{move || options(false)}</select>
                    </label>
                    <label class="field" for="cluster-deputy">
                        <span>{move || tb(lang.get(), BoardMsg::DeputyUnit)}</span>
                        <select id="cluster-deputy" on:change=move |ev| deputy.set(event_target_value(&ev))>{move || options(true)}</select>
                    </label>
                </div>
                <button type="submit" class="primary" data-testid="create-cluster" disabled=move || !online.get() || create.pending().get()>
                    {move || tb(lang.get(), BoardMsg::CreateCluster)}
                </button>
            </form>
            {move || create.value().get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{api_error(lang.get(), &e)}</p> }.into_any(),
                Ok(made) => {
                    let cluster = name.get_untracked();
                    let head = names.get_untracked().get(head_unit.get_untracked().parse::<usize>().unwrap_or(0)).cloned().unwrap_or_default();
                    view! {
                        <p class="notice" role="status">{move || tb(lang.get(), BoardMsg::ClusterMade)}</p>
                        <h3>{move || tb(lang.get(), BoardMsg::HeadInvite)}</h3>
                        {invite_card(made.head_invite, cluster, head)}
                    }.into_any()
                }
            })}
        </section>
    }
}

/// The link of an invite made here: the server's path under this origin.
fn invite_card(invite: Invite, cluster: String, unit: String) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let link = format!("{origin}{}", invite.link);
    view! { <InviteCard invite=invite link=link cluster=cluster unit=unit /> }
}

#[component]
fn MoveUnit(clusters: Memo<Vec<ClusterInfo>>, on_moved: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let run = Action::new_local(move |req: &MoveUnitRequest| {
        let (token, req) = (token(session), req.clone());
        async move { api::move_unit(&token, &req).await }
    });
    Effect::new(move |_| {
        if run.value().with(|v| matches!(v, Some(Ok(_)))) {
            unit.set(String::new());
            on_moved.run(());
        }
    });
    let running = move || {
        clusters
            .get()
            .into_iter()
            .filter(|c| c.archived_at.is_none())
            .collect::<Vec<_>>()
    };
    let option = |value: String, name: String, selected: bool| {
        view! { <option value=value selected=selected>{name}</option> }.into_any()
    };
    // "—" stands selected while nothing is chosen (and again after a move). Tracked: when a
    // choice is reset the options are drawn again at once, so the select never shows a choice
    // the form does not hold.
    let blank = move |value: RwSignal<String>| {
        option(String::new(), "—".to_owned(), value.with(String::is_empty))
    };
    let pick = move |value: RwSignal<String>| {
        move || {
            let mut o = vec![blank(value)];
            o.extend(running().into_iter().map(|c| {
                let id = c.id.to_string();
                let selected = value.with(|v| *v == id);
                option(id, c.name, selected)
            }));
            o
        }
    };
    // The first cluster's member units, by name.
    let units = move || {
        let mut o = vec![blank(unit)];
        let chosen = from.get();
        if let Some(c) = running().into_iter().find(|c| c.id.as_str() == chosen) {
            o.extend(c.unit_list.into_iter().map(|u| {
                let id = u.id.to_string();
                let selected = unit.with(|v| *v == id);
                option(id, u.name, selected)
            }));
        }
        o
    };
    let names = move |req: &MoveUnitRequest| {
        let all = clusters.get_untracked();
        let cluster = |id: &RecordId| {
            all.iter()
                .find(|c| &c.id == id)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        };
        let unit = all
            .iter()
            .flat_map(|c| c.unit_list.iter())
            .find(|u| u.id == req.unit_id)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        (cluster(&req.to_cluster), unit)
    };
    let asked = RwSignal::new(None::<(String, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(f), Ok(t), Ok(u)) = (
            RecordId::new(from.get_untracked()),
            RecordId::new(to.get_untracked()),
            UnitId::new(unit.get_untracked()),
        ) else {
            return;
        };
        let req = MoveUnitRequest {
            from_cluster: f,
            unit_id: u,
            to_cluster: t,
        };
        asked.set(Some(names(&req)));
        run.dispatch(req);
    };
    let ready = move || !from.get().is_empty() && !to.get().is_empty() && !unit.get().is_empty();
    view! {
        <section class="card head" data-testid="move-unit">
            <h2>{move || tb(lang.get(), BoardMsg::MoveUnit)}</h2>
            <p class="hint">{move || tb(lang.get(), BoardMsg::MoveExplain)}</p>
            <form class="form" on:submit=submit>
                <label class="field" for="move-from">
                    <span>{move || tb(lang.get(), BoardMsg::FromCluster)}</span>
                    <select id="move-from" on:change=move |ev| { from.set(event_target_value(&ev)); unit.set(String::new()); }>{pick(from)}</select>
                </label>
                <label class="field" for="move-unit">
                    <span>{move || tb(lang.get(), BoardMsg::UnitToMove)}</span>
                    <select id="move-unit" on:change=move |ev| unit.set(event_target_value(&ev))>{units}</select>
                </label>
                <label class="field" for="move-to">
                    <span>{move || tb(lang.get(), BoardMsg::ToCluster)}</span>
                    <select id="move-to" on:change=move |ev| to.set(event_target_value(&ev))>{pick(to)}</select>
                </label>
                <button type="submit" class="secondary" disabled=move || !online.get() || run.pending().get() || !ready()>
                    {move || tb(lang.get(), BoardMsg::Move)}
                </button>
            </form>
            {move || run.value().get().map(|r| match r {
                Ok(moved) => {
                    let (cluster, unit) = asked.get_untracked().unwrap_or_default();
                    let note = moved_line(lang.get(), &unit, &cluster, moved.devices_removed);
                    view! {
                        <p class="notice" role="status" data-testid="moved">{note}</p>
                        {invite_card(moved.officer_invite, cluster, unit)}
                    }.into_any()
                }
                Err(e) => view! { <p class="alert" role="alert">{api_error(lang.get(), &e)}</p> }.into_any(),
            })}
        </section>
    }
}
