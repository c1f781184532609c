//! Intercom's signed webhook notifications: checking the signature and reading the envelope.
//!
//! Intercom signs each notification it posts to your endpoint with the hub secret of the
//! webhook subscription: the `X-Hub-Signature` header is `sha1=` followed by the lowercase hex
//! HMAC-SHA1 of the raw request body, keyed with the secret. [`verify`] checks it (in constant
//! time); [`parse`] reads the body as a [`Notification`]; [`verify_and_parse`] does both, in
//! that order.
//!
//! Verify the body **exactly as received**, before anything parses or re-encodes it: the
//! signature covers bytes, and the same JSON written differently does not verify.
//!
//! ```
//! use intercom_api::webhook;
//!
//! let secret = b"hub-secret";
//! let body = br#"{"type":"notification_event","id":"notif_1","topic":"user.created",
//!     "created_at":1392731331,"data":{"type":"notification_event_data","item":{"type":"user","id":"5310d8e7"}}}"#;
//! // What Intercom sends as X-Hub-Signature with this body.
//! let header = webhook::signature(body, secret);
//!
//! let notification = webhook::verify_and_parse(body, &header, secret)?;
//! assert_eq!(notification.topic, "user.created");
//! assert_eq!(notification.data.item["id"], "5310d8e7");
//!
//! // A body changed on the way, or signed with another secret, is refused.
//! assert_eq!(webhook::verify(b"{}", &header, secret), Err(webhook::WebhookError::SignatureMismatch));
//! assert_eq!(webhook::verify(body, &header, b"guess"), Err(webhook::WebhookError::SignatureMismatch));
//! # Ok::<(), webhook::WebhookError>(())
//! ```
//!
//! # What the envelope is assumed to be
//!
//! The documents this crate is written from describe the REST API, not webhooks; the envelope
//! follows Intercom's published notification object: `type` (always `notification_event`),
//! `id`, `topic` (e.g. `user.created`, `conversation.user.replied`, `ping`), `created_at`
//! (UNIX seconds), and `data` holding the `item` the topic is about. These are required; the
//! others Intercom documents (`app_id`, `delivery_status`, `delivery_attempts`,
//! `delivered_at`, `first_sent_at`, `links`, `self`) are optional, and every field not named
//! here is kept in `extra`, so a new field never makes a notification unreadable. The item is
//! a [`serde_json::Value`]: its shape depends on the topic.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha1::Sha1;

use crate::time::UnixTime;

/// The name of the header carrying the signature.
///
/// ```
/// use intercom_api::webhook;
/// use intercom_api::HeaderMap;
/// # let body = b"{}";
/// # let mut headers = HeaderMap::new();
/// # headers.insert("x-hub-signature", webhook::signature(body, b"hub-secret").parse().unwrap());
///
/// // Header names are case-insensitive: this finds `x-hub-signature` too.
/// let header = headers.get(webhook::SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
/// assert_eq!(webhook::verify(body, header.unwrap_or(""), b"hub-secret"), Ok(()));
/// ```
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature";

/// What the signature header starts with.
const PREFIX: &str = "sha1=";

/// Hex digits of an HMAC-SHA1.
const DIGITS: usize = 40;

