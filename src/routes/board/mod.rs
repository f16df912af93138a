//! The federation board's seat (ban thi đua): the dashboard across clusters (`/board`), the
//! clusters (`clusters`), the proposals sent up and the award history (`awards`). The board's
//! device holds no cluster document: the server computes the roll-up and this screen keeps
//! the last one fetched (in `storage`), readable offline with its age.

pub mod awards;
pub mod clusters;

use leptos::prelude::*;
use thidua_core::rollup::{ClusterRollup, Rollup};
use thidua_core::wire::Dashboard;

use crate::api::{self, ApiError};
use crate::i18n::report::line;
use crate::i18n::{date, Lang};
use crate::i18n_board::{
    capital, completeness_line, data_age, province_line, ranking_headers, rollup_table, tb,
    BoardMsg,
};
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::cluster::access::api_error;
use crate::session::Session;
use crate::storage;

/// The board's shared state: the last dashboard (fetched or kept), and the fetch.
#[derive(Clone, Copy)]
pub struct BoardCtx {
    pub session: Session,
    pub dashboard: RwSignal<Option<Dashboard>>,
    pub fetch: Action<(), Result<(), ApiError>>,
}

pub fn token(session: Session) -> String {
    session
        .device
        .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
        .unwrap_or_default()
}

/// Loads the kept dashboard and shares the board's state.
pub fn provide_board_context(session: Session) -> BoardCtx {
    let dashboard = RwSignal::new(storage::load_dashboard());
    let fetch = Action::new_local(move |(): &()| {
        let token = token(session);
        async move {
            let answer = api::dashboard(&token).await?;
            session.remember(storage::save_dashboard(&answer));
            dashboard.set(Some(answer));
            Ok(())
        }
    });
    let ctx = BoardCtx {
        session,
        dashboard,
        fetch,
    };
    provide_context(ctx);
    ctx
}

pub fn use_board() -> BoardCtx {
    expect_context::<BoardCtx>()
}

/// Fetches the dashboard now if online and not already fetching.
pub fn refresh(board: BoardCtx) {
    if platform::is_online() && !board.fetch.pending().get_untracked() {
        board.fetch.dispatch(());
    }
}

fn minutes_since(computed_at: &str) -> Option<(String, i64)> {
    let at = chrono::DateTime::parse_from_rfc3339(computed_at).ok()?;
    let local = at.with_timezone(&chrono::Local);
    let minutes = (chrono::Local::now() - local).num_minutes();
    let time = if local.date_naive() == platform::today() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%H:%M %d/%m/%Y").to_string()
    };
    Some((time, minutes))
}

