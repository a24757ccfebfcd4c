//! [`TableRow`]: a page's rows as a table shows them, the same columns in the same order for
//! every program that prints them — both flows' pages implement it (the GravityZone events,
//! associations and companies pages; the IT Glue groups, devices, searches and runs).

/// A row of one of the flows' pages as a table shows it: the columns' headers, and one cell per
/// column, everything named by name (ids last).
///
/// ```
/// use sync_engine::table::TableRow;
///
/// struct Site(&'static str, u32);
/// impl TableRow for Site {
///     const COLUMNS: &'static [&'static str] = &["SITE", "DEVICES"];
///     fn cells(&self) -> Vec<String> {
///         vec![self.0.to_owned(), self.1.to_string()]
///     }
/// }
///
/// let rows = [Site("Hamburg", 12), Site("Zürich", 3)];
/// let widths: Vec<usize> = (0..Site::COLUMNS.len())
///     .map(|i| rows.iter().map(|r| r.cells()[i].chars().count()).max().unwrap_or(0))
///     .collect();
/// assert_eq!(widths, [7, 2]);
/// ```
pub trait TableRow {
    /// The columns' headers, in order.
    const COLUMNS: &'static [&'static str];

    /// The row's cells, one per column.
    fn cells(&self) -> Vec<String>;
}
