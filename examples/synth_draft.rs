//! Write a synthetic draft folder: `cargo run --example synth_draft -- GOALS DIR`.
//! Each goal has three directions of two measures with five long projects, plus related
//! projects; six goals make a PDF of five and more pages.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(goals), Some(dir)) = (args.get(1).and_then(|g| g.parse().ok()), args.get(2)) else {
        eprintln!("usage: synth_draft GOALS DIR");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::Path::new(dir);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("draft.txt"), kohyo::synth::long_draft(goals))?;
        std::fs::write(
            dir.join("kohyo.toml"),
            "date = 2026-04-01\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\n",
        )
    };
    match write() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth_draft: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
