DROP TABLE stat_daily;
