//! Home: the unit's running campaigns with days left and progress against
//! each pledged target, recent entries, and the way to report. Heads and
//! deputies also get their tools here.

use leptos::prelude::*;
use thidua_core::{scoring, Campaign, EntryStatus, RecordId, Role};

use crate::components::Field;
use crate::i18n::{date, group, kind_name, role_name, t, Lang, Msg};
use crate::routes::{entries::figure_text, use_router, Link, Route};
use crate::session::use_session;
use crate::sync::{use_sync, SyncState};

use crate::lang::use_lang;
use crate::platform::today;

/// "12 days left", "ended", "starts 15/04/2024".
fn days_text(lang: Lang, c: &Campaign) -> String {
    let today = today();
    if today < c.start {
        format!("{} {}", t(lang, Msg::Starts), date(c.start))
    } else if today > c.end {
        t(lang, Msg::Ended).to_owned()
    } else {
        let left = (c.end - today).num_days();
        format!("{} {}", left, t(lang, Msg::DaysLeft))
    }
}

/// The unit's next reporting deadline, said as days left ("Còn 3 ngày đến hạn báo cáo 6
/// tháng"), or the last one it missed ("Đã quá hạn … 2 ngày"); `true` when overdue.
fn deadline_text(
    lang: Lang,
    doc: &thidua_core::Document,
    campaign: &RecordId,
    unit: &thidua_core::UnitId,
) -> Option<(String, bool)> {
    use thidua_core::reporting::{self, ReportStatus};
    let today = today();
    let reports = reporting::completeness(doc, campaign, today);
    let mine =
        |r: &reporting::DeadlineReport| r.units.iter().find(|u| &u.unit == unit).map(|u| u.status);
    let missed = reports
        .iter()
        .rev()
        .find(|r| r.deadline.due < today)
        .filter(|r| mine(r) == Some(ReportStatus::Missing));
    if let Some(r) = missed {
        let days = (today - r.deadline.due).num_days();
        return Some((
            crate::i18n_board::overdue(lang, &r.deadline.name, days),
            true,
        ));
    }
    let c = doc.get_campaign(campaign)?;
    let (d, days) = reporting::next_deadline(c, today)?;
    let mut line = crate::i18n_board::days_to_deadline(lang, &d.name, days);
    let done = reports
        .iter()
        .find(|r| r.deadline == *d)
        .and_then(mine)
        .is_some_and(|s| matches!(s, ReportStatus::OnTime | ReportStatus::Late));
    if done {
        line = format!(
            "{line}. {}",
            crate::i18n_board::tb(lang, crate::i18n_board::BoardMsg::ReportedForDeadline)
        );
    }
    Some((line, false))
}

fn amount(lang: Lang, x: f64) -> String {
    // Targets and results are whole numbers in practice.
    group(x.max(0.0).round() as u64, lang.group_sep())
}

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    // Right after joining, until the first pull arrives: one card in place of the screen, so
    // the campaigns do not push a half-built screen down when they land.
    let sync = use_sync();
    let loading = move || {
        session.doc.with(|d| d.is_empty())
            && matches!(sync.state.get(), SyncState::Idle | SyncState::Syncing)
    };

    view! {
        <Show when=move || !loading() fallback=move || view! { <ClusterLoading /> }>
            <HomeScreen />
        </Show>
    }
}

#[component]
fn ClusterLoading() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card loading" data-testid="cluster-loading" aria-busy="true">
            <h2>{move || t(lang.get(), Msg::ClusterLoading)}</h2>
            <p class="hint">{move || t(lang.get(), Msg::ClusterLoadingExplain)}</p>
        </section>
    }
}

#[component]
fn HomeScreen() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let router = use_router();
    let manages = move || session.role.get().is_some_and(|r| r.manages_cluster());
    let campaigns =
        Memo::new(move |_| session.doc.with(|doc| doc.campaigns_running_first(today())));
    view! {
        <Show when=move || session.just_joined.get()>
            <JoinedCard />
        </Show>
        <UnitLine />
        <button type="button" class="primary big" on:click=move |_| router.go(Route::Report)>
            {move || t(lang.get(), Msg::NewEntry)}
        </button>
        <Show when=manages>
            <HeadTiles />
        </Show>
        <For each=move || campaigns.get() key=|(id, c)| (id.clone(), c.title.clone(), c.start, c.end, c.criteria.len()) let:item>
            <CampaignCard id=item.0 campaign=item.1 />
        </For>
        <Show when=move || campaigns.with(Vec::is_empty)>
            <section class="card"><p class="hint">{move || t(lang.get(), Msg::NoCampaign)}</p></section>
        </Show>
        <RecentEntries />
    }
}

