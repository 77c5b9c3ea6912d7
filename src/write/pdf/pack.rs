//! Pack the PDF's small dictionaries into compressed object streams.
//!
//! krilla (through pdf-writer) writes every structure element, outline item and font
//! dictionary as an uncompressed indirect object with its own row in a plain cross-reference
//! table. A tagged table document has hundreds of them — on the seed they were a quarter of the
//! file, about 100 bytes each. PDF 1.5 (ISO 32000-1 §7.5.7 and §7.5.8) lets such objects live in
//! a compressed object stream, indexed by a cross-reference stream; krilla cannot write either
//! yet (typst/pdf-writer#79), so this pass re-packs krilla's finished file.
//!
//! It does not parse objects. pdf-writer's cross-reference table gives each object's exact
//! byte range, and an object is a stream exactly when its bytes end with `endstream` (a
//! dictionary, array or other direct value cannot). Streams — page content, fonts, the XMP
//! packet — are copied byte for byte; every other object moves, byte for byte, into an object
//! stream. Anything that does not look exactly like pdf-writer's output is refused with a
//! [`PackError`], and the caller keeps the unpacked file.
//!
//! [`drop_suspects`] mends one entry of krilla's catalog in place, before packing, so that the
//! plain and the packed file both have it mended.

use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::Write;

/// Objects per object stream: large enough that the dictionaries compress well together,
/// small enough that a reader decoding one object does not inflate the whole tree.
const PER_STREAM: usize = 500;

/// Why a file could not be packed (it is not laid out as pdf-writer writes files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError(pub &'static str);

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// One indirect object of the input.
struct Object<'a> {
    id: u32,
    /// The whole `N 0 obj … endobj` text with its trailing newlines, for streams copied as is.
    whole: &'a [u8],
    /// The value between `N 0 obj\n` and `\nendobj`.
    value: &'a [u8],
    stream: bool,
}

/// A row of the cross-reference stream.
#[derive(Clone, Copy)]
enum Row {
    Free,
    At(usize),
    In { stream: u32, index: u32 },
}

/// Re-pack a PDF written by pdf-writer with a plain cross-reference table so that every
/// non-stream object sits in a compressed object stream and the cross-reference table becomes
/// a compressed cross-reference stream. The objects and their numbers are unchanged.
pub fn pack(pdf: &[u8]) -> Result<Vec<u8>, PackError> {
    let Xref {
        at: xref_at,
        size,
        trailer_rest,
        offsets: rows,
    } = read_xref(pdf)?;
    let mut objects = Vec::new();
    let mut starts: Vec<(usize, u32)> = rows
        .iter()
        .enumerate()
        .filter_map(|(id, at)| at.map(|at| (at, id as u32)))
        .collect();
    starts.sort_unstable();
    let first_at = starts
        .first()
        .map(|&(at, _)| at)
        .ok_or(PackError("no objects"))?;
    for (k, &(at, id)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(xref_at, |&(next, _)| next);
        if at >= end || end > pdf.len() {
            return Err(PackError("object offsets out of order"));
        }
        let whole = &pdf[at..end];
        let head = format!("{id} 0 obj\n");
        let Some(rest) = whole.strip_prefix(head.as_bytes()) else {
            return Err(PackError("an object does not start where the table says"));
        };
        let trimmed = trim_end_newlines(rest);
        let Some(value) = trimmed.strip_suffix(b"\nendobj") else {
            return Err(PackError("an object does not end with endobj"));
        };
        let stream = value.ends_with(b"\nendstream");
        objects.push(Object {
            id,
            whole,
            value,
            stream,
        });
    }

    let mut out = Vec::with_capacity(pdf.len());
    out.extend_from_slice(&pdf[..first_at]);
    let mut table = vec![Row::Free; size as usize];
    for o in objects.iter().filter(|o| o.stream) {
        table[o.id as usize] = Row::At(out.len());
        out.extend_from_slice(o.whole);
    }

    let mut packed: Vec<&Object> = objects.iter().filter(|o| !o.stream).collect();
    packed.sort_unstable_by_key(|o| o.id);
    let mut next_id = size;
    for chunk in packed.chunks(PER_STREAM) {
        let stream_id = next_id;
        next_id += 1;
        let mut index = Vec::new();
        let mut body = Vec::new();
        for (k, o) in chunk.iter().enumerate() {
            if k > 0 {
                index.push(b' ');
                body.push(b'\n');
            }
            write!(index, "{} {}", o.id, body.len()).map_err(|_| PackError("write"))?;
            body.extend_from_slice(o.value);
            table[o.id as usize] = Row::In {
                stream: stream_id,
                index: k as u32,
            };
        }
        index.push(b'\n');
        let first = index.len();
        index.extend_from_slice(&body);
        let data = deflate(&index)?;
        table.push(Row::At(out.len()));
        write!(
            out,
            "{stream_id} 0 obj\n<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>\nstream\n",
            chunk.len(),
            data.len()
        )
        .map_err(|_| PackError("write"))?;
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\nendstream\nendobj\n\n");
    }

    // The cross-reference stream indexes itself, as the last object.
    let xref_id = next_id;
    let xref_offset = out.len();
    table.push(Row::At(xref_offset));
    let width = bytes_for(xref_offset.max(next_id as usize));
    let mut rows_data = Vec::with_capacity(table.len() * (3 + width));
    for (id, row) in table.iter().enumerate() {
        let (kind, field, generation) = match *row {
            Row::Free if id == 0 => (0u8, 0usize, 65535u16),
            Row::Free => (0, 0, 0),
            Row::At(at) => (1, at, 0),
            Row::In { stream, index } => (2, stream as usize, index as u16),
        };
        rows_data.push(kind);
        rows_data.extend_from_slice(&field.to_be_bytes()[std::mem::size_of::<usize>() - width..]);
        rows_data.extend_from_slice(&generation.to_be_bytes());
    }
    if table.len() != xref_id as usize + 1 {
        return Err(PackError("cross-reference rows miscounted"));
    }
    let data = deflate(&rows_data)?;
    write!(
        out,
        "{xref_id} 0 obj\n<</Type/XRef/Size {}/W[1 {width} 2]/Filter/FlateDecode/Length {}",
        xref_id + 1,
        data.len()
    )
    .map_err(|_| PackError("write"))?;
    out.extend_from_slice(trailer_rest);
    out.extend_from_slice(b">>\nstream\n");
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n\n");
    write!(out, "startxref\n{xref_offset}\n%%EOF").map_err(|_| PackError("write"))?;
    Ok(out)
}

