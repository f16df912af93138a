//! Reporting a result in seconds, one-thumbed: pick the kind from big buttons, fill only what
//! that kind needs, save. What is typed is on the device at every keystroke; saving works
//! offline. The same form writes four things, and always says which:
//! - a new report (`/report`), whose half-typed form waits for the officer's return;
//! - a draft the officer chose to open (`/report?draft=KEY`); edits go into that draft;
//! - the correction of a returned result (`/report?correct=ID`), saved once as a new result;
//! - the fix of a sent result the head has not reviewed yet (`/report?edit=ID`).

mod drafts;
mod fields;

use leptos::prelude::*;
use thidua_core::{
    not_in_future, parse_date, parse_figure, Body, Entry, EntryDetails, EntryKind, EntryStatus,
    FieldError, RecordId,
};

use crate::components::{focus_first_invalid, FormNotice};
use crate::i18n::{date, figure_error_text, group, problem_text, t, Lang, Msg};
use crate::platform::today;
use crate::routes::{use_router, Route};
use crate::session::{use_session, Session, WriteError};
use crate::storage::{self, EntryDraft};

use crate::lang::use_lang;
use drafts::DraftList;
use fields::{EntryFields, KindPicker};

/// What the form is writing.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    New,
    Draft(String),
    Correct(RecordId),
    Edit(RecordId),
}

impl Mode {
    fn from_router() -> Memo<Mode> {
        let router = use_router();
        Memo::new(move |_| {
            let id = |name| router.param(name).and_then(|v| RecordId::new(v).ok());
            if let Some(id) = id("correct") {
                Mode::Correct(id)
            } else if let Some(id) = id("edit") {
                Mode::Edit(id)
            } else if let Some(key) = router.param("draft").filter(|k| !k.is_empty()) {
                Mode::Draft(key)
            } else {
                Mode::New
            }
        })
    }
}

/// The form and its errors, shared by the report screen's parts. Every change goes through
/// [`ReportForm::update`], which stores it where its mode keeps it at once (not in an effect
/// that may never run once the screen is gone).
#[derive(Clone, Copy)]
pub struct ReportForm {
    pub form: RwSignal<EntryDraft>,
    pub drafts: RwSignal<Vec<EntryDraft>>,
    /// Problems by form field (`amount`, `date`, …), in the user's words.
    pub errors: RwSignal<Vec<(String, String)>>,
    pub mode: Memo<Mode>,
    pub lang: Memo<Lang>,
    /// The officer came back to a report left half-typed: decided when the form opens, not
    /// at every keystroke of the report being typed now.
    pub resumed: RwSignal<bool>,
    session: Session,
}

impl ReportForm {
    pub fn update(&self, change: impl FnOnce(&mut EntryDraft)) {
        self.form.update(change);
        self.store();
    }

    /// Stores the form where its mode keeps it.
    fn store(&self) {
        let form = self.form.get_untracked();
        let saved = match self.mode.get_untracked() {
            Mode::New => storage::save_form(&form),
            Mode::Draft(key) => {
                self.drafts.update(|list| {
                    if let Some(d) = list.iter_mut().find(|d| d.key == key) {
                        *d = EntryDraft {
                            saved_at: Some(chrono::Utc::now()),
                            ..form
                        };
                    }
                });
                storage::save_drafts(&self.drafts.get_untracked())
            }
            Mode::Correct(_) | Mode::Edit(_) => storage::save_edit_form(&form),
        };
        self.session.remember(saved);
    }

    pub fn error_for(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()))
        })
    }

    /// Sets or clears the problem of one field.
    pub fn set_error(&self, field: &str, why: Option<String>) {
        self.errors.update(|e| {
            e.retain(|(f, _)| f != field);
            if let Some(why) = why {
                e.push((field.to_owned(), why));
            }
        });
    }
}

pub fn use_report_form() -> ReportForm {
    expect_context::<ReportForm>()
}

/// The form's fields from an existing entry (for "repeat last", corrections and fixes).
pub fn fill_from(d: &mut EntryDraft, e: &Entry, lang: Lang) {
    d.campaign = e.campaign.to_string();
    d.criterion = e.criterion.clone().unwrap_or_default();
    d.kind = Some(e.details.kind());
    d.title = e.title.clone();
    d.description = e.description.clone();
    d.files = e.files.clone();
    d.amount = e
        .details
        .figure()
        .map(|n| group(n, lang.group_sep()))
        .unwrap_or_default();
    d.items.clear();
    d.item_count.clear();
    d.nominee.clear();
    match &e.details {
        EntryDetails::Donation {
            items, item_count, ..
        } => {
            d.items = items.clone();
            d.item_count = if *item_count > 0 {
                group(u64::from(*item_count), lang.group_sep())
            } else {
                String::new()
            };
        }
        EntryDetails::AdvancedExample {
            nominee,
            collective,
        } => {
            d.nominee = nominee.clone();
            d.collective = *collective;
        }
        _ => {}
    }
}

