//! Bounded fuzzing of what a device or the server reads from outside: a serialized document
//! (`Document::from_json`), a push body (`{"push_id", "records"}`) and a list of records, then
//! the merge of what parsed. Inputs are valid serialized documents (the demo cluster, a
//! document with concurrent versions, a schema-0 document) mutated byte-wise and
//! structure-wise, spliced together, or random bytes. Checked: nothing panics; a parsed
//! document survives a round trip; the merge is commutative, associative and idempotent and
//! `apply` agrees with it; scoring, status and the summary run on whatever parsed.
//!
//! Runs for `THIDUA_FUZZ_SECONDS` (default 20) from `THIDUA_FUZZ_SEED` (default: the clock)
//! and prints both and the number of executions; `scripts/test` runs it in its own step:
//! `cargo test -p thidua-core --test fuzz -- --ignored --nocapture`. A failing input is
//! written to `target/fuzz-failure-<seed>.json`, and the same seed replays the same run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use thidua_core::wire::PushRequest;
use thidua_core::*;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e308",
    "1e999",
    "-0",
    "0.5",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\"",
    "\"2024-02-30\"",
    "\"9999-12-31T23:59:59Z\"",
    "\"+275760-09-13T00:00:00Z\"",
    "\"cum-18\"",
    "\"a\"",
    "[]",
    "{}",
    "\"schema\":0",
    "\"schema\":4294967295",
    "\"heads\":[]",
    "\"body\":null",
    "\"kind\":\"entry\"",
];

fn seeds() -> Vec<String> {
    let day = NaiveDate::from_ymd_opt(2024, 5, 25).unwrap();
    let now = Utc.with_ymd_and_hms(2024, 5, 25, 8, 0, 0).unwrap();
    let head = DeviceId::new("may-truong-cum").unwrap();
    let demo = demo::demo(day, &head, now).unwrap();
    let full = demo.document.to_json().unwrap();

    // A small document with concurrent versions and a tombstone: two devices edit one
    // record, another is deleted.
    let mut a = demo.document.clone();
    a.records
        .retain(|_, r| r.kind != Kind::Entry || r.id.as_str().ends_with('1'));
    let mut b = a.clone();
    let other = DeviceId::new("may-can-bo").unwrap();
    let ids: Vec<RecordId> = a.records.keys().take(3).cloned().collect();
    for (n, id) in ids.iter().enumerate() {
        if let Some(body) = a.body(id).cloned() {
            a.put(
                id.clone(),
                body.clone(),
                &head,
                None,
                now + chrono::Duration::seconds(n as i64 + 1),
            );
            b.put(
                id.clone(),
                body,
                &other,
                None,
                now + chrono::Duration::seconds(n as i64 + 2),
            );
        }
    }
    if let Some(id) = ids.last() {
        let _ = b.delete(id, &other, None, now + chrono::Duration::seconds(9));
    }
    let conflicted = merge(&a, &b);
    let small = conflicted.to_json().unwrap();

    // The same records as a push body and as a bare list.
    let records: Vec<&Record> = conflicted.records.values().collect();
    let push = serde_json::to_string(&PushRequest {
        push_id: "dev-p1".into(),
        records: records.clone(),
    })
    .unwrap();
    let list = serde_json::to_string(&records).unwrap();

    // Schema 0: records keyed by id, one `rev` each.
    let v0 = r#"{"cluster":"cum-18","records":{"e1":{"kind":"entry","created_at":"2024-05-01T00:00:00Z","rev":{"clock":{"d1":1},"author":"d1","at":"2024-05-01T00:00:00Z","body":null}}}}"#;
    vec![full, small, push, list, v0.to_owned()]
}