/// The names this phone works under: its unit and cluster.
fn unit_and_cluster(session: crate::session::Session) -> Option<(String, String)> {
    let device = session.device.get()?;
    let unit = session
        .doc
        .with(|doc| doc.get_unit(&device.unit_id).map(|u| u.name.clone()))
        .unwrap_or_else(|| device.unit_id.to_string());
    Some((unit, device.cluster_name))
}

/// Which unit this phone reports for, above everything else.
#[component]
fn UnitLine() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    move || {
        unit_and_cluster(session).map(|(unit, cluster)| {
            view! {
                <p class="unit-line" data-testid="home-unit">
                    <span class="muted">{move || t(lang.get(), Msg::Unit)}": "</span>
                    <strong>{unit}</strong>
                    <span class="muted">" · "{cluster}</span>
                </p>
            }
        })
    }
}

/// Right after joining: where the phone now belongs and as what.
#[component]
fn JoinedCard() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let settings = crate::storage::use_settings().0;
    let sync = use_sync();
    let role = move || session.role.get().map(|r| role_name(lang.get(), r));
    // Joined from a link before the phone knew whose it is: ask once, here.
    let unnamed = settings.with_untracked(|s| s.officer_name.trim().is_empty());
    let name = RwSignal::new(String::new());
    let done = move || {
        let typed = name.get_untracked().trim().to_owned();
        if !typed.is_empty() {
            settings.update(|s| s.officer_name = typed);
            sync.now();
        }
        session.just_joined.set(false);
    };
    view! {
        <section class="card joined" role="status" data-testid="joined">
            <h2>{move || t(lang.get(), Msg::JoinedTitle)}</h2>
            {move || unit_and_cluster(session).map(|(unit, cluster)| view! {
                <dl>
                    <dt>{move || t(lang.get(), Msg::WhoCluster)}</dt>
                    <dd>{cluster}</dd>
                    <dt>{move || t(lang.get(), Msg::WhoUnit)}</dt>
                    <dd>{unit}</dd>
                    <dt>{move || t(lang.get(), Msg::JoinedAsRole)}</dt>
                    <dd>{role}</dd>
                </dl>
            })}
            {unnamed.then(|| view! {
                <Field
                    id="joined-name"
                    label=Signal::derive(move || t(lang.get(), Msg::JoinName).to_owned())
                    value=name
                    on_input=Callback::new(move |v| name.set(v))
                    hint=Signal::derive(move || Some(t(lang.get(), Msg::JoinNameNeeded).to_owned()))
                    placeholder=Signal::derive(move || t(lang.get(), Msg::OfficerNamePlaceholder).to_owned())
                />
            })}
            <button type="button" class="primary" on:click=move |_| done()>
                {move || t(lang.get(), Msg::Dismiss)}
            </button>
        </section>
    }
}

