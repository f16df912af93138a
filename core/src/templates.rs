//! Campaign templates: ready criteria for the kinds of movement the news reports describe, so a
//! cluster head sets up a campaign in a minute and edits from there.
//!
//! Each template's points add up to 100. A criterion is either counted in entries (initiatives,
//! topics, works, examples) or added up by the entries' figure (participants, trees, money), see
//! [`Measure`]. An entry counts toward one criterion only, so a template never measures the same
//! kind of result twice (e.g. initiatives by number *and* by value).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::format::Lang;
use crate::model::{Campaign, Criterion, Measure};
use Measure::{Entries, Figure};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignTemplate {
    /// Stable key, e.g. `cao-diem-95-ngay`.
    pub key: String,
    /// The template's name, as the template picker lists it.
    pub title_vi: String,
    pub title_en: String,
    /// The title of a campaign made from it; `{year}` stands for the year of its start, as a
    /// yearly movement is named ("Phong trào thi đua yêu nước năm 2024").
    pub campaign_vi: String,
    pub campaign_en: String,
    /// A suggested slogan (Vietnamese, as campaigns are launched).
    pub slogan_vi: String,
    /// Suggested length of the campaign in days, both ends included.
    pub period_days: u32,
    pub criteria: Vec<Criterion>,
}

impl CampaignTemplate {
    /// A campaign from this template starting on `start`, titled in Vietnamese (campaigns are
    /// launched in Vietnamese); the occasion is left for the cluster head to fill in.
    pub fn campaign(&self, start: NaiveDate) -> Campaign {
        self.campaign_in(start, Lang::Vi)
    }

    /// The title of a campaign from this template starting on `start`, in `lang`.
    pub fn campaign_title(&self, start: NaiveDate, lang: Lang) -> String {
        let title = match lang {
            Lang::Vi => &self.campaign_vi,
            Lang::En => &self.campaign_en,
        };
        title.replace("{year}", &start.year().to_string())
    }

    /// A campaign from this template starting on `start`, titled in `lang`.
    pub fn campaign_in(&self, start: NaiveDate, lang: Lang) -> Campaign {
        let days = u64::from(self.period_days.max(1) - 1);
        Campaign {
            title: self.campaign_title(start, lang),
            occasion: String::new(),
            slogan: self.slogan_vi.clone(),
            start,
            end: start.checked_add_days(Days::new(days)).unwrap_or(start),
            criteria: self.criteria.clone(),
            deadlines: Vec::new(),
        }
    }
}

fn criteria(list: &[(&str, &str, &str, u32, Measure)]) -> Vec<Criterion> {
    list.iter()
        .map(|(id, name, unit_of_measure, points, measure)| Criterion {
            id: (*id).into(),
            name: (*name).into(),
            unit_of_measure: (*unit_of_measure).into(),
            points: *points,
            measure: *measure,
        })
        .collect()
}

