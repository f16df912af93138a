//! Pieces shared by the cluster head's screens (cluster, campaigns, review,
//! scoreboard, awards, summary): field helpers over the shared `Field` and
//! `Choice` components, saving with inline errors, campaign choice, dates,
//! numbers and a tombstone delete. Kept small: view code is download size.

pub mod qr;

use chrono::NaiveDate;
use leptos::prelude::*;
use thidua_core::{format, Body, Document, FieldError, FigureError, FigureKind, Problem, RecordId};

use crate::components::{Choice, Field};
use crate::i18n::{figure_error_text, problem_text, t, Lang, Msg};
use crate::i18n_head::{th, HeadMsg};
use crate::session::{Session, WriteError};

pub use crate::platform::today;
pub use thidua_core::parse_date;

/// What is wrong with a field: a rule of core, or text that does not read as
/// a date or a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Bad {
    Core(Problem),
    Date,
    Figure(FigureError),
}

/// The errors of one form, by field name (core's field paths).
pub type Errs = RwSignal<Vec<(&'static str, Bad)>>;

/// A short notice under a form ("Saved", "Fix the errors"…).
pub type Note = RwSignal<Option<HeadMsg>>;

pub fn bad_text(lang: Lang, bad: &Bad) -> String {
    match bad {
        Bad::Core(p) => problem_text(lang, p),
        Bad::Date => th(lang, HeadMsg::BadDate).to_owned(),
        Bad::Figure(e) => figure_error_text(lang, e, FigureKind::Count),
    }
}

/// The text of the first error of `field` (or of any field starting with it
/// and a dot, for lists such as `criteria`).
pub fn err_text(lang: Lang, errs: &[(&'static str, Bad)], field: &str) -> Option<String> {
    errs.iter()
        .find(|(f, _)| {
            *f == field
                || f.strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|(_, b)| bad_text(lang, b))
}

pub fn error_of(lang: Memo<Lang>, errs: Errs, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errs.with(|e| err_text(lang.get(), e, field)))
}

pub fn label(lang: Memo<Lang>, msg: HeadMsg) -> Signal<String> {
    Signal::derive(move || th(lang.get(), msg).to_owned())
}

/// How a text field is typed.
#[derive(Clone, Copy, PartialEq)]
pub enum How {
    Text,
    Number,
    Long,
    Date,
}

/// A text input of a head's form, by its named parts.
#[derive(Clone, Copy)]
pub struct Text {
    /// The element id (labels and tests find the field by it).
    pub id: &'static str,
    pub label: HeadMsg,
    pub value: RwSignal<String>,
    /// Core's path of the field (`decision.date`), under which its errors are filed.
    pub field: &'static str,
    pub how: How,
    /// Shown only while this is true (`None`: always).
    pub shown: Option<Signal<bool>>,
}

/// A select of a head's form, by its named parts.
#[derive(Clone, Copy)]
pub struct Pick {
    pub id: &'static str,
    pub label: HeadMsg,
    /// (value, label) pairs.
    pub options: Signal<Vec<(String, String)>>,
    pub value: RwSignal<String>,
    /// Core's path of the field, under which its errors are filed.
    pub field: &'static str,
}

/// One input of a [`form`].
pub enum F {
    Text(Text),
    Pick(Pick),
}

/// A labelled text field, with the error of its field next to it.
pub fn text(lang: Memo<Lang>, input: Text, errs: Errs) -> impl IntoView {
    let Text {
        id,
        label: msg,
        value,
        field,
        how,
        shown,
    } = input;
    move || {
        shown.is_none_or(|s| s.get()).then(|| {
            view! {
                <Field
                    id=id
                    label=label(lang, msg)
                    value=value
                    on_input=Callback::new(move |v| value.set(v))
                    error=error_of(lang, errs, field)
                    numeric=how == How::Number
                    multiline=how == How::Long
                    placeholder=Signal::derive(move || {
                        if how == How::Date { t(lang.get(), Msg::DatePlaceholder).to_owned() } else { String::new() }
                    })
                />
            }
        })
    }
}

/// A labelled select; errors of its field in `errs` (when given) go under it.
pub fn pick(lang: Memo<Lang>, input: Pick, errs: Option<Errs>) -> impl IntoView {
    let Pick {
        id,
        label: msg,
        options,
        value,
        field,
    } = input;
    view! {
        <Choice
            id=id
            label=label(lang, msg)
            options=options
            value=value
            on_change=Callback::new(move |v| value.set(v))
            error=Signal::derive(move || errs.and_then(|errs| errs.with(|e| err_text(lang.get(), e, field))))
        />
    }
}

fn input(lang: Memo<Lang>, f: F, errs: Errs) -> impl IntoView {
    use leptos::either::Either;
    match f {
        F::Text(t) => Either::Left(text(lang, t, errs)),
        F::Pick(p) => Either::Right(pick(lang, p, Some(errs))),
    }
}

/// A form built from a list of inputs (one compiled view for every form of
/// these screens), then `extra`, the submit button and the notice line.
pub fn form(
    lang: Memo<Lang>,
    inputs: Vec<F>,
    extra: Option<AnyView>,
    errs: Errs,
    note: Note,
    button: HeadMsg,
    on_submit: Callback<()>,
) -> impl IntoView {
    view! {
        <form
            class="form"
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit.run(());
            }
        >
            {inputs.into_iter().map(|f| input(lang, f, errs)).collect_view()}
            {extra}
            {submit(lang, button)}
            {notice(lang, note)}
        </form>
    }
}

/// A text of the catalogue that follows a language switch. One function for
/// every such text, so they all share one compiled view type.
pub fn tx(
    lang: Memo<Lang>,
    msg: HeadMsg,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || th(lang.get(), msg)
}

/// A button; `class` is `primary`, `secondary` or `approve`.
pub fn btn(
    lang: Memo<Lang>,
    class: &'static str,
    msg: HeadMsg,
    disabled: Option<Signal<bool>>,
    on: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=class
            disabled=move || disabled.is_some_and(|d| d.get())
            on:click=move |_| on.run(())
        >
            {tx(lang, msg)}
        </button>
    }
}

/// The submit button of a form.
pub fn submit(lang: Memo<Lang>, msg: HeadMsg) -> impl IntoView {
    view! { <button type="submit" class="primary">{tx(lang, msg)}</button> }
}

/// A paragraph of the catalogue (`class` is `hint`, `alert`…).
pub fn para(lang: Memo<Lang>, class: &'static str, msg: HeadMsg) -> impl IntoView {
    view! { <p class=class>{tx(lang, msg)}</p> }
}

/// The heading of a card.
pub fn title(lang: Memo<Lang>, msg: HeadMsg) -> impl IntoView {
    view! { <h2>{tx(lang, msg)}</h2> }
}

/// The line that says the device is offline, or nothing.
pub fn offline_note(lang: Memo<Lang>, online: ReadSignal<bool>) -> impl IntoView {
    move || {
        (!online.get())
            .then(|| view! { <p class="alert" role="alert">{tx(lang, HeadMsg::NeedsNetwork)}</p> })
    }
}

/// The notice line of a form.
pub fn notice(lang: Memo<Lang>, note: Note) -> impl IntoView {
    view! {
        <p class="notice" role="status" data-testid="head-notice">
            {move || note.get().map(|m| th(lang.get(), m))}
        </p>
    }
}

/// A notice that floats above the navigation bar, where the thumb is, so that it is read
/// whatever part of a long list the decision was made in; a tap closes it.
pub fn toast(lang: Memo<Lang>, note: Note) -> impl IntoView {
    view! {
        <div class="toast-area" role="status" aria-live="polite">
            {move || note.get().map(|m| view! {
                <button type="button" class="toast" data-testid="head-notice" on:click=move |_| note.set(None)>
                    <span>{move || th(lang.get(), m)}</span>
                    <span aria-hidden="true">" ✕"</span>
                </button>
            })}
        </div>
    }
}

/// Saves an edit through the session, or shows every problem of the form at once: `local`
/// holds what did not read (dates, numbers), and core's rules are checked on the rest, so the
/// head does not fix one field only to be told of the next. What was typed stays in the form;
/// the first problem gets the focus.
pub fn save_checked(
    session: Session,
    id: RecordId,
    body: Body,
    local: Vec<(&'static str, Bad)>,
    errs: Errs,
    note: Note,
) -> bool {
    let refused = |found: Vec<(&'static str, Bad)>| {
        errs.set(found);
        note.set(Some(HeadMsg::FixErrors));
        crate::components::focus_first_invalid();
        false
    };
    if !local.is_empty() {
        let mut all = local;
        if let Err(found) = session
            .doc
            .with_untracked(|d| thidua_core::validate(d, &body))
        {
            for (field, bad) in from_core(found) {
                if !all.iter().any(|(f, _)| *f == field) {
                    all.push((field, bad));
                }
            }
        }
        return refused(all);
    }
    match session.write(id, body) {
        Ok(()) => {
            errs.set(Vec::new());
            note.set(Some(if crate::platform::is_online() {
                HeadMsg::Saved
            } else {
                HeadMsg::SavedOffline
            }));
            true
        }
        Err(WriteError::Invalid(found)) => refused(from_core(found)),
        Err(WriteError::Storage(_)) => {
            note.set(Some(HeadMsg::StorageFailed));
            false
        }
        Err(WriteError::NotJoined) => false,
    }
}

/// [`save_checked`] of a form with nothing of its own to check.
pub fn save(session: Session, id: RecordId, body: Body, errs: Errs, note: Note) -> bool {
    save_checked(session, id, body, Vec::new(), errs, note)
}

pub fn from_core(found: Vec<FieldError>) -> Vec<(&'static str, Bad)> {
    found
        .into_iter()
        .map(|e| (e.field, Bad::Core(e.problem)))
        .collect()
}

pub fn manages(session: Session) -> bool {
    session.role.get().is_some_and(|r| r.manages_cluster())
}

/// Checks a date field; records the error if it does not read.
pub fn date_in(text: &str, field: &'static str, bad: &mut Vec<(&'static str, Bad)>) -> NaiveDate {
    parse_date(text).unwrap_or_else(|| {
        bad.push((field, Bad::Date));
        today()
    })
}

/// Checks a whole-number field (empty is 0); records why if it does not read, and never
/// reads `1,5` as 15 or `-2` as 2.
pub fn number_in(
    lang: Lang,
    text: &str,
    field: &'static str,
    bad: &mut Vec<(&'static str, Bad)>,
) -> u32 {
    match thidua_core::parse_figure(text, FigureKind::Count, lang) {
        Ok(n) => match u32::try_from(n.unwrap_or(0)) {
            Ok(n) => n,
            Err(_) => {
                bad.push((field, Bad::Figure(FigureError::TooLarge)));
                0
            }
        },
        Err(e) => {
            bad.push((field, Bad::Figure(e)));
            0
        }
    }
}

pub fn fmt_date(d: NaiveDate) -> String {
    format::date(d)
}

/// A decimal score or amount: `17,75` / `17.75`.
pub fn dec(x: f64, lang: Lang) -> String {
    format::decimal(x, 2, lang)
}

pub fn unit_name(doc: &Document, id: &RecordId) -> String {
    doc.get_unit(id)
        .map_or_else(|| id.to_string(), |u| u.name.clone())
}

/// Member units as (id, name), in Vietnamese alphabetical order.
pub fn unit_options(doc: &Document) -> Vec<(String, String)> {
    sorted(
        doc.member_units()
            .map(|(id, u)| (id.to_string(), u.name.clone())),
        |u| u.1.clone(),
        true,
        false,
    )
}

/// `items` in the order of their keys: names in Vietnamese alphabetical
/// order, other keys (see [`day_key`]) as plain text; `desc` reverses. Every
/// list sorts through here: each `sort_by` compiles a whole sort routine.
pub fn sorted<T>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> String,
    names: bool,
    desc: bool,
) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let mut keys: Vec<(String, usize)> = slots
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((key(t.as_ref()?), i)))
        .collect();
    sort_keys(&mut keys, names, desc);
    keys.into_iter()
        .filter_map(|(_, i)| slots.get_mut(i)?.take())
        .collect()
}

