//! Synthetic country profiles for benchmarks: `cargo run --release --example synth -- N [--text]`.
//!
//! Deterministic (fixed seed), every value valid for the built-in questionnaire; `--text` adds
//! a varied free-text `challenges` cell to every row.

mod rows;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u64 = match args.iter().find(|a| !a.starts_with('-')).map(|n| n.parse()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: synth N [--text] > profiles.csv");
            std::process::exit(2);
        }
    };
    let text = args.iter().any(|a| a == "--text");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(error) = rows::write_rows(&mut out, rows, text) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("synth: {error}");
            std::process::exit(1);
        }
    }
}
