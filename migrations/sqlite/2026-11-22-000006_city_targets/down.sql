DROP TABLE city_targets;
