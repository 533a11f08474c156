//! Text encodings of survey files, and files that are not text at all.
//!
//! Every loader reads UTF-8. Before parsing, the input is:
//! - recognised as a binary format when it starts like one (an Excel/ODS workbook, an SPSS
//!   `.sav`, a Parquet or gzip file, or any file with NUL bytes and no UTF-16 byte-order
//!   mark), which is an [`Error::Encoding`] saying what the file is and how to read it;
//! - decoded from the encoding its byte-order mark gives (UTF-8, UTF-16 LE or BE; the mark is
//!   dropped), or from the encoding asked for ([`LoadOptions::encoding`](super::LoadOptions::encoding),
//!   any WHATWG label: `gbk`, `gb18030`, `big5`, `shift_jis`, `windows-1252`, `utf-16le`, ...);
//! - otherwise kept as it is when it is valid UTF-8, or else decoded as GB18030 (a superset of
//!   GBK, the usual export of Chinese Excel) when the whole file is valid GB18030, with a note
//!   saying so. Anything else is an error naming the first undecodable byte's line.
//!
//! Decoding is strict: a malformed sequence is an error, never a replacement character.

use crate::error::{Error, Result};
use encoding_rs::{Encoding, GB18030, UTF_8};

/// What a file that is not delimited text looks like, from its first bytes.
fn binary_kind(buf: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| buf.starts_with(m);
    if starts(b"PK\x03\x04") {
        Some("a ZIP container: an Excel .xlsx or OpenDocument .ods workbook? Read it as a workbook (Survey::from_excel, csi --data FILE.xlsx [--sheet NAME])")
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("an OLE2 compound file: an Excel 97-2003 .xls workbook? Read it as a workbook (Survey::from_excel, csi --data FILE.xls)")
    } else if starts(b"$FL2") || starts(b"$FL3") {
        Some("an SPSS .sav file: read it with Survey::from_sav (csi --data FILE.sav)")
    } else if starts(b"PAR1") {
        Some("a Parquet file: read it with the parquet feature (csi --data FILE.parquet)")
    } else if starts(&[0x1F, 0x8B]) {
        Some("a gzip-compressed file: decompress it first")
    } else {
        None
    }
}

/// Checks the first bytes of a file to be streamed (which reads UTF-8 only, in blocks cut at
/// line feeds): binary formats, UTF-16, a header that is not UTF-8 and CR-only line ends are
/// errors that say what to do. Returns the length of a UTF-8 byte-order mark to skip.
pub(crate) fn check_streamable(first: &[u8], header_end: usize) -> Result<usize> {
    if let Some(kind) = binary_kind(first) {
        return Err(Error::Encoding {
            message: format!("this is not a CSV text file but {kind}"),
        });
    }
    let bom = match Encoding::for_bom(first) {
        Some((e, n)) if e == UTF_8 => n,
        Some((e, _)) => {
            return Err(Error::Encoding {
                message: format!(
                    "the file is {} text: streaming reads UTF-8 only (load it in memory, or convert it)",
                    e.name()
                ),
            })
        }
        None => 0,
    };
    let head = &first[bom..header_end.max(bom).min(first.len())];
    if std::str::from_utf8(head).is_err() {
        return Err(Error::Encoding {
            message: "line 1: the header is not UTF-8 (a GBK export?): streaming reads UTF-8 only (load it in memory, which detects GB18030, or convert it)".into(),
        });
    }
    if let Some(i) = memchr::memchr(b'\r', head) {
        if head.get(i + 1) != Some(&b'\n') {
            return Err(Error::Encoding {
                message: "line 1 ends with a carriage return alone (old Mac line ends): streaming cuts blocks at line feeds (load it in memory, or convert the line ends)".into(),
            });
        }
    }
    Ok(bom)
}

/// The 1-based line of byte `at` of `buf` (line feeds before it, plus one).
fn line_at(buf: &[u8], at: usize) -> u64 {
    memchr::memchr_iter(b'\n', &buf[..at.min(buf.len())]).count() as u64 + 1
}

