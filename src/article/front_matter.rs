//! YAML front matter: the only module that knows about YAML.
//!
//! The YAML is size-capped before it reaches the parser ([`MAX_FRONT_MATTER`]), and serde_yaml
//! refuses documents whose aliases expand beyond a fixed budget (a "billion laughs" bomb gives an
//! error, not a hang); nested structures are also depth-limited by the parser. Values are turned
//! into plain text here so no YAML type leaks into the model.

use serde_yaml::Value;

/// The most front matter (in bytes) handed to the YAML parser; real headers are under 2 KiB.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// A front-matter value as the model needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FmValue {
    /// `null` or an empty value.
    Null,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A sequence, each item as text.
    List(Vec<String>),
    /// A mapping, as one line of JSON.
    Map(String),
}

impl FmValue {
    /// The value as one line of text (lists joined with `, `); `None` for null or empty.
    pub fn text(&self) -> Option<String> {
        let s = self.items().join(", ");
        (!s.is_empty()).then_some(s)
    }

    /// The value as a list (a scalar is a list of one); empty items dropped.
    pub fn items(&self) -> Vec<String> {
        let raw: Vec<String> = match self {
            FmValue::Null => Vec::new(),
            FmValue::Scalar(s) | FmValue::Map(s) => vec![s.clone()],
            FmValue::List(items) => items.clone(),
        };
        raw.iter()
            .map(|s| crate::sanitize::clean_line(s))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// Parses the YAML between the `---` lines into `(key, value)` pairs in file order.
///
/// The error is a reason for the user, e.g. `mapping values are not allowed in this context at
/// line 3 column 8`.
/// `first_line` is the file's line number of the YAML's first line, so positions in errors
/// point into the file, not into the YAML.
pub fn parse(yaml: &str, first_line: usize) -> Result<Vec<(String, FmValue)>, String> {
    if yaml.len() > MAX_FRONT_MATTER {
        return Err(format!(
            "larger than {} KiB, not parsed",
            MAX_FRONT_MATTER / 1024
        ));
    }
    if yaml.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: Value = serde_yaml::from_str(yaml).map_err(|e| {
        let text = e.to_string();
        match e.location() {
            Some(loc) => {
                let suffix = format!(" at line {} column {}", loc.line(), loc.column());
                let message = text.strip_suffix(&suffix).unwrap_or(&text);
                format!(
                    "{message} at line {} column {}",
                    loc.line() + first_line - 1,
                    loc.column()
                )
            }
            None => text,
        }
    })?;
    let mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(_) => return Err("expected `key: value` lines, found a list".into()),
        _ => return Err("expected `key: value` lines, found a single value".into()),
    };
    let mut out = Vec::with_capacity(mapping.len());
    for (k, v) in mapping {
        let Some(key) = scalar_text(&k) else { continue };
        out.push((crate::sanitize::clean_line(&key), convert(v)));
    }
    Ok(out)
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

fn convert(v: Value) -> FmValue {
    match v {
        Value::Null => FmValue::Null,
        Value::Sequence(items) => FmValue::List(
            items
                .into_iter()
                .filter_map(|item| match item {
                    Value::Null => None,
                    other => Some(scalar_text(&other).unwrap_or_else(|| to_json(&other))),
                })
                .collect(),
        ),
        Value::Mapping(_) => FmValue::Map(to_json(&v)),
        Value::Tagged(t) => convert(t.value),
        other => scalar_text(&other).map_or(FmValue::Null, FmValue::Scalar),
    }
}

fn to_json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_order_with_text_values() {
        let fm = parse(
            "title: '_a_'\ncategories: \n - 新媒体\n - 头条\ncomments: false\nn: 3\nx:\n",
            1,
        )
        .unwrap();
        assert_eq!(
            fm,
            vec![
                ("title".into(), FmValue::Scalar("_a_".into())),
                (
                    "categories".into(),
                    FmValue::List(vec!["新媒体".into(), "头条".into()])
                ),
                ("comments".into(), FmValue::Scalar("false".into())),
                ("n".into(), FmValue::Scalar("3".into())),
                ("x".into(), FmValue::Null),
            ]
        );
    }

    #[test]
    fn nested_mapping_becomes_json() {
        let fm = parse("meta:\n  a: 1\n  b: [x, y]\n", 1).unwrap();
        assert_eq!(fm[0].1, FmValue::Map(r#"{"a":1,"b":["x","y"]}"#.into()));
    }

    #[test]
    fn malformed_yaml_is_an_error_with_position() {
        assert_eq!(
            parse("title: a: b\n", 3).unwrap_err(),
            "mapping values are not allowed in this context at line 3 column 9"
        );
    }

    #[test]
    fn not_a_mapping() {
        assert_eq!(
            parse("- a\n- b\n", 1).unwrap_err(),
            "expected `key: value` lines, found a list"
        );
        assert_eq!(
            parse("just text\n", 1).unwrap_err(),
            "expected `key: value` lines, found a single value"
        );
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in 'b'..='j' {
            yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = name;
        }
        yaml.push_str("title: boom\n");
        let err = parse(&yaml, 1).unwrap_err();
        assert!(err.contains("repetition limit"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let yaml = format!("title: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let err = parse(&yaml, 1).unwrap_err();
        assert!(err.starts_with("recursion limit exceeded"), "{err}");
    }

    #[test]
    fn oversized_is_refused_before_parsing() {
        let yaml = format!("title: x\nbig: '{}'\n", "a".repeat(MAX_FRONT_MATTER));
        assert_eq!(
            parse(&yaml, 1).unwrap_err(),
            "larger than 64 KiB, not parsed"
        );
    }

    #[test]
    fn text_and_items_are_sanitised() {
        let v = FmValue::List(vec!["a\u{1b}[31m".into(), " ".into(), "b\nc".into()]);
        assert_eq!(v.items(), vec!["a".to_string(), "b c".to_string()]);
        assert_eq!(v.text().as_deref(), Some("a, b c"));
    }
}
