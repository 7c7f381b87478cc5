//! Results do not depend on the number of threads: batch clustering in a
//! one-thread pool and in a four-thread pool give identical labels and scores.
#![cfg(feature = "parallel")]

use samestory::{Detector, Document};

/// A small corpus with copies, near-copies, event-level pairs and chrome.
fn corpus() -> Vec<Document> {
    let mut docs = Vec::new();
    let mut x: u64 = 12345;
    let mut word = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        format!("w{}", x % 900)
    };
    for i in 0..300 {
        let body: Vec<String> = (0..120).map(|_| word()).collect();
        let text = format!("Menu | Home | News\n{}\nCopyright Example Media", body.join(" "));
        docs.push(Document::new(format!("d{i}"), text.clone()));
        if i % 5 == 0 {
            docs.push(Document::new(format!("d{i}-copy"), text.replace("w1", "w2")));
        }
    }
    docs
}

fn run(threads: usize, docs: &[Document]) -> samestory::Clustering {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| Detector::new().cluster(docs).unwrap())
}

#[test]
fn one_and_four_threads_agree() {
    let docs = corpus();
    let one = run(1, &docs);
    let four = run(4, &docs);
    assert!(one.stories().count() >= 50, "the corpus should have stories: {}", one.stories().count());
    assert_eq!(one.labels(), four.labels());
    assert_eq!(one.pairs(), four.pairs());
    assert_eq!(one, four);
}
