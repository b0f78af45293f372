//! Diesel table definitions shared by both backends (only portable column types).

diesel::table! {
    /// GB/T 2260 divisions of Zhejiang.
    divisions (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        sort_order -> Integer,
    }
}

diesel::table! {
    /// The milestone catalogue.
    milestone_types (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        levels -> Text,
        multiplicity -> Text,
        exclusive_group -> Nullable<Text>,
        validity_years -> Nullable<Integer>,
        recognised_by -> Text,
        sort_order -> Integer,
        review_chain -> Nullable<Text>,
        publicity_days -> Nullable<Integer>,
    }
}

diesel::table! {
    /// Provincial plans whose targets the service tracks.
    plans (code) {
        code -> Text,
        name_zh -> Text,
        issued -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    /// Plan indicators.
    indicators (plan_code, code) {
        plan_code -> Text,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        unit -> Text,
        kind -> Text,
        baseline_year -> Nullable<Integer>,
        baseline_value -> Nullable<BigInt>,
        sort_order -> Integer,
    }
}

diesel::table! {
    /// Province-wide targets of an indicator, as the plan states them.
    plan_targets (plan_code, indicator_code, seq) {
        plan_code -> Text,
        indicator_code -> Text,
        seq -> Integer,
        target_year -> Nullable<Integer>,
        target_value -> BigInt,
        source_quote -> Text,
    }
}

diesel::table! {
    /// Which milestone types (and levels; empty = all) an indicator counts.
    indicator_sources (plan_code, indicator_code, milestone_type) {
        plan_code -> Text,
        indicator_code -> Text,
        milestone_type -> Text,
        levels -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    enterprises,
    api_clients,
    rate_limits,
    milestones,
    milestone_history,
    refresh_tokens,
    audit_chains,
    audit_anchors,
    audit_events,
    divisions,
    milestone_types,
    plans,
    indicators,
    plan_targets,
    indicator_sources,
    idempotency_keys,
    stat_daily,
    stat_known,
    stat_known_year,
    stat_generation_slots,
    stat_pending,
    city_targets,
    calendar_days,
    calendar_seeded,
    review_quotas,
    events,
    webhooks,
    webhook_deliveries,
    imports,
    providers,
    delegations,
    delegation_types,
);

diesel::table! {
    /// Accounts of people (machine clients are in `api_clients`).
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Nullable<Text>,
        role -> Text,
        enterprise_id -> Nullable<Text>,
        city_code -> Nullable<Text>,
        password_hash -> Text,
        must_change_password -> Bool,
        password_changed_at -> Timestamp,
        disabled -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        county_code -> Nullable<Text>,
        provider_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// Refresh tokens (hashed), grouped in families that rotate on every use.
    refresh_tokens (id) {
        id -> Text,
        family_id -> Text,
        user_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        idle_expires_at -> Timestamp,
        family_expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The head of each of the 64 audit chains.
    audit_chains (chain) {
        chain -> SmallInt,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    /// Anchors: the heads of all audit chains at a moment, hash-chained to the previous anchor.
    audit_anchors (seq) {
        seq -> BigInt,
        made_at -> Timestamp,
        heads -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    /// The append-only, hash-chained audit trail.
    audit_events (id) {
        id -> Text,
        chain -> SmallInt,
        seq -> BigInt,
        occurred_at -> Timestamp,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        action -> Text,
        object_type -> Nullable<Text>,
        object_id -> Nullable<Text>,
        result -> Text,
        detail -> Nullable<Text>,
        ip -> Nullable<Text>,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(indicators -> plans (plan_code));

diesel::table! {
    /// Per-city targets of an indicator for a year, set by the province.
    city_targets (plan_code, indicator_code, year, region_code) {
        plan_code -> Text,
        indicator_code -> Text,
        year -> Integer,
        region_code -> Text,
        value -> BigInt,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::joinable!(city_targets -> divisions (region_code));

diesel::table! {
    /// Registered enterprises.
    enterprises (id) {
        id -> Text,
        uscc -> Text,
        name -> Text,
        county_code -> Text,
        city_code -> Text,
        industry_code -> Nullable<Text>,
        size_class -> Nullable<Text>,
        contact_name -> Text,
        contact_phone -> Text,
        verified -> Bool,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<Text>,
        registered_via -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Enterprises' machine clients (client-credentials grant).
    api_clients (id) {
        id -> Text,
        enterprise_id -> Nullable<Text>,
        name -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        provider_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// Fixed-window rate-limit counters.
    rate_limits (bucket) {
        bucket -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    /// Self-reported milestones and their review state.
    milestones (id) {
        id -> Text,
        enterprise_id -> Text,
        milestone_type -> Text,
        level -> Nullable<Text>,
        effective_on -> Date,
        title -> Text,
        details -> Nullable<Text>,
        evidence -> Nullable<Text>,
        county_code -> Text,
        city_code -> Text,
        state -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        comment -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revoked_effective_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        review_chain -> Nullable<Text>,
        publicity_days -> Nullable<Integer>,
        stage -> Nullable<Text>,
        publicity_starts_on -> Nullable<Date>,
        publicity_ends_on -> Nullable<Date>,
        document_no -> Nullable<Text>,
        batch -> Nullable<Text>,
        recommended_on -> Nullable<Date>,
        priority -> Nullable<Integer>,
        import_id -> Nullable<Text>,
        submitted_by -> Nullable<Text>,
        provider_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// Quotas (推荐名额): how many records of a type a city may recommend to the province stage
    /// in a year.
    review_quotas (milestone_type, year, city_code) {
        milestone_type -> Text,
        year -> Integer,
        city_code -> Text,
        value -> Integer,
        updated_at -> Timestamp,
        updated_by -> Text,
    }
}

diesel::table! {
    /// The event outbox (§3.10): `seq` is null until the assigner numbers the row.
    events (id) {
        id -> Text,
        seq -> Nullable<BigInt>,
        event_type -> Text,
        occurred_at -> Timestamp,
        milestone_id -> Nullable<Text>,
        enterprise_id -> Text,
        county_code -> Nullable<Text>,
        city_code -> Nullable<Text>,
        milestone_type -> Nullable<Text>,
        provider_id -> Nullable<Text>,
        data -> Text,
    }
}

diesel::table! {
    /// Webhook subscriptions (§3.10).
    webhooks (id) {
        id -> Text,
        enterprise_id -> Nullable<Text>,
        provider_id -> Nullable<Text>,
        created_by -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        cursor -> BigInt,
        attempts -> Integer,
        failing_since -> Nullable<Timestamp>,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Delivery attempts of webhook subscriptions.
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        seq -> BigInt,
        attempt -> Integer,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::table! {
    /// Every transition of a milestone, oldest first.
    milestone_history (id) {
        id -> Text,
        milestone_id -> Text,
        seq -> Integer,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        actor_id -> Text,
        actor_role -> Text,
        at -> Timestamp,
        comment -> Nullable<Text>,
        effective_on -> Nullable<Date>,
        stage -> Nullable<Text>,
    }
}

diesel::table! {
    /// First responses of POSTs sent with an `Idempotency-Key`, per principal and key.
    idempotency_keys (principal_id, idem_key) {
        principal_id -> Text,
        idem_key -> Text,
        method -> Text,
        path -> Text,
        request_hash -> Text,
        status -> Integer,
        response_body -> Text,
        response_headers -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Daily changes of counted entities per indicator, region and start year (maintained); a
    /// figure sums its slots (`stats::aggregates::slots`).
    stat_daily (plan_code, indicator_code, region_code, start_year, day, slot) {
        plan_code -> Text,
        indicator_code -> Text,
        region_code -> Text,
        start_year -> Integer,
        day -> Date,
        delta -> BigInt,
        slot -> SmallInt,
    }
}

diesel::table! {
    /// Knowledge history of the statistics: how the daily change in a count, as known, changed at
    /// `known_at`. The table has no key in the database (rows with equal columns add up); the
    /// key below only satisfies diesel.
    stat_known (plan_code, indicator_code, region_code, start_year, day, known_at) {
        plan_code -> Text,
        indicator_code -> Text,
        region_code -> Text,
        start_year -> Integer,
        day -> Date,
        known_at -> Timestamp,
        delta -> BigInt,
    }
}

diesel::table! {
    /// `stat_known` summed per calendar year of `known_at`, by day.
    stat_known_year (plan_code, indicator_code, region_code, known_year, start_year, day, slot) {
        plan_code -> Text,
        indicator_code -> Text,
        region_code -> Text,
        start_year -> Integer,
        known_year -> Integer,
        day -> Date,
        delta -> BigInt,
        slot -> SmallInt,
    }
}

diesel::table! {
    /// Records awaiting review counted by type, level (`''` without levels), county and city.
    stat_pending (milestone_type, level, county_code, city_code) {
        milestone_type -> Text,
        level -> Text,
        county_code -> Text,
        city_code -> Text,
        n -> BigInt,
        publicised -> BigInt,
    }
}

diesel::table! {
    /// Generation of the statistics in 64 slots: every change that can alter one bumps a slot;
    /// the generation is their sum.
    stat_generation_slots (slot) {
        slot -> Integer,
        n -> BigInt,
    }
}

diesel::table! {
    /// The working-day calendar: weekday holidays and make-up working weekends (§3.7).
    calendar_days (day) {
        day -> Date,
        kind -> Text,
        name -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// Every date the embedded schedules have seeded (seeding skips them afterwards).
    calendar_seeded (day) {
        day -> Date,
    }
}

diesel::table! {
    /// Applied imports of official lists (§3.8), one per file (by SHA-256).
    imports (id) {
        id -> Text,
        file_sha256 -> Text,
        media_type -> Text,
        row_count -> Integer,
        created_enterprises -> Integer,
        created_records -> Integer,
        duplicates -> Integer,
        duplicate_rows -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Service providers (云服务商, 工业互联网平台服务商) registered by the province (§3.9).
    providers (id) {
        id -> Text,
        uscc -> Text,
        name -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// An enterprise's delegation of milestone types to a provider (§3.9).
    delegations (id) {
        id -> Text,
        enterprise_id -> Text,
        provider_id -> Text,
        expires_on -> Nullable<Date>,
        created_at -> Timestamp,
        created_by -> Text,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// The types of a delegation, with its provider and enterprise copied for lookups.
    delegation_types (delegation_id, milestone_type) {
        delegation_id -> Text,
        milestone_type -> Text,
        provider_id -> Text,
        enterprise_id -> Text,
        scope_key -> Text,
    }
}

diesel::joinable!(delegation_types -> delegations (delegation_id));
