//! Validates payloads against the OpenAPI description, as you would in your own tests.
//!
//! `cargo run --example validate_payloads`

use intercom_api::schema;
use serde_json::json;

fn main() {
    let payloads = [
        (
            "createNote",
            json!({"email": "ben@intercom.io", "body": "This is the text of my note."}),
        ),
        ("createNote", json!({"body": "hi"})),
        (
            "createTag",
            json!({"name": "Free Trial", "color": "pink", "user_ids": ["abc123"]}),
        ),
        (
            "createEvent",
            json!({
                "event_name": "ordered-item",
                "created_at": 1392036272,
                "user_id": "314159",
                "metadata": {
                    "order_date": 1392036272,
                    "price": {"amount": 34999, "currency": "eur"},
                    "shipping": {"address": {"city": "Dublin"}}
                }
            }),
        ),
    ];
    for (operation, payload) in payloads {
        match schema::validate_request(operation, &payload) {
            Ok(()) => println!("{operation}: valid\n  {payload}"),
            Err(error) => println!("{operation}: {error}\n  {payload}"),
        }
    }
}
