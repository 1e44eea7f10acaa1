//! Matrices (OV-3, SV-5, SV-6, the DIV holding matrix): cells, rows, and
//! how they print in column chunks.

use serde::Serialize;

use super::Link;
use crate::words::agree;

/// A matrix (OV-3, SV-5, SV-6, CRUD).
#[derive(Clone, Debug, Default, Serialize)]
pub struct MatrixVm {
    /// Anchor.
    pub anchor: String,
    /// Heading.
    pub title: String,
    /// What rows and columns are, for the corner cell.
    pub corner: String,
    /// Explanation below the heading.
    pub note: String,
    /// Column heads.
    pub cols: Vec<Link>,
    /// Rows.
    pub rows: Vec<MatrixRow>,
    /// Set when the matrix is too large for a grid: why its filled cells are
    /// listed per row instead (`MatrixRow::filled`; `cols` is then empty).
    pub list_reason: Option<String>,
    /// On paper, a grid wider than a landscape page is printed as these
    /// column chunks, each with the row heads again; empty when it fits.
    pub print_chunks: Vec<PrintChunk>,
}

/// Columns `start..end` of a matrix, printed as a table of their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrintChunk {
    /// First column (0-based).
    pub start: usize,
    /// One past the last column.
    pub end: usize,
    /// What it holds and where the rest is ("columns 1–7 of 18 …").
    pub label: String,
}

/// Width, in CSS px, a printed matrix may take: a landscape A4 or Letter
/// page less Chromium's default margins, with room to spare.
const PRINT_WIDTH: f64 = 940.0;

/// About how wide (CSS px) a printed cell holding `chars` characters is:
/// the table's font (.92rem of 11pt) averages ~7.4 px a character, and a
/// cell's padding is ~24 px. Text wraps at spaces in print, so a long
/// name counts as at most `cap` characters.
pub(super) fn print_width(chars: usize, cap: usize) -> f64 {
    24.0 + 7.4 * chars.clamp(2, cap) as f64
}

/// The longest word of `s`, in characters.
pub(super) fn longest_word(s: &str) -> usize {
    s.split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

/// Splits a grid's columns into chunks that fit [`PRINT_WIDTH`] next to
/// the row heads; none when they all fit.
pub(super) fn print_chunks(cols: &[Link], rows: &[MatrixRow]) -> Vec<PrintChunk> {
    let head = rows
        .iter()
        .map(|r| r.head.text.chars().count())
        .max()
        .unwrap_or(0);
    let room = PRINT_WIDTH - print_width(head, 24);
    let widths: Vec<f64> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .flat_map(|c| {
                    c.items
                        .iter()
                        .map(|l| l.text.chars().count().min(18))
                        .chain(std::iter::once(c.mark.chars().count()))
                })
                .max()
                .unwrap_or(0);
            print_width(longest_word(&c.text).max(cells), 18)
        })
        .collect();
    if widths.iter().sum::<f64>() <= room {
        return Vec::new();
    }
    let mut bounds = Vec::new();
    let (mut start, mut used) = (0usize, 0.0f64);
    for (i, w) in widths.iter().enumerate() {
        if i > start && used + w > room {
            bounds.push((start, i));
            start = i;
            used = 0.0;
        }
        used += w;
    }
    bounds.push((start, widths.len()));
    let n = cols.len();
    let last = bounds.len();
    bounds
        .into_iter()
        .enumerate()
        .map(|(k, (start, end))| PrintChunk {
            start,
            end,
            label: format!(
                "Columns {}–{} of {n} ({} to {}){}",
                start + 1,
                end,
                cols[start].text,
                cols[end - 1].text,
                if k + 1 < last {
                    "; the next columns follow below"
                } else {
                    ""
                }
            ),
        })
        .collect()
}

/// One matrix row.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixRow {
    /// Row head.
    pub head: Link,
    /// One cell per column (empty when the matrix is shown as a list).
    pub cells: Vec<Cell>,
    /// The row's filled cells with their column heads (only when the matrix
    /// is shown as a list, see [`MatrixVm::list_reason`]).
    pub filled: Vec<ListedCell>,
}

/// A filled cell of a matrix shown as a list.
#[derive(Clone, Debug, Serialize)]
pub struct ListedCell {
    /// The column head.
    pub col: Link,
    /// The cell.
    pub cell: Cell,
}

/// Most columns a matrix is drawn with as a grid.
pub const GRID_MAX_COLS: usize = 80;
/// Most cells (rows × columns) a matrix is drawn with as a grid.
pub const GRID_MAX_CELLS: usize = 20_000;

