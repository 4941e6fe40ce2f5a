//! `cargo run --release --example generate -- OUT [ACTIVITIES SYSTEMS PROCESSORS [SEED]]
//! [--blank-rows]` writes a synthetic register as a folder of CSV tables, or as one workbook
//! when OUT ends in `.xlsx` (with a blank row after each entry under `--blank-rows`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "mod.rs"]
mod generator;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let blank_rows = args.iter().any(|a| a == "--blank-rows");
    args.retain(|a| a != "--blank-rows");
    let Some(out) = args.first() else {
        eprintln!("usage: generate OUT [ACTIVITIES SYSTEMS PROCESSORS [SEED]]");
        std::process::exit(2);
    };
    let number = |i: usize, default: usize| -> usize {
        match args.get(i).map(|a| a.parse::<usize>()) {
            None => default,
            Some(Ok(n)) => n,
            Some(Err(e)) => {
                eprintln!("argument {i} must be a number: {e}");
                std::process::exit(2);
            }
        }
    };
    let mut size = generator::Size::new(number(1, 1000), number(2, 500), number(3, 500));
    size.seed = number(4, 1) as u64;
    size.blank_rows = blank_rows;
    let path = std::path::Path::new(out);
    let written = if out.ends_with(".xlsx") {
        generator::generate_workbook(size, path)
    } else {
        generator::generate(size, path)
    };
    if let Err(e) = written {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(2);
    }
    println!("wrote {out}: {size:?}");
}
