//! Response headers of an export: `Content-Disposition` with an ASCII `filename` and the Chinese
//! `filename*` (RFC 6266, RFC 8187), and the title and 口径 definition the CSV leaves out, as
//! RFC 8187 extended values (`UTF-8''` then percent-encoded UTF-8).

use crate::stats::reports::report::Report;

use super::table::Scope;

/// `UTF-8''…`: `s` percent-encoded except RFC 8187's attr-chars.
pub fn ext_value(s: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `attachment; filename="progress-PLAN-INDICATOR[-CITY]-YEAR.EXT"; filename*=UTF-8''<名称>…`,
/// the Chinese name being `指标名-地区-年份年-截至D.EXT`.
pub fn content_disposition(r: &Report, scope: &Scope, ext: &str) -> String {
    let q = &r.query;
    let city = if scope.province { String::new() } else { format!("-{}", scope.code) };
    let ascii = format!("progress-{}-{}{city}-{}.{ext}", q.plan, q.indicator, q.year);
    // Plan and indicator codes are ASCII identifiers; anything else is replaced, not quoted.
    let ascii: String =
        ascii.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let region = if scope.province { "全省" } else { &scope.name_zh };
    let chinese = format!("{}-{region}-{}年-截至{}.{ext}", r.name_zh, q.year, q.as_of);
    format!("attachment; filename=\"{ascii}\"; filename*={}", ext_value(&chinese))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_values_encode_everything_but_attr_chars() {
        assert_eq!(ext_value("企业上云-2022.csv"), "UTF-8''%E4%BC%81%E4%B8%9A%E4%B8%8A%E4%BA%91-2022.csv");
        assert_eq!(ext_value("a b\"c;'"), "UTF-8''a%20b%22c%3B%27");
    }
}
