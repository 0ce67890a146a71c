-- The labelled lint corpus: statements written for Migrator's tests, each with its category and reason.
-- `expect: MIGxxxx` is a hazard that rule must report (as a warning or an error); `expect: safe` must get no
-- warning or error (notes are allowed). `given:` lines are the schema before (an earlier migration, not
-- judged); `transaction:` and `pg-version:` are lint's flags for the case. LintCorpusTests reads this file
-- and writes the figures in docs/lint.md.

-- case: create-index-blocking
-- expect: MIG0021
-- category: indexes
-- why: a plain CREATE INDEX blocks writes to the table for the whole build
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
CREATE INDEX orders_customer_id ON orders (customer_id);

-- case: create-unique-index-blocking
-- expect: MIG0021
-- category: indexes
-- why: a unique index built without CONCURRENTLY blocks writes
-- given: CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- case: create-index-if-not-exists-blocking
-- expect: MIG0021
-- category: indexes
-- why: IF NOT EXISTS does not make the build online
-- given: CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz);
CREATE INDEX IF NOT EXISTS events_at ON events USING brin (at);

-- case: create-index-concurrently-safe
-- expect: safe
-- category: indexes
-- why: a concurrent build takes SHARE UPDATE EXCLUSIVE, which blocks no reads or writes
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id ON orders (customer_id);

-- case: create-index-concurrently-in-begin
-- expect: MIG0022
-- category: transactions
-- why: PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction block
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
BEGIN;
CREATE INDEX CONCURRENTLY orders_customer_id ON orders (customer_id);
COMMIT;

-- case: create-index-concurrently-file-transaction
-- expect: MIG0022
-- category: transactions
-- why: a runner that wraps the file in a transaction makes the concurrent build fail
-- transaction: file
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
CREATE INDEX CONCURRENTLY orders_customer_id ON orders (customer_id);

-- case: create-index-concurrently-directive-none
-- expect: safe
-- category: transactions
-- why: the file tells the runner to run it outside a transaction
-- transaction: file
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
-- migrator:transaction none
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id ON orders (customer_id);

-- case: start-transaction-reindex-concurrently
-- expect: MIG0022
-- category: transactions
-- why: REINDEX CONCURRENTLY cannot run in a transaction block either
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
START TRANSACTION;
REINDEX INDEX CONCURRENTLY orders_pkey;
COMMIT;

-- case: index-on-new-table
-- expect: safe
-- category: indexes
-- why: nobody uses a table created in the same migration, so a plain build blocks no one
CREATE TABLE audit_log (id bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE INDEX audit_log_at ON audit_log (at);

-- case: drop-index-blocking
-- expect: MIG0023
-- category: indexes
-- why: DROP INDEX takes ACCESS EXCLUSIVE on the table
DROP INDEX orders_customer_id;

-- case: drop-index-concurrently
-- expect: safe
-- category: indexes
-- why: DROP INDEX CONCURRENTLY waits for queries instead of blocking them
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_id;

-- case: reindex-blocking
-- expect: MIG0024
-- category: indexes
-- why: REINDEX without CONCURRENTLY locks out writes and the index's readers
REINDEX INDEX orders_customer_id;

-- case: reindex-concurrently
-- expect: safe
-- category: indexes
-- why: REINDEX CONCURRENTLY rebuilds online (PostgreSQL 12+)
REINDEX INDEX CONCURRENTLY orders_customer_id;

-- case: vacuum-full
-- expect: MIG0024
-- category: indexes
-- why: VACUUM FULL rewrites the table under ACCESS EXCLUSIVE
VACUUM FULL orders;

-- case: cluster
-- expect: MIG0024
-- category: indexes
-- why: CLUSTER rewrites the table under ACCESS EXCLUSIVE
CLUSTER orders USING orders_pkey;

-- case: fk-without-not-valid
-- expect: MIG0015
-- category: constraints
-- why: validating a foreign key scans the table while both tables are locked
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);

-- case: fk-inline-add-column
-- expect: MIG0015
-- category: constraints
-- why: an inline REFERENCES on ADD COLUMN is validated at once and cannot be NOT VALID
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN region_id bigint REFERENCES regions (id);

