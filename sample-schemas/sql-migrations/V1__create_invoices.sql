-- A plain SQL migration as DbUp, Flyway or grate run it: `dotnet migrator lint` checks it.
CREATE TABLE IF NOT EXISTS invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL,
    total numeric(12,2) NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now()
);
