//! `Accept-Language` (RFC 9110 §12.5.4): which of the service's two languages the client
//! prefers. Only the primary subtag counts (`zh`, `zh-CN`, `zh-Hans-CN` are Chinese; `en-GB` is
//! English); `q` weights rank the ranges, `*` stands for any language not named; a missing,
//! empty or malformed header means English.

use actix_web::http::header::{HeaderMap, ACCEPT_LANGUAGE};

/// The languages problem details are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English, the default.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The `Content-Language` tag of a response in this language.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
        }
    }

    /// The language a request prefers, from all its `Accept-Language` lines.
    pub fn of_request(headers: &HeaderMap) -> Self {
        let mut lines = Vec::new();
        for value in headers.get_all(ACCEPT_LANGUAGE) {
            match value.to_str() {
                Ok(s) => lines.push(s),
                Err(_) => return Self::En,
            }
        }
        preferred(&lines.join(","))
    }
}

/// One language range of the header: its primary subtag (lower case, or `*`), weight in
/// thousandths and position.
struct Range {
    primary: String,
    q: u16,
    pos: usize,
}

/// The preferred language of an `Accept-Language` value: Chinese only when the client weights it
/// above English, or equally but names it first.
pub fn preferred(header: &str) -> Lang {
    let Some(ranges) = parse(header) else {
        return Lang::En;
    };
    let (qz, pz) = weight(&ranges, "zh");
    let (qe, pe) = weight(&ranges, "en");
    if qz > qe || (qz == qe && qz > 0 && pz < pe) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The weight of `lang` and the position of the range giving it: its own ranges' best, else the
/// wildcard's, else 0.
fn weight(ranges: &[Range], lang: &str) -> (u16, usize) {
    let best = |want: &str| {
        ranges.iter().filter(|r| r.primary == want).fold(None, |acc: Option<(u16, usize)>, r| match acc {
            Some((q, _)) if q >= r.q => acc,
            _ => Some((r.q, r.pos)),
        })
    };
    best(lang).or_else(|| best("*")).unwrap_or((0, usize::MAX))
}

/// The ranges of the header, or `None` when any element is malformed.
fn parse(header: &str) -> Option<Vec<Range>> {
    let mut out = Vec::new();
    // Empty list elements are allowed (RFC 9110 §5.6.1).
    for (pos, item) in header.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
        let mut parts = item.split(';').map(str::trim);
        let tag = parts.next()?;
        if !is_range(tag) {
            return None;
        }
        let mut q = 1000;
        for param in parts {
            let (name, value) = param.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("q") {
                return None;
            }
            q = qvalue(value.trim())?;
        }
        let primary = tag.split('-').next()?.to_ascii_lowercase();
        out.push(Range { primary, q, pos });
    }
    Some(out)
}

/// A language range: `*` or subtags of 1 to 8 letters or digits joined by `-`, the first letters.
fn is_range(tag: &str) -> bool {
    if tag == "*" {
        return true;
    }
    tag.split('-').enumerate().all(|(i, sub)| {
        (1..=8).contains(&sub.len())
            && if i == 0 {
                sub.bytes().all(|b| b.is_ascii_alphabetic())
            } else {
                sub.bytes().all(|b| b.is_ascii_alphanumeric())
            }
    })
}

/// A weight `0`, `0.xyz`, `1` or `1.000` in thousandths.
fn qvalue(s: &str) -> Option<u16> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{frac:0<3}").parse().ok()?;
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_only_when_preferred() {
        for zh in [
            "zh",
            "zh-CN",
            "zh-Hans-CN",
            "ZH-cn",
            "zh-CN,zh;q=0.9,en;q=0.8",
            "fr, zh;q=0.5",
            "en;q=0.5, zh",
            "zh, en",
            "zh, *;q=0.1",
            "*;q=0.5, zh;q=0.6",
            " , zh-TW",
        ] {
            assert_eq!(preferred(zh), Lang::Zh, "{zh}");
        }
        for en in [
            "",
            "*",
            "en",
            "en;q=1, zh;q=0.5",
            "en, zh",
            "en-US,en;q=0.9,zh-CN;q=0.8",
            "zh;q=0",
            "zh;q=0, *",
            "fr",
            "zh;q=2",
            "zh;q=abc",
            "zh;q=0.1234",
            "zh_CN",
            "zh;level=1",
            "zh-",
            "中文",
            "en;q=0.5, zh;q=0.5",
        ] {
            assert_eq!(preferred(en), Lang::En, "{en}");
        }
    }

    #[test]
    fn weights_parse_exactly() {
        assert_eq!(qvalue("0"), Some(0));
        assert_eq!(qvalue("0.5"), Some(500));
        assert_eq!(qvalue("0.05"), Some(50));
        assert_eq!(qvalue("1.000"), Some(1000));
        assert_eq!(qvalue("1.001"), None);
        assert_eq!(qvalue(".5"), None);
        assert_eq!(qvalue("0.-1"), None);
    }
}
