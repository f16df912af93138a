//! The app shell: the header with the network and sync state, the current
//! screen, and the navigation bar at the bottom, within reach of a thumb.

use leptos::prelude::*;
use thidua_core::Role;

use crate::i18n::{group, lang_label, t, Lang, Msg};
use crate::i18n_board::BoardMsg;
use crate::lang::use_lang;
use crate::platform;
use crate::routes::settings::{export_backup, provide_import_notice_context};
use crate::routes::{
    awards::AwardsPage,
    campaigns::CampaignsPage,
    cluster::ClusterPage,
    entries::EntriesPage,
    home::HomePage,
    join::{AlreadyJoined, JoinPage},
    pledge::PledgePage,
    provide_router_context,
    report::ReportPage,
    reporting::ReportingPage,
    review::ReviewPage,
    scoreboard::ScoreboardPage,
    settings::SettingsPage,
    summary::SummaryPage,
    Link, Route,
};
use crate::session::{provide_session_context, use_session};
use crate::storage::StorageProblem;
use crate::storage::{provide_settings_context, use_settings};
use crate::sync::{provide_sync_context, use_sync, SyncState};

#[component]
pub fn App() -> impl IntoView {
    let settings_ctx = provide_settings_context();
    let settings = settings_ctx.0;
    let session = provide_session_context();
    let sync = provide_sync_context(session);
    crate::evidence::provide_evidence_context(session, sync.last_heard);
    let router = provide_router_context();
    crate::routes::board::provide_board_context(session);
    provide_import_notice_context();
    let lang = crate::lang::provide_lang_context(settings_ctx);
    platform::provide_online_context();

    // Keep <html lang> right for screen readers and hyphenation.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
        }
    });

    // Ask once per start; the answer is kept with the settings.
    leptos::task::spawn_local(async move {
        if let Some(granted) = platform::request_persistent_storage().await {
            settings.update(|s| s.persistent = Some(granted));
        }
    });

    let role = session.role;
    let screen = move || {
        let Some(role) = role.get() else {
            return match router.route.get() {
                Route::Settings => view! { <SettingsPage /> }.into_any(),
                _ => view! { <JoinPage /> }.into_any(),
            };
        };
        let manages = role.manages_cluster();
        // The board's seat: its own screens; a cluster's screens have no document here.
        if role == Role::Board {
            use crate::routes::board::{
                awards::BoardAwardsPage, clusters::ClustersPage, BoardPage,
            };
            return match router.route.get() {
                Route::Join => view! { <AlreadyJoined /> }.into_any(),
                Route::Settings => view! { <SettingsPage /> }.into_any(),
                Route::BoardClusters => view! { <ClustersPage /> }.into_any(),
                Route::BoardAwards => view! { <BoardAwardsPage /> }.into_any(),
                Route::History => view! { <crate::routes::history::HistoryPage /> }.into_any(),
                _ => view! { <BoardPage /> }.into_any(),
            };
        }
        match router.route.get() {
            Route::Join => view! { <AlreadyJoined /> }.into_any(),
            Route::Home => view! { <HomePage /> }.into_any(),
            Route::Report => view! { <ReportPage /> }.into_any(),
            Route::Entries => view! { <EntriesPage /> }.into_any(),
            Route::Pledge => view! { <PledgePage /> }.into_any(),
            Route::Settings => view! { <SettingsPage /> }.into_any(),
            Route::Scoreboard => view! { <ScoreboardPage /> }.into_any(),
            Route::Summary => view! { <SummaryPage /> }.into_any(),
            Route::Review if manages => view! { <ReviewPage /> }.into_any(),
            Route::Campaigns if manages => view! { <CampaignsPage /> }.into_any(),
            Route::Cluster if manages => view! { <ClusterPage /> }.into_any(),
            Route::Awards if manages => view! { <AwardsPage /> }.into_any(),
            Route::Reporting if manages => view! { <ReportingPage /> }.into_any(),
            Route::History => view! { <crate::routes::history::HistoryPage /> }.into_any(),
            Route::Review
            | Route::Campaigns
            | Route::Cluster
            | Route::Awards
            | Route::Reporting
            | Route::Board
            | Route::BoardClusters
            | Route::BoardAwards => view! { <HomePage /> }.into_any(),
        }
    };

    view! {
        <Header />
        <main id="main">
            <StorageWarnings />
            {screen}
        </main>
        <crate::evidence::view::Viewer />
        <footer class="foot">
            <span>{move || t(lang.get(), Msg::Version)}</span>
            " "
            <span data-testid="build">{crate::BUILD_LABEL}</span>
        </footer>
        <NavBar role=role />
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let settings = use_settings().0;
    let online = platform::use_online();
    // One tap switches to the other language; Settings lists them all.
    let other = move || match lang.get() {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
    view! {
        <header class="bar">
            <h1 class="brand">"Thi Đua"</h1>
            <span class="net" class:off=move || !online.get() role="status" data-testid="net">
                {move || t(lang.get(), if online.get() { Msg::Online } else { Msg::Offline })}
            </span>
            <button
                type="button"
                class="lang-toggle"
                lang=move || other().tag()
                // The name starts with the visible "EN"/"VI" (WCAG label-in-name) and says
                // the language in full for screen readers.
                aria-label=move || format!("{} {}", other().tag().to_uppercase(), lang_label(other()))
                on:click=move |_| settings.update(|s| s.lang = other())
            >
                {move || other().tag().to_uppercase()}
            </button>
        </header>
        <SyncBar />
    }
}

/// `09:14` today, `09:14 05/12` on another day.
fn heard_at(at: chrono::DateTime<chrono::Local>) -> String {
    let time = at.format("%H:%M").to_string();
    if at.date_naive() == platform::today() {
        time
    } else {
        format!("{time} {}", at.format("%d/%m"))
    }
}

/// Where sync stands, in one glance, with a button to sync now.
#[component]
fn SyncBar() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let sync = use_sync();
    let text = move || {
        let lang = lang.get();
        let waiting = session.waiting();
        let refused = session.outbox.with(|o| o.rejected.len());
        let mut parts = Vec::new();
        match sync.state.get() {
            SyncState::Syncing => parts.push(t(lang, Msg::SyncSyncing).to_owned()),
            SyncState::Unreachable => parts.push(t(lang, Msg::SyncOffline).to_owned()),
            SyncState::Retrying(Some(status)) => parts.push(format!(
                "{} ({status}), {}",
                t(lang, Msg::SyncServerTrouble),
                t(lang, Msg::SyncWillRetry)
            )),
            SyncState::Retrying(None) => parts.push(format!(
                "{}, {}",
                t(lang, Msg::SyncBadAnswer),
                t(lang, Msg::SyncWillRetry)
            )),
            SyncState::Revoked => parts.push(t(lang, Msg::SyncRevoked).to_owned()),
            SyncState::Failed(why) => parts.push(format!("{}: {why}", t(lang, Msg::SyncFailed))),
            // "Synced at 09:14": the time it last heard from the server, so "synced" never
            // hides that the phone has not heard from it for an hour.
            SyncState::Idle | SyncState::Done if waiting == 0 && refused == 0 => {
                parts.push(match sync.last_heard.get() {
                    Some(at) => format!("{} {}", t(lang, Msg::SyncSyncedAt), heard_at(at)),
                    None => t(lang, Msg::SyncSynced).to_owned(),
                })
            }
            SyncState::Idle | SyncState::Done => {}
        }
        if waiting > 0 {
            parts.push(format!("{waiting} {}", t(lang, Msg::SyncWaiting)));
        }
        if refused > 0 {
            parts.push(format!("{refused} {}", t(lang, Msg::SyncRefused)));
        }
        let synced = matches!(sync.state.get(), SyncState::Idle | SyncState::Done)
            && waiting == 0
            && refused == 0;
        if let Some(at) = sync.last_heard.get().filter(|_| !synced) {
            parts.push(format!("{} {}", t(lang, Msg::LastHeard), heard_at(at)));
        }
        parts.join(" · ")
    };
    let joined = move || session.device.with(Option::is_some);
    // The bar keeps its place before joining too, so that joining does not push the
    // screen down (a layout shift the officer would see as a jump).
    view! {
        <div class="sync" role="status" aria-live="polite">
            <Show
                when=joined
                fallback=move || view! { <span class="muted">{move || t(lang.get(), Msg::SyncNotJoined)}</span> }
            >
                <span data-testid="sync-state">{text}</span>
                <button type="button" class="secondary" on:click=move |_| sync.now()>
                    {move || t(lang.get(), Msg::SyncNow)}
                </button>
            </Show>
        </div>
    }
}

