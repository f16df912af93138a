//! A demo cluster drawn from the news reports in `shared/seeds/`: Emulation
//! Cluster No. 18 of Thanh Hoa (Decision 1197/QĐ-UBND of 27/03/2024), its seven
//! member units, and a 95-day peak campaign like the 15/04–10/07/2024 one,
//! placed around `today` so that it is running, with pledges and entries.
//!
//! Used by the server's `demo` command (so a newcomer has something to click
//! through) and by tests that want realistic figures.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use crate::ids::{DeviceId, IdError, RecordId, UnitId};
use crate::model::*;
use crate::sync::Document;

/// The demo's ids, for invites and tests.
#[derive(Debug, Clone)]
pub struct Demo {
    pub document: Document,
    pub cluster: RecordId,
    pub campaign: RecordId,
    /// In the order of [`UNITS`]; the head is [`HEAD`], the deputy [`DEPUTY`].
    pub units: Vec<UnitId>,
}

/// The seven member units named in the seed report, with their kinds.
pub const UNITS: [(&str, &str, UnitKind); 7] = [
    (
        "nam-song-ma",
        "Công ty TNHH MTV Thủy lợi Nam Sông Mã",
        UnitKind::Enterprise,
    ),
    (
        "moi-truong-do-thi",
        "Công ty CP Môi trường và Công trình đô thị Thanh Hóa",
        UnitKind::Enterprise,
    ),
    (
        "cap-nuoc",
        "Công ty CP Cấp nước Thanh Hóa",
        UnitKind::Enterprise,
    ),
    (
        "song-chu",
        "Công ty TNHH MTV Sông Chu",
        UnitKind::Enterprise,
    ),
    (
        "bac-song-ma",
        "Công ty TNHH MTV Thủy lợi Bắc Sông Mã",
        UnitKind::Enterprise,
    ),
    (
        "lam-son",
        "Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa",
        UnitKind::GrassrootsUnion,
    ),
    (
        "medlatec",
        "Công ty TNHH MEDLATEC Thanh Hóa",
        UnitKind::Enterprise,
    ),
];
/// Lam Sơn leads the cluster (its head, Phan Quốc Tùng, opened the 6-month review).
pub const HEAD: usize = 5;
/// Bắc Sông Mã Irrigation is deputy (Nguyễn Ngọc Tuấn reported at the review).
pub const DEPUTY: usize = 4;
/// The officer the demo prints an invite for.
pub const DEMO_OFFICER: usize = 6;

/// Criteria of the demo campaign: id, name, unit of measure, points, measure. Initiatives and
/// advanced examples count entries; the others add up participants, trees and money.
pub const CRITERIA: [(&str, &str, &str, u32, Measure); 6] = [
    (
        "sang-kien",
        "Sáng kiến, cải tiến kỹ thuật",
        "sáng kiến",
        30,
        Measure::Entries,
    ),
    (
        "tap-huan",
        "Tập huấn an toàn, vệ sinh lao động",
        "người tham gia",
        20,
        Measure::Figure,
    ),
    ("trong-cay", "Trồng cây xanh", "cây", 15, Measure::Figure),
    ("ung-ho", "Ủng hộ, quyên góp", "đồng", 15, Measure::Figure),
    (
        "van-the",
        "Hoạt động văn hoá, thể thao",
        "người tham gia",
        10,
        Measure::Figure,
    ),
    (
        "dien-hinh",
        "Điển hình tiên tiến, người tốt việc tốt",
        "điển hình",
        10,
        Measure::Entries,
    ),
];

/// How many of the demo's results (oldest first) the head has approved.
pub const APPROVED_IN_DEMO: usize = 8;

fn id(s: &str) -> Result<RecordId, IdError> {
    RecordId::new(s)
}

