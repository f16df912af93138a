//! The scoreboard, read by every member: per unit and criterion what was
//! pledged, approved and scored, the total and rank, bar charts of progress,
//! and the scoring rule. The head and deputy freeze a dated review session
//! (6-month or annual); past sessions show exactly what was frozen.

use leptos::prelude::*;

use thidua_core::{
    snapshot_session, Body, Criterion, Document, RecordId, ScoreRow, SessionKind, UnitId,
};

use crate::i18n::Lang;
use crate::i18n_head::{th, HeadMsg};
use crate::lang::use_lang;
use crate::routes::head::{self, dec, tx, How, Pick, Text, F};
use crate::session::use_session;

pub fn session_name(kind: SessionKind) -> HeadMsg {
    match kind {
        SessionKind::SixMonth => HeadMsg::SixMonth,
        SessionKind::Annual => HeadMsg::Annual,
    }
}

/// HTML made of markup literals and escaped text only, for the read-only screens (scoreboard,
/// summary): a string is far smaller in the wasm than view code, and since [`Html::raw`] takes
/// nothing but `&'static str` and everything else goes through [`Html::text`], no name, title
/// or reason a user typed can become markup.
#[derive(Default)]
pub struct Html(String);

impl Html {
    // Not inlined: the screens call these a hundred times, and each inlined copy is download size.
    /// Markup: string literals only.
    #[inline(never)]
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped; also safe inside a quoted attribute value.
    #[inline(never)]
    pub fn text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                c => self.0.push(c),
            }
        }
        self
    }

    /// `open`, the escaped text, `close`: one element of text.
    #[inline(never)]
    pub fn el(&mut self, open: &'static str, text: &str, close: &'static str) -> &mut Self {
        self.raw(open).text(text).raw(close)
    }

    /// A picture whose address is escaped like text (an object URL of a photo).
    pub fn img(&mut self, class: &'static str, src: &str) -> &mut Self {
        self.raw("<img class=\"")
            .raw(class)
            .raw("\" alt=\"\" src=\"")
            .text(src)
            .raw("\">")
    }

    /// An SVG bar filling `width` (0–1) of the line; `mark` draws the 100 % line of a target
    /// that counts up to 120 %.
    pub fn bar(&mut self, width: f64, mark: bool) -> &mut Self {
        let percent = (width.clamp(0.0, 1.0) * 100.0).round().to_string();
        self.raw(
            "<svg class=\"hbar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" \
             aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"10\"/>\
             <rect class=\"fill\" width=\"",
        )
        .text(&percent)
        .raw("\" height=\"10\"/>");
        if mark {
            self.raw("<line x1=\"83.3\" x2=\"83.3\" y1=\"0\" y2=\"10\"/>");
        }
        self.raw("</svg>")
    }

    pub fn done(self) -> String {
        self.0
    }
}

