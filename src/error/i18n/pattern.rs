//! Matching an English message against a pattern with slots and filling the Chinese template.
//!
//! A pattern is the English text with slots: `{}` captures text kept as is (a number, a code,
//! a list of allowed values), `{m}` a nested message translated in turn, `{t}` a serde type
//! description, and `{role}`, `{state}`, `{action}`, `{done}`, `{noun}` words of the domain
//! given their Chinese names. The template names the captures `{0}`, `{1}`, … in order. Of all
//! the patterns that match, the one with the most literal text wins, so the table needs no order.

use super::vocabulary;

/// One piece of a pattern.
enum Piece<'a> {
    Literal(&'a str),
    Slot(&'a str),
}

/// The pieces of `pattern`, or `None` for a slot that is not closed.
fn pieces(pattern: &str) -> Option<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Literal(&rest[..open]));
        }
        let close = rest[open..].find('}')? + open;
        out.push(Piece::Slot(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest));
    }
    Some(out)
}

/// How specific a pattern is: its number of literal characters.
pub fn specificity(pattern: &str) -> usize {
    pieces(pattern)
        .unwrap_or_default()
        .iter()
        .map(|p| if let Piece::Literal(l) = p { l.chars().count() } else { 0 })
        .sum()
}

/// Matches `text` against `pattern`; the captures, each carried into Chinese by its slot's kind.
/// `nested` translates a `{m}` capture.
pub fn captures(pattern: &str, text: &str, nested: &dyn Fn(&str) -> Option<String>) -> Option<Vec<String>> {
    let pieces = pieces(pattern)?;
    let mut out = Vec::new();
    walk(&pieces, text, nested, &mut out).then_some(out)
}

fn walk(pieces: &[Piece<'_>], text: &str, nested: &dyn Fn(&str) -> Option<String>, out: &mut Vec<String>) -> bool {
    match pieces {
        [] => text.is_empty(),
        [Piece::Literal(l), rest @ ..] => text.strip_prefix(l).is_some_and(|t| walk(rest, t, nested, out)),
        [Piece::Slot(kind), rest @ ..] => {
            let ends: Vec<usize> = match rest.first() {
                None => vec![text.len()],
                Some(Piece::Literal(l)) => text.match_indices(l).map(|(i, _)| i).collect(),
                // Two slots side by side cannot be split.
                Some(Piece::Slot(_)) => return false,
            };
            for end in ends.into_iter().filter(|&e| e > 0) {
                let Some(value) = carry(kind, &text[..end], nested) else {
                    continue;
                };
                let before = out.len();
                out.push(value);
                if walk(rest, &text[end..], nested, out) {
                    return true;
                }
                out.truncate(before);
            }
            false
        }
    }
}

/// A capture carried into Chinese by its slot's kind; `None` when a nested message has no
/// translation (the pattern then does not match).
fn carry(kind: &str, s: &str, nested: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    match kind {
        "m" => nested(s),
        "t" => Some(vocabulary::serde_type(s)),
        "" => Some(s.to_string()),
        other => Some(vocabulary::word(other, s).unwrap_or(s).to_string()),
    }
}

/// `template` with `{0}`, `{1}`, … replaced by the captures.
pub fn fill(template: &str, captures: &[String]) -> String {
    let mut out = template.to_string();
    for (i, c) in captures.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn slots_capture_and_backtrack() {
        let c = captures("must be {} or later", "must be 1980-01-01 or later", &none);
        assert_eq!(c, Some(vec!["1980-01-01".to_string()]));
        let c =
            captures("{} is in the future (today is {})", "2030-01-01 is in the future (today is 2024-05-01)", &none);
        assert_eq!(c.as_deref(), Some(&["2030-01-01".to_string(), "2024-05-01".to_string()][..]));
        assert_eq!(captures("must be at most {}", "must be at least 3", &none), None);
        assert_eq!(captures("`{}` {m}", "`q` is bad", &none), None);
        let nested = |s: &str| (s == "is bad").then(|| "不对".to_string());
        assert_eq!(captures("`{}` {m}", "`q` is bad", &nested), Some(vec!["q".into(), "不对".into()]));
        assert_eq!(captures("a {state} b", "a approved b", &none), Some(vec!["已通过".into()]));
        assert_eq!(fill("{0} 至 {1}", &["1".into(), "2".into()]), "1 至 2");
        assert_eq!(specificity("must be {} or {}"), 12);
    }
}
