DROP TABLE milestone_history;
DROP TABLE milestones;
