DROP TABLE indicator_sources;
DROP TABLE plan_targets;
DROP TABLE indicators;
DROP TABLE plans;
DROP TABLE milestone_types;
DROP TABLE divisions;
