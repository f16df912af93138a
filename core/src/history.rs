//! What changed between two versions of a record, field by field, for a record's history
//! (lịch sử): who changed it, when, and from what to what. The catalogue names the fields and
//! says the values in the user's language; this module only finds them.

use serde_json::Value;

use crate::model::Body;

/// One field that differs between two versions: its path (`title`, `details.count`,
/// `votes.for_`) and its value before and after, as JSON (`None`: the field was absent).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// What one version did to a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The first version.
    Created,
    /// A later version: the fields it changed (empty when it wrote the same again).
    Changed(Vec<FieldChange>),
    /// A deletion (a tombstone).
    Deleted,
    /// Written again after a deletion.
    Restored,
}

/// What the version `after` did to a record whose previous version was `before`
/// (`None` before: the record did not exist; `Some(None)`: it was deleted).
pub fn step(before: Option<Option<&Body>>, after: Option<&Body>) -> Step {
    match (before, after) {
        (None, _) => Step::Created,
        (Some(_), None) => Step::Deleted,
        (Some(None), Some(_)) => Step::Restored,
        (Some(Some(b)), Some(a)) => Step::Changed(diff(b, a)),
    }
}

/// The fields that differ between two bodies, in the order of their paths.
pub fn diff(before: &Body, after: &Body) -> Vec<FieldChange> {
    let (Ok(b), Ok(a)) = (serde_json::to_value(before), serde_json::to_value(after)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk("", Some(&b), Some(&a), &mut out);
    out
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(&sub, b.get(key), a.get(key), out);
            }
        }
        (b, a) if b != a => out.push(FieldChange {
            field: path.to_owned(),
            before: b.cloned(),
            after: a.cloned(),
        }),
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::tests::sample_entry;
    use crate::model::{Entry, EntryDetails};
    use serde_json::json;

    fn entry(title: &str, count: u32) -> Body {
        Body::Entry(Entry {
            title: title.into(),
            ..sample_entry(EntryDetails::Trees { count })
        })
    }

    #[test]
    fn a_change_names_each_field_with_before_and_after() {
        let changes = diff(&entry("Trồng cây", 300), &entry("Trồng cây xanh", 320));
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "details.count".into(),
                    before: Some(json!(300)),
                    after: Some(json!(320)),
                },
                FieldChange {
                    field: "title".into(),
                    before: Some(json!("Trồng cây")),
                    after: Some(json!("Trồng cây xanh")),
                },
            ]
        );
        assert_eq!(diff(&entry("A", 1), &entry("A", 1)), vec![]);
    }

    #[test]
    fn a_field_added_or_dropped_and_a_kind_changed() {
        let with = Body::Entry(Entry {
            corrects: Some(crate::model::tests::id("goc")),
            ..sample_entry(EntryDetails::Work)
        });
        let without = Body::Entry(sample_entry(EntryDetails::Work));
        let changes = diff(&without, &with);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "corrects");
        assert_eq!(changes[0].before, None);
        let changes = diff(&with, &without);
        assert_eq!(changes[0].after, None);
        // Another kind of result: its kind and its figures change.
        let changes = diff(
            &entry("A", 5),
            &Body::Entry(sample_entry(EntryDetails::Work)),
        );
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert!(fields.contains(&"details.kind"), "{fields:?}");
        assert!(fields.contains(&"details.count"), "{fields:?}");
    }

    #[test]
    fn steps() {
        let a = entry("A", 1);
        assert_eq!(step(None, Some(&a)), Step::Created);
        assert_eq!(step(Some(Some(&a)), None), Step::Deleted);
        assert_eq!(step(Some(None), Some(&a)), Step::Restored);
        assert_eq!(step(Some(Some(&a)), Some(&a)), Step::Changed(vec![]));
    }
}
