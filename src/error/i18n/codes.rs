//! The Chinese text of every stable code: each problem `code` has a general `detail` and each
//! field-error `code` a general `message`, used when a message has no pattern of its own (so no
//! problem is ever sent without Chinese), plus the `title` of each status.

/// A general Chinese `detail` for every problem code.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("already_verified", "该企业已通过核验"),
    ("concurrent_update", "该记录正被同时修改，请重试"),
    ("conflict", "该记录与已有记录冲突"),
    ("cannot_disable_self", "系统管理员不能停用自己的账号"),
    ("duplicate_milestone", "该企业已有同类的有效里程碑记录"),
    ("enterprise_unverified", "企业须经所在市核验后方可提交里程碑"),
    ("forbidden_principal", "当前身份无权执行此操作"),
    ("forbidden_role", "当前角色无权执行此操作"),
    ("hashing_busy", "当前同时校验的登录请求过多，请稍后重试"),
    ("idempotency_key_in_use", "使用该 Idempotency-Key 的另一请求正在处理中，请稍后重试"),
    ("idempotency_key_required", "批量请求须带 Idempotency-Key 请求头"),
    ("idempotency_key_reused", "该 Idempotency-Key 已用于另一个不同的请求，请使用新的键值"),
    ("if_match_required", "请在 If-Match 请求头中提供所读取版本的 ETag"),
    ("internal_error", "系统内部错误，已记录日志"),
    ("invalid_character", "请求中含有不允许的字符"),
    ("invalid_client", "客户端 ID 或密钥错误，或该客户端已被吊销"),
    ("invalid_credentials", "用户名或密码错误，或账号已被锁定或停用"),
    ("invalid_header", "请求头格式不正确"),
    ("invalid_parameter", "请求参数不正确"),
    ("invalid_refresh_token", "刷新令牌无效，请重新登录"),
    ("invalid_token", "访问令牌无效"),
    ("invalid_transition", "该记录当前状态不允许此操作"),
    ("malformed_form", "表单请求体格式不正确"),
    ("malformed_json", "请求体不是有效的 JSON"),
    ("method_not_allowed", "该地址不支持此请求方法"),
    ("missing_token", "缺少访问令牌，请先登录"),
    ("not_a_user", "机器客户端没有用户账号"),
    ("not_editable", "该记录当前状态不允许编辑"),
    ("not_found", "记录不存在"),
    ("outside_own_city", "市级审核人员只能处理本市范围内的事项"),
    ("password_change_required", "请先修改密码后再使用本系统"),
    ("payload_too_large", "请求体过大"),
    ("query_too_long", "查询字符串过长"),
    ("quota_exceeded", "本市该类型本年度的推荐名额已用完"),
    ("refresh_token_expired", "刷新令牌已过期，请重新登录"),
    ("refresh_token_reused", "刷新令牌已被使用过，请重新登录"),
    ("request_timeout", "未能在规定时间内收到完整的请求体"),
    ("route_not_found", "请求的接口不存在"),
    ("service_unavailable", "服务暂时不可用，请稍后重试"),
    ("stale_version", "该记录在您读取后已被修改，请重新读取后再操作"),
    ("statistics_busy", "正在运行的统计查询过多，请稍后重试"),
    ("token_expired", "访问令牌已过期"),
    ("too_many_registrations", "来自该地址的注册请求过多，请稍后再试"),
    ("unreadable_body", "无法读取请求体"),
    ("unsupported_grant_type", "不支持该授权方式"),
    ("unsupported_media_type", "不支持该请求体格式"),
    ("username_taken", "该用户名已被占用"),
    ("uscc_taken", "该统一社会信用代码已有企业注册"),
    ("invalid_list", "名单中有数据行未通过校验，未导入任何内容"),
    ("malformed_csv", "CSV 文件格式不正确"),
    ("missing_columns", "表头缺少必需的列"),
    ("not_utf8", "文件不是 UTF-8 编码的文本，请另存为“CSV UTF-8”后重新导入"),
    ("too_many_rows", "名单行数超过上限"),
    ("unreadable_workbook", "文件不是可读取的 .xlsx 工作簿"),
    ("validation_failed", "提交的内容未通过校验"),
    ("value_out_of_range", "请求中有数值超出可保存的范围"),
    ("value_too_long", "请求中有取值超出可保存的长度"),
];

