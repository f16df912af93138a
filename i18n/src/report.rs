//! The campaign summary in words, in both languages: the names of kinds, awards and vote
//! results, the totals in the style of the news reports, and the whole summary as text. Core
//! computes the figures and the structure ([`thidua_core::summary`]); this module says them:
//!
//! > 720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng; 20 lớp tập huấn cho 2.100 người;
//! > trồng 1.500 cây xanh
//!
//! > 720 initiatives worth 2.05 billion VND; 20 training courses for 2,100 people;
//! > 1,500 trees planted

use thidua_core::format::{date, decimal, number, scaled_number, Lang};
use thidua_core::model::{AwardKind, EntryKind, VoteResult};
use thidua_core::summary::{AwardCounts, CountValue, Items, Summary, Totals};

/// An amount in words, as reports and the press write it:
/// - below one million, in full: `950.000 đồng` / `950,000 VND`;
/// - below one billion, in millions to one decimal: `33,8 triệu đồng` / `33.8 million VND`,
///   `475 triệu đồng`;
/// - from one billion, in billions to two decimals: `2,05 tỷ đồng` / `2.05 billion VND`,
///   `2,1 tỷ đồng`, `1.250 tỷ đồng`.
///
/// Rounding is half up, and an amount that rounds to 1.000 million is written as 1 billion.
pub fn money_words(n: u64, lang: Lang) -> String {
    let (million, billion, unit) = match lang {
        Lang::Vi => ("triệu đồng", "tỷ đồng", "đồng"),
        Lang::En => ("million VND", "billion VND", "VND"),
    };
    if n < 1_000_000 {
        return format!("{} {unit}", number(n, lang));
    }
    let tenths_of_million = n.saturating_add(50_000) / 100_000;
    if tenths_of_million < 10_000 {
        return format!("{} {million}", scaled_number(tenths_of_million, 1, lang));
    }
    let hundredths_of_billion = n.saturating_add(5_000_000) / 10_000_000;
    format!(
        "{} {billion}",
        scaled_number(hundredths_of_billion, 2, lang)
    )
}

/// The scoring rule as shown next to the scoreboard.
const SCORING_RULE_VI: &str = "Điểm mỗi tiêu chí = điểm của tiêu chí × tỷ lệ hoàn thành \
    (kết quả đã duyệt ÷ chỉ tiêu đã đăng ký); tỷ lệ vượt chỉ tiêu được tính tối đa 120%; điểm làm \
    tròn đến 2 chữ số thập phân. Tiêu chí không đăng ký chỉ tiêu hoặc chưa có kết quả được duyệt \
    được 0 điểm. Kết quả được đếm theo số báo cáo hoặc cộng theo số liệu (số người, số cây, số \
    tiền) tùy tiêu chí; chỉ tính các báo cáo đã được duyệt. Tổng điểm là tổng điểm các tiêu chí; \
    xếp hạng theo tổng điểm từ cao xuống thấp, các đơn vị bằng điểm thì đồng hạng.";

/// The scoring rule as shown next to the scoreboard.
const SCORING_RULE_EN: &str = "Points for each criterion = the criterion's points × completion \
    (approved results ÷ pledged target); completion above the target counts up to 120%; points \
    are rounded to 2 decimals. A criterion with no pledged target or no approved result scores 0. \
    Results are counted as reports or added up by their figure (participants, trees, money), \
    depending on the criterion; only approved reports count. The total is the sum over the \
    criteria; units are ranked by total, highest first, and equal totals share a rank.";

/// When an award proposal passes, as shown next to the vote (see [`Votes::result`]).
const VOTE_RULE_VI: &str = "Đề nghị được thông qua khi số phiếu tán thành nhiều hơn một nửa \
    tổng số phiếu biểu quyết (gồm phiếu tán thành, không tán thành và không biểu quyết). Chưa có \
    phiếu nào thì chưa có kết quả.";
