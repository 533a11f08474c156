//! The names of option values: one spelling for the flags, `FromStr`, `Display` and JSON.
//!
//! `flag_names!` gives an option enum `as_str`, `Display`, `FromStr` (case-insensitive, with
//! aliases, and an error listing the accepted names) and serde (de)serialization through the
//! same names, so the JSON of a result writes each option as its flag does.

/// Implements the names of an option enum. Syntax:
/// `flag_names!(Type, "flag", Variant => "name" | "alias", ...);`
macro_rules! flag_names {
    ($ty:ident, $flag:literal, $($var:ident => $name:literal $(| $alias:literal)*),+ $(,)?) => {
        impl $ty {
            /// The value's name, as the flags and the JSON output write it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($ty::$var => $name),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::error::Error;
            fn from_str(s: &str) -> crate::error::Result<$ty> {
                let l = s.trim().to_ascii_lowercase();
                $(
                    if l == $name $(|| l == $alias)* {
                        return Ok($ty::$var);
                    }
                )+
                Err(crate::error::Error::invalid(
                    $flag,
                    format!("'{}' (use {})", s, [$($name),+].join(", ")),
                ))
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<$ty, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use flag_names;
