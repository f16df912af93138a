//! Reading the model's internally tagged enums ([`Body`], [`EntryDetails`], [`Nominee`],
//! [`ReviewDecision`]) without serde's derived code for them.
//!
//! The JSON is unchanged: `{"type": "entry", ...fields}`. Serde's derive reads such an object
//! by buffering it whole into its private `Content` tree and reading each variant again from
//! that tree, which doubles the code for every type inside (measured with `scripts/bench`: 15.5 KB
//! of the app's wasm after gzip, 13 % of the size floor's; an officer pays for every kilobyte). Serde itself
//! writes the tag first, so it is read first here, and the rest of the object goes straight
//! to the variant's own derived reader. An object written by someone else with the tag
//! elsewhere is rewritten with the tag first and read again: slower, same result.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::ids::UnitId;
use crate::model::{AwardOutcome, Body, EntryDetails, Nominee, ReviewDecision};

/// An internally tagged enum: its tag's name, its variants' names, and how to read a variant
/// from the rest of the object once its tag has been read.
trait Tagged: Sized {
    const TAG: &'static str;
    const VARIANTS: &'static [&'static str];
    fn read<'de, A: MapAccess<'de>>(variant: &str, rest: A) -> Result<Self, A::Error>;
}

fn deserialize_tagged<'de, D: Deserializer<'de>, T: Tagged + DeserializeOwned>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(TaggedVisitor::<T>(PhantomData))
}

/// `Deserialize` through [`deserialize_tagged`] for each named [`Tagged`] enum.
macro_rules! deserialize_tag_first {
    ($($name:ident),*) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_tagged(deserializer)
            }
        }
    )*};
}

deserialize_tag_first!(Body, EntryDetails, Nominee, ReviewDecision, AwardOutcome);

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged + DeserializeOwned> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a `{}` field", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Err(de::Error::missing_field(T::TAG));
        };
        if first == T::TAG {
            let variant: String = map.next_value()?;
            return T::read(&variant, map);
        }
        // The tag is elsewhere: gather the object, put the tag first and read the text again.
        let mut fields = serde_json::Map::new();
        fields.insert(first, map.next_value()?);
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value()?;
            fields.insert(key, value);
        }
        let tag = fields
            .remove(T::TAG)
            .ok_or_else(|| de::Error::missing_field(T::TAG))?;
        let tag = serde_json::to_string(&tag).map_err(de::Error::custom)?;
        let rest = serde_json::to_string(&fields).map_err(de::Error::custom)?;
        let rest = rest.strip_prefix('{').unwrap_or(&rest);
        let text = if fields.is_empty() {
            format!("{{\"{}\":{tag}}}", T::TAG)
        } else {
            format!("{{\"{}\":{tag},{rest}", T::TAG)
        };
        serde_json::from_str(&text).map_err(de::Error::custom)
    }
}

/// Reads the rest of the object as `T` (a variant's own fields).
fn rest<'de, T: Deserialize<'de>, A: MapAccess<'de>>(rest: A) -> Result<T, A::Error> {
    T::deserialize(MapAccessDeserializer::new(rest))
}

/// A variant without fields: whatever else the object holds is skipped, as serde does.
fn unit<'de, A: MapAccess<'de>>(rest: A) -> Result<(), A::Error> {
    self::rest::<IgnoredAny, A>(rest).map(drop)
}

impl Tagged for Body {
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "cluster",
        "unit",
        "roles",
        "campaign",
        "pledge",
        "entry",
        "review",
        "review_session",
        "award_proposal",
        "award_decision",
        "reminder",
    ];
    fn read<'de, A: MapAccess<'de>>(variant: &str, r: A) -> Result<Self, A::Error> {
        Ok(match variant {
            "cluster" => Body::Cluster(rest(r)?),
            "unit" => Body::Unit(rest(r)?),
            "roles" => Body::Roles(rest(r)?),
            "campaign" => Body::Campaign(rest(r)?),
            "pledge" => Body::Pledge(rest(r)?),
            "entry" => Body::Entry(rest(r)?),
            "review" => Body::Review(rest(r)?),
            "review_session" => Body::ReviewSession(rest(r)?),
            "award_proposal" => Body::AwardProposal(rest(r)?),
            "award_decision" => Body::AwardDecision(rest(r)?),
            "reminder" => Body::Reminder(rest(r)?),
            other => return Err(de::Error::unknown_variant(other, Self::VARIANTS)),
        })
    }
}

