//! Chinese names of the words English messages are built from: roles, milestone states, stages and
//! actions, the things a 404 names, and serde's type descriptions.

/// The Chinese name of `word` of `kind` (`role`, `state`, `action`, `done`, `noun`, `what`).
pub fn word(kind: &str, word: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match kind {
        "role" => &[
            ("enterprise", "企业用户"),
            ("city_reviewer", "市级审核人员"),
            ("county_reviewer", "县级审核人员"),
            ("province_officer", "省级主管部门人员"),
            ("provider", "服务商"),
            ("sysadmin", "系统管理员"),
            ("auditor", "审计人员"),
        ],
        "state" => &[
            ("draft", "草稿"),
            ("submitted", "已提交"),
            ("returned", "已退回"),
            ("publicised", "公示中"),
            ("approved", "已通过"),
            ("rejected", "已驳回"),
            ("withdrawn", "已撤回"),
            ("revoked", "已撤销"),
        ],
        "action" => &[
            ("submit", "提交"),
            ("withdraw", "撤回"),
            ("approve", "审核通过"),
            ("reject", "驳回"),
            ("return", "退回"),
            ("revoke", "撤销"),
            ("object", "提出异议"),
        ],
        // The past participle of an action (`cannot be approved`).
        "done" => &[
            ("submitted", "提交"),
            ("withdrawn", "撤回"),
            ("approved", "审核通过"),
            ("rejected", "驳回"),
            ("returned", "退回"),
            ("revoked", "撤销"),
            ("objected to", "提出异议"),
        ],
        "noun" => &[
            ("enterprise", "企业"),
            ("milestone", "里程碑记录"),
            ("milestone type", "里程碑类型"),
            ("user", "用户"),
            ("client", "接入客户端"),
            ("provider", "服务商"),
            ("delegation", "委托"),
            ("indicator", "指标"),
            ("resource", "记录"),
            ("city statistics", "该市统计数据"),
        ],
        "stage" => &[("county", "区县初审"), ("city", "市级推荐"), ("province", "省级认定")],
        // The subject of a text-field rule (`the legal name must have …`).
        "what" => &[("the contact name", "联系人姓名"), ("the legal name", "企业名称")],
        _ => &[],
    };
    table.iter().find(|(en, _)| *en == word).map(|(_, zh)| *zh)
}

/// A serde type description (`a string`, `u32`, `one of `a`, `b``) in Chinese; kept as is when
/// unknown (it names Rust types or wire values, which the reader can still act on).
pub fn serde_type(s: &str) -> String {
    let known = match s {
        "a string" | "string" | "a borrowed string" => "字符串",
        "integer" | "i8" | "i16" | "i32" | "i64" | "isize" | "an integer" => "整数",
        "u8" | "u16" | "u32" | "u64" | "usize" => "非负整数",
        "f32" | "f64" | "floating point" | "a number" => "数字",
        "a boolean" | "boolean" => "布尔值",
        "a sequence" | "sequence" => "数组",
        "a map" | "map" => "对象",
        "null" => "null",
        "unit value" | "unit" => "空值",
        "character" | "a character" => "单个字符",
        "another type" => "其他类型",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    if s.starts_with("struct ") {
        return "对象".to_string();
    }
    if let Some(list) = s.strip_prefix("one of ") {
        return format!("以下之一：{}", list.replace("`, `", "`、`"));
    }
    s.replace("` or `", "` 或 `")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_types() {
        assert_eq!(word("role", "city_reviewer"), Some("市级审核人员"));
        assert_eq!(word("role", "nobody"), None);
        assert_eq!(serde_type("u32"), "非负整数");
        assert_eq!(serde_type("one of `a`, `b`"), "以下之一：`a`、`b`");
        assert_eq!(serde_type("`a` or `b`"), "`a` 或 `b`");
    }
}
