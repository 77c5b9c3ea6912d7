//! Full-build benchmark: `cargo bench --bench build` (release build).
//!
//! Measures, as medians in one run, each against a baseline measured in the same run:
//! - the seed's full build (every output) as one process from a cold start, against
//!   `kohyo model` on the seed (a process that only reads);
//! - the seed's build per stage (read, normalize, pdf, html, data, write), in process;
//! - `kohyo watch`: the time from a save of the seed to the last rename of its outputs;
//! - the synthetic corpus (`examples/gen_corpus.rs`, 1,741 drafts by default or
//!   `KOHYO_CORPUS=N`): a full build as one process (wall, CPU and peak memory), the same for
//!   a tenth of the corpus (peak memory must not grow with the number of drafts), an
//!   incremental rebuild with nothing changed, and the CPU time per stage over the corpus.

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use kohyo::build::{BuildOptions, Timings, build_draft};
use rayon::prelude::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kohyo");

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What one child process used: wall time, user + system CPU, peak resident memory (KiB).
struct Usage {
    wall: Duration,
    cpu: Duration,
    max_rss_kib: i64,
}

/// Run `cmd` to completion and measure it (wait4 gives this child's own rusage).
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which std's Child does not know
fn measure(cmd: &mut Command) -> Usage {
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child's pid with valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut ru) };
    let wall = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed"
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Usage {
        wall,
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        max_rss_kib: ru.ru_maxrss,
    }
}