/// What krilla (0.8) writes in the catalog of every tagged file, and the key left out of it.
const MARK_INFO: &[u8] = b"/MarkInfo<<";
const SUSPECTS: &[u8] = b"/Suspects false";

/// Leave `/Suspects false` out of the catalog's `/MarkInfo`, in place: its bytes become spaces,
/// so every offset of the file stays right and [`pack`] can still read it.
///
/// krilla writes the key in every PDF 1.6–1.7 file it tags. `false` is the key's default (ISO
/// 32000-1, Table 321) and PDF/UA-1 asks only that it not be `true` (veraPDF: `Suspects !=
/// true`), but poppler 22.12 reads it as the wrong type and `pdfinfo` prints `Syntax Error:
/// Suspects object is wrong type (boolean)` for the file. Only the catalog named by the
/// trailer's `/Root` is touched. Returns whether the key was there; a file not laid out as
/// pdf-writer writes files is refused and left as it is.
pub fn drop_suspects(pdf: &mut [u8]) -> Result<bool, PackError> {
    let range = {
        let xref = read_xref(pdf)?;
        let root = xref
            .trailer_rest
            .strip_prefix(b"/Root ")
            .ok_or(PackError("no /Root at the trailer's start"))?;
        let n = root.iter().take_while(|b| b.is_ascii_digit()).count();
        if root.get(n..n + 4) != Some(b" 0 R") {
            return Err(PackError("a /Root that is no object reference"));
        }
        let root = parse(&root[..n])?;
        let at = xref
            .offsets
            .get(root)
            .copied()
            .flatten()
            .ok_or(PackError("/Root names no object"))?;
        // The catalog runs to the next object, or to the cross-reference table.
        let end = xref
            .offsets
            .iter()
            .flatten()
            .copied()
            .filter(|&o| o > at)
            .min()
            .unwrap_or(xref.at);
        at..end
    };
    let catalog = &mut pdf[range];
    let Some(open) = find(catalog, MARK_INFO) else {
        return Ok(false);
    };
    let dict = &mut catalog[open + MARK_INFO.len()..];
    // /MarkInfo holds booleans only: its dictionary ends at the first `>>`.
    let close = find(dict, b">>").ok_or(PackError("/MarkInfo is not closed"))?;
    let Some(at) = find(&dict[..close], SUSPECTS) else {
        return Ok(false);
    };
    dict[at..at + SUSPECTS.len()].fill(b' ');
    Ok(true)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What pdf-writer's plain cross-reference section says.
struct Xref<'a> {
    /// Where the `xref` keyword starts.
    at: usize,
    /// The table's size: one more than the highest object number.
    size: u32,
    /// The trailer's entries after `/Size n` (`/Root`, `/Info`, `/ID`), as written.
    trailer_rest: &'a [u8],
    /// Each object's byte offset, `None` for a free row.
    offsets: Vec<Option<usize>>,
}

