//! reverse - weft contract-v1 example in Rust (std only, hand-written JSON).
//!
//! Reads parameter "text" from /work/input.json and outputs "reversed" (characters reversed) and
//! "length" (character count). If /work/artifacts-in/text.txt exists, its contents are reversed
//! into /work/artifacts-out/reversed.txt and listed as output artifact "reversed".

use std::fs;
use std::io::ErrorKind;
use std::process::exit;

/// Just enough of JSON for input.json. Numbers and literals keep their raw text.
enum Json {
    Str(String),
    Raw(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", c as char, self.i))
        }
    }

    fn value(&mut self, depth: u32) -> Result<Json, String> {
        if depth > 64 {
            return Err("nested too deeply".into());
        }
        match self.peek() {
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    } else {
                        self.expect(b']')?;
                        return Ok(Json::Arr(items));
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.expect(b':')?;
                    members.push((key, self.value(depth + 1)?));
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    } else {
                        self.expect(b'}')?;
                        return Ok(Json::Obj(members));
                    }
                }
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len() && b"+-.0123456789eEtruefalsn".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let raw = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                let number = raw.parse::<f64>().is_ok() && !raw.starts_with('+');
                if number || raw == "true" || raw == "false" || raw == "null" {
                    Ok(Json::Raw(raw.to_string()))
                } else {
                    Err(format!("unexpected character at byte {}", start))
                }
            }
            None => Err("unexpected end of input".into()),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self.s.get(self.i..self.i + 4).ok_or("truncated \\u escape")?;
        let h = std::str::from_utf8(h).map_err(|_| "bad \\u escape")?;
        let v = u32::from_str_radix(h, 16).map_err(|_| "bad \\u escape")?;
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err(format!("expected string at byte {}", self.i));
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = *self.s.get(self.i).ok_or("unterminated string")?;
            self.i += 1;
            match c {
                b'"' => break,
                0..=0x1f => return Err("control character in string".into()),
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("unterminated string")?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) && self.s.get(self.i..self.i + 2) == Some(b"\\u") {
                                self.i += 2;
                                let lo = self.hex4()?;
                                u = 0x10000 + ((u - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            char::from_u32(u).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err("bad escape in string".into()),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| "string is not valid UTF-8".into())
    }
}

fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser { s: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    if p.peek().is_some() {
        return Err(format!("trailing characters at byte {}", p.i));
    }
    Ok(v)
}

fn get<'j>(obj: &'j Json, key: &str) -> Option<&'j Json> {
    match obj {
        Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// The value of parameter `name`: strings decoded, anything else as raw JSON text.
fn parameter(input: &Json, name: &str) -> Option<String> {
    let params = match get(input, "parameters")? {
        Json::Arr(params) => params,
        _ => return None,
    };
    params.iter().find_map(|p| match (get(p, "name"), get(p, "value")) {
        (Some(Json::Str(n)), Some(v)) if n == name => Some(match v {
            Json::Str(s) | Json::Raw(s) => s.clone(),
            other => to_json(other),
        }),
        _ => None,
    })
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn to_json(v: &Json) -> String {
    match v {
        Json::Str(s) => quote(s),
        Json::Raw(s) => s.clone(),
        Json::Arr(items) => format!("[{}]", items.iter().map(to_json).collect::<Vec<_>>().join(",")),
        Json::Obj(m) => format!(
            "{{{}}}",
            m.iter().map(|(k, v)| format!("{}:{}", quote(k), to_json(v))).collect::<Vec<_>>().join(",")
        ),
    }
}

fn pairs(items: &[(&str, &str)], second: &str) -> Json {
    Json::Arr(
        items
            .iter()
            .map(|(n, v)| Json::Obj(vec![("name".into(), Json::Str(n.to_string())), (second.into(), Json::Str(v.to_string()))]))
            .collect(),
    )
}

fn write_result(phase: &str, message: &str, params: &[(&str, &str)], artifacts: &[(&str, &str)]) {
    let result = Json::Obj(vec![
        ("phase".into(), Json::Str(phase.into())),
        ("message".into(), Json::Str(message.into())),
        (
            "outputs".into(),
            Json::Obj(vec![("parameters".into(), pairs(params, "value")), ("artifacts".into(), pairs(artifacts, "path"))]),
        ),
    ]);
    if let Err(e) = fs::write("/work/result.json", to_json(&result) + "\n") {
        eprintln!("reverse: cannot write /work/result.json: {}", e);
        exit(1);
    }
}

fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

fn main() {
    let input = match fs::read_to_string("/work/input.json") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("reverse: cannot read /work/input.json: {}", e);
            exit(1);
        }
    };
    let input = match parse(&input) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("reverse: /work/input.json is not valid JSON: {}", e);
            exit(1);
        }
    };
    let text = match parameter(&input, "text") {
        Some(t) => t,
        None => {
            write_result("Failed", "Expected parameter \"text\" to be present", &[], &[]);
            return;
        }
    };
    let rev = reversed(&text);
    let length = text.chars().count().to_string();

    let mut artifacts: Vec<(&str, &str)> = Vec::new();
    match fs::read("/work/artifacts-in/text.txt") {
        Ok(bytes) => {
            // Valid UTF-8 is reversed by character; anything else byte by byte.
            let out = match String::from_utf8(bytes) {
                Ok(s) => reversed(&s).into_bytes(),
                Err(e) => e.into_bytes().into_iter().rev().collect(),
            };
            let written = fs::create_dir_all("/work/artifacts-out").and_then(|_| fs::write("/work/artifacts-out/reversed.txt", out));
            if let Err(e) = written {
                eprintln!("reverse: cannot write /work/artifacts-out/reversed.txt: {}", e);
                exit(1);
            }
            artifacts.push(("reversed", "/reversed.txt"));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => {
            eprintln!("reverse: cannot read /work/artifacts-in/text.txt: {}", e);
            exit(1);
        }
    }

    let message = format!("reversed {} characters", length);
    write_result("Succeeded", &message, &[("reversed", &rev), ("length", &length)], &artifacts);
}
