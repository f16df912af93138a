//! Who may come into the cluster: invite links (made per unit and role, limited in uses,
//! copied or shared to Zalo in two taps, listed with their uses and expiry, withdrawn), and
//! the devices that joined, each with the link it used. Removing a device can withdraw that
//! link and hand the unit a fresh one, so that "removed" means removed. All of it needs the
//! network and says so.

use leptos::prelude::*;
use thidua_core::{Document, FigureKind, Role};

use crate::api::{self, Answer, ApiError, Call, DeviceInfo, Invite, InviteInfo, InviteState, Seat};
use crate::i18n::{role_name, Lang};
use crate::i18n_board::{tb, BoardMsg};
use crate::i18n_head::{invite_message, th, HeadMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::head::{self, btn, tx, How, Pick, Text};
use crate::session::{use_session, Session};

fn token(session: Session) -> String {
    session
        .device
        .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
        .unwrap_or_default()
}

/// What went wrong with a request, in the user's language (the server's message is specific).
pub fn api_error(lang: Lang, e: &ApiError) -> String {
    match e {
        ApiError::Unreachable => th(lang, HeadMsg::NeedsNetwork).to_owned(),
        ApiError::Unauthorized(m)
        | ApiError::Server { message: m, .. }
        | ApiError::BadAnswer(m) => {
            format!("{}: {m}", th(lang, HeadMsg::Failed))
        }
    }
}

fn unit_name(doc: &Document, unit: &str) -> String {
    head::id_of(unit)
        .map(|id| head::unit_name(doc, &id))
        .unwrap_or_default()
}

/// `2026-12-20T…` as `20/12/2026`.
fn day_of(timestamp: &str) -> String {
    timestamp
        .get(..10)
        .and_then(head::parse_date)
        .map(head::fmt_date)
        .unwrap_or_default()
}

fn state_msg(state: InviteState) -> HeadMsg {
    match state {
        InviteState::Active => HeadMsg::StateActive,
        InviteState::Withdrawn => HeadMsg::StateWithdrawn,
        InviteState::Expired => HeadMsg::StateExpired,
        InviteState::UsedUp => HeadMsg::StateUsedUp,
    }
}

/// `đã dùng 2 / 5 lần`, or `đã dùng 2` with no limit.
fn uses_text(lang: Lang, uses: u32, max: Option<u32>) -> String {
    match max {
        Some(max) => format!("{} {uses} / {max}", th(lang, HeadMsg::UsedTimes)),
        None => format!("{} {uses}", th(lang, HeadMsg::UsedTimes)),
    }
}

/// The state shared by the parts of this screen: the lists as last loaded, the link just made.
#[derive(Clone, Copy)]
struct AccessState {
    links: RwSignal<Option<Vec<InviteInfo>>>,
    devices: RwSignal<Option<Vec<DeviceInfo>>>,
    /// The link just made (its code is shown only now), with its full address.
    made: RwSignal<Option<(Invite, String)>>,
    failed: RwSignal<Option<ApiError>>,
    note: head::Note,
    session: Session,
    seat: Seat,
    /// Loads the links and the devices again.
    reload: api::CallAction,
}

impl AccessState {
    fn new(session: Session, seat: Seat) -> Self {
        let state = Self {
            seat,
            links: RwSignal::new(None),
            devices: RwSignal::new(None),
            made: RwSignal::new(None),
            failed: RwSignal::new(None),
            note: RwSignal::new(None),
            session,
            reload: api::action(),
        };
        Effect::new(move |_| {
            let Some(Answer::Lists(links, devices)) = state.reload.value().get() else {
                return;
            };
            let mut failed = None;
            match links {
                Ok(l) => state.links.set(Some(l)),
                Err(e) => failed = Some(e),
            }
            match devices {
                Ok(l) => state.devices.set(Some(l)),
                Err(e) => failed = Some(e),
            }
            state.failed.set(failed);
        });
        state
    }

    fn load(self) {
        self.reload.dispatch_local(Call::Lists {
            token: token(self.session),
            seat: self.seat,
        });
    }

    /// Whom a link or device is for: the cluster's unit, or the federation (the board).
    fn owner(self, unit: &str) -> String {
        match self.seat {
            Seat::Cluster => self.session.doc.with_untracked(|d| unit_name(d, unit)),
            Seat::Board => self
                .session
                .device
                .with_untracked(|d| d.as_ref().map(|d| d.cluster_name.clone()))
                .unwrap_or_default(),
        }
    }

    /// Shows each link `making` makes, and loads the lists again.
    fn shows_made(self, making: api::CallAction) {
        Effect::new(move |_| match making.value().get() {
            Some(Answer::Invite(Ok(invite))) => {
                self.failed.set(None);
                self.show_new(invite);
                self.load();
            }
            Some(Answer::Invite(Err(e))) => self.failed.set(Some(e)),
            _ => {}
        });
    }

    fn show_new(self, invite: Invite) {
        let origin = window().location().origin().unwrap_or_default();
        let link = format!("{origin}{}", invite.link);
        self.made.set(Some((invite, link)));
    }
}

#[component]
pub fn Access() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let state = AccessState::new(session, Seat::Cluster);
    if platform::is_online() {
        state.load();
    }
    view! {
        <NewLink state=state online=online />
        <section class="card head">
            {head::title(lang, HeadMsg::InviteLinks)}
            {head::offline_note(lang, online)}
            {btn(lang, "secondary", HeadMsg::LoadDevices, Some(Signal::derive(move || !online.get())), Callback::new(move |()| state.load()))}
            <p class="error" role="alert">{move || state.failed.get().map(|e| api_error(lang.get(), &e))}</p>
            {head::notice(lang, state.note)}
            <LinkList state=state />
        </section>
        <section class="card head">
            {head::title(lang, HeadMsg::Devices)}
            <DeviceList state=state />
        </section>
    }
}

