//! Deterministic synthetic drafts, for tests and benchmarks that need more than the seed.

/// A synthetic draft in the text export: `goals` goals, each with three directions of two
/// measures of five long projects, and the related projects.
pub fn long_draft(goals: usize) -> String {
    let mut t = String::from("# 架空市まち・ひと・しごと創生総合戦略（素案）\n\n");
    t.push_str("基本目標\t施策の基本的方向\t具体的な施策\t事業例\n");
    let mut m = 0;
    for g in 1..=goals {
        for d in 1..=3 {
            for k in 0..2 {
                m += 1;
                let goal = if d == 1 && k == 0 {
                    format!(
                        "<p>第{g}の目標：地域の産業と暮らしを支える仕組みをつくり、若い世代が安心して働き続けられるまちを実現する</p>"
                    )
                } else {
                    String::new()
                };
                let dir = if k == 0 {
                    format!("<p>{g}-{d} 地域資源を活かした産業振興と雇用の場の確保（分野{d}）</p>")
                } else {
                    String::new()
                };
                let items: String = (1..=5)
                    .map(|p| {
                        let grant = if p == 1 { "（先行型）" } else { "" };
                        format!("<li>施策{m}の事業例{p}：地元企業と教育機関が連携した人材育成と就業支援の取組（説明会、インターンシップ、相談窓口の設置等）{grant}</li>")
                    })
                    .collect();
                t.push_str(&format!(
                    "{goal}\t{dir}\t<p>({m}) 具体的な施策その{m}：関係機関と連携した取組の推進</p>\t<ul>{items}</ul>\n"
                ));
            }
        }
    }
    t.push_str("\n## 【参考】関連する既存事業\n\n基本目標\t関連する事業\n");
    for g in 1..=goals {
        let items: String = (1..=12)
            .map(|p| format!("<li>既存事業{g}-{p}（補助金）</li>"))
            .collect();
        t.push_str(&format!(
            "<p>第{g}の目標：地域の産業と暮らしを支える仕組みをつくり、若い世代が安心して働き続けられるまちを実現する</p>\t<ul>{items}</ul>\n"
        ));
    }
    t
}