/// Builds a matrix from its filled cells only (`rows`: head and
/// (column index, cell) pairs). Small matrices become a grid; one with more
/// than [`GRID_MAX_COLS`] columns or [`GRID_MAX_CELLS`] cells — unreadable as
/// a grid and, at thousands of systems, hundreds of megabytes of empty
/// cells — lists each row's filled cells instead, and says so. Memory and
/// output stay proportional to the filled cells.
pub(super) fn matrix(
    head: MatrixVm,
    cols: Vec<Link>,
    rows: Vec<(Link, Vec<(usize, Cell)>)>,
) -> MatrixVm {
    let (nr, nc) = (rows.len(), cols.len());
    let filled: usize = rows.iter().map(|r| r.1.len()).sum();
    let grid = nc <= GRID_MAX_COLS && nr.saturating_mul(nc) <= GRID_MAX_CELLS;
    let rows: Vec<MatrixRow> = rows
        .into_iter()
        .map(|(head, mut cells)| {
            cells.sort_by_key(|c| c.0);
            if grid {
                let mut dense = vec![Cell::default(); nc];
                for (i, c) in cells {
                    if let Some(slot) = dense.get_mut(i) {
                        *slot = c;
                    }
                }
                MatrixRow {
                    head,
                    cells: dense,
                    filled: Vec::new(),
                }
            } else {
                MatrixRow {
                    head,
                    cells: Vec::new(),
                    filled: cells
                        .into_iter()
                        .filter_map(|(i, cell)| {
                            Some(ListedCell {
                                col: cols.get(i)?.clone(),
                                cell,
                            })
                        })
                        .collect(),
                }
            }
        })
        .collect();
    MatrixVm {
        list_reason: (!grid).then(|| {
            format!(
                "This matrix has {} {} and {} {} ({} cells), too many to read as a grid, so its {} filled {} listed row by row instead.",
                group_digits(nr),
                agree(nr, "row", "rows"),
                group_digits(nc),
                agree(nc, "column", "columns"),
                group_digits(nr.saturating_mul(nc)),
                group_digits(filled),
                agree(filled, "cell is", "cells are")
            )
        }),
        print_chunks: if grid {
            print_chunks(&cols, &rows)
        } else {
            Vec::new()
        },
        cols: if grid { cols } else { Vec::new() },
        rows,
        ..head
    }
}

/// 12345 → "12,345".
pub(super) fn group_digits(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One matrix cell.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Cell {
    /// Short mark (R, C, ●, →, ✗) or empty.
    pub mark: String,
    /// CSS class for the mark.
    pub class: String,
    /// Tooltip-free explanation shown as text (screen readers, print).
    pub title: String,
    /// Entities listed in the cell.
    pub items: Vec<Link>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: &str) -> Link {
        Link {
            text: id.into(),
            id: id.into(),
            href: format!("#{id}"),
            lifecycle: String::new(),
        }
    }

    fn cell(mark: &str) -> Cell {
        Cell {
            mark: mark.into(),
            ..Cell::default()
        }
    }

    fn head() -> MatrixVm {
        MatrixVm {
            anchor: "m".into(),
            title: "M".into(),
            corner: "r / c".into(),
            note: String::new(),
            cols: Vec::new(),
            rows: Vec::new(),
            list_reason: None,
            print_chunks: Vec::new(),
        }
    }

    #[test]
    fn a_small_matrix_is_a_dense_grid_in_column_order() {
        let cols: Vec<Link> = (0..3).map(|i| link(&format!("c{i}"))).collect();
        let rows = vec![(link("r0"), vec![(2, cell("B")), (0, cell("A"))])];
        let m = matrix(head(), cols, rows);
        assert!(m.list_reason.is_none());
        assert_eq!(m.cols.len(), 3);
        let marks: Vec<&str> = m.rows[0].cells.iter().map(|c| c.mark.as_str()).collect();
        assert_eq!(marks, ["A", "", "B"]);
        assert!(m.rows[0].filled.is_empty());
    }

    #[test]
    fn a_wide_matrix_lists_only_its_filled_cells_and_says_why() {
        let n = GRID_MAX_COLS + 1;
        let cols: Vec<Link> = (0..n).map(|i| link(&format!("c{i}"))).collect();
        let rows = vec![
            (link("r0"), vec![(n - 1, cell("Z")), (5, cell("F"))]),
            (link("r1"), vec![]),
        ];
        let m = matrix(head(), cols, rows);
        let why = m.list_reason.as_deref().unwrap_or("");
        assert!(why.contains("2 rows and 81 columns (162 cells)"), "{why}");
        assert!(why.contains("its 2 filled cells"), "{why}");
        assert!(m.cols.is_empty() && m.rows.iter().all(|r| r.cells.is_empty()));
        let listed: Vec<(&str, &str)> = m.rows[0]
            .filled
            .iter()
            .map(|f| (f.col.text.as_str(), f.cell.mark.as_str()))
            .collect();
        assert_eq!(listed, [("c5", "F"), ("c80", "Z")]);
        assert!(m.rows[1].filled.is_empty());
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(group_digits(999), "999");
    }

    #[test]
    fn a_grid_wider_than_a_printed_sheet_is_chunked_with_every_column_once() {
        // 4 narrow columns fit one sheet: printed as the screen table
        let cols: Vec<Link> = (0..4).map(|i| link(&format!("c{i}"))).collect();
        let m = matrix(head(), cols, vec![(link("r0"), vec![(0, cell("●"))])]);
        assert!(m.print_chunks.is_empty());
        // 30 columns of long names do not
        let cols: Vec<Link> = (0..30)
            .map(|i| link(&format!("Salesforce-Enterprise-{i:02}")))
            .collect();
        let rows = vec![(link("Qualify leads"), vec![(3, cell("●"))])];
        let m = matrix(head(), cols, rows);
        let chunks = &m.print_chunks;
        assert!(chunks.len() >= 3, "{chunks:?}");
        assert_eq!(chunks[0].start, 0);
        assert_eq!(chunks.last().map(|c| c.end), Some(30));
        for w in chunks.windows(2) {
            assert_eq!(w[0].end, w[1].start, "no column twice or left out");
        }
        assert!(
            chunks[0].label.starts_with("Columns 1–"),
            "{}",
            chunks[0].label
        );
        assert!(chunks[0].label.ends_with("the next columns follow below"));
        assert!(!chunks.last().unwrap().label.contains("follow"));
        // each chunk's estimated width fits the sheet (the row head aside)
        for c in chunks {
            let w: f64 = (c.start..c.end).map(|_| print_width(18, 18)).sum();
            assert!(w <= PRINT_WIDTH, "{c:?}");
        }
    }
}
