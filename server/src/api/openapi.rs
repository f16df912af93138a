//! `GET /api/openapi.json`: the OpenAPI 3.1 description of every `/api` route.
//!
//! Handwritten (the record types live in `thidua-core`, which has no OpenAPI derives).
//! `tests/openapi.rs` keeps it honest: every route of [`super::router`] must be described,
//! every described path must be routed, and real responses and core's serialised records
//! must validate against the schemas given here.
use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::sync::{DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_RECORDS};

/// The document, built once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(build)
}

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

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema_ref("Error") } }
    })
}

fn json_response(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema } }
    })
}

fn json_body(schema: Value) -> Value {
    json!({
        "required": true,
        "content": { "application/json": { "schema": schema } }
    })
}

/// Responses every route may give besides its own.
fn with_common(mut responses: Map<String, Value>, authenticated: bool) -> Value {
    let mut add = |code: &str, text: &str| {
        responses
            .entry(code.to_owned())
            .or_insert_with(|| error_response(text));
    };
    if authenticated {
        add(
            "401",
            "No `Authorization: Bearer <token>` header, or the token is unknown or its device \
             was removed (`unauthorized`).",
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
    Value::Object(responses)
}

fn responses(list: &[(&str, Value)]) -> Map<String, Value> {
    list.iter()
        .map(|(code, v)| ((*code).to_owned(), v.clone()))
        .collect()
}

fn bad_json_responses() -> [(&'static str, Value); 3] {
    [
        (
            "400",
            error_response(
                "The body is not JSON or does not fit the request schema (`invalid_json`), or a \
                 field is out of range (`bad_request`); `message` names the field.",
            ),
        ),
        (
            "413",
            error_response(&format!(
                "The body is larger than {} bytes (`payload_too_large`).",
                crate::BODY_LIMIT
            )),
        ),
        (
            "415",
            error_response(
                "The body was not sent as `Content-Type: application/json` \
                 (`unsupported_media_type`).",
            ),
        ),
    ]
}

fn manager_only() -> (&'static str, Value) {
    (
        "403",
        error_response(
            "The device is a unit officer; only the cluster head or deputy may do this \
             (`forbidden`). Deputies also cannot create or remove head access. Roles are the \
             ones in force: the cluster's `roles` record for its year, else the invite's.",
        ),
    )
}

fn id_path_param(what: &str) -> Value {
    json!({
        "name": "id",
        "in": "path",
        "required": true,
        "description": format!("Id of the {what}."),
        "schema": { "type": "string", "maxLength": 200 }
    })
}

fn paths() -> Value {
    let bearer = json!([{ "bearer": [] }]);
    let open = json!([]);

    let mut join = responses(&[
        (
            "201",
            json_response("Joined: keep the token.", schema_ref("JoinResponse")),
        ),
        (
            "403",
            error_response(
                "The code is unknown (`forbidden`); each failure counts towards the rate limit.",
            ),
        ),
        (
            "410",
            error_response(
                "The invite can no longer be used: `invite_withdrawn` (a head or deputy \
                 withdrew it), `invite_expired`, or `invite_used_up` (joined with `max_uses` \
                 times). Each counts towards the rate limit.",
            ),
        ),
        (
            "429",
            json!({
                "description": "Too many failed joins from this address \
                                (`too_many_requests`); the code was not looked at.",
                "headers": { "Retry-After": {
                    "description": "Seconds to wait.",
                    "schema": { "type": "integer" }
                }},
                "content": { "application/json": { "schema": schema_ref("Error") } }
            }),
        ),
    ]);
    join.extend(responses(&bad_json_responses()));

    let replayed = json!({
        "thidua-replayed": {
            "description": "`true` when this answer is the stored one for a reused `push_id`.",
            "schema": { "type": "string", "enum": ["true"] }
        }
    });
    let mut push = responses(&[
        (
            "200",
            json!({
                "description": "Some or all records were accepted (`rejected` lists the rest).",
                "headers": replayed,
                "content": { "application/json": { "schema": schema_ref("PushResponse") } }
            }),
        ),
        (
            "422",
            json!({
                "description": "Every record was refused: `error` is `rejected`, `message` \
                                names the first problem, `rejected` lists them all.",
                "headers": replayed,
                "content": { "application/json": { "schema": schema_ref("PushResponse") } }
            }),
        ),
    ]);
    push.extend(responses(&bad_json_responses()));

    let pull = responses(&[
        (
            "200",
            json_response("One page of changes.", schema_ref("PullResponse")),
        ),
        (
            "400",
            error_response("`since` or `limit` is not a number or out of range (`bad_request`)."),
        ),
    ]);

    let wait = responses(&[
        (
            "200",
            json_response(
                "Whether the cluster changed after `since`.",
                schema_ref("WaitResponse"),
            ),
        ),
        (
            "400",
            error_response("`since` is not a number or out of range (`bad_request`)."),
        ),
    ]);

    let mut rename = responses(&[("204", json!({ "description": "Renamed." }))]);
    rename.extend(responses(&bad_json_responses()));

    let mut create_invite = responses(&[
        (
            "201",
            json_response(
                "The invite; the code is shown only now.",
                schema_ref("InviteCreated"),
            ),
        ),
        manager_only(),
    ]);
    create_invite.extend(responses(&bad_json_responses()));

    let not_found = |what: &str| {
        (
            "404",
            error_response(&format!("This cluster has no such {what} (`not_found`).")),
        )
    };

    let export = responses(&[
        (
            "200",
            json!({
                "description": "The workbook: sheets \"Tổng hợp\" (per unit: pledged, approved and \
                                points for each criterion, total score, rank), \"Kết quả\" (every \
                                approved entry: unit, kind, date, title, figures) and \"Khen \
                                thưởng\" (award proposals with their votes).",
                "headers": { "Content-Disposition": {
                    "description": "`attachment` with an ASCII `filename` and a UTF-8 `filename*`.",
                    "schema": { "type": "string" }
                }},
                "content": { super::export::XLSX: {
                    "schema": { "type": "string", "contentMediaType": super::export::XLSX }
                }}
            }),
        ),
        (
            "400",
            error_response("`campaign` is missing or not a valid id (`bad_request`)."),
        ),
        not_found("campaign"),
    ]);

    json!({
        "/api/health": { "get": {
            "operationId": "health",
            "summary": "Liveness and store check",
            "tags": ["meta"],
            "security": open,
            "responses": with_common(responses(&[
                ("200", json_response("The server and its store answer.", schema_ref("Health"))),
            ]), false)
        }},
        "/api/openapi.json": { "get": {
            "operationId": "openapi",
            "summary": "This description",
            "tags": ["meta"],
            "security": open,
            "responses": with_common(responses(&[
                ("200", json_response("OpenAPI 3.1 document.", json!({
                    "type": "object",
                    "required": ["openapi", "info", "paths"],
                    "additionalProperties": true
                }))),
            ]), false)
        }},
        "/api/join": { "post": {
            "operationId": "join",
            "summary": "Trade an invite code for a device token",
            "description": "Up to 10 failed attempts from one address within a minute are \
                            looked at; after that one attempt every 6 seconds is (the others get \
                            429 with `Retry-After`), so an office behind one address still gets \
                            in with a correct code. Successful joins do not count. The limit is \
                            checked and a failure recorded in one step, so parallel attempts \
                            cannot pass it.",
            "tags": ["devices"],
            "security": open,
            "requestBody": json_body(schema_ref("JoinRequest")),
            "responses": with_common(join, false)
        }},
        "/api/sync/push": { "post": {
            "operationId": "push",
            "summary": "Send changed records",
            "description": "Checked against the cluster's document in one transaction: every \
                            revision new to the server must be written by the pushing device, \
                            advance its counter, be allowed for the device's unit and role and \
                            carry a valid body. The role is the one in force before the push: \
                            the unit's in the cluster's `roles` record for the cluster's year, \
                            or the invite's when no roles are recorded for that year; only the \
                            head may change who is head (or the cluster's year). A record new \
                            to the server may only be created by the device whose id its id \
                            is derived from (`<device id>-<counter in base 36>`), whatever the \
                            id's use elsewhere; a new record whose every version is a deletion \
                            is accepted and not stored. A version's time (`at`) later than the \
                            server's clock is lowered to it. Each record at most once per push \
                            (else 400), at most 64 concurrent versions per record before and \
                            after the merge and 256 devices per version clock (else that record \
                            is refused as `invalid`). Records failing a check are refused \
                            whole; the rest are merged. Reusing a `push_id` returns the stored \
                            answer without applying anything again.",
            "tags": ["sync"],
            "security": bearer,
            "requestBody": json_body(schema_ref("PushRequest")),
            "responses": with_common(push, true)
        }},
        "/api/sync/pull": { "get": {
            "operationId": "pull",
            "summary": "Records changed since a cursor",
            "tags": ["sync"],
            "security": bearer,
            "parameters": [
                {
                    "name": "since", "in": "query", "required": false,
                    "description": "Cursor from the previous pull, push or snapshot (default 0: \
                                    everything). A cursor ahead of the server starts over at 0.",
                    "schema": { "type": "integer", "minimum": 0, "maximum": u64::MAX, "default": 0 }
                },
                {
                    "name": "limit", "in": "query", "required": false,
                    "description": "Most records in this page.",
                    "schema": {
                        "type": "integer", "minimum": 1, "maximum": MAX_PULL_LIMIT,
                        "default": DEFAULT_PULL_LIMIT
                    }
                }
            ],
            "responses": with_common(pull, true)
        }},
        "/api/sync/wait": { "get": {
            "operationId": "wait",
            "summary": "Wait until the cluster changes",
            "description": "Answers as soon as the caller's cluster has changes after `since` \
                            (at once if it already has), or after about 25 seconds with \
                            `changed: false`. Open devices keep one such request going, so \
                            another device's edit shows in seconds.",
            "tags": ["sync"],
            "security": bearer,
            "parameters": [
                {
                    "name": "since", "in": "query", "required": false,
                    "description": "Cursor of the caller's last pull (default 0).",
                    "schema": { "type": "integer", "minimum": 0, "maximum": u64::MAX, "default": 0 }
                }
            ],
            "responses": with_common(wait, true)
        }},
        "/api/me": { "put": {
            "operationId": "renameDevice",
            "summary": "Rename the calling device",
            "description": "The device's holder types their name after joining, so that the \
                            cluster head lists the device by it.",
            "tags": ["devices"],
            "security": bearer,
            "requestBody": json_body(schema_ref("RenameRequest")),
            "responses": with_common(rename, true)
        }},
        "/api/snapshot": { "get": {
            "operationId": "snapshot",
            "summary": "The cluster's whole document",
            "tags": ["sync"],
            "security": bearer,
            "responses": with_common(responses(&[
                ("200", json_response(
                    "Every record of the cluster, and the cursor to pull from afterwards.",
                    schema_ref("Snapshot"),
                )),
            ]), true)
        }},
        "/api/invites": {
            "post": {
                "operationId": "createInvite",
                "summary": "Create an invite link for a unit and role",
                "tags": ["admin"],
                "security": bearer,
                "requestBody": json_body(schema_ref("InviteRequest")),
                "responses": with_common(create_invite, true)
            },
            "get": {
                "operationId": "listInvites",
                "summary": "The cluster's invites (never their codes), with uses and state",
                "tags": ["admin"],
                "security": bearer,
                "parameters": [{
                    "name": "unit_id", "in": "query", "required": false,
                    "description": "Only this unit's invites.",
                    "schema": schema_ref("RecordId")
                }],
                "responses": with_common(responses(&[
                    ("200", json_response("Oldest first.", json!({
                        "type": "array", "items": schema_ref("InviteInfo")
                    }))),
                    manager_only(),
                ]), true)
            }
        },
        "/api/invites/{id}": { "delete": {
            "operationId": "revokeInvite",
            "summary": "Withdraw an invite (idempotent)",
            "tags": ["admin"],
            "security": bearer,
            "parameters": [id_path_param("invite")],
            "responses": with_common(responses(&[
                ("204", json!({ "description": "Withdrawn; its code no longer joins." })),
                manager_only(),
                not_found("invite"),
            ]), true)
        }},
        "/api/devices": { "get": {
            "operationId": "listDevices",
            "summary": "The cluster's devices",
            "tags": ["admin"],
            "security": bearer,
            "responses": with_common(responses(&[
                ("200", json_response("Oldest first.", json!({
                    "type": "array", "items": schema_ref("DeviceInfo")
                }))),
                manager_only(),
            ]), true)
        }},
        "/api/export/summary.xlsx": { "get": {
            "operationId": "exportSummary",
            "summary": "A campaign's summary as an Excel workbook",
            "description": "For every device of the cluster. Scores follow core's scoring rule; \
                            only approved entries count.",
            "tags": ["export"],
            "security": bearer,
            "parameters": [{
                "name": "campaign", "in": "query", "required": true,
                "description": "Id of a campaign of the cluster.",
                "schema": schema_ref("RecordId")
            }, {
                "name": "lang", "in": "query", "required": false,
                "description": "The language of the workbook's words (default `vi`).",
                "schema": { "type": "string", "enum": ["vi", "en"], "default": "vi" }
            }],
            "responses": with_common(export, true)
        }},
        "/api/devices/{id}": { "delete": {
            "operationId": "revokeDevice",
            "summary": "Remove a device (idempotent); its token gets 401 from then on",
            "description": "The answer names the invite the device joined with. With \
                            `withdraw_invite=true` that invite is withdrawn in the same step, so \
                            its link no longer joins; with `replace_invite=true` a fresh invite \
                            for the same unit and role is made and returned (its code only \
                            here), to hand to the unit's other people.",
            "tags": ["admin"],
            "security": bearer,
            "parameters": [
                id_path_param("device"),
                {
                    "name": "withdraw_invite", "in": "query", "required": false,
                    "description": "Also withdraw the invite the device joined with.",
                    "schema": { "type": "boolean", "default": false }
                },
                {
                    "name": "replace_invite", "in": "query", "required": false,
                    "description": "Also make a fresh invite for the same unit and role.",
                    "schema": { "type": "boolean", "default": false }
                }
            ],
            "responses": with_common(responses(&[
                ("200", json_response("Removed.", schema_ref("DeviceRevoked"))),
                manager_only(),
                not_found("device"),
                ("409", error_response(
                    "The device to remove is the one making the request (`conflict`): a device \
                     cannot remove itself.",
                )),
            ]), true)
        }},
    })
}

fn id_schema(max: usize, what: &str) -> Value {
    json!({
        "type": "string",
        "minLength": 1,
        "maxLength": max,
        "pattern": "^[A-Za-z0-9_-]+$",
        "description": what
    })
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// A campaign's criterion (also frozen into review sessions).
fn criterion() -> Value {
    object(
        &["id", "name", "unit_of_measure", "points"],
        json!({
            "id": text(), "name": text(), "unit_of_measure": text(), "points": uint32(),
            "measure": {
                "type": "string", "enum": ["entries", "figure"], "default": "entries",
                "description": "How approved entries add up toward the target: \
                                `entries` counts them, `figure` adds their main \
                                figure (participants, trees, money)."
            }
        }),
    )
}

fn date() -> Value {
    json!({ "type": "string", "format": "date", "description": "YYYY-MM-DD" })
}

fn text() -> Value {
    json!({ "type": "string" })
}

/// A `u64`: the bounds are part of the type, a larger number is refused.
fn uint() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": u64::MAX })
}

/// A `u32`.
fn uint32() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX })
}

