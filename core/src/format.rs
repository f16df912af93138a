//! Numbers, money, dates and names as people read them, in Vietnamese and English.
//!
//! The app, the summary text and the CSV export all format through here, so a figure reads the
//! same on the phone, in the printed summary and in the spreadsheet.
//!
//! - [`group_thousands`]: `2000000` → `2.000.000` (vi) / `2,000,000` (en).
//! - [`vnd`]: exact amounts for forms and lists, `2.000.000 ₫` / `2,000,000 VND`.
//! - [`date`]: `15/04/2024` in both languages.
//! - [`vi_cmp`]: Vietnamese alphabetical order (`D` < `Đ` < `E`, tones after letters).

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The two languages of the UI and of everything printed; Vietnamese first.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The label on the language switch, in its own language.
    pub fn label(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }

    /// The thousands separator: `.` in Vietnamese, `,` in English.
    pub fn group_sep(self) -> char {
        match self {
            Lang::Vi => '.',
            Lang::En => ',',
        }
    }

    /// The decimal separator: `,` in Vietnamese, `.` in English.
    pub fn decimal_sep(self) -> char {
        match self {
            Lang::Vi => ',',
            Lang::En => '.',
        }
    }
}

/// Digits grouped by thousands: `group_thousands(2000000, '.')` is `2.000.000`.
pub fn group_thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number grouped for `lang`: `1.500` / `1,500`.
pub fn number(n: u64, lang: Lang) -> String {
    group_thousands(n, lang.group_sep())
}

/// `x` rounded to at most `max_decimals` places, trailing zeros dropped, the integer part
/// grouped: `decimal(17.75, 2, Vi)` is `17,75`, `decimal(18.0, 2, En)` is `18`,
/// `decimal(1234.5, 1, En)` is `1,234.5`. Not-a-number and infinities print as `–`.
pub fn decimal(x: f64, max_decimals: u32, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let d = max_decimals.min(6);
    let scale = 10u64.pow(d);
    // Saturating float-to-int cast: absurd values clamp instead of wrapping.
    let scaled = (x.abs() * scale as f64).round() as u64;
    let mut s = String::new();
    if x < 0.0 && scaled > 0 {
        s.push('-');
    }
    s.push_str(&scaled_number(scaled, d, lang));
    s
}

/// `v / 10^d` with the fraction's trailing zeros dropped, e.g. `(205, 2)` → `2,05`.
pub fn scaled_number(v: u64, d: u32, lang: Lang) -> String {
    let scale = 10u64.pow(d);
    let mut s = number(v / scale, lang);
    let frac = v % scale;
    if frac > 0 {
        let digits = format!("{frac:0width$}", width = d as usize);
        s.push(lang.decimal_sep());
        s.push_str(digits.trim_end_matches('0'));
    }
    s
}

/// An exact amount: `2.000.000 ₫` in Vietnamese, `2,000,000 VND` in English.
pub fn vnd(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} ₫", number(n, lang)),
        Lang::En => format!("{} VND", number(n, lang)),
    }
}

/// Dates are `dd/mm/yyyy` in both languages.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The Vietnamese alphabet, with the foreign letters f, j, w, z in their Latin places.
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// Each vowel with its tones in dictionary order: none, huyền, sắc, hỏi, ngã, nặng.
const TONES: [&str; 12] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
];

/// Primary weight (letter) and secondary weight (tone) of one character.
fn weights(c: char) -> (u32, u8) {
    let c = c.to_lowercase().next().unwrap_or(c);
    let (base, tone) = TONES
        .iter()
        .find_map(|row| {
            let pos = row.chars().position(|x| x == c)?;
            Some((row.chars().next().unwrap_or(c), pos as u8))
        })
        .unwrap_or((c, 0));
    let primary = if let Some(i) = ALPHABET.chars().position(|x| x == base) {
        1_000 + i as u32
    } else if c.is_whitespace() {
        1
    } else if let Some(d) = c.to_digit(10) {
        100 + d
    } else if c.is_alphanumeric() {
        // Other scripts after the Vietnamese alphabet, in code point order.
        10_000 + u32::from(c)
    } else {
        // Punctuation before digits.
        10 + (u32::from(c) % 90)
    };
    (primary, tone)
}

