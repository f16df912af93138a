//! Identifiers for records, devices and invites.
//!
//! Record ids are made on the device without randomness: a device id (chosen once, when the app
//! is installed) plus a per-device counter. Every id is validated whenever it is parsed, so an id
//! read from the network can be used as a map key or a path segment without further checks.
//! They are shared strings (`Arc<str>`), so cloning a document does not copy every id.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Why a string is not a valid id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("id is empty")]
    Empty,
    #[error("id is {len} characters long, at most {max} are allowed")]
    TooLong { len: usize, max: usize },
    #[error("id contains {ch:?} at position {at}; only A-Z, a-z, 0-9, '_' and '-' are allowed")]
    BadChar { ch: char, at: usize },
}

fn check(s: &str, max: usize) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    // Checking chars first gives a precise error for non-ASCII input; all allowed chars are one
    // byte, so the byte length below equals the char count.
    if let Some((at, ch)) = s
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(IdError::BadChar { ch, at });
    }
    if s.len() > max {
        return Err(IdError::TooLong { len: s.len(), max });
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $max:expr, $what:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Arc<str>);

        impl $name {
            /// Longest accepted id, in characters.
            pub const MAX_LEN: usize = $max;

            /// Validates and wraps `s`.
            pub fn new(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                check(&s, Self::MAX_LEN)?;
                Ok(Self(s.into()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // Sound because the derived Eq/Ord/Hash are those of the inner String.
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        // An id reads as the text it is (`&id` where a `&str` is wanted); it cannot be
        // changed through this, so it stays valid.
        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        // The API description: a string of the allowed characters and length.
        #[cfg(feature = "openapi")]
        impl $name {
            /// The description inline, where a reference cannot go (`propertyNames`).
            pub(crate) fn schema_object() -> utoipa::openapi::schema::Object {
                id_schema(Self::MAX_LEN, $what)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                Self::schema_object().into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(feature = "openapi")]
fn id_schema(max: usize, what: &str) -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some("^[A-Za-z0-9_-]+$"))
        .description(Some(what))
        .build()
}

id_type!(
    /// Id of a record in the sync document (any kind: cluster, unit, entry...).
    RecordId,
    64,
    "Id of a record (any kind)."
);

id_type!(
    /// Id of a device (an installed app). Shorter than a record id so that
    /// [`RecordId::derive`] always yields a valid record id.
    DeviceId,
    50,
    "Id of a device."
);

id_type!(
    /// Id of an invite, made by the server at random (its code is another thing, a secret).
    InviteId,
    50,
    "Id of an invite."
);

/// Member units are records; their id is a record id.
pub type UnitId = RecordId;

impl RecordId {
    /// `"{device}-{counter in base36}"`: unique as long as the device never reuses a counter,
    /// which is why the device persists its counter before using the id.
    pub fn derive(device: &DeviceId, counter: u64) -> RecordId {
        // Longest result: 50 + 1 + 13 (u64::MAX in base 36) = 64 = RecordId::MAX_LEN.
        RecordId(format!("{}-{}", device.0, base36(counter)).into())
    }

    /// Whether [`RecordId::derive`] makes this id for `device` with some counter: only that
    /// device may create a record under it.
    pub fn is_minted_by(&self, device: &DeviceId) -> bool {
        let Some(counter) = self
            .0
            .strip_prefix(&*device.0)
            .and_then(|rest| rest.strip_prefix('-'))
        else {
            return false;
        };
        // Exactly derive's digits: lowercase base 36 without leading zeros, so each id has
        // one minting device (device ids may contain '-', the counter never does).
        u64::from_str_radix(counter, 36).is_ok_and(|n| base36(n) == counter)
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::with_capacity(13);
    loop {
        // n % 36 < 36, so the index is always in bounds.
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    out.into_iter().map(char::from).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_ids() {
        for s in ["a", "unit-1", "A_b-9", &"x".repeat(64)] {
            assert_eq!(RecordId::new(s).unwrap().as_str(), s);
        }
        assert!(DeviceId::new("x".repeat(50)).is_ok());
    }

    #[test]
    fn rejects_invalid_ids() {
        assert_eq!(RecordId::new(""), Err(IdError::Empty));
        assert_eq!(
            RecordId::new("x".repeat(65)),
            Err(IdError::TooLong { len: 65, max: 64 })
        );
        assert_eq!(
            DeviceId::new("x".repeat(51)),
            Err(IdError::TooLong { len: 51, max: 50 })
        );
        assert_eq!(
            RecordId::new("a b"),
            Err(IdError::BadChar { ch: ' ', at: 1 })
        );
        assert_eq!(
            RecordId::new("đơn"),
            Err(IdError::BadChar { ch: 'đ', at: 0 })
        );
        assert!(RecordId::new("../etc").is_err());
    }

    #[test]
    fn serde_is_a_plain_string_and_validates() {
        let id = RecordId::new("abc-1").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"abc-1\"");
        let back: RecordId = serde_json::from_str("\"abc-1\"").unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<RecordId>("\"a/b\"").is_err());
        assert!(serde_json::from_str::<DeviceId>("\"\"").is_err());
    }

    #[test]
    fn derive_uses_base36_and_stays_valid() {
        let d = DeviceId::new("dev").unwrap();
        assert_eq!(RecordId::derive(&d, 0).as_str(), "dev-0");
        assert_eq!(RecordId::derive(&d, 35).as_str(), "dev-z");
        assert_eq!(RecordId::derive(&d, 36).as_str(), "dev-10");
        let long = DeviceId::new("d".repeat(DeviceId::MAX_LEN)).unwrap();
        let id = RecordId::derive(&long, u64::MAX);
        assert_eq!(RecordId::new(id.as_str()).unwrap(), id);
        assert!(id.as_str().ends_with("-3w5e11264sgsf"));
    }

    #[test]
    fn minted_by_only_the_deriving_device() {
        let d = DeviceId::new("a1b2").unwrap();
        for n in [0, 1, 35, 36, 12345, u64::MAX] {
            assert!(RecordId::derive(&d, n).is_minted_by(&d), "{n}");
        }
        let other = DeviceId::new("a1b").unwrap();
        assert!(!RecordId::derive(&d, 7).is_minted_by(&other));
        let dashed = DeviceId::new("a1b2-7").unwrap();
        assert!(!RecordId::derive(&dashed, 3).is_minted_by(&d));
        for s in [
            "a1b2", "a1b2-", "a1b2-A", "a1b2-07", "a1b2-1-2", "a1b2_1", "x-a1b2-1",
        ] {
            assert!(!RecordId::new(s).unwrap().is_minted_by(&d), "{s}");
        }
        // Past u64::MAX is no counter derive makes.
        assert!(!RecordId::new("a1b2-3w5e11264sgsg")
            .unwrap()
            .is_minted_by(&d));
    }

    #[test]
    fn display_and_borrow() {
        let id = RecordId::new("u1").unwrap();
        assert_eq!(id.to_string(), "u1");
        fn takes_str(s: &str) -> usize {
            s.len()
        }
        assert_eq!(takes_str(&id), 2);
        let mut m = std::collections::BTreeMap::new();
        m.insert(id, 1);
        assert_eq!(m.get("u1"), Some(&1));
    }

    #[test]
    fn invite_ids_are_validated_like_the_others() {
        let id = InviteId::new("0a1b2c3d4e5f60718293").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"0a1b2c3d4e5f60718293\""
        );
        assert!(InviteId::new("a b").is_err());
        assert!(InviteId::new("x".repeat(51)).is_err());
    }
}