/// Builds the demo document as written by `device` at `now`.
pub fn demo(today: NaiveDate, device: &DeviceId, now: DateTime<Utc>) -> Result<Demo, IdError> {
    let cluster = id("cum-18")?;
    let campaign = id("dot-95-ngay")?;
    let mut doc = Document::new(cluster.clone());
    let units: Vec<UnitId> = UNITS
        .iter()
        .map(|(key, _, _)| id(key))
        .collect::<Result<_, _>>()?;
    let head = units[HEAD].clone();
    let put = |doc: &mut Document, rid: RecordId, body: Body, unit: &UnitId| {
        doc.put(rid, body, device, Some(unit.clone()), now);
    };

    put(
        &mut doc,
        cluster.clone(),
        Body::Cluster(Cluster {
            name: "Cụm thi đua số 18 tỉnh Thanh Hóa".into(),
            decision: Decision {
                number: "1197/QĐ-UBND".into(),
                date: NaiveDate::from_ymd_opt(2024, 3, 27).unwrap_or(today),
                issuer: "Chủ tịch UBND tỉnh Thanh Hóa".into(),
            },
            year: today.year(),
            former_units: Vec::new(),
        }),
        &head,
    );
    for ((_, name, kind), unit) in UNITS.iter().zip(&units) {
        put(
            &mut doc,
            unit.clone(),
            Body::Unit(Unit {
                name: (*name).into(),
                kind: *kind,
            }),
            &head,
        );
    }
    put(
        &mut doc,
        id(&format!("vai-tro-{}", today.year()))?,
        Body::Roles(Roles {
            year: today.year(),
            head: head.clone(),
            deputy: Some(units[DEPUTY].clone()),
        }),
        &head,
    );

    // 95 days, 15/04–10/07 in the seed; here started 40 days ago.
    let start = today.checked_sub_days(Days::new(40)).unwrap_or(today);
    let end = start.checked_add_days(Days::new(94)).unwrap_or(today);
    put(
        &mut doc,
        campaign.clone(),
        Body::Campaign(Campaign {
            title:
                "Đợt thi đua cao điểm 95 ngày chào mừng 95 năm Ngày thành lập Công đoàn Việt Nam"
                    .into(),
            occasion: "Kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 – 28/7/2024)"
                .into(),
            slogan: "Nâng cao năng suất, chất lượng, hiệu quả".into(),
            start,
            end,
            criteria: CRITERIA
                .iter()
                .map(|(cid, name, unit_of_measure, points, measure)| Criterion {
                    id: (*cid).into(),
                    name: (*name).into(),
                    unit_of_measure: (*unit_of_measure).into(),
                    points: *points,
                    measure: *measure,
                })
                .collect(),
            deadlines: Vec::new(),
        }),
        &head,
    );

    // Every unit pledged at the launch ceremony; targets differ by size.
    let signed_on = start.checked_add_days(Days::new(6)).unwrap_or(start);
    for (n, unit) in units.iter().enumerate() {
        let scale = 1.0 + (n % 3) as f64 * 0.5;
        let targets = [
            ("sang-kien", 4.0),
            ("tap-huan", 150.0),
            ("trong-cay", 200.0),
            ("ung-ho", 10_000_000.0),
            ("van-the", 100.0),
            ("dien-hinh", 2.0),
        ]
        .into_iter()
        .map(|(criterion, target)| Target {
            criterion: criterion.into(),
            target: (target * scale).round(),
        })
        .collect();
        put(
            &mut doc,
            id(&format!("giao-uoc-{}", UNITS[n].0))?,
            Body::Pledge(Pledge {
                campaign: campaign.clone(),
                unit: unit.clone(),
                targets,
                commitments:
                    "Thi đua lao động giỏi, lao động sáng tạo; bảo đảm an toàn, vệ sinh lao động; \
                              chăm lo đời sống đoàn viên, người lao động."
                        .into(),
                signed_on,
            }),
            unit,
        );
    }

    // Entries, with figures from the seed reports.
    let day = |n: u64| {
        start
            .checked_add_days(Days::new(n))
            .unwrap_or(start)
            .min(today)
    };
    let entries: [(usize, &str, u64, &str, &str, EntryDetails); 12] = [
        (
            5,
            "sang-kien",
            8,
            "Cải tiến hệ thống băm mía dây chuyền 2",
            "Giảm 6% điện năng mỗi ca ép.",
            EntryDetails::Initiative {
                value_vnd: 120_000_000,
            },
        ),
        (
            5,
            "tap-huan",
            12,
            "Tập huấn an toàn, vệ sinh lao động vụ ép 2024",
            "Cho công nhân các tổ sản xuất.",
            EntryDetails::Training { participants: 210 },
        ),
        (
            0,
            "trong-cay",
            15,
            "Trồng cây xanh dọc kênh Nam",
            "Ra quân Tết trồng cây.",
            EntryDetails::Trees { count: 1_500 },
        ),
        (
            2,
            "sang-kien",
            18,
            "Lắp đồng hồ nước thông minh cho khu đô thị mới",
            "Giảm thất thoát nước.",
            EntryDetails::Initiative {
                value_vnd: 85_000_000,
            },
        ),
        (
            6,
            "van-the",
            20,
            "Giải cầu lông công nhân viên chức lao động",
            "Chào mừng 95 năm Công đoàn Việt Nam.",
            EntryDetails::Event { participants: 120 },
        ),
        (
            1,
            "ung-ho",
            22,
            "Ủng hộ sách và tiền cho học sinh vùng khó",
            "641 cuốn sách và 33,8 triệu đồng.",
            EntryDetails::Donation {
                money_vnd: 33_800_000,
                items: "sách".into(),
                item_count: 641,
            },
        ),
        (
            3,
            "dien-hinh",
            25,
            "Anh Lê Văn Hùng, tổ vận hành trạm bơm",
            "Người tốt, việc tốt: cứu hộ đê kịp thời.",
            EntryDetails::AdvancedExample {
                nominee: "Lê Văn Hùng".into(),
                collective: false,
            },
        ),
        (
            4,
            "sang-kien",
            27,
            "Tự động hoá cửa cống Bắc Sông Mã",
            "Điều khiển từ xa 4 cửa cống.",
            EntryDetails::Initiative {
                value_vnd: 210_000_000,
            },
        ),
        (
            5,
            "",
            29,
            "Ra mắt mô hình \"3V\"",
            "Vì người lao động – Vì tổ chức Công đoàn – Vì sự phát triển bền vững doanh nghiệp.",
            EntryDetails::Model,
        ),
        (
            6,
            "",
            31,
            "Thành lập Câu lạc bộ Bảo hộ lao động",
            "",
            EntryDetails::Model,
        ),
        (
            0,
            "tap-huan",
            33,
            "Lớp huấn luyện an toàn vận hành trạm bơm",
            "",
            EntryDetails::Training { participants: 95 },
        ),
        (
            6,
            "sang-kien",
            36,
            "Số hoá quy trình trả kết quả xét nghiệm",
            "Trả kết quả qua ứng dụng trong 2 giờ.",
            EntryDetails::Initiative {
                value_vnd: 60_000_000,
            },
        ),
    ];
    for (n, (unit_index, criterion, offset, title, description, details)) in
        entries.into_iter().enumerate()
    {
        let unit = &units[unit_index];
        put(
            &mut doc,
            id(&format!("ket-qua-{}", n + 1))?,
            Body::Entry(Entry {
                unit: unit.clone(),
                campaign: campaign.clone(),
                criterion: (!criterion.is_empty()).then(|| criterion.to_owned()),
                date: day(offset),
                title: title.into(),
                description: description.into(),
                details,
                corrects: None,
                files: Vec::new(),
            }),
            unit,
        );
    }
    Ok(Demo {
        document: doc,
        cluster,
        campaign,
        units,
    })
}

