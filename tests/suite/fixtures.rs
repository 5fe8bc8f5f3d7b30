//! Builders of the files the tests give the binary (zips, workbooks, .xls, UTF-16 text): one
//! version of each, shared by the test modules.

use std::path::Path;

// ---- zip (xlsx, ods) ----

/// The text of the zip part `part` of the file at `path` (what calamine does not expose).
pub fn zip_part_text(path: &Path, part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(part).unwrap(), &mut text).unwrap();
    text
}

/// The zip `book` with its part `part` (which must be there) rewritten by `edit`.
pub fn zip_with_part_edited(book: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut found = false;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        if name == part {
            found = true;
            contents = edit(&String::from_utf8(contents).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&contents).unwrap();
    }
    assert!(found, "no part {part}");
    out.finish().unwrap().into_inner()
}

/// The zip `book` with each part renamed by `rename` and its text rewritten by `edit` (given
/// the part's new name).
pub fn zip_with_parts_moved(
    book: &[u8],
    rename: impl Fn(&str) -> String,
    edit: impl Fn(&str, String) -> String,
) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = rename(&entry.name().unwrap());
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        let contents = edit(&name, String::from_utf8(contents).unwrap());
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(contents.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A zip holding one file, `name`, of `text`.
pub fn zip_of_one_file(name: &str, text: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

// ---- workbooks ----

/// An .xlsx at `path`: `rows` typed into sheet `name` (numbers as numbers), then `edit`ed.
pub fn write_xlsx(
    path: &Path,
    name: &str,
    rows: &[Vec<String>],
    edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet),
) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r, c, number).unwrap(),
                Err(_) => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    edit(sheet);
    book.save(path).unwrap();
}

/// An .ods of one sheet, `Sheet1`, whose content.xml holds `rows` (`table:table-row` elements).
pub fn ods_bytes(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A content.xml row of text cells, with the row's `attributes`.
pub fn ods_text_row(attributes: &str, texts: &[&str]) -> String {
    let cells: String = texts
        .iter()
        .map(|t| {
            format!(
                r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
            )
        })
        .collect();
    format!("<table:table-row {attributes}>{cells}</table:table-row>")
}

/// A content.xml text cell with `attributes` (`table:number-rows-spanned="3"`).
pub fn ods_text_cell(attributes: &str, text: &str) -> String {
    format!(
        r#"<table:table-cell {attributes} office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// A content.xml cell a merged range covers.
pub const ODS_COVERED: &str = "<table:covered-table-cell/>";

// ---- .xls ----

/// A BIFF record of type `typ` holding `body`.
pub fn biff_record(typ: u16, body: &[u8]) -> Vec<u8> {
    let mut record = typ.to_le_bytes().to_vec();
    record.extend((body.len() as u16).to_le_bytes());
    record.extend(body);
    record
}

/// A cell of an .xls built here: text (a shared string) or a number.
pub enum XlsCell {
    Text(&'static str),
    Number(f64),
}

/// An .xls (BIFF8) of one sheet, `Sheet1`: `records`, then `cells`; `declared` strings if given.
pub fn xls_bytes(cells: &[(u16, u16, XlsCell)], records: &[u8], declared: Option<u32>) -> Vec<u8> {
    let mut shared: Vec<&str> = Vec::new();
    let mut sheet = records.to_vec();
    for (row, column, cell) in cells {
        let place = [row.to_le_bytes(), column.to_le_bytes(), [0, 0]].concat();
        match cell {
            XlsCell::Text(text) => {
                let index = shared.iter().position(|s| s == text).unwrap_or_else(|| {
                    shared.push(text);
                    shared.len() - 1
                });
                let body = [place, (index as u32).to_le_bytes().to_vec()].concat();
                sheet.extend(biff_record(0x00FD, &body));
            }
            XlsCell::Number(value) => {
                let body = [place, value.to_le_bytes().to_vec()].concat();
                sheet.extend(biff_record(0x0203, &body));
            }
        }
    }
    let bof = |kind: u16| {
        let body = [0x0600u16.to_le_bytes(), kind.to_le_bytes()].concat();
        biff_record(0x0809, &[body, vec![0; 12]].concat())
    };
    let mut sst = (shared.len() as u32).to_le_bytes().to_vec();
    sst.extend(declared.unwrap_or(shared.len() as u32).to_le_bytes());
    for text in &shared {
        sst.extend((text.len() as u16).to_le_bytes());
        sst.push(0);
        sst.extend(text.as_bytes());
    }
    let globals = |at: u32| {
        let bound = [
            at.to_le_bytes().to_vec(),
            vec![0, 0, 6, 0],
            b"Sheet1".to_vec(),
        ]
        .concat();
        [
            bof(0x0005),
            biff_record(0x0042, &1200u16.to_le_bytes()),
            biff_record(0x0085, &bound),
            biff_record(0x00FC, &sst),
            biff_record(0x000A, &[]),
        ]
        .concat()
    };
    let mut stream = globals(globals(0).len() as u32);
    stream.extend(bof(0x0010));
    stream.extend(sheet);
    stream.extend(biff_record(0x000A, &[]));
    // Excel pads the stream to 4096 bytes, so it lies in ordinary sectors.
    stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
    // Header; sector 0 the allocation table, 1 the directory, then the stream.
    const END: u32 = 0xFFFF_FFFE;
    let sectors = stream.len() / 512;
    let mut file = vec![0u8; 512];
    let mut put = |at: usize, bytes: &[u8]| file[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    put(24, &[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0]);
    put(44, &1u32.to_le_bytes());
    put(48, &1u32.to_le_bytes());
    put(56, &4096u32.to_le_bytes());
    put(60, &END.to_le_bytes());
    put(68, &END.to_le_bytes());
    put(76, &[0xFF; 436]);
    put(76, &0u32.to_le_bytes());
    let mut table = vec![0xFFFF_FFFDu32, END];
    table.extend((3..sectors as u32 + 2).chain([END]));
    table.resize(128, 0xFFFF_FFFF);
    file.extend(table.iter().flat_map(|n| n.to_le_bytes()));
    let entry = |name: &str, kind: u8, start: u32, size: u32| {
        let mut entry = vec![0u8; 128];
        for (i, unit) in name.encode_utf16().enumerate() {
            entry[2 * i..2 * i + 2].copy_from_slice(&unit.to_le_bytes());
        }
        entry[64..66].copy_from_slice(&(2 * (name.len() as u16 + 1)).to_le_bytes());
        entry[66] = kind;
        entry[68..80].fill(0xFF);
        if kind == 5 {
            entry[76..80].copy_from_slice(&1u32.to_le_bytes());
        }
        entry[116..120].copy_from_slice(&start.to_le_bytes());
        entry[120..124].copy_from_slice(&size.to_le_bytes());
        entry
    };
    file.extend(entry("Root Entry", 5, END, 0));
    file.extend(entry("Workbook", 2, 2, stream.len() as u32));
    file.resize(1536, 0);
    file.extend(stream);
    file
}

// ---- text ----

/// `text` in UTF-16LE, without a byte-order mark.
pub fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}
