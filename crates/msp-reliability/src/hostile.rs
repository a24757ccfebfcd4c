//! Hostile input: strings and JSON documents that have broken parsers, matchers and stores
//! elsewhere, as fixed lists and as proptest strategies.

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Strings that have broken software before: quotes and SQL, control characters, bidi
/// overrides, emoji, combining marks, text whose case folding or NFKC form changes its
/// length, format strings, markup, and very long names.
pub fn corpus() -> Vec<String> {
    let mut corpus: Vec<String> = [
        "",
        " ",
        "O'Brien & Sons, Inc.",
        "\"Quoted\" Company \"LLC\"",
        "Robert'); DROP TABLE organizations;--",
        "' OR '1'='1",
        "1; DELETE FROM tenants WHERE 1=1; --",
        "%_\\%",
        "back\\slash\\\\",
        "nul\0byte",
        "bell\u{7} escape\u{1b}[31mred\u{1b}[0m",
        "line\nbreak\r\nOK: 5 created",
        "tab\there",
        "\u{200f}rtl mark\u{200f}",
        "\u{202e}evil override\u{202c}",
        "zero\u{200b}width\u{200d}joiner",
        "\u{feff}BOM first",
        "🏢 Emoji Holdings 👩‍💻🇩🇪",
        "e\u{301}\u{301}\u{301}\u{301}combining",
        "\u{fffd}\u{fffd} replacement",
        "İstanbul Şirketi",
        "Straße GmbH",
        "ﬁnance ﬂow",
        "ǅungla d.o.o.",
        "\u{fdfa}",
        "ＦＵＬＬＷＩＤＴＨ Ｃｏｍｐａｎｙ",
        "{} {:?} %s %n %x",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "- - - ( ) [ ] # #",
        "The",
        "Inc.",
        "日本語の会社 株式会社",
        "شركة عربية",
        "עברית בע\"מ",
        "\u{1}\u{2}\u{3}\u{1f}\u{7f}\u{80}\u{9f}",
        "a\u{0}b\u{0}c",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    corpus.push("x".repeat(10_000));
    corpus.push("Ab'\"; -- ".repeat(1_200));
    corpus.push("é".repeat(10_000));
    corpus.push("\u{301}".repeat(10_000));
    corpus.push("🏢".repeat(10_000));
    corpus.push(spelled_initials(10_000));
    corpus.push(repeated_legal_forms(10_000));
    corpus
}

/// `"I.I.I.…"`, `chars` characters long: a run of single letters that normalisation joins.
pub fn spelled_initials(chars: usize) -> String {
    "I.".repeat(chars / 2)
}

/// `"inc inc inc …"`, `chars` characters long: legal forms that normalisation strips one by
/// one.
pub fn repeated_legal_forms(chars: usize) -> String {
    "inc ".repeat(chars / 4)
}

/// The [`corpus`] with the two names whose normalisation cost grows with the square of their
/// length ([`spelled_initials`], [`repeated_legal_forms`]) at 2,000 instead of 10,000
/// characters, so that the matching tests stay fast in a debug build (docs/reliability.md
/// has the measurements).
pub fn matching_corpus() -> Vec<String> {
    let slow = [spelled_initials(10_000), repeated_legal_forms(10_000)];
    let mut corpus: Vec<String> = corpus().into_iter().filter(|s| !slow.contains(s)).collect();
    corpus.push(spelled_initials(2_000));
    corpus.push(repeated_legal_forms(2_000));
    corpus
}

/// A hostile string of at most 600 characters: an entry of the [`corpus`] (long ones cut), a
/// mix of short corpus pieces and random text, or a run of a piece. (The 10,000-character
/// entries go through the tests one by one: in proptest loops they would make the quadratic
/// costs docs/reliability.md describes dominate the run time.)
pub fn hostile_text() -> BoxedStrategy<String> {
    let corpus: Vec<String> = corpus()
        .into_iter()
        .map(|s| s.chars().take(600).collect())
        .collect();
    let pieces = proptest::sample::select(corpus.clone());
    prop_oneof![
        3 => proptest::sample::select(corpus),
        3 => proptest::collection::vec(
            prop_oneof![
                pieces.clone().prop_map(|p| p.chars().take(40).collect::<String>()),
                "\\PC{0,12}",
                any::<String>(),
                "[ -~]{0,12}"
            ],
            1..6
        )
        .prop_map(|parts| parts.concat()),
        1 => (pieces, 2usize..100).prop_map(|(piece, n)| piece.chars().take(20).collect::<String>().repeat(n).chars().take(600).collect()),
    ]
    .boxed()
}

/// Any JSON value, nested a few levels, with hostile strings and extreme numbers.
pub fn arbitrary_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        hostile_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => proptest::sample::select(vec![
            "id", "uid", "name", "data", "attributes", "type", "result", "error", "items",
            "pageDetails", "nextPageUrl", "meta", "links", "included", "errors", "sites",
            "devices", "jsonrpc", "code", "message", "total", "pagesCount", "next-page",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,10}",
    ]
    .boxed()
}