/// The demo as a newcomer first sees it: the head has already approved the
/// [`APPROVED_IN_DEMO`] oldest results, so the scoreboard ranks something on day one, and the
/// newest wait in the review queue. (Tests start from [`demo`], with nothing reviewed.)
pub fn demo_reviewed(
    today: NaiveDate,
    device: &DeviceId,
    now: DateTime<Utc>,
) -> Result<Demo, IdError> {
    let mut demo = demo(today, device, now)?;
    let head = demo.units[HEAD].clone();
    for n in 1..=APPROVED_IN_DEMO {
        let entry = id(&format!("ket-qua-{n}"))?;
        let Some(entry_clock) = demo.document.get(&entry).map(|r| r.clock()) else {
            continue;
        };
        demo.document.put(
            id(&format!("duyet-{n}"))?,
            Body::Review(Review {
                entry,
                entry_clock,
                decision: ReviewDecision::Approve,
            }),
            device,
            Some(head.clone()),
            now,
        );
    }
    Ok(demo)
}

/// The demo federation: the Thanh Hóa Federation of Labour, whose board runs Cluster No. 18
/// (the [`demo_reviewed`] cluster, its campaign now carrying reporting deadlines) and two more
/// clusters drawn from the seeds: the Nghi Sơn Economic Zone and Industrial Parks unions'
/// cluster (Rollsport and Annora shoe companies' unions, who launched the "3V" model; one
/// proposal sent up to the board) and the bloc of the Department's centres and boards (641
/// books and 33.8 million VND donated, a badminton tournament). Campaigns run today; some
/// units are behind on reporting.
#[derive(Debug, Clone)]
pub struct DemoFederation {
    pub id: RecordId,
    pub name: String,
    /// The unit id the board writes as.
    pub board_unit: UnitId,
    /// Cluster No. 18 first.
    pub clusters: Vec<Demo>,
    /// The head unit of each cluster, in the order of `clusters`.
    pub heads: Vec<UnitId>,
}

