//! Campaigns (phong trào / đợt thi đua): the list, and one editor for a new
//! campaign (blank or from a template) or an existing one: title, occasion,
//! slogan, period and criteria with unit of measure, points and measure.

use leptos::prelude::*;
use thidua_core::{templates::templates, Body, Campaign, Criterion, Deadline, Measure, RecordId};

use crate::components::Field;
use crate::i18n::Lang;
use crate::i18n_board::{tb, BoardMsg};
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::routes::head::{self, btn, tx, How, Pick, Text, F};
use crate::routes::{use_router, Route};
use crate::session::use_session;

/// One criterion while it is edited.
#[derive(Clone)]
struct Crit {
    key: usize,
    id: String,
    name: RwSignal<String>,
    uom: RwSignal<String>,
    points: RwSignal<String>,
    /// Why the points typed here do not read, shown under this criterion's field.
    points_bad: RwSignal<Option<head::Bad>>,
    figure: RwSignal<bool>,
}

/// One reporting deadline while it is edited, with the errors of its two fields.
#[derive(Clone)]
struct Due {
    key: usize,
    name: RwSignal<String>,
    due: RwSignal<String>,
    name_bad: RwSignal<Option<head::Bad>>,
    due_bad: RwSignal<Option<head::Bad>>,
}

fn due_row(key: usize, name: &str, due: &str) -> Due {
    Due {
        key,
        name: RwSignal::new(name.to_owned()),
        due: RwSignal::new(due.to_owned()),
        name_bad: RwSignal::new(None),
        due_bad: RwSignal::new(None),
    }
}