/// Making a link for a unit and role, and the link just made.
#[component]
fn NewLink(state: AccessState, online: ReadSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let unit = RwSignal::new(String::new());
    let role = RwSignal::new("officer".to_owned());
    let max_uses = RwSignal::new(String::new());
    let errs: head::Errs = RwSignal::new(Vec::new());
    let making = api::action();
    let busy = making.pending();
    state.shows_made(making);
    let units = Signal::derive(move || session.doc.with(head::unit_options));
    Effect::new(move |_| {
        if unit.with_untracked(String::is_empty) {
            if let Some((id, _)) = units.get().into_iter().next() {
                unit.set(id);
            }
        }
    });
    let roles = Signal::derive(move || {
        [Role::Officer, Role::Deputy, Role::Head]
            .map(|r| {
                let key = match r {
                    Role::Officer => "officer",
                    Role::Deputy => "deputy",
                    Role::Head | Role::Board => "head",
                };
                (key.to_owned(), role_name(lang.get(), r).to_owned())
            })
            .to_vec()
    });
    let create = move |()| {
        let r = match role.get_untracked().as_str() {
            "head" => Role::Head,
            "deputy" => Role::Deputy,
            _ => Role::Officer,
        };
        let lang = lang.get_untracked();
        let mut bad = Vec::new();
        let typed = max_uses.get_untracked();
        let max = match thidua_core::parse_figure(&typed, FigureKind::Count, lang) {
            Ok(None) => None,
            Ok(Some(n)) if (1..=1000).contains(&n) => u32::try_from(n).ok(),
            Ok(Some(n)) => {
                let problem = if n == 0 {
                    thidua_core::Problem::TooSmall { min: 1 }
                } else {
                    thidua_core::Problem::TooLarge { max: 1000 }
                };
                bad.push(("max_uses", head::Bad::Core(problem)));
                None
            }
            Err(e) => {
                bad.push(("max_uses", head::Bad::Figure(e)));
                None
            }
        };
        errs.set(bad);
        if errs.with_untracked(|e| !e.is_empty()) {
            return;
        }
        making.dispatch_local(Call::Invite {
            token: token(session),
            unit_id: unit.get_untracked(),
            role: r,
            max_uses: max,
        });
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::Invite)}
            {head::pick(lang, Pick { id: "invite-unit", label: HeadMsg::FilterUnit, options: units, value: unit, field: "" }, None)}
            {head::pick(lang, Pick { id: "invite-role", label: HeadMsg::InviteRole, options: roles, value: role, field: "" }, None)}
            {head::text(lang, Text { id: "invite-max-uses", label: HeadMsg::MaxUses, value: max_uses, field: "max_uses", how: How::Number, shown: None }, errs)}
            {head::para(lang, "hint", HeadMsg::MaxUsesHint)}
            {head::offline_note(lang, online)}
            {btn(lang, "primary", HeadMsg::MakeInvite, Some(Signal::derive(move || busy.get() || !online.get())), Callback::new(create))}
            {move || state.made.get().map(|(invite, link)| view! { <LinkCard invite=invite link=link /> })}
        </section>
    }
}

