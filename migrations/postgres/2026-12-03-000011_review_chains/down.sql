ALTER TABLE milestone_history DROP COLUMN stage;
-- Records in 公示 go back to awaiting review (the old workflow has no such state).
UPDATE milestones SET state = 'submitted' WHERE state = 'publicised';
ALTER TABLE milestones DROP COLUMN batch;
ALTER TABLE milestones DROP COLUMN document_no;
ALTER TABLE milestones DROP COLUMN publicity_ends_on;
ALTER TABLE milestones DROP COLUMN publicity_starts_on;
ALTER TABLE milestones DROP COLUMN stage;
ALTER TABLE milestones DROP COLUMN publicity_days;
ALTER TABLE milestones DROP COLUMN review_chain;
ALTER TABLE milestones DROP CONSTRAINT milestones_state_check;
ALTER TABLE milestones ADD CONSTRAINT milestones_state_check
    CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn', 'revoked'));
ALTER TABLE milestone_types DROP COLUMN publicity_days;
ALTER TABLE milestone_types DROP COLUMN review_chain;