fn crit(key: usize, c: &Criterion) -> Crit {
    Crit {
        key,
        id: c.id.clone(),
        name: RwSignal::new(c.name.clone()),
        uom: RwSignal::new(c.unit_of_measure.clone()),
        points: RwSignal::new(c.points.to_string()),
        points_bad: RwSignal::new(None),
        figure: RwSignal::new(c.measure == Measure::Figure),
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let router = use_router();
    let note: head::Note = RwSignal::new(None);
    let template = RwSignal::new(String::new());
    let tpl_opts = Signal::derive(move || {
        let mut o = vec![(String::new(), th(lang.get(), HeadMsg::Blank).to_owned())];
        o.extend(templates().into_iter().map(|t| {
            let title = if lang.get() == Lang::Vi {
                t.title_vi
            } else {
                t.title_en
            };
            (t.key, title)
        }));
        o
    });
    // Each campaign with how many records depend on it (only an unused one can go).
    let list = move || {
        session.doc.with(|d| {
            head::sorted(
                d.campaigns()
                    .map(|(id, c)| (id.clone(), c.clone(), d.dependents(id))),
                |c| head::day_key(c.1.start, c.0.as_str()),
                false,
                true,
            )
        })
    };
    let rows = move || {
        list()
            .into_iter()
            .map(|(id, c, used)| {
                let gone = id.clone();
                let meta = format!(
                    "{} – {} · {}: {}",
                    head::fmt_date(c.start),
                    head::fmt_date(c.end),
                    th(lang.get(), HeadMsg::CriteriaCount),
                    c.criteria.len()
                );
                view! {
                    <li class="entry">
                        <strong class="entry-title">{c.title}</strong>
                        <p class="meta">{meta}</p>
                        <div class="acts">
                            {btn(lang, "secondary", HeadMsg::Edit, None, Callback::new(move |()| {
                                router.go_with(Route::Campaigns, &format!("edit={id}"))
                            }))}
                            {btn(lang, "secondary", HeadMsg::Delete, Some(Signal::stored(used > 0)), Callback::new(move |()| {
                                let ok = window()
                                    .confirm_with_message(th(lang.get_untracked(), HeadMsg::ConfirmDeleteCampaign))
                                    .unwrap_or(false);
                                if ok && session.delete(&gone).is_ok() {
                                    note.set(Some(HeadMsg::Deleted));
                                }
                            }))}
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let screen = move || {
        match router.param("edit") {
        None => view! {
            <section class="card head">
                {head::title(lang, HeadMsg::CampaignsTitle)}
                {head::pick(lang, Pick { id: "campaign-template", label: HeadMsg::FromTemplate, options: tpl_opts, value: template, field: "" }, None)}
                {btn(lang, "primary", HeadMsg::NewCampaign, None, Callback::new(move |()| {
                    note.set(None);
                    router.go_with(Route::Campaigns, &format!("edit=new&tpl={}", template.get_untracked()));
                }))}
                {head::notice(lang, note)}
                <ul class="entries" data-testid="campaigns">{rows}</ul>
                {head::para(lang, "hint", HeadMsg::CampaignInUse)}
            </section>
        }
        .into_any(),
        Some(edit) => {
            let id = head::id_of(&edit).filter(|_| edit != "new");
            let start = match &id {
                Some(id) => session.doc.with_untracked(|d| d.get_campaign(id).cloned()),
                None => {
                    let key = router.param("tpl").unwrap_or_default();
                    Some(templates().into_iter().find(|t| t.key == key).map_or_else(
                        || Campaign {
                            title: String::new(),
                            occasion: String::new(),
                            slogan: String::new(),
                            start: head::today(),
                            end: head::today(),
                            criteria: Vec::new(),
                            deadlines: Vec::new(),
                        },
                        |t| t.campaign(head::today()),
                    ))
                }
            };
            match start {
                Some(c) => editor(lang, id, c, note).into_any(),
                None => head::para(lang, "hint", HeadMsg::NothingHere).into_any(),
            }
        }
    }
    };
    view! { {screen} }
}

fn editor(
    lang: Memo<Lang>,
    id: Option<RecordId>,
    campaign: Campaign,
    note: head::Note,
) -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let title = RwSignal::new(campaign.title);
    let occasion = RwSignal::new(campaign.occasion);
    let slogan = RwSignal::new(campaign.slogan);
    let start = RwSignal::new(head::fmt_date(campaign.start));
    let end = RwSignal::new(head::fmt_date(campaign.end));
    let next = StoredValue::new(campaign.criteria.len());
    let crits = RwSignal::new(
        campaign
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| crit(i, c))
            .collect::<Vec<_>>(),
    );
    let dues = RwSignal::new(
        campaign
            .deadlines
            .iter()
            .enumerate()
            .map(|(i, d)| due_row(i, &d.name, &head::fmt_date(d.due)))
            .collect::<Vec<_>>(),
    );
    let next_due = StoredValue::new(campaign.deadlines.len());
    let errs: head::Errs = RwSignal::new(Vec::new());
    let existing = id.is_some();

    let add = move |()| {
        let key = next.get_value();
        next.set_value(key + 1);
        // A criterion id unique in this campaign, kept across renames.
        let taken: Vec<String> = crits.with_untracked(|c| c.iter().map(|c| c.id.clone()).collect());
        let id = (key + 1..)
            .map(|n| format!("tc-{n}"))
            .find(|id| !taken.contains(id))
            .unwrap_or_default();
        crits.update(|c| {
            c.push(crit(
                key,
                &Criterion {
                    id,
                    name: String::new(),
                    unit_of_measure: String::new(),
                    points: 10,
                    measure: Measure::Entries,
                },
            ))
        });
    };

    let submit = move |()| {
        let lang = lang.get_untracked();
        let mut bad = Vec::new();
        let s = head::date_in(&start.get_untracked(), "start", &mut bad);
        let e = head::date_in(&end.get_untracked(), "end", &mut bad);
        let criteria: Vec<Criterion> = crits.with_untracked(|cs| {
            cs.iter()
                .map(|c| {
                    let mut mine = Vec::new();
                    let points = head::number_in(
                        lang,
                        &c.points.get_untracked(),
                        "criteria.points",
                        &mut mine,
                    );
                    c.points_bad.set(mine.first().map(|(_, b)| b.clone()));
                    bad.extend(mine);
                    Criterion {
                        id: c.id.clone(),
                        name: c.name.get_untracked().trim().to_owned(),
                        unit_of_measure: c.uom.get_untracked().trim().to_owned(),
                        points,
                        measure: if c.figure.get_untracked() {
                            Measure::Figure
                        } else {
                            Measure::Entries
                        },
                    }
                })
                .collect()
        });
        // Each deadline's date read on its own row; core's rules on them (a name, not before
        // the start) are put back on the rows they are about after validation.
        let deadlines: Vec<Deadline> = dues.with_untracked(|ds| {
            ds.iter()
                .map(|d| {
                    let mut mine = Vec::new();
                    let due = head::date_in(&d.due.get_untracked(), "deadlines.due", &mut mine);
                    d.due_bad.set(mine.first().map(|(_, b)| b.clone()));
                    d.name_bad.set(None);
                    bad.extend(mine);
                    Deadline {
                        name: d.name.get_untracked().trim().to_owned(),
                        due,
                    }
                })
                .collect()
        });
        let row_checks = (deadlines.clone(), s);
        let body = Body::Campaign(Campaign {
            title: title.get_untracked().trim().to_owned(),
            occasion: occasion.get_untracked().trim().to_owned(),
            slogan: slogan.get_untracked().trim().to_owned(),
            start: s,
            end: e,
            criteria,
            deadlines,
        });
        let (rid, new) = match id.clone() {
            Some(id) => (id, false),
            None => match session.new_id() {
                Some(id) => (id, true),
                None => return,
            },
        };
        let saved = head::save_checked(session, rid.clone(), body, bad, errs, note);
        if !saved {
            mark_deadlines(&row_checks.0, row_checks.1, dues, errs);
        }
        if saved && new {
            // Go on editing the saved campaign, keeping the notice (no new history entry).
            let query = format!("edit={rid}");
            if let Ok(history) = window().history() {
                let url = format!("{}?{query}", Route::Campaigns.path());
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            router.query.set(query);
        }
    };

    let crit_row = move |c: Crit| {
        let k = c.key;
        let figure = c.figure;
        let (points, points_bad, name, uom) = (c.points, c.points_bad, c.name, c.uom);
        view! {
            <li class="crit-edit">
                <Field
                    id=format!("crit-{k}-name")
                    label=head::label(lang, HeadMsg::CriterionName)
                    value=c.name
                    on_input=Callback::new(move |v| name.set(v))
                />
                <div class="two">
                    <Field
                        id=format!("crit-{k}-uom")
                        label=head::label(lang, HeadMsg::UnitOfMeasure)
                        value=c.uom
                        on_input=Callback::new(move |v| uom.set(v))
                    />
                    <Field
                        id=format!("crit-{k}-points")
                        label=head::label(lang, HeadMsg::Points)
                        value=points
                        on_input=Callback::new(move |v| { points_bad.set(None); points.set(v) })
                        error=Signal::derive(move || points_bad.with(|b| b.as_ref().map(|b| head::bad_text(lang.get(), b))))
                        numeric=true
                    />
                </div>
                <label class="pick">
                    <input
                        type="checkbox"
                        prop:checked=move || figure.get()
                        on:change=move |ev| figure.set(event_target_checked(&ev))
                    />
                    {tx(lang, HeadMsg::MeasureFigure)}
                </label>
                {btn(lang, "secondary", HeadMsg::RemoveCriterion, None, Callback::new(move |()| {
                    crits.update(|cs| cs.retain(|x| x.key != k))
                }))}
            </li>
        }
    };

    let add_due = move |()| {
        let key = next_due.get_value();
        next_due.set_value(key + 1);
        dues.update(|d| d.push(due_row(key, "", "")));
    };
    let due_view = move |d: Due| {
        let k = d.key;
        let (name, due, name_bad, due_bad) = (d.name, d.due, d.name_bad, d.due_bad);
        let bad_text = move |b: RwSignal<Option<head::Bad>>| {
            Signal::derive(move || b.with(|b| b.as_ref().map(|b| head::bad_text(lang.get(), b))))
        };
        view! {
            <li class="crit-edit" data-testid="deadline">
                <div class="two">
                    <Field
                        id=format!("deadline-{k}-name")
                        label=Signal::derive(move || tb(lang.get(), BoardMsg::DeadlineName).to_owned())
                        value=name
                        on_input=Callback::new(move |v| { name_bad.set(None); name.set(v) })
                        error=bad_text(name_bad)
                    />
                    <Field
                        id=format!("deadline-{k}-due")
                        label=Signal::derive(move || tb(lang.get(), BoardMsg::DeadlineDue).to_owned())
                        value=due
                        on_input=Callback::new(move |v| { due_bad.set(None); due.set(v) })
                        error=bad_text(due_bad)
                        placeholder=Signal::derive(|| "15/06/2024".to_owned())
                    />
                </div>
                <button type="button" class="secondary" on:click=move |_| dues.update(|ds| ds.retain(|x| x.key != k))>
                    {move || tb(lang.get(), BoardMsg::RemoveDeadline)}
                </button>
            </li>
        }
    };

    view! {
        <section class="card head">
            {head::title(lang, if existing { HeadMsg::EditCampaign } else { HeadMsg::NewCampaign })}
            {head::form(
                lang,
                vec![
                    F::Text(Text { id: "campaign-title", label: HeadMsg::CampaignTitle, value: title, field: "title", how: How::Text, shown: None }),
                    F::Text(Text { id: "campaign-occasion", label: HeadMsg::Occasion, value: occasion, field: "occasion", how: How::Text, shown: None }),
                    F::Text(Text { id: "campaign-slogan", label: HeadMsg::Slogan, value: slogan, field: "slogan", how: How::Text, shown: None }),
                    F::Text(Text { id: "campaign-start", label: HeadMsg::Start, value: start, field: "start", how: How::Date, shown: None }),
                    F::Text(Text { id: "campaign-end", label: HeadMsg::End, value: end, field: "end", how: How::Date, shown: None }),
                ],
                Some(view! {
                    <h3>{tx(lang, HeadMsg::Criteria)}</h3>
                    {head::para(lang, "hint", HeadMsg::MeasureExplain)}
                    <ul class="entries">
                        {move || crits.get().into_iter().map(crit_row).collect_view()}
                    </ul>
                    <p class="error" role="alert">
                        {move || errs.with(|e| head::err_text(lang.get(), e, "criteria"))}
                    </p>
                    {btn(lang, "secondary", HeadMsg::AddCriterion, None, Callback::new(add))}
                    <h3>{move || tb(lang.get(), BoardMsg::Deadlines)}</h3>
                    <p class="hint">{move || tb(lang.get(), BoardMsg::DeadlinesHint)}</p>
                    <ul class="entries" data-testid="deadlines">
                        {move || dues.get().into_iter().map(due_view).collect_view()}
                    </ul>
                    <button type="button" class="secondary" data-testid="add-deadline" on:click=move |_| add_due(())>
                        {move || tb(lang.get(), BoardMsg::AddDeadline)}
                    </button>
                }.into_any()),
                errs,
                note,
                HeadMsg::Save,
                Callback::new(submit),
            )}
            {btn(lang, "secondary", HeadMsg::Back, None, Callback::new(move |()| router.go(Route::Campaigns)))}
        </section>
    }
}

/// Puts core's refusals of the deadlines (a name is needed; not due before the campaign starts)
/// on the rows they are about, next to the field, as the rest of the form shows its errors.
fn mark_deadlines(
    deadlines: &[Deadline],
    start: chrono::NaiveDate,
    dues: RwSignal<Vec<Due>>,
    errs: head::Errs,
) {
    let found = errs.get_untracked();
    let problem = |field: &str| {
        found
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, b)| b.clone())
    };
    let (name_problem, due_problem) = (problem("deadlines.name"), problem("deadlines.due"));
    dues.with_untracked(|rows| {
        for (row, d) in rows.iter().zip(deadlines) {
            if d.name.is_empty() {
                row.name_bad.set(name_problem.clone());
            }
            if d.due < start && row.due_bad.get_untracked().is_none() {
                row.due_bad.set(due_problem.clone());
            }
        }
    });
}
