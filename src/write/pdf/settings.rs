//! What every PDF is made with: its settings (paper, creation date, packing), the page
//! geometry, and the typographic sizes in points.

use super::table::Padding;
use crate::meta::{Orientation, Paper, PdfLayout};
use crate::model::{Date, Strategy};

/// Settings for one PDF: page geometry and the creation date written into its metadata.
#[derive(Clone, Copy, Debug, Default)]
pub struct PdfSettings {
    /// Paper and orientation.
    pub layout: PdfLayout,
    /// The creation time for the metadata (kohyo.toml's `date`, else `SOURCE_DATE_EPOCH`);
    /// never the clock, so builds are reproducible.
    pub created: Option<Stamp>,
    /// Leave every object on its own with a plain cross-reference table instead of packing
    /// the dictionaries into compressed object streams (for comparing the two in tests).
    pub unpacked: bool,
}

/// A point in time for the PDF's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The day.
    pub date: Date,
    /// Hours, minutes and seconds.
    pub time: (u8, u8, u8),
    /// Offset from UTC in hours.
    pub utc_offset: i8,
}

impl Stamp {
    /// Midnight of a publication date, Japan time.
    pub fn japan_midnight(date: Date) -> Stamp {
        Stamp {
            date,
            time: (0, 0, 0),
            utc_offset: 9,
        }
    }
}

impl PdfSettings {
    /// Settings from kohyo.toml's `[pdf]` and the strategy's date, falling back to
    /// `SOURCE_DATE_EPOCH` for the creation date.
    pub fn new(layout: PdfLayout, strategy: &Strategy) -> PdfSettings {
        PdfSettings {
            layout,
            created: strategy
                .date
                .map(Stamp::japan_midnight)
                .or_else(source_date_epoch),
            unpacked: false,
        }
    }
}

/// The time `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) names, when set and valid.
pub fn source_date_epoch() -> Option<Stamp> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let time = (
        (rem / 3600) as u8,
        (rem % 3600 / 60) as u8,
        (rem % 60) as u8,
    );
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Stamp {
        date: Date::new(u16::try_from(year).ok()?, month, day)?,
        time,
        utc_offset: 0,
    })
}

// Typography, in points.
pub(crate) const BODY: f32 = 9.0;
pub(crate) const SMALL: f32 = 7.5;
pub(super) const LEADING: f32 = 1.55;
pub(crate) const TITLE: f32 = 18.0;
pub(crate) const SUBTITLE: f32 = 10.5;
pub(crate) const HEADING: f32 = 12.0;
pub(super) const FOOTER: f32 = 8.0;
pub(crate) const PAD: Padding = Padding { x: 5.0, y: 4.0 };

/// Points per millimetre.
pub(super) const MM: f32 = 72.0 / 25.4;

/// Page geometry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Geometry {
    /// Page width.
    pub(super) width: f32,
    /// Page height.
    pub(super) height: f32,
    /// Left margin.
    pub left: f32,
    /// Right margin.
    pub(super) right: f32,
    /// Top margin.
    pub(super) top: f32,
    /// Bottom margin.
    pub(super) bottom: f32,
}

impl Geometry {
    /// The page and margins for a paper size and orientation.
    pub(crate) fn new(layout: PdfLayout) -> Geometry {
        let (short, long) = match layout.paper {
            Paper::A4 => (210.0 * MM, 297.0 * MM),
            Paper::A3 => (297.0 * MM, 420.0 * MM),
        };
        let (width, height) = match layout.orientation {
            Orientation::Landscape => (long, short),
            Orientation::Portrait => (short, long),
        };
        // 20 mm on the binding (left) edge, 12 mm elsewhere, 15 mm at the foot for the footer:
        // inside the unprintable margins of office printers and clear of a punched binding.
        Geometry {
            width,
            height,
            left: 20.0 * MM,
            right: 12.0 * MM,
            top: 12.0 * MM,
            bottom: 15.0 * MM,
        }
    }

    /// Width between the margins.
    pub(crate) fn body_width(&self) -> f32 {
        self.width - self.left - self.right
    }

    /// Where the body ends, above the bottom margin.
    pub(super) fn body_bottom(&self) -> f32 {
        self.height - self.bottom
    }
}
