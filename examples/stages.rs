//! The pipeline run stage by stage, as an engine that splits a corpus over
//! machines would: statistics per part, merged and shipped as bytes;
//! features per part; then candidates, scores and clusters — the same
//! clusters as `Detector::cluster`.
//!
//! ```text
//! cargo run --release --example stages
//! ```

use samestory::{CorpusStats, Detector, Document, Features};

fn main() -> Result<(), samestory::Error> {
    let docs: Vec<Document> = [
        "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h, cutting power to 1.2 million homes.",
        "Gusts reached 207 km/h as Ciarán swept across Brittany; about 1.2 million homes lost power.",
        "The central bank held its main rate at 4.5 percent, citing sticky services inflation.",
        "Rates stay at 4.5 percent: the central bank pointed to services inflation that will not ease.",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| Document::new(format!("doc-{i}"), *t))
    .collect();
    let detector = Detector::new();
    let stages = detector.stages();

    // 1. Statistics of each part (on its own machine), merged from bytes.
    let parts: Vec<&[Document]> = docs.chunks(2).collect();
    let mut stats = CorpusStats::new();
    for part in &parts {
        let bytes = stages.learn(part)?.to_bytes();
        stats.merge(&CorpusStats::from_bytes(&bytes)?);
    }
    stats.compact();
    // 2. Features of each part against the merged statistics, shipped as bytes.
    let mut feats: Vec<Features> = Vec::new();
    for part in &parts {
        for f in stages.features(part, &stats)? {
            feats.push(stages.features_from_bytes(&f.to_bytes())?);
        }
    }
    // 3. Candidate keys of one document, and the scores of one pair.
    println!(
        "doc-0: {} band keys, {} rare terms",
        stages.band_keys(&feats[0]).len(),
        stages.term_keys(&feats[0]).len()
    );
    println!("doc-0 ~ doc-1: similarity {:.3}", stages.score(&feats[0], &feats[1]).similarity);
    // 4. The rest of the pipeline, as one machine runs it.
    let ids = docs.iter().map(|d| d.id.clone()).collect();
    let clustering = stages.cluster_features(ids, feats, stats.docs())?;
    assert_eq!(clustering, detector.cluster(&docs)?);
    println!("labels {:?}: the same as Detector::cluster", clustering.labels());
    Ok(())
}
