//! Generator settings, and the one transformation applied to the description before generation.

use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use serde_json::Value;

/// The Rust type that stands for the `UnixTime` schema (UNIX seconds on the wire).
pub const UNIX_TIME_TYPE: &str = "crate::time::UnixTime";
/// The Rust type that stands for the `MetadataNumber` schema (a JSON number kept exactly).
pub const METADATA_NUMBER_TYPE: &str = "::serde_json::Number";
/// The generated client's inner value: auth, retries, rate limits and tracing, applied to every
/// operation through progenitor's `ClientHooks` (implemented by hand in `src/transport/`).
pub const TRANSPORT_TYPE: &str = "crate::transport::Transport";

/// The settings progenitor runs with, for build.rs and the xtask alike.
pub fn generation_settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        // Builder style stays source-compatible when the spec gains optional parameters.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(TRANSPORT_TYPE.parse().expect("a Rust path"))
        // A missing `impl ClientHooks for Client` is a compile error, not silently no auth.
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Deterministic key order in maps (snapshots, logs, request bodies).
        .with_map_type("::std::collections::BTreeMap")
        .with_replacement(
            "UnixTime",
            UNIX_TIME_TYPE,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        )
        // Either UNIX seconds or an ISO 8601 string on the wire; `UnixTime` reads both.
        .with_replacement(
            "SummaryTime",
            UNIX_TIME_TYPE,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        )
        .with_replacement("MetadataNumber", METADATA_NUMBER_TYPE, std::iter::empty());
    settings
}

/// Keywords that bound a value without changing its Rust shape. typify would turn a `minLength`
/// string into a newtype and give up on a `maxProperties` map; the validator
/// (`intercom_api::schema`), the dummy server and the ergonomic layer enforce them instead.
const BOUNDS_ONLY: &[&str] = &["minLength", "maxProperties"];

/// Keywords that only constrain values (`x-*` extensions aside) and describe no Rust shape.
const CONSTRAINT_KEYS: &[&str] = &["required", "not", "anyOf", "allOf", "oneOf", "description"];

/// Returns the description with validation-only combinators and bounds removed, and with
/// `additionalProperties: false` read as `{}` (a generated type keeps unknown keys), for the
/// generator.
///
/// `anyOf: [{required: [user_id]}, {required: [email]}]` says "one of these properties must be
/// present"; it adds no field, but typify would turn it into extra types. The crate's
/// validator (`intercom_api::schema`) reads the full description, and the ergonomic layer's
/// identity enums make such requests impossible to write wrong, so the generator does not
/// need them.
pub fn strip_validation_only(spec: &Value) -> Value {
    let mut spec = spec.clone();
    strip(&mut spec);
    spec
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // `additionalProperties: false` refuses other keys in what is sent (the validator
            // reads it), but an answer that carries one must still decode, and keep it: the
            // generated type gets an `extra` map like the response objects.
            if map.get("additionalProperties") == Some(&Value::Bool(false))
                && map.contains_key("properties")
            {
                map.insert(
                    "additionalProperties".to_string(),
                    Value::Object(Default::default()),
                );
            }
            if map.get("type").is_some_and(Value::is_string) {
                for key in BOUNDS_ONLY {
                    map.remove(*key);
                }
            }
            for key in ["anyOf", "allOf", "oneOf", "not"] {
                let constraint_only = match map.get(key) {
                    Some(Value::Array(members)) => members.iter().all(is_constraint_only),
                    Some(member @ Value::Object(_)) => is_constraint_only(member),
                    _ => false,
                };
                if constraint_only {
                    map.remove(key);
                }
            }
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// True for a schema that only lists required properties or combines such schemas.
fn is_constraint_only(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    !map.is_empty()
        && map.iter().all(|(key, value)| {
            CONSTRAINT_KEYS.contains(&key.as_str())
                && match key.as_str() {
                    "anyOf" | "allOf" | "oneOf" => value
                        .as_array()
                        .is_some_and(|members| members.iter().all(is_constraint_only)),
                    "not" => is_constraint_only(value),
                    _ => true,
                }
        })
}