/// Read the cross-reference table and trailer at the end of the file.
fn read_xref(pdf: &[u8]) -> Result<Xref<'_>, PackError> {
    let sx = rfind(pdf, b"startxref\n").ok_or(PackError("no startxref"))?;
    let tail = &pdf[sx + b"startxref\n".len()..];
    let digits = tail.iter().take_while(|b| b.is_ascii_digit()).count();
    if &tail[digits..] != b"\n%%EOF" {
        return Err(PackError("the file does not end with startxref and %%EOF"));
    }
    let xref_at = parse(&tail[..digits])?;
    let xref = pdf
        .get(xref_at..sx)
        .ok_or(PackError("startxref points outside the file"))?;
    let xref = xref
        .strip_prefix(b"xref\n0 ")
        .ok_or(PackError("no cross-reference table at startxref"))?;
    let line = xref
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(PackError("cross-reference table cut short"))?;
    let size = parse(&xref[..line])?;
    let size32 = u32::try_from(size).map_err(|_| PackError("too many objects"))?;
    let rows_end = line + 1 + 20 * size;
    let rows = xref
        .get(line + 1..rows_end)
        .ok_or(PackError("cross-reference table cut short"))?;
    let mut offsets = Vec::with_capacity(size);
    for row in rows.chunks_exact(20) {
        match (&row[10..11], &row[16..18]) {
            (b" ", b" n") => {
                if &row[11..16] != b"00000" {
                    return Err(PackError("an object with a generation number"));
                }
                offsets.push(Some(parse(&row[..10])?));
            }
            (b" ", b" f") => offsets.push(None),
            _ => return Err(PackError("a malformed cross-reference row")),
        }
    }
    let trailer = xref[rows_end..]
        .strip_prefix(b"trailer\n<</Size ")
        .and_then(|t| t.strip_suffix(b">>\n"))
        .ok_or(PackError("no trailer dictionary"))?;
    let n = trailer.iter().take_while(|b| b.is_ascii_digit()).count();
    if parse(&trailer[..n])? != size || trailer.get(n) != Some(&b'/') {
        return Err(PackError("a trailer that does not match the table"));
    }
    Ok(Xref {
        at: xref_at,
        size: size32,
        trailer_rest: &trailer[n..],
        offsets,
    })
}

