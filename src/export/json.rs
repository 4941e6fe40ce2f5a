//! JSON documents with one record per line: the outline (objects and the lists in them) is
//! indented as `to_string_pretty` would, and each element of a list that is itself an object
//! or a list is written on one line. A change to one activity is a one-line diff, and a
//! register of 10,000 activities is half the size of pretty JSON (pretty JSON spends more
//! bytes on indentation than on data once records hold cell coordinates).

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// `value` as JSON with one record per line, ending in a newline.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(1 << 16);
    to_writer(&mut out, value)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Writes `value` as [`to_string`] would, straight into `writer`.
pub fn to_writer<W: Write + ?Sized, T: Serialize + ?Sized>(
    writer: &mut W,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, RecordLines::default());
    value.serialize(&mut serializer)?;
    serializer
        .into_inner()
        .write_all(b"\n")
        .map_err(serde_json::Error::io)
}

/// Writes `value` as [`to_string`] would into an output file, a failed write as the file's
/// error (see [`super::write_streamed`]).
pub fn stream<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> Result<(), super::ExportError> {
    to_writer(out, value).map_err(|e| {
        if e.is_io() {
            super::ExportError::Io(e.into())
        } else {
            e.into()
        }
    })
}

#[derive(Default)]
struct RecordLines {
    /// The open containers, `true` for a list.
    open: Vec<bool>,
    /// The depth of the record being written on one line, if any.
    record: Option<usize>,
    /// Whether the innermost open container has a value yet.
    has_value: bool,
}

impl RecordLines {
    fn on_one_line(&self) -> bool {
        self.record.is_some()
    }

    fn begin<W: ?Sized + Write>(&mut self, writer: &mut W, list: bool) -> io::Result<()> {
        if self.record.is_none() && self.open.last() == Some(&true) {
            self.record = Some(self.open.len());
        }
        self.open.push(list);
        self.has_value = false;
        writer.write_all(if list { b"[" } else { b"{" })
    }

    fn end<W: ?Sized + Write>(&mut self, writer: &mut W, list: bool) -> io::Result<()> {
        self.open.pop();
        if !self.on_one_line() && self.has_value {
            self.new_line(writer)?;
        }
        if self.record == Some(self.open.len()) {
            self.record = None;
        }
        writer.write_all(if list { b"]" } else { b"}" })
    }

    fn new_line<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\n")?;
        for _ in 0..self.open.len() {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn next<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        if !self.on_one_line() {
            self.new_line(writer)?;
        }
        Ok(())
    }
}

impl Formatter for RecordLines {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, true)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, true)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, false)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, false)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.on_one_line() { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_in_lists_take_one_line_each() {
        let value = serde_json::json!({
            "name": "Acme",
            "empty": [],
            "nothing": {},
            "tags": ["a", "b"],
            "activities": [
                {"id": "A1", "cells": {"name": [2, 1]}, "extra": {}},
                {"id": "A2", "cells": {}, "list": [[1, 2], []]}
            ],
            "nested": {"rows": [{"x": 1}]}
        });
        let text = to_string(&value).unwrap();
        assert_eq!(
            text,
            r#"{
  "activities": [
    {"cells":{"name":[2,1]},"extra":{},"id":"A1"},
    {"cells":{},"id":"A2","list":[[1,2],[]]}
  ],
  "empty": [],
  "name": "Acme",
  "nested": {
    "rows": [
      {"x":1}
    ]
  },
  "nothing": {},
  "tags": [
    "a",
    "b"
  ]
}
"#
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
