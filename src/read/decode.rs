//! Turning a text file's bytes into a string: BOM first, then a declared charset, then UTF-8
//! validity, then chardetng's guess. Undecodable bytes are an error with their byte offset.

use crate::diag::{Code, Diagnostic};
use crate::grid::Origin;
use encoding_rs::{Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

/// A decoded text file.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without its BOM.
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: &'static Encoding,
    /// Whether the file started with a byte order mark.
    pub bom: bool,
}

/// The encoding a byte order mark announces, and the BOM's length.
pub fn bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// Decode the whole file strictly. `declared` is a charset the file itself declares (an HTML
/// `<meta charset>`), used when there is no BOM.
pub fn decode(
    bytes: &[u8],
    file: &str,
    declared: Option<&'static Encoding>,
) -> Result<Decoded, Diagnostic> {
    if let Some((enc, len)) = bom(bytes) {
        return strict(enc, &bytes[len..], len, file).map(|text| Decoded {
            text,
            encoding: enc,
            bom: true,
        });
    }
    let enc = match declared {
        Some(e) => e,
        None => guess(bytes),
    };
    strict(enc, bytes, 0, file).map(|text| Decoded {
        text,
        encoding: enc,
        bom: false,
    })
}

/// The encoding of a BOM-less file: UTF-8 when it is valid UTF-8 or clearly meant to be
/// (several multi-byte sequences before the first bad byte), else EUC-JP when chardetng says
/// so and Shift_JIS (CP932) otherwise.
pub fn guess(bytes: &[u8]) -> &'static Encoding {
    match std::str::from_utf8(bytes) {
        Ok(_) => UTF_8,
        Err(e) => {
            let prefix = &bytes[..e.valid_up_to()];
            let multibyte = prefix.iter().filter(|&&b| b >= 0xC0).count();
            if multibyte >= 3 {
                return UTF_8;
            }
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let guessed = det.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
            // A draft is Japanese: when chardetng picks a non-Japanese encoding (it does for
            // short samples, and for CP932 with a malformed byte, which rules Shift_JIS out),
            // the file is CP932, and decoding it strictly reports any bad byte (K003).
            if guessed == encoding_rs::EUC_JP {
                guessed
            } else {
                SHIFT_JIS
            }
        }
    }
}

fn strict(
    enc: &'static Encoding,
    bytes: &[u8],
    base: usize,
    file: &str,
) -> Result<String, Diagnostic> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            let offset = base + read - bad as usize - extra as usize;
            let line = out.matches('\n').count() + 1;
            let shown: Vec<String> = bytes[offset - base..]
                .iter()
                .take(bad.max(1) as usize)
                .map(|b| format!("{b:02X}"))
                .collect();
            let shown = shown.join(" ");
            let name = enc.name();
            Err(Diagnostic::at(
                Code::K003,
                Origin::byte(file, offset as u64),
                format!("{file} の {offset} バイト目（{line} 行目）のバイト {shown} は {name} として読めません"),
                format!("byte {offset} (line {line}) of {file}, {shown}, is not valid {name}"),
            )
            .note(
                "ファイルを UTF-8 か Shift_JIS（CP932）で保存し直してください",
                "save the file again as UTF-8 or Shift_JIS (CP932)",
            ))
        }
        encoding_rs::DecoderResult::OutputFull => Ok(out),
    }
}

/// A lossy decode of the first `limit` bytes, for sniffing a file's kind.
pub fn sniff_text(bytes: &[u8], limit: usize) -> String {
    let head = &bytes[..bytes.len().min(limit)];
    let (enc, skip) = bom(head).unwrap_or_else(|| {
        if head.len() >= 4 && head[1] == 0 && head[3] == 0 && head[0] != 0 {
            (UTF_16LE, 0)
        } else if head.len() >= 4 && head[0] == 0 && head[2] == 0 && head[1] != 0 {
            (UTF_16BE, 0)
        } else {
            (guess(head), 0)
        }
    });
    let (text, _) = enc.decode_without_bom_handling(&head[skip..]);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("\u{feff}基本目標".as_bytes(), "a.csv", None).expect("utf8");
        assert_eq!(
            (d.text.as_str(), d.bom, d.encoding),
            ("基本目標", true, UTF_8)
        );
        let d = decode("基本目標".as_bytes(), "a.csv", None).expect("utf8");
        assert_eq!((d.text.as_str(), d.bom), ("基本目標", false));
    }

    #[test]
    fn cp932_is_guessed() {
        let (bytes, _, _) = SHIFT_JIS
            .encode("基本目標,施策の基本的方向,具体的な施策,事業例\n①若者の市内就職の促進\n");
        let d = decode(&bytes, "a.csv", None).expect("sjis");
        assert_eq!(d.encoding, SHIFT_JIS);
        assert!(d.text.contains("①若者の市内就職の促進"));
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "基本目標\t事業例".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes, "a.txt", None).expect("utf16");
        assert_eq!(d.text, "基本目標\t事業例");
        assert_eq!(d.encoding, UTF_16LE);
    }

    #[test]
    fn broken_utf8_reports_its_offset() {
        let mut bytes = "基本目標,施策\n地元企業".as_bytes().to_vec();
        let at = bytes.len();
        bytes.push(0xFF);
        bytes.extend_from_slice("と学生".as_bytes());
        let e = decode(&bytes, "a.csv", None).expect_err("bad byte");
        assert_eq!(e.code, Code::K003);
        assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(at as u64));
        assert!(e.message.ja.contains("2 行目"), "{}", e.message.ja);
    }

    #[test]
    fn short_cp932_with_a_broken_byte_is_not_decoded_as_another_script() {
        // chardetng calls this windows-1251, where every byte decodes: Cyrillic garbage.
        let (good, _, _) = SHIFT_JIS.encode("基本目標,事業例\nしごと,");
        let mut bytes = good.into_owned();
        let at = bytes.len();
        bytes.extend_from_slice(&[0x81, 0x20]);
        assert_eq!(guess(&bytes), SHIFT_JIS);
        let e = decode(&bytes, "a.csv", None).expect_err("bad byte");
        assert_eq!(e.code, Code::K003);
        assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(at as u64));
    }

    #[test]
    fn broken_cp932_reports_its_offset() {
        let (good, _, _) = SHIFT_JIS.encode("基本目標,施策の基本的方向\n");
        let mut bytes = good.into_owned();
        let at = bytes.len();
        bytes.extend_from_slice(&[0x81, 0x20]); // a lead byte followed by an invalid trail byte
        let e = decode(&bytes, "a.csv", Some(SHIFT_JIS)).expect_err("bad byte");
        assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(at as u64));
    }
}
