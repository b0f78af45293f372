DROP TABLE stat_pending;
