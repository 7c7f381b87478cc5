//! Follow stories as documents arrive, save the tracker, and go on later.
//!
//! ```text
//! cargo run --release --example track
//! ```

use samestory::{Date, Detector, Document, Tracker};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let feed = [
        (
            "a",
            "2023-09-13",
            "Kim Jong Un arrived at the Vostochny Cosmodrome by armoured train to meet Vladimir Putin.",
        ),
        ("b", "2023-09-13", "The central bank held its main rate at 4.5 percent, citing sticky services inflation."),
        (
            "c",
            "2023-09-13",
            "Putin welcomed Kim Jong Un at the Vostochny Cosmodrome, where the two leaders toured the launch site.",
        ),
        ("d", "2023-09-14", "Analysts said the bank's decision to hold rates at 4.5 percent surprised no one."),
    ];
    let mut tracker = Tracker::new(Detector::builder().retention_days(Some(30)).build()?);
    for (id, date, text) in feed {
        let doc = Document::new(id, text).with_date(Date::parse(date)?);
        let a = tracker.add(doc)?;
        let best = a.matches.first().map(|m| format!(", best match {} ({:.2})", m.id, m.scores.similarity));
        println!("{id}: story {}{}{}", a.story, if a.new_story { " (new)" } else { "" }, best.unwrap_or_default());
    }

    // Where would a document go? `query` changes nothing.
    let probe = Document::new("e", "At the cosmodrome Kim Jong Un and Putin discussed rockets and satellites.");
    println!("e would join story {:?}", tracker.query(&probe)?.story);

    // Save, load, and go on where the stream left off.
    let path = std::env::temp_dir().join(format!("samestory-track-{}.idx", std::process::id()));
    tracker.save(&path)?;
    let mut again = Tracker::load(&path)?;
    again.add(probe)?;
    for story in again.stories() {
        println!("story {}: {}", story.id, story.members.join(", "));
    }
    std::fs::remove_file(&path)?;
    Ok(())
}