/// A random JSON value, small.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 2 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => Value::from(*rng.pick(&[0i64, 1, -1, i64::MAX, i64::MIN, 2024])),
        3 => Value::from(*rng.pick(&[u64::MAX, 1 << 53, 4_294_967_296])),
        4 => serde_json::json!(*rng.pick(&[0.5, -0.0, 1e300, f64::MIN_POSITIVE])),
        5 => Value::from(*rng.pick(&[
            "",
            "a",
            "cum-18",
            "entry",
            "2024-05-25",
            "2024-05-25T08:00:00Z",
            "Đ\u{0}",
        ])),
        6 => Value::Array(
            (0..rng.below(3))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(3))
                .map(|_| {
                    let key = *rng.pick(&["id", "kind", "heads", "clock", "body", "type", "x"]);
                    (key.to_owned(), random_value(rng, depth + 1))
                })
                .collect(),
        ),
    }
}

/// Changes one node somewhere in `v`: replaced, removed, duplicated, or a number nudged.
fn mutate_value(rng: &mut Rng, v: &mut Value, depth: usize) {
    let descend = depth < 12 && rng.below(4) != 0;
    match v {
        Value::Array(items) if !items.is_empty() && descend => {
            let i = rng.below(items.len());
            mutate_value(rng, &mut items[i], depth + 1);
        }
        Value::Object(map) if !map.is_empty() && descend => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap();
            mutate_value(rng, map.get_mut(&key).unwrap(), depth + 1);
        }
        Value::Array(items) if !items.is_empty() => match rng.below(3) {
            0 => {
                items.remove(rng.below(items.len()));
            }
            1 => {
                let copy = items[rng.below(items.len())].clone();
                items.push(copy);
            }
            _ => items.reverse(),
        },
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap();
            if rng.chance(2) {
                map.remove(&key);
            } else {
                map.insert(key, random_value(rng, depth));
            }
        }
        Value::Number(n) if rng.chance(2) => {
            let x = n.as_i64().unwrap_or(0);
            *v = Value::from(x.wrapping_add(*rng.pick(&[1, -1, 1_000_000, i64::MIN])));
        }
        Value::String(s) if rng.chance(2) => {
            let mut t = s.clone();
            match rng.below(3) {
                0 => t.push_str(&"x".repeat(rng.below(300))),
                1 => t = t.chars().take(rng.below(t.chars().count() + 1)).collect(),
                _ => t = t.to_uppercase(),
            }
            *s = t;
        }
        _ => *v = random_value(rng, depth),
    }
}

/// Byte-level damage: flips, inserts, deletions, duplicated ranges, JSON tokens, truncation.
fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => bytes[at.min(len - 1)] ^= 1 << rng.below(8),
            1 => bytes.insert(at, rng.next() as u8),
            2 if len > 0 => {
                let end = (at + 1 + rng.below(16)).min(len);
                bytes.drain(at.min(len)..end);
            }
            3 if len > 0 => {
                let start = at.min(len - 1);
                let end = (start + 1 + rng.below(64)).min(len);
                let copy = bytes[start..end].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, copy);
            }
            4 => {
                let token = rng.pick(TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            5 if !other.is_empty() => {
                // Splice: our head, the other input's tail.
                let from = rng.below(other.len());
                bytes.truncate(at);
                bytes.extend_from_slice(&other[from..]);
            }
            _ => bytes.truncate(at),
        }
    }
}

/// One input through every parser; what parses as a document is returned.
fn exercise(input: &str) -> Option<Document> {
    // A push body as the server reads it (records unnormalised), then each record checked as
    // the server admits it; and as the app's own records.
    if let Ok(push) = serde_json::from_str::<PushRequest>(input) {
        for rec in push.records {
            let _ = Record::try_from(rec);
        }
    }
    let _ = serde_json::from_str::<PushRequest<Record>>(input);
    let _ = serde_json::from_str::<Vec<Record>>(input);
    let _ = serde_json::from_str::<Record>(input);
    let doc = Document::from_json(input).ok()?;
    let text = doc.to_json().expect("a parsed document serializes");
    let back = Document::from_json(&text).expect("a serialized document parses");
    assert_eq!(back, doc, "round trip changed the document");
    // Derived views run on any data a device may hold.
    let _ = entry_statuses(&doc);
    let campaigns: Vec<RecordId> = doc.campaigns().map(|(id, _)| id.clone()).take(2).collect();
    for campaign in &campaigns {
        let _ = score(&doc, campaign);
        let _ = summarize(&doc, campaign);
    }
    Some(doc)
}

