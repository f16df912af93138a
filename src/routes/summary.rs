//! The campaign summary for the conference and the press: totals in the
//! reports' words, the results per unit, the advanced examples and the award
//! proposals; printed on A4, or exported as CSV (made on the device, works
//! offline) or XLSX (made by the server, needs the network).

use std::collections::BTreeMap;

use crate::i18n::export::{entries_csv, summary_csv};
use crate::i18n::report::{award_label, line as totals_line, vote_label};
use leptos::prelude::*;
use thidua_core::format::date;
use thidua_core::summary::{letterhead, summarize_session, Letterhead};
use thidua_core::{summarize, RecordId, Summary};

use crate::api::{self, ApiError};
use crate::i18n::Lang;
use crate::i18n_head::{place_date, th, HeadMsg};
use crate::lang::use_lang;
use crate::platform;
use crate::routes::head::{self, btn, dec, Pick};
use crate::routes::scoreboard::{session_name, Html};
use crate::session::use_session;

/// What the printout is dated and signed with, beyond the cluster's records: typed on the
/// summary screen (the place comes from the cluster's records until the head types another).
struct Signed {
    place: String,
    signer: String,
    day: chrono::NaiveDate,
}

/// The summary as an official document, the same on screen and on paper: the national
/// heading, the cluster, place and date, the title; totals in the reports' words, the results
/// per unit, the advanced examples, the award proposals; the head's signature block. Built as
/// escaped text (see [`Html`]): read-only, and far smaller than view code.
/// `photos`: one photo's address per advanced example (by its entry) and per award proposal
/// (from a result it cites), when the head chose to print them.
fn summary_html(
    lang: Lang,
    head: &Letterhead,
    signed: &Signed,
    s: &Summary,
    photos: &BTreeMap<RecordId, String>,
) -> String {
    let t = |m| th(lang, m);
    let mut h = Html::default();
    h.raw("<header class=\"doc-head\"><div class=\"issuer\">")
        .el("<b>", &head.cluster, "</b>")
        .raw("</div><div class=\"nation\">")
        .el("<b>", t(HeadMsg::NationalName), "</b>")
        .el("<b class=\"motto\">", t(HeadMsg::NationalMotto), "</b>")
        .el(
            "<i class=\"doc-date\" data-testid=\"doc-date\">",
            &place_date(lang, &signed.place, signed.day),
            "</i>",
        )
        .raw("</div></header>")
        .el(
            "<h2 class=\"doc-title\">",
            t(HeadMsg::ReportHeading),
            "</h2>",
        );
    let title = match s.session {
        Some((kind, _)) => format!("{} – {}", t(session_name(kind)), s.title),
        None => s.title.clone(),
    };
    h.el(
        "<p class=\"doc-sub\" data-testid=\"doc-title\">",
        &title,
        "</p>",
    );
    let mut meta = head.cluster.clone();
    if let Some((a, b)) = s.period {
        meta = format!("{meta} · {} – {}", date(a), date(b));
    }
    if let Some((_, day)) = s.session {
        meta = format!("{meta} · {} {}", t(HeadMsg::FrozenOn), date(day));
    }
    h.el("<p class=\"meta center\">", &meta, "</p>")
        .el("<h3>", t(HeadMsg::Highlights), "</h3>");
    let line = totals_line(&s.totals, lang);
    if line.is_empty() {
        h.el(
            "<p class=\"lead\" data-testid=\"summary-line\">",
            t(HeadMsg::NothingHere),
            "</p>",
        );
    } else {
        h.el(
            "<p class=\"lead\" data-testid=\"summary-line\">",
            &format!("{line}."),
            "</p>",
        );
    }
    h.el("<h3>", t(HeadMsg::PerUnit), "</h3>")
        .raw("<table class=\"score-table\"><thead><tr>")
        .el("<th>", t(HeadMsg::Rank), "</th>")
        .el("<th>", t(HeadMsg::FilterUnit), "</th>");
    for c in &s.criteria {
        h.el("<th class=\"wide\">", &c.name, "</th>");
    }
    h.el("<th>", t(HeadMsg::Total), "</th>")
        .raw("</tr></thead><tbody>");
    for u in &s.units {
        h.el("<tr><td class=\"num\">", &u.score.rank.to_string(), "</td>")
            .el("<td>", &u.name, "</td>");
        for c in &u.score.criteria {
            h.el("<td class=\"wide num\">", &dec(c.points, lang), "</td>");
        }
        h.el(
            "<td class=\"num\"><b>",
            &dec(u.score.total, lang),
            "</b></td></tr>",
        );
    }
    h.raw("</tbody></table>")
        .el("<h3>", t(HeadMsg::Examples), "</h3>")
        .raw("<ul class=\"plain\">");
    for e in &s.examples {
        h.raw("<li>");
        if let Some(src) = photos.get(&e.entry) {
            h.img("doc-photo", src);
        }
        h.el("<b>", &e.nominee, "</b>")
            .el(" (", &e.unit_name, ") — ")
            .text(&e.title)
            .raw("</li>");
    }
    if s.examples.is_empty() {
        h.el("<li class=\"hint\">", t(HeadMsg::NothingHere), "</li>");
    }
    h.raw("</ul>")
        .el("<h3>", t(HeadMsg::AwardsTitle), "</h3>")
        .raw("<ul class=\"plain\">");
    for a in &s.awards {
        let who = if a.collective {
            a.nominee.clone()
        } else {
            format!("{} ({})", a.nominee, a.unit_name)
        };
        let v = a.votes;
        let votes = format!(
            " — {} {} · {} {} · {} {} — {}",
            t(HeadMsg::VotesFor),
            v.for_,
            t(HeadMsg::VotesAgainst),
            v.against,
            t(HeadMsg::VotesAbstain),
            v.abstain,
            vote_label(a.result, lang),
        );
        h.raw("<li>");
        if let Some(src) = photos.get(&a.proposal) {
            h.img("doc-photo", src);
        }
        h.el(
            "<b>",
            &format!("{}: {who}", award_label(a.kind, lang)),
            "</b>",
        )
        .text(&votes);
        if !a.reason.trim().is_empty() {
            h.raw("<br>").text(&a.reason);
        }
        h.raw("</li>");
    }
    if s.awards.is_empty() {
        h.el("<li class=\"hint\">", t(HeadMsg::NothingHere), "</li>");
    }
    h.raw("</ul><footer class=\"doc-sign\" data-testid=\"doc-sign\">")
        .el(
            "<b>",
            t(if head.bloc {
                HeadMsg::SignerBloc
            } else {
                HeadMsg::SignerCluster
            }),
            "</b>",
        );
    if let Some((_, unit)) = &head.head_unit {
        h.el("<span>", unit, "</span>");
    }
    h.el("<i>", t(HeadMsg::SignHint), "</i>")
        .el("<b class=\"signer\">", signed.signer.trim(), "</b>")
        .raw("</footer>");
    h.done()
}

