//! The floor for batch: only read a CSV with the `csv` crate, touching every field.
//! `cargo run --release --example csv_floor -- FILE` prints the rows and the bytes seen.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: csv_floor FILE");
        std::process::exit(2);
    };
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(&path) {
        Ok(reader) => reader,
        Err(error) => {
            eprintln!("csv_floor: {error}");
            std::process::exit(2);
        }
    };
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                bytes += record.iter().map(|field| field.len() as u64).sum::<u64>();
            }
            Ok(false) => break,
            Err(error) => {
                eprintln!("csv_floor: {error}");
                std::process::exit(2);
            }
        }
    }
    println!("{rows} rows, {bytes} field bytes");
}