/// One change to one node of a JSON document (see [`mutated`]).
#[derive(Debug, Clone)]
pub enum Mutation {
    /// The node becomes `null`.
    Null,
    /// The node (an object member or array element) is removed.
    Remove,
    /// The node becomes this string (a hostile text or an unknown enum value).
    Text(String),
    /// The node becomes this number.
    Number(Value),
    /// The node becomes this arbitrary value.
    Replace(Value),
    /// The node, when an array, is repeated this many times (a huge list).
    Repeat(usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        3 => Just(Mutation::Null),
        3 => Just(Mutation::Remove),
        3 => hostile_text().prop_map(Mutation::Text),
        1 => "[A-Za-z_]{1,16}".prop_map(Mutation::Text),
        2 => prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            Just(Value::from(-1)),
            Just(Value::from(0)),
            Just(Value::from(1e300)),
            Just(Value::from(-0.5)),
        ]
        .prop_map(Mutation::Number),
        2 => arbitrary_json().prop_map(Mutation::Replace),
        1 => (2usize..200).prop_map(Mutation::Repeat),
    ]
    .boxed()
}

/// Counts the nodes of `value` (pre-order, the root included).
fn node_count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(node_count).sum(),
        Value::Object(members) => members.values().map(node_count).sum(),
        _ => 0,
    }
}

/// Applies `mutation` to the `target`-th node (pre-order); returns whether the node was this
/// one's child to remove (handled by the parent) — `None` while not found yet.
fn apply(value: &mut Value, target: &mut usize, mutation: &Mutation) -> Option<bool> {
    if *target == 0 {
        match mutation {
            Mutation::Remove => return Some(true),
            Mutation::Null => *value = Value::Null,
            Mutation::Text(text) => *value = Value::from(text.clone()),
            Mutation::Number(number) => *value = number.clone(),
            Mutation::Replace(other) => *value = other.clone(),
            Mutation::Repeat(n) => {
                if let Value::Array(items) = value {
                    let copy = items.clone();
                    // at most 2,000 elements, so documents stay a few megabytes at most
                    let n = (*n).min(2_000 / copy.len().max(1));
                    for _ in 1..n {
                        items.extend(copy.iter().cloned());
                    }
                }
            }
        }
        return Some(false);
    }
    *target -= 1;
    match value {
        Value::Array(items) => {
            let mut remove = None;
            for (index, item) in items.iter_mut().enumerate() {
                match apply(item, target, mutation) {
                    Some(true) => {
                        remove = Some(index);
                        break;
                    }
                    Some(false) => return Some(false),
                    None => {}
                }
            }
            remove.map(|index| {
                items.remove(index);
                false
            })
        }
        Value::Object(members) => {
            let mut remove = None;
            for (name, member) in members.iter_mut() {
                match apply(member, target, mutation) {
                    Some(true) => {
                        remove = Some(name.clone());
                        break;
                    }
                    Some(false) => return Some(false),
                    None => {}
                }
            }
            remove.map(|name| {
                members.remove(&name);
                false
            })
        }
        _ => None,
    }
}

/// `seed` with one to four [`Mutation`]s applied to randomly chosen nodes: a structurally
/// valid document with random nulls, missing fields, unknown enum strings, wrong types and
/// huge strings or lists.
pub fn mutated(seed: Value) -> BoxedStrategy<Value> {
    proptest::collection::vec((any::<usize>(), mutation()), 1..5)
        .prop_map(move |mutations| {
            let mut document = seed.clone();
            for (pick, mutation) in mutations {
                let before = document.clone();
                let mut target = pick % node_count(&document);
                if apply(&mut document, &mut target, &mutation) == Some(true) {
                    document = Value::Null; // removing the root leaves nothing
                }
                if node_count(&document) > 50_000 {
                    document = before; // keep a case a few megabytes at most
                }
            }
            document
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_mutation_reaches_the_node_it_names() {
        let mut doc = json!({"a": [1, 2], "b": "x"});
        // pre-order: root(0), a(1), 1(2), 2(3), b(4)
        let mut target = 3;
        assert_eq!(apply(&mut doc, &mut target, &Mutation::Remove), Some(false));
        assert_eq!(doc, json!({"a": [1], "b": "x"}));
        let mut target = 3;
        apply(&mut doc, &mut target, &Mutation::Null);
        assert_eq!(doc, json!({"a": [1], "b": null}));
    }

    #[test]
    fn the_corpus_holds_a_ten_thousand_character_name() {
        assert!(corpus().iter().any(|s| s.chars().count() == 10_000));
    }
}