fn parse(digits: &[u8]) -> Result<usize, PackError> {
    std::str::from_utf8(digits)
        .ok()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .ok_or(PackError("a number expected"))
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn trim_end_newlines(b: &[u8]) -> &[u8] {
    let n = b.iter().rev().take_while(|&&c| c == b'\n').count();
    &b[..b.len() - n]
}

/// How many bytes a big-endian field needs for `n`.
fn bytes_for(n: usize) -> usize {
    let bits = usize::BITS - n.leading_zeros();
    (bits as usize).div_ceil(8).max(1)
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, PackError> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::fast());
    z.write_all(data).map_err(|_| PackError("deflate"))?;
    z.finish().map_err(|_| PackError("deflate"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;
    use std::collections::BTreeMap;
    use std::io::Read;

    /// A file laid out as pdf-writer lays it out: three dictionaries and one stream.
    fn sample() -> Vec<u8> {
        sample_with(b"<</Type/Catalog/Pages 2 0 R>>", b"[1 2 3]")
    }

    /// [`sample`] with another catalog (object 1, the trailer's `/Root`) and object 4.
    fn sample_with(catalog: &[u8], fourth: &[u8]) -> Vec<u8> {
        let objects: [&[u8]; 4] = [
            catalog,
            b"<</Type/Pages/Count 0/Kids[]/Note(endobj endstream)>>",
            b"<</Length 9>>\nstream\nendobj!!!\nendstream",
            fourth,
        ];
        let mut pdf = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = Vec::new();
        for (k, value) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
            pdf.extend_from_slice(value);
            pdf.extend_from_slice(b"\nendobj\n\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f\r\n");
        for at in offsets {
            pdf.extend_from_slice(format!("{at:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(b"trailer\n<</Size 5/Root 1 0 R/ID[(a)(b)]>>\n");
        pdf.extend_from_slice(format!("startxref\n{xref}\n%%EOF").as_bytes());
        pdf
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .expect("valid deflate");
        out
    }

    fn between<'a>(hay: &'a [u8], from: &[u8], to: &[u8]) -> &'a [u8] {
        let a = hay
            .windows(from.len())
            .position(|w| w == from)
            .expect("start marker")
            + from.len();
        let b = a + hay[a..]
            .windows(to.len())
            .position(|w| w == to)
            .expect("end marker");
        &hay[a..b]
    }

    /// Read a packed file back (independently of `pack`) into id → value.
    fn unpack(pdf: &[u8]) -> BTreeMap<u32, Vec<u8>> {
        let tail = between(pdf, b"startxref\n", b"\n%%EOF");
        let xref_at: usize = std::str::from_utf8(tail).unwrap().parse().unwrap();
        let xref = &pdf[xref_at..];
        let dict = between(xref, b"obj\n<<", b">>\nstream\n");
        let dict = std::str::from_utf8(dict).unwrap();
        assert!(dict.starts_with("/Type/XRef"), "{dict}");
        let w: usize = dict
            .split("/W[1 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let len: usize = dict
            .split("/Length ")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let start = xref.windows(7).position(|x| x == b"stream\n").unwrap() + 7;
        let rows = inflate(&xref[start..start + len]);
        let field = |r: &[u8]| r.iter().fold(0usize, |a, &b| a * 256 + b as usize);
        let mut out = BTreeMap::new();
        let mut streams: BTreeMap<usize, Vec<(u32, usize)>> = BTreeMap::new();
        for (id, r) in rows.chunks_exact(1 + w + 2).enumerate() {
            match r[0] {
                1 => {
                    let whole = &pdf[field(&r[1..1 + w])..];
                    let value = between(whole, b" 0 obj\n", b"\nendobj\n");
                    out.insert(id as u32, value.to_vec());
                }
                2 => streams
                    .entry(field(&r[1..1 + w]))
                    .or_default()
                    .push((id as u32, field(&r[1 + w..]))),
                _ => {}
            }
        }
        for (stream_id, members) in streams {
            let value = out[&(stream_id as u32)].clone();
            let head = std::str::from_utf8(between(&value, b"<<", b">>")).unwrap();
            let first: usize = head
                .split("/First ")
                .nth(1)
                .unwrap()
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let data = inflate(between(&value, b"stream\n", b"\nendstream"));
            let index: Vec<usize> = std::str::from_utf8(&data[..first])
                .unwrap()
                .split_whitespace()
                .map(|t| t.parse().unwrap())
                .collect();
            let pairs: Vec<(u32, usize)> = index.chunks(2).map(|p| (p[0] as u32, p[1])).collect();
            for (id, k) in members {
                let (pid, off) = pairs[k];
                assert_eq!(pid, id, "index {k} of stream {stream_id}");
                let end = pairs.get(k + 1).map_or(data.len() - first, |p| p.1 - 1);
                out.insert(id, data[first + off..first + end].to_vec());
            }
        }
        out
    }

    #[test]
    fn every_object_reads_back_unchanged() {
        let pdf = sample();
        let packed = pack(&pdf).expect("packs");
        let back = unpack(&packed);
        assert_eq!(back[&1], b"<</Type/Catalog/Pages 2 0 R>>");
        assert_eq!(
            back[&2],
            b"<</Type/Pages/Count 0/Kids[]/Note(endobj endstream)>>"
        );
        assert_eq!(back[&3], b"<</Length 9>>\nstream\nendobj!!!\nendstream");
        assert_eq!(back[&4], b"[1 2 3]");
        // Object 5 is the object stream, 6 the cross-reference stream.
        assert!(back[&5].starts_with(b"<</Type/ObjStm/N 3/First "));
        assert_eq!(back.len(), 6);
        let xref_dict = between(&packed, b"6 0 obj\n", b"\nstream\n");
        assert!(
            xref_dict.ends_with(b"/Root 1 0 R/ID[(a)(b)]>>"),
            "{}",
            String::from_utf8_lossy(xref_dict)
        );
        assert!(packed.starts_with(b"%PDF-1.7\n%\x80\x80\x80\x80\n\n3 0 obj\n"));
        assert!(packed.len() < pdf.len() + 200);
    }

    #[test]
    fn packing_is_deterministic() {
        assert_eq!(pack(&sample()), pack(&sample()));
    }

    #[test]
    fn files_not_laid_out_by_pdf_writer_are_refused() {
        let pdf = sample();
        assert_eq!(pack(b"").unwrap_err(), PackError("no startxref"));
        assert!(pack(&pdf[..pdf.len() - 2]).is_err(), "cut %%EOF");
        let mut bad = pdf.clone();
        let at = rfind(&bad, b"0000000").unwrap();
        bad[at + 9] = b'1'; // the last object's offset off by one
        assert!(pack(&bad).is_err());
        let mut generation = pdf.clone();
        let at = rfind(&generation, b" 00000 n").unwrap();
        generation[at + 5] = b'1';
        assert_eq!(
            pack(&generation).unwrap_err(),
            PackError("an object with a generation number")
        );
        let trailer = rfind(&pdf, b"/Size 5").unwrap();
        let mut size = pdf.clone();
        size[trailer + 6] = b'6';
        assert!(pack(&size).is_err());
    }

    /// The catalog as krilla writes it for a tagged PDF 1.7 file.
    const KRILLA_CATALOG: &[u8] = b"<</Type/Catalog/Pages 2 0 R/Lang(ja-JP)/StructTreeRoot 4 0 R/MarkInfo<</Marked true/Suspects false>>/ViewerPreferences<</DisplayDocTitle true>>>>";

    #[test]
    fn suspects_false_is_blanked_in_the_catalog_alone() {
        let pdf = sample_with(KRILLA_CATALOG, b"[1 2 3]");
        let mut fixed = pdf.clone();
        assert_eq!(drop_suspects(&mut fixed), Ok(true));
        assert_eq!(fixed.len(), pdf.len(), "no offset moves");
        let catalog = between(&fixed, b"1 0 obj\n", b"\nendobj");
        assert_eq!(
            catalog,
            &b"<</Type/Catalog/Pages 2 0 R/Lang(ja-JP)/StructTreeRoot 4 0 R/MarkInfo<</Marked true               >>/ViewerPreferences<</DisplayDocTitle true>>>>"[..]
        );
        // Nothing else changed, and the file still packs, the catalog with it.
        let at = find(&pdf, SUSPECTS).expect("krilla's key");
        let mut want = pdf.clone();
        want[at..at + SUSPECTS.len()].fill(b' ');
        assert_eq!(fixed, want);
        let back = unpack(&pack(&fixed).expect("packs"));
        assert_eq!(back[&1], catalog);
        // Once is enough: a second pass finds nothing to do.
        let again = fixed.clone();
        assert_eq!(drop_suspects(&mut fixed), Ok(false));
        assert_eq!(fixed, again);
    }

    #[test]
    fn suspects_elsewhere_than_the_catalogs_mark_info_stay() {
        // Not in /MarkInfo: kept (it would not be krilla's key).
        let mut pdf = sample_with(
            b"<</Type/Catalog/Pages 2 0 R/Note(/Suspects false)>>",
            b"[1 2 3]",
        );
        let before = pdf.clone();
        assert_eq!(drop_suspects(&mut pdf), Ok(false));
        assert_eq!(pdf, before);
        // In another object than the catalog: kept.
        let mut pdf = sample_with(
            b"<</Type/Catalog/Pages 2 0 R>>",
            b"<</MarkInfo<</Marked true/Suspects false>>>>",
        );
        let before = pdf.clone();
        assert_eq!(drop_suspects(&mut pdf), Ok(false));
        assert_eq!(pdf, before);
        // A file pdf-writer did not write is refused untouched.
        let mut cut = sample_with(KRILLA_CATALOG, b"[1 2 3]");
        cut.truncate(cut.len() - 2);
        let before = cut.clone();
        assert!(drop_suspects(&mut cut).is_err());
        assert_eq!(cut, before);
    }

    #[test]
    fn field_widths() {
        assert_eq!(bytes_for(0), 1);
        assert_eq!(bytes_for(255), 1);
        assert_eq!(bytes_for(256), 2);
        assert_eq!(bytes_for(70_000), 3);
    }
}
