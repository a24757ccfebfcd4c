//! Printing for people (aligned tables) and for scripts (`--json`).

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::args::OutputArgs;
use crate::exit::CliError;
use sync_engine::table::TableRow;

/// A plain text table: a header row, then rows, columns padded to their widest cell, measured
/// in terminal columns (a CJK character or an emoji takes two, a combining accent none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells print empty, extra cells are dropped). Control characters
    /// and bidi controls in a cell (names come from vendors) are shown escaped, so they never
    /// reach the terminal.
    pub fn row<I, S>(&mut self, cells: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut row: Vec<String> = cells
            .into_iter()
            .map(|cell| printable(&cell.into()))
            .collect();
        row.resize(self.headers.len(), String::new());
        self.rows.push(row);
        self
    }

    /// How many rows it has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when it has no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, one line per row, without trailing blanks.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let mut line = String::new();
            for (cell, width) in row.iter().zip(&widths) {
                let pad = width.saturating_sub(cell.width());
                let _ = write!(line, "{cell}{}  ", " ".repeat(pad));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// `text` with control characters and bidi controls (which could move the cursor, recolour or
/// reorder what a terminal shows) written as `\u{…}` escapes.
fn printable(text: &str) -> String {
    let unsafe_char = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.chars().any(unsafe_char) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Prints `value` as pretty JSON on standard output, written as it is serialised (a sync's
/// summary at MSP scale is tens of megabytes: never held as one string).
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| std::io::Write::write_all(&mut out, b"\n"))
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| CliError::failure(format!("could not write JSON: {e}")))
}

/// Prints `value` as JSON on one line of standard output (for a process that another reads
/// line by line).
pub fn print_json_line<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let line = serde_json::to_string(value)
        .map_err(|e| CliError::failure(format!("could not write JSON: {e}")))?;
    println!("{line}");
    Ok(())
}

/// Prints a table, or `empty` when it has no row.
pub fn print_table(table: &Table, empty: &str) {
    if table.is_empty() {
        println!("{empty}");
    } else {
        print!("{}", table.render());
    }
}

impl OutputArgs {
    /// Prints `value` as JSON with `--json`, else `lines`.
    pub fn print<T: Serialize + ?Sized>(self, value: &T, lines: &[String]) -> Result<(), CliError> {
        if self.json {
            return print_json(value);
        }
        lines.iter().for_each(|line| println!("{line}"));
        Ok(())
    }

    /// Prints `rows` as JSON with `--json`, else as a table under the rows' columns (`empty`
    /// when there is no row).
    pub fn rows<R: TableRow + Serialize>(self, rows: &[R], empty: &str) -> Result<(), CliError> {
        if self.json {
            return print_json(rows);
        }
        print_table(&table(rows, R::COLUMNS), empty);
        Ok(())
    }
}

/// The table of `rows` under `columns`.
pub fn table<R: TableRow>(rows: &[R], columns: &[&str]) -> Table {
    let mut table = Table::new(columns.iter().copied());
    rows.iter().for_each(|row| _ = table.row(row.cells()));
    table
}

/// A score in `[0, 1]` as a percentage ("87%").
pub fn percent(score: f64) -> String {
    format!("{:.0}%", (score * 100.0).clamp(0.0, 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_cells_are_escaped() {
        let mut table = Table::new(["site"]);
        table.row(["Red\u{1b}[31m\u{202e}x\n"]);
        assert_eq!(table.render(), "site\nRed\\u{1b}[31m\\u{202e}x\\u{a}\n");
    }

    #[test]
    fn columns_are_measured_in_terminal_columns() {
        let mut table = Table::new(["site", "company"]);
        // Two columns per CJK character and emoji; a combining accent takes none.
        table.row(["東京支店", "a"]);
        table.row(["Cafe\u{301} 🚀", "b"]);
        table.row(["Tokyo", "c"]);
        assert_eq!(
            table.render(),
            "site      company\n東京支店  a\nCafe\u{301} 🚀   b\nTokyo     c\n"
        );
    }

    #[test]
    fn columns_are_padded_to_the_widest_cell() {
        let mut table = Table::new(["site", "company"]);
        table.row(["Northwind", "Northwind Logistics GmbH"]);
        table.row(["Café Zürich", ""]);
        assert_eq!(
            table.render(),
            "site         company\nNorthwind    Northwind Logistics GmbH\nCafé Zürich\n"
        );
    }

    #[test]
    fn short_rows_are_filled_and_long_rows_cut() {
        let mut table = Table::new(["a", "b"]);
        table.row(["1"]);
        table.row(["1", "2", "3"]);
        assert_eq!(table.render(), "a  b\n1\n1  2\n");
    }

    #[test]
    fn scores_print_as_percentages() {
        assert_eq!(percent(0.874), "87%");
        assert_eq!(percent(1.5), "100%");
    }
}
