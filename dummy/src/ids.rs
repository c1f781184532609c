//! The Intercom ids the dummy assigns to users: 24 lowercase hex characters, like Intercom's.
//!
//! The id encodes the user's internal sequence number, so looking a user up by Intercom id
//! needs no index of its own.

/// The fixed first 8 hex digits of every id the dummy assigns.
const PREFIX: &str = "d0d0cafe";

/// The Intercom id of the user with internal sequence number `seq`.
pub(crate) fn intercom_id(seq: u64) -> String {
    format!("{PREFIX}{seq:016x}")
}

/// The sequence number an Intercom id stands for, or `None` if the dummy never assigned it.
pub(crate) fn parse_intercom_id(id: &str) -> Option<u64> {
    let digits = id.strip_prefix(PREFIX)?;
    if digits.len() != 16 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if digits.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_strangers() {
        let id = intercom_id(42);
        assert_eq!(id, "d0d0cafe000000000000002a");
        assert_eq!(id.len(), 24);
        assert_eq!(parse_intercom_id(&id), Some(42));
        for stranger in [
            "",
            "63a0979a5eeebeaf28dd56ba",
            "d0d0cafe00000000000002a",
            "d0d0cafe000000000000002A",
            "d0d0cafe00000000000000zz",
            "d0d0cafe+00000000000002a",
        ] {
            assert_eq!(parse_intercom_id(stranger), None, "{stranger}");
        }
    }
}
