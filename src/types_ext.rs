//! Conversions into generated types, so builders take plain Rust values.

use crate::{
    time::UnixTime,
    types::{MetadataValue, MonetaryAmount, RichLink},
};

impl RichLink {
    /// A link with its label (no other keys).
    ///
    /// ```
    /// use intercom_api::types::{MetadataValue, RichLink};
    ///
    /// let article = MetadataValue::from(RichLink::new("https://example.org/ab1de.html", "the dude abides"));
    /// assert_eq!(
    ///     serde_json::to_string(&article).unwrap(),
    ///     r#"{"url":"https://example.org/ab1de.html","value":"the dude abides"}"#
    /// );
    /// ```
    pub fn new(url: impl Into<String>, value: impl Into<String>) -> Self {
        RichLink {
            url: url.into(),
            value: value.into(),
            extra: Default::default(),
        }
    }
}

impl MonetaryAmount {
    /// An amount in cents of `currency` (an ISO 4217 code), with no other keys.
    ///
    /// ```
    /// use intercom_api::types::{MetadataValue, MonetaryAmount};
    ///
    /// let price = MetadataValue::from(MonetaryAmount::new(34_999, "eur"));
    /// assert_eq!(serde_json::to_string(&price).unwrap(), r#"{"amount":34999,"currency":"eur"}"#);
    /// ```
    pub fn new(amount: i64, currency: impl Into<String>) -> Self {
        MonetaryAmount {
            amount,
            currency: currency.into(),
            extra: Default::default(),
        }
    }
}

impl From<&str> for MetadataValue {
    /// A string value (also how links are sent).
    ///
    /// ```
    /// use intercom_api::types::MetadataValue;
    ///
    /// assert_eq!(MetadataValue::from("desktop"), MetadataValue::String("desktop".to_string()));
    /// ```
    fn from(value: &str) -> Self {
        MetadataValue::String(value.to_string())
    }
}

impl From<String> for MetadataValue {
    /// A string value (also how links are sent).
    ///
    /// ```
    /// use intercom_api::types::MetadataValue;
    ///
    /// let invoice = MetadataValue::from(format!("https://example.com/invoices/{}", 42));
    /// assert_eq!(serde_json::to_string(&invoice).unwrap(), r#""https://example.com/invoices/42""#);
    /// ```
    fn from(value: String) -> Self {
        MetadataValue::String(value)
    }
}

macro_rules! integer_metadata {
    ($($integer:ty),*) => {$(
        impl From<$integer> for MetadataValue {
            /// A number value.
            ///
            #[doc = concat!(
                "```\n",
                "use intercom_api::types::MetadataValue;\n\n",
                "let seats = MetadataValue::from(7", stringify!($integer), ");\n",
                "assert_eq!(serde_json::to_string(&seats).unwrap(), \"7\");\n",
                "```",
            )]
            fn from(value: $integer) -> Self {
                MetadataValue::MetadataNumber(value.into())
            }
        }
    )*};
}

integer_metadata!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl From<UnixTime> for MetadataValue {
    /// A timestamp, for metadata keys ending in `_date`.
    ///
    /// ```
    /// use intercom_api::{time::UnixTime, types::MetadataValue};
    ///
    /// let renewal = MetadataValue::from(UnixTime::from_unix(1_392_036_272).unwrap());
    /// assert_eq!(serde_json::to_string(&renewal).unwrap(), "1392036272");
    /// ```
    fn from(value: UnixTime) -> Self {
        MetadataValue::MetadataNumber(value.unix().into())
    }
}

impl MetadataValue {
    /// A number value from a float; `None` for NaN and infinities, which JSON cannot carry.
    ///
    /// ```
    /// use intercom_api::types::MetadataValue;
    ///
    /// assert!(MetadataValue::float(3.67).is_some());
    /// assert!(MetadataValue::float(f64::NAN).is_none());
    /// ```
    pub fn float(value: f64) -> Option<Self> {
        serde_json::Number::from_f64(value).map(MetadataValue::MetadataNumber)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_encode_as_the_documented_kinds() {
        let encode = |value: MetadataValue| serde_json::to_string(&value).unwrap();
        assert_eq!(encode("desktop".into()), r#""desktop""#);
        assert_eq!(encode(3u32.into()), "3");
        assert_eq!(encode(MetadataValue::float(3.67).unwrap()), "3.67");
        assert_eq!(
            encode(UnixTime::from_unix(1392036272).unwrap().into()),
            "1392036272"
        );
    }
}
