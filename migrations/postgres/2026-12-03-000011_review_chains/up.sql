-- Review chains and 公示 (§3.7). A type's chain (`city>province`) and 公示 length in working
-- days; null until the start-up seeding fills them from the embedded catalogue (types the
-- province added are then `city`, 0), after which the province's changes are kept.
ALTER TABLE milestone_types ADD COLUMN review_chain TEXT;
ALTER TABLE milestone_types ADD COLUMN publicity_days INTEGER CHECK (publicity_days BETWEEN 0 AND 30);

-- A record keeps the chain and days it was submitted under, the stage it waits at while
-- submitted, its 公示 period, and the final approver's 文号 and batch. A record submitted before
-- chains existed was reviewed by its city alone.
ALTER TABLE milestones DROP CONSTRAINT milestones_state_check;
ALTER TABLE milestones ADD CONSTRAINT milestones_state_check
    CHECK (state IN ('draft', 'submitted', 'returned', 'publicised', 'approved', 'rejected', 'withdrawn', 'revoked'));
ALTER TABLE milestones ADD COLUMN review_chain TEXT;
ALTER TABLE milestones ADD COLUMN publicity_days INTEGER;
ALTER TABLE milestones ADD COLUMN stage TEXT CHECK (stage IN ('county', 'city', 'province'));
ALTER TABLE milestones ADD COLUMN publicity_starts_on DATE;
ALTER TABLE milestones ADD COLUMN publicity_ends_on DATE;
ALTER TABLE milestones ADD COLUMN document_no TEXT;
ALTER TABLE milestones ADD COLUMN batch TEXT;
UPDATE milestones SET review_chain = 'city', publicity_days = 0 WHERE submitted_at IS NOT NULL;
UPDATE milestones SET stage = 'city' WHERE state = 'submitted';

-- The stage a `recommend` (or any stage decision) was taken at.
ALTER TABLE milestone_history ADD COLUMN stage TEXT;