/// A link just made in the cluster: for one of its units.
#[component]
fn LinkCard(invite: Invite, link: String) -> impl IntoView {
    let session = use_session();
    let (unit, cluster) = session.doc.with_untracked(|d| {
        let cluster = d
            .get_cluster(&d.cluster)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        (unit_name(d, &invite.unit_id), cluster)
    });
    view! { <InviteCard invite=invite link=link cluster=cluster unit=unit explain=true /> }
}

/// An invite to hand over, wherever it was made (a cluster's unit, a new cluster's head, a
/// board member): who it is for, its code, a QR code to scan, its limits, and the ways to send
/// it. `explain` adds what the person does with it in a cluster.
#[component]
pub fn InviteCard(
    invite: Invite,
    link: String,
    cluster: String,
    unit: String,
    #[prop(optional)] explain: bool,
) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(None::<HeadMsg>);
    let qr = head::qr::path(&link);
    let copy = {
        let link = link.clone();
        move |_| {
            let link = link.clone();
            leptos::task::spawn_local(async move {
                copied.set(Some(if platform::copy_text(&link).await {
                    HeadMsg::Copied
                } else {
                    HeadMsg::CopyFailed
                }));
            });
        }
    };
    let share = {
        let (link, unit, cluster) = (link.clone(), unit.clone(), cluster.clone());
        move |_| {
            let text = invite_message(lang.get_untracked(), &cluster, &unit);
            let link = link.clone();
            leptos::task::spawn_local(async move {
                platform::share("Thi Đua", &text, &link).await;
            });
        }
    };
    let limits = {
        let expires = day_of(&invite.expires_at);
        let max = invite.max_uses;
        move || {
            let lang = lang.get();
            let mut s = format!("{} {expires}", th(lang, HeadMsg::ValidUntil));
            if let Some(max) = max {
                s.push_str(&format!(
                    " · {} {max}",
                    th(lang, HeadMsg::MaxUses).to_lowercase()
                ));
            }
            s
        }
    };
    let role = invite.role;
    view! {
        <div class="invite" data-testid="invite">
            <p class="meta">{unit.clone()} " · " {move || role_name(lang.get(), role)}</p>
            <p class="code" data-testid="invite-code">{invite.code.clone()}</p>
            {qr.map(|(size, path)| {
                let view_box = format!("0 0 {size} {size}");
                view! {
                    <div class="qr">
                        <svg xmlns="http://www.w3.org/2000/svg" viewBox=view_box shape-rendering="crispEdges" role="img">
                            <rect width=size height=size fill="#fff"></rect>
                            <path d=path fill="#000"></path>
                        </svg>
                    </div>
                }
            })}
            <a class="link" href=link.clone() data-testid="invite-link">{link.clone()}</a>
            <p class="hint">{limits}</p>
            <div class="acts wrap">
                <button type="button" class="primary" data-testid="copy-link" on:click=copy>{tx(lang, HeadMsg::CopyLink)}</button>
                {platform::can_share().then(|| view! {
                    <button type="button" class="secondary" data-testid="share-link" on:click=share.clone()>{tx(lang, HeadMsg::ShareLink)}</button>
                })}
            </div>
            <p class="notice" role="status" data-testid="copy-notice">{move || copied.get().map(|m| th(lang.get(), m))}</p>
            {explain.then(|| head::para(lang, "hint", HeadMsg::InviteExplain))}
        </div>
    }
}