/// The form as it starts in `mode`: a new report's form as the officer left it, the chosen
/// draft, or the entry being corrected or fixed (with what was already typed into it).
fn form_for(mode: &Mode, drafts: &[EntryDraft], lang: Lang) -> (EntryDraft, Option<Msg>) {
    let session = use_session();
    let entry = |id: &RecordId| session.doc.with_untracked(|d| d.get_entry(id).cloned());
    let mut form = match mode {
        Mode::New => storage::load_form(),
        Mode::Draft(key) => match drafts.iter().find(|d| &d.key == key) {
            Some(d) => d.clone(),
            None => return (storage::load_form(), Some(Msg::DraftMissing)),
        },
        Mode::Correct(id) | Mode::Edit(id) => {
            match storage::load_edit_form(id, matches!(mode, Mode::Edit(_))) {
                Some(f) => f,
                None => {
                    let Some(e) = entry(id) else {
                        return (storage::load_form(), Some(Msg::EntryMissing));
                    };
                    let mut f = EntryDraft::default();
                    fill_from(&mut f, &e, lang);
                    f.date = date(e.date);
                    if matches!(mode, Mode::Correct(_)) {
                        f.corrects = Some(id.clone());
                    } else {
                        // A fix keeps what the result was: a correction stays one.
                        f.corrects = e.corrects.clone();
                        f.edits = Some(id.clone());
                    }
                    f
                }
            }
        }
    };
    // A form opened afresh with nothing typed starts from today.
    if form.date.is_empty() || (mode == &Mode::New && form.is_blank()) {
        form.date = date(today());
    }
    (form, None)
}

/// Why a form does not make an entry: the problems by form field.
type Problems = Vec<(String, String)>;

/// Where a problem found by core is shown in this form.
fn form_field(core_field: &str) -> &str {
    match core_field {
        "details.value_vnd" | "details.participants" | "details.money_vnd" | "details.count" => {
            "amount"
        }
        "details.items" => "items",
        "details.item_count" => "item_count",
        "details.nominee" => "nominee",
        other => other,
    }
}

/// Reads the form into an entry of `unit`, or says every problem at once: what does not read
/// (date, figures), what is in the future, and what core's rules refuse.
fn read_form(
    f: &EntryDraft,
    unit: &RecordId,
    lang: Lang,
    doc: &thidua_core::Document,
) -> Result<Entry, Problems> {
    let mut problems: Problems = Vec::new();
    let mut say = |field: &str, text: String| {
        if !problems.iter().any(|(f, _)| f == field) {
            problems.push((field.to_owned(), text));
        }
    };
    let kind = f.kind.unwrap_or(EntryKind::Other);
    let day = parse_date(&f.date);
    match day {
        None => say("date", t(lang, Msg::DateFormat).to_owned()),
        Some(d) => {
            if let Some(e) = not_in_future("date", d, today()) {
                say("date", problem_text(lang, &e.problem));
            }
        }
    }
    let campaign = RecordId::new(f.campaign.clone()).ok();
    if campaign.is_none() {
        say("campaign", t(lang, Msg::ChooseCampaign).to_owned());
    }
    let mut figure = |field: &str, text: &str, as_kind| match parse_figure(text, as_kind, lang) {
        Ok(n) => n.unwrap_or(0),
        Err(e) => {
            say(field, figure_error_text(lang, &e, as_kind));
            0
        }
    };
    let amount = kind
        .figure_kind()
        .map_or(0, |k| figure("amount", &f.amount, k));
    let item_count = if kind == EntryKind::Donation {
        figure("item_count", &f.item_count, thidua_core::FigureKind::Count)
    } else {
        0
    };
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let details = match kind {
        EntryKind::Initiative => EntryDetails::Initiative { value_vnd: amount },
        EntryKind::Research => EntryDetails::Research { value_vnd: amount },
        EntryKind::Work => EntryDetails::Work,
        EntryKind::Training => EntryDetails::Training {
            participants: small(amount),
        },
        EntryKind::Donation => EntryDetails::Donation {
            money_vnd: amount,
            items: f.items.trim().to_owned(),
            item_count: small(item_count),
        },
        EntryKind::Trees => EntryDetails::Trees {
            count: small(amount),
        },
        EntryKind::Event => EntryDetails::Event {
            participants: small(amount),
        },
        EntryKind::Model => EntryDetails::Model,
        EntryKind::AdvancedExample => EntryDetails::AdvancedExample {
            nominee: f.nominee.trim().to_owned(),
            collective: f.collective,
        },
        EntryKind::Other => EntryDetails::Other,
    };
    let entry = Entry {
        unit: unit.clone(),
        campaign: campaign.clone().unwrap_or_else(|| doc.cluster.clone()),
        criterion: (!f.criterion.is_empty()).then(|| f.criterion.clone()),
        date: day.unwrap_or_else(today),
        title: f.title.trim().to_owned(),
        description: f.description.trim().to_owned(),
        details,
        corrects: f.corrects.clone(),
        files: f.files.clone(),
    };
    if let Err(found) = thidua_core::validate(doc, &Body::Entry(entry.clone())) {
        add_core_problems(&mut problems, &found, lang);
    }
    if problems.is_empty() {
        Ok(entry)
    } else {
        Err(problems)
    }
}

