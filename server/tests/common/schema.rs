//! A small JSON Schema checker for the subset `src/api/openapi.rs` uses, in strict mode:
//! an object property the schema does not list is an error (unless `additionalProperties`
//! gives a schema for it), so an undocumented response field fails the test.
#![allow(clippy::unwrap_used, dead_code)]
use serde_json::Value;

pub struct Checker<'a> {
    pub spec: &'a Value,
}

impl<'a> Checker<'a> {
    pub fn new(spec: &'a Value) -> Self {
        Self { spec }
    }

    /// Resolves `#/components/schemas/X`.
    pub fn resolve(&self, reference: &str) -> &'a Value {
        let path = reference
            .strip_prefix("#/")
            .unwrap_or_else(|| panic!("only local refs: {reference}"));
        let mut node = self.spec;
        for part in path.split('/') {
            node = node
                .get(part)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"));
        }
        node
    }

    pub fn named(&self, name: &str) -> &'a Value {
        self.resolve(&format!("#/components/schemas/{name}"))
    }

    /// Errors found checking `value` against `schema`, each with its JSON path.
    pub fn check(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.walk(schema, value, "$", &mut errors);
        errors
    }

    pub fn assert_valid(&self, schema: &Value, value: &Value, what: &str) {
        let errors = self.check(schema, value);
        assert!(
            errors.is_empty(),
            "{what} does not match its schema:\n  {}\nvalue: {}",
            errors.join("\n  "),
            truncate(&value.to_string())
        );
    }

    fn walk(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            self.walk(self.resolve(r), value, at, errors);
            return;
        }
        if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
            let passing: Vec<usize> = options
                .iter()
                .enumerate()
                .filter(|(_, s)| self.check_at(s, value, at).is_empty())
                .map(|(i, _)| i)
                .collect();
            if passing.len() != 1 {
                let mut detail = String::new();
                if passing.is_empty() {
                    // Name the closest option's problems: the one with the fewest.
                    if let Some(best) = options
                        .iter()
                        .map(|s| self.check_at(s, value, at))
                        .min_by_key(Vec::len)
                    {
                        detail = format!(" (closest: {})", best.join("; "));
                    }
                }
                errors.push(format!(
                    "{at}: matches {} of the oneOf options, not exactly one{detail}",
                    passing.len()
                ));
            }
        }
        if let Some(c) = schema.get("const") {
            if c != value {
                errors.push(format!("{at}: expected {c}, got {value}"));
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                errors.push(format!("{at}: {value} is not one of {options:?}"));
            }
        }
        if let Some(ty) = schema.get("type").and_then(Value::as_str) {
            let ok = match ty {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "null" => value.is_null(),
                other => panic!("unknown type {other}"),
            };
            if !ok {
                errors.push(format!(
                    "{at}: expected {ty}, got {}",
                    truncate(&value.to_string())
                ));
                return;
            }
        }
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if value.as_f64().is_some_and(|v| v < min) {
                errors.push(format!("{at}: {value} < minimum {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if value.as_f64().is_some_and(|v| v > max) {
                errors.push(format!("{at}: {value} > maximum {max}"));
            }
        }
        if let Some(s) = value.as_str() {
            let len = s.chars().count() as u64;
            if schema
                .get("minLength")
                .and_then(Value::as_u64)
                .is_some_and(|m| len < m)
            {
                errors.push(format!("{at}: string shorter than minLength"));
            }
            if schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .is_some_and(|m| len > m)
            {
                errors.push(format!("{at}: string longer than maxLength"));
            }
            if schema.get("pattern").and_then(Value::as_str) == Some("^[A-Za-z0-9_-]+$")
                && !s
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                errors.push(format!("{at}: {s:?} does not match the id pattern"));
            }
            match schema.get("format").and_then(Value::as_str) {
                Some("date") if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() => {
                    errors.push(format!("{at}: {s:?} is not a date"));
                }
                Some("date-time") if chrono::DateTime::parse_from_rfc3339(s).is_err() => {
                    errors.push(format!("{at}: {s:?} is not a date-time"));
                }
                _ => {}
            }
        }
        if let Some(items) = value.as_array() {
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if (items.len() as u64) < min {
                    errors.push(format!("{at}: fewer than {min} items"));
                }
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if items.len() as u64 > max {
                    errors.push(format!("{at}: more than {max} items"));
                }
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item_schema, item, &format!("{at}[{i}]"), errors);
                }
            }
        }
        if let Some(map) = value.as_object() {
            let is_object_schema = schema.get("type").and_then(Value::as_str) == Some("object");
            let props = schema.get("properties").and_then(Value::as_object);
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required {
                    let r = r.as_str().unwrap();
                    if !map.contains_key(r) {
                        errors.push(format!("{at}: missing required property {r:?}"));
                    }
                }
            }
            if is_object_schema {
                for (k, v) in map {
                    let child = format!("{at}.{k}");
                    if let Some(names) = schema.get("propertyNames") {
                        self.walk(names, &Value::String(k.clone()), &child, errors);
                    }
                    match props.and_then(|p| p.get(k)) {
                        Some(s) => self.walk(s, v, &child, errors),
                        None => match schema.get("additionalProperties") {
                            Some(Value::Bool(true)) => {}
                            Some(s) if s.is_object() => self.walk(s, v, &child, errors),
                            _ => errors.push(format!("{child}: property not in the schema")),
                        },
                    }
                }
            }
        }
    }

    fn check_at(&self, schema: &Value, value: &Value, at: &str) -> Vec<String> {
        let mut errors = Vec::new();
        self.walk(schema, value, at, &mut errors);
        errors
    }

    /// The documented schema of the JSON answer of `method path` with `status`.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> &'a Value {
        let op = self.operation(method, path);
        let response = op["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{method} {path}: status {status} is not documented"));
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(r),
            None => response,
        };
        response
            .pointer("/content/application~1json/schema")
            .unwrap_or_else(|| panic!("{method} {path} {status}: no JSON content documented"))
    }

    pub fn operation(&self, method: &str, path: &str) -> &'a Value {
        self.spec["paths"]
            .get(path)
            .and_then(|p| p.get(method.to_ascii_lowercase()))
            .unwrap_or_else(|| panic!("{method} {path} is not in the OpenAPI document"))
    }

    /// Checks an actual answer against the document.
    pub fn assert_response(&self, method: &str, path: &str, status: u16, body: &Value) {
        let schema = self.response_schema(method, path, status);
        self.assert_valid(schema, body, &format!("{method} {path} → {status}"));
    }
}

fn truncate(s: &str) -> String {
    if s.len() > 600 {
        let mut end = 600;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s.to_owned()
    }
}
