//! `import FILE [--dry-run]`: an official list imported by an operator, as `POST /api/v1/imports`
//! imports it (the same function, checks and report), by `system`. The report is printed as JSON
//! on standard output; on a terminal, standard error shows the rows read as they are checked.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::audit::{Actor, RequestMeta};
use crate::config::Settings;
use crate::db::{migrations, Db};
use crate::error::AppError;
use crate::imports::read::{Format, MAX_BYTES};
use crate::imports::{import, Importer, Outcome};
use crate::reference::Reference;

use super::{describe, Import};

/// Runs `import`.
pub async fn run(args: Import, settings: &Settings) -> Result<(), String> {
    let name = args.file.display().to_string();
    let format = Format::of_file_name(&name).ok_or_else(|| format!("{name}: the list must be a .csv or .xlsx file"))?;
    let size = std::fs::metadata(&args.file).map_err(|e| format!("{name}: {e}"))?.len();
    if size > MAX_BYTES as u64 {
        return Err(format!("{name}: a list may have at most {MAX_BYTES} bytes (20 MiB), this one has {size}"));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{name}: {e}"))?;
    let reference = Arc::new(Reference::load()?);
    let db = Db::connect(&settings.database)?;
    db.run(|conn| migrations::run(conn).map_err(|e| AppError::internal(e.to_string())))
        .await
        .map_err(|e| format!("migrations failed: {e}"))?;
    let by = Importer {
        id: "system".into(),
        role: "system".into(),
        actor: Actor::System("cli"),
        meta: RequestMeta { ip: None, request_id: None },
        now: crate::clock::now(),
        today: crate::clock::today_shanghai(),
    };
    let terminal = std::io::stderr().is_terminal();
    let dry_run = args.dry_run;
    let outcome = db
        .write(move |c| {
            let progress = |n: usize| {
                if terminal {
                    eprint!("\r{name}: {n} rows checked");
                }
            };
            import(c, &by, &reference, &Arc::default(), format, &bytes, dry_run, &progress)
        })
        .await;
    if terminal {
        eprintln!();
    }
    let mut out = std::io::stdout().lock();
    match outcome {
        Ok(Outcome::Replayed(report)) => {
            eprintln!("this file was imported before: its report (nothing written)");
            let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            let _ = writeln!(out, "{text}");
            Ok(())
        }
        Ok(Outcome::Applied(report) | Outcome::DryRun(report)) => {
            let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            let _ = writeln!(out, "{text}");
            Ok(())
        }
        Err(e) if e.code() == "invalid_list" => {
            let _ = writeln!(out, "{:#}", e.body()["report"]);
            Err(e.detail().to_string())
        }
        Err(e) => Err(describe(&e)),
    }
}
