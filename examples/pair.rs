//! The scores of one pair of documents, and why they are, or are not, one story.
//!
//! ```text
//! cargo run --release --example pair
//! ```

use samestory::{Detector, Document};

fn main() -> Result<(), samestory::Error> {
    let docs = [
        Document::new(
            "wire",
            "The Indian navy captured 23 pirates in the Gulf of Aden on Saturday after they tried to board a merchant ship, a navy spokesman said.",
        ),
        Document::new(
            "reprint",
            "Home | World | Sport\nThe Indian navy captured 23 pirates in the Gulf of Aden on Saturday after they tried to board a merchant ship, a navy spokesman said.\nSubscribe to our newsletter",
        ),
        Document::new(
            "report",
            "Twenty-three suspected pirates were detained by Indian naval commandos off Aden, the spokesman told reporters on Saturday.",
        ),
    ];
    let detector = Detector::new();
    let clustering = detector.cluster(&docs)?;
    for p in clustering.pairs() {
        let s = &p.scores;
        println!(
            "{} ~ {}: similarity {:.3} (copy: {}, Jaccard {:.3}, containment {:.3}, profile cosine {:.3})",
            docs[p.a as usize].id, docs[p.b as usize].id, s.similarity, s.copy, s.jaccard, s.containment, s.cosine
        );
    }
    print!("{}", detector.explain(&docs, 0, 2)?);
    Ok(())
}
