//! A copy-level test set generated the way outlets reprint articles, and
//! samestory's accuracy on it, at the story and the copy level.
//!
//! ```text
//! cargo run --release -p samestory-tools --bin copyset -- [SOURCE.jsonl ...] [--sources N] [--seed S]
//!                                                        [--out SET.jsonl] [--keep-boilerplate]
//! ```
//!
//! From real article texts (default: the dev sets under `../shared/data`,
//! one article per labelled event), it makes clusters of an original and
//! 1–3 reprints. Each reprint is the article under another site's chrome
//! (header, menu, "Also read" link list, footer), and sometimes truncated,
//! re-paragraphed, lightly copy-edited (a few words replaced, a sentence
//! dropped), with curly and straight quotes swapped, or with the opening
//! paragraphs of a *second* story of the set on the same page (as in the
//! first seed): that story's own pages are in the set, and the page stays a
//! copy of its main article only. Negatives: unrelated articles wrapped in
//! the same chromes, and same-kind reports of different events (the many
//! shootings of gva-incidents; both events of each ECB+ topic, which are of
//! one kind). Like real feeds, pages carry **no date** (only what the text
//! itself says). Only the text reaches the detector. Each cluster is one
//! copy group and one story, so the set scores both levels: pairwise
//! P/R/F1, ARI and B-cubed F1 of the stories (`Clustering::labels`) and of
//! the copy groups (`Clustering::copy_labels`).
//! The texts are read at run time and never written to the repository
//! (`--out` writes the generated set where you say, for inspection).

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use samestory::io::{ReadOptions, read_path};
use samestory::{Detector, Document};
use samestory_tools::eval::score_labels;
use samestory_tools::rng::{MixedLcg, Rng as _};
use samestory_tools::{paths, pipeline};

struct Chrome {
    header: &'static [&'static str],
    footer: &'static [&'static str],
    also: &'static str,
}

const CHROMES: [Chrome; 6] = [
    Chrome {
        header: &["Home", "News", "Sports", "Weather", "Subscribe", "Sign in", "Advertisement"],
        footer: &[
            "Copyright 2024 Valley Media Group. All rights reserved.",
            "This material may not be published, broadcast, rewritten or redistributed.",
            "Terms of Use | Privacy Policy | Contact Us",
        ],
        also: "Also read",
    },
    Chrome {
        header: &["Menu", "Search", "Local", "Nation & World", "Opinion", "Newsletters", "Share this story"],
        footer: &[
            "Get the latest headlines delivered to your inbox every morning. Sign up for our newsletter.",
            "© 2024 The Daily Courier",
            "Follow us on Facebook and Twitter",
        ],
        also: "Related stories",
    },
    Chrome {
        header: &["Skip to content", "Theme", "• Light", "• Dark", "Language", "Enable Read mode", "100% Font Size"],
        footer: &["Editor's Choice", "Top Content Trending", "Before you go", "Explore More"],
        also: "Read more:",
    },
    Chrome {
        header: &["BREAKING NEWS", "Watch live", "Listen", "Download our app", "Posted:", "Updated:"],
        footer: &[
            "Report a typo",
            "Copyright 2024 by Channel 7 Broadcasting. All rights reserved.",
            "Closed captioning | EEO report | Public file",
        ],
        also: "Trending now",
    },
    Chrome {
        header: &["Tribune", "Sections", "E-Edition", "Obituaries", "Classifieds", "Log in"],
        footer: &[
            "Have a news tip? Email us or call the newsroom.",
            "Comments are subject to our community guidelines.",
            "Tribune Publishing Company",
        ],
        also: "More from the Tribune",
    },
    Chrome {
        header: &["World", "Politics", "Business", "Tech", "Science", "Video", "Podcasts"],
        footer: &[
            "Reporting by staff; editing by the desk.",
            "Our Standards: The Trust Principles.",
            "All quotes delayed a minimum of 15 minutes.",
        ],
        also: "Recommended",
    },
];

const EDITS: [(&str, &str); 12] = [
    ("said", "says"),
    ("police", "authorities"),
    ("on Monday", "Monday"),
    ("approximately", "about"),
    ("killed", "fatally wounded"),
    ("car", "vehicle"),
    ("people", "residents"),
    ("told", "informed"),
    ("after", "following"),
    ("will", "would"),
    ("officials", "authorities"),
    ("announced", "said"),
];

