#!/bin/sh
# The daily jobs of Pôle social, in order (systemd timer polesocial-daily, or cron).
# Each runs even when one before it failed; the script fails if any did, so that the
# timer's unit shows « failed » and the supervision sees it. Run from the installation
# folder with the environment of /etc/polesocial/polesocial.env.
set -u
cd "$(dirname "$0")/.." || exit 1
PYTHON="${POLESOCIAL_PYTHON:-.venv/bin/python}"
BACKUPS="${POLESOCIAL_BACKUP_DIR:-/var/backups/polesocial}"
DAY="$(date +%Y-%m-%d)"
status=0

run() {
    echo "polesocial-daily: $*"
    "$PYTHON" manage.py "$@" || { echo "polesocial-daily: ÉCHEC de $1" >&2; status=1; }
}

run send_convention_notices
run appointments_daily --wet-run
run purge_report_exports --wet-run
run purge_idempotency_keys --wet-run
run prune_db_task_results --min-age-days 30
# Retention checks the audit chain before and after, and purges the journal past
# AUDIT_RETENTION_DAYS behind a checkpoint.
run retention --wet-run
run verify_audit
mkdir -p "$BACKUPS"
run export_audit_checkpoint "$BACKUPS/audit-checkpoint-$DAY.json"
run backup "$BACKUPS/polesocial-$DAY.backup"
# Seven daily backups kept here; copy them elsewhere (another machine, a vault).
find "$BACKUPS" -name 'polesocial-*.backup' -mtime +7 -delete
exit $status
