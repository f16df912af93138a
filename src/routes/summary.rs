//! The campaign summary for the conference and the press: totals in the
//! reports' words, the results per unit, the advanced examples and the award
//! proposals; printed on A4, or exported as CSV (made on the device, works
//! offline) or XLSX (made by the server, needs the network).

use std::fmt::Write;

use leptos::prelude::*;
use thidua_core::export::{entries_csv, summary_csv};
use thidua_core::format::date;
use thidua_core::summary::{award_label, vote_label};
use thidua_core::{summarize, Summary};

use crate::api::{self, ApiError};
use crate::i18n::Lang;
use crate::i18n_head::{th, HeadMsg};
use crate::platform;
use crate::routes::head::{self, btn, dec, esc};
use crate::session::use_session;

/// The summary as HTML (read-only, so built as text: far smaller than view
/// code), the same on screen and on paper.
fn summary_html(lang: Lang, cluster: &str, s: &Summary) -> String {
    let t = |m| th(lang, m);
    let line = s.totals.line(lang);
    let mut out = format!(
        "<p class=\"meta center\">{}</p><h2>{}</h2><p class=\"meta center\">{}</p><h3>{}</h3>\
         <p class=\"lead\" data-testid=\"summary-line\">{}</p><h3>{}</h3>\
         <table class=\"score-table\"><thead><tr><th>{}</th><th>{}</th>",
        esc(cluster),
        esc(&s.title),
        s.period
            .map(|(a, b)| format!("{} – {}", date(a), date(b)))
            .unwrap_or_default(),
        t(HeadMsg::Highlights),
        if line.is_empty() {
            t(HeadMsg::NothingHere).to_owned()
        } else {
            format!("{}.", esc(&line))
        },
        t(HeadMsg::PerUnit),
        t(HeadMsg::Rank),
        t(HeadMsg::FilterUnit),
    );
    for c in &s.criteria {
        let _ = write!(out, "<th class=\"wide\">{}</th>", esc(&c.name));
    }
    let _ = write!(out, "<th>{}</th></tr></thead><tbody>", t(HeadMsg::Total));
    for u in &s.units {
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td>",
            u.score.rank,
            esc(&u.name)
        );
        for c in &u.score.criteria {
            let _ = write!(out, "<td class=\"wide num\">{}</td>", dec(c.points, lang));
        }
        let _ = write!(
            out,
            "<td class=\"num\"><b>{}</b></td></tr>",
            dec(u.score.total, lang)
        );
    }
    let _ = write!(
        out,
        "</tbody></table><h3>{}</h3><ul class=\"plain\">",
        t(HeadMsg::Examples)
    );
    for e in &s.examples {
        let _ = write!(
            out,
            "<li><b>{}</b> ({}) — {}</li>",
            esc(&e.nominee),
            esc(&e.unit_name),
            esc(&e.title)
        );
    }
    if s.examples.is_empty() {
        let _ = write!(out, "<li class=\"hint\">{}</li>", t(HeadMsg::NothingHere));
    }
    let _ = write!(
        out,
        "</ul><h3>{}</h3><ul class=\"plain\">",
        t(HeadMsg::AwardsTitle)
    );
    for a in &s.awards {
        let who = if a.collective {
            esc(&a.nominee)
        } else {
            format!("{} ({})", esc(&a.nominee), esc(&a.unit_name))
        };
        let v = a.votes;
        let reason = if a.reason.trim().is_empty() {
            String::new()
        } else {
            format!("<br>{}", esc(&a.reason))
        };
        let _ = write!(
            out,
            "<li><b>{}: {who}</b> — {} {} · {} {} · {} {} — {}{reason}</li>",
            award_label(a.kind, lang),
            t(HeadMsg::VotesFor),
            v.for_,
            t(HeadMsg::VotesAgainst),
            v.against,
            t(HeadMsg::VotesAbstain),
            v.abstain,
            vote_label(a.result, lang),
        );
    }
    if s.awards.is_empty() {
        let _ = write!(out, "<li class=\"hint\">{}</li>", t(HeadMsg::NothingHere));
    }
    out.push_str("</ul>");
    out
}

#[component]
pub fn SummaryPage(lang: Memo<Lang>) -> impl IntoView {
    let session = use_session();
    let online = platform::online_signal();
    let (campaign, picker) = head::campaign_picker(session, lang);
    let failed = RwSignal::new(None::<HeadMsg>);
    let summary = Memo::new(move |_| {
        let c = head::id_of(&campaign.get())?;
        session
            .doc
            .with(|d| d.get_campaign(&c).is_some().then(|| summarize(d, &c)))
    });
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
    let xlsx = move |()| {
        let c = campaign.get_untracked();
        let token = session
            .device
            .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
            .unwrap_or_default();
        failed.set(None);
        leptos::task::spawn_local(async move {
            match api::summary_xlsx(&token, &c).await {
                Ok(bytes) => {
                    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
                    let done = web_sys::Blob::new_with_u8_array_sequence(&parts).and_then(|blob| {
                        platform::download_blob(&document(), &format!("tong-hop-{c}.xlsx"), &blob)
                    });
                    if done.is_err() {
                        failed.set(Some(HeadMsg::Failed));
                    }
                }
                Err(ApiError::Unreachable) => failed.set(Some(HeadMsg::XlsxOffline)),
                Err(_) => failed.set(Some(HeadMsg::Failed)),
            }
        });
    };
    let body = move || {
        let lang = lang.get();
        summary.with(|s| {
            s.as_ref().map_or_else(String::new, |s| {
                session.doc.with(|d| {
                    let cluster = d
                        .get_cluster(&d.cluster)
                        .map(|c| c.name.as_str())
                        .unwrap_or("");
                    summary_html(lang, cluster, s)
                })
            })
        })
    };
    view! {
        <section class="card head summary-card">
            <div class="no-print">
                {head::title(lang, HeadMsg::SummaryTitle)}
                {picker}
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
