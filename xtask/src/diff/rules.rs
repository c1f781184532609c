//! Every classification of the diff, one function each, with the reason given to the user.
//!
//! The point of view is a user of the SDK upgrading to the new description: "breaking" means
//! some code stops compiling (a Rust item, field or variant disappears or changes type) or some
//! request or response handling stops working (the server rejects what was valid, or a value
//! the code cannot represent may arrive); "compatible" means neither can happen.
//!
//! Where a field's Rust type depends on `required` and `nullable` (`T` or `Option<T>`), a
//! change between the two is breaking in either direction, since code that builds or reads the
//! field must change.

use super::Verdict::{self, Breaking, Compatible};

/// Which way the data of a schema travels, for the operations that use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    /// Sent by the SDK user (request bodies, parameters).
    Request,
    /// Received by the SDK user (response bodies).
    Response,
    /// Both, or used by no operation (its Rust type is public either way).
    Both,
}

/// A verdict and its reason.
pub(super) type Ruling = (Verdict, String);

fn ruling(verdict: Verdict, reason: &str) -> Ruling {
    (verdict, reason.to_string())
}

/// Picks the request or response ruling, or the worse of the two when the data goes both ways.
fn by_direction(direction: Direction, request: Ruling, response: Ruling) -> Ruling {
    match direction {
        Direction::Request => request,
        Direction::Response => response,
        Direction::Both if response.0 > request.0 => response,
        Direction::Both => request,
    }
}

pub(super) fn operation_added() -> Ruling {
    ruling(Compatible, "a new Client method")
}

pub(super) fn operation_removed() -> Ruling {
    ruling(Breaking, "its Client method disappears")
}

pub(super) fn operation_moved() -> Ruling {
    ruling(
        Compatible,
        "the Client method keeps its name and now calls the new method and path",
    )
}

pub(super) fn replay_changed(now_safe: bool) -> Ruling {
    if now_safe {
        ruling(
            Compatible,
            "the client now also retries a failed try that may have reached the server; make \
             sure the server de-duplicates it, or a retry acts twice",
        )
    } else {
        ruling(
            Compatible,
            "the client retries less: a failure after the request may have reached the server is \
             reported instead of retried",
        )
    }
}

pub(super) fn credential_removed() -> Ruling {
    ruling(
        Breaking,
        "clients configured with only this credential can no longer make the call",
    )
}

pub(super) fn credential_added(first: bool) -> Ruling {
    if first {
        ruling(Compatible, "the call now names its credential")
    } else {
        ruling(
            Compatible,
            "another credential is accepted; clients configured with the others still make the call",
        )
    }
}

pub(super) fn parameter_added(required: bool) -> Ruling {
    if required {
        ruling(Breaking, "calls that do not set it now fail")
    } else {
        ruling(Compatible, "a new optional builder setter")
    }
}

pub(super) fn parameter_removed() -> Ruling {
    ruling(Breaking, "its builder setter disappears")
}

/// A parameter or request body became required (`true`) or optional (`false`).
pub(super) fn input_required(now_required: bool) -> Ruling {
    if now_required {
        ruling(Breaking, "calls that do not set it now fail")
    } else {
        ruling(Compatible, "calls may now leave it out")
    }
}

pub(super) fn request_body_added(required: bool) -> Ruling {
    if required {
        ruling(Breaking, "calls that do not set a body now fail")
    } else {
        ruling(Compatible, "a new optional `body` builder setter")
    }
}

pub(super) fn request_body_removed() -> Ruling {
    ruling(Breaking, "the `body` builder setter disappears")
}

pub(super) fn response_added() -> Ruling {
    ruling(Compatible, "one more documented status")
}

pub(super) fn response_removed() -> Ruling {
    ruling(
        Breaking,
        "the client now treats this status as an unexpected response instead of decoding it",
    )
}

pub(super) fn response_body_added() -> Ruling {
    ruling(Compatible, "the response now carries a decoded body")
}

pub(super) fn response_body_removed() -> Ruling {
    ruling(Breaking, "code reading the body loses it")
}

pub(super) fn schema_added() -> Ruling {
    ruling(Compatible, "a new type")
}

pub(super) fn schema_removed() -> Ruling {
    ruling(Breaking, "its Rust type disappears")
}

pub(super) fn property_added(direction: Direction, required: bool) -> Ruling {
    let request = if required {
        ruling(
            Breaking,
            "requests without it are now rejected, and code building the type must set it",
        )
    } else {
        ruling(Compatible, "a new optional field")
    };
    by_direction(
        direction,
        request,
        ruling(Compatible, "a new field to read"),
    )
}