/// The templates, peak campaign first.
pub fn templates() -> Vec<CampaignTemplate> {
    vec![
        CampaignTemplate {
            // Cluster 18 of Thanh Hoa: 95 days, 15/04–10/07/2024, for the 95th anniversary of
            // the Vietnam Trade Union.
            key: "cao-diem-95-ngay".into(),
            title_vi: "Đợt thi đua cao điểm 95 ngày".into(),
            title_en: "95-day peak emulation campaign".into(),
            campaign_vi: "Đợt thi đua cao điểm 95 ngày".into(),
            campaign_en: "95-day peak emulation campaign".into(),
            slogan_vi: "Nâng cao năng suất, chất lượng, hiệu quả".into(),
            period_days: 95,
            criteria: criteria(&[
                (
                    "sang-kien",
                    "Sáng kiến, cải tiến kỹ thuật",
                    "sáng kiến",
                    30,
                    Entries,
                ),
                (
                    "tap-huan",
                    "Tập huấn an toàn, vệ sinh lao động",
                    "người tham gia",
                    20,
                    Figure,
                ),
                ("trong-cay", "Trồng cây xanh", "cây", 15, Figure),
                ("ung-ho", "Ủng hộ, quyên góp", "đồng", 15, Figure),
                (
                    "van-the",
                    "Hoạt động văn hoá, thể thao",
                    "người tham gia",
                    10,
                    Figure,
                ),
                (
                    "dien-hinh",
                    "Điển hình tiên tiến, người tốt việc tốt",
                    "điển hình",
                    10,
                    Entries,
                ),
            ]),
        },
        CampaignTemplate {
            // A yearly patriotic emulation movement, reviewed at six months and summed up at
            // the end of the year.
            key: "ca-nam".into(),
            title_vi: "Phong trào thi đua yêu nước hằng năm".into(),
            title_en: "Yearly patriotic emulation movement".into(),
            campaign_vi: "Phong trào thi đua yêu nước năm {year}".into(),
            campaign_en: "Patriotic emulation movement {year}".into(),
            slogan_vi: "Lao động giỏi, lao động sáng tạo".into(),
            period_days: 365,
            criteria: criteria(&[
                (
                    "gia-tri-sang-kien",
                    "Giá trị làm lợi của sáng kiến, cải tiến kỹ thuật",
                    "đồng",
                    20,
                    Figure,
                ),
                (
                    "de-tai",
                    "Đề tài nghiên cứu khoa học được ứng dụng",
                    "đề tài",
                    10,
                    Entries,
                ),
                (
                    "cong-trinh",
                    "Công trình, sản phẩm chào mừng",
                    "công trình",
                    10,
                    Entries,
                ),
                (
                    "tap-huan",
                    "Tập huấn an toàn, vệ sinh lao động",
                    "người tham gia",
                    15,
                    Figure,
                ),
                ("ung-ho", "Ủng hộ, quyên góp", "đồng", 10, Figure),
                ("trong-cay", "Trồng cây xanh", "cây", 10, Figure),
                (
                    "van-the",
                    "Hoạt động văn hoá, thể thao",
                    "hoạt động",
                    10,
                    Entries,
                ),
                ("mo-hinh", "Mô hình, câu lạc bộ mới", "mô hình", 5, Entries),
                (
                    "dien-hinh",
                    "Điển hình tiên tiến, người tốt việc tốt",
                    "điển hình",
                    10,
                    Entries,
                ),
            ]),
        },
        CampaignTemplate {
            // Tan Yen district, 2020–2025: 720 initiatives, 65 applied research topics, 30
            // works, 20 safety courses for 2,100 people, 1,500 trees, 22 collectives and 80
            // individuals honoured as advanced examples.
            key: "giai-doan-5-nam".into(),
            title_vi: "Phong trào thi đua giai đoạn 5 năm".into(),
            title_en: "Five-year emulation movement".into(),
            campaign_vi: "Phong trào thi đua giai đoạn 5 năm".into(),
            campaign_en: "Five-year emulation movement".into(),
            slogan_vi: "Thi đua lao động sản xuất, xây dựng giai cấp công nhân vững mạnh".into(),
            period_days: 1826,
            criteria: criteria(&[
                (
                    "sang-kien",
                    "Sáng kiến, giải pháp công tác",
                    "sáng kiến",
                    25,
                    Entries,
                ),
                (
                    "de-tai",
                    "Đề tài nghiên cứu khoa học được ứng dụng",
                    "đề tài",
                    15,
                    Entries,
                ),
                (
                    "cong-trinh",
                    "Công trình, sản phẩm gắn biển",
                    "công trình",
                    15,
                    Entries,
                ),
                (
                    "tap-huan",
                    "Huấn luyện an toàn, vệ sinh lao động",
                    "người tham gia",
                    15,
                    Figure,
                ),
                ("trong-cay", "Trồng cây xanh", "cây", 10, Figure),
                ("dien-hinh", "Điển hình tiên tiến", "điển hình", 20, Entries),
            ]),
        },
    ]
}