fn nullable(schema: Value) -> Value {
    json!({ "oneOf": [schema, { "type": "null" }] })
}

/// A variant of a `type`- or `kind`-tagged enum.
fn variant(tag: &str, name: &str, required: &[&str], properties: Value) -> Value {
    let mut props = match properties {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    props.insert(tag.to_owned(), json!({ "const": name }));
    let mut req: Vec<&str> = vec![tag];
    req.extend_from_slice(required);
    json!({ "type": "object", "required": req, "properties": props })
}

fn record_schemas(s: &mut Map<String, Value>) {
    let rid = || schema_ref("RecordId");
    s.insert(
        "RecordId".into(),
        id_schema(thidua_core::RecordId::MAX_LEN, "Id of a record (any kind)."),
    );
    s.insert(
        "DeviceId".into(),
        id_schema(thidua_core::DeviceId::MAX_LEN, "Id of a device."),
    );
    let kinds: Vec<String> = thidua_core::Kind::ALL
        .iter()
        .map(ToString::to_string)
        .collect();
    s.insert("Kind".into(), json!({ "type": "string", "enum": kinds }));
    s.insert(
        "Role".into(),
        json!({ "type": "string", "enum": ["head", "deputy", "officer"] }),
    );
    s.insert(
        "VersionVector".into(),
        json!({
            "type": "object",
            "description": "Writes seen per device: device id → counter.",
            "propertyNames": schema_ref("DeviceId"),
            "additionalProperties": uint()
        }),
    );
    s.insert(
        "Record".into(),
        json!({
            "type": "object",
            "required": ["id", "kind", "created_at", "heads"],
            "properties": {
                "id": rid(),
                "kind": schema_ref("Kind"),
                "created_at": { "type": "string", "format": "date-time" },
                "heads": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": thidua_core::MAX_HEADS,
                    "description": "Current versions, winner first; more than one is a conflict.",
                    "items": schema_ref("Revision")
                }
            }
        }),
    );
    s.insert(
        "Revision".into(),
        json!({
            "type": "object",
            "required": ["clock", "author", "at"],
            "properties": {
                "clock": schema_ref("VersionVector"),
                "author": schema_ref("DeviceId"),
                "author_unit": rid(),
                "at": { "type": "string", "format": "date-time" },
                "body": {
                    "description": "The content; `null` or absent marks a deletion.",
                    "oneOf": [schema_ref("Body"), { "type": "null" }]
                }
            }
        }),
    );
    let body_variants = [
        ("cluster", "Cluster"),
        ("unit", "Unit"),
        ("roles", "Roles"),
        ("campaign", "Campaign"),
        ("pledge", "Pledge"),
        ("entry", "Entry"),
        ("review", "Review"),
        ("review_session", "ReviewSession"),
        ("award_proposal", "AwardProposal"),
    ];
    let mapping: Map<String, Value> = body_variants
        .iter()
        .map(|(tag, name)| {
            (
                (*tag).to_owned(),
                json!(format!("#/components/schemas/{name}")),
            )
        })
        .collect();
    s.insert(
        "Body".into(),
        json!({
            "description": "Record content, tagged by `type`.",
            "oneOf": body_variants.iter().map(|(_, n)| schema_ref(n)).collect::<Vec<_>>(),
            "discriminator": { "propertyName": "type", "mapping": mapping }
        }),
    );
    s.insert(
        "Cluster".into(),
        variant(
            "type",
            "cluster",
            &["name", "decision", "year"],
            json!({
                "name": text(),
                "decision": object(&["number", "date", "issuer"], json!({
                    "number": text(), "date": date(), "issuer": text()
                })),
                "year": { "type": "integer", "minimum": i32::MIN, "maximum": i32::MAX }
            }),
        ),
    );
    s.insert(
        "Unit".into(),
        variant(
            "type",
            "unit",
            &["name", "kind"],
            json!({
                "name": text(),
                "kind": { "type": "string", "enum": ["grassroots_union", "enterprise", "agency"] }
            }),
        ),
    );
    s.insert(
        "Roles".into(),
        variant(
            "type",
            "roles",
            &["year", "head"],
            json!({ "year": { "type": "integer", "minimum": i32::MIN, "maximum": i32::MAX }, "head": rid(), "deputy": rid() }),
        ),
    );
    s.insert(
        "Campaign".into(),
        variant(
            "type",
            "campaign",
            &["title", "occasion", "slogan", "start", "end", "criteria"],
            json!({
                "title": text(), "occasion": text(), "slogan": text(),
                "start": date(), "end": date(),
                "criteria": { "type": "array", "items": criterion() }
            }),
        ),
    );
    s.insert(
        "Pledge".into(),
        variant(
            "type",
            "pledge",
            &["campaign", "unit", "targets", "commitments", "signed_on"],
            json!({
                "campaign": rid(), "unit": rid(),
                "targets": { "type": "array", "items": object(
                    &["criterion", "target"],
                    json!({ "criterion": text(), "target": { "type": "number" } }),
                )},
                "commitments": text(),
                "signed_on": date()
            }),
        ),
    );
    s.insert(
        "Entry".into(),
        variant(
            "type",
            "entry",
            &["unit", "campaign", "date", "title", "details"],
            json!({
                "unit": rid(), "campaign": rid(),
                "criterion": text(),
                "date": date(),
                "title": text(),
                "description": { "type": "string", "default": "" },
                "details": schema_ref("EntryDetails"),
                "corrects": rid()
            }),
        ),
    );
    let details = [
        ("initiative", json!({ "value_vnd": uint() })),
        ("research", json!({ "value_vnd": uint() })),
        ("work", json!({})),
        ("training", json!({ "participants": uint32() })),
        (
            "donation",
            json!({ "money_vnd": uint(), "items": text(), "item_count": uint32() }),
        ),
        ("trees", json!({ "count": uint32() })),
        ("event", json!({ "participants": uint32() })),
        ("model", json!({})),
        (
            "advanced_example",
            json!({ "nominee": text(), "collective": { "type": "boolean" } }),
        ),
        ("other", json!({})),
    ];
    let details: Vec<Value> = details
        .into_iter()
        .map(|(name, props)| {
            let required: Vec<String> = props
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let required: Vec<&str> = required.iter().map(String::as_str).collect();
            variant("kind", name, &required, props)
        })
        .collect();
    s.insert(
        "EntryDetails".into(),
        json!({
            "description": "What the entry reports, tagged by `kind`.",
            "oneOf": details,
            "discriminator": { "propertyName": "kind" }
        }),
    );
    s.insert(
        "Review".into(),
        variant(
            "type",
            "review",
            &["entry", "entry_clock", "decision"],
            json!({
                "entry": rid(),
                "entry_clock": schema_ref("VersionVector"),
                "decision": { "oneOf": [
                    variant("kind", "approve", &[], json!({})),
                    variant("kind", "return", &["reason"], json!({ "reason": text() })),
                ], "discriminator": { "propertyName": "kind" } }
            }),
        ),
    );
    s.insert(
        "ReviewSession".into(),
        variant(
            "type",
            "review_session",
            &["campaign", "kind", "date", "rows"],
            json!({
                "campaign": rid(),
                "kind": { "type": "string", "enum": ["six_month", "annual"] },
                "date": date(),
                "criteria": {
                    "type": "array", "items": criterion(),
                    "description": "The campaign's criteria as they stood when the session was \
                                    frozen; absent in sessions frozen before they were kept."
                },
                "rows": { "type": "array", "items": object(
                    &["unit", "criteria", "total", "rank"],
                    json!({
                        "unit": rid(),
                        "criteria": { "type": "array", "items": object(
                            &["criterion", "pledged", "approved", "points"],
                            json!({
                                "criterion": text(),
                                "pledged": { "type": "number" },
                                "approved": { "type": "number" },
                                "points": { "type": "number" }
                            }),
                        )},
                        "total": { "type": "number" },
                        "rank": { "type": "integer", "minimum": 1, "maximum": u32::MAX }
                    }),
                )}
            }),
        ),
    );
    let awards: Vec<Value> = thidua_core::AwardKind::ALL
        .iter()
        .filter_map(|k| serde_json::to_value(k).ok())
        .collect();
    s.insert(
        "AwardProposal".into(),
        variant(
            "type",
            "award_proposal",
            &["kind", "nominee", "reason", "votes"],
            json!({
                "campaign": rid(),
                "kind": { "type": "string", "enum": awards },
                "nominee": { "oneOf": [
                    variant("type", "unit", &["unit"], json!({ "unit": rid() })),
                    variant("type", "person", &["name", "unit"],
                        json!({ "name": text(), "unit": rid() })),
                ], "discriminator": { "propertyName": "type" } },
                "reason": text(),
                "entries": { "type": "array", "items": rid() },
                "votes": object(&["for", "against", "abstain"], json!({
                    "for": uint32(), "against": uint32(), "abstain": uint32()
                }))
            }),
        ),
    );
}