-- case: fk-not-valid-then-validate
-- expect: safe
-- category: constraints
-- why: NOT VALID skips the scan; VALIDATE later takes only SHARE UPDATE EXCLUSIVE
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;

-- case: fk-validate-same-transaction
-- expect: MIG0017
-- category: transactions
-- why: the ADD's lock is still held while VALIDATE scans the table
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
COMMIT;

-- case: fk-validate-same-file-transaction
-- expect: MIG0017
-- category: transactions
-- why: one transaction per file keeps the ADD's lock through the VALIDATE
-- transaction: file
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;

-- case: fk-on-new-table
-- expect: safe
-- category: constraints
-- why: a foreign key from a table created in the same migration scans nothing
CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
CREATE INDEX order_notes_order_id ON order_notes (order_id);

-- case: check-without-not-valid
-- expect: MIG0016
-- category: constraints
-- why: ADD CHECK scans every row under ACCESS EXCLUSIVE
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);

-- case: check-inline-add-column
-- expect: MIG0016
-- category: constraints
-- why: an inline CHECK on ADD COLUMN is checked against every row at once
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN discount numeric CHECK (discount BETWEEN 0 AND 1);

-- case: check-not-valid
-- expect: safe
-- category: constraints
-- why: NOT VALID checks only new rows; VALIDATE in its own statement does not block writes
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;

-- case: domain-check
-- expect: MIG0016
-- category: constraints
-- why: ALTER DOMAIN ADD CONSTRAINT checks every column of the domain in every table under lock
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);

-- case: domain-set-not-null
-- expect: MIG0016
-- category: constraints
-- why: ALTER DOMAIN SET NOT NULL checks every column of the domain
ALTER DOMAIN email_address SET NOT NULL;

-- case: domain-check-not-valid
-- expect: safe
-- category: constraints
-- why: a domain constraint added NOT VALID checks no existing row
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0) NOT VALID;

-- case: unique-constraint-blocking
-- expect: MIG0018
-- category: constraints
-- why: ADD UNIQUE builds its index under ACCESS EXCLUSIVE
-- given: CREATE TABLE users (id bigint PRIMARY KEY, email text);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);

-- case: unique-inline-add-column
-- expect: MIG0018
-- category: constraints
-- why: ADD COLUMN … UNIQUE builds the index under the ALTER's lock
-- given: CREATE TABLE users (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN handle text UNIQUE;

-- case: unique-using-index
-- expect: safe
-- category: constraints
-- why: the index is built concurrently, and USING INDEX only attaches it
-- given: CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;

-- case: primary-key-blocking
-- expect: MIG0019
-- category: constraints
-- why: ADD PRIMARY KEY builds its index and checks NOT NULL under ACCESS EXCLUSIVE
-- given: CREATE TABLE imports (id bigint, payload text);
ALTER TABLE imports ADD PRIMARY KEY (id);

-- case: primary-key-inline-add-column
-- expect: MIG0019
-- category: constraints
-- why: ADD COLUMN … PRIMARY KEY fills the column and builds the index under lock
-- given: CREATE TABLE imports (payload text);
ALTER TABLE imports ADD COLUMN id bigserial PRIMARY KEY;

-- case: primary-key-using-index-nullable
-- expect: MIG0019
-- category: constraints
-- why: USING INDEX over a nullable column makes PostgreSQL set NOT NULL with a full scan
-- given: CREATE TABLE imports (id bigint, payload text);
-- given: CREATE UNIQUE INDEX CONCURRENTLY imports_id ON imports (id);
ALTER TABLE imports ADD CONSTRAINT imports_pkey PRIMARY KEY USING INDEX imports_id;

-- case: primary-key-using-index-not-null
-- expect: safe
-- category: constraints
-- why: the column is already NOT NULL, so attaching the index is a catalog change
-- given: CREATE TABLE imports (id bigint NOT NULL, payload text);
-- given: CREATE UNIQUE INDEX CONCURRENTLY imports_id ON imports (id);
ALTER TABLE imports ADD CONSTRAINT imports_pkey PRIMARY KEY USING INDEX imports_id;

-- case: exclusion-constraint
-- expect: MIG0020
-- category: constraints
-- why: EXCLUDE builds its index and checks all rows under ACCESS EXCLUSIVE, with no online path
-- given: CREATE TABLE bookings (id bigint PRIMARY KEY, room int, during tstzrange);
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);

