//! Where a webhook may point (SSRF, DESIGN §3.10): `https://` — or `http://` outside production —
//! with a host; in production every address the host resolves to must be a public one (no
//! loopback, private, shared, link-local, multicast, broadcast, documentation or unspecified
//! address), checked when the subscription is made and again before every delivery, since DNS
//! can change.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use reqwest::Url;

/// Why a target is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// Parses `url` as a webhook target (`production`: https only).
pub fn parse(url: &str, production: bool) -> Result<Url, Refused> {
    let parsed = Url::parse(url.trim()).map_err(|_| Refused("is not an absolute URL".into()))?;
    match parsed.scheme() {
        "https" => {}
        "http" if !production => {}
        _ => return Err(Refused(if production { "must be https://" } else { "must be https:// or http://" }.into())),
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Refused("has no host".into()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Refused("must not carry credentials".into()));
    }
    Ok(parsed)
}

/// In production, resolves `url`'s host and refuses it unless every address is public.
pub async fn check_addresses(url: &Url, production: bool) -> Result<(), Refused> {
    if !production {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default().trim_matches(|c| c == '[' || c == ']').to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|_| Refused("its host does not resolve".into()))?
            .map(|a| a.ip())
            .collect(),
    };
    if addrs.is_empty() {
        return Err(Refused("its host does not resolve".into()));
    }
    match addrs.iter().find(|ip| !is_public(**ip)) {
        Some(_) => Err(Refused("resolves to a non-public address".into())),
        None => Ok(()),
    }
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10 shared address space (carrier-grade NAT).
        || (a == 100 && (64..128).contains(&b))
        // 198.18.0.0/15 benchmarking, 240.0.0.0/4 reserved.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_are_public() {
        for s in [
            "169.254.169.254",
            "10.0.0.1",
            "127.0.0.1",
            "192.168.1.1",
            "172.16.0.1",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(!is_public(ip(s)), "{s}");
        }
        for s in ["8.8.8.8", "114.114.114.114", "2400:3200::1"] {
            assert!(is_public(ip(s)), "{s}");
        }
    }

    #[test]
    fn production_wants_https() {
        assert!(parse("http://127.0.0.1:9/x", false).is_ok());
        assert!(parse("http://example.com/", true).is_err());
        assert!(parse("https://example.com/hook", true).is_ok());
        assert!(parse("ftp://example.com/", false).is_err());
        assert!(parse("https://user:pw@example.com/", true).is_err());
        assert!(parse("/relative", false).is_err());
    }

    #[tokio::test]
    async fn production_refuses_internal_targets() {
        for u in ["https://169.254.169.254/", "https://10.0.0.1/", "https://localhost/", "https://[::1]/"] {
            let url = parse(u, true).unwrap();
            assert!(check_addresses(&url, true).await.is_err(), "{u}");
        }
    }
}
