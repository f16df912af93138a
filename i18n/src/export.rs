//! CSV export of a campaign's results, for Excel and LibreOffice.
//!
//! RFC 4180: fields separated by commas, every field quoted (a quote inside is doubled), lines
//! ending in CRLF. The text starts with a UTF-8 byte order mark so that Excel reads Vietnamese
//! letters correctly. Numbers are written without thousands separators and with the decimal
//! separator of the chosen language (`12,67` in Vietnamese, `12.67` in English), so they read as
//! numbers in a spreadsheet of that language. Text typed by users that starts with `=`, `+`, `-`
//! or `@` gets a leading `'` so that a spreadsheet never runs it as a formula.

use thidua_core::format::{date, vi_cmp, Lang};
use thidua_core::scoring::{round2, score};
use thidua_core::summary::approved_entries;
use thidua_core::{Document, EntryDetails, RecordId};

use crate::report::kind_label;

/// The per-unit results table's headers, for the CSV and the workbook: unit, then pledged /
/// approved / points for each criterion, total and rank.
pub fn summary_headers(criteria: &[thidua_core::Criterion], lang: Lang) -> Vec<String> {
    let vi = lang == Lang::Vi;
    let mut header = vec![if vi { "Đơn vị" } else { "Unit" }.to_owned()];
    for c in criteria {
        let name = &c.name;
        let uom = if c.unit_of_measure.trim().is_empty() {
            String::new()
        } else {
            format!(" ({})", c.unit_of_measure.trim())
        };
        if vi {
            header.push(format!("{name} – Đăng ký{uom}"));
            header.push(format!("{name} – Đã duyệt{uom}"));
            header.push(format!("{name} – Điểm"));
        } else {
            header.push(format!("{name} – pledged{uom}"));
            header.push(format!("{name} – approved{uom}"));
            header.push(format!("{name} – points"));
        }
    }
    header.push(if vi { "Tổng điểm" } else { "Total" }.into());
    header.push(if vi { "Xếp hạng" } else { "Rank" }.into());
    header
}

/// The workbook's sheets: the summary, the approved results, the award proposals.
pub fn sheet_names(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Vi => ["Tổng hợp", "Kết quả", "Khen thưởng"],
        Lang::En => ["Summary", "Results", "Awards"],
    }
}

/// The workbook's file name for a campaign (its title, or its id).
pub fn workbook_name(lang: Lang, title: &str) -> String {
    let sheet = sheet_names(lang)[0];
    format!("{sheet} - {title}.xlsx")
}

/// The headers of the workbook's results sheet.
pub fn entries_sheet_headers(lang: Lang) -> [&'static str; 11] {
    match lang {
        Lang::Vi => [
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
        ],
        Lang::En => [
            "Unit",
            "Kind",
            "Date",
            "Title",
            "Figure",
            "Figure unit",
            "Items in kind",
            "Item count",
            "Nominee",
            "Criterion",
            "Description",
        ],
    }
}

/// The headers of the workbook's award proposals sheet.
pub fn awards_sheet_headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Vi => [
            "Hình thức khen thưởng",
            "Đề nghị cho",
            "Tập thể / cá nhân",
            "Đơn vị",
            "Tán thành",
            "Không tán thành",
            "Không biểu quyết",
            "Kết quả",
        ],
        Lang::En => [
            "Award",
            "Nominee",
            "Collective / individual",
            "Unit",
            "For",
            "Against",
            "Abstaining",
            "Result",
        ],
    }
}

/// `tập thể` / `cá nhân`, and `Tập thể` / `Cá nhân` at the start of a cell.
pub fn collective_word(lang: Lang, collective: bool, capital: bool) -> &'static str {
    match (lang, collective, capital) {
        (Lang::Vi, true, false) => "tập thể",
        (Lang::Vi, false, false) => "cá nhân",
        (Lang::Vi, true, true) => "Tập thể",
        (Lang::Vi, false, true) => "Cá nhân",
        (Lang::En, true, false) => "collective",
        (Lang::En, false, false) => "individual",
        (Lang::En, true, true) => "Collective",
        (Lang::En, false, true) => "Individual",
    }
}

/// The UTF-8 byte order mark every export starts with.
pub const BOM: char = '\u{FEFF}';

struct Csv(String);

impl Csv {
    fn new() -> Csv {
        Csv(BOM.to_string())
    }

    fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.0.push('"');
            self.0.push_str(&f.as_ref().replace('"', "\"\""));
            self.0.push('"');
        }
        self.0.push_str("\r\n");
    }
}

