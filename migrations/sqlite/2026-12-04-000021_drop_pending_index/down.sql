CREATE INDEX milestones_pending_idx ON milestones (state, milestone_type, level, county_code, city_code);
