//! One file per screen, and a small router: the current screen is a signal
//! kept in step with the address bar (pushState / popstate), so the service
//! worker's single shell serves every path.

pub mod awards;
pub mod board;
pub mod campaigns;
pub mod cluster;
pub mod entries;
pub mod head;
pub mod history;
pub mod home;
pub mod join;
pub mod pledge;
pub mod report;
pub mod reporting;
pub mod review;
pub mod scoreboard;
pub mod settings;
pub mod summary;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    Home,
    Join,
    Report,
    Entries,
    Pledge,
    Settings,
    Scoreboard,
    Review,
    Campaigns,
    Cluster,
    Awards,
    Summary,
    Reporting,
    History,
    Board,
    BoardClusters,
    BoardAwards,
}

impl Route {
    pub const ALL: [Route; 17] = [
        Route::Home,
        Route::Join,
        Route::Report,
        Route::Entries,
        Route::Pledge,
        Route::Settings,
        Route::Scoreboard,
        Route::Review,
        Route::Campaigns,
        Route::Cluster,
        Route::Awards,
        Route::Summary,
        Route::Reporting,
        Route::History,
        Route::Board,
        Route::BoardClusters,
        Route::BoardAwards,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Route::Home => "/",
            Route::Join => "/join",
            Route::Report => "/report",
            Route::Entries => "/entries",
            Route::Pledge => "/pledge",
            Route::Settings => "/settings",
            Route::Scoreboard => "/scoreboard",
            Route::Review => "/review",
            Route::Campaigns => "/campaigns",
            Route::Cluster => "/cluster",
            Route::Awards => "/awards",
            Route::Summary => "/summary",
            Route::Reporting => "/reporting",
            Route::History => "/history",
            Route::Board => "/board",
            Route::BoardClusters => "/board/clusters",
            Route::BoardAwards => "/board/awards",
        }
    }

    /// The screen for a path; unknown paths show home.
    pub fn from_path(path: &str) -> Route {
        let path = path.trim_end_matches('/');
        Route::ALL
            .into_iter()
            .find(|r| r.path() == path)
            .unwrap_or(Route::Home)
    }
}

/// The current screen and its query string (e.g. `edit=<id>`), shared
/// because the navigation bar, links and screens all read and change it.
#[derive(Clone, Copy)]
pub struct RouterCtx {
    pub route: RwSignal<Route>,
    pub query: RwSignal<String>,
}

fn location() -> (Route, String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return (Route::Home, String::new());
    };
    let path = location.pathname().unwrap_or_default();
    let query = location
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_owned();
    (Route::from_path(&path), query)
}

pub fn provide_router_context() -> RouterCtx {
    let (route, query) = location();
    let ctx = RouterCtx {
        route: RwSignal::new(route),
        query: RwSignal::new(query),
    };
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let (route, query) = location();
        ctx.route.set(route);
        ctx.query.set(query);
    });
    provide_context(ctx);
    ctx
}

pub fn use_router() -> RouterCtx {
    expect_context::<RouterCtx>()
}

impl RouterCtx {
    /// Shows `route`, adding it to the browser history.
    pub fn go(&self, route: Route) {
        self.go_with(route, "");
    }

    /// Shows `route` with a query string such as `edit=abc`.
    pub fn go_with(&self, route: Route, query: &str) {
        let url = if query.is_empty() {
            route.path().to_owned()
        } else {
            format!("{}?{query}", route.path())
        };
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
        }
        // Only what changed is set: setting the same route again would build the screen anew
        // and drop what it shows (a "saved" notice after a draft is saved).
        if self.query.with_untracked(|q| q != query) {
            self.query.set(query.to_owned());
        }
        if self.route.get_untracked() != route {
            self.route.set(route);
        }
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// A value from the query string.
    pub fn param(&self, name: &str) -> Option<String> {
        self.query.with(|q| {
            q.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                (key == name).then(|| value.to_owned())
            })
        })
    }
}

/// A link that changes screen without reloading the page.
#[component]
pub fn Link(to: Route, #[prop(optional, into)] class: String, children: Children) -> impl IntoView {
    let router = use_router();
    view! {
        <a
            href=to.path()
            class=class
            aria-current=move || (router.route.get() == to).then_some("page")
            on:click=move |ev| {
                ev.prevent_default();
                router.go(to);
            }
        >
            {children()}
        </a>
    }
}