/// The demo federation's id and name.
pub const FEDERATION: (&str, &str) = ("thanh-hoa", "Liên đoàn Lao động tỉnh Thanh Hóa");

/// The board's unit id for a federation id: `fed-<id>`.
pub fn board_unit(federation: &RecordId) -> Result<UnitId, IdError> {
    id(&format!("fed-{federation}"))
}

/// The proposal the demo sent up to the board (in the Nghi Sơn cluster).
pub const SENT_PROPOSAL: &str = "de-nghi-rollsport";

/// Reporting deadlines of a campaign running from `start` to `end`: a mid-campaign report 30
/// days in (past by the demo's today) and the closing report 5 days after the end.
fn demo_deadlines(start: NaiveDate, end: NaiveDate) -> Vec<Deadline> {
    vec![
        Deadline {
            name: "Báo cáo giữa đợt".into(),
            due: start.checked_add_days(Days::new(30)).unwrap_or(start),
        },
        Deadline {
            name: "Báo cáo kết thúc đợt".into(),
            due: end.checked_add_days(Days::new(5)).unwrap_or(end),
        },
    ]
}

/// Builds the demo federation as written at `now` (`device` writes for the clusters; results
/// are dated back so that reporting shows on time, late and missing units).
pub fn federation(
    today: NaiveDate,
    device: &DeviceId,
    now: DateTime<Utc>,
) -> Result<DemoFederation, IdError> {
    let fed = id(FEDERATION.0)?;
    let board = board_unit(&fed)?;
    let mut c18 = demo_reviewed(today, device, now)?;
    if let Some(mut camp) = c18.document.get_campaign(&c18.campaign).cloned() {
        camp.deadlines = demo_deadlines(camp.start, camp.end);
        c18.document.put(
            c18.campaign.clone(),
            Body::Campaign(camp),
            device,
            Some(board.clone()),
            now,
        );
    }
    let nghi_son = nghi_son(today, device, now)?;
    let bloc = bloc(today, device, now)?;
    Ok(DemoFederation {
        id: fed,
        name: FEDERATION.1.into(),
        board_unit: board,
        heads: vec![
            c18.units[HEAD].clone(),
            nghi_son.units[0].clone(),
            bloc.units[0].clone(),
        ],
        clusters: vec![c18, nghi_son, bloc],
    })
}

/// One more demo cluster: its record, units (head first, deputy second), roles and a campaign
/// with the given criteria ids of [`CRITERIA`] and deadlines.
struct Plan<'a> {
    cluster: &'a str,
    name: &'a str,
    decision: (&'a str, &'a str),
    units: &'a [(&'a str, &'a str, UnitKind)],
    campaign: &'a str,
    title: &'a str,
    occasion: &'a str,
    slogan: &'a str,
    /// Days before today it started, and its length in days.
    started: u64,
    days: u64,
    criteria: &'a [&'a str],
}

