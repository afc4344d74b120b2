//! The JSON reader (RFC 8259, strict): one pass over bytes, no recursion deeper than 127
//! arrays/objects, strings checked to be UTF-8 without lone surrogates, numbers checked against
//! the grammar (and to be finite) and kept as written, nothing but whitespace after the value.

use super::hash_keys;
use super::value::{Map, Number, Repr, Value};

/// Nesting allowed before a document is refused (the stack stays small on every runtime): 127
/// arrays/objects, as serde_json allows.
const MAX_DEPTH: u32 = 127;

/// Why a text is not JSON: where (1-based line and byte column) and whether it ended early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    eof: bool,
    line: usize,
    column: usize,
}

impl JsonError {
    /// True when the text ended before the value did (truncated rather than malformed).
    pub fn is_eof(&self) -> bool {
        self.eof
    }

    /// The line of the problem, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The byte column of the problem on its line, from 1.
    pub fn column(&self) -> usize {
        self.column
    }
}

/// A whole document: one value, then only whitespace. `Ok((value, duplicate))`: `duplicate` is
/// true when the value is an object that names one of its own keys twice.
pub fn document(bytes: &[u8]) -> Result<(Value, bool), JsonError> {
    let mut reader = Reader {
        bytes,
        at: 0,
        depth: 0,
    };
    reader.skip_whitespace();
    let read = if reader.peek() == Some(b'{') {
        reader
            .object()
            .map(|(map, duplicate)| (Value::Object(map), duplicate))
    } else {
        reader.value().map(|value| (value, false))
    }?;
    reader.skip_whitespace();
    match reader.peek() {
        None => Ok(read),
        Some(_) => Err(reader.error()),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: u32,
}

impl Reader<'_> {
    #[inline(always)] // one load per byte read: a call would cost more than the body
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Result<u8, JsonError> {
        let byte = self.peek().ok_or_else(|| self.error())?;
        self.at += 1;
        Ok(byte)
    }

    fn expect(&mut self, wanted: u8) -> Result<(), JsonError> {
        match self.peek() {
            Some(byte) if byte == wanted => {
                self.at += 1;
                Ok(())
            }
            _ => Err(self.error()),
        }
    }

    /// An error at the current position (at the end of the text: an early end).
    fn error(&self) -> JsonError {
        let before = self.bytes.get(..self.at).unwrap_or(self.bytes);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        JsonError {
            eof: self.at >= self.bytes.len(),
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + self.at - line_start,
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') => Ok(Value::Object(self.object()?.0)),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.word(b"true", Value::Bool(true)),
            Some(b'f') => self.word(b"false", Value::Bool(false)),
            Some(b'n') => self.word(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error()),
        }
    }

    fn word(&mut self, word: &[u8], value: Value) -> Result<Value, JsonError> {
        for &byte in word {
            self.expect(byte)?;
        }
        Ok(value)
    }

    fn nest(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.at += 1;
        self.skip_whitespace();
        Ok(())
    }

    fn array(&mut self) -> Result<Value, JsonError> {
        self.sequence(b']', Self::value).map(Value::Array)
    }

    fn object(&mut self) -> Result<(Map, bool), JsonError> {
        self.sequence(b'}', Self::member).map(unique_members)
    }

    fn member(&mut self) -> Result<(String, Value), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.error());
        }
        let key = self.string()?;
        self.skip_whitespace();
        self.expect(b':')?;
        self.skip_whitespace();
        Ok((key, self.value()?))
    }

    /// The items of an array or the members of an object (its opening bracket at the cursor):
    /// `item` reads one, commas between them, up to `close`.
    fn sequence<T>(
        &mut self,
        close: u8,
        item: fn(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Vec<T>, JsonError> {
        self.nest()?;
        let mut items = Vec::new();
        if self.peek() == Some(close) {
            self.at += 1;
        } else {
            loop {
                self.skip_whitespace();
                items.push(item(self)?);
                self.skip_whitespace();
                match self.next()? {
                    b',' => {}
                    byte if byte == close => break,
                    _ => return Err(self.back_one()),
                }
            }
        }
        self.depth -= 1;
        Ok(items)
    }

    /// The error for the byte just read.
    fn back_one(&mut self) -> JsonError {
        self.at -= 1;
        self.error()
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1; // the opening quote
        let mut text = Vec::new();
        loop {
            let run = self
                .bytes
                .get(self.at..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| b != b'"' && b != b'\\' && b >= 0x20)
                .count();
            text.extend_from_slice(self.bytes.get(self.at..self.at + run).unwrap_or_default());
            self.at += run;
            match self.next()? {
                b'"' => break,
                b'\\' => self.escape(&mut text)?,
                _ => return Err(self.back_one()), // a control character
            }
        }
        String::from_utf8(text).map_err(|_| self.error())
    }

    fn escape(&mut self, text: &mut Vec<u8>) -> Result<(), JsonError> {
        let byte = match self.next()? {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        self.expect(b'\\')?;
                        self.expect(b'u')?;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error());
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.error()),
                    _ => unit,
                };
                let character = char::from_u32(code).ok_or_else(|| self.error())?;
                text.extend_from_slice(character.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            _ => return Err(self.back_one()),
        };
        text.push(byte);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = match self.next()? {
                byte @ b'0'..=b'9' => byte - b'0',
                byte @ b'a'..=b'f' => byte - b'a' + 10,
                byte @ b'A'..=b'F' => byte - b'A' + 10,
                _ => return Err(self.back_one()),
            };
            unit = unit * 16 + u32::from(digit);
        }
        Ok(unit)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, finite as a double.
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return Err(self.back_one()),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.one_or_more_digits()?;
            integer = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.one_or_more_digits()?;
            integer = false;
        }
        let literal = self.bytes.get(start..self.at).unwrap_or_default();
        // Up to 18 digits always fit `i64`; `-0` is kept as written.
        if integer && literal.len() <= 18 && literal != b"-0" {
            return Ok(Value::Number(Number(Repr::Integer(integer_value(literal)))));
        }
        let number = Number(Repr::Literal(
            String::from_utf8(literal.to_vec()).unwrap_or_default(),
        ));
        // Integers past `u64` and every fraction or exponent are doubles to a reader: finite.
        if (!integer || literal.len() > 19) && !number.as_f64().is_some_and(f64::is_finite) {
            return Err(self.error());
        }
        Ok(Value::Number(number))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Result<(), JsonError> {
        match self.next()? {
            b'0'..=b'9' => {
                self.digits();
                Ok(())
            }
            _ => Err(self.back_one()),
        }
    }
}

