#!/usr/bin/env bash
# Build the synthetic country into a throwaway PostgreSQL database and measure it — the run behind
# docs/benchmarks.md's "Scale" sections:
#
#   bash scripts/synth_scale_run.sh SCALE [WORKERS] [DATABASE]      e.g.  bash scripts/synth_scale_run.sh 1 2
#
# SCALE is synth's --scale (1 = the whole country of synth/seed-2565.toml), WORKERS its --workers (default 2),
# DATABASE the name of the database to (re)create on the server of PGHOST/PGPORT/PGUSER (default 127.0.0.1,
# 5432, postgres; default name synth_<scale>). The database is dropped and created empty, with synchronous_commit
# off (a throwaway benchmark database: a crash could lose the last commits, never consistency).
#
# It writes var/synth-runs/<database>/: synth.out and time.txt (synth's output and /usr/bin/time -v),
# report.json (`annual-report --format json`), verify.txt (`ledger_verify`), bench.txt (`bench dashboard --json`),
# size.txt (the database size), and summary.txt with the figures to copy into docs/benchmarks.md. Run it from the
# repository's root after `make install`.
set -euo pipefail

SCALE="${1:?usage: bash scripts/synth_scale_run.sh SCALE [WORKERS] [DATABASE]}"
WORKERS="${2:-2}"
DB="${3:-synth_${SCALE//./_}}"
HOST="${PGHOST:-127.0.0.1}" PORT="${PGPORT:-5432}" USER_="${PGUSER:-postgres}"
CLI="${CHUMCHON:-.venv/bin/chumchon}"
OUT="var/synth-runs/$DB"
CONFIG="${SYNTH_CONFIG:-synth/seed-2565.toml}"

mkdir -p "$OUT"
export DATABASE_URL="postgres://$USER_@$HOST:$PORT/$DB"
psql_() { psql -h "$HOST" -p "$PORT" -U "$USER_" -X -v ON_ERROR_STOP=1 "$@"; }
stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }

psql_ -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" -c "CREATE DATABASE \"$DB\"" \
    -c "ALTER DATABASE \"$DB\" SET synchronous_commit = off"
{
    echo "started $(stamp): synth --config $CONFIG --scale $SCALE --workers $WORKERS into $DB"
    echo "server: $(psql_ -d "$DB" -Atc "select version()")"
    echo "settings: $(psql_ -d "$DB" -Atc "select string_agg(name || '=' || current_setting(name), ', ' order by name)
        from pg_settings where name in ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'synchronous_commit',
        'work_mem', 'maintenance_work_mem')")"
    echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
} | tee "$OUT/summary.txt"

"$CLI" migrate -v0
/usr/bin/time -v -o "$OUT/time.txt" "$CLI" synth --config "$CONFIG" --scale "$SCALE" --workers "$WORKERS" --force \
    | tee "$OUT/synth.out"
FY="$(python3 -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1], 'rb'))['dataset']['fiscal_year'])" "$CONFIG")"
"$CLI" annual-report --fiscal-year "$FY" --format json > "$OUT/report.json"
{ /usr/bin/time -f "ledger_verify: %e s" "$CLI" ledger_verify || echo "ledger_verify FAILED"; } > "$OUT/verify.txt" 2>&1
"$CLI" bench dashboard --json | tee "$OUT/bench.txt"
psql_ -d "$DB" -Atc "select pg_size_pretty(pg_database_size(current_database())), pg_database_size(current_database())" \
    > "$OUT/size.txt"

{
    echo "finished $(stamp)"
    grep -E "Elapsed|Maximum resident" "$OUT/time.txt"
    grep -E "councils|summaries|^built|^  and" "$OUT/synth.out" | tail -6
    echo "ledger_verify: $(tr '\n' ' ' < "$OUT/verify.txt")"
    echo "database size: $(cut -d'|' -f1 "$OUT/size.txt")"
    python3 - "$OUT/report.json" <<'PY'
import json, sys
figures = json.load(open(sys.argv[1]))["figures"]
keys = ["welfare.funds", "welfare.members", "welfare.fund_money", "welfare.recipients_cumulative",
        "welfare.payouts_cumulative", "welfare.matched_funds", "welfare.matched_members", "welfare.matching_money",
        "councils.local_administrations", "councils.councils", "councils.members", "councils.organisations",
        "councils.assessed"]
print("report: " + ", ".join(f"{k.split('.', 1)[1]} {figures[k]['value']}" for k in keys if k in figures))
PY
    echo "bench dashboard: $(tail -1 "$OUT/bench.txt")"
} | tee -a "$OUT/summary.txt"