-- case: exclusion-on-new-table
-- expect: safe
-- category: constraints
-- why: a new table has no rows and no readers
CREATE TABLE rooms_booked (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));

-- case: set-not-null-direct
-- expect: MIG0013
-- category: constraints
-- why: SET NOT NULL scans the whole table under ACCESS EXCLUSIVE
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, status text);
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;

-- case: set-not-null-after-check
-- expect: safe
-- category: constraints
-- why: from PostgreSQL 12 a validated CHECK (col IS NOT NULL) lets SET NOT NULL skip the scan
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, status text);
ALTER TABLE orders ADD CONSTRAINT orders_status_nn CHECK (status IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_status_nn;
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_status_nn;

-- case: drop-not-null
-- expect: MIG0014
-- category: compatibility
-- why: the running version reads the column as never NULL and fails on the NULLs the new one writes
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, shipped_at timestamptz NOT NULL);
ALTER TABLE orders ALTER COLUMN shipped_at DROP NOT NULL;

-- case: add-required-column
-- expect: MIG0009
-- category: compatibility
-- why: NOT NULL without a default fails on a non-empty table, and old INSERTs omit the column
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL;

-- case: add-column-not-null-constant-default
-- expect: safe
-- category: defaults
-- why: a constant default is stored in the catalog (PostgreSQL 11+): no rewrite, and old INSERTs get it
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';

-- case: add-column-nullable
-- expect: safe
-- category: defaults
-- why: a nullable column without a default is a catalog change
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;

-- case: add-column-now-default
-- expect: safe
-- category: defaults
-- why: now() is stable: evaluated once and stored as a fast default
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN imported_at timestamptz DEFAULT now();

-- case: add-column-statement-timestamp-default
-- expect: safe
-- category: defaults
-- why: statement_timestamp() is stable in pg_proc, so no rewrite
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN imported_at timestamptz DEFAULT statement_timestamp();

-- case: add-column-cast-default
-- expect: safe
-- category: defaults
-- why: a constant cast to a parameterised type is no function call
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN channel character varying(20) DEFAULT 'web'::character varying(20);

-- case: add-column-coalesce-default
-- expect: safe
-- category: defaults
-- why: COALESCE and lower() are not volatile
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN tag text DEFAULT lower(COALESCE(NULL, 'DEFAULT'));

-- case: add-column-uuid-default
-- expect: MIG0011
-- category: defaults
-- why: gen_random_uuid() is volatile: every row is rewritten under ACCESS EXCLUSIVE
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();

-- case: add-column-clock-default
-- expect: MIG0011
-- category: defaults
-- why: clock_timestamp() is volatile
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN touched_at timestamptz NOT NULL DEFAULT clock_timestamp();

-- case: add-column-user-function-default
-- expect: MIG0011
-- category: defaults
-- why: a function PostgreSQL does not define may be volatile; without a connection it counts as such
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN code text DEFAULT app.next_order_code();

-- case: add-column-extension-function-default
-- expect: MIG0011
-- category: defaults
-- why: uuid-ossp's uuid_generate_v4() is volatile
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT uuid_generate_v4();

-- case: add-serial-column
-- expect: MIG0011
-- category: defaults
-- why: a serial column gets nextval() for every existing row: a rewrite
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN seq bigserial;

-- case: add-identity-column
-- expect: MIG0011
-- category: defaults
-- why: an identity column is filled for every row: a rewrite
-- given: CREATE TABLE orders (payload text);
ALTER TABLE orders ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;

-- case: add-generated-stored-column
-- expect: MIG0011
-- category: defaults
-- why: a stored generated column is computed for every row
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, net numeric, tax numeric);
ALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) STORED;

-- case: default-before-pg11
-- expect: MIG0010
-- category: defaults
-- why: before PostgreSQL 11 any default rewrites the table
-- pg-version: 10
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';

-- case: default-pg11
-- expect: safe
-- category: defaults
-- why: from PostgreSQL 11 a constant default is a catalog change
-- pg-version: 11
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';

-- case: type-change-int-bigint
-- expect: MIG0007
-- category: type changes
-- why: int to bigint rewrites the table under ACCESS EXCLUSIVE
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, quantity int);
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;