/// The value of a checked integer literal of at most 18 digits (and a sign).
fn integer_value(literal: &[u8]) -> i64 {
    let (negative, digits) = match literal.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, literal),
    };
    let magnitude = digits
        .iter()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    if negative { -magnitude } else { magnitude }
}

/// The members with each key once: a repeated key keeps its first place and takes the last
/// value. Linear in the number of members (a hash table of their places), so a crafted object
/// with a thousand keys costs no more than it is long.
fn unique_members(members: Vec<(String, Value)>) -> (Map, bool) {
    // Small objects (every token's header and payload): compared pairwise, no table to build.
    if members.len() <= SMALL_OBJECT
        && members
            .iter()
            .enumerate()
            .all(|(i, (key, _))| members.iter().skip(i + 1).all(|(other, _)| other != key))
    {
        return (Map(members), false);
    }
    let mask = (members.len() * 2).next_power_of_two() - 1;
    let mut places = vec![usize::MAX; mask + 1];
    let mut unique: Vec<(String, Value)> = Vec::with_capacity(members.len());
    let mut duplicate = false;
    for (key, value) in members {
        // Keyed with a secret per process: keys crafted to collide cannot be (hash flooding).
        let mut slot = hash_keys::keyed_hash(key.as_bytes()) & mask;
        // The table is twice the members: a free place is always found.
        while let Some(place) = places.get_mut(slot) {
            match unique.get_mut(*place) {
                None => {
                    *place = unique.len();
                    unique.push((key, value));
                    break;
                }
                Some(member) if member.0 == key => {
                    member.1 = value;
                    duplicate = true;
                    break;
                }
                Some(_) => slot = (slot + 1) & mask,
            }
        }
    }
    (Map(unique), duplicate)
}

/// Members up to which duplicates are looked for pairwise.
const SMALL_OBJECT: usize = 16;