/// Core's problems, each under its form field unless that field already has one of the form's.
fn add_core_problems(problems: &mut Problems, found: &[FieldError], lang: Lang) {
    for e in found {
        let field = form_field(e.field);
        if !problems.iter().any(|(f, _)| f == field) {
            problems.push((field.to_owned(), problem_text(lang, &e.problem)));
        }
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let router = use_router();
    let mode = Mode::from_router();
    let drafts = RwSignal::new(storage::load_drafts());
    let first = form_for(
        &mode.get_untracked(),
        &drafts.get_untracked(),
        lang.get_untracked(),
    );
    let state = ReportForm {
        resumed: RwSignal::new(!first.0.is_blank()),
        form: RwSignal::new(first.0),
        drafts,
        errors: RwSignal::new(Vec::new()),
        mode,
        lang,
        session,
    };
    provide_context(state);
    let notice = RwSignal::new(first.1);
    // Another mode chosen while on this screen (a draft opened from the list below, a new
    // report after a draft is saved): its own form.
    Effect::new(move |previous: Option<Mode>| {
        let now = mode.get();
        if previous.is_some_and(|p| p != now) {
            let (form, said) = form_for(&now, &drafts.get_untracked(), lang.get_untracked());
            state.resumed.set(!form.is_blank());
            state.form.set(form);
            state.errors.set(Vec::new());
            if said.is_some() {
                notice.set(said);
            }
        }
        now
    });

    // The campaigns this unit reports to; the running one first.
    let campaigns =
        Memo::new(move |_| session.doc.with(|doc| doc.campaigns_running_first(today())));
    // A form with no campaign yet takes the running one.
    Effect::new(move |_| {
        let first = campaigns.with(|l| l.first().map(|(id, _)| id.to_string()));
        if let Some(first) = first {
            if state.form.with_untracked(|f| f.campaign.is_empty()) {
                state.update(|f| f.campaign = first);
            }
        }
    });

    let save = move || {
        notice.set(None);
        let lang = lang.get_untracked();
        let f = state.form.get_untracked();
        let Some(device) = session.device.get_untracked() else {
            return;
        };
        if f.kind.is_none() {
            return;
        }
        let read = session
            .doc
            .with_untracked(|doc| read_form(&f, &device.unit_id, lang, doc));
        let entry = match read {
            Ok(entry) => entry,
            Err(problems) => {
                state.errors.set(problems);
                notice.set(Some(Msg::FixErrors));
                focus_first_invalid();
                return;
            }
        };
        let current = mode.get_untracked();
        // A fix replaces the sent version; everything else is a new result.
        let id = match &current {
            Mode::Edit(id) => Some(id.clone()),
            _ => session.new_id(),
        };
        let Some(id) = id else {
            return;
        };
        match session.write(id, Body::Entry(entry)) {
            Ok(()) | Err(WriteError::Storage(_)) => {
                state.errors.set(Vec::new());
                notice.set(Some(if session.storage_error.get_untracked().is_some() {
                    Msg::SavedNotStored
                } else if crate::platform::is_online() {
                    Msg::SavedSending
                } else {
                    Msg::SavedOffline
                }));
                match current {
                    Mode::New => {
                        state.update(|form| *form = f.next_report());
                    }
                    Mode::Draft(key) => {
                        // The draft is now a result: it leaves the list, and the form goes
                        // back to the new report the officer may have left half-typed.
                        drafts.update(|list| list.retain(|d| d.key != key));
                        session.remember(storage::save_drafts(&drafts.get_untracked()));
                        router.go(Route::Report);
                    }
                    Mode::Correct(_) | Mode::Edit(_) => {
                        storage::clear_edit_form();
                        router.go(Route::Entries);
                    }
                }
            }
            Err(WriteError::Invalid(found)) => {
                let mut problems = Vec::new();
                add_core_problems(&mut problems, &found, lang);
                state.errors.set(problems);
                notice.set(Some(Msg::FixErrors));
                focus_first_invalid();
            }
            Err(WriteError::NotJoined) => {}
        }
    };

    let keep_draft = move |_| {
        let mut f = state.form.get_untracked();
        if let Mode::Draft(key) = mode.get_untracked() {
            // Already kept at every keystroke: closing it is all that is left.
            f.key = key;
        } else {
            f.key = format!("d{}", js_sys::Date::now() as u64);
            f.saved_at = Some(chrono::Utc::now());
            drafts.update(|list| list.insert(0, f.clone()));
            session.remember(storage::save_drafts(&drafts.get_untracked()));
            state.update(|form| *form = f.next_report());
        }
        state.errors.set(Vec::new());
        notice.set(Some(Msg::DraftKept));
        if mode.with_untracked(|m| m != &Mode::New) {
            router.go(Route::Report);
        }
    };

    // Leaves a correction or fix without saving: nothing of it is kept.
    let cancel = move |_| {
        storage::clear_edit_form();
        state.errors.set(Vec::new());
        router.go(Route::Entries);
    };
    let start_over = move |_| {
        state.update(|f| {
            *f = EntryDraft {
                campaign: f.campaign.clone(),
                date: date(today()),
                ..EntryDraft::default()
            }
        });
        state.errors.set(Vec::new());
        notice.set(None);
    };

    let has_kind = move || state.form.with(|f| f.kind.is_some());
    let no_campaign = move || campaigns.with(Vec::is_empty);
    let editing = move || matches!(mode.get(), Mode::Correct(_) | Mode::Edit(_));
    view! {
        <section class="card" data-testid="report">
            <FormHeading />
            <Show when=move || !no_campaign() fallback=move || view! { <p class="hint">{move || t(lang.get(), Msg::NoCampaign)}</p> }>
                <KindPicker />
            </Show>
            <Show when=move || has_kind() && !no_campaign()>
                <form
                    id="report-form"
                    class="form"
                    novalidate
                    on:submit=move |ev| { ev.prevent_default(); save(); }
                >
                    <EntryFields campaigns=campaigns />
                    <button type="submit" class="primary">{move || t(lang.get(), Msg::Save)}</button>
                    <FormNotice notice=notice testid="report-notice" />
                    <Show when=move || !editing()>
                        <button type="button" class="secondary wide" on:click=keep_draft>
                            {move || t(lang.get(), if matches!(mode.get(), Mode::Draft(_)) { Msg::CloseDraft } else { Msg::KeepDraft })}
                        </button>
                    </Show>
                    <Show when=editing>
                        <button type="button" class="secondary wide" data-testid="cancel-edit" on:click=cancel>
                            {move || t(lang.get(), Msg::CancelEdit)}
                        </button>
                    </Show>
                    <Show when=move || mode.get() == Mode::New && !state.form.with(EntryDraft::is_blank)>
                        <button type="button" class="secondary wide" on:click=start_over>
                            {move || t(lang.get(), Msg::StartOver)}
                        </button>
                    </Show>
                </form>
            </Show>
            <Show when=move || !has_kind() || no_campaign()>
                <FormNotice notice=notice testid="report-notice" />
            </Show>
        </section>
        <DraftList />
    }
}

/// Says what the form is writing: a new report, which draft, or which result it corrects or
/// fixes, with the head's reason when it was returned.
#[component]
fn FormHeading() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let state = use_report_form();
    let heading = move || {
        let lang = lang.get();
        match state.mode.get() {
            Mode::New => t(lang, Msg::NewEntry).to_owned(),
            Mode::Draft(_) => {
                let title = state.form.with(|f| f.title.trim().to_owned());
                let title = if title.is_empty() {
                    t(lang, Msg::Untitled).to_owned()
                } else {
                    title
                };
                format!("{}: {title}", t(lang, Msg::DraftHeading))
            }
            Mode::Correct(_) => t(lang, Msg::CorrectHeading).to_owned(),
            Mode::Edit(_) => t(lang, Msg::EditHeading).to_owned(),
        }
    };
    let explain = move || match state.mode.get() {
        Mode::New => state.resumed.get().then_some(Msg::ResumeExplain),
        Mode::Draft(_) => Some(Msg::DraftExplain),
        Mode::Correct(_) => Some(Msg::Correcting),
        Mode::Edit(_) => Some(Msg::EditExplain),
    };
    // The head's reason, where the officer reads it while correcting.
    let reason = move || match state.mode.get() {
        Mode::Correct(id) => session.doc.with(|doc| match doc.entry_status(&id) {
            EntryStatus::Returned { reason } => Some(reason),
            _ => None,
        }),
        _ => None,
    };
    view! {
        <h2 data-testid="report-heading">{heading}</h2>
        {move || reason().map(|why| view! {
            <div class="returned-reason" data-testid="return-reason">
                <strong>{move || t(lang.get(), Msg::ReturnReasonLabel)}</strong>
                <p>{why}</p>
            </div>
        })}
        {move || explain().map(|m| view! { <p class="hint" data-testid="report-mode">{move || t(lang.get(), m)}</p> })}
    }
}
