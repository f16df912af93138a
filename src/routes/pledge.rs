//! Pledge: the unit registers its target for each criterion of a campaign and
//! its commitments in words (đăng ký thi đua / giao ước), and sees when the
//! cluster head has received them.

use std::collections::BTreeMap;

use leptos::prelude::*;
use thidua_core::{Body, Pledge, RecordId, Target};

use crate::components::{focus_first_invalid, Field, FormNotice};
use crate::i18n::{date, figure_error_text, group, problem_text, t, Msg};
use crate::lang::use_lang;
use crate::platform::today;
use crate::session::use_session;
use thidua_core::{parse_date, parse_figure, Criterion, FigureKind};

/// How a target of `criterion` is read: money when it is counted in đồng, else a count.
fn target_kind(criterion: &Criterion) -> FigureKind {
    let measure = criterion.unit_of_measure.to_lowercase();
    if ["đồng", "₫", "vnd", "triệu", "tỷ"]
        .iter()
        .any(|m| measure.contains(m))
    {
        FigureKind::Money
    } else {
        FigureKind::Count
    }
}

#[derive(Clone, Default, PartialEq)]
struct Form {
    targets: BTreeMap<String, String>,
    commitments: String,
    signed_on: String,
}

#[component]
pub fn PledgePage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let unit = Memo::new(move |_| {
        session
            .device
            .with(|d| d.as_ref().map(|d| d.unit_id.clone()))
    });
    let campaigns =
        Memo::new(move |_| session.doc.with(|doc| doc.campaigns_running_first(today())));
    let chosen = RwSignal::new(None::<RecordId>);
    let campaign = Memo::new(move |_| {
        let list = campaigns.get();
        let id = chosen
            .get()
            .or_else(|| list.first().map(|(id, _)| id.clone()))?;
        list.into_iter().find(|(i, _)| *i == id)
    });
    // The unit's existing pledge for that campaign, if any.
    let existing = Memo::new(move |_| {
        let (cid, _) = campaign.get()?;
        let unit = unit.get()?;
        session.doc.with(|doc| {
            doc.pledges()
                .find(|(_, p)| p.campaign == cid && p.unit == unit)
                .map(|(id, p)| (id.clone(), p.clone()))
        })
    });
    let form = RwSignal::new(Form::default());
    // Load the pledge (or blanks) whenever the campaign changes.
    Effect::new(move |_| {
        let pledge = existing.get_untracked();
        let _ = campaign.get();
        let sep = lang.get_untracked().group_sep();
        form.set(match pledge {
            Some((_, p)) => Form {
                targets: p
                    .targets
                    .iter()
                    .map(|t| {
                        (
                            t.criterion.clone(),
                            group(t.target.max(0.0).round() as u64, sep),
                        )
                    })
                    .collect(),
                commitments: p.commitments.clone(),
                signed_on: date(p.signed_on),
            },
            None => Form {
                signed_on: date(today()),
                ..Form::default()
            },
        });
    });
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let notice = RwSignal::new(None::<Msg>);
    let error_for = move |field: String| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()))
        })
    };

    let save = move || {
        let lang = lang.get_untracked();
        let (Some((cid, c)), Some(unit)) = (campaign.get_untracked(), unit.get_untracked()) else {
            return;
        };
        let f = form.get_untracked();
        // Every problem at once: the date, each target that does not read, then core's rules.
        let mut problems: Vec<(String, String)> = Vec::new();
        let signed_on = parse_date(&f.signed_on);
        if signed_on.is_none() {
            problems.push(("signed_on".into(), t(lang, Msg::DateFormat).into()));
        }
        let targets = c
            .criteria
            .iter()
            .filter_map(|cr| {
                let text = f.targets.get(&cr.id)?;
                let kind = target_kind(cr);
                match parse_figure(text, kind, lang) {
                    Ok(n) => n.map(|n| Target {
                        criterion: cr.id.clone(),
                        target: n as f64,
                    }),
                    Err(e) => {
                        problems.push((
                            format!("target-{}", cr.id),
                            figure_error_text(lang, &e, kind),
                        ));
                        None
                    }
                }
            })
            .collect();
        let body = Body::Pledge(Pledge {
            campaign: cid,
            unit,
            targets,
            commitments: f.commitments.trim().to_owned(),
            signed_on: signed_on.unwrap_or_else(today),
        });
        if let Err(found) = session
            .doc
            .with_untracked(|doc| thidua_core::validate(doc, &body))
        {
            for e in found {
                if !problems.iter().any(|(f, _)| f == e.field) {
                    problems.push((e.field.to_owned(), problem_text(lang, &e.problem)));
                }
            }
        }
        if !problems.is_empty() {
            errors.set(problems);
            notice.set(Some(Msg::FixErrors));
            focus_first_invalid();
            return;
        }
        let id = match existing.get_untracked() {
            Some((id, _)) => Some(id),
            None => session.new_id(),
        };
        let Some(id) = id else {
            return;
        };
        errors.set(Vec::new());
        notice.set(Some(match session.write(id, body) {
            Ok(()) => Msg::Saved,
            Err(_) => Msg::StorageFailed,
        }));
    };

    view! {
        <section class="card">
            <h2>{move || t(lang.get(), Msg::PledgeTitle)}</h2>
            <Show when=move || campaigns.with(|l| l.len() > 1)>
                <div class="chips" role="group">
                    {move || {
                        campaigns
                            .get()
                            .into_iter()
                            .map(|(id, c)| {
                                let pressed = {
                                    let id = id.clone();
                                    move || campaign.with(|x| x.as_ref().is_some_and(|(i, _)| *i == id)).to_string()
                                };
                                view! {
                                    <button type="button" class="chip" aria-pressed=pressed on:click=move |_| chosen.set(Some(id.clone()))>
                                        {c.title.clone()}
                                    </button>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </Show>
            {move || {
                campaign
                    .get()
                    .map(|(_, c)| {
                        let fields = c
                            .criteria
                            .iter()
                            .map(|cr| view! { <TargetField criterion=cr.clone() form=form errors=errors /> })
                            .collect_view();
                        view! {
                            <p class="meta">{format!("{} – {}", date(c.start), date(c.end))}</p>
                            <form class="form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                                <h3>{move || t(lang.get(), Msg::Target)}</h3>
                                {fields}
                                <Field
                                    id="pledge-commitments"
                                    label=Signal::derive(move || t(lang.get(), Msg::Commitments).to_owned())
                                    value=Signal::derive(move || form.with(|f| f.commitments.clone()))
                                    on_input=Callback::new(move |v| form.update(|f| f.commitments = v))
                                    error=error_for("commitments".into())
                                    multiline=true
                                />
                                <Field
                                    id="pledge-signed"
                                    label=Signal::derive(move || t(lang.get(), Msg::SignedOn).to_owned())
                                    value=Signal::derive(move || form.with(|f| f.signed_on.clone()))
                                    on_input=Callback::new(move |v| form.update(|f| f.signed_on = v))
                                    error=error_for("signed_on".into())
                                    numeric=true
                                    placeholder=Signal::derive(move || t(lang.get(), Msg::DatePlaceholder).to_owned())
                                />
                                <button type="submit" class="primary">{move || t(lang.get(), Msg::SavePledge)}</button>
                            </form>
                        }
                    })
            }}
            <FormNotice notice=notice testid="pledge-notice" />
            <Receipt existing=existing />
        </section>
    }
}

/// One criterion's target, kept as typed (core reads it when the pledge is saved).
#[component]
fn TargetField(
    criterion: Criterion,
    form: RwSignal<Form>,
    errors: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let Criterion {
        id: key,
        name,
        unit_of_measure: measure,
        points,
        ..
    } = criterion;
    let field = format!("target-{key}");
    let error_key = field.clone();
    let read_key = key.clone();
    view! {
        <Field
            id=field
            label=Signal::derive(move || {
                format!("{name} ({measure}) · {points} {}", t(lang.get(), Msg::Points))
            })
            value=Signal::derive(move || form.with(|f| f.targets.get(&read_key).cloned().unwrap_or_default()))
            on_input=Callback::new(move |v: String| {
                form.update(|f| {
                    f.targets.insert(key.clone(), v);
                })
            })
            error=Signal::derive(move || {
                errors.with(|e| e.iter().find(|(f, _)| *f == error_key).map(|(_, m)| m.clone()))
            })
            numeric=true
        />
    }
}

/// Whether the cluster head has the pledge: waiting to be sent, received at what time, or on
/// the server since before this device knew.
#[component]
fn Receipt(existing: Memo<Option<(RecordId, Pledge)>>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let receipt = move || {
        let lang = lang.get();
        let (id, _) = existing.get()?;
        session.outbox.with(|o| {
            Some(if o.dirty.contains(&id) {
                t(lang, Msg::PledgeWaiting).to_owned()
            } else if let Some(at) = o.pledges_received.get(&id) {
                let local = at.with_timezone(&chrono::Local);
                format!(
                    "{} {} {}",
                    t(lang, Msg::PledgeReceived),
                    local.format("%H:%M"),
                    date(local.date_naive())
                )
            } else {
                t(lang, Msg::PledgeOnServer).to_owned()
            })
        })
    };
    view! { <p class="hint" data-testid="pledge-receipt">{receipt}</p> }
}
