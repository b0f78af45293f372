//! Problem details in the client's language: English, or simplified Chinese when the request's
//! `Accept-Language` prefers `zh` (the console sends it).
//!
//! Errors are built in English everywhere ([`AppError`]); [`localise`], a middleware, renders a
//! problem again in Chinese just before it leaves, so no handler knows about languages. The
//! Chinese comes from tables: a pattern per English message ([`details`], [`rules`]) carries its
//! parameters (a limit, the allowed values, a field name) into a Chinese template, and every
//! problem and field-error code has a general Chinese text ([`codes`]) for a message without a
//! pattern. `code`, `type`, `status` and field names never change. Every problem response says
//! its language (`Content-Language`) and that it depends on `Accept-Language` (`Vary`).

mod accept;
mod codes;
mod details;
mod pattern;
mod rules;
#[cfg(test)]
mod tests;
mod vocabulary;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use serde_json::Value;

pub use accept::{preferred, Lang};

use crate::error::{AppError, FieldError};

/// Middleware: a problem response gets `Content-Language` and `Vary: Accept-Language`, and its
/// body is rendered in Chinese when the request prefers it.
pub async fn localise(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, String>>, actix_web::Error> {
    let lang = Lang::of_request(req.headers());
    let res = next.call(req).await?;
    let Some(problem) = res.response().error().and_then(|e| e.as_error::<AppError>()) else {
        return Ok(res.map_into_left_body());
    };
    let chinese = (lang == Lang::Zh).then(|| chinese_body(problem).to_string());
    let mut res = match chinese {
        Some(body) => res.map_body(|_, _| EitherBody::right(body)),
        None => res.map_into_left_body(),
    };
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    Ok(res)
}

/// The problem-details body of `e` in Chinese: `title`, `detail` and field messages translated,
/// everything else as in English.
pub fn chinese_body(e: &AppError) -> Value {
    let errors: Vec<FieldError> = e
        .field_errors()
        .iter()
        .map(|f| FieldError {
            field: f.field.clone(),
            code: f.code.clone(),
            message: field_message(&f.code, &f.message),
        })
        .collect();
    let detail = match e.code() {
        // Built from the field errors, as `AppError::validation` builds the English one.
        "validation_failed" => match errors.as_slice() {
            [one] => match &one.field {
                Some(f) => format!("`{f}`：{}", one.message),
                None => one.message.clone(),
            },
            many => format!("共有 {} 个字段不符合要求", many.len()),
        },
        code => translate(e.detail()).unwrap_or_else(|| fallback(codes::problem(code), e.detail())),
    };
    let title = codes::title(e.status().as_u16()).unwrap_or_else(|| e.status().canonical_reason().unwrap_or("Error"));
    e.body_with(title, detail, errors)
}

/// The Chinese of field message `message` whose rule is `code`.
pub fn field_message(code: &str, message: &str) -> String {
    translate(message).unwrap_or_else(|| fallback(codes::field(code), message))
}

/// The Chinese of an English message by its most specific matching pattern, if any.
pub fn translate(message: &str) -> Option<String> {
    details::DETAILS
        .iter()
        .chain(rules::RULES)
        .filter_map(|(en, zh)| pattern::captures(en, message, &translate).map(|c| (pattern::specificity(en), zh, c)))
        .max_by_key(|(specificity, _, _)| *specificity)
        .map(|(_, zh, c)| pattern::fill(zh, &c))
}

/// A message without a pattern: its code's general Chinese text, with the English kept after
/// it so that no parameter is lost.
fn fallback(general: Option<&str>, english: &str) -> String {
    format!("{}（{english}）", general.unwrap_or("请求未能完成"))
}