pub(super) fn property_removed(direction: Direction) -> Ruling {
    by_direction(
        direction,
        ruling(Breaking, "code setting the field stops compiling"),
        ruling(Breaking, "code reading the field stops compiling"),
    )
}

pub(super) fn type_changed() -> Ruling {
    ruling(Breaking, "the Rust type changes")
}

/// Whether a value may be absent or null, and the Rust type that gives its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Presence {
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Its Rust field is an `Option<T>` (see `Shape::field_is_option`).
    pub option: bool,
}

/// A property's `required` or `nullable` changed from `before` to `after`.
pub(super) fn presence_changed(direction: Direction, before: Presence, after: Presence) -> Ruling {
    if before.option != after.option {
        let rust = |option: bool| if option { "Option<T>" } else { "T" };
        return (
            Breaking,
            format!(
                "its Rust field changes from `{}` to `{}`",
                rust(before.option),
                rust(after.option)
            ),
        );
    }
    let tightened = (after.required && !before.required) || (before.nullable && !after.nullable);
    let request = if tightened {
        ruling(
            Breaking,
            "requests that leave it out or send null are now rejected",
        )
    } else {
        ruling(Compatible, "requests may now leave it out or send null")
    };
    by_direction(
        direction,
        request,
        ruling(
            Compatible,
            "its Rust field keeps its type, which already handles a missing value",
        ),
    )
}

/// `nullable` changed on something that is not a property (an array's items, a whole body).
pub(super) fn nullable_changed_elsewhere() -> Ruling {
    ruling(
        Breaking,
        "its Rust type changes between `T` and `Option<T>`",
    )
}

pub(super) fn enum_value_added(direction: Direction) -> Ruling {
    by_direction(
        direction,
        ruling(Compatible, "requests may use the new value"),
        ruling(
            Breaking,
            "the Rust enum gains a variant: exhaustive matches stop compiling, and builds from \
             before the change cannot decode the value",
        ),
    )
}

pub(super) fn enum_value_removed(direction: Direction) -> Ruling {
    by_direction(
        direction,
        ruling(
            Breaking,
            "requests using it are now rejected, and its Rust variant disappears",
        ),
        ruling(Breaking, "its Rust variant disappears"),
    )
}

/// A `oneOf`/`anyOf` member (a variant of the Rust enum) appeared.
pub(super) fn variant_added(direction: Direction) -> Ruling {
    by_direction(
        direction,
        ruling(Compatible, "requests may use the new form"),
        ruling(
            Breaking,
            "the Rust enum gains a variant: exhaustive matches stop compiling",
        ),
    )
}

pub(super) fn variant_removed() -> Ruling {
    ruling(Breaking, "its Rust variant disappears")
}

/// What keys other than the declared properties may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Extra {
    /// Anything (`additionalProperties` absent, `true` or `{}`).
    Any,
    /// Nothing (`additionalProperties: false`).
    Forbidden,
    /// Values of a schema (a map).
    Schema,
}

pub(super) fn additional_properties_changed(before: Extra, after: Extra) -> Ruling {
    match (before, after) {
        (Extra::Forbidden, Extra::Any) => ruling(
            Compatible,
            "objects may now carry other keys; the Rust type keeps its fields",
        ),
        (Extra::Any, Extra::Forbidden) => ruling(
            Breaking,
            "other keys are now rejected in requests and fail decoding in responses",
        ),
        _ => ruling(Breaking, "the Rust type of the other keys' values changes"),
    }
}

/// A validation-only rule changed (`x-required-any`, `anyOf` of `required` lists,
/// `x-pattern-properties`): `loosened` is `Some(true)` when every value valid before is still
/// valid, `Some(false)` when some is not, `None` when that cannot be told.
pub(super) fn validation_rule_changed(direction: Direction, loosened: Option<bool>) -> Ruling {
    let request = match loosened {
        Some(true) => ruling(Compatible, "every request valid before is still valid"),
        Some(false) => ruling(Breaking, "some requests valid before are now rejected"),
        None => ruling(
            Breaking,
            "requests valid before may now be rejected (the rule is too complex to compare)",
        ),
    };
    by_direction(
        direction,
        request,
        ruling(
            Compatible,
            "the generated types do not enforce validation rules on responses",
        ),
    )
}

pub(super) fn item_added() -> Ruling {
    ruling(Compatible, "a new public item")
}

pub(super) fn item_removed() -> Ruling {
    ruling(Breaking, "code using it stops compiling")
}

pub(super) fn item_changed() -> Ruling {
    ruling(Breaking, "code using it may stop compiling")
}
