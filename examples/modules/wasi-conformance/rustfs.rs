// Rust std::fs on weft's WASI: the calls ordinary Rust tasks make (create, append + read,
// rename over, read_dir, set_len, seek, remove_dir_all), each printed as "ok <what>".
use std::fs::{self, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

fn check(failures: &mut u32, ok: bool, what: &str) {
    if ok {
        println!("ok {}", what);
    } else {
        println!("FAIL {}", what);
        *failures += 1;
    }
}

fn run(base: &Path, f: &mut u32) -> std::io::Result<()> {
    let dir = base.join("rustfs.d");
    fs::create_dir_all(dir.join("nested/deeper"))?;
    check(f, dir.join("nested/deeper").is_dir(), "create_dir_all");

    fs::write(dir.join("log.txt"), "one\n")?;
    let mut log = OpenOptions::new().append(true).read(true).open(dir.join("log.txt"))?;
    log.write_all(b"two\n")?;
    log.seek(SeekFrom::Start(0))?;
    let mut text = String::new();
    log.read_to_string(&mut text)?;
    check(f, text == "one\ntwo\n", "append + read");
    drop(log);

    let mut t = OpenOptions::new().write(true).truncate(true).append(true).open(dir.join("log.txt"));
    check(f, t.is_ok(), "append + truncate opens");
    if let Ok(ref mut file) = t {
        file.write_all(b"fresh\n")?;
    }
    check(f, fs::read_to_string(dir.join("log.txt"))? == "fresh\n", "append + truncate starts empty");

    fs::write(dir.join("data.json.tmp"), "{\"v\":2}")?;
    fs::write(dir.join("data.json"), "{\"v\":1}")?;
    fs::rename(dir.join("data.json.tmp"), dir.join("data.json"))?;
    check(f, fs::read_to_string(dir.join("data.json"))? == "{\"v\":2}", "rename over an existing file");
    check(f, !dir.join("data.json.tmp").exists(), "the temporary name is gone");
    fs::rename(dir.join("nested"), dir.join("moved"))?;
    check(f, dir.join("moved/deeper").is_dir(), "rename a directory tree");

    let mut names: Vec<String> = fs::read_dir(&dir)?.map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    println!("entries: {}", names.join(","));
    check(f, names == ["data.json", "log.txt", "moved"], "read_dir");

    let file = OpenOptions::new().write(true).open(dir.join("data.json"))?;
    file.set_len(100)?;
    check(f, fs::metadata(dir.join("data.json"))?.len() == 100, "set_len grows");
    file.set_len(3)?;
    check(f, fs::metadata(dir.join("data.json"))?.len() == 3, "set_len shrinks");
    let md = fs::symlink_metadata(dir.join("moved"))?;
    check(f, md.is_dir() && !md.file_type().is_symlink(), "symlink_metadata of a directory");
    check(f, fs::metadata(dir.join("missing")).map_err(|e| e.kind()).err() == Some(std::io::ErrorKind::NotFound), "metadata of a missing file: NotFound");
    check(f, fs::remove_dir(&dir).is_err(), "remove_dir of a non-empty directory fails");

    fs::remove_dir_all(&dir)?;
    check(f, !dir.exists(), "remove_dir_all");
    Ok(())
}

fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "/work".to_string());
    let mut failures = 0;
    if let Err(e) = run(Path::new(&base), &mut failures) {
        println!("FAIL io error: {}", e);
        failures += 1;
    }
    if failures == 0 {
        println!("PASSED");
    } else {
        println!("FAILED {}", failures);
        std::process::exit(1);
    }
}
