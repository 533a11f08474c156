//! Record boundaries of CSV text, without parsing it: where a record may be cut so that each
//! block of whole records parses alone exactly as it does inside the whole file.
//!
//! The scanner follows the CSV reader's quoting rules (RFC 4180 with doubled quotes: a quote
//! opens a quoted field only at the start of a field; inside it, `""` is a quote and a lone `"`
//! closes it). A record ends at a line feed outside quotes; blocks are cut only there (a CRLF
//! line end is cut after its LF). A block with no quote at all takes a fast path: its last line
//! feed is the cut.

/// Where the scanner is inside a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The position just after the last record end (a line feed outside quotes) in `buf`, which
/// starts at a record start; `None` when `buf` holds no whole record.
pub(crate) fn last_boundary(buf: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr(b'"', buf).is_none() {
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    let mut last = None;
    scan(buf, delimiter, |end| {
        last = Some(end);
        true
    });
    last
}

/// The position just after the first record end in `buf` (which starts at a record start).
pub(crate) fn first_boundary(buf: &[u8], delimiter: u8) -> Option<usize> {
    let mut first = None;
    scan(buf, delimiter, |end| {
        first = Some(end);
        false
    });
    first
}

/// Calls `at(end)` after each record end; stops when it returns false.
fn scan(buf: &[u8], delimiter: u8, mut at: impl FnMut(usize) -> bool) {
    let mut s = State::FieldStart;
    for (i, &b) in buf.iter().enumerate() {
        s = match (s, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::FieldStart, b'"') => State::Quoted,
            (_, b'\n') => {
                if !at(i + 1) {
                    return;
                }
                State::FieldStart
            }
            (_, b'\r') => State::FieldStart,
            (_, d) if d == delimiter => State::FieldStart,
            _ => State::Unquoted,
        };
    }
}

/// Number of line ends in `buf`: line feeds, and carriage returns not followed by one (the
/// CSV reader ends a record at a lone CR too), counted as the in-memory loader counts them.
/// Blocks are cut after a line feed, so a CR LF pair is never split between two blocks.
pub(crate) fn count_lines(buf: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', buf).count();
    let lone_cr = memchr::memchr_iter(b'\r', buf)
        .filter(|&i| buf.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_hide_line_ends() {
        let t = b"a,b\n\"x\ny\",2\n3,\"q\"\"\n\"\n4,5";
        assert_eq!(first_boundary(t, b','), Some(4));
        assert_eq!(last_boundary(t, b','), Some(21));
        assert_eq!(last_boundary(b"1,2\n3,4\n5", b','), Some(8));
        assert_eq!(last_boundary(b"\"open\n", b','), None);
        // A quote inside an unquoted field is a plain character.
        assert_eq!(last_boundary(b"ab\"c,1\nd,2\n", b','), Some(11));
        assert_eq!(count_lines(t), 5);
        // Lone carriage returns end lines too; a CR LF is one line end.
        assert_eq!(count_lines(b"1,2\r3,4\r\n5,6\n"), 3);
    }
}
