//! Conversions into generated types, so builders take plain Rust values.

use crate::{
    time::UnixTime,
    types::{MetadataValue, MonetaryAmount, RichLink, Tag, TagColor},
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

impl Tag {
    /// The tag's color as the [`TagColor`] requests take, `None` when it has none or one this
    /// version does not know. `color` stays a string, so that a color Intercom adds later still
    /// decodes (and is kept).
    ///
    /// ```
    /// use intercom_api::types::{Tag, TagColor};
    ///
    /// let tag: Tag = serde_json::from_str(r#"{"id": "17513", "name": "vip", "color": "green", "tagged_user_count": 3}"#)?;
    /// assert_eq!(tag.tag_color(), Some(TagColor::Green));
    /// let newer: Tag = serde_json::from_str(r#"{"id": "1", "name": "x", "color": "ultraviolet", "tagged_user_count": 0}"#)?;
    /// assert_eq!((newer.tag_color(), newer.color.as_deref()), (None, Some("ultraviolet")));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn tag_color(&self) -> Option<TagColor> {
        self.color.as_deref()?.parse().ok()
    }
}

impl TryFrom<serde_json::Value> for MetadataValue {
    type Error = crate::schema::Error;

    /// A value from JSON, checked against the description's `MetadataValue`: the error lists
    /// what was wrong and what is allowed.
    ///
    /// ```
    /// use intercom_api::types::MetadataValue;
    /// use serde_json::json;
    ///
    /// let price = MetadataValue::try_from(json!({"amount": 34999, "currency": "eur"}))?;
    /// assert!(matches!(price, MetadataValue::MonetaryAmount(_)));
    /// let nested = MetadataValue::try_from(json!({"plan": {"seats": 3}})).unwrap_err();
    /// assert!(nested.to_string().contains("MetadataValue"), "{nested}");
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
        crate::schema::validate("MetadataValue", &value)?;
        serde_json::from_value(value).map_err(|e| crate::schema::Error::Invalid {
            schema: "schema MetadataValue".to_string(),
            violations: vec![crate::schema::Violation {
                pointer: String::new(),
                message: e.to_string(),
            }],
        })
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
    fn json_that_is_no_metadata_value_is_refused_with_the_reason() {
        use serde_json::json;
        assert_eq!(
            MetadataValue::try_from(json!("desktop")).unwrap(),
            MetadataValue::from("desktop")
        );
        assert_eq!(
            MetadataValue::try_from(json!(7)).unwrap(),
            MetadataValue::from(7u8)
        );
        for bad in [
            json!(true),
            json!(null),
            json!([1]),
            json!({"url": "https://x"}),
        ] {
            let error = MetadataValue::try_from(bad.clone()).unwrap_err();
            assert!(!error.violations().is_empty(), "{bad}: {error}");
        }
    }

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