fn paragraphs(text: &str) -> Vec<String> {
    let blocks: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    if blocks.len() > 1 {
        blocks
    } else {
        text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
    }
}

fn wrap(body: &[String], chrome: &Chrome, links: &[String], rng: &mut MixedLcg) -> String {
    let mut out: Vec<String> = chrome.header.iter().map(|s| s.to_string()).collect();
    let mid = (body.len() / 2).max(1).min(body.len());
    out.extend(body[..mid].iter().cloned());
    if !links.is_empty() {
        out.push(chrome.also.to_string());
        for _ in 0..3 {
            out.push(links[rng.below(links.len())].clone());
        }
    }
    out.extend(body[mid..].iter().cloned());
    out.extend(chrome.footer.iter().map(|s| s.to_string()));
    out.join("\n\n")
}

fn reprint(orig: &[String], other: &[String], rng: &mut MixedLcg) -> Vec<String> {
    let mut body: Vec<String> = orig.to_vec();
    if rng.chance(0.35) && body.len() > 3 {
        // truncated to 50-90 % of its paragraphs
        let keep = (body.len() * (50 + rng.below(41)) / 100).max(2);
        body.truncate(keep);
    }
    if rng.chance(0.4) {
        // re-paragraphed: merge neighbours or split long paragraphs at a sentence
        let mut out = Vec::new();
        for p in body {
            if rng.chance(0.3) && !out.is_empty() {
                let last: &mut String = out.last_mut().unwrap_or_else(|| unreachable!());
                last.push(' ');
                last.push_str(&p);
            } else if let Some(i) = p.find(". ").filter(|_| rng.chance(0.3)) {
                out.push(p[..=i].to_string());
                out.push(p[i + 2..].to_string());
            } else {
                out.push(p);
            }
        }
        body = out;
    }
    if rng.chance(0.5) {
        // lightly copy-edited: a few word replacements and one sentence dropped
        for p in &mut body {
            for (from, to) in EDITS {
                if rng.chance(0.5) {
                    *p = p.replacen(from, to, 1);
                }
            }
        }
        if body.len() > 4 {
            let i = 1 + rng.below(body.len() - 2);
            body.remove(i);
        }
    }
    if rng.chance(0.5) {
        // quotes swapped between curly and straight
        let curly = body.iter().any(|p| p.contains(['“', '’']));
        for p in &mut body {
            *p = if curly {
                p.replace(['“', '”'], "\"").replace('’', "'")
            } else {
                let mut open = true;
                p.chars()
                    .map(|c| match c {
                        '"' => {
                            open = !open;
                            if open { '”' } else { '“' }
                        }
                        '\'' => '’',
                        c => c,
                    })
                    .collect()
            };
        }
    }
    if rng.chance(0.2) && !other.is_empty() {
        // a second, unrelated story on the same page (as in the first seed)
        let take = (other.len() / 2).max(1);
        body.push("More news".to_string());
        body.extend(other[..take].iter().cloned());
    }
    body
}

