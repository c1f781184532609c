//! One line of an import file: a JSON object describing one event.

use std::collections::BTreeMap;

use intercom_api::{EventUser, NewEvent, time::UnixTime, types::MetadataValue};
use serde::Deserialize;
use serde_json::Value;

/// The fields of a line (those of `POST /events`; `intercom_user_id` is accepted for `id`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    event_name: Option<String>,
    created_at: Option<i64>,
    user_id: Option<String>,
    email: Option<String>,
    #[serde(alias = "intercom_user_id")]
    id: Option<String>,
    metadata: Option<serde_json::Map<String, Value>>,
}

/// The event a line describes, or what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<NewEvent, String> {
    let line: Line = serde_json::from_str(text).map_err(|e| format!("not an event object: {e}"))?;
    let name = match line.event_name {
        Some(name) if !name.trim().is_empty() => name,
        Some(_) => return Err("event_name is empty".to_string()),
        None => return Err("event_name is missing".to_string()),
    };
    let user = match (line.user_id, line.email, line.id) {
        (Some(id), None, None) => EventUser::user_id(id),
        (None, Some(email), None) => EventUser::email(email),
        (None, None, Some(id)) => EventUser::intercom_id(id),
        (None, None, None) => {
            return Err("no user: give one of user_id, email or id".to_string());
        }
        _ => return Err("more than one of user_id, email and id: give one".to_string()),
    };
    let mut event = NewEvent::new(name, user);
    if let Some(at) = line.created_at {
        let at = UnixTime::from_unix(at)
            .ok_or_else(|| format!("created_at {at} is not a time (UNIX seconds)"))?;
        event = event.created_at(at);
    }
    for (key, value) in line.metadata.unwrap_or_default() {
        event = event.metadata(key.clone(), metadata(&key, value)?);
    }
    Ok(event)
}

/// A metadata value: a string, a number, a rich link or a monetary amount.
fn metadata(key: &str, value: Value) -> Result<MetadataValue, String> {
    let shape = match &value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::String(_) | Value::Number(_) => "",
    };
    let explain = |shape: &str| {
        format!(
            "metadata {key:?} is {shape}; a value is a string, a number, a rich link \
             {{\"url\", \"value\"}} or an amount {{\"amount\", \"currency\"}}"
        )
    };
    if matches!(value, Value::Object(_)) {
        let fields: BTreeMap<String, Value> =
            serde_json::from_value(value.clone()).map_err(|_| explain(shape))?;
        let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
        if keys != ["url", "value"] && keys != ["amount", "currency"] {
            return Err(explain(&format!("an object with the fields {keys:?}")));
        }
    } else if !shape.is_empty() {
        return Err(explain(shape));
    }
    serde_json::from_value(value).map_err(|e| format!("metadata {key:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn names_what_is_wrong() {
        let error = |text: &str| parse(text).unwrap_err();
        assert!(error("{oops").starts_with("not an event object"));
        assert_eq!(error(r#"{"user_id":"1"}"#), "event_name is missing");
        assert!(error(r#"{"event_name":"a"}"#).starts_with("no user"));
        assert!(
            error(r#"{"event_name":"a","user_id":"1","metadata":{"k":[1]}}"#)
                .contains("\"k\" is an array")
        );
        assert!(
            error(r#"{"event_name":"a","user_id":"1","metadata":{"k":{"x":1}}}"#)
                .contains("[\"x\"]")
        );
        assert!(error(r#"{"event_name":"a","user_id":"1","colour":"red"}"#).contains("colour"));
        let ok = r#"{"event_name":"a","user_id":"1","created_at":1700000000,"metadata":{"n":2,"s":"x","link":{"url":"https://a","value":"A"},"price":{"amount":100,"currency":"eur"}}}"#;
        assert!(parse(ok).is_ok());
    }
}