/// User-typed text, defused against formula injection.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// A number for a spreadsheet: at most 2 decimals, no grouping, the language's decimal mark.
fn num(x: f64, lang: Lang) -> String {
    let s = round2(x).to_string();
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// The per-unit results table: unit, then pledged / approved / points for each criterion,
/// total and rank, in ranking order. Empty of rows (header only) for an unknown campaign.
pub fn summary_csv(doc: &Document, campaign: &RecordId, lang: Lang) -> String {
    let criteria = doc
        .get_campaign(campaign)
        .map(|c| c.criteria.as_slice())
        .unwrap_or_default();
    let mut csv = Csv::new();
    let header: Vec<String> = summary_headers(criteria, lang)
        .into_iter()
        .enumerate()
        // Criterion names are typed by users: defused like any of their text.
        .map(|(i, h)| if i == 0 { h } else { text(&h) })
        .collect();
    csv.row(header);
    for row in score(doc, campaign) {
        let name = doc
            .get_unit(&row.unit)
            .map_or_else(|| row.unit.to_string(), |u| u.name.clone());
        let mut fields = vec![text(&name)];
        for c in &row.criteria {
            fields.push(num(c.pledged, lang));
            fields.push(num(c.approved, lang));
            fields.push(num(c.points, lang));
        }
        fields.push(num(row.total, lang));
        fields.push(row.rank.to_string());
        csv.row(fields);
    }
    csv.0
}

/// The unit a result's figure is counted in (`đồng`, `người`, `cây`).
pub fn figure_unit(details: &EntryDetails, lang: Lang) -> &'static str {
    let vi = lang == Lang::Vi;
    match details {
        EntryDetails::Initiative { .. }
        | EntryDetails::Research { .. }
        | EntryDetails::Donation { .. } => {
            if vi {
                "đồng"
            } else {
                "VND"
            }
        }
        EntryDetails::Training { .. } | EntryDetails::Event { .. } => {
            if vi {
                "người"
            } else {
                "people"
            }
        }
        EntryDetails::Trees { .. } => {
            if vi {
                "cây"
            } else {
                "trees"
            }
        }
        _ => "",
    }
}

