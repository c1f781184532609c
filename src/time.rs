//! [`UnixTime`]: the timestamps Intercom sends as whole UNIX seconds, as `chrono` values.

use std::{borrow::Cow, fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A point in time that travels as whole seconds since the UNIX epoch (UTC).
///
/// Every timestamp of the v1 API and of the events API is one of these (the `UnixTime` schema
/// of the description). It encodes as a JSON integer and reads as a [`chrono::DateTime<Utc>`].
///
/// It decodes from UNIX seconds or from an ISO 8601 (RFC 3339) string, which is how Intercom's
/// published descriptions give an event summary's `first` and `last` (the `SummaryTime`
/// schema); a string's sub-seconds are dropped and it encodes back as UNIX seconds.
///
/// ```
/// use intercom_api::time::UnixTime;
///
/// let t = UnixTime::from_unix(1_300_000_000).unwrap();
/// assert_eq!(serde_json::to_string(&t).unwrap(), "1300000000");
/// assert_eq!(t.to_string(), "2011-03-13T07:06:40Z");
/// assert_eq!(t.unix(), 1_300_000_000);
///
/// let iso: UnixTime = serde_json::from_str(r#""2011-03-13T07:06:40.000+00:00""#).unwrap();
/// assert_eq!(iso, t);
/// assert_eq!(serde_json::to_string(&iso).unwrap(), "1300000000");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(DateTime<Utc>);

impl UnixTime {
    /// The time `seconds` after the UNIX epoch, or `None` when chrono cannot represent it.
    ///
    /// ```
    /// use intercom_api::time::UnixTime;
    ///
    /// let signed_up = UnixTime::from_unix(1_257_553_080).unwrap();
    /// assert_eq!(signed_up.to_string(), "2009-11-07T00:18:00Z");
    /// assert_eq!(UnixTime::from_unix(i64::MAX), None);
    /// ```
    pub fn from_unix(seconds: i64) -> Option<Self> {
        DateTime::from_timestamp(seconds, 0).map(Self)
    }

    /// The current time, truncated to whole seconds (what Intercom stores).
    ///
    /// ```
    /// use intercom_api::time::UnixTime;
    ///
    /// let now = UnixTime::now();
    /// assert!(now.unix() > 1_700_000_000);
    /// assert_eq!(now.as_datetime().timestamp_subsec_nanos(), 0);
    /// ```
    pub fn now() -> Self {
        let now = Utc::now().timestamp();
        Self::from_unix(now).expect("the current time is representable")
    }

    /// Seconds since the UNIX epoch.
    ///
    /// ```
    /// use intercom_api::time::UnixTime;
    ///
    /// let t: UnixTime = "2011-03-13T07:06:40Z".parse().unwrap();
    /// assert_eq!(t.unix(), 1_300_000_000);
    /// ```
    pub fn unix(&self) -> i64 {
        self.0.timestamp()
    }

    /// The time as a chrono value.
    ///
    /// ```
    /// use chrono::Datelike;
    /// use intercom_api::time::UnixTime;
    ///
    /// let t = UnixTime::from_unix(1_300_000_000).unwrap();
    /// let date = t.as_datetime();
    /// assert_eq!((date.year(), date.month(), date.day()), (2011, 3, 13));
    /// ```
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for UnixTime {
    /// Converts a chrono time, dropping sub-second precision (the wire format has none).
    ///
    /// ```
    /// use chrono::DateTime;
    /// use intercom_api::time::UnixTime;
    ///
    /// let precise = DateTime::from_timestamp(1_300_000_000, 750_000_000).unwrap();
    /// assert_eq!(UnixTime::from(precise).unix(), 1_300_000_000);
    /// ```
    fn from(time: DateTime<Utc>) -> Self {
        Self::from_unix(time.timestamp()).unwrap_or(Self(time))
    }
}

impl From<UnixTime> for DateTime<Utc> {
    fn from(time: UnixTime) -> Self {
        time.0
    }
}

impl fmt::Display for UnixTime {
    /// RFC 3339 for years 0 to 9999, e.g. `2011-03-13T07:06:40Z`. A year outside that range
    /// (chrono's `%Y`) is printed with its sign and as many digits as it needs, e.g.
    /// `+10000-01-01T00:00:00Z` or `-0001-12-31T23:59:59Z`, which is not RFC 3339.
    ///
    /// ```
    /// use intercom_api::time::UnixTime;
    ///
    /// assert_eq!(UnixTime::from_unix(0).unwrap().to_string(), "1970-01-01T00:00:00Z");
    /// let far = UnixTime::from_unix(253_402_300_800).unwrap();
    /// assert_eq!(far.to_string(), "+10000-01-01T00:00:00Z");
    /// let before_year_0 = UnixTime::from_unix(-62_167_219_201).unwrap();
    /// assert_eq!(before_year_0.to_string(), "-0001-12-31T23:59:59Z");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

/// Seconds that chrono cannot represent as a time (beyond about ±262,000 years).
///
/// ```
/// use intercom_api::time::{OutOfRange, UnixTime};
///
/// let error = UnixTime::try_from(i64::MAX).unwrap_err();
/// assert_eq!(error, OutOfRange(i64::MAX));
/// assert_eq!(
///     error.to_string(),
///     "9223372036854775807 seconds since the UNIX epoch is not a representable time"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange(pub i64);

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} seconds since the UNIX epoch is not a representable time",
            self.0
        )
    }
}

