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

diesel::joinable!(indicators -> plans (plan_code));

diesel::allow_tables_to_appear_in_same_query!(
    divisions,
    milestone_types,
    plans,
    indicators,
    plan_targets,
    indicator_sources,
);