-- case: type-change-unknown-to-int
-- expect: MIG0007
-- category: type changes
-- why: a change to an integer type from whatever the column is rewrites it
ALTER TABLE orders ALTER COLUMN legacy_code TYPE integer USING legacy_code::integer;

-- case: type-change-narrow-varchar
-- expect: MIG0007
-- category: type changes
-- why: narrowing varchar checks every row and the running version's longer values fail
-- given: CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(100));
ALTER TABLE customers ALTER COLUMN name TYPE varchar(40);

-- case: type-change-varchar-to-int
-- expect: MIG0007
-- category: type changes
-- why: text to integer rewrites and may fail on values
-- given: CREATE TABLE customers (id bigint PRIMARY KEY, zip varchar(10));
ALTER TABLE customers ALTER COLUMN zip SET DATA TYPE int USING zip::int;

-- case: type-change-numeric-scale
-- expect: MIG0007
-- category: type changes
-- why: a new scale rewrites every value
-- given: CREATE TABLE prices (id bigint PRIMARY KEY, amount numeric(10,2));
ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12,4);

-- case: type-change-widen-varchar
-- expect: safe
-- category: type changes
-- why: widening varchar is a catalog change
-- given: CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(40));
ALTER TABLE customers ALTER COLUMN name TYPE varchar(100);

-- case: type-change-varchar-to-text
-- expect: safe
-- category: type changes
-- why: varchar to text is binary-coercible: no rewrite, no scan
-- given: CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(40));
ALTER TABLE customers ALTER COLUMN name TYPE text;

-- case: type-change-to-text-unknown-source
-- expect: safe
-- category: type changes
-- why: turning a column into text is catalog-only from varchar, its usual source (noted, not flagged)
ALTER TABLE customers ALTER COLUMN notes TYPE text;

-- case: type-change-numeric-precision
-- expect: safe
-- category: type changes
-- why: a larger precision at the same scale is a catalog change
-- given: CREATE TABLE prices (id bigint PRIMARY KEY, amount numeric(10,2));
ALTER TABLE prices ALTER COLUMN amount TYPE numeric(14,2);

-- case: type-change-timestamptz
-- expect: safe
-- category: type changes
-- why: from PostgreSQL 12, timestamp to timestamptz rewrites nothing when the session time zone is UTC (noted)
-- given: CREATE TABLE events (id bigint PRIMARY KEY, at timestamp);
SET timezone = 'UTC';
ALTER TABLE events ALTER COLUMN at TYPE timestamptz;

-- case: type-change-timestamptz-other-zone
-- expect: MIG0007
-- category: type changes
-- why: with the session in another time zone, timestamp to timestamptz rewrites every row
-- given: CREATE TABLE events (id bigint PRIMARY KEY, at timestamp);
SET TIME ZONE 'Europe/Paris';
ALTER TABLE events ALTER COLUMN at TYPE timestamptz;

-- case: type-change-timestamptz-zone-unknown
-- expect: safe
-- category: type changes
-- why: with no time zone set, it depends on the server's default: noted, not flagged
-- given: CREATE TABLE events (id bigint PRIMARY KEY, at timestamp);
ALTER TABLE events ALTER COLUMN at TYPE timestamptz;

-- case: json-column
-- expect: MIG0032
-- category: data types
-- why: json has no equality operator: DISTINCT, UNION and GROUP BY fail
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN attributes json;

-- case: json-column-in-new-table
-- expect: MIG0032
-- category: data types
-- why: the same is true of a json column in a new table
CREATE TABLE webhooks (id bigint PRIMARY KEY, body json NOT NULL);

-- case: jsonb-column
-- expect: safe
-- category: data types
-- why: jsonb compares, groups and indexes
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN attributes jsonb;

-- case: drop-column
-- expect: MIG0001
-- category: compatibility
-- why: the running version still reads or writes the column
ALTER TABLE orders DROP COLUMN legacy_code;

-- case: drop-table
-- expect: MIG0002
-- category: compatibility
-- why: the running version still queries the table
DROP TABLE IF EXISTS order_archive;