// The fields of the enums' struct variants, read by serde's derive as plain structs.
#[derive(Deserialize)]
struct Value {
    value_vnd: u64,
}
#[derive(Deserialize)]
struct Participants {
    participants: u32,
}
#[derive(Deserialize)]
struct Donation {
    money_vnd: u64,
    items: String,
    item_count: u32,
}
#[derive(Deserialize)]
struct Trees {
    count: u32,
}
#[derive(Deserialize)]
struct AdvancedExample {
    nominee: String,
    collective: bool,
}
#[derive(Deserialize)]
struct OfUnit {
    unit: UnitId,
}
#[derive(Deserialize)]
struct Person {
    name: String,
    unit: UnitId,
}
#[derive(Deserialize)]
struct Return {
    reason: String,
}
#[derive(Deserialize)]
struct Accepted {
    number: String,
    date: chrono::NaiveDate,
}

impl Tagged for EntryDetails {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &[
        "initiative",
        "research",
        "work",
        "training",
        "donation",
        "trees",
        "event",
        "model",
        "advanced_example",
        "other",
    ];
    fn read<'de, A: MapAccess<'de>>(variant: &str, r: A) -> Result<Self, A::Error> {
        Ok(match variant {
            "initiative" => EntryDetails::Initiative {
                value_vnd: rest::<Value, A>(r)?.value_vnd,
            },
            "research" => EntryDetails::Research {
                value_vnd: rest::<Value, A>(r)?.value_vnd,
            },
            "work" => unit(r).map(|()| EntryDetails::Work)?,
            "training" => EntryDetails::Training {
                participants: rest::<Participants, A>(r)?.participants,
            },
            "donation" => {
                let d: Donation = rest(r)?;
                EntryDetails::Donation {
                    money_vnd: d.money_vnd,
                    items: d.items,
                    item_count: d.item_count,
                }
            }
            "trees" => EntryDetails::Trees {
                count: rest::<Trees, A>(r)?.count,
            },
            "event" => EntryDetails::Event {
                participants: rest::<Participants, A>(r)?.participants,
            },
            "model" => unit(r).map(|()| EntryDetails::Model)?,
            "advanced_example" => {
                let a: AdvancedExample = rest(r)?;
                EntryDetails::AdvancedExample {
                    nominee: a.nominee,
                    collective: a.collective,
                }
            }
            "other" => unit(r).map(|()| EntryDetails::Other)?,
            other => return Err(de::Error::unknown_variant(other, Self::VARIANTS)),
        })
    }
}

impl Tagged for Nominee {
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &["unit", "person"];
    fn read<'de, A: MapAccess<'de>>(variant: &str, r: A) -> Result<Self, A::Error> {
        Ok(match variant {
            "unit" => Nominee::Unit {
                unit: rest::<OfUnit, A>(r)?.unit,
            },
            "person" => {
                let p: Person = rest(r)?;
                Nominee::Person {
                    name: p.name,
                    unit: p.unit,
                }
            }
            other => return Err(de::Error::unknown_variant(other, Self::VARIANTS)),
        })
    }
}

impl Tagged for ReviewDecision {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &["approve", "return"];
    fn read<'de, A: MapAccess<'de>>(variant: &str, r: A) -> Result<Self, A::Error> {
        Ok(match variant {
            "approve" => unit(r).map(|()| ReviewDecision::Approve)?,
            "return" => ReviewDecision::Return {
                reason: rest::<Return, A>(r)?.reason,
            },
            other => return Err(de::Error::unknown_variant(other, Self::VARIANTS)),
        })
    }
}

