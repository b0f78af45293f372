//! Statements of the write path whose SQL never changes, written out so that diesel keeps them
//! prepared on each connection (one parse per connection; PostgreSQL plans them once it has seen
//! a few).
//!
//! diesel prepares and caches a statement only when its SQL is fixed: it never caches an
//! `UPDATE`, an upsert's `DO UPDATE`, a multi-row insert, an insert of a struct with `Option`
//! fields left to `DEFAULT`, or SQL text it cannot see into — and those are most of a
//! transition's statements. Measured with `bench/statement_times.sh`, parsing and planning them
//! again cost PostgreSQL about a third of an approval's time. Each statement here is a type whose
//! SQL is the same on every call and whose values are bound parameters, so diesel caches it by
//! type; the SQL is common to both backends (the placeholders are the backend's own). The price:
//! their table and column names are text, which the compiler does not check against
//! `schema.rs`; every one of them runs in most integration tests, on both backends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::sql_types::{BigInt, Date, Integer, Nullable, SmallInt, Text, Timestamp};

/// Declares one statement: a struct of its bound values, and the SQL as literals and
/// `(field as SqlType)` binds in order; `returns` gives the SQL type of its `RETURNING` row.
macro_rules! statement {
    (@part $self:ident, $out:ident, $sql:literal) => {
        $out.push_sql($sql);
    };
    (@part $self:ident, $out:ident, ($field:ident as $st:ty)) => {
        $out.push_bind_param::<$st, _>(&$self.$field)?;
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($(#[$fmeta:meta])* $field:ident: $fty:ty as $st:ty),* $(,)? }
        $(returns $ret:ty;)?
        sql [$($part:tt),* $(,)?]
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $fty,)*
        }

        impl diesel::query_builder::QueryId for $name {
            type QueryId = Self;
            const HAS_STATIC_QUERY_ID: bool = true;
        }

        impl<DB> diesel::query_builder::QueryFragment<DB> for $name
        where
            DB: diesel::backend::Backend $(+ diesel::sql_types::HasSqlType<$st>)*,
            $($fty: diesel::serialize::ToSql<$st, DB>,)*
        {
            fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
                $(statement!(@part self, out, $part);)*
                Ok(())
            }
        }

        impl<Conn> diesel::RunQueryDsl<Conn> for $name {}

        $(impl diesel::query_builder::Query for $name {
            type SqlType = $ret;
        })?
    };
}

statement! {
    /// Reserves `n` places at the end of audit chain `chain`; returns the chain's new last
    /// sequence number and the hash of its last entry before them. Locks the chain's head row.
    pub struct AdvanceChain {
        /// The chain.
        chain: i16 as SmallInt,
        /// How many entries will be appended.
        n: i64 as BigInt,
    }
    returns (BigInt, Text);
    sql ["UPDATE audit_chains SET seq = seq + ", (n as BigInt), " WHERE chain = ", (chain as SmallInt), " RETURNING seq, hash"]
}

statement! {
    /// Sets the hash of chain `chain`'s last entry.
    pub struct SetChainHash {
        /// The chain.
        chain: i16 as SmallInt,
        /// The hash of its last entry.
        hash: String as Text,
    }
    sql ["UPDATE audit_chains SET hash = ", (hash as Text), " WHERE chain = ", (chain as SmallInt)]
}

statement! {
    /// Adds one to generation slot `slot` of the statistics cache.
    pub struct BumpGeneration {
        /// The slot.
        slot: i32 as Integer,
    }
    sql ["UPDATE stat_generation_slots SET n = n + 1 WHERE slot = ", (slot as Integer)]
}

statement! {
    /// Adds `n` pending and `publicised` in-公示 records to the `stat_pending` row of
    /// (type, level, county, city), creating it if needed.
    pub struct AddPending {
        /// The milestone type.
        milestone_type: String as Text,
        /// The level (`''` without one).
        level: String as Text,
        /// The county.
        county_code: String as Text,
        /// The city.
        city_code: String as Text,
        /// Change of the pending count.
        n: i64 as BigInt,
        /// Change of the in-公示 count.
        publicised: i64 as BigInt,
    }
    sql [
        "INSERT INTO stat_pending (milestone_type, level, county_code, city_code, n, publicised) VALUES (",
        (milestone_type as Text), ", ", (level as Text), ", ", (county_code as Text), ", ", (city_code as Text), ", ",
        (n as BigInt), ", ", (publicised as BigInt),
        ") ON CONFLICT (milestone_type, level, county_code, city_code) DO UPDATE SET \
         n = stat_pending.n + excluded.n, publicised = stat_pending.publicised + excluded.publicised",
    ]
}