/// When an award proposal passes, as shown next to the vote (see [`Votes::result`]).
const VOTE_RULE_EN: &str = "A proposal passes when the votes for are more than half of all \
    votes cast (for, against and abstaining). A proposal with no votes has no result yet.";

/// The scoring rule, shown next to the scoreboard (core's `scoring` module computes it).
pub fn scoring_rule(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => SCORING_RULE_VI,
        Lang::En => SCORING_RULE_EN,
    }
}

/// When an award proposal passes, shown next to the vote (core's `Votes::result` decides it).
pub fn vote_rule(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => VOTE_RULE_VI,
        Lang::En => VOTE_RULE_EN,
    }
}

/// English plural by count: `plural(1, "tree", "trees")` is `tree`.
pub fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

// ---------------------------------------------------------------------------------------------
// Labels

/// The name of an entry kind, as in lists and the CSV export.
pub fn kind_label(kind: EntryKind, lang: Lang) -> &'static str {
    use EntryKind as K;
    match (lang, kind) {
        (Lang::Vi, K::Initiative) => "Sáng kiến, cải tiến kỹ thuật",
        (Lang::Vi, K::Research) => "Đề tài nghiên cứu khoa học",
        (Lang::Vi, K::Work) => "Công trình, sản phẩm",
        (Lang::Vi, K::Training) => "Tập huấn",
        (Lang::Vi, K::Donation) => "Ủng hộ, quyên góp",
        (Lang::Vi, K::Trees) => "Trồng cây",
        (Lang::Vi, K::Event) => "Hoạt động văn hoá, thể thao",
        (Lang::Vi, K::Model) => "Mô hình, câu lạc bộ",
        (Lang::Vi, K::AdvancedExample) => "Điển hình tiên tiến, người tốt việc tốt",
        (Lang::Vi, K::Other) => "Khác",
        (Lang::En, K::Initiative) => "Initiative or technical improvement",
        (Lang::En, K::Research) => "Research topic",
        (Lang::En, K::Work) => "Work or product",
        (Lang::En, K::Training) => "Training course",
        (Lang::En, K::Donation) => "Donation",
        (Lang::En, K::Trees) => "Tree planting",
        (Lang::En, K::Event) => "Cultural or sports event",
        (Lang::En, K::Model) => "Model or club",
        (Lang::En, K::AdvancedExample) => "Advanced example or good deed",
        (Lang::En, K::Other) => "Other",
    }
}

/// The name of an award kind.
pub fn award_label(kind: AwardKind, lang: Lang) -> &'static str {
    use AwardKind as A;
    match (lang, kind) {
        (Lang::Vi, A::EmulationFlag) => "Cờ thi đua",
        (Lang::Vi, A::CertificateOfMerit) => "Bằng khen",
        (Lang::Vi, A::LetterOfCommendation) => "Giấy khen",
        (Lang::Vi, A::AdvancedLabourCollective) => "Tập thể lao động tiên tiến",
        (Lang::Vi, A::EmulationFighter) => "Chiến sĩ thi đua",
        (Lang::Vi, A::TypicalAdvancedModel) => "Điển hình tiên tiến",
        (Lang::En, A::EmulationFlag) => "Emulation Flag",
        (Lang::En, A::CertificateOfMerit) => "Certificate of Merit",
        (Lang::En, A::LetterOfCommendation) => "Letter of Commendation",
        (Lang::En, A::AdvancedLabourCollective) => "Advanced labour collective",
        (Lang::En, A::EmulationFighter) => "Emulation fighter",
        (Lang::En, A::TypicalAdvancedModel) => "Typical advanced model",
    }
}

/// The outcome of a vote in words.
pub fn vote_label(result: VoteResult, lang: Lang) -> &'static str {
    match (lang, result) {
        (Lang::Vi, VoteResult::Passed) => "thông qua",
        (Lang::Vi, VoteResult::Failed) => "không thông qua",
        (Lang::Vi, VoteResult::NoVotes) => "chưa biểu quyết",
        (Lang::En, VoteResult::Passed) => "passed",
        (Lang::En, VoteResult::Failed) => "not passed",
        (Lang::En, VoteResult::NoVotes) => "not voted yet",
    }
}

