//! What people type, read the way they mean it: figures (`5 triệu`, `1,5 tỷ`, `10tr`,
//! `2.000.000`) and dates (`15/04/2024`). A text is either understood exactly or refused with a
//! reason; nothing is silently changed (a figure a million times too small must never reach
//! the scoreboard). The app shows the value understood next to the field, so the officer sees
//! what will be counted.

use chrono::NaiveDate;

use crate::format::Lang;

/// What a figure counts: money may carry `đ`/`₫`/`đồng`/`VND` after it; a count may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    Money,
    Count,
}

/// Why a typed figure was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureError {
    /// `-3`: a figure is never negative.
    Negative,
    /// A word that is not a number, a multiplier or (for money) a currency: `mười`, `cây`.
    Unknown(String),
    /// Dots or commas in places that group no thousands: `1.50.000`, `2.5`.
    BadGrouping,
    /// Has a fraction once multiplied out: `1,5` đồng, `2,5` trees.
    NotWhole,
    /// More than a `u64` holds.
    TooLarge,
}

/// Multipliers people write after a number.
fn multiplier(word: &str) -> Option<u64> {
    match word {
        "k" | "nghìn" | "ngàn" | "nghin" | "ngan" | "thousand" | "thousands" => Some(1_000),
        "tr" | "triệu" | "trieu" | "m" | "mil" | "million" | "millions" => Some(1_000_000),
        "tỷ" | "tỉ" | "ty" | "ti" | "b" | "bn" | "billion" | "billions" => Some(1_000_000_000),
        _ => None,
    }
}

fn currency(word: &str) -> bool {
    matches!(word, "đ" | "₫" | "đồng" | "dong" | "vnd" | "vnđ")
}

/// One number and the words after it.
struct Part {
    number: String,
    words: Vec<String>,
}

/// Splits `text` into numbers and the words that follow each; a space between two digits
/// groups thousands (`2 000 000`), any other space separates.
fn parts(text: &str) -> Result<Vec<Part>, FigureError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Part> = Vec::new();
    let mut word = String::new();
    let mut i = 0;
    let flush = |word: &mut String, out: &mut Vec<Part>| -> Result<(), FigureError> {
        if word.is_empty() {
            return Ok(());
        }
        let w = std::mem::take(word);
        match out.last_mut() {
            Some(p) => p.words.push(w),
            None => return Err(FigureError::Unknown(w)),
        }
        Ok(())
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            flush(&mut word, &mut out)?;
            let mut number = String::new();
            while i < chars.len() {
                let c = chars[i];
                let between_digits = |j: usize| {
                    j > 0
                        && chars[j - 1].is_ascii_digit()
                        && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                };
                if c.is_ascii_digit() || ((c == '.' || c == ',') && between_digits(i)) {
                    number.push(c);
                } else if c == ' ' && between_digits(i) {
                    number.push('\u{a0}');
                } else {
                    break;
                }
                i += 1;
            }
            out.push(Part {
                number,
                words: Vec::new(),
            });
            continue;
        }
        if c.is_whitespace() {
            flush(&mut word, &mut out)?;
        } else if c == '₫' {
            flush(&mut word, &mut out)?;
            word.push(c);
            flush(&mut word, &mut out)?;
        } else {
            word.extend(c.to_lowercase());
        }
        i += 1;
    }
    flush(&mut word, &mut out)?;
    Ok(out)
}

