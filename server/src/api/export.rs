//! `GET /api/export/summary.xlsx?campaign=<id>`: a campaign's summary as an Excel workbook,
//! for any device of the cluster.
//!
//! Sheets: "Tổng hợp" (each unit's pledged / approved / points per criterion, total and rank,
//! from `thidua_core::summarize`), "Kết quả" (every approved entry), "Khen thưởng" (award
//! proposals with their votes). Text is written as text cells, never as formulas.
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use thidua_core::format::vi_cmp;
use thidua_core::summary::Summary;
use thidua_core::wire::{Dashboard, ErrorBody, ExportQuery, LangQuery};
use thidua_core::{summarize, Document, EntryDetails, Lang};
use thidua_i18n::board::{province_line, ranking_headers, rollup_table, tb, BoardMsg, Cell};
use thidua_i18n::export::{
    awards_sheet_headers, collective_word, entries_sheet_headers, figure_unit, sheet_names,
    summary_headers, workbook_name,
};
use thidua_i18n::report::{award_label, kind_label, vote_label};

use crate::auth::{BoardMember, Device};
use crate::error::ApiError;
use crate::extract::Query;
use crate::AppState;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The workbook's description: binary, of the XLSX media type.
struct WorkbookBody;

impl utoipa::PartialSchema for WorkbookBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type(XLSX)
            .into()
    }
}

impl utoipa::ToSchema for WorkbookBody {}

/// A campaign's summary as an Excel workbook
///
/// For every device of the cluster. Scores follow core's scoring rule; only approved entries
/// count.
#[utoipa::path(
    get,
    path = "/export/summary.xlsx",
    operation_id = "exportSummary",
    tag = "export",
    security(("bearer" = [])),
    params(ExportQuery),
    responses(
        (status = 200, description = "The workbook: sheets \"Tổng hợp\" (per unit: pledged, \
            approved and points for each criterion, total score, rank), \"Kết quả\" (every \
            approved entry: unit, kind, date, title, figures) and \"Khen thưởng\" (award \
            proposals with their votes); named in English with `lang=en`.",
            content((inline(WorkbookBody) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(("Content-Disposition" = String,
                description = "`attachment` with an ASCII `filename` and a UTF-8 `filename*`."))),
        (status = 404, description = "This cluster has no such campaign (`not_found`).",
            body = ErrorBody),
    )
)]
pub async fn summary_xlsx(
    State(state): State<AppState>,
    Device(device): Device,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let ExportQuery { campaign, lang } = query;
    let doc = state.store.document(device.cluster_id).await?;
    if doc.get_campaign(&campaign).is_none() {
        return Err(ApiError::NotFound(format!(
            "this cluster has no campaign {campaign}"
        )));
    }
    let campaign_id = campaign.to_string();
    let (bytes, title) = off_thread(move || {
        let summary = summarize(&doc, &campaign);
        let bytes = workbook(&doc, &summary, lang).and_then(|mut w| w.save_to_buffer());
        (bytes, summary.title)
    })
    .await?;
    let disposition = content_disposition(&campaign_id, &title, lang);
    workbook_response(bytes, &disposition)
}

/// Runs `f` (writing a workbook takes CPU) away from the server's request threads.
async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "export task failed");
        ApiError::Internal
    })
}

