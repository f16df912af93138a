//! Wire-format budget: officers push from cheap phones on patchy networks, so one new entry
//! must fit comfortably in a small request.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use thidua_core::*;

#[test]
fn push_of_one_new_entry_is_under_2_kib() {
    // Realistic sizes: a 22-character device id (like 16 random bytes in base64url), ids
    // derived from it, Vietnamese text (2–3 bytes per letter in UTF-8).
    let device = DeviceId::new("Xq3vK9_mT2pLw8Rb-Zc4Ny").unwrap();
    let unit = RecordId::derive(&device, 3);
    let campaign = RecordId::derive(&device, 7);
    let id = RecordId::derive(&device, 1_234_567);
    let entry = Entry {
        unit: unit.clone(),
        campaign,
        criterion: Some("sang-kien".into()),
        date: NaiveDate::from_ymd_opt(2024, 5, 17).unwrap(),
        title: "Cải tiến hệ thống điều khiển máy bơm trạm Nam Sông Mã tiết kiệm điện năng".into(),
        description: "Tổ kỹ thuật đã thay bộ biến tần và lập trình lại tủ điều khiển, giúp giảm \
            12% điện năng tiêu thụ mỗi tháng, rút ngắn thời gian vận hành và giảm sự cố dừng \
            máy. Sáng kiến được áp dụng tại ba trạm bơm từ tháng 4/2024."
            .into(),
        details: EntryDetails::Initiative {
            value_vnd: 250_000_000,
        },
        corrects: None,
        files: Vec::new(),
    };
    let mut doc = Document::new(RecordId::new("cl").unwrap());
    let now = Utc.with_ymd_and_hms(2024, 5, 17, 9, 30, 12).unwrap();
    doc.put(id.clone(), Body::Entry(entry), &device, Some(unit), now);
    let push = doc.changed_records([&id]);
    let json = serde_json::to_string(&push).unwrap();
    eprintln!("one-entry push: {} bytes\n{json}", json.len());
    assert!(json.len() < 2048, "{} bytes", json.len());
    // And it parses back to the same record on the server.
    let back: Vec<Record> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, push);
}