/// English names of common donated items (singular, plural); other names are printed as
/// written.
const ITEMS_EN: [(&str, &str, &str); 14] = [
    ("sách", "book", "books"),
    ("quyển sách", "book", "books"),
    ("cuốn sách", "book", "books"),
    ("vở", "notebook", "notebooks"),
    ("quyển vở", "notebook", "notebooks"),
    ("cặp sách", "school bag", "school bags"),
    ("áo ấm", "warm coat", "warm coats"),
    ("quần áo", "item of clothing", "items of clothing"),
    ("chăn", "blanket", "blankets"),
    ("suất quà", "gift package", "gift packages"),
    ("phần quà", "gift package", "gift packages"),
    ("thùng mì", "box of noodles", "boxes of noodles"),
    ("xe đạp", "bicycle", "bicycles"),
    ("học bổng", "scholarship", "scholarships"),
];

fn items_phrase(it: &Items, lang: Lang) -> String {
    let n = number(it.count, lang);
    let name = it.name.trim();
    match lang {
        Lang::Vi if name.is_empty() => format!("{n} hiện vật"),
        Lang::Vi => format!("{n} {name}"),
        Lang::En if name.is_empty() => format!("{n} {}", plural(it.count, "item", "items")),
        Lang::En => {
            let lower = name.to_lowercase();
            match ITEMS_EN.iter().find(|(vi, _, _)| *vi == lower) {
                Some((_, one, many)) => format!("{n} {}", plural(it.count, one, many)),
                None => format!("{n} {name}"),
            }
        }
    }
}

/// `a`, `a và b`, `a, b và c` (`and` in English).
fn join_and(parts: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::Vi => " và ",
        Lang::En => " and ",
    };
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// Text

