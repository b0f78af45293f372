DROP TABLE stat_known_year;
DROP TABLE stat_known;