#[component]
fn CampaignCard(id: RecordId, campaign: Campaign) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let unit = session
        .device
        .with_untracked(|d| d.as_ref().map(|d| d.unit_id.clone()))
        .zip(session.role.get_untracked());
    let my_unit = unit.clone().map(|(u, _)| u);
    let bars = {
        let id = id.clone();
        let criteria = campaign.criteria.clone();
        move || {
            let Some((unit, role)) = unit.clone() else {
                return Vec::new();
            };
            // The head's own unit competes too; its bars are shown like an officer's.
            let _ = role;
            let rows = session.doc.with(|doc| scoring::progress(doc, &id, &unit));
            rows.into_iter()
                .filter_map(|p| {
                    let c = criteria.iter().find(|c| c.id == p.criterion)?.clone();
                    Some((c, p))
                })
                .collect::<Vec<_>>()
        }
    };
    let text = campaign.clone();
    let deadline = {
        let (id, unit) = (id.clone(), my_unit);
        move || {
            let unit = unit.clone()?;
            session
                .doc
                .with(|doc| deadline_text(lang.get(), doc, &id, &unit))
        }
    };
    view! {
        <section class="card campaign">
            <h2>{campaign.title.clone()}</h2>
            <p class="slogan">{format!("“{}”", campaign.slogan)}</p>
            <p class="meta">
                {format!("{} – {}", date(campaign.start), date(campaign.end))}
                " · "
                <strong data-testid="days-left">{move || days_text(lang.get(), &text)}</strong>
            </p>
            {move || deadline().map(|(line, late)| view! {
                <p class="deadline-line" class:late=late data-testid="deadline-line">{line}</p>
            })}
            <h3>{move || t(lang.get(), Msg::Progress)}</h3>
            <ul class="bars">
                {move || {
                    bars()
                        .into_iter()
                        .map(|(c, p)| {
                            let approved = p.approved_fraction() * 100.0;
                            let submitted = p.submitted_fraction() * 100.0;
                            let label = c.name.clone();
                            let (pledged, done, measure) = (p.pledged, p.approved, c.unit_of_measure.clone());
                            let numbers = move || {
                                let lang = lang.get();
                                if pledged > 0.0 {
                                    format!("{} / {} {measure}", amount(lang, done), amount(lang, pledged))
                                } else {
                                    t(lang, Msg::NotPledged).to_owned()
                                }
                            };
                            let numbers2 = numbers.clone();
                            view! {
                                <li>
                                    <div class="bar-label">
                                        <span>{label}</span>
                                        <span class="bar-numbers">{numbers}</span>
                                    </div>
                                    <div class="bar-track" role="img" aria-label=numbers2>
                                        // style:width goes through CSSOM, which the CSP allows; a
                                        // style="…" attribute would be blocked (style-src 'self').
                                        <div class="bar-approved" style:width=format!("{approved:.1}%")></div>
                                        <div class="bar-submitted" style:width=format!("{submitted:.1}%")></div>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="legend">
                <span class="key approved"></span>
                {move || t(lang.get(), Msg::StatusApproved)}
                " "
                <span class="key submitted"></span>
                {move || t(lang.get(), Msg::AwaitingReview)}
            </p>
            <Link to=Route::Pledge class="button-link">
                {move || t(lang.get(), Msg::PledgeTitle)}
            </Link>
        </section>
    }
}

#[component]
fn RecentEntries() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let recent = Memo::new(move |_| {
        let me = session
            .device
            .with(|d| d.as_ref().map(|d| d.unit_id.clone()))
            .zip(session.role.get());
        session.doc.with(|doc| {
            let mut list: Vec<_> = doc
                .entries()
                .filter(|(_, e)| match &me {
                    Some((unit, Role::Officer)) => &e.unit == unit,
                    _ => true,
                })
                .collect();
            thidua_core::order::sort_by(&mut list, |a, b| {
                b.1.date.cmp(&a.1.date).then_with(|| b.0.cmp(a.0))
            });
            list.truncate(3);
            // Statuses of the three shown only: each one reads every review. What the
            // device still holds for the server says so first, as in "My entries".
            session.outbox.with(|o| {
                list.into_iter()
                    .map(|(id, e)| {
                        let status = if o.rejected.contains_key(id) {
                            Msg::StatusRefused
                        } else if o.dirty.contains(id) {
                            Msg::StatusWaiting
                        } else {
                            match thidua_core::entry_status(doc, id) {
                                EntryStatus::Approved => Msg::StatusApproved,
                                EntryStatus::Returned { .. } => Msg::StatusReturned,
                                _ => Msg::StatusSubmitted,
                            }
                        };
                        // A head reads whose report it is; an officer's are all its own.
                        let unit = match &me {
                            Some((_, Role::Officer)) => None,
                            _ => doc.get_unit(&e.unit).map(|u| u.name.clone()),
                        };
                        (id.clone(), e.clone(), status, unit)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::RecentEntries)}</h2>
            <ul class="entries">
                {move || {
                    recent
                        .get()
                        .into_iter()
                        .map(|(_, e, status, unit)| {
                            let details = e.details.clone();
                            view! {
                                <li class="entry">
                                    <strong class="entry-title">{e.title.clone()}</strong>
                                    <p class="meta">
                                        {move || kind_name(lang.get(), details.kind())}
                                        " · "
                                        {date(e.date)}
                                        {move || figure_text(lang.get(), &e.details).map(|f| format!(" · {f}"))}
                                        " · "
                                        {move || t(lang.get(), status)}
                                    </p>
                                    {unit.map(|u| view! { <p class="meta" data-testid="recent-unit">{u}</p> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Link to=Route::Entries class="button-link">{move || t(lang.get(), Msg::AllEntries)}</Link>
        </section>
    }
}

/// The head's and deputy's tools, with what waits for them.
#[component]
fn HeadTiles() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let waiting = Memo::new(move |_| {
        session.doc.with(|doc| {
            thidua_core::entry_statuses(doc)
                .values()
                .filter(|s| matches!(s, EntryStatus::Submitted))
                .count()
        })
    });
    let tiles = [
        (Route::Review, Msg::NavReview),
        (Route::Scoreboard, Msg::NavScoreboard),
        (Route::Campaigns, Msg::TileCampaigns),
        (Route::Cluster, Msg::TileCluster),
        (Route::Awards, Msg::TileAwards),
        (Route::Summary, Msg::NavSummary),
    ];
    view! {
        <nav class="tiles" aria-label=move || t(lang.get(), Msg::HeadTools)>
            {tiles
                .into_iter()
                .map(|(route, msg)| {
                    view! {
                        <Link to=route class="tile">
                            {move || t(lang.get(), msg)}
                            {(route == Route::Review)
                                .then(|| view! { <span class="count" data-testid="review-count">{waiting}</span> })}
                        </Link>
                    }
                })
                .collect_view()}
            <Link to=Route::Reporting class="tile">
                {move || crate::i18n_board::tb(lang.get(), crate::i18n_board::BoardMsg::ReportingTitle)}
            </Link>
        </nav>
    }
}
