//! `GET /api/export/summary.xlsx`: a real workbook with the three sheets and the cluster's
//! figures, for every member, and nothing for anyone else.
#![allow(clippy::unwrap_used)]
mod common;

use std::io::Read as _;

use common::*;
use thidua_core::*;

struct Demo {
    app: TestApp,
    head: Client,
    officer: Client,
    campaign: RecordId,
    approved_title: String,
    pending_title: String,
}

/// The demo cluster with two entries approved, one left waiting, and an award proposal.
async fn demo() -> Demo {
    let app = TestApp::new();
    let codes = thidua_server::cli::load_demo(app.state.store.as_ref(), chrono::Utc::now())
        .await
        .unwrap();
    let mut head = app.join_client(&codes.head_code, "Máy trưởng cụm").await;
    let officer = app.join_client(&codes.officer_code, "Máy MEDLATEC").await;
    let campaign = RecordId::new("dot-95-ngay").unwrap();
    let entries: Vec<(RecordId, String)> = head
        .doc
        .entries()
        .map(|(id, e)| (id.clone(), e.title.clone()))
        .collect();
    let mut ids = Vec::new();
    for (entry, _) in entries.iter().take(2) {
        let clock = head.doc.get(entry).unwrap().clock();
        ids.push(head.put(Review {
            entry: entry.clone(),
            entry_clock: clock,
            decision: ReviewDecision::Approve,
        }));
    }
    let lam_son = RecordId::new("lam-son").unwrap();
    ids.push(head.put(AwardProposal {
        campaign: Some(campaign.clone()),
        kind: AwardKind::EmulationFlag,
        nominee: Nominee::Unit { unit: lam_son },
        reason: "Dẫn đầu cụm".into(),
        entries: vec![],
        votes: Votes {
            for_: 6,
            against: 0,
            abstain: 1,
        },
        sent: None,
    }));
    let refs: Vec<&RecordId> = ids.iter().collect();
    let (status, j) = head.push(&app, &refs).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    Demo {
        app,
        head,
        officer,
        campaign,
        approved_title: entries[0].1.clone(),
        // The newest demo result: the demo leaves it waiting for review.
        pending_title: entries
            .iter()
            .map(|(_, title)| title.clone())
            .find(|t| t == "Số hoá quy trình trả kết quả xét nghiệm")
            .unwrap(),
    }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// XML text escapes, as the workbook stores strings.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[tokio::test]
async fn members_download_a_workbook_with_the_three_sheets() {
    let d = demo().await;
    let uri = format!("/api/export/summary.xlsx?campaign={}", d.campaign);
    for client in [&d.officer, &d.head] {
        let res = d.app.send(get_request(&uri, Some(&client.token))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            header(&res, "content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let cd = header(&res, "content-disposition").to_owned();
        assert!(
            cd.starts_with("attachment; filename=\"tong-hop-dot-95-ngay.xlsx\"; filename*=UTF-8''"),
            "{cd}"
        );
        assert!(cd.contains("T%E1%BB%95ng%20h%E1%BB%A3p"), "{cd}");
        assert_eq!(header(&res, "content-encoding"), "", "not compressed twice");
        let bytes = body_bytes(res).await;
        assert!(bytes.starts_with(b"PK"), "a zip file");

        let workbook = unzip(&bytes, "xl/workbook.xml");
        let names: Vec<&str> = workbook
            .split("<sheet name=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(names, ["Tổng hợp", "Kết quả", "Khen thưởng"]);
        let strings = unzip(&bytes, "xl/sharedStrings.xml");
        for expected in [
            "Công ty TNHH MEDLATEC Thanh Hóa",
            "Sáng kiến, cải tiến kỹ thuật – Đăng ký (sáng kiến)",
            "Tổng điểm",
            "Xếp hạng",
            &d.approved_title,
            "Cờ thi đua",
            "Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa",
            "thông qua",
        ] {
            assert!(strings.contains(&xml(expected)), "missing {expected:?}");
        }
        assert!(
            !strings.contains(&xml(&d.pending_title)),
            "entries waiting for review are not results"
        );
        // Dates are real dates shown as dd/mm/yyyy.
        let styles = unzip(&bytes, "xl/styles.xml");
        assert!(styles.contains("dd/mm/yyyy"));
        // Seven units ranked on the first sheet (title, blank, header, 7 rows).
        let sheet1 = unzip(&bytes, "xl/worksheets/sheet1.xml");
        assert_eq!(sheet1.matches("<row ").count(), 1 + 1 + 7);
        let sheet3 = unzip(&bytes, "xl/worksheets/sheet3.xml");
        assert_eq!(sheet3.matches("<row ").count(), 2);
    }
}

#[tokio::test]
async fn the_workbook_speaks_english_when_asked() {
    let d = demo().await;
    let uri = format!("/api/export/summary.xlsx?campaign={}&lang=en", d.campaign);
    let res = d.app.send(get_request(&uri, Some(&d.officer.token))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cd = header(&res, "content-disposition").to_owned();
    assert!(cd.contains("Summary%20-%20"), "{cd}");
    let bytes = body_bytes(res).await;
    let workbook = unzip(&bytes, "xl/workbook.xml");
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(names, ["Summary", "Results", "Awards"]);
    let strings = unzip(&bytes, "xl/sharedStrings.xml");
    for expected in ["Total", "Rank", "Emulation Flag", "passed", "Figure unit"] {
        assert!(strings.contains(&xml(expected)), "missing {expected:?}");
    }
    for vietnamese in ["Tổng điểm", "Xếp hạng", "Cờ thi đua", "thông qua"] {
        assert!(
            !strings.contains(&xml(vietnamese)),
            "left in Vietnamese: {vietnamese:?}"
        );
    }
    // A language it does not speak is a clear 400.
    let uri = format!("/api/export/summary.xlsx?campaign={}&lang=fr", d.campaign);
    let res = d.app.send(get_request(&uri, Some(&d.officer.token))).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn export_refuses_bad_requests_and_other_clusters() {
    let d = demo().await;
    let other = d.app.cluster("Cụm khác").await;
    for (uri, token, status) in [
        ("/api/export/summary.xlsx", Some(&d.officer.token), 400),
        (
            "/api/export/summary.xlsx?campaign=a%20b",
            Some(&d.officer.token),
            400,
        ),
        (
            "/api/export/summary.xlsx?campaign=nope",
            Some(&d.officer.token),
            404,
        ),
        // A unit is not a campaign.
        (
            "/api/export/summary.xlsx?campaign=lam-son",
            Some(&d.head.token),
            404,
        ),
        // Another cluster's devices cannot read this cluster's campaign.
        (
            "/api/export/summary.xlsx?campaign=dot-95-ngay",
            Some(&other.head.token),
            404,
        ),
        ("/api/export/summary.xlsx?campaign=dot-95-ngay", None, 401),
    ] {
        let res = d
            .app
            .send(get_request(uri, token.map(String::as_str)))
            .await;
        assert_eq!(res.status().as_u16(), status, "{uri}");
        let j = body_json(res).await;
        assert!(j["error"].is_string() && j["message"].is_string(), "{j}");
    }
}

#[test]
fn file_names_are_safe_and_keep_the_vietnamese_title() {
    let cd = thidua_server::api::export::content_disposition(
        "dot-95",
        "Đợt \"cao điểm\" 95/2024\r\n",
        thidua_core::Lang::Vi,
    );
    assert_eq!(
        cd,
        "attachment; filename=\"tong-hop-dot-95.xlsx\"; filename*=UTF-8''\
         T%E1%BB%95ng%20h%E1%BB%A3p%20-%20%C4%90%E1%BB%A3t%20cao%20%C4%91i%E1%BB%83m%20952024.xlsx"
    );
    assert!(axum::http::HeaderValue::from_str(&cd).is_ok());
}

#[tokio::test]
async fn the_board_downloads_its_dashboard_as_a_workbook() {
    let app = TestApp::new();
    let codes = thidua_server::cli::load_demo(app.state.store.as_ref(), chrono::Utc::now())
        .await
        .unwrap();
    let board = app.join_client(&codes.board_code, "Máy Ban thi đua").await;
    let (_, dash) = board.get(&app, "/api/board/dashboard").await;
    let clusters = dash["rollup"]["clusters"].as_array().unwrap().clone();
    assert!(clusters.len() >= 3, "{dash}");
    for (lang, sheets, words) in [
        (
            "vi",
            ["Tổng quan", "Xếp hạng giữa các cụm"],
            ["Toàn tỉnh: ", "Tỷ lệ báo cáo", "Đơn vị chưa báo cáo gì"],
        ),
        (
            "en",
            ["Overview", "Ranking across clusters"],
            [
                "Province-wide: ",
                "Reporting rate",
                "Units that reported nothing",
            ],
        ),
    ] {
        let uri = format!("/api/board/dashboard.xlsx?lang={lang}");
        let res = app.send(get_request(&uri, Some(&board.token))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            header(&res, "content-disposition"),
            "attachment; filename=\"tong-quan-cac-cum.xlsx\""
        );
        let bytes = body_bytes(res).await;
        let workbook = unzip(&bytes, "xl/workbook.xml");
        for name in sheets {
            assert!(
                workbook.contains(&format!("<sheet name=\"{name}\"")),
                "{lang}: {name}"
            );
        }
        let strings = unzip(&bytes, "xl/sharedStrings.xml");
        for w in words {
            assert!(strings.contains(&xml(w)), "{lang}: missing {w:?}");
        }
        for c in &clusters {
            let name = c["name"].as_str().unwrap();
            assert!(strings.contains(&xml(name)), "{lang}: missing {name}");
        }
        // Title, province line, time, blank, header, then one row per cluster; counts are
        // numbers, not text.
        let sheet1 = unzip(&bytes, "xl/worksheets/sheet1.xml");
        assert_eq!(sheet1.matches("<row ").count(), 4 + clusters.len());
        let units = clusters[0]["units"].as_u64().unwrap();
        assert!(sheet1.contains(&format!("<v>{units}</v>")), "{sheet1}");
    }
    // Only the board: a cluster's head gets 403.
    let head = app.join_client(&codes.head_code, "Máy trưởng cụm").await;
    let res = app
        .send(get_request("/api/board/dashboard.xlsx", Some(&head.token)))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