/// Reads one number as `(whole part, fraction digits)`. In Vietnamese a dot groups thousands
/// and a comma is the decimal mark; in English the reverse. A decimal mark written more than
/// once groups (`2,000,000` typed in Vietnamese is two million); when both appear, the last one
/// is the decimal mark (`1.234,5`, `1,234.5`).
fn read_number(text: &str, lang: Lang) -> Result<(u64, String), FigureError> {
    let (mut decimal, mut group) = (lang.decimal_sep(), lang.group_sep());
    let count = |c: char| text.chars().filter(|x| *x == c).count();
    let last = |c: char| text.rfind(c);
    let repeated_mark = count(decimal) > 1 && count(group) == 0;
    let both_group_last = count(decimal) > 0 && count(group) > 0 && last(group) > last(decimal);
    if repeated_mark || both_group_last {
        std::mem::swap(&mut decimal, &mut group);
    }
    let (whole, fraction) = match text.split_once(decimal) {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if fraction.contains([decimal, group, '\u{a0}']) {
        return Err(FigureError::BadGrouping);
    }
    let groups: Vec<&str> = whole.split([group, '\u{a0}']).collect();
    let grouped_well = groups.len() == 1
        || groups.iter().enumerate().all(|(i, g)| {
            if i == 0 {
                (1..=3).contains(&g.len())
            } else {
                g.len() == 3
            }
        });
    if !grouped_well {
        return Err(FigureError::BadGrouping);
    }
    let digits: String = groups.concat();
    let whole = digits.parse::<u64>().map_err(|_| FigureError::TooLarge)?;
    Ok((whole, fraction.to_owned()))
}

/// `whole.fraction × multiplier`, exactly, or why not.
fn times(whole: u64, fraction: &str, multiplier: u64) -> Result<u64, FigureError> {
    let base = whole.checked_mul(multiplier).ok_or(FigureError::TooLarge)?;
    if fraction.is_empty() {
        return Ok(base);
    }
    // More fraction digits than the multiplier has zeros can never be whole (trailing zeros
    // aside): `1,0000001 triệu`.
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        return Ok(base);
    }
    let scale = 10u64
        .checked_pow(u32::try_from(fraction.len()).map_err(|_| FigureError::NotWhole)?)
        .ok_or(FigureError::NotWhole)?;
    let digits: u64 = fraction.parse().map_err(|_| FigureError::NotWhole)?;
    let scaled = u128::from(digits) * u128::from(multiplier);
    if scaled % u128::from(scale) != 0 {
        return Err(FigureError::NotWhole);
    }
    let extra = u64::try_from(scaled / u128::from(scale)).map_err(|_| FigureError::TooLarge)?;
    base.checked_add(extra).ok_or(FigureError::TooLarge)
}

/// Reads a typed figure. `Ok(None)` for an empty field.
///
/// Understood: `2.000.000`, `2000000`, `2 000 000`, `5 triệu`, `5tr`, `10tr`, `1,5 tỷ`,
/// `1 tỷ 200 triệu`, `2.000.000đ`, `500k`, and in English `2,000,000`, `1.5 billion`.
/// Refused with a reason: `-3`, `mười triệu`, `10tr-5`, `1,5` (đồng), `1.50.000`.
pub fn parse_figure(text: &str, kind: FigureKind, lang: Lang) -> Result<Option<u64>, FigureError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.starts_with(['-', '−', '–']) {
        return Err(FigureError::Negative);
    }
    let parts = parts(text)?;
    let Some(last_index) = parts.len().checked_sub(1) else {
        return Err(FigureError::Unknown(text.to_owned()));
    };
    let mut total: u64 = 0;
    let mut previous_multiplier = u64::MAX;
    for (i, part) in parts.iter().enumerate() {
        let mut words = part.words.iter().map(String::as_str).peekable();
        let mult = match words.peek().copied().and_then(multiplier) {
            Some(m) => {
                words.next();
                m
            }
            None => 1,
        };
        for w in words {
            // A currency word may only close a money figure.
            if !(kind == FigureKind::Money && currency(w) && i == last_index) {
                return Err(FigureError::Unknown(w.to_owned()));
            }
        }
        // `1 tỷ 200 triệu`: each part in a smaller unit than the one before; a bare number
        // after a multiplied one (`10tr 5`) is not understood.
        if mult >= previous_multiplier || (parts.len() > 1 && mult == 1) {
            return Err(FigureError::Unknown(text.to_owned()));
        }
        previous_multiplier = mult;
        let (whole, fraction) = read_number(&part.number, lang)?;
        let value = times(whole, &fraction, mult)?;
        total = total.checked_add(value).ok_or(FigureError::TooLarge)?;
    }
    Ok(Some(total))
}