/// Scores as the scoreboard shows them: a chart of totals, then per unit the criteria with
/// what was pledged, approved and scored, and a bar of progress. `own` is this device's unit,
/// marked with a tag (not by colour alone) and opened.
pub fn score_html(
    lang: Lang,
    doc: &Document,
    rows: &[ScoreRow],
    criteria: &[Criterion],
    own: Option<&UnitId>,
) -> String {
    let pts = th(lang, HeadMsg::PointsShort);
    let max = rows
        .iter()
        .map(|r| r.total)
        .fold(0.0_f64, f64::max)
        .max(0.01);
    let mut h = Html::default();
    // "3. Name" and, for this device's unit, its tag.
    let label = |h: &mut Html, r: &ScoreRow| {
        h.text(&format!("{}. {}", r.rank, head::unit_name(doc, &r.unit)));
        if own == Some(&r.unit) {
            h.el(
                " <span class=\"tag\" data-testid=\"own-unit\">",
                th(lang, HeadMsg::YourUnit),
                "</span>",
            );
        }
    };
    // The officer's first question, answered before the chart: where does my unit stand?
    if let Some(r) = rows.iter().find(|r| own == Some(&r.unit)) {
        let line = format!(
            "{}: {} {} · {} {pts}",
            th(lang, HeadMsg::YourUnit),
            th(lang, HeadMsg::Rank),
            r.rank,
            dec(r.total, lang)
        );
        h.el(
            "<p class=\"own-rank\" data-testid=\"own-rank\">",
            &line,
            "</p>",
        );
    }
    h.el("<h3>", th(lang, HeadMsg::TotalsChart), "</h3>")
        .raw("<ul class=\"chart\" data-testid=\"score-chart\">");
    for r in rows {
        h.raw(if own == Some(&r.unit) {
            "<li class=\"own\" aria-current=\"true\"><span class=\"lbl\">"
        } else {
            "<li><span class=\"lbl\">"
        });
        label(&mut h, r);
        h.raw("</span>")
            .bar(r.total / max, false)
            .el("<b>", &dec(r.total, lang), "</b></li>");
    }
    h.raw("</ul>")
        .el("<h3>", th(lang, HeadMsg::PerCriterion), "</h3>");
    for (i, r) in rows.iter().enumerate() {
        let mine = own == Some(&r.unit);
        h.raw(match (i == 0 || mine, mine) {
            (true, true) => "<details class=\"unit-score own\" open><summary><b>",
            (true, false) => "<details class=\"unit-score\" open><summary><b>",
            _ => "<details class=\"unit-score\"><summary><b>",
        });
        label(&mut h, r);
        h.raw("</b>")
            .el(
                "<span>",
                &format!("{} {pts}", dec(r.total, lang)),
                "</span>",
            )
            .raw("</summary><ul class=\"crit\">");
        for s in &r.criteria {
            let c = criteria.iter().find(|c| c.id == s.criterion);
            let frac = if s.pledged > 0.0 {
                s.approved / s.pledged
            } else {
                0.0
            };
            let figures = format!(
                "{} {} · {} {} {} · {} {pts}",
                th(lang, HeadMsg::Pledged),
                dec(s.pledged, lang),
                th(lang, HeadMsg::ApprovedCol),
                dec(s.approved, lang),
                c.map_or("", |c| &c.unit_of_measure),
                dec(s.points, lang),
            );
            h.el("<li><span>", c.map_or(&s.criterion, |c| &c.name), "</span>")
                .bar(frac.min(1.2) / 1.2, true)
                .el("<span class=\"meta\">", &figures, "</span></li>");
        }
        h.raw("</ul></details>");
    }
    h.done()
}