fn check_merge_laws(a: &Document, b: &Document, c: &Document) {
    let ab = merge(a, b);
    assert_eq!(ab, merge(b, a), "merge is not commutative");
    assert_eq!(merge(a, a), *a, "merge is not idempotent");
    assert_eq!(
        merge(&ab, c),
        merge(a, &merge(b, c)),
        "merge is not associative"
    );
    assert_eq!(
        merge(&ab, b),
        ab,
        "merging what is included changes nothing"
    );
    let mut applied = a.clone();
    applied.apply(b.records.values().cloned());
    assert_eq!(applied.records, ab.records, "apply disagrees with merge");
}

#[test]
#[ignore = "bounded fuzzing (THIDUA_FUZZ_SECONDS); scripts/test runs it in its own step"]
fn fuzz_parse_and_merge() {
    let seconds: u64 = std::env::var("THIDUA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("THIDUA_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
        | 1;
    println!("fuzz: seed {seed} (THIDUA_FUZZ_SEED={seed} replays), {seconds} s");
    let corpus = seeds();
    let parsed_seeds: Vec<Document> = corpus
        .iter()
        .filter_map(|s| Document::from_json(s).ok())
        .collect();
    assert!(parsed_seeds.len() >= 3, "the seed documents parse");
    let mut rng = Rng(seed);
    let mut pool: Vec<Document> = parsed_seeds.clone();
    let (mut execs, mut docs, mut merges) = (0u64, 0u64, 0u64);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        let input: String = match rng.below(10) {
            // Random bytes, made a string as a reader would (lossy).
            0 => {
                let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            // Structure-aware: parse a seed, change a few nodes, serialize.
            1..=5 => {
                // Mostly the small document, whose mutants more often still parse.
                let seed = if rng.chance(3) {
                    rng.pick(&corpus)
                } else {
                    &corpus[1]
                };
                let mut v: Value = serde_json::from_str(seed).unwrap();
                for _ in 0..1 + rng.below(3) {
                    // Mostly inside one record, where the merge looks.
                    match v.pointer_mut("/records").and_then(Value::as_array_mut) {
                        Some(records) if !records.is_empty() && !rng.chance(4) => {
                            let k = rng.below(records.len());
                            mutate_value(&mut rng, &mut records[k], 1);
                        }
                        _ => mutate_value(&mut rng, &mut v, 0),
                    }
                }
                v.to_string()
            }
            // Byte-level damage to a seed, possibly spliced with another.
            _ => {
                let mut bytes = rng.pick(&corpus).as_bytes().to_vec();
                let other = rng.pick(&corpus).as_bytes().to_vec();
                mutate_bytes(&mut rng, &mut bytes, &other);
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        let (i, j) = (rng.below(pool.len()), rng.below(pool.len()));
        // The default hook would print every caught panic; the failure report says it once.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let doc = exercise(&input);
            if let Some(doc) = &doc {
                check_merge_laws(doc, &pool[i], &pool[j]);
            }
            doc
        }));
        std::panic::set_hook(hook);
        execs += 1;
        match outcome {
            Ok(Some(doc)) => {
                docs += 1;
                merges += 1;
                if pool.len() < 24 {
                    pool.push(doc);
                } else {
                    let k = rng.below(pool.len());
                    pool[k] = doc;
                }
            }
            Ok(None) => {}
            Err(panic) => {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                let path = format!(
                    "{}/../target/fuzz-failure-{seed}.json",
                    env!("CARGO_MANIFEST_DIR")
                );
                let _ = std::fs::write(&path, &input);
                panic!("fuzz: execution {execs} panicked: {why}\ninput written to {path}");
            }
        }
    }
    println!(
        "fuzz: {execs} executions in {seconds} s ({} per second), {docs} parsed as documents, \
         {merges} merge-law checks, seed {seed}",
        execs / seconds.max(1)
    );
    assert!(execs > 0);
}
