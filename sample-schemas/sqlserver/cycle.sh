#!/usr/bin/env bash
# Runs the SQL Server dialect's statements on a server you give, in a scratch database you give:
#   sample-schemas/sqlserver/cycle.sh -S localhost,1433 -U sa -P '…' -d migrator_scratch
# (any sqlcmd connection options). It stops at the first failing statement or check (sqlcmd -b).
# Migrator's CI never ran this: no SQL Server runs where it is built (docs/sqlserver.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v sqlcmd >/dev/null || { echo "error: sqlcmd not found (install mssql-tools18)" >&2; exit 2; }
sqlcmd -b -I "$@" -i "$here/check.sql"