/// What went wrong with the device's storage, said plainly, with the way out:
/// a backup file of everything, including what only the app's memory holds.
#[component]
fn StorageWarnings() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let backup_note = RwSignal::new(None::<Msg>);
    let evidence = crate::evidence::use_evidence();
    let backup = move |_| {
        export_backup(session, evidence, move |done| {
            backup_note.set(Some(if done {
                Msg::BackupMade
            } else {
                Msg::BackupFailed
            }));
        });
    };
    let backup_button = move || {
        view! {
            <button type="button" class="secondary" data-testid="backup-now" on:click=backup>
                {move || t(lang.get(), Msg::BackupNow)}
            </button>
            <span class="alert-note" role="status">
                {move || backup_note.get().map(|m| t(lang.get(), m))}
            </span>
        }
    };
    view! {
        {move || {
            session
                .storage_error
                .get()
                .map(|problem| {
                    let headline = move || match &problem {
                        StorageProblem::Full => t(lang.get(), Msg::StorageFull).to_owned(),
                        StorageProblem::Other(why) => {
                            format!("{}: {why}", t(lang.get(), Msg::StorageFailed))
                        }
                    };
                    view! {
                        <div class="alert" role="alert" data-testid="storage-alert">
                            <p class="alert-title">{headline}"."</p>
                            <p>{move || t(lang.get(), Msg::StorageKeptInMemory)}</p>
                            {backup_button()}
                        </div>
                    }
                })
        }}
        {move || {
            // Nearly full (80%): what uses the space, and the way out, before anything is lost.
            let usage = session.usage.get();
            (usage.fraction() >= 0.8).then(|| {
                let kb = |units: usize| group((units * 2).div_ceil(1024) as u64, '.');
                let pct = (usage.fraction() * 100.0).round() as u64;
                view! {
                    <div class="alert" role="alert" data-testid="storage-nearly-full">
                        <p class="alert-title">{move || format!("{} {pct}%.", t(lang.get(), Msg::StorageNearlyFull))}</p>
                        <p>{move || format!(
                            "{}: {} KB · {}: {} KB · {}: {} KB.",
                            t(lang.get(), Msg::StorageOfRecords), kb(usage.records),
                            t(lang.get(), Msg::Drafts), kb(usage.drafts),
                            t(lang.get(), Msg::StorageOfOther), kb(usage.other),
                        )}</p>
                        <p>{move || t(lang.get(), Msg::StorageNearlyFullExplain)}</p>
                        {backup_button()}
                    </div>
                }
            })
        }}
        {move || {
            let damaged = session.damaged.get();
            (damaged > 0)
                .then(|| {
                    view! {
                        <div class="alert" role="alert" data-testid="damaged-alert">
                            <p class="alert-title">
                                {damaged} " " {move || t(lang.get(), Msg::Damaged)} "."
                            </p>
                            <p>{move || t(lang.get(), Msg::DamagedExplain)}</p>
                            {backup_button()}
                        </div>
                    }
                })
        }}
    }
}

