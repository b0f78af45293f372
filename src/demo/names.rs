//! Word lists for realistic-looking text: company names (place + trade name + industry word +
//! legal form), contact persons, mainland mobile numbers, cloud platforms and review comments.

use rand::seq::SliceRandom;
use rand::Rng;

/// Characters that make up trade names (字号).
const TRADE_CHARS: [&str; 64] = [
    "恒", "达", "华", "鑫", "盛", "泰", "嘉", "瑞", "宏", "源", "丰", "通", "远", "博", "创", "兴", "新", "升", "辰",
    "宇", "锦", "鸿", "正", "永", "信", "德", "利", "安", "凯", "航", "天", "海", "星", "晨", "峰", "立", "浙", "越",
    "之", "江", "万", "金", "银", "嘉", "腾", "龙", "明", "光", "森", "林", "卓", "越", "力", "钧", "诚", "汇", "科",
    "思", "睿", "智", "联", "合", "东", "方",
];

/// Common surnames in Zhejiang, most frequent first (weights ignored: a list with repeats).
const SURNAMES: [&str; 48] = [
    "陈", "王", "张", "李", "吴", "徐", "周", "林", "金", "沈", "叶", "杨", "黄", "朱", "胡", "潘", "蒋", "应", "钱",
    "郑", "方", "何", "俞", "孙", "陈", "王", "张", "李", "吴", "徐", "赵", "刘", "夏", "汪", "章", "楼", "裘", "童",
    "施", "姚", "余", "卢", "丁", "许", "毛", "洪", "项", "戴",
];

/// Characters of given names.
const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平", "刚", "桂", "华", "建", "国", "峰", "斌", "婷", "浩", "晨", "宇", "佳", "欣", "俊", "鹏", "颖", "琳", "志",
    "海", "燕",
];

/// Mobile prefixes of the three carriers.
const MOBILE_PREFIXES: [&str; 30] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "157", "158",
    "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199",
];

/// Cloud platforms with their operators (platform, provider).
pub const CLOUDS: [(&str, &str); 7] = [
    ("阿里云", "阿里云计算有限公司"),
    ("华为云", "华为云计算技术有限公司"),
    ("天翼云", "天翼云科技有限公司"),
    ("移动云", "中国移动通信集团浙江有限公司"),
    ("腾讯云", "腾讯云计算（北京）有限责任公司"),
    ("联通云", "中国联合网络通信有限公司浙江省分公司"),
    ("浙江政务云", "浙江省大数据发展管理局"),
];

/// Industrial-internet platforms enterprises use.
pub const IIP_PLATFORMS: [&str; 6] =
    ["supET工业互联网平台", "阿里云ET工业大脑", "蓝卓工业操作系统", "海尔卡奥斯", "树根互联", "用友精智"];

/// Reasons a reviewer returns a record.
pub const RETURN_REASONS: [&str; 4] = [
    "请补充合同及发票等证明材料",
    "证明材料不清晰，请重新上传",
    "生效日期与证明材料不一致，请核实",
    "项目名称与认定文件不符，请修改",
];

/// Reasons a reviewer rejects a record.
pub const REJECT_REASONS: [&str; 3] = ["不符合认定条件", "与已有记录重复申报", "所附材料无法证明该事项"];

/// Reasons the province revokes an approval.
pub const REVOKE_REASONS: [&str; 3] = ["经复核不再符合认定条件", "企业主动申请撤销", "企业被列入严重违法失信名单"];

/// Comments enterprises give when withdrawing.
pub const WITHDRAW_COMMENTS: [&str; 2] = ["信息填写有误，撤回修改", "材料准备不全，暂缓申报"];

/// Picks one entry of a non-empty list.
pub fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

/// A company name: place + two-character trade name + industry word + legal form,
/// e.g. `宁波恒达电气有限公司`.
pub fn company<R: Rng>(rng: &mut R, place: &str, industry_word: &str, joint_stock: bool) -> String {
    let form = if joint_stock { "股份有限公司" } else { "有限公司" };
    let a = pick(rng, &TRADE_CHARS);
    let mut b = pick(rng, &TRADE_CHARS);
    if a == b {
        b = "达";
    }
    format!("{place}{a}{b}{industry_word}{form}")
}

/// A person's name: surname and one or two given-name characters.
pub fn person<R: Rng>(rng: &mut R) -> String {
    let mut s = String::from(pick(rng, &SURNAMES));
    s.push_str(pick(rng, &GIVEN));
    if rng.gen_bool(0.7) {
        s.push_str(pick(rng, &GIVEN));
    }
    s
}

/// A mainland mobile number (11 digits, 1[3-9]…).
pub fn mobile<R: Rng>(rng: &mut R) -> String {
    format!("{}{:08}", pick(rng, &MOBILE_PREFIXES), rng.gen_range(0..100_000_000u32))
}

/// A recognition document number (文号) of a year.
pub fn document_number<R: Rng>(rng: &mut R, issuer: &str, year: i32) -> String {
    format!("{issuer}〔{year}〕{}号", rng.gen_range(1..300))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactName, LegalName, Phone, PhoneKind};
    use rand::SeedableRng;

    #[test]
    fn generated_text_passes_the_domain_validators() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        for _ in 0..2000 {
            let joint_stock = rng.gen_bool(0.1);
            let name = company(&mut rng, "萧山", "电气", joint_stock);
            assert!(name.starts_with("萧山") && name.ends_with("有限公司"), "{name}");
            LegalName::parse(&name).unwrap();
            ContactName::parse(&person(&mut rng)).unwrap();
            let phone = Phone::parse(&mobile(&mut rng)).unwrap();
            assert_eq!(phone.kind(), PhoneKind::Mobile);
        }
    }
}
