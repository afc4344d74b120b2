//! The crate's own JSON reader and writer (core/shared/json/) held to serde_json: the same
//! documents accepted and refused, the same values read, text that serde_json reads back as the
//! value written, duplicate keys reported at the top level, numbers kept as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

use convex_auth_wasm::core::shared::json::{JsonObject, Value, parse_object, parse_value, to_text};
use proptest::prelude::*;

/// serde_json's reading of `bytes` (the reference).
fn reference(bytes: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(bytes).ok()
}

/// Ours, as serde_json sees the text we write back.
fn ours(bytes: &[u8]) -> Option<serde_json::Value> {
    let value = parse_value(bytes).ok()?;
    Some(serde_json::from_str(&to_text(&value)).expect("our text is JSON to serde_json"))
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        (-1e300f64..1e300).prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
        "[a-c\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}é😀]{0,6}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-d]{0,3}", inner), 0..6)
                .prop_map(|members| { serde_json::Value::Object(members.into_iter().collect()) }),
        ]
    })
}

/// Text that is mostly JSON: valid documents with bytes changed, dropped or added.
fn almost_json() -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        any::<prop::sample::Index>(),
        0u8..3,
        prop::sample::select(
            b" \t\n{}[]:,\"\\/-+.0123456789eEtruefalsn\x00\x1f\xc3\xa9\xff\xed\xa0\x80u".to_vec(),
        ),
    );
    (
        json_value(),
        any::<bool>(),
        prop::collection::vec(edit, 0..4),
    )
        .prop_map(|(value, pretty, edits)| {
            let mut bytes = if pretty {
                serde_json::to_vec_pretty(&value).unwrap()
            } else {
                serde_json::to_vec(&value).unwrap()
            };
            for (at, kind, byte) in edits {
                let i = at.index(bytes.len() + 1);
                match kind {
                    0 if i < bytes.len() => bytes[i] = byte,
                    1 if i < bytes.len() => {
                        bytes.remove(i);
                    }
                    _ => bytes.insert(i, byte),
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn reads_what_serde_json_writes_and_writes_what_it_reads(value in json_value()) {
        for text in [serde_json::to_vec(&value).unwrap(), serde_json::to_vec_pretty(&value).unwrap()] {
            prop_assert_eq!(ours(&text), reference(&text));
            prop_assert!(ours(&text).is_some());
        }
    }

    #[test]
    fn accepts_and_refuses_what_serde_json_does(bytes in almost_json()) {
        prop_assert_eq!(ours(&bytes), reference(&bytes), "{}", String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn any_bytes_are_read_or_refused_like_serde_json(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        prop_assert_eq!(ours(&bytes), reference(&bytes));
    }

    #[test]
    fn a_repeated_top_level_key_is_reported_and_nested_ones_keep_the_last_value(
        keys in prop::collection::vec("[a-c]", 1..6),
        nested in prop::collection::vec("[a-c]", 1..4),
    ) {
        let inner: Vec<String> = nested.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect();
        let members: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("\"{k}\":{{\"n\":{i},\"inner\":{{{}}}}}", inner.join(",")))
            .collect();
        let text = format!("{{{}}}", members.join(","));
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        match parse_object(text.as_bytes()).unwrap() {
            JsonObject::DuplicateKey => prop_assert!(unique.len() < keys.len()),
            JsonObject::Unique(map) => {
                prop_assert_eq!(unique.len(), keys.len());
                // Members in the order written; nested repeats keep the last value.
                prop_assert!(map.keys().eq(keys.iter()));
                let value = Value::Object(map);
                prop_assert_eq!(ours(to_text(&value).as_bytes()), reference(text.as_bytes()));
            }
            JsonObject::NotAnObject => prop_assert!(false, "an object"),
        }
    }

    #[test]
    fn large_objects_keep_first_places_and_last_values_like_serde_json(
        keys in prop::collection::vec("[a-z]{1,2}", 17..120),
    ) {
        // Past the pairwise size: duplicates are found by sorting. Nested, so the last value
        // wins (at the top level a repeat is refused); serde_json's map is the reference.
        let members: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect();
        let text = format!("{{\"o\":{{{}}}}}", members.join(","));
        let value = parse_value(text.as_bytes()).unwrap();
        prop_assert_eq!(ours(text.as_bytes()), reference(text.as_bytes()));
        let mut first_places: Vec<&String> = Vec::new();
        for key in &keys {
            if !first_places.contains(&key) {
                first_places.push(key);
            }
        }
        let inner = value.get("o").and_then(Value::as_object).unwrap();
        prop_assert!(inner.keys().eq(first_places.into_iter()));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(text in any::<String>()) {
        prop_assert_eq!(to_text(&Value::String(text.clone())), serde_json::to_string(&text).unwrap());
    }

    #[test]
    fn numbers_are_kept_as_written_and_read_like_rust_reads_them(
        negative in any::<bool>(),
        integer in "0|[1-9][0-9]{0,24}",
        fraction in proptest::option::of("[0-9]{1,20}"),
        exponent in proptest::option::of(-330i32..330),
    ) {
        let mut literal = format!("{}{integer}", if negative { "-" } else { "" });
        if let Some(fraction) = &fraction {
            literal.push('.');
            literal.push_str(fraction);
        }
        if let Some(exponent) = exponent {
            literal.push_str(&format!("e{exponent}"));
        }
        let exact: f64 = literal.parse().unwrap();
        match parse_value(literal.as_bytes()) {
            Ok(value) => {
                prop_assert_eq!(to_text(&value), literal.clone());
                let read = value.as_f64().unwrap();
                prop_assert!(read.is_finite());
                prop_assert!(
                    read == exact || ((read - exact) / exact).abs() < 1e-14
                        || (exact.abs() < 1e-300 && (read - exact).abs() < 1e-300),
                    "{literal}: {read} vs {exact}"
                );
                let simple = integer.len() + fraction.as_ref().map_or(0, String::len) <= 15
                    && exponent.is_none_or(|e| e.abs() <= 7);
                prop_assert!(!simple || read == exact, "{literal}: exact expected");
                if fraction.is_none() && exponent.is_none() {
                    prop_assert_eq!(value.as_i64(), literal.parse::<i64>().ok());
                }
            }
            // Refused only when serde_json also refuses it (out of a double's range).
            Err(_) => prop_assert!(reference(literal.as_bytes()).is_none() && exact.is_infinite()),
        }
    }
}

#[test]
fn nesting_is_limited_where_serde_json_limits_it() {
    for depth in [1, 127, 128, 129, 5000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(
            ours(text.as_bytes()),
            reference(text.as_bytes()),
            "depth {depth}"
        );
    }
}

#[test]
fn errors_say_where_and_whether_the_text_ended_early() {
    let truncated = parse_value(b"{\"a\": [1,").unwrap_err();
    assert!(truncated.is_eof());
    let broken = parse_value(b"{\n  \"a\": tru }").unwrap_err();
    assert!(!broken.is_eof());
    assert_eq!((broken.line(), broken.column()), (2, 11));
}

#[test]
fn a_repeated_key_among_thousands_is_found_and_keeps_its_last_value() {
    let members: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\":{i}")).collect();
    let text = format!("{{{},\"k7\":\"last\"}}", members.join(","));
    let Ok(JsonObject::DuplicateKey) = parse_object(text.as_bytes()) else {
        panic!("the repeated key is found");
    };
    let value = parse_value(text.as_bytes()).unwrap();
    assert_eq!(value.get("k7").and_then(Value::as_str), Some("last"));
    assert_eq!(value.as_object().unwrap().len(), 20_000);
}

#[test]
fn doubles_are_correctly_rounded_within_the_exact_domain() {
    // Significands below 2^53 with a decimal exponent within ±22: one exact power, one rounding.
    for mantissa in [
        1u64,
        7,
        17,
        1_700_000_000,
        123_456_789_012_345,
        (1 << 53) - 1,
    ] {
        for exponent in -22i32..=22 {
            let literal = format!("{mantissa}e{exponent}");
            let value = parse_value(literal.as_bytes()).unwrap();
            assert_eq!(value.as_f64(), literal.parse::<f64>().ok(), "{literal}");
        }
    }
    for (literal, floor) in [
        ("1700000000.0", 1_700_000_000),
        ("1699999999.999999", 1_699_999_999),
    ] {
        let value = parse_value(literal.as_bytes()).unwrap();
        assert_eq!(
            value.as_f64().map(f64::floor),
            Some(floor as f64),
            "{literal}"
        );
    }
}
