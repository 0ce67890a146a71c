-- Hazardous: lint reports each statement with its file:line:column.
SET lock_timeout = '2s';
ALTER TABLE invoices ADD COLUMN reference uuid DEFAULT gen_random_uuid();
ALTER TABLE invoices ALTER COLUMN total TYPE numeric(10,2);
CREATE INDEX invoices_issued_at ON invoices (issued_at);