/// The approved entries of the campaign, by date, then unit name: date, unit, criterion, kind,
/// title, main figure and its unit, items given in kind, nominee of an advanced example,
/// description, record id.
pub fn entries_csv(doc: &Document, campaign: &RecordId, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let camp = doc.get_campaign(campaign);
    let mut entries = approved_entries(doc, campaign);
    thidua_core::order::sort_by(&mut entries, |a, b| {
        a.1.date
            .cmp(&b.1.date)
            .then_with(|| vi_cmp(&a.2, &b.2))
            .then_with(|| a.0.cmp(b.0))
    });
    let mut csv = Csv::new();
    csv.row(if vi {
        [
            "Ngày",
            "Đơn vị",
            "Tiêu chí",
            "Loại",
            "Tiêu đề",
            "Số liệu",
            "Đơn vị tính",
            "Hiện vật",
            "Số lượng hiện vật",
            "Điển hình",
            "Tập thể / cá nhân",
            "Mô tả",
            "Mã",
        ]
    } else {
        [
            "Date",
            "Unit",
            "Criterion",
            "Kind",
            "Title",
            "Figure",
            "Figure unit",
            "Items in kind",
            "Item count",
            "Nominee",
            "Collective / individual",
            "Description",
            "ID",
        ]
    });
    for (id, e, unit) in entries {
        let criterion = e
            .criterion
            .as_deref()
            .map(|c| {
                camp.and_then(|camp| camp.criterion(c))
                    .map_or_else(|| c.to_owned(), |c| c.name.clone())
            })
            .unwrap_or_default();
        let (items, item_count) = match &e.details {
            EntryDetails::Donation {
                items, item_count, ..
            } if *item_count > 0 => (items.as_str(), item_count.to_string()),
            _ => ("", String::new()),
        };
        let (nominee, collective) = match &e.details {
            EntryDetails::AdvancedExample {
                nominee,
                collective,
            } => (
                nominee.as_str(),
                match (collective, vi) {
                    (true, true) => "tập thể",
                    (false, true) => "cá nhân",
                    (true, false) => "collective",
                    (false, false) => "individual",
                },
            ),
            _ => ("", ""),
        };
        csv.row([
            date(e.date),
            text(&unit),
            text(&criterion),
            kind_label(e.details.kind(), lang).to_owned(),
            text(&e.title),
            e.details
                .figure()
                .map(|f| f.to_string())
                .unwrap_or_default(),
            figure_unit(&e.details, lang).to_owned(),
            text(items),
            item_count,
            text(nominee),
            collective.to_owned(),
            text(&e.description),
            id.to_string(),
        ]);
    }
    csv.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use thidua_core::fixtures::*;
    use thidua_core::model::Body;

    /// A minimal RFC 4180 reader, to check that what we write parses back.
    fn parse(csv: &str) -> Vec<Vec<String>> {
        let body = csv.strip_prefix(BOM).expect("starts with a BOM");
        assert!(body.ends_with("\r\n"));
        let mut rows = vec![];
        let mut row = vec![];
        let mut field = String::new();
        let mut chars = body.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'));
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => panic!("unquoted {c:?}"),
            }
        }
        rows
    }

    #[test]
    fn summary_table() {
        let mut d = demo_fixture();
        approve_all(&mut d.document);
        let csv = summary_csv(&d.document, &d.campaign, Lang::Vi);
        assert!(csv.starts_with(
            "\u{FEFF}\"Đơn vị\",\"Sáng kiến, cải tiến kỹ thuật – Đăng ký (sáng kiến)\","
        ));
        let rows = parse(&csv);
        assert_eq!(rows.len(), 8);
        assert_eq!(rows[0].len(), 1 + 6 * 3 + 2);
        assert_eq!(rows[0][19], "Tổng điểm");
        assert_eq!(rows[0][20], "Xếp hạng");
        assert_eq!(
            rows[1],
            vec![
                "Công ty TNHH MTV Thủy lợi Nam Sông Mã",
                "4",
                "0",
                "0", // sáng kiến
                "150",
                "95",
                "12,67", // tập huấn
                "200",
                "1500",
                "18", // trồng cây
                "10000000",
                "0",
                "0", // ủng hộ
                "100",
                "0",
                "0", // văn thể
                "2",
                "0",
                "0", // điển hình
                "30,67",
                "1",
            ]
        );
        assert_eq!(rows[5][0], "Công ty TNHH MTV Sông Chu");
        assert_eq!((rows[5][20].as_str(), rows[6][20].as_str()), ("5", "5"));
        let en = parse(&summary_csv(&d.document, &d.campaign, Lang::En));
        assert_eq!(en[0][0], "Unit");
        assert_eq!(
            en[0][1],
            "Sáng kiến, cải tiến kỹ thuật – pledged (sáng kiến)"
        );
        assert_eq!(en[1][6], "12.67");
        assert_eq!(en[1][19], "30.67");
        let none = parse(&summary_csv(&d.document, &rid("khong-co"), Lang::En));
        assert_eq!(none, vec![vec!["Unit", "Total", "Rank"]]);
    }

    #[test]
    fn entries_table() {
        let mut d = demo_fixture();
        approve(&mut d.document, "ket-qua-6"); // the donation
        approve(&mut d.document, "ket-qua-7"); // the advanced example
        let mut e = entry("medlatec", "", EntryDetails::Other);
        e.title = "=HYPERLINK(\"http://x\")".into();
        e.description = "Dòng 1\nDòng 2, có \"ngoặc\"".into();
        put(&mut d.document, "la", Body::Entry(e));
        approve(&mut d.document, "la");
        let csv = entries_csv(&d.document, &d.campaign, Lang::Vi);
        let rows = parse(&csv);
        assert_eq!(rows.len(), 4, "header and the 3 approved entries only");
        assert_eq!(rows[0][0], "Ngày");
        let donation = &rows[1];
        assert_eq!(
            donation,
            &vec![
                "07/05/2024",
                "Công ty CP Môi trường và Công trình đô thị Thanh Hóa",
                "Ủng hộ, quyên góp",
                "Ủng hộ, quyên góp",
                "Ủng hộ sách và tiền cho học sinh vùng khó",
                "33800000",
                "đồng",
                "sách",
                "641",
                "",
                "",
                "641 cuốn sách và 33,8 triệu đồng.",
                "ket-qua-6",
            ]
        );
        assert_eq!(rows[2][9], "Lê Văn Hùng");
        assert_eq!(rows[2][10], "cá nhân");
        let odd = &rows[3];
        assert_eq!(odd[4], "'=HYPERLINK(\"http://x\")", "formula defused");
        assert_eq!(odd[11], "Dòng 1\nDòng 2, có \"ngoặc\"");
        assert_eq!(odd[2], "", "no criterion");
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""));
        let en = parse(&entries_csv(&d.document, &d.campaign, Lang::En));
        assert_eq!(en[1][3], "Donation");
        assert_eq!(en[1][6], "VND");
        assert_eq!(en[2][10], "individual");
    }
}
