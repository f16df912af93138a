//! The cluster: its name and establishing decision, the member units, this
//! year's head and deputy; then who may come in (`access`): invite links with a QR code for
//! each unit, their uses, and the devices that joined, with removing. Edits work offline;
//! links and devices need the network and say so.

pub mod access;

use leptos::prelude::*;
use thidua_core::{Body, Cluster, Decision, RecordId, Roles, Unit, UnitKind};

use crate::i18n::Lang;
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::routes::head::{self, btn, How, Pick, Text, F};
use crate::session::use_session;

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

#[component]
pub fn ClusterPage() -> impl IntoView {
    let lang = use_lang();
    (
        cluster_form(lang),
        units(lang),
        roles_form(lang),
        view! { <access::Access /> },
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
            // Units moved away by the board stay former units.
            former_units: session.doc.with_untracked(|d| {
                d.get_cluster(&d.cluster)
                    .map(|c| c.former_units.clone())
                    .unwrap_or_default()
            }),
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
                    F::Text(Text { id: "cluster-name", label: HeadMsg::ClusterName, value: name, field: "name", how: How::Text, shown: None }),
                    F::Text(Text { id: "cluster-decision", label: HeadMsg::DecisionNumber, value: number, field: "decision.number", how: How::Text, shown: None }),
                    F::Text(Text { id: "cluster-date", label: HeadMsg::DecisionDate, value: date, field: "decision.date", how: How::Date, shown: None }),
                    F::Text(Text { id: "cluster-issuer", label: HeadMsg::DecisionIssuer, value: issuer, field: "decision.issuer", how: How::Text, shown: None }),
                    F::Text(Text { id: "cluster-year", label: HeadMsg::Year, value: year, field: "year", how: How::Number, shown: None }),
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
                d.member_units().map(|(id, u)| {
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
                    F::Text(Text { id: "unit-name", label: HeadMsg::UnitName, value: name, field: "name", how: How::Text, shown: None }),
                    F::Pick(Pick { id: "unit-kind", label: HeadMsg::UnitKind, options: kinds, value: kind, field: "kind" }),
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
                    F::Pick(Pick { id: "roles-head", label: HeadMsg::HeadUnit, options: heads, value: head_unit, field: "head" }),
                    F::Pick(Pick { id: "roles-deputy", label: HeadMsg::DeputyUnit, options: deputies, value: deputy, field: "deputy" }),
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