fn sort_keys(keys: &mut [(String, usize)], names: bool, desc: bool) {
    thidua_core::order::sort_by(keys, |a, b| {
        let o = if names {
            format::vi_cmp(&a.0, &b.0)
        } else {
            a.0.cmp(&b.0)
        };
        if desc {
            o.reverse()
        } else {
            o
        }
    });
}

/// A date as a key that sorts as text, then `tie` (e.g. a record id).
pub fn day_key(d: NaiveDate, tie: &str) -> String {
    use chrono::Datelike;
    format!("{:04}{:02}{:02}{tie}", d.year(), d.month(), d.day())
}

/// Campaigns as (id, title), the latest start first.
pub fn campaign_options(doc: &Document) -> Vec<(String, String)> {
    sorted(
        doc.campaigns()
            .map(|(id, c)| (id.to_string(), c.title.clone(), c.start)),
        |c| day_key(c.2, &c.0),
        false,
        true,
    )
    .into_iter()
    .map(|(id, title, _)| (id, title))
    .collect()
}

/// The campaign to show first: of those running today the one with the most
/// results, else the latest.
pub fn default_campaign(doc: &Document) -> String {
    let today = today();
    doc.campaigns()
        .filter(|(_, c)| c.contains(today))
        .max_by_key(|(id, c)| {
            (
                doc.entries().filter(|(_, e)| &e.campaign == *id).count(),
                c.start,
            )
        })
        .map(|(id, _)| id.to_string())
        .or_else(|| campaign_options(doc).into_iter().next().map(|(id, _)| id))
        .unwrap_or_default()
}

