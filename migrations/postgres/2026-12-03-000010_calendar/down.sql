DROP TABLE calendar_seeded;
DROP TABLE calendar_days;