/// Reads a date as people type it: `15/04/2024`, `15/4/2024`, `15-04-2024`, `15.04.2024`, and
/// the ISO `2024-04-15`. `None` when it is not a date of the calendar.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).map(str::trim).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (d, m, y) = if a.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        (num(a)?, num(b)?, num(c)?)
    };
    // A two-digit year is not a year this app can guess.
    if y < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use FigureKind::{Count, Money};
    use Lang::{En, Vi};

    fn money(text: &str) -> Result<Option<u64>, FigureError> {
        parse_figure(text, Money, Vi)
    }

    #[test]
    fn what_vietnamese_users_type_for_money() {
        let cases: [(&str, u64); 18] = [
            ("5 triệu", 5_000_000),
            ("5 Triệu", 5_000_000),
            ("5triệu", 5_000_000),
            ("1,5 tỷ", 1_500_000_000),
            ("1,5 tỉ", 1_500_000_000),
            ("10tr", 10_000_000),
            ("10 tr", 10_000_000),
            ("2.000.000", 2_000_000),
            ("2000000", 2_000_000),
            ("2 000 000", 2_000_000),
            ("2.000.000đ", 2_000_000),
            ("2.000.000 ₫", 2_000_000),
            ("33,8 triệu đồng", 33_800_000),
            ("500k", 500_000),
            ("1 tỷ 200 triệu", 1_200_000_000),
            ("2,000,000", 2_000_000),
            ("25.000.000 VND", 25_000_000),
            ("0", 0),
        ];
        for (text, want) in cases {
            assert_eq!(money(text), Ok(Some(want)), "{text}");
        }
        assert_eq!(money(""), Ok(None));
        assert_eq!(money("   "), Ok(None));
    }

    #[test]
    fn what_was_silently_rewritten_before_is_refused_with_a_reason() {
        // The list: "10tr-5" became 105, "5 triệu" 5 đồng, "1,5" 15, "-3" 3,
        // "mười triệu" empty.
        assert_eq!(money("10tr-5"), Err(FigureError::Unknown("tr-".into())));
        assert_eq!(money("1,5"), Err(FigureError::NotWhole));
        assert_eq!(money("-3"), Err(FigureError::Negative));
        assert_eq!(money("−3"), Err(FigureError::Negative));
        assert_eq!(
            money("mười triệu"),
            Err(FigureError::Unknown("mười".into()))
        );
        assert_eq!(parse_figure("-3", Count, Vi), Err(FigureError::Negative));
        assert_eq!(parse_figure("1,5", Count, Vi), Err(FigureError::NotWhole));
    }

    #[test]
    fn misplaced_separators_and_words_are_refused() {
        assert_eq!(money("1.50.000"), Err(FigureError::BadGrouping));
        assert_eq!(money("2.5"), Err(FigureError::BadGrouping));
        assert_eq!(money("1,5,00"), Err(FigureError::BadGrouping));
        assert_eq!(money("10tr 5"), Err(FigureError::Unknown("10tr 5".into())));
        assert_eq!(
            money("5 triệu 2 tỷ"),
            Err(FigureError::Unknown("5 triệu 2 tỷ".into()))
        );
        assert_eq!(money("đ 5"), Err(FigureError::Unknown("đ".into())));
        assert_eq!(money("abc"), Err(FigureError::Unknown("abc".into())));
        assert_eq!(
            money("5 đồng triệu"),
            Err(FigureError::Unknown("triệu".into()))
        );
        // A count takes no currency, and no measure words.
        assert_eq!(
            parse_figure("300 cây", Count, Vi),
            Err(FigureError::Unknown("cây".into()))
        );
        assert_eq!(
            parse_figure("300đ", Count, Vi),
            Err(FigureError::Unknown("đ".into()))
        );
        assert_eq!(money("99999999999999999999"), Err(FigureError::TooLarge));
        assert_eq!(money("20000000000 tỷ"), Err(FigureError::TooLarge));
        assert_eq!(money("1,0000001 triệu"), Err(FigureError::NotWhole));
    }

    #[test]
    fn counts_and_english() {
        assert_eq!(parse_figure("1.500", Count, Vi), Ok(Some(1_500)));
        assert_eq!(parse_figure("1,5 nghìn", Count, Vi), Ok(Some(1_500)));
        assert_eq!(parse_figure("2.100", Count, Vi), Ok(Some(2_100)));
        assert_eq!(parse_figure("2,100", Count, En), Ok(Some(2_100)));
        assert_eq!(
            parse_figure("1.5 billion", Money, En),
            Ok(Some(1_500_000_000))
        );
        assert_eq!(parse_figure("2,000,000", Money, En), Ok(Some(2_000_000)));
        assert_eq!(parse_figure("2.000.000", Money, En), Ok(Some(2_000_000)));
        assert_eq!(parse_figure("1,234.5 k", Money, En), Ok(Some(1_234_500)));
        assert_eq!(parse_figure("1.234,5 k", Money, Vi), Ok(Some(1_234_500)));
        assert_eq!(parse_figure("2.5", Count, En), Err(FigureError::NotWhole));
    }

    #[test]
    fn dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("15/04/2024"), d(2024, 4, 15));
        assert_eq!(parse_date(" 5/4/2024 "), d(2024, 4, 5));
        assert_eq!(parse_date("15-04-2024"), d(2024, 4, 15));
        assert_eq!(parse_date("15.04.2024"), d(2024, 4, 15));
        assert_eq!(parse_date("2024-04-15"), d(2024, 4, 15));
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(parse_date("15/04/24"), None);
        assert_eq!(parse_date("15/04"), None);
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(parse_date("15/04/2024/1"), None);
        assert_eq!(parse_date("+5/04/2024"), None);
        assert_eq!(parse_date(""), None);
    }
}