impl std::error::Error for OutOfRange {}

impl TryFrom<i64> for UnixTime {
    type Error = OutOfRange;

    /// [`UnixTime::from_unix`] as a `Result`, for `?`.
    ///
    /// ```
    /// use intercom_api::time::UnixTime;
    ///
    /// let signed_up = UnixTime::try_from(1_257_553_080)?;
    /// assert_eq!(signed_up.unix(), 1_257_553_080);
    /// assert!(UnixTime::try_from(i64::MAX).is_err());
    /// # Ok::<(), intercom_api::time::OutOfRange>(())
    /// ```
    fn try_from(seconds: i64) -> Result<Self, OutOfRange> {
        UnixTime::from_unix(seconds).ok_or(OutOfRange(seconds))
    }
}

/// The error of parsing a [`UnixTime`] from text.
///
/// ```
/// use intercom_api::time::UnixTime;
///
/// let error = "next tuesday".parse::<UnixTime>().unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "`next tuesday` is neither UNIX seconds nor an RFC 3339 time in range"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseUnixTimeError(String);

impl fmt::Display for ParseUnixTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is neither UNIX seconds nor an RFC 3339 time in range",
            self.0
        )
    }
}

impl std::error::Error for ParseUnixTimeError {}

impl FromStr for UnixTime {
    type Err = ParseUnixTimeError;

    /// Parses UNIX seconds (`1300000000`) or RFC 3339 (`2011-03-13T07:06:40Z`).
    ///
    /// ```
    /// use intercom_api::time::UnixTime;
    ///
    /// let seconds: UnixTime = "1300000000".parse()?;
    /// // Any offset; stored in UTC.
    /// assert_eq!(seconds, "2011-03-13T08:06:40+01:00".parse()?);
    /// # Ok::<(), intercom_api::time::ParseUnixTimeError>(())
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let parsed = match text.parse::<i64>() {
            Ok(seconds) => Self::from_unix(seconds),
            Err(_) => DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| Self::from(t.with_timezone(&Utc))),
        };
        parsed.ok_or_else(|| ParseUnixTimeError(text.to_string()))
    }
}

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.unix())
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Seconds;

        impl de::Visitor<'_> for Seconds {
            type Value = UnixTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a UNIX timestamp (whole seconds, as an integer) or an ISO 8601 (RFC 3339) \
                     time string",
                )
            }

            fn visit_i64<E: de::Error>(self, seconds: i64) -> Result<UnixTime, E> {
                UnixTime::from_unix(seconds).ok_or_else(|| {
                    E::invalid_value(de::Unexpected::Signed(seconds), &"a timestamp in range")
                })
            }

            fn visit_u64<E: de::Error>(self, seconds: u64) -> Result<UnixTime, E> {
                let signed = i64::try_from(seconds).map_err(|_| {
                    E::invalid_value(de::Unexpected::Unsigned(seconds), &"a timestamp in range")
                })?;
                self.visit_i64(signed)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<UnixTime, E> {
                // Only a date and time: digits in a string are not taken for seconds.
                DateTime::parse_from_rfc3339(text.trim())
                    .map(|t| UnixTime::from(t.with_timezone(&Utc)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }

        deserializer.deserialize_any(Seconds)
    }
}

impl schemars::JsonSchema for UnixTime {
    fn schema_name() -> Cow<'static, str> {
        "UnixTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "format": "int64",
            "description": "Whole seconds since the UNIX epoch, UTC."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_integer_seconds_and_rejects_other_json() {
        let t: UnixTime = serde_json::from_str("1671028894").unwrap();
        assert_eq!(t.unix(), 1_671_028_894);
        for bad in [
            "\"1671028894\"",
            "\"yesterday\"",
            "1.5",
            "null",
            "[]",
            "-99999999999999999",
        ] {
            let err = serde_json::from_str::<UnixTime>(bad)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("UNIX timestamp") || err.contains("in range"),
                "{bad}: {err}"
            );
        }
        let too_big = serde_json::from_str::<UnixTime>("18446744073709551615").unwrap_err();
        assert!(
            too_big.to_string().contains("a timestamp in range"),
            "{too_big}"
        );
    }

    #[test]
    fn decodes_iso_8601_strings_and_encodes_seconds() {
        // The form of Intercom's published descriptions, trailing space included.
        for text in [
            "\"2014-01-16T23:12:21.000+00:00 \"",
            "\"2014-01-16T23:12:21Z\"",
            "\"2014-01-17T00:12:21+01:00\"",
        ] {
            let t: UnixTime = serde_json::from_str(text).unwrap();
            assert_eq!(t.unix(), 1_389_913_941, "{text}");
            assert_eq!(serde_json::to_string(&t).unwrap(), "1389913941");
        }
    }

    #[test]
    fn parses_seconds_or_rfc3339() {
        assert_eq!(
            "1300000000".parse::<UnixTime>().unwrap().unix(),
            1_300_000_000
        );
        let t: UnixTime = "2011-03-13T07:06:40.750+00:00".parse().unwrap();
        assert_eq!(t.unix(), 1_300_000_000, "sub-seconds are dropped");
        assert_eq!(
            "next tuesday".parse::<UnixTime>().unwrap_err().to_string(),
            "`next tuesday` is neither UNIX seconds nor an RFC 3339 time in range"
        );
    }
}
