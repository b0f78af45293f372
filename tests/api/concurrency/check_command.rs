//! `rebuild-stats --check` (issue 12): on a database whose aggregates agree with the records it
//! succeeds and changes nothing; after rows of each maintained table are altered behind the
//! service's back it fails naming each of them; `rebuild-stats` repairs them.

use diesel::RunQueryDsl;
use enterprise_registry::cli::{self, Command};
use enterprise_registry::config::Settings;
use serde_json::json;

use crate::helpers::world::{milestone, World};
use crate::helpers::{Backend, TestApp};

/// Runs `rebuild-stats [--check]` against the test's database, as the command line would.
async fn rebuild_stats(app: &TestApp, check: bool) -> Result<(), String> {
    let url = app.database_url.clone();
    let settings = Settings::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    cli::run(Command::RebuildStats { check }, settings).await
}

async fn check_reports_every_table_and_rebuild_repairs(app: &TestApp) {
    // Written for city-only review: a city approval is final.
    app.city_only_reviews().await;
    let w = World::new(app).await;
    for (kind, level, on) in [("cloud_adoption", Some("on_cloud"), "2021-03-01"), ("eagle", None, "2022-05-01")] {
        let id = app.draft_id(&w.ent, &w.enterprise, &milestone(kind, level, on)).await;
        app.act_ok(&w.ent, &id, "submit", json!({})).await;
        app.act_ok(&w.rev_hz, &id, "approve", json!({})).await;
    }
    let pending = app.draft_id(&w.ent, &w.enterprise, &milestone("smart_factory", None, "2023-01-01")).await;
    app.act_ok(&w.ent, &pending, "submit", json!({})).await;
    assert_eq!(rebuild_stats(app, true).await, Ok(()));

    for sql in [
        "UPDATE stat_daily SET delta = delta + 1 WHERE indicator_code = 'cloud_adoption_enterprises' \
         AND region_code = '330000' AND start_year = 0",
        "DELETE FROM stat_known WHERE indicator_code = 'eagle_enterprises'",
        "UPDATE stat_known_year SET delta = delta + 7 WHERE indicator_code = 'cloud_adoption_enterprises'",
        "UPDATE stat_pending SET n = n + 2 WHERE milestone_type = 'smart_factory'",
    ] {
        app.state.db.write(move |c| Ok(diesel::sql_query(sql).execute(c)?)).await.unwrap();
    }
    let differences = app.state.db.run(enterprise_registry::stats::aggregates::check::check).await.unwrap();
    let tables: std::collections::BTreeSet<&str> = differences.iter().map(|d| d.table).collect();
    let all = ["stat_daily", "stat_known", "stat_known_year", "stat_pending"];
    assert_eq!(tables, all.into_iter().collect(), "{differences:#?}");
    let daily = differences.iter().find(|d| d.table == "stat_daily").unwrap();
    assert_eq!(daily.stored, daily.expected + 1, "{daily}");
    let err = rebuild_stats(app, true).await.unwrap_err();
    assert!(err.starts_with(&format!("{} difference(s)", differences.len())), "{err}");

    assert_eq!(rebuild_stats(app, false).await, Ok(()));
    assert_eq!(rebuild_stats(app, true).await, Ok(()));
}

/// The command line beside a busy service: while three writers create, submit and approve
/// records, `rebuild-stats --check` runs again and again (and on SQLite, where a rebuild is one
/// writer among the others, `rebuild-stats` in between), and each command and request succeeds —
/// a check sees one snapshot, and on SQLite a second connection's transaction never meets one of
/// the service's commits between its first read and its first write (a deferred `BEGIN` there
/// fails at once with "database is locked"). Afterwards the aggregates agree with the records.
/// On PostgreSQL no lock keeps writers out of a rebuild, so it is not run beside them here.
async fn the_command_line_runs_beside_a_busy_service(app: &TestApp) {
    app.city_only_reviews().await;
    let w = World::new(app).await;
    let writer = |n: u32| {
        let w = &w;
        async move {
            for k in 0..12 {
                let on = format!("2023-{:02}-01", 1 + (n + k) % 12);
                let id = app.draft_id(&w.ent, &w.enterprise, &milestone("digital_workshop", None, &on)).await;
                app.act_ok(&w.ent, &id, "submit", json!({})).await;
                app.act_ok(&w.rev_hz, &id, "approve", json!({})).await;
            }
        }
    };
    let commands = async {
        let mut outcomes = Vec::new();
        for i in 0..8 {
            let check = i % 2 == 0 || app.backend == Backend::Postgres;
            outcomes.push((i, rebuild_stats(app, check).await));
        }
        outcomes
    };
    let (_, _, _, outcomes) = tokio::join!(writer(0), writer(1), writer(2), commands);
    for (i, outcome) in outcomes {
        assert_eq!(outcome, Ok(()), "command {i}");
    }
    assert_eq!(rebuild_stats(app, true).await, Ok(()));
}

both_backends!(check_reports_every_table_and_rebuild_repairs);
both_backends!(the_command_line_runs_beside_a_busy_service);