fn planned(
    plan: &Plan,
    today: NaiveDate,
    device: &DeviceId,
    now: DateTime<Utc>,
) -> Result<Demo, IdError> {
    let cluster = id(plan.cluster)?;
    let campaign = id(plan.campaign)?;
    let units: Vec<UnitId> = plan
        .units
        .iter()
        .map(|(key, _, _)| id(key))
        .collect::<Result<_, _>>()?;
    let head = units[0].clone();
    let mut doc = Document::new(cluster.clone());
    let start = today
        .checked_sub_days(Days::new(plan.started))
        .unwrap_or(today);
    let end = start
        .checked_add_days(Days::new(plan.days - 1))
        .unwrap_or(today);
    // Structure written when the campaign was launched.
    let launched = now - chrono::Duration::days(i64::try_from(plan.started).unwrap_or(0));
    doc.put(
        cluster.clone(),
        Body::Cluster(Cluster {
            name: plan.name.into(),
            decision: Decision {
                number: plan.decision.0.into(),
                date: start.checked_sub_days(Days::new(20)).unwrap_or(start),
                issuer: plan.decision.1.into(),
            },
            year: today.year(),
            former_units: Vec::new(),
        }),
        device,
        Some(head.clone()),
        launched,
    );
    for ((_, name, kind), unit) in plan.units.iter().zip(&units) {
        doc.put(
            unit.clone(),
            Body::Unit(Unit {
                name: (*name).into(),
                kind: *kind,
            }),
            device,
            Some(head.clone()),
            launched,
        );
    }
    doc.put(
        id(&format!("vai-tro-{}-{}", plan.cluster, today.year()))?,
        Body::Roles(Roles {
            year: today.year(),
            head: head.clone(),
            deputy: units.get(1).cloned(),
        }),
        device,
        Some(head.clone()),
        launched,
    );
    doc.put(
        campaign.clone(),
        Body::Campaign(Campaign {
            title: plan.title.into(),
            occasion: plan.occasion.into(),
            slogan: plan.slogan.into(),
            start,
            end,
            criteria: CRITERIA
                .iter()
                .filter(|c| plan.criteria.contains(&c.0))
                .map(|(cid, name, unit_of_measure, points, measure)| Criterion {
                    id: (*cid).into(),
                    name: (*name).into(),
                    unit_of_measure: (*unit_of_measure).into(),
                    points: *points,
                    measure: *measure,
                })
                .collect(),
            deadlines: demo_deadlines(start, end),
        }),
        device,
        Some(head.clone()),
        launched,
    );
    Ok(Demo {
        document: doc,
        cluster,
        campaign,
        units,
    })
}

/// A result of unit `unit` written `ago` days before `now`, dated that day (within the
/// campaign), approved by the head when `approve`.
#[allow(clippy::too_many_arguments)]
fn reported(
    demo: &mut Demo,
    key: &str,
    unit: usize,
    criterion: &str,
    ago: i64,
    title: &str,
    details: EntryDetails,
    approve: bool,
    device: &DeviceId,
    now: DateTime<Utc>,
) -> Result<(), IdError> {
    let at = now - chrono::Duration::days(ago);
    let entry = id(key)?;
    let unit_id = demo.units[unit].clone();
    let start = demo
        .document
        .get_campaign(&demo.campaign)
        .map(|c| c.start)
        .unwrap_or(at.date_naive());
    demo.document.put(
        entry.clone(),
        Body::Entry(Entry {
            unit: unit_id.clone(),
            campaign: demo.campaign.clone(),
            criterion: (!criterion.is_empty()).then(|| criterion.to_owned()),
            date: at.date_naive().max(start),
            title: title.into(),
            description: String::new(),
            details,
            corrects: None,
            files: Vec::new(),
        }),
        device,
        Some(unit_id),
        at,
    );
    if approve {
        let head = demo.units[0].clone();
        if let Some(entry_clock) = demo.document.get(&entry).map(|r| r.clock()) {
            demo.document.put(
                id(&format!("duyet-{key}"))?,
                Body::Review(Review {
                    entry,
                    entry_clock,
                    decision: ReviewDecision::Approve,
                }),
                device,
                Some(head),
                at + chrono::Duration::days(1).min(now - at),
            );
        }
    }
    Ok(())
}