/// Why a notification was refused.
///
/// ```
/// use intercom_api::webhook::{self, WebhookError};
///
/// let error = webhook::verify(b"{}", "sha256=0a1b2c", b"hub-secret").unwrap_err();
/// assert_eq!(error, WebhookError::UnsupportedAlgorithm("sha256".to_string()));
/// assert_eq!(
///     error.to_string(),
///     "the X-Hub-Signature header is signed with `sha256`; Intercom signs with `sha1`"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature header does not start with `sha1=` (it is empty, or not a signature).
    MissingPrefix,
    /// The signature header names another algorithm, e.g. `sha256=`.
    UnsupportedAlgorithm(String),
    /// After `sha1=`, not 40 hex digits: this many characters instead.
    WrongLength(usize),
    /// After `sha1=`, a character that is not a hex digit, at this position (0-based, after
    /// the prefix).
    InvalidHex {
        /// Where, counting from the first character after `sha1=`.
        position: usize,
        /// The character found.
        found: char,
    },
    /// A well-formed signature that does not match the body and the secret: the body was
    /// changed, the secret is not the subscription's, or the request is not from Intercom.
    SignatureMismatch,
    /// The body is not a notification object.
    InvalidNotification {
        /// The JSON path that failed (`.` for the whole body).
        path: String,
        /// What was wrong there.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingPrefix => write!(
                f,
                "the {SIGNATURE_HEADER} header does not start with `{PREFIX}`"
            ),
            WebhookError::UnsupportedAlgorithm(algorithm) => write!(
                f,
                "the {SIGNATURE_HEADER} header is signed with `{algorithm}`; Intercom signs with `sha1`"
            ),
            WebhookError::WrongLength(length) => write!(
                f,
                "the {SIGNATURE_HEADER} header has {length} characters after `{PREFIX}`; an HMAC-SHA1 has {DIGITS} hex digits"
            ),
            WebhookError::InvalidHex { position, found } => write!(
                f,
                "the {SIGNATURE_HEADER} header has {found:?} at position {position} after `{PREFIX}`, which is not a hex digit"
            ),
            WebhookError::SignatureMismatch => write!(
                f,
                "the {SIGNATURE_HEADER} signature does not match the body and the hub secret"
            ),
            WebhookError::InvalidNotification { path, message } => {
                write!(
                    f,
                    "the body is not an Intercom notification: at {path}: {message}"
                )
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Checks the `X-Hub-Signature` header of a notification: `sha1=` and the hex HMAC-SHA1 of
/// `body` keyed with the hub `secret`.
///
/// The comparison takes the same time wherever the signatures differ (the `hmac` crate's
/// constant-time check), so timing tells an attacker nothing. Surrounding whitespace is ignored;
/// the prefix and the hex digits may be in either case.
///
/// ```
/// use intercom_api::webhook::{self, WebhookError};
///
/// // RFC 2202's second HMAC-SHA1 test vector.
/// let body = b"what do ya want for nothing?";
/// let header = "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
/// assert_eq!(webhook::verify(body, header, b"Jefe"), Ok(()));
/// assert_eq!(webhook::verify(body, header, b"jefe"), Err(WebhookError::SignatureMismatch));
/// assert_eq!(webhook::verify(body, "effcdf6a", b"Jefe"), Err(WebhookError::MissingPrefix));
/// assert_eq!(webhook::verify(body, "sha1=xyz", b"Jefe"), Err(WebhookError::WrongLength(3)));
/// ```
pub fn verify(body: &[u8], signature_header: &str, secret: &[u8]) -> Result<(), WebhookError> {
    let expected = decode_signature(signature_header)?;
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC accepts a key of any length");
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::SignatureMismatch)
}

/// The `X-Hub-Signature` value Intercom sends with `body` when the hub secret is `secret`:
/// `sha1=` and 40 lowercase hex digits. For testing your webhook endpoint; an endpoint checks
/// signatures with [`verify`], which compares in constant time.
///
/// ```
/// use intercom_api::webhook;
///
/// let header = webhook::signature(b"what do ya want for nothing?", b"Jefe");
/// assert_eq!(header, "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
/// ```
pub fn signature(body: &[u8], secret: &[u8]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC accepts a key of any length");
    mac.update(body);
    format!(
        "{PREFIX}{}",
        crate::hex::lower(&mac.finalize().into_bytes())
    )
}

