//! Enums spelled as fixed words in storage, URLs, CSV files and plan-as-code.

/// Declares an enum whose variants are written as fixed words (`on-track`),
/// with `as_str`, `ALL`, `FromStr` (naming the accepted words on error) and
/// `Display`, and serde and OpenAPI spellings that agree with them.
///
/// The words are taken as `tt`, not `literal`: a `literal` fragment reaches
/// the derives wrapped in an invisible group, which serde sees through but
/// utoipa does not, so the OpenAPI document would spell the variants' names.
macro_rules! keyword_enum {
    (
        $(#[$doc:meta])*
        $name:ident, what = $what:literal {
            $( $(#[$vdoc:meta])* $variant:ident = $word:tt, )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $word)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word that spells this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(raw: &str) -> Result<Self, String> {
                let folded = raw.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                $( if folded == $word { return Ok($name::$variant); } )+
                let words: Vec<&str> = vec![$($word),+];
                Err(format!("unknown {} {raw:?}; expected one of: {}", $what, words.join(", ")))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use keyword_enum;
