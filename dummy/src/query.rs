//! Query strings: decoded strictly, so a client's mistake is a 400 that says what is wrong.

use percent_encoding::percent_decode;

/// The decoded `(name, value)` pairs of a query string, in order. `+` is a space (HTML forms
/// and most HTTP clients encode spaces that way). A pair that decodes to invalid UTF-8 is an
/// error naming the pair.
pub(crate) fn parse(query: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    let mut pairs = Vec::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        let name = decode(name).ok_or_else(|| invalid(piece))?;
        let value = decode(value).ok_or_else(|| invalid(piece))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// The last value sent for `name` (a repeated parameter keeps its last value, as the
/// validator does).
pub(crate) fn get<'q>(pairs: &'q [(String, String)], name: &str) -> Option<&'q str> {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn decode(text: &str) -> Option<String> {
    let spaced = text.replace('+', " ");
    percent_decode(spaced.as_bytes())
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

fn invalid(piece: &str) -> String {
    let shown: String = piece.chars().take(80).collect();
    format!("the query parameter `{shown}` is not valid percent-encoded UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_and_refuses_invalid_utf8() {
        let pairs = parse(Some("email=ben%40intercom.io&name=Free+Trial&flag&&x=%zz")).unwrap();
        assert_eq!(
            pairs,
            [
                ("email".to_string(), "ben@intercom.io".to_string()),
                ("name".to_string(), "Free Trial".to_string()),
                ("flag".to_string(), String::new()),
                ("x".to_string(), "%zz".to_string()),
            ]
        );
        assert_eq!(get(&pairs, "flag"), Some(""));
        assert_eq!(parse(None).unwrap(), Vec::<(String, String)>::new());
        let err = parse(Some("email=%ff%fe")).unwrap_err();
        assert!(err.contains("email=%ff%fe"), "{err}");
        let repeated = parse(Some("page=1&page=2")).unwrap();
        assert_eq!(get(&repeated, "page"), Some("2"));
    }
}