fn api_schemas(s: &mut Map<String, Value>) {
    let error_codes = [
        "bad_request",
        "invalid_json",
        "unsupported_media_type",
        "unauthorized",
        "forbidden",
        "not_found",
        "method_not_allowed",
        "conflict",
        "payload_too_large",
        "too_many_requests",
        "store_unavailable",
        "internal",
    ];
    s.insert(
        "Error".into(),
        json!({
            "type": "object",
            "description": "Every error answer.",
            "required": ["error", "message"],
            "properties": {
                "error": { "type": "string", "enum": error_codes,
                           "description": "Stable machine-readable code." },
                "message": { "type": "string", "description": "Plain English naming the problem." }
            }
        }),
    );
    s.insert(
        "Health".into(),
        object(
            &["status", "version", "store"],
            json!({
                "status": { "const": "ok" },
                "version": text(),
                "store": { "type": "string", "enum": ["sqlite"] }
            }),
        ),
    );
    s.insert(
        "JoinRequest".into(),
        object(
            &["code", "device_name"],
            json!({
                "code": { "type": "string", "description": "The code after `#` in the invite link." },
                "device_name": { "type": "string", "minLength": 1,
                                 "maxLength": super::join::MAX_DEVICE_NAME,
                                 "description": "Shown to managers, e.g. \"Điện thoại chị Lan\"." }
            }),
        ),
    );
    s.insert(
        "JoinResponse".into(),
        object(
            &[
                "token",
                "device_id",
                "cluster_id",
                "cluster_name",
                "unit_id",
                "role",
            ],
            json!({
                "token": { "type": "string", "description": "Bearer token for every other call." },
                "device_id": schema_ref("DeviceId"),
                "cluster_id": schema_ref("RecordId"),
                "cluster_name": text(),
                "unit_id": schema_ref("RecordId"),
                "role": schema_ref("Role")
            }),
        ),
    );
    s.insert(
        "PushRequest".into(),
        object(
            &["push_id", "records"],
            json!({
                "push_id": { "type": "string", "minLength": 1, "maxLength": 100,
                             "pattern": "^[A-Za-z0-9_-]+$",
                             "description": "Chosen by the device per push; reused when retrying it." },
                "records": { "type": "array", "maxItems": MAX_PUSH_RECORDS,
                             "items": schema_ref("Record") }
            }),
        ),
    );
    s.insert(
        "Rejection".into(),
        object(
            &["id", "code", "reason"],
            json!({
                "id": schema_ref("RecordId"),
                "code": { "type": "string", "enum": [
                    "forbidden", "invalid", "foreign_id", "kind_mismatch", "bad_clock", "retry"
                ], "description": "`foreign_id` is no longer sent (only in replays of old \
                                   answers): an id of another cluster is `forbidden` like any \
                                   id the device may not create."},
                "reason": text()
            }),
        ),
    );
    s.insert(
        "PushResponse".into(),
        object(
            &["accepted", "rejected", "cursor"],
            json!({
                "error": { "const": "rejected", "description": "Only when every record was refused (422)." },
                "message": { "type": "string", "description": "Only with `error`." },
                "accepted": { "type": "array", "items": schema_ref("RecordId") },
                "rejected": { "type": "array", "items": schema_ref("Rejection") },
                "cursor": { "type": "integer", "minimum": 0,
                            "description": "The cluster's change cursor after this push." }
            }),
        ),
    );
    s.insert(
        "RenameRequest".into(),
        object(
            &["name"],
            json!({
                "name": { "type": "string", "minLength": 1, "maxLength": 100,
                          "pattern": "\\S", "description": "e.g. \"Nguyễn Thị Lan\"" }
            }),
        ),
    );
    s.insert(
        "WaitResponse".into(),
        object(
            &["changed"],
            json!({
                "changed": { "type": "boolean", "description": "Pull now: the cluster changed." }
            }),
        ),
    );
    s.insert(
        "PullResponse".into(),
        object(
            &["records", "cursor", "more"],
            json!({
                "records": { "type": "array", "items": schema_ref("Record"),
                             "description": "Oldest change first." },
                "cursor": { "type": "integer", "minimum": 0, "description": "Pass as `since` next time." },
                "more": { "type": "boolean", "description": "Another page is waiting." }
            }),
        ),
    );
    s.insert(
        "Snapshot".into(),
        object(
            &["schema", "cluster", "records", "cursor"],
            json!({
                "schema": { "type": "integer", "description": "Document schema version." },
                "cluster": schema_ref("RecordId"),
                "records": { "type": "array", "items": schema_ref("Record") },
                "cursor": { "type": "integer", "minimum": 0 }
            }),
        ),
    );
    s.insert(
        "InviteRequest".into(),
        object(
            &["unit_id", "role"],
            json!({
                "unit_id": schema_ref("RecordId"),
                "role": schema_ref("Role"),
                "expires_in_days": {
                    "type": "integer", "minimum": 1,
                    "maximum": super::admin::MAX_INVITE_DAYS,
                    "default": super::admin::DEFAULT_INVITE_DAYS
                },
                "max_uses": {
                    "type": "integer", "minimum": 1,
                    "maximum": super::admin::MAX_INVITE_USES,
                    "description": "Joins the code allows (default: any number until it expires)."
                }
            }),
        ),
    );
    s.insert(
        "InviteCreated".into(),
        object(
            &["id", "code", "link", "unit_id", "role", "expires_at"],
            json!({
                "id": text(),
                "code": text(),
                "link": { "type": "string", "description": "`/join#<code>`: the code stays in the fragment." },
                "unit_id": schema_ref("RecordId"),
                "role": schema_ref("Role"),
                "expires_at": { "type": "string", "format": "date-time" },
                "max_uses": { "type": "integer", "minimum": 1,
                              "description": "Only when the invite is limited." }
            }),
        ),
    );
    let time = || json!({ "type": "string", "format": "date-time" });
    s.insert(
        "InviteInfo".into(),
        object(
            &[
                "id",
                "unit_id",
                "role",
                "created_by",
                "created_at",
                "expires_at",
                "revoked_at",
                "uses",
                "max_uses",
                "state",
            ],
            json!({
                "id": text(),
                "unit_id": schema_ref("RecordId"),
                "role": schema_ref("Role"),
                "created_by": nullable(schema_ref("DeviceId")),
                "created_at": time(),
                "expires_at": nullable(time()),
                "revoked_at": nullable(time()),
                "uses": { "type": "integer", "minimum": 0, "maximum": u32::MAX,
                          "description": "Devices that joined with it." },
                "max_uses": nullable(json!({ "type": "integer", "minimum": 1 })),
                "state": { "type": "string",
                           "enum": ["active", "withdrawn", "expired", "used_up"],
                           "description": "Whether its code still joins, and why not." }
            }),
        ),
    );
    s.insert(
        "DeviceInfo".into(),
        object(
            &[
                "id",
                "name",
                "unit_id",
                "role",
                "created_at",
                "last_seen_at",
                "revoked_at",
                "invite_id",
            ],
            json!({
                "id": schema_ref("DeviceId"),
                "name": text(),
                "unit_id": schema_ref("RecordId"),
                "role": schema_ref("Role"),
                "created_at": time(),
                "last_seen_at": nullable(time()),
                "revoked_at": nullable(time()),
                "invite_id": nullable(json!({ "type": "string",
                    "description": "The invite it joined with (null for old devices)." }))
            }),
        ),
    );
    s.insert(
        "DeviceRevoked".into(),
        object(
            &["device_id", "invite_id", "invite_withdrawn"],
            json!({
                "device_id": schema_ref("DeviceId"),
                "invite_id": nullable(text()),
                "invite_withdrawn": { "type": "boolean",
                    "description": "Whether that invite no longer joins (withdrawn now or before)." },
                "new_invite": schema_ref("InviteCreated")
            }),
        ),
    );
}

fn build() -> Value {
    let mut schemas = Map::new();
    record_schemas(&mut schemas);
    api_schemas(&mut schemas);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Thi Đua sync API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Offline-first sync for a trade-union emulation cluster. Every error is \
                            `{\"error\": \"<code>\", \"message\": \"<plain English>\"}`. Devices \
                            join with an invite code and then send `Authorization: Bearer <token>`.",
            "license": { "name": "MIT", "identifier": "MIT" }
        },
        "servers": [{ "url": "/" }],
        "tags": [
            { "name": "meta" }, { "name": "devices" }, { "name": "sync" }, { "name": "export" },
            { "name": "admin", "description": "Cluster head and deputy only." },
        ],
        "security": [{ "bearer": [] }],
        "paths": paths(),
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The token from `POST /api/join`."
                }
            },
            "schemas": schemas
        }
    })
}
