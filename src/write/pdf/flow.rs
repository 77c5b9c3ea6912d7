//! The page flow: text blocks and table slices placed top to bottom onto pages, a table's
//! header row repeated on each page it runs over.

use super::settings::Geometry;
use super::table::{self, Band, Table};

/// Something placed on a page.
pub(crate) enum Item {
    /// Bands of a heading or paragraph at `y`.
    Text { y: f32, bands: Vec<Band> },
    /// A page's share of a table, its header row at `y`.
    Table {
        table: usize,
        y: f32,
        slice: table::Slice,
        /// The header row is the real one (first page of the table), not a repeat.
        first: bool,
    },
}

/// Where a table's slice landed: its page, the top of its first row, and its rows.
pub(crate) struct Placed {
    /// Page index.
    pub page: usize,
    /// Top of the first row (below the header row).
    pub rows_top: f32,
    /// The atoms on that page.
    pub slice: table::Slice,
}

/// Pages being filled top to bottom with text blocks and table slices.
pub(crate) struct Flow {
    geo: Geometry,
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Flow {
    /// An empty first page.
    pub(crate) fn new(geo: Geometry) -> Flow {
        Flow {
            geo,
            pages: vec![Vec::new()],
            y: geo.top,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.geo.top;
    }

    /// Text lines, onto further pages when a page is full.
    pub(crate) fn text(&mut self, bands: Vec<Band>) {
        let mut chunk: Vec<Band> = Vec::new();
        let mut top = self.y;
        for b in bands {
            if self.y + b.height > self.geo.body_bottom()
                && (self.y > self.geo.top || !chunk.is_empty())
            {
                if !chunk.is_empty() {
                    self.push(Item::Text {
                        y: top,
                        bands: std::mem::take(&mut chunk),
                    });
                }
                self.new_page();
                top = self.y;
            }
            self.y += b.height;
            chunk.push(b);
        }
        if !chunk.is_empty() {
            self.push(Item::Text {
                y: top,
                bands: chunk,
            });
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Vertical space.
    pub(crate) fn skip(&mut self, points: f32) {
        self.y += points;
    }

    /// Start a new page unless `height` points are left on this one.
    pub(crate) fn keep(&mut self, height: f32) {
        if self.y + height > self.geo.body_bottom() {
            self.new_page();
        }
    }

    /// The current page and height, for an outline entry.
    pub(crate) fn here(&self) -> (usize, f32) {
        (self.pages.len() - 1, self.y)
    }

    /// Table `index` (in the list given to [`render`](super::render)) from here on, over as
    /// many pages as it needs, its header row repeated on each.
    pub(crate) fn table(&mut self, index: usize, t: &Table) -> Vec<Placed> {
        let hh = t.header_height();
        let first_avail = self.geo.body_bottom() - self.y - hh;
        let rest_avail = self.geo.body_bottom() - self.geo.top - hh;
        let mut placed = Vec::new();
        let mut first = true;
        for slice in t.paginate(first_avail, rest_avail) {
            if slice.start == slice.end {
                self.new_page();
                continue;
            }
            if !first {
                self.new_page();
            }
            placed.push(Placed {
                page: self.pages.len() - 1,
                rows_top: self.y + hh,
                slice: slice.clone(),
            });
            let h = hh + slice.height();
            self.push(Item::Table {
                table: index,
                y: self.y,
                slice,
                first,
            });
            self.y += h + 16.0;
            first = false;
        }
        placed
    }

    /// The pages, without a trailing empty one.
    pub(crate) fn finish(mut self) -> Vec<Vec<Item>> {
        if self.pages.last().is_some_and(|p| p.is_empty()) && self.pages.len() > 1 {
            self.pages.pop();
        }
        self.pages
    }
}