/// A tab's label: from the main catalogue, or the board's.
#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Main(Msg),
    Board(BoardMsg),
}

impl Tab {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            Tab::Main(m) => t(lang, m),
            Tab::Board(m) => crate::i18n_board::tb(lang, m),
        }
    }
}

/// The screens a role uses most, at the bottom of the screen.
#[component]
fn NavBar(role: Memo<Option<Role>>) -> impl IntoView {
    let lang = use_lang();
    let items = move || -> Vec<(Route, Tab)> {
        let main =
            |list: Vec<(Route, Msg)>| list.into_iter().map(|(r, m)| (r, Tab::Main(m))).collect();
        match role.get() {
            None => main(vec![
                (Route::Join, Msg::NavJoin),
                (Route::Settings, Msg::NavSettings),
            ]),
            Some(Role::Officer) => main(vec![
                (Route::Home, Msg::NavHome),
                (Route::Report, Msg::NavReport),
                (Route::Entries, Msg::NavEntries),
                (Route::Scoreboard, Msg::NavScoreboard),
                (Route::Settings, Msg::NavSettings),
            ]),
            Some(Role::Head | Role::Deputy) => main(vec![
                (Route::Home, Msg::NavHome),
                (Route::Review, Msg::NavReview),
                (Route::Scoreboard, Msg::NavScoreboard),
                (Route::Summary, Msg::NavSummary),
                (Route::Settings, Msg::NavSettings),
            ]),
            Some(Role::Board) => vec![
                (Route::Board, Tab::Board(BoardMsg::NavOverview)),
                (Route::BoardClusters, Tab::Board(BoardMsg::NavClusters)),
                (Route::BoardAwards, Tab::Board(BoardMsg::NavAwards)),
                (Route::Settings, Tab::Main(Msg::NavSettings)),
            ],
        }
    };
    view! {
        <nav class="tabs" aria-label=move || t(lang.get(), Msg::NavLabel)>
            // Keyed by role as well: joining builds a new row of tabs instead of sliding the
            // two old ones into new places (a layout shift).
            <For
                each=move || { let r = role.get(); items().into_iter().map(move |(route, msg)| (r, route, msg)).collect::<Vec<_>>() }
                key=|(r, route, _)| (*r, *route)
                let:((_, route, msg))
            >
                <Link to=route class="tab">
                    {move || msg.text(lang.get())}
                </Link>
            </For>
        </nav>
    }
}
