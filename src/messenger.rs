//! For the Intercom Messenger: the identity-verification hash your server computes so the
//! Messenger can trust who a user is.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::UserRef;

/// The `user_hash` the Intercom Messenger needs to trust who a user is (identity
/// verification): the lowercase hex HMAC-SHA256 of the user's `user_id` — or of the email when
/// the user has no `user_id` — keyed with the identity-verification secret of your workspace.
///
/// Compute it on your server (the secret must never reach a browser or an app) and give it to
/// the Messenger with the same identifier.
///
/// ```
/// use intercom_api::messenger::user_hash;
///
/// // HMAC-SHA256 with the key `secret` over `Message`.
/// assert_eq!(
///     user_hash("secret", "Message"),
///     "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"
/// );
/// // The secret may be bytes too.
/// assert_eq!(user_hash(b"secret", "Message"), user_hash("secret", "Message"));
/// ```
pub fn user_hash(secret: impl AsRef<[u8]>, user_id_or_email: impl AsRef<[u8]>) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_ref()).expect("HMAC accepts a key of any length");
    mac.update(user_id_or_email.as_ref());
    crate::hex::lower(&mac.finalize().into_bytes())
}

/// [`user_hash`] of the identifier the Messenger uses for `user`: its `user_id` when it has
/// one, else its email.
///
/// ```
/// use intercom_api::{UserRef, messenger::{user_hash, user_hash_for}};
///
/// let secret = "my-identity-verification-secret";
/// assert_eq!(
///     user_hash_for(secret, &UserRef::both("7902", "ben@intercom.io")),
///     user_hash(secret, "7902")
/// );
/// assert_eq!(
///     user_hash_for(secret, &UserRef::email("ben@intercom.io")),
///     user_hash(secret, "ben@intercom.io")
/// );
/// ```
pub fn user_hash_for(secret: impl AsRef<[u8]>, user: &UserRef) -> String {
    let identifier = match user {
        UserRef::UserId(user_id) | UserRef::Both { user_id, .. } => user_id,
        UserRef::Email(email) => email,
    };
    user_hash(secret, identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_vectors() {
        assert_eq!(
            user_hash("secret", "Message"),
            "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"
        );
        // RFC 4231, test case 2.
        assert_eq!(
            user_hash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Empty key and message (a well-known value).
        assert_eq!(
            user_hash("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"
        );
    }

    #[test]
    fn user_id_wins_over_email() {
        let both = UserRef::both("42", "a@example.com");
        assert_eq!(user_hash_for("k", &both), user_hash("k", "42"));
        assert_ne!(user_hash_for("k", &both), user_hash("k", "a@example.com"));
        assert_eq!(
            user_hash_for("k", &UserRef::user_id("42")),
            user_hash("k", "42")
        );
    }
}