/// The input as UTF-8 text (see the module documentation), and a note when it was decoded
/// from another encoding.
///
/// # Errors
/// [`Error::Encoding`] for a binary file, an unknown encoding label, or bytes that the
/// encoding cannot decode.
pub(crate) fn to_utf8(buf: Vec<u8>, label: Option<&str>) -> Result<(Vec<u8>, Option<String>)> {
    if let Some(kind) = binary_kind(&buf) {
        return Err(Error::Encoding {
            message: format!("this is not a CSV text file but {kind}"),
        });
    }
    let (bom, bom_len) = match Encoding::for_bom(&buf) {
        Some((e, n)) => (Some(e), n),
        None => (None, 0),
    };
    let asked = match label {
        Some(l) => Some(Encoding::for_label(l.trim().as_bytes()).ok_or_else(|| Error::Encoding {
            message: format!(
                "unknown encoding '{l}' (use a WHATWG label such as utf-8, utf-16le, gbk, gb18030, big5, shift_jis, windows-1252)"
            ),
        })?),
        None => None,
    };
    let enc = asked.or(bom);
    if enc.is_none() && buf[..buf.len().min(4096)].contains(&0) {
        return Err(Error::Encoding {
            message: "this is not a text file (it holds NUL bytes and no UTF-16 byte-order mark): give a CSV file, or its encoding with --encoding".into(),
        });
    }
    let decode = |e: &'static Encoding, bytes: &[u8]| -> Result<Vec<u8>> {
        match e.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(s) => Ok(s.into_owned().into_bytes()),
            None => {
                // Where the decoder stops: the first malformed sequence.
                let mut d = e.new_decoder_without_bom_handling();
                let mut out = String::with_capacity(bytes.len() * 2);
                let (res, read) = d.decode_to_string_without_replacement(bytes, &mut out, true);
                let at = match res {
                    encoding_rs::DecoderResult::Malformed(len, extra) => {
                        read.saturating_sub(len as usize + extra as usize)
                    }
                    _ => read,
                };
                Err(Error::Encoding {
                    message: format!(
                        "line {}: byte {} (0x{:02X}) is not valid {} (give the file's encoding with --encoding)",
                        line_at(bytes, at),
                        at + 1,
                        bytes.get(at).copied().unwrap_or(0),
                        e.name()
                    ),
                })
            }
        }
    };
    match enc {
        Some(e) => {
            let body = if bom == Some(e) {
                &buf[bom_len..]
            } else {
                &buf[..]
            };
            let text = decode(e, body)?;
            let note = (e != UTF_8).then(|| {
                format!(
                    "decoded from {}{}",
                    e.name(),
                    if asked.is_some() {
                        " (as asked)"
                    } else {
                        " (byte-order mark)"
                    }
                )
            });
            Ok((text, note))
        }
        None => {
            if std::str::from_utf8(&buf).is_ok() {
                return Ok((buf, None));
            }
            if let Some(s) = GB18030.decode_without_bom_handling_and_without_replacement(&buf) {
                return Ok((
                    s.into_owned().into_bytes(),
                    Some("not UTF-8: decoded as GB18030/GBK (detected; give --encoding to choose another)".into()),
                ));
            }
            Err(match decode(UTF_8, &buf) {
                Err(Error::Encoding { message }) => Error::Encoding {
                    message: format!("{message}; it is not GB18030/GBK either"),
                },
                Err(e) => e,
                Ok(_) => Error::Encoding {
                    message: "not valid UTF-8".into(),
                },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_utf16_gbk_and_binary() {
        let (t, n) = to_utf8(b"\xEF\xBB\xBFa,b\n1,2\n".to_vec(), None).unwrap();
        assert_eq!((t.as_slice(), n), (&b"a,b\n1,2\n"[..], None));
        let utf16: Vec<u8> = std::iter::once([0xFF, 0xFE])
            .chain("满意,b\n1,2\n".encode_utf16().map(|u| u.to_le_bytes()))
            .flatten()
            .collect();
        let (t, n) = to_utf8(utf16, None).unwrap();
        assert_eq!(String::from_utf8(t).unwrap(), "满意,b\n1,2\n");
        assert!(n.unwrap().contains("UTF-16LE"));
        let (gbk, _, _) = GB18030.encode("满意度,年份\n5,2024\n");
        let (t, n) = to_utf8(gbk.to_vec(), None).unwrap();
        assert_eq!(String::from_utf8(t).unwrap(), "满意度,年份\n5,2024\n");
        assert!(n.unwrap().contains("GB18030"));
        let (t, _) = to_utf8(gbk.to_vec(), Some("gbk")).unwrap();
        assert_eq!(String::from_utf8(t).unwrap(), "满意度,年份\n5,2024\n");
        let e = to_utf8(b"PK\x03\x04rest".to_vec(), None).unwrap_err();
        assert!(e.to_string().contains("xlsx"));
        let e = to_utf8(b"$FL2@(#) SPSS".to_vec(), None).unwrap_err();
        assert!(e.to_string().contains("SPSS"));
        assert!(to_utf8(b"a,b\n\0\0\n".to_vec(), None).is_err());
        assert!(to_utf8(b"a".to_vec(), Some("klingon")).is_err());
        // Bytes valid in neither: the line is named.
        let e = to_utf8(b"a,b\n1,2\n\xFF\xFF\xFF,3\n".to_vec(), None).unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
        let e = to_utf8(b"a,b\n\xC3(,2\n".to_vec(), Some("utf-8")).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
