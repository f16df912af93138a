//! The cluster: its name and establishing decision, the member units, this
//! year's head and deputy, invite links with a QR code for each unit, and the
//! devices that joined (with revoking). Edits work offline; invites and
//! devices need the network and say so.

use leptos::prelude::*;
use thidua_core::{Body, Cluster, Decision, RecordId, Role, Roles, Unit, UnitKind};

use crate::api::{self, ApiError, DeviceInfo, Invite};
use crate::i18n::{role_name, Lang};
use crate::i18n_head::{th, HeadMsg};
use crate::platform;
use crate::routes::head::{self, btn, choice, How, F};
use crate::session::{use_session, Session};

fn kind_key(k: UnitKind) -> &'static str {
    match k {
        UnitKind::GrassrootsUnion => "grassroots_union",
        UnitKind::Enterprise => "enterprise",
        UnitKind::Agency => "agency",
    }
}

fn kind_msg(k: UnitKind) -> HeadMsg {
    match k {
        UnitKind::GrassrootsUnion => HeadMsg::KindGrassroots,
        UnitKind::Enterprise => HeadMsg::KindEnterprise,
        UnitKind::Agency => HeadMsg::KindAgency,
    }
}

const KINDS: [UnitKind; 3] = [
    UnitKind::GrassrootsUnion,
    UnitKind::Enterprise,
    UnitKind::Agency,
];

fn token(session: Session) -> String {
    session
        .device
        .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
        .unwrap_or_default()
}

fn api_error(lang: Lang, e: &ApiError) -> String {
    match e {
        ApiError::Unreachable => th(lang, HeadMsg::NeedsNetwork).to_owned(),
        ApiError::Unauthorized(m)
        | ApiError::Server { message: m, .. }
        | ApiError::BadAnswer(m) => {
            format!("{}: {m}", th(lang, HeadMsg::Failed))
        }
    }
}

#[component]
pub fn ClusterPage(lang: Memo<Lang>) -> impl IntoView {
    (
        cluster_form(lang),
        units(lang),
        roles_form(lang),
        invites(lang),
        devices(lang),
    )
}

fn cluster_form(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let issuer = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let errs: head::Errs = RwSignal::new(Vec::new());
    let note: head::Note = RwSignal::new(None);
    // Fill the form from the record, and again if sync brings a newer one.
    let stored = Memo::new(move |_| session.doc.with(|d| d.get_cluster(&d.cluster).cloned()));
    Effect::new(move |_| {
        let c = stored.get();
        let c = c.as_ref();
        name.set(c.map(|c| c.name.clone()).unwrap_or_default());
        number.set(c.map(|c| c.decision.number.clone()).unwrap_or_default());
        date.set(c.map_or_else(String::new, |c| head::fmt_date(c.decision.date)));
        issuer.set(c.map(|c| c.decision.issuer.clone()).unwrap_or_default());
        year.set(
            c.map_or_else(|| chrono::Datelike::year(&head::today()), |c| c.year)
                .to_string(),
        );
    });
    let submit = move |()| {
        let mut bad = Vec::new();
        let day = head::date_in(&date.get_untracked(), "decision.date", &mut bad);
        let y = head::number_in(
            lang.get_untracked(),
            &year.get_untracked(),
            "year",
            &mut bad,
        );
        let body = Body::Cluster(Cluster {
            name: name.get_untracked().trim().to_owned(),
            decision: Decision {
                number: number.get_untracked().trim().to_owned(),
                date: day,
                issuer: issuer.get_untracked().trim().to_owned(),
            },
            year: i32::try_from(y).unwrap_or(0),
        });
        let id = session.doc.with_untracked(|d| d.cluster.clone());
        head::save_checked(session, id, body, bad, errs, note);
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::ClusterTitle)}
            {head::form(
                lang,
                vec![
                    F::Text("cluster-name", HeadMsg::ClusterName, name, "name", How::Text),
                    F::Text("cluster-decision", HeadMsg::DecisionNumber, number, "decision.number", How::Text),
                    F::Text("cluster-date", HeadMsg::DecisionDate, date, "decision.date", How::Date),
                    F::Text("cluster-issuer", HeadMsg::DecisionIssuer, issuer, "decision.issuer", How::Text),
                    F::Text("cluster-year", HeadMsg::Year, year, "year", How::Number),
                ],
                None,
                errs,
                note,
                HeadMsg::Save,
                Callback::new(submit),
            )}
        </section>
    }
}