-- case: drop-new-table
-- expect: safe
-- category: compatibility
-- why: a table created and dropped in the same migration was never used
CREATE TABLE tmp_import (id bigint);
DROP TABLE tmp_import;

-- case: drop-schema
-- expect: MIG0003
-- category: destructive
-- why: every object in the schema goes
DROP SCHEMA reporting CASCADE;

-- case: rename-column
-- expect: MIG0004
-- category: compatibility
-- why: the running version uses the old name
ALTER TABLE customers RENAME COLUMN email TO email_address;

-- case: rename-table
-- expect: MIG0005
-- category: compatibility
-- why: the running version queries the old name
ALTER TABLE customers RENAME TO clients;

-- case: rename-table-with-view
-- expect: safe
-- category: compatibility
-- why: a view under the old name keeps the running version working during the window
ALTER TABLE customers RENAME TO clients;
CREATE VIEW customers AS SELECT * FROM clients;

-- case: rename-schema
-- expect: MIG0006
-- category: compatibility
-- why: every qualified name breaks at once
ALTER SCHEMA sales RENAME TO commerce;

-- case: enum-rename-value
-- expect: MIG0030
-- category: enums
-- why: the running version writes and compares the old value
ALTER TYPE order_status RENAME VALUE 'shipped' TO 'dispatched';

-- case: enum-add-value
-- expect: safe
-- category: enums
-- why: adding a value is a catalog change (noted: an old version may read it)
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'returned';

-- case: enum-add-value-before
-- expect: safe
-- category: enums
-- why: BEFORE/AFTER only orders the new value; nothing is rewritten
ALTER TYPE order_status ADD VALUE 'packed' BEFORE 'shipped';

-- case: enum-add-value-transaction-pg11
-- expect: MIG0030
-- category: enums
-- why: before PostgreSQL 12, ADD VALUE is refused inside a transaction block
-- pg-version: 11
-- transaction: file
ALTER TYPE order_status ADD VALUE 'packed' AFTER 'paid';

-- case: truncate-cascade
-- expect: MIG0038
-- category: destructive
-- why: CASCADE empties every referencing table too
TRUNCATE orders CASCADE;

-- case: truncate-named
-- expect: safe
-- category: destructive
-- why: truncating named staging tables is deliberate (noted)
TRUNCATE import_batches, import_rows;

-- case: detach-partition
-- expect: MIG0025
-- category: partitions
-- why: DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the parent
ALTER TABLE measurements DETACH PARTITION measurements_2023;

-- case: detach-partition-concurrently
-- expect: safe
-- category: partitions
-- why: DETACH … CONCURRENTLY (PostgreSQL 14+) takes SHARE UPDATE EXCLUSIVE
ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;

-- case: index-on-only-parent
-- expect: safe
-- category: partitions
-- why: CREATE INDEX ON ONLY a partitioned table builds nothing (its partitions' indexes are attached later)
CREATE INDEX IF NOT EXISTS measurements_at ON ONLY measurements (at);

-- case: backfill-after-ddl-in-transaction
-- expect: MIG0029
-- category: transactions
-- why: the ALTER's lock is held through the whole UPDATE
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
BEGIN;
ALTER TABLE orders ADD COLUMN total_cents bigint;
UPDATE orders SET total_cents = total * 100;
COMMIT;

-- case: update-then-not-valid
-- expect: safe
-- category: transactions
-- why: DDL after the UPDATE waits for it and commits at once: its lock is held only for a moment
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);
BEGIN;
UPDATE orders SET total = 0 WHERE total IS NULL;
ALTER TABLE orders ADD CONSTRAINT orders_total_nn CHECK (total IS NOT NULL) NOT VALID;
COMMIT;

-- case: unclosed-begin
-- expect: MIG0037
-- category: transactions
-- why: a transaction the file never commits is rolled back by most runners when the session ends
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
BEGIN;
ALTER TABLE orders ADD COLUMN note text;

-- case: ef-idempotent-index
-- expect: MIG0021
-- category: ef core scripts
-- why: `dotnet ef migrations script --idempotent` wraps DDL in DO blocks; the index inside still blocks writes
-- given: CREATE TABLE "Posts" ("Id" bigint PRIMARY KEY, "BlogId" bigint);
DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261201_PostBlog') THEN
    CREATE INDEX "IX_Posts_BlogId" ON "Posts" ("BlogId");
    END IF;
