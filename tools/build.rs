//! Tells the tests whether `../shared` (the labelled sets and the reference
//! scorer, kept beside the repository) is present: the tests that need it
//! are ignored, with the reason, when it is not. (Checked when the build
//! script runs: after putting `../shared` beside an existing build,
//! `touch tools/build.rs` makes cargo look again.)

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_data, shared_scorer)");
    let shared = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../../shared");
    for (cfg, path) in [("shared_data", shared.join("data")), ("shared_scorer", shared.join("eval/score.py"))] {
        println!("cargo::rerun-if-changed={}", path.display());
        if path.exists() {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