#[component]
pub fn ScoreboardPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (campaign, picker) = head::campaign_picker(session, lang);
    // None: live scores; Some: a frozen session.
    let shown = RwSignal::new(None::<RecordId>);
    // A frozen session shows the criteria it froze (older sessions: the campaign's own).
    let criteria = Signal::derive(move || {
        session.doc.with(|d| {
            let frozen = shown
                .get()
                .and_then(|id| d.get_review_session(&id).map(|s| s.criteria.clone()))
                .filter(|c| !c.is_empty());
            frozen
                .or_else(|| {
                    head::id_of(&campaign.get())
                        .and_then(|id| d.get_campaign(&id).map(|c| c.criteria.clone()))
                })
                .unwrap_or_default()
        })
    });
    let sessions = Memo::new(move |_| {
        let c = campaign.get();
        session.doc.with(|d| {
            let list: Vec<(RecordId, SessionKind, chrono::NaiveDate)> = d
                .review_sessions()
                .filter(|(_, s)| s.campaign.as_str() == c)
                .map(|(id, s)| (id.clone(), s.kind, s.date))
                .collect();
            head::sorted(list, |s| head::day_key(s.2, s.0.as_str()), false, true)
        })
    });
    let rows = Signal::derive(move || {
        session.doc.with(|d| match shown.get() {
            Some(id) => d
                .get_review_session(&id)
                .map(|s| s.rows.clone())
                .unwrap_or_default(),
            None => head::id_of(&campaign.get())
                .map(|id| thidua_core::score(d, &id))
                .unwrap_or_default(),
        })
    });
    let frozen = move || {
        shown.get().and_then(|id| {
            session.doc.with(|d| {
                d.get_review_session(&id).map(|s| {
                    let lang = lang.get();
                    format!(
                        "{} · {} — {}",
                        th(lang, session_name(s.kind)),
                        head::fmt_date(s.date),
                        th(lang, HeadMsg::Frozen)
                    )
                })
            })
        })
    };

    // Freezing a session (head and deputy).
    let kind = RwSignal::new("six_month".to_owned());
    let date = RwSignal::new(head::fmt_date(head::today()));
    let errs: head::Errs = RwSignal::new(Vec::new());
    let note: head::Note = RwSignal::new(None);
    let kinds = Signal::derive(move || {
        let lang = lang.get();
        vec![
            (
                "six_month".to_owned(),
                th(lang, HeadMsg::SixMonth).to_owned(),
            ),
            ("annual".to_owned(), th(lang, HeadMsg::Annual).to_owned()),
        ]
    });
    let freeze = move |()| {
        let mut bad = Vec::new();
        let day = head::date_in(&date.get_untracked(), "date", &mut bad);
        // A review is held on a day that has come: figures cannot be frozen in advance.
        if let Some(e) = thidua_core::not_in_future("date", day, head::today()) {
            bad.push((e.field, head::Bad::Core(e.problem)));
        }
        let Some(camp) = head::id_of(&campaign.get_untracked()) else {
            return;
        };
        if !bad.is_empty() {
            errs.set(bad);
            note.set(Some(HeadMsg::FixErrors));
            crate::components::focus_first_invalid();
            return;
        }
        let k = if kind.get_untracked() == "annual" {
            SessionKind::Annual
        } else {
            SessionKind::SixMonth
        };
        let snap = session
            .doc
            .with_untracked(|d| snapshot_session(d, &camp, k, day));
        let Some(id) = session.new_id() else {
            return;
        };
        if head::save(session, id.clone(), Body::ReviewSession(snap), errs, note) {
            shown.set(Some(id));
        }
    };

    let session_buttons = move || {
        sessions
            .get()
            .into_iter()
            .map(|(id, k, d)| {
                let id2 = id.clone();
                view! {
                    <button
                        type="button"
                        class="secondary"
                        aria-pressed=move || (shown.get().as_ref() == Some(&id)).to_string()
                        on:click=move |_| shown.set(Some(id2.clone()))
                    >
                        {move || format!("{} {}", th(lang.get(), session_name(k)), head::fmt_date(d))}
                    </button>
                }
            })
            .collect_view()
    };
    let freeze_form = move || {
        (head::manages(session) && !campaign.with(String::is_empty)).then(|| {
            view! {
                <section class="card head">
                    {head::title(lang, HeadMsg::Sessions)}
                    {head::para(lang, "hint", HeadMsg::SessionExplain)}
                    {head::form(
                        lang,
                        vec![
                            F::Pick(Pick { id: "session-kind", label: HeadMsg::SessionKind, options: kinds, value: kind, field: "kind" }),
                            F::Text(Text { id: "session-date", label: HeadMsg::SessionDate, value: date, field: "date", how: How::Date, shown: None }),
                        ],
                        None,
                        errs,
                        note,
                        HeadMsg::MakeSession,
                        Callback::new(freeze),
                    )}
                </section>
            }
        })
    };

    // A session frozen by mistake can go (its deletion stays in the record's history).
    let delete_shown = move |()| {
        let Some(id) = shown.get_untracked() else {
            return;
        };
        let ok = window()
            .confirm_with_message(th(lang.get_untracked(), HeadMsg::ConfirmDeleteSession))
            .unwrap_or(false);
        if ok && session.delete(&id).is_ok() {
            shown.set(None);
            note.set(Some(HeadMsg::Deleted));
        }
    };
    let delete_button = move || {
        (head::manages(session) && shown.with(Option::is_some)).then(|| {
            head::btn(
                lang,
                "secondary",
                HeadMsg::DeleteSession,
                None,
                Callback::new(delete_shown),
            )
        })
    };

    view! {
        <section class="card head">
            {head::title(lang, HeadMsg::ScoreTitle)}
            {picker}
            <div class="tabs-inline" role="group">
                <button
                    type="button"
                    class="secondary"
                    aria-pressed=move || shown.with(Option::is_none).to_string()
                    on:click=move |_| shown.set(None)
                >
                    {tx(lang, HeadMsg::Live)}
                </button>
                {session_buttons}
            </div>
            <p class="frozen" data-testid="frozen">{frozen}</p>
            {delete_button}
            {move || rows.with(Vec::is_empty).then(|| head::para(lang, "hint", HeadMsg::NoScores))}
            <div inner_html=move || {
                let (lang, rows, criteria) = (lang.get(), rows.get(), criteria.get());
                let own = session.device.with(|d| d.as_ref().map(|d| d.unit_id.clone()));
                session.doc.with(|d| score_html(lang, d, &rows, &criteria, own.as_ref()))
            }></div>
            <details class="rule">
                <summary>{tx(lang, HeadMsg::Rule)}</summary>
                <p>{move || crate::i18n::report::scoring_rule(lang.get())}</p>
            </details>
        </section>
        {freeze_form}
    }
}