/// Cluster No. 3 of the Federation: the unions of the Nghi Sơn Economic Zone and the
/// industrial parks, with the Rollsport and Annora shoe companies' unions.
fn nghi_son(today: NaiveDate, device: &DeviceId, now: DateTime<Utc>) -> Result<Demo, IdError> {
    let mut d = planned(
        &Plan {
            cluster: "cum-3-kktns",
            name: "Cụm thi đua số 3 – Công đoàn Khu kinh tế Nghi Sơn và các KCN tỉnh Thanh Hóa",
            decision: (
                "215/QĐ-LĐLĐ",
                "Ban Thường vụ Liên đoàn Lao động tỉnh Thanh Hóa",
            ),
            units: &[
                (
                    "cd-rollsport",
                    "Công đoàn Công ty TNHH Giày Rollsport Việt Nam",
                    UnitKind::GrassrootsUnion,
                ),
                (
                    "cd-annora",
                    "Công đoàn Công ty TNHH Giày Annora Việt Nam",
                    UnitKind::GrassrootsUnion,
                ),
                (
                    "cd-kcn-le-mon",
                    "Công đoàn cơ sở các doanh nghiệp KCN Lễ Môn",
                    UnitKind::GrassrootsUnion,
                ),
                (
                    "cd-kcn-hoang-long",
                    "Công đoàn cơ sở các doanh nghiệp KCN Hoàng Long",
                    UnitKind::GrassrootsUnion,
                ),
            ],
            campaign: "dot-95-ngay-kktns",
            title:
                "Đợt thi đua cao điểm 95 ngày chào mừng 95 năm Ngày thành lập Công đoàn Việt Nam",
            occasion: "Kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 – 28/7/2024)",
            slogan: "Nâng cao năng suất, chất lượng, hiệu quả",
            started: 40,
            days: 95,
            criteria: &["sang-kien", "tap-huan", "trong-cay", "van-the", "dien-hinh"],
        },
        today,
        device,
        now,
    )?;
    // Rollsport and Annora reported before the mid-campaign deadline (30 days in, 10 days
    // ago); Lễ Môn only after it (late); Hoàng Long nothing yet.
    let rows: [(&str, usize, &str, i64, &str, EntryDetails, bool); 7] = [
        (
            "kq-rs-1",
            0,
            "",
            30,
            "Ra mắt mô hình \"3V\" tại Công ty Giày Rollsport",
            EntryDetails::Model,
            true,
        ),
        (
            "kq-rs-2",
            0,
            "sang-kien",
            25,
            "Cải tiến khuôn ép đế giày",
            EntryDetails::Initiative {
                value_vnd: 150_000_000,
            },
            true,
        ),
        (
            "kq-an-1",
            1,
            "",
            28,
            "Ra mắt mô hình \"3V\" tại Công ty Giày Annora",
            EntryDetails::Model,
            true,
        ),
        (
            "kq-an-2",
            1,
            "tap-huan",
            20,
            "Tập huấn an toàn, vệ sinh lao động cho công nhân mới",
            EntryDetails::Training { participants: 320 },
            true,
        ),
        (
            "kq-an-3",
            1,
            "van-the",
            12,
            "Hội thao công nhân viên chức lao động KKT Nghi Sơn",
            EntryDetails::Event { participants: 450 },
            false,
        ),
        (
            "kq-lm-1",
            2,
            "trong-cay",
            4,
            "Trồng cây xanh tại KCN Lễ Môn",
            EntryDetails::Trees { count: 600 },
            false,
        ),
        (
            "kq-rs-3",
            0,
            "sang-kien",
            2,
            "Thành lập Câu lạc bộ Bảo hộ lao động",
            EntryDetails::Model,
            false,
        ),
    ];
    for (key, unit, criterion, ago, title, details, approve) in rows {
        reported(
            &mut d, key, unit, criterion, ago, title, details, approve, device, now,
        )?;
    }
    // The cluster voted to propose Rollsport's union for the Emulation Flag and sent it up.
    let head = d.units[0].clone();
    d.document.put(
        id(SENT_PROPOSAL)?,
        Body::AwardProposal(AwardProposal {
            campaign: Some(d.campaign.clone()),
            kind: AwardKind::EmulationFlag,
            nominee: Nominee::Unit { unit: head.clone() },
            reason: "Dẫn đầu phong trào thi đua, ra mắt mô hình \"3V\"".into(),
            entries: vec![id("kq-rs-1")?, id("kq-rs-2")?],
            votes: Votes {
                for_: 3,
                against: 0,
                abstain: 1,
            },
            sent: Some(now - chrono::Duration::days(1)),
        }),
        device,
        Some(head),
        now - chrono::Duration::days(1),
    );
    Ok(d)
}

