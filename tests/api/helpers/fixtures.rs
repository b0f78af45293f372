//! Per-role fixtures: accounts made directly (as the `create-user` command does) and logged in
//! through the real API.

use enterprise_registry::accounts::{self, RawAccount};
use serde_json::{json, Value};

use super::{TestApp, TestResponse};

/// The password every fixture account gets.
pub const PASSWORD: &str = "Test-Passw0rd!x";

impl TestApp {
    /// Creates an account that need not change its password; returns its id. `region` is the
    /// reviewer's city (`city_reviewer`) or county (`county_reviewer`), or the provider's id
    /// (`provider`).
    pub async fn create_user(
        &self,
        username: &str,
        role: &str,
        region: Option<&str>,
        enterprise: Option<&str>,
    ) -> String {
        let county = role == "county_reviewer";
        let provider = role == "provider";
        let raw = RawAccount {
            username: username.into(),
            password: PASSWORD.into(),
            role: role.into(),
            enterprise_id: enterprise.map(Into::into),
            city_code: region.filter(|_| !county && !provider).map(Into::into),
            county_code: region.filter(|_| county).map(Into::into),
            provider_id: region.filter(|_| provider).map(Into::into),
            display_name: None,
        };
        let reference = self.state.reference.clone();
        self.state
            .db
            .write(move |c| accounts::create_direct(c, raw, &reference, false))
            .await
            .unwrap_or_else(|e| panic!("create {username}: {e}"))
            .id
    }

    /// `POST /auth/login`.
    pub async fn login(&self, username: &str, password: &str) -> TestResponse {
        self.post("/api/v1/auth/login", &json!({"username": username, "password": password}), None).await
    }

    /// Logs in and returns the access token.
    pub async fn token(&self, username: &str) -> String {
        let res = self.login(username, PASSWORD).await;
        assert_eq!(res.status, 200, "login {username}: {}", res.text);
        res.body["access_token"].as_str().unwrap().to_string()
    }

    /// Creates an account of `role` (with scope) and returns its access token.
    pub async fn token_for(
        &self,
        username: &str,
        role: &str,
        region: Option<&str>,
        enterprise: Option<&str>,
    ) -> String {
        self.create_user(username, role, region, enterprise).await;
        self.token(username).await
    }

    /// Logs in with an explicit password and returns the access token.
    pub async fn token_for_password(&self, username: &str, password: &str) -> String {
        let res = self.login(username, password).await;
        assert_eq!(res.status, 200, "login {username}: {}", res.text);
        res.body["access_token"].as_str().unwrap().to_string()
    }

    /// Creates a verified enterprise through the API as `official`; returns its id.
    pub async fn create_enterprise(&self, official: &str, n: u32, county: &str) -> String {
        let res = self.post("/api/v1/enterprises", &enterprise_body(n, county), Some(official)).await;
        assert_eq!(res.status, 201, "create enterprise {n}: {}", res.text);
        res.body["id"].as_str().unwrap().to_string()
    }
}

/// A valid USCC numbered `n` (registering office 330100).
pub fn uscc(n: u32) -> String {
    enterprise_registry::domain::Uscc::complete(&format!("91330100{n:08}")).expect("valid body").as_str().to_string()
}

/// A valid enterprise profile numbered `n` in `county`.
pub fn enterprise_body(n: u32, county: &str) -> Value {
    json!({
        "uscc": uscc(n),
        "name": format!("浙江测试企业{n}有限公司"),
        "county_code": county,
        "industry_code": "C39",
        "size_class": "medium",
        "contact_name": "张伟",
        "contact_phone": "13812341234",
    })
}