/// A general Chinese `message` for every field-error code (a field error of a 400 carries the
/// problem's code, found in [`PROBLEMS`]).
pub const FIELDS: &[(&str, &str)] = &[
    ("before_milestone", "不得早于该里程碑的生效日期"),
    ("conflicting_rows", "与前面某行的统一社会信用代码相同，但企业名称或区县不同"),
    ("duplicate_milestone", "该企业已有同类的有效记录"),
    ("duplicate_row", "与前面某行的记录重复"),
    ("duplicate", "重复出现"),
    ("in_future", "不得晚于今天"),
    ("in_past", "不得早于今天"),
    ("incorrect", "与当前密码不符"),
    ("invalid_characters", "含有不允许的字符"),
    ("invalid_city", "不是浙江省的设区市代码"),
    ("invalid_county", "不是浙江省的县级行政区划代码"),
    ("invalid_date", "日期不正确"),
    ("invalid_file_name", "文件名不正确"),
    ("invalid_format", "格式不正确"),
    ("no_effect", "该设置对工作日的计算不起作用"),
    ("invalid_industry", "国民经济行业代码不正确"),
    ("invalid_level", "级别不正确"),
    ("invalid_name", "名称不正确"),
    ("invalid_phone", "电话号码格式不正确"),
    ("invalid_role", "角色不正确"),
    ("invalid_sha256", "SHA-256 摘要格式不正确"),
    ("invalid_size_class", "企业规模不正确"),
    ("invalid_title", "标题不正确"),
    ("invalid_url", "网址不正确"),
    ("invalid_username", "用户名格式不正确"),
    ("invalid_uscc", "统一社会信用代码格式不正确"),
    ("invalid_value", "取值不正确"),
    ("length", "长度不符合要求"),
    ("not_a_city", "不是浙江省的设区市代码"),
    ("not_accepted", "此操作不接受该字段"),
    ("not_allowed", "当前角色不应提供此项"),
    ("out_of_range", "超出允许范围"),
    ("password_contains_username", "密码不得包含用户名"),
    ("password_too_long", "密码过长"),
    ("password_too_short", "密码过短"),
    ("password_too_simple", "密码过于简单"),
    ("password_unchanged", "新密码不得与当前密码相同"),
    ("range", "超出允许范围"),
    ("required", "为必填项"),
    ("too_long", "长度超出上限"),
    ("too_many", "条目数量超出上限"),
    ("too_old", "日期过早"),
    ("unknown_type", "不是有效的里程碑类型"),
    ("url_or_file", "`url` 与 `file_name` 须且只能提供其中一项"),
];

/// The Chinese `title` of each status a problem is sent with.
pub const TITLES: &[(u16, &str)] = &[
    (400, "请求有误"),
    (401, "未通过身份认证"),
    (403, "无权访问"),
    (404, "未找到"),
    (405, "请求方法不被允许"),
    (408, "请求超时"),
    (409, "状态冲突"),
    (412, "前提条件不满足"),
    (413, "请求体过大"),
    (414, "请求地址过长"),
    (415, "不支持的媒体类型"),
    (422, "内容未通过校验"),
    (428, "缺少前提条件"),
    (429, "请求过于频繁"),
    (500, "系统内部错误"),
    (503, "服务暂不可用"),
];

/// The general detail of problem `code`.
pub fn problem(code: &str) -> Option<&'static str> {
    PROBLEMS.iter().find(|(c, _)| *c == code).map(|(_, zh)| *zh)
}

/// The general message of field-error `code` (or of the problem code a 400 repeats).
pub fn field(code: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(c, _)| *c == code).map(|(_, zh)| *zh).or_else(|| problem(code))
}

/// The Chinese title of `status`.
pub fn title(status: u16) -> Option<&'static str> {
    TITLES.iter().find(|(s, _)| *s == status).map(|(_, zh)| *zh)
}