/// The bloc of the Department's centres and boards: a yearly movement with donations and a
/// badminton tournament.
fn bloc(today: NaiveDate, device: &DeviceId, now: DateTime<Utc>) -> Result<Demo, IdError> {
    let mut d = planned(
        &Plan {
            cluster: "khoi-trung-tam",
            name: "Khối thi đua các trung tâm, ban quản lý thuộc Sở",
            decision: (
                "88/QĐ-LĐLĐ",
                "Ban Thường vụ Liên đoàn Lao động tỉnh Thanh Hóa",
            ),
            units: &[
                (
                    "tt-dich-vu-viec-lam",
                    "Trung tâm Dịch vụ việc làm",
                    UnitKind::Agency,
                ),
                (
                    "tt-bao-tro-xa-hoi",
                    "Trung tâm Bảo trợ xã hội",
                    UnitKind::Agency,
                ),
                (
                    "ban-qlda",
                    "Ban Quản lý dự án đầu tư xây dựng",
                    UnitKind::Agency,
                ),
                (
                    "tt-dieu-duong",
                    "Trung tâm Điều dưỡng người có công",
                    UnitKind::Agency,
                ),
                (
                    "tt-cong-tac-xa-hoi",
                    "Trung tâm Công tác xã hội",
                    UnitKind::Agency,
                ),
            ],
            campaign: "phong-trao-nam-khoi",
            title: "Phong trào thi đua yêu nước năm của Khối",
            occasion: "",
            slogan: "Đoàn kết, kỷ cương, linh hoạt, đổi mới, kịp thời, hiệu quả",
            started: 45,
            days: 200,
            criteria: &["sang-kien", "ung-ho", "van-the"],
        },
        today,
        device,
        now,
    )?;
    let rows: [(&str, usize, &str, i64, &str, EntryDetails, bool); 4] = [
        (
            "kq-kh-1",
            0,
            "ung-ho",
            35,
            "Tặng tủ sách năm: sách và tiền mua tủ sách",
            EntryDetails::Donation {
                money_vnd: 33_800_000,
                items: "sách".into(),
                item_count: 641,
            },
            true,
        ),
        (
            "kq-kh-2",
            1,
            "van-the",
            30,
            "Giải cầu lông của Khối",
            EntryDetails::Event { participants: 140 },
            true,
        ),
        (
            "kq-kh-3",
            2,
            "sang-kien",
            20,
            "Số hoá hồ sơ quản lý dự án",
            EntryDetails::Initiative {
                value_vnd: 45_000_000,
            },
            false,
        ),
        (
            "kq-kh-4",
            0,
            "sang-kien",
            6,
            "Phần mềm kết nối việc làm cho người lao động",
            EntryDetails::Initiative {
                value_vnd: 70_000_000,
            },
            false,
        ),
    ];
    for (key, unit, criterion, ago, title, details, approve) in rows {
        reported(
            &mut d, key, unit, criterion, ago, title, details, approve, device, now,
        )?;
    }
    Ok(d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::validate::validate;
    use chrono::TimeZone;

    #[test]
    fn demo_is_valid_and_running_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        let demo = demo(today, &DeviceId::new("demo").unwrap(), now).unwrap();
        let doc = &demo.document;
        assert_eq!(doc.units().count(), 7);
        let campaign = doc.get_campaign(&demo.campaign).unwrap();
        assert!(
            campaign.contains(today),
            "{} – {}",
            campaign.start,
            campaign.end
        );
        assert_eq!((campaign.end - campaign.start).num_days() + 1, 95);
        assert_eq!(doc.pledges().count(), 7);
        assert_eq!(doc.entries().count(), 12);
        for (rid, body) in doc.live() {
            assert_eq!(validate(doc, body), Ok(()), "{rid}");
        }
        let measures: Vec<_> = campaign
            .criteria
            .iter()
            .map(|c| (c.id.as_str(), c.measure))
            .collect();
        assert_eq!(
            measures,
            vec![
                ("sang-kien", Measure::Entries),
                ("tap-huan", Measure::Figure),
                ("trong-cay", Measure::Figure),
                ("ung-ho", Measure::Figure),
                ("van-the", Measure::Figure),
                ("dien-hinh", Measure::Entries),
            ]
        );
        let roles = doc.roles().next().unwrap().1;
        assert_eq!(doc.get_unit(&roles.head).unwrap().name, UNITS[HEAD].1);
    }

    #[test]
    fn the_demo_federation_is_valid_running_and_behind_in_places() {
        use crate::proposal::{proposal_state, ProposalState};
        use crate::reporting::{completeness, ReportStatus};
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        let device = DeviceId::new("demo").unwrap();
        let fed = federation(today, &device, now).unwrap();
        assert_eq!(fed.name, "Liên đoàn Lao động tỉnh Thanh Hóa");
        assert_eq!(fed.board_unit.as_str(), "fed-thanh-hoa");
        assert_eq!(fed.clusters.len(), 3);
        // Cluster No. 18 keeps its ids and content (its campaign gains deadlines).
        let c18 = demo_reviewed(today, &device, now).unwrap();
        assert_eq!(fed.clusters[0].cluster, c18.cluster);
        assert_eq!(fed.clusters[0].units, c18.units);
        for (id, r) in &c18.document.records {
            if *id != c18.campaign {
                assert_eq!(fed.clusters[0].document.get(id), Some(r), "{id}");
            }
        }
        let mut behind = 0;
        for c in &fed.clusters {
            let doc = &c.document;
            for (rid, body) in doc.live() {
                assert_eq!(validate(doc, body), Ok(()), "{} {rid}", c.cluster);
            }
            let camp = doc.get_campaign(&c.campaign).unwrap();
            assert!(camp.contains(today), "{}", c.cluster);
            assert_eq!(camp.deadlines.len(), 2);
            let first = &completeness(doc, &c.campaign, today)[0];
            behind += first
                .units
                .iter()
                .filter(|u| matches!(u.status, ReportStatus::Missing | ReportStatus::Late))
                .count();
        }
        assert!(behind > 0, "some units are behind on reporting");
        let nghi_son = &fed.clusters[1];
        assert!(nghi_son
            .document
            .units()
            .any(|(_, u)| u.name.contains("Rollsport")));
        assert!(matches!(
            proposal_state(&nghi_son.document, &RecordId::new(SENT_PROPOSAL).unwrap()),
            ProposalState::Sent { .. }
        ));
    }

    #[test]
    fn reviewed_demo_ranks_units_and_leaves_work_in_the_queue() {
        use crate::status::{entry_statuses, EntryStatus};
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        let demo = demo_reviewed(today, &DeviceId::new("demo").unwrap(), now).unwrap();
        let doc = &demo.document;
        for (rid, body) in doc.live() {
            assert_eq!(validate(doc, body), Ok(()), "{rid}");
        }
        let statuses = entry_statuses(doc);
        let approved = statuses
            .values()
            .filter(|s| **s == EntryStatus::Approved)
            .count();
        let waiting = statuses
            .values()
            .filter(|s| **s == EntryStatus::Submitted)
            .count();
        assert_eq!(
            (approved, waiting),
            (APPROVED_IN_DEMO, 12 - APPROVED_IN_DEMO)
        );
        let board = crate::scoring::score(doc, &demo.campaign);
        assert!(board.iter().any(|row| row.total > 0.0), "{board:?}");
        assert!(board.iter().any(|row| row.rank > 1), "units are told apart");
    }
}
