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
use serde::Deserialize;
use thidua_core::format::vi_cmp;
use thidua_core::summary::{award_label, kind_label, vote_label, Summary};
use thidua_core::{summarize, Document, EntryDetails, Lang, RecordId};

use crate::auth::Device;
use crate::error::ApiError;
use crate::extract::Query;
use crate::AppState;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Sheet names, in order.
pub const SHEETS: [&str; 3] = ["Tổng hợp", "Kết quả", "Khen thưởng"];

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    pub campaign: String,
}

pub async fn summary_xlsx(
    State(state): State<AppState>,
    Device(device): Device,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let campaign = RecordId::new(query.campaign.as_str())
        .map_err(|e| ApiError::BadRequest(format!("campaign is not a valid id: {e}")))?;
    let doc = state.store.document(device.cluster_id).await?;
    if doc.get_campaign(&campaign).is_none() {
        return Err(ApiError::NotFound(format!(
            "this cluster has no campaign {campaign}"
        )));
    }
    let (bytes, title) = tokio::task::spawn_blocking(move || {
        let summary = summarize(&doc, &campaign);
        let bytes = workbook(&doc, &summary).map(|mut w| w.save_to_buffer());
        (bytes, summary.title)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "export task failed");
        ApiError::Internal
    })?;
    let bytes = bytes.and_then(|b| b).map_err(|e| {
        tracing::error!(error = %e, "cannot write the workbook");
        ApiError::Internal
    })?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&query.campaign, &title)) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `attachment` with an ASCII name and the Vietnamese one (RFC 6266 / 5987).
pub fn content_disposition(campaign_id: &str, title: &str) -> String {
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
    let name = if title.is_empty() {
        format!("Tổng hợp {ascii}.xlsx")
    } else {
        format!("Tổng hợp - {title}.xlsx")
    };
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
pub fn workbook(doc: &Document, summary: &Summary) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    summary_sheet(book.add_worksheet(), summary, &f)?;
    entries_sheet(book.add_worksheet(), doc, summary, &f)?;
    awards_sheet(book.add_worksheet(), summary, &f)?;
    Ok(book)
}

fn summary_sheet(sheet: &mut Worksheet, summary: &Summary, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[0])?;
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
    let mut headers = vec!["Đơn vị".to_owned()];
    for c in &summary.criteria {
        let uom = match c.unit_of_measure.trim() {
            "" => String::new(),
            u => format!(" ({u})"),
        };
        headers.push(format!("{} – Đăng ký{uom}", c.name));
        headers.push(format!("{} – Đã duyệt{uom}", c.name));
        headers.push(format!("{} – Điểm", c.name));
    }
    headers.push("Tổng điểm".into());
    headers.push("Xếp hạng".into());
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
) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[1])?;
    let campaign = &summary.campaign;
    let camp = doc.get_campaign(campaign);
    let mut entries = thidua_core::export::approved_entries(doc, campaign);
    entries.sort_by(|a, b| {
        vi_cmp(&a.2, &b.2)
            .then_with(|| a.1.date.cmp(&b.1.date))
            .then_with(|| a.0.cmp(b.0))
    });
    let headers: Vec<String> = [
        "Đơn vị",
        "Loại",
        "Ngày",
        "Tiêu đề",
        "Số liệu",
        "Đơn vị tính",
        "Hiện vật",
        "Số lượng hiện vật",
        "Điển hình",
        "Tiêu chí",
        "Mô tả",
    ]
    .map(String::from)
    .to_vec();
    header_row(sheet, 0, &headers, f)?;
    let mut row = 0;
    for (_, e, unit) in &entries {
        row += 1;
        sheet.write_string_with_format(row, 0, unit, &f.text)?;
        sheet.write_string_with_format(row, 1, kind_label(e.details.kind(), Lang::Vi), &f.text)?;
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
            sheet.write_string_with_format(row, 5, figure_unit(&e.details), &f.text)?;
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
            let who = if *collective {
                "tập thể"
            } else {
                "cá nhân"
            };
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

fn figure_unit(details: &EntryDetails) -> &'static str {
    match details {
        EntryDetails::Initiative { .. }
        | EntryDetails::Research { .. }
        | EntryDetails::Donation { .. } => "đồng",
        EntryDetails::Training { .. } | EntryDetails::Event { .. } => "người",
        EntryDetails::Trees { .. } => "cây",
        _ => "",
    }
}

fn awards_sheet(sheet: &mut Worksheet, summary: &Summary, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEETS[2])?;
    let headers: Vec<String> = [
        "Hình thức khen thưởng",
        "Đề nghị cho",
        "Tập thể / cá nhân",
        "Đơn vị",
        "Tán thành",
        "Không tán thành",
        "Không biểu quyết",
        "Kết quả",
    ]
    .map(String::from)
    .to_vec();
    header_row(sheet, 0, &headers, f)?;
    let mut row = 0;
    for a in &summary.awards {
        row += 1;
        sheet.write_string_with_format(row, 0, award_label(a.kind, Lang::Vi), &f.text)?;
        sheet.write_string_with_format(row, 1, &a.nominee, &f.text)?;
        let who = if a.collective {
            "Tập thể"
        } else {
            "Cá nhân"
        };
        sheet.write_string_with_format(row, 2, who, &f.text)?;
        sheet.write_string_with_format(row, 3, &a.unit_name, &f.text)?;
        sheet.write_number(row, 4, a.votes.for_)?;
        sheet.write_number(row, 5, a.votes.against)?;
        sheet.write_number(row, 6, a.votes.abstain)?;
        sheet.write_string_with_format(row, 7, vote_label(a.result, Lang::Vi), &f.text)?;
    }
    finish_table(sheet, 0, row, headers.len())
}