/// One phrase per kind with results, in the order the reports use: initiatives, research,
/// works, training, trees, donations, events, models, advanced examples, other.
pub fn phrases(totals: &Totals, lang: Lang) -> Vec<String> {
    {
        let n = |x: u64| number(x, lang);
        let money = |x: u64| money_words(x, lang);
        let vi = lang == Lang::Vi;
        let mut out = Vec::new();
        let worth = |cv: &CountValue, what: String| {
            if cv.value_vnd == 0 {
                what
            } else if vi {
                format!("{what} trị giá {}", money(cv.value_vnd))
            } else {
                format!("{what} worth {}", money(cv.value_vnd))
            }
        };
        let i = &totals.initiatives;
        if i.count > 0 {
            out.push(worth(
                i,
                if vi {
                    format!("{} sáng kiến, cải tiến kỹ thuật", n(i.count))
                } else {
                    format!(
                        "{} {}",
                        n(i.count),
                        plural(i.count, "initiative", "initiatives")
                    )
                },
            ));
        }
        let r = &totals.research;
        if r.count > 0 {
            out.push(worth(
                r,
                if vi {
                    format!("{} đề tài nghiên cứu khoa học được ứng dụng", n(r.count))
                } else {
                    let what = plural(r.count, "applied research topic", "applied research topics");
                    format!("{} {what}", n(r.count))
                },
            ));
        }
        if totals.works > 0 {
            out.push(if vi {
                format!("{} công trình, sản phẩm chào mừng", n(totals.works))
            } else {
                let what = plural(
                    totals.works,
                    "work or product dedicated to the occasion",
                    "works and products dedicated to the occasion",
                );
                format!("{} {what}", n(totals.works))
            });
        }
        let tr = &totals.trainings;
        if tr.count > 0 {
            let courses = if vi {
                format!("{} lớp tập huấn", n(tr.count))
            } else {
                let what = plural(tr.count, "training course", "training courses");
                format!("{} {what}", n(tr.count))
            };
            out.push(match (tr.participants, vi) {
                (0, _) => courses,
                (p, true) => format!("{courses} cho {} người", n(p)),
                (p, false) => format!("{courses} for {} {}", n(p), plural(p, "person", "people")),
            });
        }
        if totals.trees > 0 {
            out.push(if vi {
                format!("trồng {} cây xanh", n(totals.trees))
            } else {
                let what = plural(totals.trees, "tree", "trees");
                format!("{} {what} planted", n(totals.trees))
            });
        }
        let d = &totals.donations;
        if d.count > 0 {
            let mut gifts = Vec::new();
            if d.money_vnd > 0 {
                gifts.push(money(d.money_vnd));
            }
            gifts.extend(d.items.iter().map(|it| items_phrase(it, lang)));
            out.push(match (gifts.is_empty(), vi) {
                (true, true) => format!("{} lượt ủng hộ", n(d.count)),
                (true, false) => format!(
                    "{} {}",
                    n(d.count),
                    plural(d.count, "donation", "donations")
                ),
                (false, true) => format!("ủng hộ {}", join_and(&gifts, lang)),
                (false, false) => format!("donations of {}", join_and(&gifts, lang)),
            });
        }
        let ev = &totals.events;
        if ev.count > 0 {
            let events = if vi {
                format!("{} hoạt động văn hoá, thể thao", n(ev.count))
            } else {
                let what = plural(
                    ev.count,
                    "cultural or sports event",
                    "cultural and sports events",
                );
                format!("{} {what}", n(ev.count))
            };
            out.push(match (ev.participants, vi) {
                (0, _) => events,
                (p, true) => format!("{events} với {} người tham gia", n(p)),
                (p, false) => {
                    let who = plural(p, "participant", "participants");
                    format!("{events} with {} {who}", n(p))
                }
            });
        }
        if totals.models > 0 {
            out.push(if vi {
                format!("{} mô hình, câu lạc bộ mới", n(totals.models))
            } else {
                let what = plural(totals.models, "new model or club", "new models and clubs");
                format!("{} {what}", n(totals.models))
            });
        }
        let ex = &totals.examples;
        if ex.total() > 0 {
            let mut split = Vec::new();
            if ex.collectives > 0 {
                split.push(if vi {
                    format!("{} tập thể", n(ex.collectives))
                } else {
                    let what = plural(ex.collectives, "collective", "collectives");
                    format!("{} {what}", n(ex.collectives))
                });
            }
            if ex.individuals > 0 {
                split.push(if vi {
                    format!("{} cá nhân", n(ex.individuals))
                } else {
                    let what = plural(ex.individuals, "individual", "individuals");
                    format!("{} {what}", n(ex.individuals))
                });
            }
            let what = if vi {
                "điển hình tiên tiến, người tốt việc tốt"
            } else {
                plural(
                    ex.total(),
                    "advanced example or good deed",
                    "advanced examples and good deeds",
                )
            };
            out.push(format!("{} {what} ({})", n(ex.total()), split.join(", ")));
        }
        if totals.other > 0 {
            out.push(if vi {
                format!("{} kết quả khác", n(totals.other))
            } else {
                let what = plural(totals.other, "other result", "other results");
                format!("{} {what}", n(totals.other))
            });
        }
        out
    }
}

/// The phrases joined with `; `, as one sentence without its final full stop.
pub fn line(totals: &Totals, lang: Lang) -> String {
    phrases(totals, lang).join("; ")
}

/// `khen thưởng 22 tập thể và 80 cá nhân` / `awards for 22 collectives and 80 individuals`;
/// empty when nothing was proposed.
pub fn awards_phrase(counts: &AwardCounts, lang: Lang) -> String {
    {
        let n = |x: u64| number(x, lang);
        let mut who = Vec::new();
        if counts.collectives > 0 {
            who.push(match lang {
                Lang::Vi => format!("{} tập thể", n(counts.collectives)),
                Lang::En => {
                    let what = plural(counts.collectives, "collective", "collectives");
                    format!("{} {what}", n(counts.collectives))
                }
            });
        }
        if counts.individuals > 0 {
            who.push(match lang {
                Lang::Vi => format!("{} cá nhân", n(counts.individuals)),
                Lang::En => {
                    let what = plural(counts.individuals, "individual", "individuals");
                    format!("{} {what}", n(counts.individuals))
                }
            });
        }
        if who.is_empty() {
            return String::new();
        }
        match lang {
            Lang::Vi => format!("khen thưởng {}", join_and(&who, lang)),
            Lang::En => format!("awards for {}", join_and(&who, lang)),
        }
    }
}