fn row(label: &str, value: Duration, base: Duration, extra: &str) {
    println!(
        "{label:<58} {:>10.2} {:>8.1}  {extra}",
        ms(value),
        value.as_secs_f64() / base.as_secs_f64()
    );
}

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let seed = Path::new("inputs/tomakomai");
    println!("{:<58} {:>10} {:>8}", "", "median ms", "× base");

    // The seed, cold processes.
    let out = tmp.path().join("seed-out");
    let runs = 21;
    let model: Vec<Duration> = (0..runs)
        .map(|_| measure(Command::new(BIN).arg("model").arg(seed)).wall)
        .collect();
    let full: Vec<Usage> = (0..runs)
        .map(|_| {
            measure(
                Command::new(BIN)
                    .args(["build", "--force", "--out"])
                    .arg(&out)
                    .arg(seed),
            )
        })
        .collect();
    let base = median(model);
    row("kohyo model seed, cold process (baseline)", base, base, "");
    let rss = full.iter().map(|u| u.max_rss_kib).max().unwrap_or(0);
    row(
        "kohyo build seed --force, cold process, every output",
        median(full.iter().map(|u| u.wall).collect()),
        base,
        &format!("peak {:.1} MiB", rss as f64 / 1024.0),
    );

    // The seed per stage, in process.
    let options = BuildOptions {
        force: true,
        ..BuildOptions::default()
    };
    let stage_out = tmp.path().join("stage-out");
    let timings: Vec<Timings> = (0..31)
        .map(|_| build_draft(seed, &stage_out, options).timings)
        .collect();
    let pick = |f: fn(&Timings) -> Duration| median(timings.iter().map(f).collect());
    let read = pick(|t| t.read);
    println!();
    row("seed in process: read (baseline)", read, read, "");
    row(
        "seed in process: normalize",
        pick(|t| t.normalize),
        read,
        "",
    );
    row("seed in process: pdf", pick(|t| t.pdf), read, "");
    row("seed in process: html", pick(|t| t.html), read, "");
    row(
        "seed in process: data (CSV, CSVW, datapackage, DCAT, CKAN)",
        pick(|t| t.data),
        read,
        "",
    );
    row(
        "seed in process: write and publish",
        pick(|t| t.write),
        read,
        "",
    );
    row("seed in process: total", pick(|t| t.total), read, "");

    // Watch: from the save to the last rename.
    let w = tmp.path().join("watch");
    let draft = w.join("inputs/tomakomai");
    std::fs::create_dir_all(&draft).expect("mkdir");
    for f in ["000_ebe3fcc3fed13691.txt", "kohyo.toml"] {
        std::fs::copy(seed.join(f), draft.join(f)).expect("copy");
    }
    let mut child = Command::new(BIN)
        .current_dir(&w)
        .args(["watch", "--lang", "en"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("watch");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut next_with = |want: &str| loop {
        let l = lines.next().expect("watch output").expect("line");
        if l.contains(want) {
            return l;
        }
    };
    next_with("watching");
    let toml = std::fs::read_to_string(draft.join("kohyo.toml")).expect("toml");
    let mut latencies = Vec::new();
    for k in 0..11 {
        std::fs::write(draft.join("kohyo.toml"), format!("{toml}# save {k}\n")).expect("save");
        let l = next_with("rebuilt");
        let n: f64 = l
            .split('(')
            .nth(1)
            .and_then(|s| s.split(" ms").next())
            .and_then(|s| s.trim().parse().ok())
            .expect("ms in the line");
        latencies.push(Duration::from_secs_f64(n / 1000.0));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    println!();
    row(
        "kohyo watch: save → last rename of the seed's outputs",
        median(latencies),
        base,
        "(debounce 50 ms included)",
    );

    // The corpus.
    let count: usize = std::env::var("KOHYO_CORPUS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1741);
    let corpus = tmp.path().join("corpus");
    let t = Instant::now();
    gen_corpus::generate(count, &corpus).expect("corpus");
    let gen_time = t.elapsed();
    let small = tmp.path().join("corpus-small");
    gen_corpus::generate(count / 10, &small).expect("corpus");
    let build_cmd = |root: &Path, out: &str| {
        let mut c = Command::new(BIN);
        c.current_dir(root).args(["build", "--out", out]);
        c
    };
    let big = measure(&mut build_cmd(&corpus, "outputs"));
    let tenth = measure(&mut build_cmd(&small, "outputs"));
    let again = measure(&mut build_cmd(&corpus, "outputs"));
    println!();
    println!(
        "corpus: {count} drafts (generated in {:.2} s), 2 cores",
        gen_time.as_secs_f64()
    );
    row(
        &format!("kohyo build, {} drafts (baseline)", count / 10),
        tenth.wall,
        tenth.wall,
        &format!(
            "CPU {:.2} s, peak {:.1} MiB",
            tenth.cpu.as_secs_f64(),
            tenth.max_rss_kib as f64 / 1024.0
        ),
    );
    row(
        &format!("kohyo build, {count} drafts, every output"),
        big.wall,
        tenth.wall,
        &format!(
            "CPU {:.2} s, peak {:.1} MiB",
            big.cpu.as_secs_f64(),
            big.max_rss_kib as f64 / 1024.0
        ),
    );
    row(
        &format!("kohyo build, {count} drafts, nothing changed"),
        again.wall,
        tenth.wall,
        &format!("CPU {:.2} s", again.cpu.as_secs_f64()),
    );

    // CPU per stage over the corpus, in process.
    let drafts = kohyo::build::drafts_under(&corpus.join("inputs")).expect("drafts");
    let stage_out = tmp.path().join("corpus-stages");
    let sums = std::sync::Mutex::new(Timings::default());
    drafts.par_iter().for_each(|d| {
        let t = build_draft(d, &stage_out, options).timings;
        if let Ok(mut s) = sums.lock() {
            s.read += t.read;
            s.normalize += t.normalize;
            s.pdf += t.pdf;
            s.html += t.html;
            s.data += t.data;
            s.write += t.write;
            s.total += t.total;
        }
    });
    let s = sums.into_inner().unwrap_or_default();
    println!();
    println!("corpus per stage, summed over {count} drafts (CPU time, ms; × read)");
    row("  read (baseline)", s.read, s.read, "");
    row("  normalize", s.normalize, s.read, "");
    row("  pdf", s.pdf, s.read, "");
    row("  html", s.html, s.read, "");
    row("  data", s.data, s.read, "");
    row("  write and publish", s.write, s.read, "");
    row("  total", s.total, s.read, "");
}