impl Tagged for AwardOutcome {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &["accepted", "returned"];
    fn read<'de, A: MapAccess<'de>>(variant: &str, r: A) -> Result<Self, A::Error> {
        Ok(match variant {
            "accepted" => {
                let a: Accepted = rest(r)?;
                AwardOutcome::Accepted {
                    number: a.number,
                    date: a.date,
                }
            }
            "returned" => AwardOutcome::Returned {
                reason: rest::<Return, A>(r)?.reason,
            },
            other => return Err(de::Error::unknown_variant(other, Self::VARIANTS)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::model::tests::{all_bodies, all_details};
    use crate::sync::Document;

    fn round_trip<T: serde::Serialize + DeserializeOwned + PartialEq + fmt::Debug>(value: T) {
        let text = serde_json::to_string(&value).expect("serialises");
        let back: T = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, value, "{text}");
    }

    #[test]
    fn every_variant_reads_back_what_serde_wrote() {
        // The model's samples hold every variant of the four enums; the entry details are
        // also read on their own, as the app's stored drafts hold them.
        for details in all_details() {
            round_trip(details);
        }
        for body in all_bodies() {
            round_trip(body);
        }
    }

    #[test]
    fn the_demo_cluster_reads_back_whole() {
        let device = crate::DeviceId::new("dev-demo").expect("a valid device id");
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a valid time");
        let demo = demo::demo_reviewed(now.date_naive(), &device, now).expect("the demo builds");
        let text = demo.document.to_json().expect("serialises");
        let back = Document::from_json(&text).expect("reads back");
        assert_eq!(back.to_json().expect("serialises"), text);
        let kinds: std::collections::BTreeSet<_> = back.live().map(|(_, b)| b.kind()).collect();
        assert!(
            kinds.len() >= 6,
            "cluster, units, roles, campaign, pledges, entries, reviews: {kinds:?}"
        );
    }

    #[test]
    fn a_tag_written_last_reads_the_same() {
        let late: EntryDetails =
            serde_json::from_str(r#"{"value_vnd": 25000000, "kind": "initiative"}"#)
                .expect("reads");
        assert_eq!(
            late,
            EntryDetails::Initiative {
                value_vnd: 25_000_000
            }
        );
        let late: ReviewDecision =
            serde_json::from_str(r#"{"reason": "Sai ngày", "kind": "return"}"#).expect("reads");
        assert_eq!(
            late,
            ReviewDecision::Return {
                reason: "Sai ngày".into()
            }
        );
        let alone: EntryDetails =
            serde_json::from_str(r#"{"x": 1, "kind": "work"}"#).expect("reads");
        assert_eq!(alone, EntryDetails::Work);
    }

    #[test]
    fn unknown_fields_are_skipped_as_before() {
        let extra: EntryDetails =
            serde_json::from_str(r#"{"kind": "trees", "count": 3, "species": "keo"}"#)
                .expect("reads");
        assert_eq!(extra, EntryDetails::Trees { count: 3 });
        let unit: ReviewDecision =
            serde_json::from_str(r#"{"kind": "approve", "note": [1, {}]}"#).expect("reads");
        assert_eq!(unit, ReviewDecision::Approve);
    }

    #[test]
    fn bad_objects_say_what_is_wrong() {
        let err = |text: &str| {
            serde_json::from_str::<EntryDetails>(text)
                .expect_err("refused")
                .to_string()
        };
        assert!(err(r#"{"kind": "parade"}"#).contains("unknown variant `parade`"));
        assert!(err(r#"{"count": 3}"#).contains("missing field `kind`"));
        assert!(err(r#"{}"#).contains("missing field `kind`"));
        assert!(err(r#"{"kind": "trees"}"#).contains("missing field `count`"));
        assert!(err(r#"{"kind": "trees", "count": "ba"}"#).contains("invalid type"));
        assert!(err(r#"{"kind": 7}"#).contains("invalid type"));
        assert!(err(r#"[1, 2]"#).contains("an object with a `kind` field"));
        let body = serde_json::from_str::<Body>(r#"{"type": "entry"}"#).expect_err("refused");
        assert!(body.to_string().contains("missing field"), "{body}");
    }
}
