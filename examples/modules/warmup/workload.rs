//! workload - ordinary Rust std code (collections, sorting, formatting, UTF-8, i64 and f64
//! arithmetic, trait objects) in a few milliseconds of work.
//!
//! weft serve runs it during its warm start, with opmix and hello, so the JVM has compiled
//! Chicory's parser and interpreter on the instruction mix rustc emits, not only clang's.
//! Reads parameter "name" from /work/input.json (any text); output parameter "summary".

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;

trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> String;
}

struct Circle(f64);
struct Rect(f64, f64);

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.0 * self.0
    }
    fn name(&self) -> String {
        format!("circle r={:.2}", self.0)
    }
}

impl Shape for Rect {
    fn area(&self) -> f64 {
        self.0 * self.1
    }
    fn name(&self) -> String {
        format!("rect {}x{}", self.0, self.1)
    }
}

/// The value of a parameter in input.json; enough for the warm-up's own input.
fn parameter(json: &str, name: &str) -> Option<String> {
    let key = format!("\"name\":\"{}\"", name);
    let at = json.replace(' ', "").find(&key)?;
    let rest = &json.replace(' ', "")[at + key.len()..];
    let start = rest.find("\"value\":\"")? + 9;
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

fn escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32).chars().collect(),
            c => vec![c],
        })
        .collect()
}

fn main() {
    let input = fs::read_to_string("/work/input.json").unwrap_or_default();
    let text = parameter(&input, "name").unwrap_or_else(|| "workload".to_string());
    let seed = text.len() as u64 + input.len() as u64;

    // words: split, map, sort, dedup, count
    let corpus = format!("{} the quick brown fox jumps over the lazy dog {} ünïcödé straße {}", text, seed, input.len());
    let mut words: Vec<String> = corpus.split_whitespace().map(|w| w.to_lowercase()).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in &words {
        *counts.entry(w.clone()).or_insert(0) += 1;
    }
    words.sort();
    words.dedup();
    let by_len: BTreeMap<usize, Vec<&String>> = words.iter().fold(BTreeMap::new(), |mut m, w| {
        m.entry(w.chars().count()).or_insert_with(Vec::new).push(w);
        m
    });

    // integers: a xorshift generator, sorting, binary search, checked and wrapping arithmetic
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut numbers: Vec<i64> = (0..512)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 100_000) as i64 - 50_000
        })
        .collect();
    numbers.sort_unstable();
    let found = (0..64).filter(|i| numbers.binary_search(&(i * 997 - 30_000)).is_ok()).count();
    let total: i64 = numbers.iter().map(|n| n.wrapping_mul(31).rotate_left(3) / 7).sum();
    let checked = numbers.iter().try_fold(0i32, |acc, &n| acc.checked_add(n as i32));

    // floats and trait objects
    let shapes: Vec<Box<dyn Shape>> = (1..40)
        .map(|i| -> Box<dyn Shape> {
            if i % 2 == 0 { Box::new(Circle(i as f64 / 3.0)) } else { Box::new(Rect(i as f64, (seed % 7) as f64 + 0.5)) }
        })
        .collect();
    let area: f64 = shapes.iter().map(|s| s.area().sqrt().ln_1p()).sum();
    let largest = shapes
        .iter()
        .max_by(|a, b| a.area().partial_cmp(&b.area()).unwrap())
        .map(|s| s.name())
        .unwrap_or_default();

    let mut summary = String::new();
    write!(
        summary,
        "{} words, {} lengths, {} found, total {}, checked {:?}, area {:.4}, largest {}",
        words.len(),
        by_len.len(),
        found,
        total,
        checked.is_some(),
        area,
        largest
    )
    .unwrap();
    let result = format!(
        "{{\"phase\":\"Succeeded\",\"message\":\"{}\",\"outputs\":{{\"parameters\":[{{\"name\":\"summary\",\"value\":\"{}\"}}]}}}}",
        escape(&format!("counted {} distinct words", counts.len())),
        escape(&summary)
    );
    if let Err(e) = fs::write("/work/result.json", result) {
        eprintln!("workload: cannot write /work/result.json: {}", e);
        std::process::exit(1);
    }
}
