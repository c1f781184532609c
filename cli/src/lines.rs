//! An import file read a line at a time in bounded memory: a line longer than
//! [`MAX_LINE_BYTES`], or one that is not UTF-8, is an invalid line of its own, not the end of
//! the input (`BufRead::lines` would buffer any length and stop at the first bad byte).

use std::io::{self, BufRead};

/// The longest line read, in bytes (without its newline): 1 MiB. An event is a few hundred bytes
/// (a name, one user identity, `created_at` and at most 10 metadata keys).
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// One line of the file.
#[derive(Debug, PartialEq)]
pub(crate) enum Line {
    /// The line's text, without its line ending.
    Text(String),
    /// Why the line cannot be read as text, and its first bytes (lossily decoded).
    Invalid { error: String, start: String },
}

/// How many bytes of an unreadable line are quoted in its error.
const QUOTED_BYTES: usize = 80;

/// The lines of `reader`, numbered from 1. After a read error nothing more is read.
pub(crate) fn numbered<R: BufRead>(reader: R) -> Lines<R> {
    Lines {
        reader,
        number: 0,
        done: false,
    }
}

/// The iterator of [`numbered`].
pub(crate) struct Lines<R> {
    reader: R,
    number: usize,
    done: bool,
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = (usize, io::Result<Line>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut kept = Vec::new();
        let mut length = 0usize;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.done = true;
                    return Some((self.number + 1, Err(error)));
                }
            };
            if available.is_empty() {
                self.done = true;
                if length == 0 {
                    return None;
                }
                break;
            }
            let newline = available.iter().position(|b| *b == b'\n');
            let chunk = &available[..newline.unwrap_or(available.len())];
            // Past the limit only the first bytes are kept, to quote.
            let room = (MAX_LINE_BYTES + 1).saturating_sub(kept.len());
            kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            length = length.saturating_add(chunk.len());
            let consumed = chunk.len() + usize::from(newline.is_some());
            self.reader.consume(consumed);
            if newline.is_some() {
                break;
            }
        }
        self.number += 1;
        if kept.last() == Some(&b'\r') && kept.len() == length {
            kept.pop();
            length -= 1;
        }
        Some((self.number, Ok(line(kept, length))))
    }
}

fn line(bytes: Vec<u8>, length: usize) -> Line {
    let quote = |bytes: &[u8]| {
        String::from_utf8_lossy(&bytes[..bytes.len().min(QUOTED_BYTES)]).into_owned() + "…"
    };
    if length > MAX_LINE_BYTES {
        return Line::Invalid {
            error: format!(
                "the line is {length} bytes long, more than the {MAX_LINE_BYTES} bytes an event \
                 line may have"
            ),
            start: quote(&bytes),
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => Line::Text(text),
        Err(error) => Line::Invalid {
            error: format!("not UTF-8: {}", error.utf8_error()),
            start: quote(error.as_bytes()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8]) -> Vec<(usize, Line)> {
        // A tiny buffer, so lines span many reads.
        numbered(io::BufReader::with_capacity(7, input))
            .map(|(n, line)| (n, line.unwrap()))
            .collect()
    }

    #[test]
    fn lines_are_numbered_with_endings_removed_and_blank_lines_kept() {
        assert_eq!(
            read(b"one\r\n\ntwo is longer than the buffer\nlast"),
            [
                (1, Line::Text("one".into())),
                (2, Line::Text(String::new())),
                (3, Line::Text("two is longer than the buffer".into())),
                (4, Line::Text("last".into())),
            ]
        );
        assert!(read(b"").is_empty());
        assert_eq!(read(b"\n"), [(1, Line::Text(String::new()))]);
    }

    #[test]
    fn a_line_over_the_limit_or_not_utf8_is_invalid_and_the_next_line_is_read() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 5];
        input.extend_from_slice(b"\nab\xffcd\nok\n");
        let lines = read(&input);
        assert_eq!(lines.len(), 3);
        match &lines[0] {
            (1, Line::Invalid { error, start }) => {
                assert!(error.contains(&format!("{} bytes long", MAX_LINE_BYTES + 5)));
                assert_eq!(start.chars().count(), QUOTED_BYTES + 1);
            }
            other => panic!("{other:?}"),
        }
        match &lines[1] {
            (2, Line::Invalid { error, start }) => {
                assert!(error.starts_with("not UTF-8"), "{error}");
                assert_eq!(start, "ab\u{fffd}cd…");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(lines[2], (3, Line::Text("ok".into())));
        // A line of exactly the limit is read.
        let exact = vec![b'y'; MAX_LINE_BYTES];
        assert!(matches!(&read(&exact)[0].1, Line::Text(t) if t.len() == MAX_LINE_BYTES));
    }
}