/// Compares two names in Vietnamese dictionary order: letters first (`D` < `Đ` < `E`,
/// `O` < `Ô` < `Ơ`), ignoring case; tones decide only between otherwise equal names; the exact
/// strings break the last ties, so the order is total.
pub fn vi_cmp(a: &str, b: &str) -> Ordering {
    let primary = |s: &str| s.chars().map(|c| weights(c).0).collect::<Vec<_>>();
    let tones = |s: &str| s.chars().map(|c| weights(c).1).collect::<Vec<_>>();
    primary(a)
        .cmp(&primary(b))
        .then_with(|| tones(a).cmp(&tones(b)))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use Lang::{En, Vi};

    #[test]
    fn grouping() {
        assert_eq!(group_thousands(0, '.'), "0");
        assert_eq!(group_thousands(999, '.'), "999");
        assert_eq!(group_thousands(1_500, '.'), "1.500");
        assert_eq!(group_thousands(2_000_000, '.'), "2.000.000");
        assert_eq!(group_thousands(105_000_000, ','), "105,000,000");
        assert_eq!(group_thousands(u64::MAX, ','), "18,446,744,073,709,551,615");
        assert_eq!(number(2_100, Vi), "2.100");
        assert_eq!(number(2_100, En), "2,100");
    }

    #[test]
    fn exact_money_and_dates() {
        assert_eq!(vnd(2_000_000, Vi), "2.000.000 ₫");
        assert_eq!(vnd(2_000_000, En), "2,000,000 VND");
        assert_eq!(vnd(0, Vi), "0 ₫");
        let d = NaiveDate::from_ymd_opt(2024, 4, 15).unwrap();
        assert_eq!(date(d), "15/04/2024");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()),
            "01/07/2024"
        );
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(17.75, 2, Vi), "17,75");
        assert_eq!(decimal(17.75, 2, En), "17.75");
        assert_eq!(decimal(18.0, 2, Vi), "18");
        assert_eq!(decimal(12.666_666, 2, En), "12.67");
        assert_eq!(decimal(1234.5, 1, En), "1,234.5");
        assert_eq!(decimal(1234.5, 1, Vi), "1.234,5");
        assert_eq!(decimal(0.1 + 0.2, 2, En), "0.3");
        assert_eq!(decimal(-2.5, 1, En), "-2.5");
        assert_eq!(decimal(-0.001, 2, En), "0");
        assert_eq!(decimal(f64::NAN, 2, En), "–");
    }

    #[test]
    fn vietnamese_order() {
        let mut names = vec![
            "Eco",
            "Điện lực",
            "Dệt may",
            "an Phú",
            "Ơn",
            "Ông",
            "Oanh",
            "Bình",
            "Bính",
            "bình",
            "Ba",
            "Zeta",
            "Ưng",
            "Uyên",
        ];
        names.sort_by(|a, b| vi_cmp(a, b));
        assert_eq!(
            names,
            vec![
                "an Phú",
                "Ba",
                "Bình",
                "bình",
                "Bính",
                "Dệt may",
                "Điện lực",
                "Eco",
                "Oanh",
                "Ông",
                "Ơn",
                "Uyên",
                "Ưng",
                "Zeta"
            ]
        );
        // Byte order would have put Đ after Z.
        assert!("Điện" > "Zeta");
        assert_eq!(vi_cmp("Điện", "Zeta"), Ordering::Less);
        assert_eq!(vi_cmp("x", "x"), Ordering::Equal);
    }

    #[test]
    fn lang_serde() {
        assert_eq!(serde_json::to_string(&Vi).unwrap(), "\"vi\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").unwrap(), En);
        assert_eq!(Lang::default(), Vi);
    }
}