/// A campaign picker: the chosen id, following the document until the user picks.
pub fn campaign_picker(session: Session, lang: Memo<Lang>) -> (RwSignal<String>, impl IntoView) {
    let chosen = RwSignal::new(session.doc.with_untracked(default_campaign));
    // A campaign that arrives by sync (or the chosen one deleted) moves the choice.
    Effect::new(move |_| {
        let ok = session.doc.with(|doc| {
            RecordId::new(chosen.get_untracked())
                .ok()
                .is_some_and(|id| doc.get_campaign(&id).is_some())
        });
        if !ok {
            let first = session.doc.with(default_campaign);
            if !first.is_empty() {
                chosen.set(first);
            }
        }
    });
    let options = Signal::derive(move || session.doc.with(campaign_options));
    let view = move || {
        options.with(|o| o.len() > 1).then(|| {
            pick(
                lang,
                Pick {
                    id: "head-campaign",
                    label: HeadMsg::Campaign,
                    options,
                    value: chosen,
                    field: "campaign",
                },
                None,
            )
        })
    };
    (chosen, view)
}

pub fn id_of(text: &str) -> Option<RecordId> {
    RecordId::new(text).ok()
}

/// An SVG bar filling `width` (0–1) of the line, as HTML; `mark` draws the
/// 100 % line of a target that counts up to 120 %.
pub fn bar(width: f64, mark: bool) -> String {
    format!(
        "<svg class=\"hbar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">\
         <rect class=\"track\" width=\"100\" height=\"10\"/><rect class=\"fill\" width=\"{}\" height=\"10\"/>{}</svg>",
        (width.clamp(0.0, 1.0) * 100.0).round(),
        if mark { "<line x1=\"83.3\" x2=\"83.3\" y1=\"0\" y2=\"10\"/>" } else { "" }
    )
}

/// Text made safe to put into HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