/// The template with this key.
pub fn template(key: &str) -> Option<CampaignTemplate> {
    templates().into_iter().find(|t| t.key == key)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::demo::CRITERIA;
    use crate::fixtures::*;
    use crate::model::{Body, EntryDetails, Pledge, Target};
    use crate::scoring::score;
    use crate::validate::validate;
    use std::collections::BTreeSet;

    #[test]
    fn templates_are_valid_campaigns() {
        let ts = templates();
        assert!(ts.len() >= 2);
        let keys: BTreeSet<_> = ts.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys.len(), ts.len());
        let doc = demo_fixture().document;
        let start = NaiveDate::from_ymd_opt(2024, 4, 15).unwrap();
        for t in &ts {
            assert_eq!(
                t.criteria.iter().map(|c| c.points).sum::<u32>(),
                100,
                "{}",
                t.key
            );
            let c = t.campaign(start);
            assert_eq!(
                validate(&doc, &Body::Campaign(c.clone())),
                Ok(()),
                "{}",
                t.key
            );
            assert_eq!((c.end - c.start).num_days() + 1, i64::from(t.period_days));
            assert!(!t.title_en.is_empty() && !t.slogan_vi.is_empty());
            // Figures are added up only for criteria measured in money, people or trees.
            for cr in &t.criteria {
                if cr.measure == Measure::Figure {
                    assert!(
                        ["đồng", "người tham gia", "cây"].contains(&cr.unit_of_measure.as_str()),
                        "{} {}",
                        t.key,
                        cr.id
                    );
                }
            }
        }
        let peak = template("cao-diem-95-ngay").unwrap();
        assert_eq!(
            peak.campaign(start).end,
            NaiveDate::from_ymd_opt(2024, 7, 18).unwrap()
        );
        assert!(template("nope").is_none());
    }

    #[test]
    fn a_yearly_campaign_is_titled_with_the_year_of_its_start() {
        let year = template("ca-nam").unwrap();
        let start = NaiveDate::from_ymd_opt(2025, 1, 2).unwrap();
        assert_eq!(
            year.campaign(start).title,
            "Phong trào thi đua yêu nước năm 2025"
        );
        assert_eq!(
            year.campaign_in(start, Lang::En).title,
            "Patriotic emulation movement 2025"
        );
        // A movement that starts in December is that year's, not the next.
        let december = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
        assert_eq!(
            year.campaign(december).title,
            "Phong trào thi đua yêu nước năm 2024"
        );
        // No campaign title is left dangling ("… năm") or holding a placeholder.
        for t in templates() {
            for lang in [Lang::Vi, Lang::En] {
                let title = t.campaign_in(start, lang).title;
                assert!(!title.contains('{'), "{title}");
                let words: Vec<&str> = title.split_whitespace().rev().take(2).collect();
                if words.first() == Some(&"năm") {
                    // "giai đoạn 5 năm" (five years) is whole; "… yêu nước năm" is not.
                    assert!(
                        words.get(1).is_some_and(|w| w.parse::<u32>().is_ok()),
                        "{title}"
                    );
                }
            }
        }
    }

    #[test]
    fn peak_template_matches_the_demo() {
        let peak = template("cao-diem-95-ngay").unwrap();
        let demo: Vec<_> = CRITERIA
            .iter()
            .map(|(id, name, uom, points, measure)| (*id, *name, *uom, *points, *measure))
            .collect();
        let tpl: Vec<_> = peak
            .criteria
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.name.as_str(),
                    c.unit_of_measure.as_str(),
                    c.points,
                    c.measure,
                )
            })
            .collect();
        assert_eq!(tpl, demo);
    }

    #[test]
    fn year_template_scores_initiatives_by_value() {
        let mut d = demo_fixture();
        let year = template("ca-nam").unwrap();
        let campaign = year.campaign(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        put(&mut d.document, "nam-2024", Body::Campaign(campaign));
        let pledge = Pledge {
            campaign: rid("nam-2024"),
            unit: rid("lam-son"),
            targets: vec![Target {
                criterion: "gia-tri-sang-kien".into(),
                target: 500_000_000.0,
            }],
            commitments: String::new(),
            signed_on: day0(),
        };
        put(&mut d.document, "giao-uoc-nam", Body::Pledge(pledge));
        for (n, value) in [120_000_000u64, 280_000_000].into_iter().enumerate() {
            let mut e = entry(
                "lam-son",
                "gia-tri-sang-kien",
                EntryDetails::Initiative { value_vnd: value },
            );
            e.campaign = rid("nam-2024");
            put(&mut d.document, &format!("sk-{n}"), Body::Entry(e));
            approve(&mut d.document, &format!("sk-{n}"));
        }
        let rows = score(&d.document, &rid("nam-2024"));
        assert_eq!(rows[0].unit.as_str(), "lam-son");
        // 400 million of 500 million → 20 × 0.8.
        assert_eq!(rows[0].total, 16.0);
        assert_eq!(rows[0].criteria[0].approved, 400_000_000.0);
    }
}