/// Reads a notification body (after [`verify`]; see [`verify_and_parse`]).
///
/// ```
/// use intercom_api::webhook;
///
/// let body = br#"{"type":"notification_event","id":"notif_ccd8a4d0","topic":"ping",
///     "app_id":"a86dr8yl","created_at":1392731331,"delivery_attempts":1,
///     "data":{"type":"notification_event_data","item":{"type":"ping","message":"Hello"}},
///     "brand_new_field":true}"#;
/// let notification = webhook::parse(body)?;
/// assert_eq!(notification.id, "notif_ccd8a4d0");
/// assert_eq!(notification.created_at.unix(), 1392731331);
/// assert_eq!(notification.app_id.as_deref(), Some("a86dr8yl"));
/// assert_eq!(notification.extra["brand_new_field"], true);
///
/// let error = webhook::parse(br#"{"type":"notification_event","id":"n","topic":"ping"}"#).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "the body is not an Intercom notification: at .: missing field `created_at` at line 1 column 53"
/// );
/// # Ok::<(), webhook::WebhookError>(())
/// ```
pub fn parse(body: &[u8]) -> Result<Notification, WebhookError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let notification: Notification =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            WebhookError::InvalidNotification {
                path: error.path().to_string(),
                message: error.inner().to_string(),
            }
        })?;
    deserializer
        .end()
        .map_err(|error| WebhookError::InvalidNotification {
            path: ".".to_string(),
            message: error.to_string(),
        })?;
    if notification.type_ != NOTIFICATION_TYPE {
        return Err(WebhookError::InvalidNotification {
            path: "type".to_string(),
            message: format!(
                "expected `{NOTIFICATION_TYPE}`, found {:?}",
                notification.type_
            ),
        });
    }
    Ok(notification)
}

/// [`verify`], then [`parse`]: what a webhook endpoint does with each request.
///
/// ```no_run
/// use intercom_api::webhook;
///
/// fn handle(body: &[u8], header: Option<&str>, secret: &[u8]) -> Result<(), webhook::WebhookError> {
///     let notification = webhook::verify_and_parse(body, header.unwrap_or(""), secret)?;
///     match notification.topic.as_str() {
///         "user.created" => println!("new user {}", notification.data.item["id"]),
///         "ping" => {}
///         other => println!("ignoring {other}"),
///     }
///     Ok(())
/// }
/// ```
pub fn verify_and_parse(
    body: &[u8],
    signature_header: &str,
    secret: &[u8],
) -> Result<Notification, WebhookError> {
    verify(body, signature_header, secret)?;
    parse(body)
}

/// The `type` of every notification.
///
/// ```
/// use intercom_api::webhook;
///
/// let body = br#"{"type":"notification_event","id":"n1","topic":"ping","created_at":1392731331,"data":{"item":{}}}"#;
/// assert_eq!(webhook::parse(body)?.type_, webhook::NOTIFICATION_TYPE);
/// # Ok::<(), webhook::WebhookError>(())
/// ```
pub const NOTIFICATION_TYPE: &str = "notification_event";

/// A webhook notification: the envelope Intercom posts, with the item it is about.
///
/// See the [module documentation](self) for what is assumed about its shape.
///
/// ```
/// use intercom_api::webhook;
///
/// let body = br#"{"type":"notification_event","id":"notif_1","topic":"user.tag.created",
///     "created_at":1392731331,"delivery_attempts":2,
///     "data":{"type":"notification_event_data","item":{"type":"user_tag","tag":{"name":"VIP"}}}}"#;
/// let notification = webhook::parse(body)?;
/// assert_eq!(notification.topic, "user.tag.created");
/// assert_eq!(notification.delivery_attempts, Some(2));
/// assert_eq!(notification.data.item["tag"]["name"], "VIP");
/// # Ok::<(), webhook::WebhookError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notification {
    /// Always `notification_event`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The notification's id (`notif_…`); the same on every delivery attempt, so it can
    /// de-duplicate redeliveries.
    pub id: String,
    /// What happened, e.g. `user.created`, `user.tag.created`, `conversation.user.created`,
    /// or `ping` for the test notification.
    pub topic: String,
    /// When the notification was created.
    pub created_at: UnixTime,
    /// The item the topic is about.
    pub data: NotificationData,
    /// The app (workspace) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Intercom's delivery state, e.g. `pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_status: Option<String>,
    /// How many times Intercom tried to deliver it (this attempt included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_attempts: Option<u64>,
    /// When it was delivered (0 while it is not yet known, as Intercom sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<i64>,
    /// When the first delivery attempt was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_sent_at: Option<UnixTime>,
    /// Every other field, kept as sent (`links`, `self`, fields added later).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `data` of a [`Notification`].