/// The workbook's bytes as a download named by `disposition`.
fn workbook_response(
    bytes: Result<Vec<u8>, XlsxError>,
    disposition: &str,
) -> Result<Response, ApiError> {
    let bytes = bytes.map_err(|e| {
        tracing::error!(error = %e, "cannot write the workbook");
        ApiError::Internal
    })?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// The board's dashboard as an Excel workbook
///
/// The same roll-up as `/board/dashboard`, in the same words as the board's CSV: sheet
/// "Tổng quan" (one row per running cluster) and "Xếp hạng giữa các cụm" (each shared
/// criterion's ranking, with its rule).
#[utoipa::path(
    get,
    path = "/board/dashboard.xlsx",
    operation_id = "boardDashboardXlsx",
    tag = "board",
    security(("bearer" = [])),
    params(LangQuery),
    responses(
        (status = 200, description = "The workbook; named in English with `lang=en`.",
            content((inline(WorkbookBody) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(("Content-Disposition" = String,
                description = "`attachment; filename=\"tong-quan-cac-cum.xlsx\"`."))),
        (status = 403, description = "The device is a cluster's, not the federation board's \
            (`forbidden`).", body = ErrorBody),
    )
)]
pub async fn dashboard_xlsx(
    State(state): State<AppState>,
    member: BoardMember,
    Query(query): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let dashboard = crate::api::board::dashboard_of(&state, &member).await?;
    let lang = query.lang;
    let bytes = off_thread(move || {
        dashboard_workbook(&dashboard, lang).and_then(|mut w| w.save_to_buffer())
    })
    .await?;
    workbook_response(bytes, "attachment; filename=\"tong-quan-cac-cum.xlsx\"")
}

/// The dashboard's workbook: the clusters' table, then the rankings across them.
pub fn dashboard_workbook(d: &Dashboard, lang: Lang) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(tb(lang, BoardMsg::NavOverview))?;
    let title = format!("{} – {}", tb(lang, BoardMsg::BoardTitle), d.federation.name);
    sheet.write_string_with_format(0, 0, &title, &f.title)?;
    sheet.write_string(1, 0, province_line(lang, &d.rollup))?;
    // In Vietnam's time, as the board reads it.
    let at = chrono::DateTime::parse_from_rfc3339(&d.computed_at)
        .ok()
        .zip(chrono::FixedOffset::east_opt(
            thidua_core::reporting::REPORTING_UTC_OFFSET_SECS,
        ))
        .map_or_else(
            || d.computed_at.clone(),
            |(t, vn)| t.with_timezone(&vn).format("%H:%M %d/%m/%Y").to_string(),
        );
    sheet.write_string(2, 0, format!("{} {at}", tb(lang, BoardMsg::DataAt)))?;
    let header_at = 4;
    let (head, rows) = rollup_table(lang, &d.rollup);
    let head: Vec<String> = head.iter().map(|h| (*h).to_owned()).collect();
    header_row(sheet, header_at, &head, &f)?;
    let mut row = header_at;
    for cells in rows {
        row += 1;
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(s) => sheet.write_string_with_format(row, col, &s, &f.text)?,
                Cell::Number(n) => sheet.write_number_with_format(row, col, n, &f.number)?,
            };
        }
    }
    finish_table(sheet, header_at, row, head.len())?;

    let sheet = book.add_worksheet();
    sheet.set_name(tb(lang, BoardMsg::RankingTitle))?;
    sheet.write_string_with_format(0, 0, tb(lang, BoardMsg::RankingTitle), &f.title)?;
    sheet.write_string(1, 0, tb(lang, BoardMsg::RankingRule))?;
    if d.rollup.rankings.is_empty() {
        sheet.write_string(3, 0, tb(lang, BoardMsg::NoRanking))?;
    }
    let headers = ranking_headers(lang);
    let mut row = 2;
    for k in &d.rollup.rankings {
        row += 1;
        let name = format!("{} ({})", k.name, k.unit_of_measure);
        sheet.write_string_with_format(row, 0, &name, &f.title)?;
        row += 1;
        header_row(sheet, row, &headers, &f)?;
        for r in &k.rows {
            row += 1;
            sheet.write_number(row, 0, r.rank)?;
            sheet.write_string(row, 1, &r.name)?;
            sheet.write_number_with_format(row, 2, r.amount, &f.number)?;
            sheet.write_number_with_format(row, 3, r.per_unit, &f.decimal)?;
        }
        row += 1;
    }
    sheet.autofit();
    Ok(book)
}

/// `attachment` with an ASCII name and the one in the workbook's language (RFC 6266 / 5987).
pub fn content_disposition(campaign_id: &str, title: &str, lang: Lang) -> String {
    let ascii: String = campaign_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let title: String = title
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .take(80)
        .collect();
    let title = title.trim();
    let name = workbook_name(lang, if title.is_empty() { &ascii } else { title });
    format!(
        "attachment; filename=\"tong-hop-{ascii}.xlsx\"; filename*=UTF-8''{}",
        percent_encode(&name)
    )
}

fn percent_encode(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

struct Formats {
    header: Format,
    text: Format,
    number: Format,
    decimal: Format,
    date: Format,
    title: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold().set_text_wrap(),
            text: Format::new(),
            number: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            title: Format::new().set_bold(),
        }
    }
}

/// Writes `headers` in row `row`.
fn header_row(
    sheet: &mut Worksheet,
    row: u32,
    headers: &[String],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (col, h) in (0u16..).zip(headers) {
        sheet.write_string_with_format(row, col, h, &f.header)?;
    }
    Ok(())
}

fn finish_table(
    sheet: &mut Worksheet,
    header: u32,
    last_row: u32,
    cols: usize,
) -> Result<(), XlsxError> {
    let last_col = u16::try_from(cols.saturating_sub(1)).unwrap_or(u16::MAX);
    sheet.set_freeze_panes(header + 1, 0)?;
    sheet.autofilter(header, 0, last_row.max(header), last_col)?;
    sheet.autofit();
    Ok(())
}

fn excel_date(d: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

/// The workbook for `summary` (of a campaign of `doc`).
pub fn workbook(doc: &Document, summary: &Summary, lang: Lang) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    summary_sheet(book.add_worksheet(), summary, &f, lang)?;
    entries_sheet(book.add_worksheet(), doc, summary, &f, lang)?;
    awards_sheet(book.add_worksheet(), summary, &f, lang)?;
    Ok(book)
}

