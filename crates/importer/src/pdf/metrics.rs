//! Glyph widths of the standard fonts, which PDF files may use without
//! saying how wide their glyphs are. Only printable ASCII is listed; other
//! codes get a typical width, which is close enough to tell words apart.

/// Helvetica (and Arial, which shares its metrics), codes 0x20 to 0x7e.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Times-Roman, codes 0x20 to 0x7e.
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

/// The width, in thousandths of an em, of `code` in the standard font
/// `base_font` names; `None` when it names no standard font.
pub(super) fn standard_width(base_font: &[u8], code: u8) -> Option<f64> {
    let name = String::from_utf8_lossy(base_font).to_ascii_lowercase();
    let table = if name.contains("courier") {
        return Some(600.0);
    } else if name.contains("times") {
        (&TIMES, 500)
    } else if name.contains("helvetica") || name.contains("arial") {
        (&HELVETICA, 556)
    } else {
        return None;
    };
    let width = match code {
        0x20..=0x7e => table.0[usize::from(code - 0x20)],
        _ => table.1,
    };
    Some(f64::from(width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_fonts_have_their_own_widths() {
        assert_eq!(standard_width(b"Helvetica-Bold", b'i'), Some(222.0));
        assert_eq!(standard_width(b"ABCDEF+ArialMT", b'W'), Some(944.0));
        assert_eq!(standard_width(b"Times-Roman", b' '), Some(250.0));
        assert_eq!(standard_width(b"Courier", b'i'), Some(600.0));
        assert_eq!(standard_width(b"Calibri", b'i'), None);
    }
}