///
/// ```
/// use intercom_api::webhook;
///
/// let body = br#"{"type":"notification_event","id":"n1","topic":"ping","created_at":1392731331,
///     "data":{"type":"notification_event_data","item":{"type":"ping","message":"Hello"}}}"#;
/// let data = webhook::parse(body)?.data;
/// assert_eq!(data.type_.as_deref(), Some("notification_event_data"));
/// assert_eq!(data.item["type"], "ping");
/// # Ok::<(), webhook::WebhookError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotificationData {
    /// `notification_event_data`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The user, conversation, tag, … the topic is about; its `type` field says which.
    pub item: Value,
    /// Every other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The 20 bytes after `sha1=`, or why there are not.
fn decode_signature(header: &str) -> Result<Vec<u8>, WebhookError> {
    let header = header.trim();
    let hex = match header.get(..PREFIX.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(PREFIX) => &header[PREFIX.len()..],
        _ => return Err(missing_prefix(header)),
    };
    let length = hex.chars().count();
    if length != DIGITS {
        return Err(WebhookError::WrongLength(length));
    }
    let digits: Vec<u8> = hex
        .chars()
        .enumerate()
        .map(|(position, found)| {
            found
                .to_digit(16)
                .map(|d| d as u8)
                .ok_or(WebhookError::InvalidHex { position, found })
        })
        .collect::<Result<_, _>>()?;
    Ok(digits
        .chunks(2)
        .map(|pair| pair[0] << 4 | pair[1])
        .collect())
}