/// A text field showing `value` until the head types; what is typed goes to `typed`.
fn typed(
    lang: Memo<Lang>,
    id: &'static str,
    msg: HeadMsg,
    value: Signal<String>,
    typed: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <crate::components::Field
            id=id
            label=head::label(lang, msg)
            value=value
            on_input=Callback::new(move |v| typed.set(Some(v)))
        />
    }
}

/// The photo printed with each advanced example and award proposal: the first photo of the
/// example's result, or of the first result a proposal cites that has one; shown once its
/// bytes are read (from this phone or the server).
fn photos(
    doc: &thidua_core::Document,
    s: &Summary,
    evidence: crate::evidence::Evidence,
) -> BTreeMap<RecordId, String> {
    let first_photo = |entry: &RecordId| {
        doc.get_entry(entry).and_then(|e| {
            e.files
                .iter()
                .find(|f| f.file_type.is_image())
                .map(|f| f.hash.clone())
        })
    };
    let wanted = s
        .examples
        .iter()
        .filter_map(|e| Some((e.entry.clone(), first_photo(&e.entry)?)))
        .chain(s.awards.iter().filter_map(|a| {
            let cited = doc.get_award_proposal(&a.proposal)?;
            let hash = cited.entries.iter().find_map(first_photo)?;
            Some((a.proposal.clone(), hash))
        }));
    wanted
        .filter_map(|(id, hash)| match evidence.shown(&hash) {
            crate::evidence::Shown::Ready(url) => Some((id, url)),
            _ => None,
        })
        .collect()
}

