//! Property tests of the security helpers: a signature verifies exactly the body and secret it
//! was made from, any header or body is refused with a typed error rather than a panic, and the
//! identity hash is 64 lowercase hex digits.

use intercom_api::{
    messenger,
    webhook::{self, WebhookError},
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_signature_verifies_its_body_and_secret_only(
        body in prop::collection::vec(any::<u8>(), 0..512),
        secret in prop::collection::vec(any::<u8>(), 0..80),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let header = webhook::signature(&body, &secret);
        prop_assert!(header.starts_with("sha1=") && header.len() == 45);
        prop_assert_eq!(webhook::verify(&body, &header, &secret), Ok(()));
        prop_assert_eq!(webhook::verify(&body, &header.to_uppercase(), &secret), Ok(()));
        if !body.is_empty() {
            let mut changed = body.clone();
            changed[flip.index(body.len())] ^= 1 << bit;
            prop_assert_eq!(webhook::verify(&changed, &header, &secret), Err(WebhookError::SignatureMismatch));
        }
        // (Not a trailing zero byte: HMAC pads keys with zeros, so `k` and `k\0` are one key.)
        let mut other = secret.clone();
        other.push(b'x');
        prop_assert_eq!(webhook::verify(&body, &header, &other), Err(WebhookError::SignatureMismatch));
    }

    #[test]
    fn any_header_is_a_typed_answer(body in prop::collection::vec(any::<u8>(), 0..64), header in ".{0,60}") {
        let secret = b"hub-secret";
        let right = webhook::signature(&body, secret);
        match webhook::verify(&body, &header, secret) {
            Ok(()) => prop_assert!(header.trim().eq_ignore_ascii_case(&right)),
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
        // The same with a well-formed prefix, so the hex checks are reached.
        let prefixed = format!("sha1={header}");
        if let Err(error) = webhook::verify(&body, &prefixed, secret) {
            prop_assert!(!matches!(error, WebhookError::MissingPrefix | WebhookError::UnsupportedAlgorithm(_)), "{error:?}");
        }
    }

    #[test]
    fn any_body_parses_or_is_refused_with_a_path(body in prop::collection::vec(any::<u8>(), 0..256)) {
        match webhook::parse(&body) {
            Ok(notification) => prop_assert_eq!(notification.type_, "notification_event"),
            Err(WebhookError::InvalidNotification { path, message }) => {
                prop_assert!(!path.is_empty() && !message.is_empty());
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn envelopes_keep_every_field(
        id in "[a-z0-9_-]{1,20}",
        topic in "[a-z.]{1,30}",
        created_at in 0i64..4_000_000_000,
        extra_key in "[a-z]{12,16}",
        extra in prop_oneof![Just(json!(null)), any::<i64>().prop_map(Value::from), ".{0,10}".prop_map(Value::from)],
        item in prop_oneof![Just(json!({})), Just(json!({"type": "user", "id": "1"})), Just(json!([1, 2]))],
    ) {
        let mut body = json!({
            "type": "notification_event",
            "id": id,
            "topic": topic,
            "created_at": created_at,
            "data": {"type": "notification_event_data", "item": item},
        });
        body[&extra_key] = extra.clone();
        let bytes = serde_json::to_vec(&body).unwrap();
        let notification = webhook::verify_and_parse(&bytes, &webhook::signature(&bytes, b"s"), b"s").unwrap();
        prop_assert_eq!(&notification.id, &id);
        prop_assert_eq!(&notification.topic, &topic);
        prop_assert_eq!(notification.created_at.unix(), created_at);
        prop_assert_eq!(&notification.data.item, &item);
        prop_assert_eq!(notification.extra.get(&extra_key), Some(&extra));
        prop_assert_eq!(serde_json::to_value(&notification).unwrap(), body);
    }

    #[test]
    fn the_identity_hash_is_64_lowercase_hex_digits(secret in ".{0,40}", user in ".{0,40}") {
        let hash = messenger::user_hash(&secret, &user);
        prop_assert_eq!(hash.len(), 64);
        prop_assert!(hash.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
        prop_assert_eq!(&hash, &messenger::user_hash(secret.as_bytes(), user.as_bytes()));
        prop_assert_ne!(&hash, &messenger::user_hash(format!("{secret}!"), &user));
    }
}

#[test]
fn the_issue_test_vector() {
    assert_eq!(
        messenger::user_hash("secret", "Message"),
        "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"
    );
    assert_eq!(
        messenger::user_hash_for("secret", &intercom_api::UserRef::email("Message")),
        "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"
    );
}