fn units(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let editing = RwSignal::new(None::<RecordId>);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(kind_key(UnitKind::GrassrootsUnion).to_owned());
    let errs: head::Errs = RwSignal::new(Vec::new());
    let note: head::Note = RwSignal::new(None);
    let kinds = Signal::derive(move || {
        KINDS
            .map(|k| {
                (
                    kind_key(k).to_owned(),
                    th(lang.get(), kind_msg(k)).to_owned(),
                )
            })
            .to_vec()
    });
    let units = Memo::new(move |_| {
        session.doc.with(|d| {
            head::sorted(
                d.units().map(|(id, u)| {
                    let n = d.entries().filter(|(_, e)| &e.unit == id).count();
                    (id.clone(), u.clone(), n)
                }),
                |u| u.1.name.clone(),
                true,
                false,
            )
        })
    });
    let submit = move |()| {
        let k = KINDS
            .into_iter()
            .find(|k| kind_key(*k) == kind.get_untracked())
            .unwrap_or(UnitKind::GrassrootsUnion);
        let body = Body::Unit(Unit {
            name: name.get_untracked().trim().to_owned(),
            kind: k,
        });
        let Some(id) = editing.get_untracked().or_else(|| session.new_id()) else {
            return;
        };
        if head::save(session, id, body, errs, note) {
            name.set(String::new());
            editing.set(None);
        }
    };
    let rows = move || {
        let lg = lang.get();
        units
            .get()
            .into_iter()
            .map(|(id, u, entries)| {
                let (id2, u2) = (id.clone(), u.clone());
                view! {
                    <li class="entry">
                        <strong class="entry-title">{u.name.clone()}</strong>
                        <p class="meta">
                            {format!("{} · {}: {entries}", th(lg, kind_msg(u.kind)), th(lg, HeadMsg::EntriesCount))}
                        </p>
                        <div class="acts">
                            {btn(lang, "secondary", HeadMsg::Edit, None, Callback::new(move |()| {
                                name.set(u2.name.clone());
                                kind.set(kind_key(u2.kind).to_owned());
                                editing.set(Some(id2.clone()));
                                note.set(None);
                            }))}
                            {btn(lang, "secondary", HeadMsg::Delete, Some(Signal::stored(entries > 0)), Callback::new(move |()| {
                                let ok = window()
                                    .confirm_with_message(th(lg, HeadMsg::ConfirmDelete))
                                    .unwrap_or(false);
                                if ok {
                                    let _ = session.delete(&id);
                                    note.set(Some(HeadMsg::Deleted));
                                }
                            }))}
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::Units)}
            <ul class="entries" data-testid="units">{rows}</ul>
            {head::para(lang, "hint", HeadMsg::DeleteHint)}
            <h3>
                {move || th(lang.get(), if editing.with(Option::is_some) { HeadMsg::EditUnit } else { HeadMsg::AddUnit })}
            </h3>
            {head::form(
                lang,
                vec![
                    F::Text("unit-name", HeadMsg::UnitName, name, "name", How::Text),
                    F::Pick("unit-kind", HeadMsg::UnitKind, kinds, kind, "kind"),
                ],
                None,
                errs,
                note,
                HeadMsg::Save,
                Callback::new(submit),
            )}
        </section>
    }
}

fn roles_form(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let year = Memo::new(move |_| {
        session.doc.with(|d| {
            d.get_cluster(&d.cluster)
                .map_or_else(|| chrono::Datelike::year(&head::today()), |c| c.year)
        })
    });
    // The latest Roles record written for the year, if any.
    let stored = Memo::new(move |_| {
        let y = year.get();
        session.doc.with(|d| {
            d.roles()
                .filter(|(_, r)| r.year == y)
                .max_by_key(|(id, _)| d.get(*id).and_then(|r| r.winner()).map(|w| w.at))
                .map(|(id, r)| (id.clone(), r.clone()))
        })
    });
    let head_unit = RwSignal::new(String::new());
    let deputy = RwSignal::new(String::new());
    Effect::new(move |_| {
        let r = stored.get();
        head_unit.set(
            r.as_ref()
                .map(|(_, r)| r.head.to_string())
                .unwrap_or_default(),
        );
        deputy.set(
            r.and_then(|(_, r)| r.deputy.map(|d| d.to_string()))
                .unwrap_or_default(),
        );
    });
    let errs: head::Errs = RwSignal::new(Vec::new());
    let note: head::Note = RwSignal::new(None);
    let units = Signal::derive(move || session.doc.with(head::unit_options));
    let deputies = Signal::derive(move || {
        let mut o = vec![(String::new(), th(lang.get(), HeadMsg::NoDeputy).to_owned())];
        o.extend(units.get());
        o
    });
    let heads = Signal::derive(move || {
        let mut o = vec![(String::new(), "—".to_owned())];
        o.extend(units.get());
        o
    });
    let submit = move |()| {
        let Some(h) = head::id_of(&head_unit.get_untracked()) else {
            errs.set(vec![(
                "head",
                head::Bad::Core(thidua_core::Problem::Required),
            )]);
            return;
        };
        let body = Body::Roles(Roles {
            year: year.get_untracked(),
            head: h,
            deputy: head::id_of(&deputy.get_untracked()),
        });
        let Some(id) = stored
            .get_untracked()
            .map(|(id, _)| id)
            .or_else(|| session.new_id())
        else {
            return;
        };
        head::save(session, id, body, errs, note);
    };
    view! {
        <section class="card head">
            <h2>{move || format!("{} {}", th(lang.get(), HeadMsg::RolesTitle), year.get())}</h2>
            {head::para(lang, "hint", HeadMsg::RolesExplain)}
            {head::form(
                lang,
                vec![
                    F::Pick("roles-head", HeadMsg::HeadUnit, heads, head_unit, "head"),
                    F::Pick("roles-deputy", HeadMsg::DeputyUnit, deputies, deputy, "deputy"),
                ],
                None,
                errs,
                note,
                HeadMsg::Save,
                Callback::new(submit),
            )}
        </section>
    }
}

fn invites(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let online = platform::online_signal();
    let unit = RwSignal::new(String::new());
    let role = RwSignal::new("officer".to_owned());
    let made = RwSignal::new(None::<(Invite, String)>);
    let failed = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
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
                    Role::Head => "head",
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
        let u = unit.get_untracked();
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            match api::create_invite(&token(session), &u, r).await {
                Ok(invite) => {
                    let origin = window().location().origin().unwrap_or_default();
                    let link = format!("{origin}{}", invite.link);
                    made.set(Some((invite, link)));
                }
                Err(e) => failed.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // The new invite as HTML (read-only): who it is for, the code, the QR code, the link.
    let shown = move || {
        let lang = lang.get();
        made.get()
            .map(|(invite, link)| {
                let who = session.doc.with_untracked(|d| {
                    head::id_of(&invite.unit_id)
                        .map(|id| head::unit_name(d, &id))
                        .unwrap_or_default()
                });
                let qr = head::qr::svg(&link).unwrap_or_default();
                let link = head::esc(&link);
                format!(
                    "<p class=\"meta\">{} · {}</p><p class=\"code\" data-testid=\"invite-code\">{}</p>\
                     <div class=\"qr\">{}</div><a class=\"link\" href=\"{link}\" data-testid=\"invite-link\">{link}</a>\
                     <p class=\"hint\">{}</p>",
                    head::esc(&who),
                    role_name(lang, invite.role),
                    head::esc(&invite.code),
                    qr,
                    th(lang, HeadMsg::InviteExplain)
                )
            })
            .unwrap_or_default()
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::Invite)}
            {choice(lang, "invite-unit", HeadMsg::FilterUnit, units, unit, None)}
            {choice(lang, "invite-role", HeadMsg::InviteRole, roles, role, None)}
            {head::offline_note(lang, online)}
            {btn(lang, "primary", HeadMsg::MakeInvite, Some(Signal::derive(move || busy.get() || !online.get())), Callback::new(create))}
            <p class="error" role="alert">{move || failed.get().map(|e| api_error(lang.get(), &e))}</p>
            <div class="invite" data-testid="invite" inner_html=shown></div>
        </section>
    }
}