/// The summary as plain text, one paragraph or list item a line: title, period, results,
/// ranking, advanced examples, award proposals with their votes.
pub fn summary_text(summary: &Summary, lang: Lang) -> String {
    {
        let vi = lang == Lang::Vi;
        let mut out: Vec<String> = Vec::new();
        if !summary.title.is_empty() {
            out.push(summary.title.clone());
        }
        if let Some((start, end)) = summary.period {
            let label = if vi { "Thời gian" } else { "Period" };
            out.push(format!("{label}: {} – {}.", date(start), date(end)));
        }
        let line = line(&summary.totals, lang);
        out.push(match (line.is_empty(), vi) {
            (true, true) => "Chưa có kết quả được duyệt.".into(),
            (true, false) => "No approved results yet.".into(),
            (false, true) => format!("Kết quả (theo các báo cáo đã được duyệt): {line}."),
            (false, false) => format!("Results (approved reports): {line}."),
        });
        if !summary.units.is_empty() {
            out.push(if vi { "Xếp hạng:" } else { "Ranking:" }.into());
            for u in &summary.units {
                let pts = decimal(u.score.total, 2, lang);
                out.push(if vi {
                    format!("{}. {} – {pts} điểm", u.score.rank, u.name)
                } else {
                    let what = if u.score.total == 1.0 {
                        "point"
                    } else {
                        "points"
                    };
                    format!("{}. {} – {pts} {what}", u.score.rank, u.name)
                });
            }
        }
        if !summary.examples.is_empty() {
            out.push(
                if vi {
                    "Điển hình tiên tiến, người tốt việc tốt:"
                } else {
                    "Advanced examples and good deeds:"
                }
                .into(),
            );
            for e in &summary.examples {
                let kind = match (e.collective, vi) {
                    (true, true) => "tập thể, ",
                    (true, false) => "collective, ",
                    (false, _) => "",
                };
                out.push(format!("- {} ({kind}{})", e.nominee, e.unit_name));
            }
        }
        let awards = awards_phrase(&summary.award_counts, lang);
        if !awards.is_empty() {
            let passed = number(summary.award_counts.passed(), lang);
            out.push(if vi {
                format!("Đề nghị {awards}; biểu quyết thông qua {passed} đề nghị:")
            } else {
                let what = plural(summary.award_counts.passed(), "proposal", "proposals");
                format!("Proposed {awards}; {passed} {what} passed by vote:")
            });
            for a in &summary.awards {
                let v = &a.votes;
                let tally = if vi {
                    format!(
                        "{} tán thành, {} không tán thành, {} không biểu quyết",
                        v.for_, v.against, v.abstain
                    )
                } else {
                    format!(
                        "{} for, {} against, {} abstaining",
                        v.for_, v.against, v.abstain
                    )
                };
                let nominee = if a.collective {
                    a.nominee.clone()
                } else {
                    format!("{} ({})", a.nominee, a.unit_name)
                };
                out.push(format!(
                    "- {}: {nominee} – {} ({tally})",
                    award_label(a.kind, lang),
                    vote_label(a.result, lang)
                ));
            }
        }
        out.join("\n")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn rule_texts() {
        for rule in [SCORING_RULE_VI, SCORING_RULE_EN] {
            assert!(rule.contains("120%"), "{rule}");
            assert!(rule.contains('2'), "{rule}");
            assert!(
                !rule.contains("  "),
                "no doubled spaces from line breaks: {rule}"
            );
        }
        assert!(SCORING_RULE_VI.contains("đồng hạng"));
        assert!(SCORING_RULE_VI.contains("đã duyệt"));
        assert!(SCORING_RULE_EN.contains("share a rank"));
    }

    #[test]
    fn vote_rule_texts() {
        assert!(vote_rule(Vi).contains("nhiều hơn một nửa"));
        assert!(vote_rule(En).contains("more than half"));
    }

    #[test]
    fn money_in_words() {
        let cases: [(u64, &str, &str); 13] = [
            (0, "0 đồng", "0 VND"),
            (950_000, "950.000 đồng", "950,000 VND"),
            (999_999, "999.999 đồng", "999,999 VND"),
            (1_000_000, "1 triệu đồng", "1 million VND"),
            (33_800_000, "33,8 triệu đồng", "33.8 million VND"),
            (33_850_000, "33,9 triệu đồng", "33.9 million VND"),
            (105_000_000, "105 triệu đồng", "105 million VND"),
            (475_000_000, "475 triệu đồng", "475 million VND"),
            (999_949_999, "999,9 triệu đồng", "999.9 million VND"),
            (999_950_000, "1 tỷ đồng", "1 billion VND"),
            (2_050_000_000, "2,05 tỷ đồng", "2.05 billion VND"),
            (2_100_000_000, "2,1 tỷ đồng", "2.1 billion VND"),
            (1_250_000_000_000, "1.250 tỷ đồng", "1,250 billion VND"),
        ];
        for (n, vi, en) in cases {
            assert_eq!(money_words(n, Vi), vi, "{n}");
            assert_eq!(money_words(n, En), en, "{n}");
        }
        // No overflow at the top of the range.
        assert!(money_words(u64::MAX, Vi).ends_with("tỷ đồng"));
    }

    use super::*;
    use thidua_core::fixtures::*;
    use thidua_core::format::Lang::{En, Vi};
    use thidua_core::model::{AwardProposal, Body, Nominee, Votes};
    use thidua_core::summary::*;

    fn seed_totals() -> Totals {
        // Tan Yen district, 2020–2025 (seeds/002): 720 initiatives worth more than 2 billion,
        // 65 research topics worth over 105 million, 30 works, 20 safety courses for nearly
        // 2,100 people, nearly 1,500 trees.
        Totals {
            initiatives: CountValue {
                count: 720,
                value_vnd: 2_050_000_000,
            },
            research: CountValue {
                count: 65,
                value_vnd: 105_000_000,
            },
            works: 30,
            trainings: CountPeople {
                count: 20,
                participants: 2_100,
            },
            trees: 1_500,
            tree_plantings: 1,
            ..Totals::default()
        }
    }

    #[test]
    fn seed_figures_in_the_reports_words() {
        let t = seed_totals();
        assert_eq!(
            phrases(&t, Vi),
            vec![
                "720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng",
                "65 đề tài nghiên cứu khoa học được ứng dụng trị giá 105 triệu đồng",
                "30 công trình, sản phẩm chào mừng",
                "20 lớp tập huấn cho 2.100 người",
                "trồng 1.500 cây xanh",
            ]
        );
        assert_eq!(
            phrases(&t, En),
            vec![
                "720 initiatives worth 2.05 billion VND",
                "65 applied research topics worth 105 million VND",
                "30 works and products dedicated to the occasion",
                "20 training courses for 2,100 people",
                "1,500 trees planted",
            ]
        );
        assert_eq!(
            line(&t, Vi),
            "720 sáng kiến, cải tiến kỹ thuật trị giá 2,05 tỷ đồng; 65 đề tài nghiên cứu khoa \
             học được ứng dụng trị giá 105 triệu đồng; 30 công trình, sản phẩm chào mừng; 20 lớp \
             tập huấn cho 2.100 người; trồng 1.500 cây xanh"
        );
        let awards = AwardCounts {
            collectives: 22,
            individuals: 80,
            passed_collectives: 0,
            passed_individuals: 0,
        };
        assert_eq!(
            awards_phrase(&awards, Vi),
            "khen thưởng 22 tập thể và 80 cá nhân"
        );
        assert_eq!(
            awards_phrase(&awards, En),
            "awards for 22 collectives and 80 individuals"
        );
        assert_eq!(awards_phrase(&AwardCounts::default(), Vi), "");
    }

    #[test]
    fn singulars_and_edge_cases() {
        let t = Totals {
            initiatives: CountValue {
                count: 1,
                value_vnd: 0,
            },
            trainings: CountPeople {
                count: 1,
                participants: 1,
            },
            trees: 1,
            donations: Donations {
                count: 2,
                money_vnd: 950_000,
                items: vec![
                    Items {
                        name: "Sách".into(),
                        count: 1,
                    },
                    Items {
                        name: "thùng mì".into(),
                        count: 20,
                    },
                    Items {
                        name: "bánh chưng".into(),
                        count: 50,
                    },
                ],
            },
            examples: ExampleCounts {
                collectives: 1,
                individuals: 0,
            },
            other: 1,
            ..Totals::default()
        };
        assert_eq!(
            line(&t, En),
            "1 initiative; 1 training course for 1 person; 1 tree planted; donations of \
             950,000 VND, 1 book, 20 boxes of noodles and 50 bánh chưng; 1 advanced example or \
             good deed (1 collective); 1 other result"
        );
        assert_eq!(
            line(&t, Vi),
            "1 sáng kiến, cải tiến kỹ thuật; 1 lớp tập huấn cho 1 người; trồng 1 cây xanh; ủng \
             hộ 950.000 đồng, 1 Sách, 20 thùng mì và 50 bánh chưng; 1 điển hình tiên tiến, \
             người tốt việc tốt (1 tập thể); 1 kết quả khác"
        );
        let only_count = Totals {
            donations: Donations {
                count: 3,
                ..Donations::default()
            },
            ..Totals::default()
        };
        assert_eq!(line(&only_count, Vi), "3 lượt ủng hộ");
        assert_eq!(line(&only_count, En), "3 donations");
        assert_eq!(line(&Totals::default(), Vi), "");
    }

    #[test]
    fn the_demo_summary_in_words() {
        // Core's summary tests count these figures; here they are said.
        let mut d = demo_fixture();
        let s = summarize(&d.document, &d.campaign);
        assert!(summary_text(&s, Vi).contains("Chưa có kết quả được duyệt."));
        approve_all(&mut d.document);
        let s = summarize(&d.document, &d.campaign);
        let t = &s.totals;
        assert_eq!(
            line(t, Vi),
            "4 sáng kiến, cải tiến kỹ thuật trị giá 475 triệu đồng; 2 lớp tập huấn cho 305 \
             người; trồng 1.500 cây xanh; ủng hộ 33,8 triệu đồng và 641 sách; 1 hoạt động văn \
             hoá, thể thao với 120 người tham gia; 2 mô hình, câu lạc bộ mới; 1 điển hình tiên \
             tiến, người tốt việc tốt (1 cá nhân)"
        );
        assert_eq!(
            line(t, En),
            "4 initiatives worth 475 million VND; 2 training courses for 305 people; 1,500 trees \
             planted; donations of 33.8 million VND and 641 books; 1 cultural or sports event \
             with 120 participants; 2 new models and clubs; 1 advanced example or good deed \
             (1 individual)"
        );
    }

    fn proposal(nominee: Nominee, kind: AwardKind, votes: (u32, u32, u32)) -> Body {
        Body::AwardProposal(AwardProposal {
            campaign: Some(rid("dot-95-ngay")),
            kind,
            nominee,
            reason: "Dẫn đầu cụm".into(),
            entries: vec![],
            votes: Votes {
                for_: votes.0,
                against: votes.1,
                abstain: votes.2,
            },
            sent: None,
        })
    }

    #[test]
    fn awards_with_votes_in_the_text() {
        let mut d = demo_fixture();
        approve_all(&mut d.document);
        let lam_son = rid("lam-son");
        put(
            &mut d.document,
            "kt-1",
            proposal(
                Nominee::Person {
                    name: "Phan Quốc Tùng".into(),
                    unit: lam_son.clone(),
                },
                AwardKind::EmulationFighter,
                (4, 3, 0),
            ),
        );
        put(
            &mut d.document,
            "kt-2",
            proposal(
                Nominee::Unit {
                    unit: rid("nam-song-ma"),
                },
                AwardKind::EmulationFlag,
                (5, 1, 1),
            ),
        );
        put(
            &mut d.document,
            "kt-3",
            proposal(
                Nominee::Unit { unit: lam_son },
                AwardKind::CertificateOfMerit,
                (3, 1, 3),
            ),
        );
        // A proposal without a campaign is not part of this campaign's summary.
        let mut other = proposal(
            Nominee::Unit {
                unit: rid("medlatec"),
            },
            AwardKind::EmulationFlag,
            (7, 0, 0),
        );
        if let Body::AwardProposal(p) = &mut other {
            p.campaign = None;
        }
        put(&mut d.document, "kt-4", other);
        let s = summarize(&d.document, &d.campaign);
        assert_eq!(
            s.awards
                .iter()
                .map(|a| (a.proposal.as_str(), a.result))
                .collect::<Vec<_>>(),
            vec![
                ("kt-2", VoteResult::Passed),
                ("kt-3", VoteResult::Failed),
                ("kt-1", VoteResult::Passed),
            ]
        );
        assert_eq!(
            s.award_counts,
            AwardCounts {
                collectives: 2,
                individuals: 1,
                passed_collectives: 1,
                passed_individuals: 1,
            }
        );
        let vi = summary_text(&s, Vi);
        let expected_vi = "Đề nghị khen thưởng 2 tập thể và 1 cá nhân; biểu quyết thông qua 2 đề nghị:\n\
            - Cờ thi đua: Công ty TNHH MTV Thủy lợi Nam Sông Mã – thông qua (5 tán thành, 1 không tán thành, 1 không biểu quyết)\n\
            - Bằng khen: Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa – không thông qua (3 tán thành, 1 không tán thành, 3 không biểu quyết)\n\
            - Chiến sĩ thi đua: Phan Quốc Tùng (Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa) – thông qua (4 tán thành, 3 không tán thành, 0 không biểu quyết)";
        assert!(vi.ends_with(expected_vi), "{vi}");
        assert!(vi.starts_with("Đợt thi đua cao điểm 95 ngày"), "{vi}");
        assert!(
            vi.contains("\nThời gian: 15/04/2024 – 18/07/2024.\n"),
            "{vi}"
        );
        assert!(
            vi.contains("\n1. Công ty TNHH MTV Thủy lợi Nam Sông Mã – 30,67 điểm\n"),
            "{vi}"
        );
        assert!(vi.contains("\n5. Công ty TNHH MTV Sông Chu – 5 điểm\n5. Công ty TNHH MTV Thủy lợi Bắc Sông Mã – 5 điểm\n7. "), "{vi}");
        assert!(
            vi.contains("\n- Lê Văn Hùng (Công ty TNHH MTV Sông Chu)\n"),
            "{vi}"
        );
        let en = summary_text(&s, En);
        assert!(
            en.contains("\n1. Công ty TNHH MTV Thủy lợi Nam Sông Mã – 30.67 points\n"),
            "{en}"
        );
        assert!(en.contains("Proposed awards for 2 collectives and 1 individual; 2 proposals passed by vote:\n- Emulation Flag: "), "{en}");
        assert!(
            en.contains("passed (5 for, 1 against, 1 abstaining)"),
            "{en}"
        );
        assert!(
            en.contains("– not passed (3 for, 1 against, 3 abstaining)"),
            "{en}"
        );
    }
}
