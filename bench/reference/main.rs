//! The reference service of the benchmarks (issue 19): the least an actix-web + diesel service
//! does for the registry's two hottest requests, run side by side with the registry on the same
//! database so that `bench/run.sh` can report the registry's throughput as a ratio of it.
//!
//! - `GET /api/v1/milestones/{id}`: a bearer JWT checked as the registry checks it (HS256, pinned
//!   issuer and audience, expiry), then one primary-key read of the record.
//! - `POST /api/v1/milestones/{id}/approve`: the same check, then one transaction with a
//!   conditional update (`submitted` → `approved`) and a per-city counter upsert.
//!
//! No history, audit, statistics, scope or idempotency: what the registry does beyond this is
//! what the ratio prices. Settings: `DATABASE_URL` (`postgres://…` or `sqlite:///path`), `BIND`,
//! `JWT_SECRET` (the registry's), `POOL` (connections, default 8).
//!
//! `cargo run --release --example reference` (bench/run.sh builds and starts it).

// A start-up binary of the benchmarks: a setting or a database that is not there ends it.
#![allow(clippy::expect_used)]

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::Text;
use enterprise_registry::auth::tokens::{AUDIENCE, ISSUER};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};

/// The two backends, chosen by the URL's scheme.
#[derive(Clone)]
enum Db {
    Pg(Pool<ConnectionManager<PgConnection>>),
    Sqlite(Pool<ConnectionManager<SqliteConnection>>, std::sync::Arc<std::sync::Mutex<()>>),
}

/// What the handlers share.
struct Shared {
    db: Db,
    key: DecodingKey,
    validation: Validation,
}

#[derive(Deserialize)]
struct Claims {
    #[allow(dead_code)]
    sub: String,
}

/// The columns a record read returns.
#[derive(QueryableByName, Serialize)]
struct Record {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    enterprise_id: String,
    #[diesel(sql_type = Text)]
    milestone_type: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    county_code: String,
    #[diesel(sql_type = Text)]
    city_code: String,
}

#[derive(QueryableByName)]
struct City {
    #[diesel(sql_type = Text)]
    city_code: String,
}

const READ_PG: &str = "SELECT id, enterprise_id, milestone_type, state, version, title, county_code, city_code \
                       FROM milestones WHERE id = $1";
const READ_SQLITE: &str = "SELECT id, enterprise_id, milestone_type, state, version, title, county_code, city_code \
                           FROM milestones WHERE id = ?";
const APPROVE_PG: &str = "UPDATE milestones SET state = 'approved', version = version + 1 \
                          WHERE id = $1 AND state = 'submitted' RETURNING city_code";
const APPROVE_SQLITE: &str = "UPDATE milestones SET state = 'approved', version = version + 1 \
                              WHERE id = ? AND state = 'submitted' RETURNING city_code";
const COUNT_PG: &str = "INSERT INTO ref_counters (key, n) VALUES ($1, 1) \
                        ON CONFLICT (key) DO UPDATE SET n = ref_counters.n + 1";
const COUNT_SQLITE: &str = "INSERT INTO ref_counters (key, n) VALUES (?, 1) \
                            ON CONFLICT (key) DO UPDATE SET n = ref_counters.n + 1";
const COUNTERS: &str = "CREATE TABLE IF NOT EXISTS ref_counters (key TEXT PRIMARY KEY, n BIGINT NOT NULL)";

fn authorised(shared: &Shared, req: &HttpRequest) -> bool {
    let token =
        req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    token.is_some_and(|t| decode::<Claims>(t, &shared.key, &shared.validation).is_ok())
}

fn read(db: &Db, id: String) -> QueryResult<Option<Record>> {
    match db {
        Db::Pg(pool) => {
            let mut c = pool.get().map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            diesel::sql_query(READ_PG).bind::<Text, _>(id).get_result(&mut c).optional()
        }
        Db::Sqlite(pool, _) => {
            let mut c = pool.get().map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            diesel::sql_query(READ_SQLITE).bind::<Text, _>(id).get_result(&mut c).optional()
        }
    }
}