END $EF$;

-- case: ef-idempotent-create-table
-- expect: safe
-- category: ef core scripts
-- why: a table the script creates, with its index and history row, blocks no one
DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261201_Tags') THEN
    CREATE TABLE "Tags" ("Id" bigint GENERATED BY DEFAULT AS IDENTITY, "Name" text NOT NULL, CONSTRAINT "PK_Tags" PRIMARY KEY ("Id"));
    CREATE UNIQUE INDEX "IX_Tags_Name" ON "Tags" ("Name");
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261201_Tags', '10.0.0');
    END IF;
END $EF$;

-- case: ef-script-transaction-add-column
-- expect: MIG0009
-- category: ef core scripts
-- why: EF's START TRANSACTION … COMMIT around a required column without a default
-- given: CREATE TABLE "Blogs" ("Id" bigint PRIMARY KEY);
START TRANSACTION;
ALTER TABLE "Blogs" ADD "Rating" integer NOT NULL;
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261202_Rating', '10.0.0');
COMMIT;

-- case: ef-script-transaction-nullable-column
-- expect: safe
-- category: ef core scripts
-- why: a nullable column with the history row, in EF's transaction
-- given: CREATE TABLE "Blogs" ("Id" bigint PRIMARY KEY);
START TRANSACTION;
ALTER TABLE "Blogs" ADD "Url" text;
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261202_Url', '10.0.0');
COMMIT;

-- case: concurrently-inside-do
-- expect: MIG0022
-- category: transactions
-- why: a DO block runs in a transaction, so PostgreSQL refuses CREATE INDEX CONCURRENTLY inside it
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
DO $$
BEGIN
  CREATE INDEX CONCURRENTLY orders_customer_id ON orders (customer_id);
END $$;

-- case: create-table
-- expect: safe
-- category: tables
-- why: a new table blocks no one
CREATE TABLE IF NOT EXISTS invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric(12,2) NOT NULL, issued_at timestamptz NOT NULL DEFAULT now());

-- case: create-table-with-defaults
-- expect: safe
-- category: tables
-- why: volatile defaults in a new table rewrite nothing
CREATE TABLE sessions (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created timestamptz DEFAULT clock_timestamp());

-- case: create-view
-- expect: safe
-- category: tables
-- why: a new view is a catalog change
CREATE OR REPLACE VIEW open_orders AS SELECT id, total FROM orders WHERE shipped_at IS NULL;

-- case: set-lock-timeout-and-add
-- expect: safe
-- category: tables
-- why: a bounded lock wait, then a catalog-only change
-- given: CREATE TABLE orders (id bigint PRIMARY KEY);
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN IF NOT EXISTS gift boolean;

-- case: comment-and-grant
-- expect: safe
-- category: tables
-- why: comments and grants lock nothing the app waits on for long
COMMENT ON TABLE orders IS 'customer orders';
GRANT SELECT ON orders TO reporting;

-- case: insert-seed-rows
-- expect: safe
-- category: data
-- why: inserting reference rows touches no existing row
INSERT INTO countries (code, name) VALUES ('FR', 'France'), ('DE', 'Germany');

-- case: batched-update-alone
-- expect: safe
-- category: data
-- why: an UPDATE outside any DDL transaction holds only row locks
UPDATE orders SET status = 'archived' WHERE id IN (SELECT id FROM orders WHERE status = 'closed' LIMIT 1000);

-- case: drop-default
-- expect: safe
-- category: defaults
-- why: dropping a default is a catalog change
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, status text DEFAULT 'new');
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;

-- case: set-default
-- expect: safe
-- category: defaults
-- why: a new default applies to new rows only (noted)
-- given: CREATE TABLE orders (id bigint PRIMARY KEY, status text);
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';

-- case: create-function-and-trigger
-- expect: safe
-- category: tables
-- why: a function body with semicolons is one statement; creating a trigger is brief
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- case: drop-column-after-ignore
-- expect: safe
-- category: compatibility
-- why: an inline suppression with a reason silences the rule for that statement
-- migrator-ignore MIG0001: no live version reads legacy_code since 3.0
ALTER TABLE orders DROP COLUMN IF EXISTS legacy_code;