#[component]
pub fn SummaryPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let online = platform::use_online();
    let (campaign, picker) = head::campaign_picker(session, lang);
    let failed = RwSignal::new(None::<HeadMsg>);
    let evidence = crate::evidence::use_evidence();
    let with_photos = RwSignal::new(false);
    // "" for today's figures, else a review session of the campaign.
    let figures = RwSignal::new(String::new());
    // Review sessions in the order they were frozen (ids count up on each device).
    let sessions = Signal::derive(move || {
        let lang = lang.get();
        let c = campaign.get();
        let mut options = vec![(String::new(), th(lang, HeadMsg::Live).to_owned())];
        session.doc.with(|d| {
            for (id, s) in d
                .review_sessions()
                .filter(|(_, s)| s.campaign.as_str() == c)
            {
                let label = format!("{} {}", th(lang, session_name(s.kind)), date(s.date));
                options.push((id.to_string(), label));
            }
        });
        options
    });
    let summary = Memo::new(move |_| {
        let c = head::id_of(&campaign.get())?;
        let chosen = head::id_of(&figures.get());
        session.doc.with(|d| {
            d.get_campaign(&c)?;
            // A session of another campaign (the campaign was switched) means today's figures.
            let frozen =
                chosen.filter(|id| d.get_review_session(id).is_some_and(|s| s.campaign == c));
            match frozen {
                Some(id) => summarize_session(d, &id),
                None => Some(summarize(d, &c)),
            }
        })
    });
    // The place comes from the cluster's records until the head types another (`None`: not
    // typed); the signer's name is typed, or left for the pen.
    let place_typed = RwSignal::new(None::<String>);
    let place = Signal::derive(move || {
        place_typed
            .get()
            .unwrap_or_else(|| session.doc.with(|d| letterhead(d).place))
    });
    let signer_typed = RwSignal::new(None::<String>);
    let signer = Signal::derive(move || signer_typed.get().unwrap_or_default());
    let csv = move |entries: bool| {
        let Some(c) = head::id_of(&campaign.get_untracked()) else {
            return;
        };
        let lang = lang.get_untracked();
        let text = session.doc.with_untracked(|d| {
            if entries {
                entries_csv(d, &c, lang)
            } else {
                summary_csv(d, &c, lang)
            }
        });
        let name = format!("{}-{c}.csv", if entries { "ket-qua" } else { "tong-hop" });
        if platform::download(&name, "text/csv;charset=utf-8", &text).is_err() {
            failed.set(Some(HeadMsg::Failed));
        }
    };
    // The workbook is made by the server: one request, run as an action.
    let fetching = api::action();
    Effect::new(move |_| {
        let Some(api::Answer::Xlsx(c, result)) = fetching.value().get() else {
            return;
        };
        match result {
            Ok(bytes) => {
                if platform::download_bytes(&format!("tong-hop-{c}.xlsx"), &bytes).is_err() {
                    failed.set(Some(HeadMsg::Failed));
                }
            }
            Err(ApiError::Unreachable) => failed.set(Some(HeadMsg::XlsxOffline)),
            Err(_) => failed.set(Some(HeadMsg::Failed)),
        }
    });
    let xlsx = move |()| {
        failed.set(None);
        let token = session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
            .unwrap_or_default();
        fetching.dispatch_local(api::Call::Xlsx {
            token,
            campaign: campaign.get_untracked(),
            lang: lang.get_untracked(),
        });
    };
    let body = move || {
        let lang = lang.get();
        summary.with(|s| {
            s.as_ref().map_or_else(String::new, |s| {
                let signed = Signed {
                    place: place.get(),
                    signer: signer.get(),
                    // A frozen session is dated its day; today's figures, today.
                    day: s.session.map_or_else(head::today, |(_, day)| day),
                };
                let shown = if with_photos.get() {
                    session.doc.with(|d| photos(d, s, evidence))
                } else {
                    BTreeMap::new()
                };
                session
                    .doc
                    .with(|d| summary_html(lang, &letterhead(d), &signed, s, &shown))
            })
        })
    };
    view! {
        <section class="card head summary-card">
            <div class="no-print">
                {head::title(lang, HeadMsg::SummaryTitle)}
                {picker}
                {move || {
                    // Only when the campaign has a frozen session to print from.
                    sessions.with(|o| o.len() > 1).then(|| {
                        head::pick(lang, Pick { id: "summary-figures", label: HeadMsg::FiguresOf, options: sessions, value: figures, field: "" }, None)
                    })
                }}
                {typed(lang, "doc-place", HeadMsg::DocPlace, place, place_typed)}
                {typed(lang, "doc-signer", HeadMsg::DocSigner, signer, signer_typed)}
                {head::para(lang, "hint", HeadMsg::DocExplain)}
                <label class="check">
                    <input type="checkbox" data-testid="print-photos"
                        prop:checked=move || with_photos.get()
                        on:change=move |ev| with_photos.set(event_target_checked(&ev)) />
                    {move || th(lang.get(), HeadMsg::PrintPhotos)}
                </label>
                <div class="acts wrap">
                    {btn(lang, "secondary", HeadMsg::Print, None, Callback::new(move |()| { let _ = window().print(); }))}
                    {btn(lang, "secondary", HeadMsg::Csv, None, Callback::new(move |()| csv(false)))}
                    {btn(lang, "secondary", HeadMsg::CsvEntries, None, Callback::new(move |()| csv(true)))}
                    {btn(lang, "secondary", HeadMsg::Xlsx, None, Callback::new(xlsx))}
                </div>
                <p class="hint">
                    {move || th(lang.get(), if online.get() { HeadMsg::ExportExplain } else { HeadMsg::XlsxOffline })}
                </p>
                <p class="error" role="alert">{move || failed.get().map(|m| th(lang.get(), m))}</p>
            </div>
            {move || summary.with(Option::is_none).then(|| head::para(lang, "hint", HeadMsg::NothingHere))}
            <article class="summary" data-testid="summary" inner_html=body></article>
        </section>
    }
}