fn run() -> Result<(), String> {
    let mut sources: Vec<PathBuf> = Vec::new();
    let (mut n_sources, mut seed, mut out) = (300usize, 7u64, None::<PathBuf>);
    let mut keep_boilerplate = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sources" => n_sources = args.next().and_then(|v| v.parse().ok()).ok_or("--sources needs a count")?,
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).ok_or("--seed needs a number")?,
            "--keep-boilerplate" => keep_boilerplate = true,
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a path")?)),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => sources.push(PathBuf::from(s)),
        }
    }
    if sources.is_empty() {
        let base = paths::shared().join("data");
        sources = ["gva-incidents", "ecbplus", "basil"].iter().map(|d| base.join(d).join("dev.jsonl")).collect();
        if !sources.iter().all(|p| p.exists()) {
            println!("skipped: the labelled dev sets under ../shared/data are not present");
            return Ok(());
        }
    }
    // One article per labelled event (by the gold `cluster` field when there is one).
    let mut texts: Vec<(String, Vec<String>)> = Vec::new();
    let mut seen = HashSet::new();
    for path in &sources {
        let corpus = read_path(path, ReadOptions::default()).map_err(|e| e.to_string())?;
        let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        // One article per event (`cluster`): ECB+'s two events of a topic both come in, same-kind negatives.
        let labels: Vec<Option<String>> = raw
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).ok().and_then(|v| match &v["cluster"] {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Null => None,
                    other => Some(other.to_string()),
                })
            })
            .collect();
        for (doc, label) in corpus.docs.iter().zip(labels) {
            let key = label.unwrap_or_else(|| doc.id.clone());
            let paras = paragraphs(&doc.text);
            if paras.len() >= 3 && doc.text.len() >= 800 && seen.insert(format!("{}:{key}", path.display())) {
                texts.push((doc.title.clone().unwrap_or_default(), paras));
            }
        }
    }
    let mut rng = MixedLcg(seed);
    // Shuffle deterministically.
    for i in (1..texts.len()).rev() {
        let j = rng.below(i + 1);
        texts.swap(i, j);
    }
    let n_sources = n_sources.min(texts.len() / 2).max(2);
    if texts.len() < 4 {
        return Err(format!("{} articles of 3+ paragraphs: too few for a set", texts.len()));
    }
    let links: Vec<String> = texts.iter().filter(|(t, _)| !t.is_empty()).map(|(t, _)| t.clone()).take(200).collect();
    let mut docs: Vec<Document> = Vec::new();
    let mut gold: Vec<String> = Vec::new();
    for (s, (_, paras)) in texts.iter().take(n_sources).enumerate() {
        // A second story on some pages: another source of the set, whose own pages are in it too.
        let other = &texts[(s + 1 + rng.below(n_sources - 1)) % n_sources].1;
        let chrome = &CHROMES[rng.below(CHROMES.len())];
        docs.push(Document::new(format!("c{s}-0"), wrap(paras, chrome, &links, &mut rng)));
        gold.push(format!("c{s}"));
        for r in 0..1 + rng.below(3) {
            let chrome = &CHROMES[rng.below(CHROMES.len())];
            let body = reprint(paras, other, &mut rng);
            docs.push(Document::new(format!("c{s}-{}", r + 1), wrap(&body, chrome, &links, &mut rng)));
            gold.push(format!("c{s}"));
        }
    }
    // Negatives: other articles in the same chromes (distinct from every source).
    for (k, (_, paras)) in texts.iter().skip(n_sources).take(n_sources).enumerate() {
        let chrome = &CHROMES[k % CHROMES.len()];
        docs.push(Document::new(format!("n{k}"), wrap(paras, chrome, &links, &mut rng)));
        gold.push(format!("n{k}"));
    }
    if let Some(out) = &out {
        let text: String = docs
            .iter()
            .zip(&gold)
            .map(|(d, g)| serde_json::json!({"id": d.id, "cluster": g, "copy": g, "text": d.text}).to_string() + "\n")
            .collect();
        std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    // Only the text reaches the detector; ids are positions.
    let blind: Vec<Document> =
        docs.iter().enumerate().map(|(i, d)| Document::new(i.to_string(), d.text.clone())).collect();
    let start = std::time::Instant::now();
    let detector = Detector::builder().remove_boilerplate(!keep_boilerplate).build().map_err(|e| e.to_string())?;
    let clustering = detector.cluster(&blind).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let s = score_labels(&gold, clustering.labels()).map_err(|e| e.to_string())?;
    let c = score_labels(&gold, clustering.copy_labels()).map_err(|e| e.to_string())?;
    // Candidate pairs judged copies (exact duplicates paired with their representatives left out, as before).
    let copies = pipeline::candidate_pairs(&clustering).filter(|p| p.scores.copy).count();
    println!(
        "copy-level set: {} documents ({n_sources} originals with reprints, {n_sources} negatives in the same chromes), {:.2} s, {:.0} docs/s",
        docs.len(),
        secs,
        docs.len() as f64 / secs
    );
    println!(
        "story level: pairwise P {:.3} R {:.3} F1 {:.3} | ARI {:.3} | B-cubed F1 {:.3}",
        s.precision, s.recall, s.f1, s.ari, s.bcubed_f1
    );
    println!(
        "copy level: pairwise P {:.3} R {:.3} F1 {:.3} | ARI {:.3} | B-cubed F1 {:.3} | {} pairs judged copies",
        c.precision, c.recall, c.f1, c.ari, c.bcubed_f1, copies
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