fn approve(db: &Db, id: String) -> QueryResult<bool> {
    match db {
        Db::Pg(pool) => {
            let mut c = pool.get().map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            c.transaction(|c| {
                let city: Option<City> = diesel::sql_query(APPROVE_PG).bind::<Text, _>(id).get_result(c).optional()?;
                let Some(city) = city else { return Ok(false) };
                diesel::sql_query(COUNT_PG).bind::<Text, _>(city.city_code).execute(c)?;
                Ok(true)
            })
        }
        Db::Sqlite(pool, writer) => {
            let mut c = pool.get().map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
            // One writer at a time, as the registry's `Db::write` does on SQLite.
            let _one = writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            c.immediate_transaction(|c| {
                let city: Option<City> =
                    diesel::sql_query(APPROVE_SQLITE).bind::<Text, _>(id).get_result(c).optional()?;
                let Some(city) = city else { return Ok(false) };
                diesel::sql_query(COUNT_SQLITE).bind::<Text, _>(city.city_code).execute(c)?;
                Ok(true)
            })
        }
    }
}

async fn get(shared: web::Data<Shared>, req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    if !authorised(&shared, &req) {
        return HttpResponse::Unauthorized().finish();
    }
    let db = shared.db.clone();
    match web::block(move || read(&db, id.into_inner())).await {
        Ok(Ok(Some(r))) => HttpResponse::Ok().json(r),
        Ok(Ok(None)) => HttpResponse::NotFound().finish(),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

async fn post_approve(shared: web::Data<Shared>, req: HttpRequest, id: web::Path<String>) -> HttpResponse {
    if !authorised(&shared, &req) {
        return HttpResponse::Unauthorized().finish();
    }
    let db = shared.db.clone();
    match web::block(move || approve(&db, id.into_inner())).await {
        Ok(Ok(true)) => HttpResponse::Ok().json(serde_json::json!({"state": "approved"})),
        Ok(Ok(false)) => HttpResponse::Conflict().finish(),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

fn connect(url: &str, size: u32) -> Db {
    if let Some(path) = url.strip_prefix("sqlite://") {
        #[derive(Debug)]
        struct Pragmas;
        impl diesel::r2d2::CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
            fn on_acquire(&self, c: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
                use diesel::connection::SimpleConnection;
                c.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
                    .map_err(diesel::r2d2::Error::QueryError)
            }
        }
        let pool = Pool::builder()
            .max_size(size)
            .connection_customizer(Box::new(Pragmas))
            .build(ConnectionManager::<SqliteConnection>::new(path))
            .expect("SQLite pool");
        Db::Sqlite(pool, std::sync::Arc::new(std::sync::Mutex::new(())))
    } else {
        let pool = Pool::builder().max_size(size).build(ConnectionManager::<PgConnection>::new(url)).expect("pool");
        Db::Pg(pool)
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:18091".into());
    let secret = std::env::var("JWT_SECRET").expect("JWT_SECRET (the registry's)");
    let size = std::env::var("POOL").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let db = connect(&url, size);
    match &db {
        Db::Pg(p) => diesel::sql_query(COUNTERS).execute(&mut p.get().expect("connection")),
        Db::Sqlite(p, _) => diesel::sql_query(COUNTERS).execute(&mut p.get().expect("connection")),
    }
    .expect("ref_counters");
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    let shared = web::Data::new(Shared { db, key: DecodingKey::from_secret(secret.as_bytes()), validation });
    HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .route("/healthz", web::get().to(HttpResponse::Ok))
            .route("/api/v1/milestones/{id}", web::get().to(get))
            .route("/api/v1/milestones/{id}/approve", web::post().to(post_approve))
    })
    .bind(bind)?
    .run()
    .await
}