fn devices(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let online = platform::online_signal();
    let list = RwSignal::new(None::<Vec<DeviceInfo>>);
    let failed = RwSignal::new(None::<ApiError>);
    let load = move || {
        failed.set(None);
        leptos::task::spawn_local(async move {
            match api::devices(&token(session)).await {
                Ok(l) => list.set(Some(l)),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        if !window()
            .confirm_with_message(th(lang.get_untracked(), HeadMsg::ConfirmRevoke))
            .unwrap_or(false)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::revoke_device(&token(session), &id).await {
                Ok(()) => load(),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let me = session
        .device
        .with_untracked(|d| d.as_ref().map(|d| d.device_id.to_string()))
        .unwrap_or_default();
    let rows = move || {
        let lg = lang.get();
        list.get().map(|l| {
            l.into_iter()
                .map(|d| {
                    let unit = session.doc.with_untracked(|doc| {
                        head::id_of(&d.unit_id)
                            .map(|id| head::unit_name(doc, &id))
                            .unwrap_or_default()
                    });
                    let seen = d
                        .last_seen_at
                        .as_deref()
                        .or(Some(d.created_at.as_str()))
                        .map(|s| s.get(..10).unwrap_or(s).to_owned())
                        .and_then(|s| head::parse_date(&s))
                        .map(head::fmt_date)
                        .unwrap_or_default();
                    let meta = format!(
                        "{unit} · {} · {} {seen}",
                        role_name(lg, d.role),
                        th(lg, HeadMsg::LastSeen)
                    );
                    let revoked = d.revoked_at.is_some();
                    let mine = d.id == me;
                    let id = d.id.clone();
                    view! {
                        <li class="entry">
                            <div class="entry-head">
                                <strong class="entry-title">{d.name.clone()}</strong>
                                {revoked.then(|| view! { <span class="badge returned">{th(lg, HeadMsg::Revoked)}</span> })}
                            </div>
                            <p class="meta">{meta}</p>
                            {(!revoked && !mine).then(|| {
                                btn(lang, "secondary", HeadMsg::Revoke, None, Callback::new(move |()| revoke(id.clone())))
                            })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::Devices)}
            {head::offline_note(lang, online)}
            {btn(lang, "secondary", HeadMsg::LoadDevices, Some(Signal::derive(move || !online.get())), Callback::new(move |()| load()))}
            <p class="error" role="alert">{move || failed.get().map(|e| api_error(lang.get(), &e))}</p>
            <ul class="entries" data-testid="devices">{rows}</ul>
        </section>
    }
}
