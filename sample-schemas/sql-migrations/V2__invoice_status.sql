-- Safe: a bounded lock wait, a catalog-only column, a constraint added NOT VALID and validated
-- in its own transaction, and an index built online.
SET lock_timeout = '2s';
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'open';
ALTER TABLE invoices ADD CONSTRAINT invoices_status_known CHECK (status IN ('open', 'paid', 'void')) NOT VALID;
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_status_known;
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_customer_id ON invoices (customer_id);
