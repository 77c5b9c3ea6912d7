//! PDF generation benchmark: `cargo bench --bench pdf`.
//!
//! Times, as medians over repeated runs in one process: reading the seed into the model (the
//! baseline), writing the seed's PDF (fonts loaded, text shaped and broken, tables laid out,
//! fonts subset, PDF/UA validated and serialised), and the same for a synthetic draft of
//! six goals (20 pages), and the 素案 fixture with its 数値目標 and KPI. Prints each median, its
//! ratio to the baseline, and the PDF sizes.

use kohyo::write::pdf::{self, PdfSettings};
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = f(); // warm-up
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        out = f();
        times.push(t.elapsed());
    }
    (median(times), out)
}

fn main() {
    let seed = Path::new("inputs/tomakomai");
    let (read, outcome) = time(30, || kohyo::read_draft(seed));
    let Some(strategy) = outcome.strategy else {
        eprintln!("the seed gave no model");
        std::process::exit(1);
    };
    let settings = PdfSettings::default();
    let (seed_pdf, bytes) = time(30, || pdf::write(&strategy, &settings));
    let Ok(bytes) = bytes else {
        eprintln!("the seed's PDF failed");
        std::process::exit(1);
    };

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("draft.txt"), kohyo::synth::long_draft(6)).expect("write");
    let long = kohyo::read_draft(dir.path()).strategy.expect("a model");
    let (long_pdf, long_bytes) = time(10, || pdf::write(&long, &settings));
    let long_bytes = long_bytes.expect("the long PDF");

    // The seed at its next stage, with 数値目標 and KPI (tests/fixtures/soan/text).
    let soan = kohyo::read_draft(Path::new("tests/fixtures/soan/text"))
        .strategy
        .expect("the 素案 fixture gives a model");
    let (soan_pdf, soan_bytes) = time(30, || pdf::write(&soan, &settings));
    let soan_bytes = soan_bytes.expect("the 素案 PDF");

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let ratio = |d: Duration| d.as_secs_f64() / read.as_secs_f64();
    println!(
        "{:<40} {:>10} {:>10} {:>10}",
        "", "median ms", "× read", "size KiB"
    );
    println!(
        "{:<40} {:>10.2} {:>10.1} {:>10}",
        "read seed (baseline)",
        ms(read),
        1.0,
        ""
    );
    println!(
        "{:<40} {:>10.2} {:>10.1} {:>10.1}",
        "PDF of the seed (3 pages)",
        ms(seed_pdf),
        ratio(seed_pdf),
        bytes.len() as f64 / 1024.0
    );
    println!(
        "{:<40} {:>10.2} {:>10.1} {:>10.1}",
        "PDF of the 素案 (23 indicators)",
        ms(soan_pdf),
        ratio(soan_pdf),
        soan_bytes.len() as f64 / 1024.0
    );
    println!(
        "{:<40} {:>10.2} {:>10.1} {:>10.1}",
        "PDF of a 6-goal synthetic draft",
        ms(long_pdf),
        ratio(long_pdf),
        long_bytes.len() as f64 / 1024.0
    );
}
