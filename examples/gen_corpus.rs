//! A deterministic synthetic corpus: one draft folder per municipality of Japan.
//!
//! `cargo run --release --example gen_corpus -- 1741 DIR` writes `DIR/inputs/<slug>/` for each
//! draft: the draft in one of the four forms kohyo reads (text export, Excel, HTML, CSV, in
//! turn) and a kohyo.toml. Sizes vary around the seed (4 goals, 15 measures, 35 projects, 50
//! related projects): 70 % between 0.5× and 1.5×, 25 % up to 4×, 5 % up to 10×. The same
//! arguments always give the same bytes. `benches/build.rs` builds it.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};
use std::path::Path;

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator for draft `index`.
    pub fn new(index: u64) -> Rng {
        Rng(index.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const PLACES: &[&str] = &[
    "北", "南", "東", "西", "中", "新", "本", "上", "下", "大", "小", "高", "若", "緑", "白", "青",
    "桜", "松", "梅", "川",
];
const ENDINGS: &[&str] = &["市", "町", "村"];
const TOPICS: &[&str] = &[
    "若者",
    "女性",
    "高齢者",
    "子ども",
    "地元企業",
    "観光",
    "農業",
    "漁業",
    "商店街",
    "移住者",
    "大学",
    "高校生",
    "子育て世帯",
    "中小企業",
    "地域産業",
    "港湾",
    "物流",
    "スポーツ",
    "文化",
    "医療",
];
const ACTIONS: &[&str] = &[
    "の雇用機会の拡大",
    "の定住促進",
    "への支援の充実",
    "との連携強化",
    "の魅力発信",
    "の人材育成",
    "の交流機会の創出",
    "の活性化",
    "の基盤整備",
    "の就業支援",
];
const GOALS: &[&str] = &[
    "地元で働く場をつくり、若い世代の定着を実現",
    "安心して子どもを産み育てられる環境の整備",
    "地域の魅力を高め、新しいひとの流れをつくる",
    "時代に合った地域をつくり、安心な暮らしを守る",
    "産業競争力を高め、地域ブランド力を向上",
    "健康で生きがいのある暮らしの実現",
];
const DETAILS: &[&str] = &[
    "説明会、相談窓口の設置等",
    "補助制度の創設",
    "情報ポータルサイト開設",
    "インターンシップの実施",
    "セミナーの開催等",
    "体験ツアーの実施",
    "計画の策定",
    "ＰＲ動画の制作等",
];

/// A measure: (number, title, projects).
pub type Measure = (u32, String, Vec<String>);

/// A direction: (code, title, measures).
pub type Direction = (String, String, Vec<Measure>);

/// One synthetic draft's content.
pub struct Draft {
    /// The folder name.
    pub slug: String,
    /// The municipality's name, e.g. 北川市.
    pub name: String,
    /// Its prefecture.
    pub prefecture: String,
    /// Its 全国地方公共団体コード (with the check digit).
    pub code: String,
    /// Goals: (title, directions).
    pub goals: Vec<(String, Vec<Direction>)>,
    /// Related projects per goal.
    pub related: Vec<Vec<String>>,
}

const PREFECTURES: &[&str] = &[
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The check digit of a five-digit code (weights 6,5,4,3,2; 11 minus the sum mod 11, last digit).
fn check_digit(five: &str) -> u32 {
    let sum: u32 = five
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    (11 - sum % 11) % 10
}

/// How many times the seed's size draft `index` is, in tenths (5..=100).
fn size_tenths(rng: &mut Rng) -> u64 {
    match rng.below(100) {
        0..70 => 5 + rng.below(11),
        70..95 => 15 + rng.below(26),
        _ => 40 + rng.below(61),
    }
}

/// Draft `index` of the corpus.
pub fn draft(index: usize) -> Draft {
    let mut rng = Rng::new(index as u64 + 1);
    let pref = index % 47;
    let city = 100 + index / 47 * 2;
    let five = format!("{:02}{:03}", pref + 1, city % 1000);
    let code = format!("{five}{}", check_digit(&five));
    let name = format!(
        "{}{}{}",
        rng.pick(PLACES),
        rng.pick(PLACES),
        rng.pick(ENDINGS)
    );
    let tenths = size_tenths(&mut rng);
    let measures_total = (15 * tenths / 10).max(3) as u32;
    let goals_n = (3 + tenths / 25).min(8) as usize;
    let mut goals = Vec::new();
    let mut number = 0u32;
    let per_goal = (measures_total as usize).div_ceil(goals_n);
    for g in 1..=goals_n {
        let title = format!("{}（{}）", GOALS[(g - 1 + index) % GOALS.len()], g);
        let dirs_n = 2 + rng.below(3) as usize;
        let mut dirs = Vec::new();
        let mut left = per_goal.max(dirs_n);
        for d in 1..=dirs_n {
            let m_n = if d == dirs_n {
                left
            } else {
                (left / (dirs_n - d + 1)).max(1)
            };
            left = left.saturating_sub(m_n);
            let mut measures = Vec::new();
            for _ in 0..m_n {
                number += 1;
                let projects_n = rng.below(5) as usize; // 0..4, mean 2 (seed: 2.3)
                let projects = (0..projects_n)
                    .map(|_| {
                        let grant = match rng.below(20) {
                            0 | 1 => "（先行型）",
                            2 => "（上乗せ）",
                            _ => "",
                        };
                        let topic = rng.pick(TOPICS);
                        let action: String = rng.pick(ACTIONS).chars().skip(1).collect();
                        format!(
                            "{topic}{}事業（{}）{grant}",
                            action.trim_start_matches('の'),
                            rng.pick(DETAILS)
                        )
                    })
                    .collect();
                measures.push((
                    number,
                    format!("{}{}", rng.pick(TOPICS), rng.pick(ACTIONS)),
                    projects,
                ));
            }
            dirs.push((
                format!("{g}-{d}"),
                format!("{}{}", rng.pick(TOPICS), rng.pick(ACTIONS)),
                measures,
            ));
        }
        goals.push((title, dirs));
    }
    let related = (0..goals_n)
        .map(|_| {
            let n = (50 * tenths / 10 / goals_n as u64).max(2);
            (0..n)
                .map(|k| {
                    format!(
                        "{}{}事業{}",
                        rng.pick(TOPICS),
                        rng.pick(DETAILS).split('、').next().unwrap_or(""),
                        k + 1
                    )
                })
                .collect()
        })
        .collect();
    Draft {
        slug: format!("d{index:04}-{code}"),
        name,
        prefecture: PREFECTURES[pref].to_string(),
        code,
        goals,
        related,
    }
}

fn measure_label(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1).map(String::from),
        _ => None,
    }
    .unwrap_or_else(|| format!("({n}) "))
}

impl Draft {
    /// The plan's title.
    pub fn title(&self) -> String {
        format!("{}まち・ひと・しごと創生総合戦略（素案）", self.name)
    }

    /// kohyo.toml.
    pub fn toml(&self) -> String {
        format!(
            "title = \"{}\"\nbase_url = \"https://www.example.lg.jp/{}/\"\ndate = 2026-04-01\n\n[municipality]\ncode = \"{}\"\nname = \"{}\"\nprefecture = \"{}\"\n\n[publisher]\nname = \"{}\"\n",
            self.title(),
            self.slug,
            self.code,
            self.name,
            self.prefecture,
            self.name
        )
    }

    /// The draft as the text export.
    pub fn text_export(&self) -> String {
        let mut t = format!(
            "# {}\n\n基本目標\t施策の基本的方向\t具体的な施策\t事業例\n",
            self.title()
        );
        for (goal, dirs) in &self.goals {
            let mut first_goal = true;
            for (code, dir, measures) in dirs {
                let mut first_dir = true;
                for (n, m, projects) in measures {
                    let g = if first_goal {
                        format!("<p>{goal}</p>")
                    } else {
                        String::new()
                    };
                    let d = if first_dir {
                        format!("<p>{code} {dir}</p>")
                    } else {
                        String::new()
                    };
                    let items: String = projects.iter().map(|p| format!("<li>{p}</li>")).collect();
                    t.push_str(&format!(
                        "{g}\t{d}\t<p>{}{m}</p>\t<ul>{items}</ul>\n",
                        measure_label(*n)
                    ));
                    first_goal = false;
                    first_dir = false;
                }
            }
        }
        t.push_str("\n## 関連する既存事業\n\n基本目標\t関連する事業\n");
        for ((goal, _), rel) in self.goals.iter().zip(&self.related) {
            let items: String = rel.iter().map(|p| format!("<li>{p}</li>")).collect();
            t.push_str(&format!("<p>{goal}</p>\t<ul>{items}</ul>\n"));
        }
        t
    }

    /// The table of measures as CSV (one row per project, parents repeated) and the related
    /// projects as a second CSV.
    pub fn csv(&self) -> (String, String) {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut main = String::from("基本目標,施策の基本的方向,具体的な施策,事業例\r\n");
        for (goal, dirs) in &self.goals {
            for (code, dir, measures) in dirs {
                for (n, m, projects) in measures {
                    let measure = format!("{}{m}", measure_label(*n));
                    let rows: Vec<&str> = if projects.is_empty() {
                        vec![""]
                    } else {
                        projects.iter().map(String::as_str).collect()
                    };
                    for p in rows {
                        main.push_str(&format!(
                            "{},{},{},{}\r\n",
                            q(goal),
                            q(&format!("{code} {dir}")),
                            q(&measure),
                            q(p)
                        ));
                    }
                }
            }
        }
        let mut rel = String::from("基本目標,関連する事業\r\n");
        for ((goal, _), list) in self.goals.iter().zip(&self.related) {
            for p in list {
                rel.push_str(&format!("{},{}\r\n", q(goal), q(p)));
            }
        }
        (main, rel)
    }

    /// The draft as an HTML page with rowspans.
    pub fn html(&self) -> String {
        let e = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
        let mut h = format!(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{}｜{}</title></head><body><h1>{}</h1>\n<table><tr><th>基本目標</th><th>施策の基本的方向</th><th>具体的な施策</th><th>事業例</th></tr>\n",
            e(&self.title()),
            e(&self.name),
            e(&self.title())
        );
        for (goal, dirs) in &self.goals {
            let g_rows: usize = dirs.iter().map(|d| d.2.len()).sum();
            let mut first_goal = true;
            for (code, dir, measures) in dirs {
                let mut first_dir = true;
                for (n, m, projects) in measures {
                    h.push_str("<tr>");
                    if first_goal {
                        h.push_str(&format!("<td rowspan=\"{g_rows}\">{}</td>", e(goal)));
                    }
                    if first_dir {
                        h.push_str(&format!(
                            "<td rowspan=\"{}\">{code} {}</td>",
                            measures.len(),
                            e(dir)
                        ));
                    }
                    let items: String = projects
                        .iter()
                        .map(|p| format!("<li>{}</li>", e(p)))
                        .collect();
                    h.push_str(&format!(
                        "<td>{}{}</td><td><ul>{items}</ul></td></tr>\n",
                        measure_label(*n),
                        e(m)
                    ));
                    first_goal = false;
                    first_dir = false;
                }
            }
        }
        h.push_str("</table>\n<h2>関連する既存事業</h2>\n<table><tr><th>基本目標</th><th>関連する事業</th></tr>\n");
        for ((goal, _), list) in self.goals.iter().zip(&self.related) {
            let items: String = list.iter().map(|p| format!("<li>{}</li>", e(p))).collect();
            h.push_str(&format!(
                "<tr><td>{}</td><td><ul>{items}</ul></td></tr>\n",
                e(goal)
            ));
        }
        h.push_str("</table></body></html>\n");
        h
    }

    /// The draft as an Excel workbook: merged goal and direction cells, Alt+Enter project
    /// lists with ・ bullets, and a sheet of related projects.
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        // A fixed creation time: without it the workbook carries the clock and two runs differ.
        let created = ExcelDateTime::from_ymd(2026, 4, 1)?.and_hms(9, 0, 0)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let sheet = book.add_worksheet().set_name("総合戦略")?;
        for (c, h) in ["基本目標", "施策の基本的方向", "具体的な施策", "事業例"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h)?;
        }
        let mut row = 1u32;
        for (goal, dirs) in &self.goals {
            let g_start = row;
            for (code, dir, measures) in dirs {
                let d_start = row;
                for (n, m, projects) in measures {
                    sheet.write_string(row, 2, format!("{}{m}", measure_label(*n)))?;
                    let list: Vec<String> = projects.iter().map(|p| format!("・{p}")).collect();
                    sheet.write_string_with_format(row, 3, list.join("\n"), &wrap)?;
                    row += 1;
                }
                let label = format!("{code} {dir}");
                if row - d_start > 1 {
                    sheet.merge_range(d_start, 1, row - 1, 1, &label, &wrap)?;
                } else {
                    sheet.write_string(d_start, 1, label)?;
                }
            }
            if row - g_start > 1 {
                sheet.merge_range(g_start, 0, row - 1, 0, goal, &wrap)?;
            } else {
                sheet.write_string(g_start, 0, goal)?;
            }
        }
        let rel = book.add_worksheet().set_name("関連事業")?;
        rel.write_string(0, 0, "基本目標")?;
        rel.write_string(0, 1, "関連する事業")?;
        for (r, ((goal, _), list)) in self.goals.iter().zip(&self.related).enumerate() {
            rel.write_string(r as u32 + 1, 0, goal)?;
            let l: Vec<String> = list.iter().map(|p| format!("・{p}")).collect();
            rel.write_string_with_format(r as u32 + 1, 1, l.join("\n"), &wrap)?;
        }
        book.save_to_buffer()
    }

    /// Write the draft folder under `inputs`, in form `index % 4`.
    pub fn write(&self, inputs: &Path, index: usize) -> std::io::Result<()> {
        let dir = inputs.join(&self.slug);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("kohyo.toml"), self.toml())?;
        match index % 4 {
            0 => std::fs::write(dir.join("draft.txt"), self.text_export()),
            1 => {
                let bytes = self.xlsx().map_err(std::io::Error::other)?;
                std::fs::write(dir.join("draft.xlsx"), bytes)
            }
            2 => std::fs::write(dir.join("draft.html"), self.html()),
            _ => {
                let (main, rel) = self.csv();
                std::fs::write(dir.join("01_施策.csv"), main)?;
                std::fs::write(dir.join("02_関連事業.csv"), rel)
            }
        }
    }
}

/// Write drafts `0..count` into `root/inputs/`.
pub fn generate(count: usize, root: &Path) -> std::io::Result<()> {
    let inputs = root.join("inputs");
    for i in 0..count {
        draft(i).write(&inputs, i)?;
    }
    Ok(())
}

#[allow(dead_code)] // the bench includes this file for `generate` and has its own main
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(dir)) = (args.get(1).and_then(|c| c.parse().ok()), args.get(2)) else {
        eprintln!("usage: gen_corpus COUNT DIR");
        return std::process::ExitCode::from(2);
    };
    match generate(count, Path::new(dir)) {
        Ok(()) => {
            eprintln!("gen_corpus: {count} drafts in {dir}/inputs");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