/// `MissingPrefix`, or `UnsupportedAlgorithm` when the header looks like `<algorithm>=<hex>`.
fn missing_prefix(header: &str) -> WebhookError {
    match header.split_once('=') {
        Some((algorithm, _))
            if (1..=16).contains(&algorithm.len())
                && algorithm
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            WebhookError::UnsupportedAlgorithm(algorithm.to_ascii_lowercase())
        }
        _ => WebhookError::MissingPrefix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sha1=` and the hex HMAC-SHA1 of `body` with `secret`, computed independently of
    /// `verify` (the hmac crate's own encoding, then hex by hand).
    fn sign(body: &[u8], secret: &[u8]) -> String {
        let mut mac = Hmac::<Sha1>::new_from_slice(secret).unwrap();
        mac.update(body);
        let bytes = mac.finalize().into_bytes();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha1={hex}")
    }

    #[test]
    fn a_known_vector_verifies() {
        // RFC 2202, test case 2: HMAC-SHA1 with key "Jefe".
        let body = b"what do ya want for nothing?";
        let header = "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
        assert_eq!(verify(body, header, b"Jefe"), Ok(()));
        assert_eq!(sign(body, b"Jefe"), header);
        assert_eq!(signature(body, b"Jefe"), header);
        // Upper case, surrounding whitespace.
        assert_eq!(
            verify(
                body,
                " SHA1=EFFCDF6AE5EB2FA2D27416D5F184DF9C259A7C79\n",
                b"Jefe"
            ),
            Ok(())
        );
    }

    #[test]
    fn any_change_is_a_mismatch() {
        let body = br#"{"type":"notification_event","id":"n1"}"#;
        let header = sign(body, b"s3cret");
        assert_eq!(verify(body, &header, b"s3cret"), Ok(()));
        assert_eq!(
            verify(body, &header, b"s3cret "),
            Err(WebhookError::SignatureMismatch)
        );
        let mut changed = body.to_vec();
        changed[10] ^= 1;
        assert_eq!(
            verify(&changed, &header, b"s3cret"),
            Err(WebhookError::SignatureMismatch)
        );
        // The same JSON with other whitespace is other bytes.
        assert_eq!(
            verify(
                br#"{"type": "notification_event", "id": "n1"}"#,
                &header,
                b"s3cret"
            ),
            Err(WebhookError::SignatureMismatch)
        );
        // One digit off, in the last place.
        let mut off = header.clone();
        let last = off.pop().unwrap();
        off.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            verify(body, &off, b"s3cret"),
            Err(WebhookError::SignatureMismatch)
        );
        // An empty secret is a key like any other.
        let unkeyed = sign(body, b"");
        assert_eq!(verify(body, &unkeyed, b""), Ok(()));
        assert_eq!(
            verify(body, &unkeyed, b"s3cret"),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn malformed_headers_say_what_is_wrong() {
        let body = b"{}";
        let hex = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
        assert_eq!(verify(body, "", b"k"), Err(WebhookError::MissingPrefix));
        assert_eq!(verify(body, hex, b"k"), Err(WebhookError::MissingPrefix));
        assert_eq!(verify(body, "sha1", b"k"), Err(WebhookError::MissingPrefix));
        assert_eq!(
            verify(body, &format!("sha256={hex}{hex}"), b"k"),
            Err(WebhookError::UnsupportedAlgorithm("sha256".to_string()))
        );
        assert_eq!(
            verify(body, "sha1=", b"k"),
            Err(WebhookError::WrongLength(0))
        );
        assert_eq!(
            verify(body, &format!("sha1={hex}00"), b"k"),
            Err(WebhookError::WrongLength(42))
        );
        assert_eq!(
            verify(body, "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c7g", b"k"),
            Err(WebhookError::InvalidHex {
                position: 39,
                found: 'g'
            })
        );
        // Multi-byte characters count as one, and never split a slice.
        assert_eq!(
            verify(body, "sha1=é", b"k"),
            Err(WebhookError::WrongLength(1))
        );
        assert_eq!(
            verify(body, "shé1=00", b"k"),
            Err(WebhookError::MissingPrefix)
        );
        let shown = WebhookError::InvalidHex {
            position: 3,
            found: 'z',
        }
        .to_string();
        assert_eq!(
            shown,
            "the X-Hub-Signature header has 'z' at position 3 after `sha1=`, which is not a hex digit"
        );
    }

    #[test]
    fn the_envelope_keeps_unknown_fields_and_names_what_is_missing() {
        let body = br#"{
            "type": "notification_event",
            "app_id": "a86dr8yl",
            "data": {
                "type": "notification_event_data",
                "item": {"type": "user", "id": "530370b477ad7120001d", "email": "joe@example.org"},
                "future": 1
            },
            "links": {},
            "id": "notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3",
            "topic": "user.created",
            "delivery_status": "pending",
            "delivery_attempts": 1,
            "delivered_at": 0,
            "first_sent_at": 1392731331,
            "created_at": 1392731331,
            "self": null
        }"#;
        let notification = parse(body).unwrap();
        assert_eq!(notification.topic, "user.created");
        assert_eq!(notification.data.item["email"], "joe@example.org");
        assert_eq!(notification.data.extra["future"], 1);
        assert_eq!(notification.delivered_at, Some(0));
        assert_eq!(notification.extra["links"], serde_json::json!({}));
        assert!(notification.extra["self"].is_null());
        // Written back, nothing is lost.
        let again: Value = serde_json::to_value(&notification).unwrap();
        let original: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(again, original);

        let wrong_type =
            parse(br#"{"type":"user","id":"1","topic":"t","created_at":1,"data":{"item":{}}}"#);
        assert_eq!(
            wrong_type.unwrap_err().to_string(),
            "the body is not an Intercom notification: at type: expected `notification_event`, found \"user\""
        );
        let bad_time = parse(
            br#"{"type":"notification_event","id":"1","topic":"t","created_at":"today","data":{"item":{}}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&bad_time, WebhookError::InvalidNotification { path, .. } if path == "created_at"),
            "{bad_time:?}"
        );
        for not_json in [&b""[..], b"{", b"[]", b"null", b"\xff", b"{} {}"] {
            assert!(
                matches!(
                    parse(not_json),
                    Err(WebhookError::InvalidNotification { .. })
                ),
                "{not_json:?}"
            );
        }
    }
}