fn summary_sheet(
    sheet: &mut Worksheet,
    summary: &Summary,
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(sheet_names(lang)[0])?;
    let mut title = summary.title.clone();
    if let Some((start, end)) = summary.period {
        title.push_str(&format!(
            " ({} – {})",
            thidua_core::format::date(start),
            thidua_core::format::date(end)
        ));
    }
    sheet.write_string_with_format(0, 0, &title, &f.title)?;
    let header_at = 2;
    let headers = summary_headers(&summary.criteria, lang);
    header_row(sheet, header_at, &headers, f)?;
    let mut row = header_at;
    for unit in &summary.units {
        row += 1;
        sheet.write_string_with_format(row, 0, &unit.name, &f.text)?;
        let mut col: u16 = 1;
        for c in &unit.score.criteria {
            sheet.write_number_with_format(row, col, c.pledged, &f.number)?;
            sheet.write_number_with_format(row, col + 1, c.approved, &f.number)?;
            sheet.write_number_with_format(row, col + 2, c.points, &f.decimal)?;
            col = col.saturating_add(3);
        }
        sheet.write_number_with_format(row, col, unit.score.total, &f.decimal)?;
        sheet.write_number(row, col.saturating_add(1), unit.score.rank)?;
    }
    finish_table(sheet, header_at, row, headers.len())
}

fn entries_sheet(
    sheet: &mut Worksheet,
    doc: &Document,
    summary: &Summary,
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(sheet_names(lang)[1])?;
    let campaign = &summary.campaign;
    let camp = doc.get_campaign(campaign);
    let mut entries = thidua_core::summary::approved_entries(doc, campaign);
    entries.sort_by(|a, b| {
        vi_cmp(&a.2, &b.2)
            .then_with(|| a.1.date.cmp(&b.1.date))
            .then_with(|| a.0.cmp(b.0))
    });
    let headers: Vec<String> = entries_sheet_headers(lang).map(String::from).to_vec();
    header_row(sheet, 0, &headers, f)?;
    let mut row = 0;
    for (_, e, unit) in &entries {
        row += 1;
        sheet.write_string_with_format(row, 0, unit, &f.text)?;
        sheet.write_string_with_format(row, 1, kind_label(e.details.kind(), lang), &f.text)?;
        match excel_date(e.date) {
            Some(d) => sheet.write_datetime_with_format(row, 2, d, &f.date)?,
            None => sheet.write_string_with_format(
                row,
                2,
                thidua_core::format::date(e.date),
                &f.text,
            )?,
        };
        sheet.write_string_with_format(row, 3, &e.title, &f.text)?;
        if let Some(figure) = e.details.figure() {
            // f64 holds every figure the validator allows (≤ 10^18) to 15 significant digits.
            sheet.write_number_with_format(row, 4, figure as f64, &f.number)?;
            sheet.write_string_with_format(row, 5, figure_unit(&e.details, lang), &f.text)?;
        }
        if let EntryDetails::Donation {
            items, item_count, ..
        } = &e.details
        {
            if *item_count > 0 {
                sheet.write_string_with_format(row, 6, items, &f.text)?;
                sheet.write_number_with_format(row, 7, *item_count, &f.number)?;
            }
        }
        if let EntryDetails::AdvancedExample {
            nominee,
            collective,
        } = &e.details
        {
            let who = collective_word(lang, *collective, false);
            sheet.write_string_with_format(row, 8, format!("{nominee} ({who})"), &f.text)?;
        }
        if let Some(c) = e.criterion.as_deref() {
            let name = camp
                .and_then(|camp| camp.criterion(c))
                .map_or(c, |c| c.name.as_str());
            sheet.write_string_with_format(row, 9, name, &f.text)?;
        }
        sheet.write_string_with_format(row, 10, &e.description, &f.text)?;
    }
    finish_table(sheet, 0, row, headers.len())
}

fn awards_sheet(
    sheet: &mut Worksheet,
    summary: &Summary,
    f: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(sheet_names(lang)[2])?;
    let headers: Vec<String> = awards_sheet_headers(lang).map(String::from).to_vec();
    header_row(sheet, 0, &headers, f)?;
    let mut row = 0;
    for a in &summary.awards {
        row += 1;
        sheet.write_string_with_format(row, 0, award_label(a.kind, lang), &f.text)?;
        sheet.write_string_with_format(row, 1, &a.nominee, &f.text)?;
        let who = collective_word(lang, a.collective, true);
        sheet.write_string_with_format(row, 2, who, &f.text)?;
        sheet.write_string_with_format(row, 3, &a.unit_name, &f.text)?;
        sheet.write_number(row, 4, a.votes.for_)?;
        sheet.write_number(row, 5, a.votes.against)?;
        sheet.write_number(row, 6, a.votes.abstain)?;
        sheet.write_string_with_format(row, 7, vote_label(a.result, lang), &f.text)?;
    }
    finish_table(sheet, 0, row, headers.len())
}
