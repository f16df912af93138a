//! Values checked against the served API description with the `jsonschema` crate (OpenAPI
//! 3.1's schemas are JSON Schema 2020-12), formats included.
#![allow(clippy::unwrap_used, dead_code)]
use serde_json::{json, Value};

pub struct Described<'a> {
    pub spec: &'a Value,
}

impl<'a> Described<'a> {
    pub fn new(spec: &'a Value) -> Self {
        Self { spec }
    }

    /// A reference to the component schema `name`.
    pub fn named(&self, name: &str) -> Value {
        assert!(
            self.spec["components"]["schemas"].get(name).is_some(),
            "no schema {name}"
        );
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    /// What `value` breaks of `schema` (which may refer to the description's components).
    pub fn errors(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut root = schema.clone();
        root["components"] = self.spec["components"].clone();
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap();
        validator
            .iter_errors(value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    pub fn assert_valid(&self, schema: &Value, value: &Value, what: &str) {
        let errors = self.errors(schema, value);
        assert!(
            errors.is_empty(),
            "{what} does not match its schema:\n  {}\nvalue: {}",
            errors.join("\n  "),
            truncate(&value.to_string())
        );
    }

    pub fn operation(&self, method: &str, path: &str) -> &'a Value {
        self.spec["paths"]
            .get(path)
            .and_then(|p| p.get(method.to_ascii_lowercase()))
            .unwrap_or_else(|| panic!("{method} {path} is not in the OpenAPI document"))
    }

    /// The documented schema of the JSON answer of `method path` with `status`.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> &'a Value {
        self.operation(method, path)["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{method} {path}: status {status} is not documented"))
            .pointer("/content/application~1json/schema")
            .unwrap_or_else(|| panic!("{method} {path} {status}: no JSON content documented"))
    }

    /// Checks an actual answer against the document, and that its fields are all described
    /// (JSON Schema allows more; an undescribed field is a drift).
    pub fn assert_response(&self, method: &str, path: &str, status: u16, body: &Value) {
        let what = format!("{method} {path} → {status}");
        let schema = self.response_schema(method, path, status);
        self.assert_valid(schema, body, &what);
        let described = self.resolve(schema);
        if let (Some(fields), Some(properties)) =
            (body.as_object(), described["properties"].as_object())
        {
            for field in fields.keys() {
                assert!(
                    properties.contains_key(field),
                    "{what}: `{field}` is not described"
                );
            }
        }
    }

    /// `schema`, or the schema its `$ref` names.
    pub fn resolve(&self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(r) => self
                .spec
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {r}")),
            None => schema,
        }
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
