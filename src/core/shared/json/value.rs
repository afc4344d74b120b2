//! The JSON value type: objects keep their keys in the order they were written (as the engine's
//! `JSON.parse` does), numbers keep their literal text (written back exactly, read as integers or
//! floats on demand).

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// `null`
    #[default]
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

impl Value {
    /// The member `key` of an object; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A number that is an integer literal within `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// A number as the nearest `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// True for a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Number(Number(Repr::Integer(value)))
    }
}

impl From<u16> for Value {
    fn from(value: u16) -> Self {
        Value::from(i64::from(value))
    }
}

impl From<u32> for Value {
    fn from(value: u32) -> Self {
        Value::from(i64::from(value))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// A JSON number as written: an integer that fits `i64` (kept as one, nothing allocated), or
/// any other literal, checked against the JSON grammar when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(pub(super) Repr);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Repr {
    /// Written as a plain integer (no `-0`, no fraction or exponent) within `i64`.
    Integer(i64),
    /// Any other literal.
    Literal(String),
}

impl Number {
    /// The value of an integer literal (no fraction, no exponent) that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Integer(n) => Some(*n),
            Repr::Literal(text) => text.parse().ok(),
        }
    }

    /// The nearest `f64`: correctly rounded when the significant digits (up to 19) make an
    /// integer below 2^53 and the decimal exponent is within ±22 — every value this crate reads
    /// (NumericDates, status codes); beyond that, within a few units in the last place.
    /// Infinite when out of range.
    pub fn as_f64(&self) -> Option<f64> {
        let text = match &self.0 {
            // Rounded to nearest, as every conversion from an integer is.
            Repr::Integer(n) => return Some(*n as f64),
            Repr::Literal(text) => text.as_bytes(),
        };
        let (negative, bytes) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let mut mantissa: u64 = 0;
        let mut exponent: i64 = 0;
        let mut after_point = false;
        let mut rest = bytes.iter();
        while let Some(&byte) = rest.next() {
            match byte {
                b'.' => after_point = true,
                b'e' | b'E' => {
                    exponent = exponent.saturating_add(written_exponent(rest.as_slice()));
                    break;
                }
                digit if mantissa < 1_000_000_000_000_000_000 => {
                    mantissa = mantissa * 10 + u64::from(digit - b'0');
                    exponent -= i64::from(after_point);
                }
                // Digits past the 19th: dropped, counted when before the point.
                _ => exponent += i64::from(!after_point),
            }
        }
        let m = mantissa as f64;
        let magnitude = if mantissa == 0 {
            0.0
        } else if mantissa < (1 << 53) && exponent.abs() <= 22 {
            // 10^0..=10^22 are exact doubles (and `powi` reaches them by exact products): one
            // correctly rounded operation.
            let power = 10f64.powi(exponent.abs() as i32);
            if exponent < 0 { m / power } else { m * power }
        } else {
            // In two steps, so that neither power leaves a double's range on its own.
            let exponent = exponent.clamp(-800, 800) as i32;
            m * 10f64.powi(exponent / 2) * 10f64.powi(exponent - exponent / 2)
        };
        Some(if negative { -magnitude } else { magnitude })
    }
}

/// The exponent after `e`: optional sign, digits (capped far beyond any finite `f64`).
fn written_exponent(bytes: &[u8]) -> i64 {
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    };
    let magnitude = digits
        .iter()
        .fold(0i64, |e, d| (e * 10 + i64::from(d - b'0')).min(100_000));
    if negative { -magnitude } else { magnitude }
}

/// A JSON object: its members in the order written. Keys are unique (reading keeps the last
/// value of a repeated key at its first place, as `JSON.parse` does). Two objects are equal
/// when they have the same members, in any order.
#[derive(Debug, Clone, Default)]
pub struct Map(pub(super) Vec<(String, Value)>);

impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for Map {}

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|(k, _)| k == key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when `key` is a member.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` (in place when present; last otherwise) and returns the value it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Some(at) => self
                .0
                .get_mut(at)
                .map(|(_, old)| std::mem::replace(old, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.position(key)?;
        Some(self.0.remove(at).1)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True without members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
