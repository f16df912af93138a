//! Merge, parse and serialise a cluster document of 1,000 and 10,000 entries.
//! `scripts/bench` runs this and prints a summary table from `target/criterion`.
//!
//! The two merged replicas share most records: each has edited 5% of the entries (half of those
//! the same entries, giving conflicts) and added 1% new ones, as after a long offline period.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use thidua_core::*;

fn entry(unit: usize, n: usize) -> Body {
    Body::Entry(Entry {
        unit: RecordId::new(format!("u{unit}")).unwrap(),
        campaign: RecordId::new("c1").unwrap(),
        criterion: Some("init".into()),
        date: NaiveDate::from_ymd_opt(2024, 5, 1 + (n % 28) as u32).unwrap(),
        title: format!("Sáng kiến cải tiến số {n}"),
        description: "Cải tiến quy trình vận hành trạm bơm, tiết kiệm điện năng".into(),
        details: EntryDetails::Initiative {
            value_vnd: 1_000_000 * n as u64,
        },
        corrects: None,
        files: Vec::new(),
    })
}

fn replicas(n: usize) -> (Document, Document) {
    let now = |s: i64| Utc.timestamp_opt(1_714_000_000 + s, 0).unwrap();
    let devs: Vec<DeviceId> = (0..7)
        .map(|i| DeviceId::new(format!("Xq3vK9mT2pLw8RbZc4N{i}")).unwrap())
        .collect();
    let mut base = Document::new(RecordId::new("cl").unwrap());
    for i in 0..n {
        let d = &devs[i % 7];
        let id = RecordId::derive(d, i as u64);
        let unit = RecordId::new(format!("u{}", i % 7)).unwrap();
        base.put(id, entry(i % 7, i), d, Some(unit), now(i as i64));
    }
    let ids: Vec<RecordId> = base.records.keys().cloned().collect();
    let (mut a, mut b) = (base.clone(), base);
    for (k, id) in ids.iter().enumerate() {
        // a edits k ≡ 0,1 (mod 40), b edits k ≡ 1,2 (mod 40): 5% each, 2.5% concurrently.
        if k % 40 < 2 {
            a.put(id.clone(), entry(0, k + 1), &devs[0], None, now(100_000));
        }
        if (1..3).contains(&(k % 40)) {
            b.put(id.clone(), entry(1, k + 2), &devs[1], None, now(100_001));
        }
    }
    for k in 0..n / 100 {
        a.put(
            RecordId::derive(&devs[2], (n + k) as u64),
            entry(2, k),
            &devs[2],
            None,
            now(0),
        );
        b.put(
            RecordId::derive(&devs[3], (n + k) as u64),
            entry(3, k),
            &devs[3],
            None,
            now(0),
        );
    }
    (a, b)
}

fn bench(c: &mut Criterion) {
    for n in [1_000, 10_000] {
        let (a, b) = replicas(n);
        let m = merge(&a, &b);
        assert!(m.conflicted().count() > 0);
        let json = m.to_json().unwrap();
        eprintln!(
            "n={n}: merged document {} records, {} bytes of JSON",
            m.len(),
            json.len()
        );
        let changed_in_b: Vec<Record> = b
            .records
            .iter()
            .filter(|(id, r)| a.records.get(*id) != Some(*r))
            .map(|(_, r)| r.clone())
            .collect();

        c.bench_with_input(BenchmarkId::new("merge", n), &(&a, &b), |bch, (a, b)| {
            bch.iter(|| merge(black_box(a), black_box(b)))
        });
        // Replicas read from storage share nothing, so every record is compared in full.
        let (pa, pb) = (
            Document::from_json(&a.to_json().unwrap()).unwrap(),
            Document::from_json(&b.to_json().unwrap()).unwrap(),
        );
        assert_eq!(merge(&pa, &pb), m);
        c.bench_with_input(
            BenchmarkId::new("merge_unshared", n),
            &(&pa, &pb),
            |bch, (a, b)| bch.iter(|| merge(black_box(a), black_box(b))),
        );
        c.bench_with_input(
            BenchmarkId::new("apply_changed", n),
            &changed_in_b,
            |bch, recs| {
                bch.iter_batched(
                    || (a.clone(), recs.clone()),
                    |(mut doc, recs)| doc.apply(recs),
                    criterion::BatchSize::LargeInput,
                )
            },
        );
        c.bench_with_input(BenchmarkId::new("to_json", n), &m, |bch, m| {
            bch.iter(|| black_box(m).to_json().unwrap())
        });
        c.bench_with_input(BenchmarkId::new("from_json", n), &json, |bch, json| {
            bch.iter(|| Document::from_json(black_box(json)).unwrap())
        });
        // How the app loads the device's copy: one stored value per record.
        let stored: Vec<String> = m
            .records
            .values()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        c.bench_with_input(
            BenchmarkId::new("load_records", n),
            &stored,
            |bch, stored| {
                bch.iter(|| {
                    let mut doc = Document::new(m.cluster.clone());
                    for text in black_box(stored) {
                        doc.apply([serde_json::from_str::<Record>(text).unwrap()]);
                    }
                    doc
                })
            },
        );
    }
}

criterion_group! {
    name = benches;
    // Quick on purpose (the whole run takes well under two minutes): 10 samples, 1 s each.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
