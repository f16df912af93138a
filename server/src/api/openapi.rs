//! `GET /api/openapi.json`: the OpenAPI 3.1 description of every `/api` route, generated from
//! the handlers' `#[utoipa::path]` attributes and core's wire types (`thidua_core::wire`, with
//! its `openapi` feature), registered together in [`super::routes`].
//!
//! Added here, because they hold for every route and so are written once: the error answers
//! any route may give ([`common_responses`]), public routes' empty security, and the bounds of
//! every integer ([`integer_bounds`]).
use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use thidua_core::wire::ErrorBody;
use thidua_core::{Lang, Record};
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi as _, ToSchema};
use utoipa_axum::router::OpenApiRouter;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Thi Đua sync API",
        description = "Offline-first sync for a trade-union emulation cluster. Every error is \
            `{\"error\": \"<code>\", \"message\": \"<plain English>\"}`. Devices join with an \
            invite code and then send `Authorization: Bearer <token>`.",
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/")),
    tags(
        (name = "meta"),
        (name = "devices"),
        (name = "sync"),
        (name = "export"),
        (name = "files", description = "Evidence files (photos, PDFs), named by the SHA-256 \
            of their bytes, sent in chunks by offset."),
        (name = "admin", description = "Cluster head and deputy only."),
    ),
    security(("bearer" = [])),
    modifiers(&Bearer),
)]
struct ApiDoc;

/// The bearer scheme every authenticated route names.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The token from `POST /api/join`."))
                    .build(),
            ),
        );
    }
}

/// The description as generated; [`spec`] serves it with every integer's bounds.
pub fn description() -> OpenApi {
    let (_, mut api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api", super::routes())
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    // Schemas only named by reference: the error answers added below, the records inside the
    // generic sync bodies, and query parameters' types.
    let mut named = Vec::new();
    add_schema::<ErrorBody>(&mut named);
    add_schema::<Record>(&mut named);
    add_schema::<Lang>(&mut named);
    let components = api.components.get_or_insert_with(Default::default);
    components.schemas.extend(named);
    for item in api.paths.paths.values_mut() {
        for op in operations(item) {
            common_responses(op);
        }
    }
    api
}

/// `T`'s schema and those it refers to, by name.
fn add_schema<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The answers any operation may give besides its own: 401 when it needs a token (public
/// operations get an empty `security`, overriding the document's bearer default), 400, 413 and
/// 415 when it reads a body or query, and 405, 408, 500 and 503 always.
fn common_responses(op: &mut Operation) {
    let public = op.security.is_none();
    if public {
        op.security = Some(Vec::new());
    }
    let body = op.request_body.is_some();
    let query = op.parameters.as_ref().is_some_and(|p| {
        p.iter().any(|p| {
            matches!(p, utoipa::openapi::RefOr::T(p)
                if p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
        })
    });
    let mut add = |code: &str, text: &str| {
        if !op.responses.responses.contains_key(code) {
            let response = ResponseBuilder::new()
                .description(text)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                        .build(),
                )
                .build();
            op.responses
                .responses
                .insert(code.to_owned(), response.into());
        }
    };
    if !public {
        add(
            "401",
            "No `Authorization: Bearer <token>` header, or the token is unknown or its device \
             was removed (`unauthorized`).",
        );
    }
    if body {
        add(
            "400",
            "The body is not JSON or does not fit the request schema (`invalid_json`), or a \
             field is out of range (`bad_request`); `message` names the field.",
        );
        add(
            "413",
            &format!(
                "The body is larger than {} bytes (`payload_too_large`).",
                crate::BODY_LIMIT
            ),
        );
        add(
            "415",
            "The body was not sent as `Content-Type: application/json` \
             (`unsupported_media_type`).",
        );
    }
    if query {
        add(
            "400",
            "A query parameter is missing, not of its type or out of range (`bad_request`); \
             `message` names it.",
        );
    }
    add(
        "405",
        "The path exists but not with this method (`method_not_allowed`); `Allow` lists the \
         accepted ones.",
    );
    add(
        "408",
        "The request, its body included, took longer than the server allows \
         (`request_timeout`); send it again.",
    );
    add(
        "500",
        "Unexpected failure, logged on the server (`internal`).",
    );
    add(
        "503",
        "The data store is busy or unavailable (`store_unavailable`); retry shortly.",
    );
}

/// Every integer's bounds, from the Rust type its format names (utoipa writes `u-int64`,
/// `u-int32`, `int32`...): a client that sends a larger number gets a 400, so the description
/// says so, and generated tests stay inside what the server reads. The unsigned formats are no
/// OpenAPI formats, so they are dropped once said as bounds.
fn integer_bounds(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let integer = map.get("type") == Some(&json!("integer"))
                || map.get("type") == Some(&json!(["integer", "null"]));
            if integer {
                let format = map.get("format").and_then(Value::as_str);
                let bounds: Option<(Value, Value)> = match format {
                    Some("u-int64") => Some((json!(0), json!(u64::MAX))),
                    Some("u-int32") => Some((json!(0), json!(u32::MAX))),
                    Some("u-int16") => Some((json!(0), json!(u16::MAX))),
                    Some("u-int8") => Some((json!(0), json!(u8::MAX))),
                    Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
                    Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
                    _ => None,
                };
                if format.is_some_and(|f| f.starts_with("u-int")) {
                    map.remove("format");
                }
                if let Some((min, max)) = bounds {
                    map.entry("minimum").or_insert(min);
                    map.entry("maximum").or_insert(max);
                }
            }
            map.values_mut().for_each(integer_bounds);
        }
        Value::Array(items) => items.iter_mut().for_each(integer_bounds),
        _ => {}
    }
}

/// The document served, built once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut value = serde_json::to_value(description()).unwrap_or_else(|err| {
            tracing::error!(%err, "cannot serialise the API description");
            Value::Object(Map::new())
        });
        integer_bounds(&mut value);
        value
    })
}

/// The OpenAPI document's top level (what is inside is OpenAPI's own description).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct DescriptionBody {
    openapi: String,
    #[schema(value_type = Object)]
    info: (),
    #[schema(value_type = Object)]
    paths: (),
    #[schema(value_type = Option<Object>)]
    components: (),
    #[schema(value_type = Option<Vec<Object>>)]
    servers: (),
    #[schema(value_type = Option<Vec<Object>>)]
    security: (),
    #[schema(value_type = Option<Vec<Object>>)]
    tags: (),
}

/// This description
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document.", body = inline(DescriptionBody)))
)]
pub async fn handler() -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY.get_or_init(|| spec().to_string());
    let mut response = body.as_str().into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
