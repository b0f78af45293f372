//! A TCP proxy in front of the test PostgreSQL server that a test can cut and restore, to see
//! the service notice a lost database (503) and recover by itself.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

pub struct PgProxy {
    pub port: u16,
    enabled: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<AbortHandle>>>,
    accept_task: AbortHandle,
}

/// `host:port` of a `postgres://user@host:port/db` URL.
pub fn host_port(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:5432")
    }
}

impl PgProxy {
    pub async fn start(target: String) -> PgProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let enabled = Arc::new(AtomicBool::new(true));
        let conns: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (en, cs) = (enabled.clone(), conns.clone());
        let accept_task = tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    continue;
                };
                if !en.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let target: SocketAddr = match tokio::net::lookup_host(&target).await.ok().and_then(|mut a| a.next()) {
                    Some(a) => a,
                    None => continue,
                };
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                cs.lock().unwrap().push(task.abort_handle());
            }
        })
        .abort_handle();
        PgProxy { port, enabled, conns, accept_task }
    }

    /// Drops every proxied connection and refuses new ones.
    pub fn cut(&self) {
        self.enabled.store(false, Ordering::SeqCst);
        for c in self.conns.lock().unwrap().drain(..) {
            c.abort();
        }
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.enabled.store(true, Ordering::SeqCst);
    }
}

impl Drop for PgProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept_task.abort();
    }
}

impl super::TestApp {
    /// An app on a fresh PostgreSQL database reached through a [`PgProxy`] the test can cut;
    /// `None` when `TEST_DATABASE_URL` is unset.
    pub async fn spawn_behind_proxy() -> Option<(super::TestApp, PgProxy)> {
        let admin = super::pg_admin_url()?;
        let (name, _) = super::create_pg_database().await?;
        let proxy = PgProxy::start(host_port(&admin)).await;
        let base = super::with_database(&admin, &name);
        let via_proxy = base.replacen(&host_port(&admin), &format!("127.0.0.1:{}", proxy.port), 1);
        // No background work: the tests count exactly the database failures their requests meet.
        let quiet = [("BACKGROUND_TASKS", "off")];
        let app = super::TestApp::spawn_on(super::Backend::Postgres, via_proxy, Some(name), None, &quiet).await;
        Some((app, proxy))
    }
}