statement! {
    /// Appends a history entry to its milestone, numbered after the milestone's last one.
    pub struct AppendHistory {
        /// Id.
        id: String as Text,
        /// The milestone.
        milestone_id: String as Text,
        /// The action.
        action: String as Text,
        /// State before.
        from_state: Option<String> as Nullable<Text>,
        /// State after.
        to_state: String as Text,
        /// Who acted.
        actor_id: String as Text,
        /// In which role.
        actor_role: String as Text,
        /// When.
        at: NaiveDateTime as Timestamp,
        /// Comment given.
        comment: Option<String> as Nullable<Text>,
        /// Date given.
        effective_on: Option<NaiveDate> as Nullable<Date>,
        /// The stage acted at.
        stage: Option<String> as Nullable<Text>,
    }
    sql [
        "INSERT INTO milestone_history (id, milestone_id, seq, action, from_state, to_state, actor_id, \
         actor_role, at, comment, effective_on, stage) SELECT ",
        (id as Text), ", ", (milestone_id as Text), ", COALESCE(MAX(seq), 0) + 1, ", (action as Text), ", ",
        (from_state as Nullable<Text>), ", ", (to_state as Text), ", ", (actor_id as Text), ", ",
        (actor_role as Text), ", ", (at as Timestamp), ", ", (comment as Nullable<Text>), ", ",
        (effective_on as Nullable<Date>), ", ", (stage as Nullable<Text>),
        " FROM milestone_history WHERE milestone_id = ", (milestone_id as Text),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditRow;
    use crate::queries::events::EventRow;
    use crate::schema::{audit_events, events};
    use diesel::backend::Backend;
    use diesel::pg::Pg;
    use diesel::query_builder::{QueryFragment, QueryId};
    use diesel::sqlite::Sqlite;

    /// What diesel asks before it keeps a statement prepared: a fixed SQL text on both backends.
    fn cached<Q: QueryFragment<Pg> + QueryFragment<Sqlite> + QueryId>(q: &Q) -> bool {
        fn on<DB: Backend, Q: QueryFragment<DB>>(q: &Q, backend: DB) -> bool {
            q.is_safe_to_cache_prepared(&backend).unwrap()
        }
        on(q, Pg) && on(q, Sqlite)
    }

    #[test]
    fn the_write_tails_statements_stay_prepared() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap().and_hms_opt(8, 0, 0).unwrap();
        let s = || "x".to_string();
        // What diesel's own UPDATE would be (the check discriminates).
        use crate::schema::audit_chains;
        use diesel::prelude::*;
        assert!(!cached(
            &diesel::update(audit_chains::table.find(1i16)).set(audit_chains::seq.eq(audit_chains::seq + 1i64))
        ));
        assert!(cached(&AdvanceChain { chain: 1, n: 1 }));
        assert!(cached(&SetChainHash { chain: 1, hash: s() }));
        assert!(cached(&BumpGeneration { slot: 1 }));
        let pending =
            AddPending { milestone_type: s(), level: s(), county_code: s(), city_code: s(), n: 1, publicised: 0 };
        assert!(cached(&pending));
        let history = AppendHistory {
            id: s(),
            milestone_id: s(),
            action: s(),
            from_state: None,
            to_state: s(),
            actor_id: s(),
            actor_role: s(),
            at,
            comment: None,
            effective_on: None,
            stage: None,
        };
        assert!(cached(&history));
        // Rows with empty optional fields are inserted as NULL, not DEFAULT: one SQL text.
        let event = EventRow {
            id: s(),
            seq: None,
            event_type: s(),
            occurred_at: at,
            milestone_id: None,
            enterprise_id: s(),
            county_code: None,
            city_code: None,
            milestone_type: None,
            provider_id: None,
            data: s(),
        };
        assert!(cached(&diesel::insert_into(events::table).values(&event)));
        let audit = AuditRow {
            id: s(),
            chain: 0,
            seq: 1,
            occurred_at: at,
            actor_type: s(),
            actor_id: None,
            actor_role: None,
            action: s(),
            object_type: None,
            object_id: None,
            result: s(),
            detail: None,
            ip: None,
            request_id: None,
            hash: s(),
            prev_hash: s(),
        };
        assert!(cached(&diesel::insert_into(audit_events::table).values(&audit)));
    }
}
