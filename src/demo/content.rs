//! What a demo record says: its title, details (platform, project, investment, 文号) and
//! evidence, stored in the same JSON shapes the API writes.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use super::generate::{Generator, TypeInfo};
use super::lifecycle::Firm;
use super::names;
use crate::milestones::input::{Details, Evidence};

/// Title, details JSON and evidence JSON of a record.
#[derive(Debug)]
pub struct Content {
    /// One-line title.
    pub title: String,
    /// Details JSON object.
    pub details: Option<String>,
    /// Evidence JSON array.
    pub evidence: Option<String>,
}

/// Chinese label of a level code, for titles.
fn level_zh(level: &str) -> &str {
    match level {
        "on_cloud" => "上云",
        "deep_cloud_use" => "深度用云",
        "benchmark" => "上云标杆",
        "pilot" => "试点",
        "named" => "命名",
        "provincial" => "省级",
        "national" => "国家级",
        "foundational" => "基础性",
        "industry" => "行业级",
        "regional" => "区域级",
        "enterprise" => "企业级",
        "national_cross_sector" => "跨行业跨领域",
        "user" => "应用企业",
        "deep_application_demo" => "深度应用示范",
        "pool" => "培育库",
        "recognised" => "认定",
        "standard" => "国家级",
        "key" => "重点",
        "product" => "单项冠军产品",
        "a_share" => "A股",
        "hk" => "港股",
        "overseas" => "境外",
        "quasi" => "准独角兽",
        "unicorn" => "独角兽",
        other => other,
    }
}

/// The issuer prefix of a recognition's document number, by who recognises the type.
fn issuer(recognised_by: &str) -> &'static str {
    match recognised_by {
        "national" => "工信厅企业函",
        "city" => "市经信发",
        "external" => "证监许可",
        _ => "浙经信企业",
    }
}

fn sha256_hex<R: Rng>(rng: &mut R) -> String {
    let mut bytes = [0u8; 32];
    rng.fill(&mut bytes);
    hex::encode(bytes)
}

impl Generator<'_> {
    /// Title, details and evidence for a record of `code`/`level` effective on `on`.
    pub(super) fn content(
        &mut self,
        firm: &Firm,
        code: &str,
        level: Option<&str>,
        on: NaiveDate,
        info: &TypeInfo,
    ) -> Content {
        let rng = &mut self.rng;
        let year = on.year();
        let mut d = Details::default();
        let (title, file) = match code {
            "cloud_adoption" => {
                let (platform, provider) = names::CLOUDS[rng.gen_range(0..names::CLOUDS.len())];
                d.platform_name = Some(platform.to_string());
                d.provider = Some(provider.to_string());
                let title = match level {
                    Some("deep_cloud_use") => format!("深度用云：核心业务系统迁移至{platform}"),
                    Some("benchmark") => format!("{year}年上云标杆企业（{platform}）"),
                    _ => format!("企业上云（{platform}）"),
                };
                (title, "上云服务合同.pdf")
            }
            "iip_application" => {
                let platform = names::pick(rng, &names::IIP_PLATFORMS);
                d.platform_name = Some(platform.to_string());
                (format!("工业互联网平台{}（{platform}）", level_zh(level.unwrap_or("user"))), "平台服务协议.pdf")
            }
            "digital_workshop" | "smart_factory" | "future_factory" | "intelligent_retrofit_pilot" | "iip_platform" => {
                let what = match code {
                    "digital_workshop" => "数字化车间".to_string(),
                    "smart_factory" => "智能工厂".to_string(),
                    "future_factory" => format!("未来工厂（{}）", level_zh(level.unwrap_or("pilot"))),
                    "intelligent_retrofit_pilot" => {
                        format!("智能化改造示范项目（{}）", level_zh(level.unwrap_or("provincial")))
                    }
                    _ => format!("工业互联网平台（{}）", level_zh(level.unwrap_or("enterprise"))),
                };
                let title = format!("{}{}{what}", firm.place, firm.product);
                d.project_name = Some(title.clone());
                // Investment in whole ten-thousands of yuan, 2–80 million.
                d.investment_cny = Some(f64::from(rng.gen_range(200..8_000u32)) * 10_000.0);
                if code != "digital_workshop" {
                    d.document_number = Some(names::document_number(rng, issuer(&info.recognised_by), year));
                }
                (title, "项目验收报告.pdf")
            }
            _ => {
                let label = level.map(|l| format!("（{}）", level_zh(l))).unwrap_or_default();
                d.document_number = Some(names::document_number(rng, issuer(&info.recognised_by), year));
                (format!("{year}年{}{label}", info.name_zh), "认定文件.pdf")
            }
        };
        let evidence = rng
            .gen_bool(0.6)
            .then(|| Evidence { url: None, file_name: Some(file.to_string()), sha256: Some(sha256_hex(rng)) })
            .and_then(|e| serde_json::to_string(&[e]).ok());
        Content { title, details: serde_json::to_string(&d).ok(), evidence }
    }
}