/// The dashboard as CSV, made on the device: one line per cluster.
fn csv(lang: Lang, rollup: &Rollup) -> String {
    let cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let (head, rows) = rollup_table(lang, rollup);
    let mut out = String::from('\u{feff}');
    out.push_str(&head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for row in rows {
        let line: Vec<String> = row.iter().map(|c| cell(&c.to_string())).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// "Số liệu lúc 09:14, 2 giờ trước", and the refresh button.
#[component]
pub fn DataAge() -> impl IntoView {
    let lang = use_lang();
    let board = use_board();
    let online = platform::use_online();
    let age = move || {
        board.dashboard.with(|d| {
            d.as_ref()
                .and_then(|d| minutes_since(&d.computed_at))
                .map(|(time, minutes)| (data_age(lang.get(), &time, minutes), minutes > 60))
        })
    };
    view! {
        <p class="age" class:stale=move || age().is_some_and(|a| a.1) data-testid="data-age">
            {move || age().map_or_else(|| tb(lang.get(), BoardMsg::NeverFetched).to_owned(), |a| a.0)}
        </p>
        {move || (!online.get()).then(|| view! { <p class="alert" role="alert">{move || tb(lang.get(), BoardMsg::NeedsNetwork)}</p> })}
        {move || board.fetch.value().get().and_then(Result::err).map(|e| view! {
            <p class="alert" role="alert" data-testid="board-error">{move || match &e {
                // Removed from the board: say so, not "failed".
                ApiError::Unauthorized(_) => tb(lang.get(), BoardMsg::BoardRevoked).to_owned(),
                e => api_error(lang.get(), e),
            }}</p>
        })}
        <div class="board-actions no-print">
            <button
                type="button"
                class="secondary"
                data-testid="refresh"
                disabled=move || !online.get() || board.fetch.pending().get()
                on:click=move |_| refresh(board)
            >
                {move || tb(lang.get(), BoardMsg::Refresh)}
            </button>
        </div>
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_lang();
    let board = use_board();
    refresh(board);
    let export = move |_| {
        board.dashboard.with_untracked(|d| {
            if let Some(d) = d {
                let text = csv(lang.get_untracked(), &d.rollup);
                let _ =
                    platform::download("tong-quan-cac-cum.csv", "text/csv;charset=utf-8", &text);
            }
        })
    };
    // The workbook is made by the server from the same roll-up.
    let failed = RwSignal::new(None::<HeadMsg>);
    let fetching = api::action();
    Effect::new(move |_| {
        let Some(api::Answer::Xlsx(name, result)) = fetching.value().get() else {
            return;
        };
        failed.set(match result {
            Ok(bytes) => platform::download_bytes(&format!("{name}.xlsx"), &bytes)
                .err()
                .map(|_| HeadMsg::Failed),
            Err(ApiError::Unreachable) => Some(HeadMsg::XlsxOffline),
            Err(_) => Some(HeadMsg::Failed),
        });
    });
    let xlsx = move |_| {
        failed.set(None);
        fetching.dispatch_local(api::Call::BoardXlsx {
            token: token(board.session),
            lang: lang.get_untracked(),
        });
    };
    let body = move || {
        let lg = lang.get();
        board.dashboard.get().map(|d| {
            let r = d.rollup;
            let province = province_line(lg, &r);
            let rankings = r.rankings.clone();
            let [rank, cluster, total, per_unit] = ranking_headers(lg);
            view! {
                <p class="desc" data-testid="province">{province}</p>
                <div class="board-grid">
                    {r.clusters.into_iter().map(|c| cluster_card(lg, c)).collect_view()}
                </div>
                <section class="card" data-testid="ranking">
                    <h3>{tb(lg, BoardMsg::RankingTitle)}</h3>
                    <p class="hint">{tb(lg, BoardMsg::RankingRule)}</p>
                    {rankings.is_empty().then(|| view! { <p class="hint">{tb(lg, BoardMsg::NoRanking)}</p> })}
                    {rankings.into_iter().map(|k| view! {
                        <h4>{format!("{} ({})", k.name, k.unit_of_measure)}</h4>
                        <div class="table-wrap">
                            <table class="board-table">
                                <thead><tr>
                                    <th>{rank.clone()}</th>
                                    <th>{cluster.clone()}</th>
                                    <th>{total.clone()}</th>
                                    <th>{per_unit.clone()}</th>
                                </tr></thead>
                                <tbody>
                                    {k.rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td class="n">{row.rank}</td>
                                            <td>{row.name}</td>
                                            <td class="n">{thidua_core::format::decimal(row.amount, 0, lg)}</td>
                                            <td class="n">{thidua_core::format::decimal(row.per_unit, 2, lg)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }).collect_view()}
                </section>
            }
        })
    };
    // Wider on an office PC.
    if let Some(body) = document().body() {
        let _ = body.class_list().add_1("board-wide");
    }
    on_cleanup(|| {
        if let Some(body) = document().body() {
            let _ = body.class_list().remove_1("board-wide");
        }
    });
    view! {
        <section class="card" data-testid="board">
            <h2>{move || tb(lang.get(), BoardMsg::BoardTitle)}</h2>
            <p class="meta">{move || board.dashboard.with(|d| d.as_ref().map(|d| d.federation.name.clone()))}</p>
            <DataAge />
            <div class="board-actions no-print">
                <button type="button" class="secondary" data-testid="export-csv"
                    disabled=move || board.dashboard.with(Option::is_none) on:click=export>
                    {move || tb(lang.get(), BoardMsg::ExportCsv)}
                </button>
                <button type="button" class="secondary" data-testid="export-xlsx"
                    disabled=move || fetching.pending().get() on:click=xlsx>
                    {move || th(lang.get(), HeadMsg::Xlsx)}
                </button>
                <button type="button" class="secondary" on:click=move |_| { let _ = window().print(); }>
                    {move || tb(lang.get(), BoardMsg::PrintA4)}
                </button>
            </div>
            {move || failed.get().map(|m| view! { <p class="alert no-print" role="alert">{th(lang.get(), m)}</p> })}
        </section>
        {body}
    }
}

/// One cluster's line of the dashboard.
fn cluster_card(lg: Lang, c: ClusterRollup) -> impl IntoView {
    let wait = match c.oldest_wait_days {
        Some(d) if c.waiting > 0 => format!(
            "{}: {} ({} {d} {})",
            tb(lg, BoardMsg::Waiting),
            c.waiting,
            tb(lg, BoardMsg::OldestWait),
            tb(lg, BoardMsg::Days)
        ),
        _ => format!("{}: {}", tb(lg, BoardMsg::Waiting), c.waiting),
    };
    let silent = if c.silent_units.is_empty() {
        tb(lg, BoardMsg::NoSilent).to_owned()
    } else {
        c.silent_units.join(", ")
    };
    let session = c.last_session.as_ref().map_or_else(
        || tb(lg, BoardMsg::NoSession).to_owned(),
        |s| {
            let kind = match s.kind {
                thidua_core::SessionKind::SixMonth => th(lg, HeadMsg::SixMonth),
                thidua_core::SessionKind::Annual => th(lg, HeadMsg::Annual),
            };
            format!("{kind} {}", date(s.date))
        },
    );
    let deadline = c.deadline.as_ref().map(|d| {
        let mut s = format!(
            "{} ({}): {}",
            d.name,
            date(d.due),
            completeness_line(lg, d.counts.reported(), d.counts.expected, d.counts.on_time)
        );
        if !d.not_reported.is_empty() {
            s.push_str(&format!(
                ". {}: {}",
                tb(lg, BoardMsg::Missing),
                d.not_reported.join(", ")
            ));
        }
        s
    });
    let totals = line(&c.totals, lg);
    let title = match c.year {
        Some(y) => format!("{} ({y})", c.name),
        None => c.name.clone(),
    };
    view! {
        <section class="card" data-testid="board-cluster">
            <h3>{title}</h3>
            {c.campaign.map(|k| view! { <p class="meta">{k.title}</p> })}
            <dl class="facts">
                <dt>{tb(lg, BoardMsg::Units)}</dt><dd>{c.units}</dd>
                <dt>{tb(lg, BoardMsg::ResultsReported)}</dt><dd data-testid="cluster-reported">{c.reported}</dd>
                <dt>{tb(lg, BoardMsg::ResultsApproved)}</dt><dd>{c.approved}</dd>
            </dl>
            <p class="meta">{wait}</p>
            <p class="meta"><strong>{tb(lg, BoardMsg::SilentUnits)}": "</strong>{silent}</p>
            <p class="meta"><strong>{tb(lg, BoardMsg::LastSession)}": "</strong>{session}</p>
            {deadline.map(|d| view! { <p class="rate" data-testid="cluster-rate">{format!("{}: {d}", tb(lg, BoardMsg::ReportingRate))}</p> })}
            {(!totals.is_empty()).then(|| view! { <p class="desc">{capital(&totals)}</p> })}
        </section>
    }
}