/// Every link of the cluster by unit: its role, uses, expiry and state; a usable one can be
/// withdrawn.
#[component]
fn LinkList(state: AccessState) -> impl IntoView {
    let lang = use_lang();
    let withdrawing = api::action();
    Effect::new(move |_| match withdrawing.value().get() {
        Some(Answer::Withdraw(Ok(()))) => {
            state.note.set(Some(HeadMsg::LinkWithdrawn));
            state.load();
        }
        Some(Answer::Withdraw(Err(e))) => state.failed.set(Some(e)),
        _ => {}
    });
    let withdraw = move |id: String| {
        if window()
            .confirm_with_message(th(lang.get_untracked(), HeadMsg::ConfirmWithdrawLink))
            .unwrap_or(false)
        {
            withdrawing.dispatch_local(Call::Withdraw {
                token: token(state.session),
                seat: state.seat,
                id,
            });
        }
    };
    let rows = move || {
        let lg = lang.get();
        let mut links = state.links.get().unwrap_or_default();
        // By unit, newest first.
        thidua_core::order::sort_by(&mut links, |a, b| {
            a.unit_id
                .cmp(&b.unit_id)
                .then(b.created_at.cmp(&a.created_at))
        });
        links
            .into_iter()
            .map(|l| {
                let unit = state.owner(l.unit_id.as_str());
                let mut meta = format!(
                    "{} · {} · {}",
                    role_name(lg, l.role),
                    uses_text(lg, l.uses, l.max_uses),
                    day_of(&l.created_at)
                );
                if let Some(expires) = &l.expires_at {
                    meta.push_str(&format!(" · {} {}", th(lg, HeadMsg::ValidUntil), day_of(expires)));
                }
                let active = l.state == InviteState::Active;
                let id = l.id.clone();
                view! {
                    <li class="entry" data-testid="link" data-id=l.id.clone()>
                        <div class="entry-head">
                            <strong class="entry-title">{unit}</strong>
                            <span class="badge" class:approved=active class:returned=!active>{th(lg, state_msg(l.state))}</span>
                        </div>
                        <p class="meta">{meta}</p>
                        {active.then(|| btn(lang, "secondary", HeadMsg::WithdrawLink, None, Callback::new(move |()| withdraw(id.clone()))))}
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="entries" data-testid="links">{rows}</ul> }
}

/// The devices that joined, by name and unit, with the link each used; removing one asks
/// what to do with that link.
#[component]
fn DeviceList(state: AccessState) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let me = session
        .device
        .with_untracked(|d| d.as_ref().map(|d| d.device_id.to_string()))
        .unwrap_or_default();
    let removing = RwSignal::new(None::<String>);
    let rows = move || {
        let lg = lang.get();
        let links = state.links.get().unwrap_or_default();
        state.devices.get().map(|l| {
            l.into_iter()
                .map(|d| {
                    let unit = state.owner(d.unit_id.as_str());
                    let seen = day_of(d.last_seen_at.as_deref().unwrap_or(&d.created_at));
                    let link = d
                        .invite_id
                        .as_ref()
                        .and_then(|id| links.iter().find(|l| &l.id == id))
                        .cloned();
                    let mut meta = format!(
                        "{unit} · {} · {} {seen}",
                        role_name(lg, d.role),
                        th(lg, HeadMsg::LastSeen)
                    );
                    if let Some(l) = &link {
                        meta.push_str(&format!(
                            " · {} {} ({})",
                            th(lg, HeadMsg::JoinedWithLink),
                            day_of(&l.created_at),
                            uses_text(lg, l.uses, l.max_uses)
                        ));
                    }
                    let revoked = d.revoked_at.is_some();
                    let mine = d.id == me;
                    let id = d.id.clone();
                    let open_id = d.id.clone();
                    let name = d.name.clone();
                    view! {
                        <li class="entry" data-testid="device">
                            <div class="entry-head">
                                <strong class="entry-title">{d.name.clone()}</strong>
                                {revoked.then(|| view! { <span class="badge returned">{th(lg, HeadMsg::Revoked)}</span> })}
                            </div>
                            <p class="meta">{meta}</p>
                            {(!revoked && !mine).then(|| view! {
                                <Show
                                    when=move || removing.get().as_ref() == Some(&open_id)
                                    fallback=move || {
                                        let id = id.clone();
                                        btn(lang, "secondary", HeadMsg::RemoveDevice, None, Callback::new(move |()| removing.set(Some(id.clone()))))
                                    }
                                >
                                    <RemovePanel state=state device=d.id.clone() name=name.clone() link=link.clone() removing=removing />
                                </Show>
                            })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! { <ul class="entries" data-testid="devices">{rows}</ul> }
}

/// Removing a device: what happens to it, and to the link it joined with.
#[component]
fn RemovePanel(
    state: AccessState,
    device: String,
    name: String,
    link: Option<InviteInfo>,
    removing: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let link_usable = link
        .as_ref()
        .is_some_and(|l| l.state == InviteState::Active);
    // A link still usable would let the same person straight back in: withdrawn by default.
    let withdraw = RwSignal::new(link_usable);
    let replace = RwSignal::new(false);
    let revoking = api::action();
    let busy = revoking.pending();
    Effect::new(move |_| match revoking.value().get() {
        Some(Answer::Revoke(Ok(answer))) => {
            state.note.set(Some(if answer.invite_withdrawn {
                HeadMsg::DeviceRemovedLinkToo
            } else {
                HeadMsg::DeviceRemoved
            }));
            if let Some(invite) = answer.new_invite {
                state.show_new(invite);
            }
            removing.set(None);
            state.load();
        }
        Some(Answer::Revoke(Err(e))) => state.failed.set(Some(e)),
        _ => {}
    });
    let confirm = move |()| {
        revoking.dispatch_local(Call::Revoke {
            token: token(session),
            seat: state.seat,
            id: device.clone(),
            withdraw: withdraw.get_untracked(),
            replace: replace.get_untracked(),
        });
    };
    let uses = link.map(|l| move || uses_text(lang.get(), l.uses, l.max_uses));
    view! {
        <div class="remove-panel" role="group" data-testid="remove-panel">
            <p><strong>{tx(lang, HeadMsg::RemoveDevice)}": "{name}</strong></p>
            <p class="hint">{tx(lang, HeadMsg::RemoveExplain)}</p>
            {link_usable.then(|| view! {
                <label class="pick">
                    <input type="checkbox" data-testid="also-withdraw" prop:checked=withdraw on:change=move |ev| withdraw.set(event_target_checked(&ev)) />
                    <span>{tx(lang, HeadMsg::AlsoWithdraw)} {uses.map(|u| view! { " (" {u} ")" })}</span>
                </label>
            })}
            <label class="pick">
                <input type="checkbox" data-testid="also-replace" prop:checked=replace on:change=move |ev| replace.set(event_target_checked(&ev)) />
                <span>{move || match state.seat {
                    Seat::Cluster => th(lang.get(), HeadMsg::AlsoReplace),
                    Seat::Board => tb(lang.get(), BoardMsg::AlsoReplaceBoard),
                }}</span>
            </label>
            <div class="acts">
                {btn(lang, "primary", HeadMsg::ConfirmRemove, Some(busy.into()), Callback::new(confirm))}
                {btn(lang, "secondary", HeadMsg::Cancel, None, Callback::new(move |()| removing.set(None)))}
            </div>
        </div>
    }
}

/// The board's own members (ban thi đua): a link for another member, the board's links with
/// their uses, and its members' devices, each removable like a cluster's.
#[component]
pub fn BoardMembers() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let state = AccessState::new(session, Seat::Board);
    if platform::is_online() {
        state.load();
    }
    let making = api::action();
    let busy = making.pending();
    state.shows_made(making);
    let make = move |_| {
        making.dispatch_local(Call::BoardInvite {
            token: token(session),
        });
    };
    let federation = move || state.owner("");
    view! {
        <section class="card head" data-testid="board-invite">
            <h2>{move || tb(lang.get(), BoardMsg::InviteBoard)}</h2>
            {head::offline_note(lang, online)}
            <button type="button" class="secondary" data-testid="make-board-invite"
                disabled=move || !online.get() || busy.get() on:click=make>
                {move || tb(lang.get(), BoardMsg::MakeBoardInvite)}
            </button>
            {move || state.made.get().map(|(invite, link)| view! {
                <InviteCard invite=invite link=link cluster=federation() unit=federation() />
            })}
            <p class="error" role="alert">{move || state.failed.get().map(|e| api_error(lang.get(), &e))}</p>
            {head::notice(lang, state.note)}
        </section>
        <section class="card head" data-testid="board-members">
            <h2>{move || tb(lang.get(), BoardMsg::BoardMembers)}</h2>
            {btn(lang, "secondary", HeadMsg::LoadDevices, Some(Signal::derive(move || !online.get())), Callback::new(move |()| state.load()))}
            <h3>{move || th(lang.get(), HeadMsg::InviteLinks)}</h3>
            <LinkList state=state />
            <h3>{move || th(lang.get(), HeadMsg::Devices)}</h3>
            <DeviceList state=state />
        </section>
    }
}
