#!/usr/bin/env bash
# `make backup` (issue 18 item 7): the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT)
# into BACKUP_DIR/<UTC time>/ with their SHA-256 sums. Restore with scripts/restore.sh (docs/SECURITY.md).
#   DATABASE_URL=postgres://… [MEDIA_ROOT=/data/uploads] [BACKUP_DIR=var/backups] scripts/backup.sh
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
media="${MEDIA_ROOT:-var/uploads}"
dir="${BACKUP_DIR:-var/backups}/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
chmod 700 "$dir"
pg_dump --format=custom --no-owner --no-privileges --file "$dir/db.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dir/media.tar.gz" .
else
  echo "note: no uploads directory at $media (MEDIA_ROOT); only the database was saved" >&2
fi
(cd "$dir" && sha256sum -- * > SHA256SUMS)
echo "backup written to $dir"
cat >&2 <<'WARN'
WARNING: this backup holds personal data encrypted with FIELD_ENCRYPTION_KEYS and indexed with
BLIND_INDEX_KEY, and an audit log keyed with AUDIT_HMAC_KEYS. Without those keys (and SECRET_KEY) the
encrypted columns cannot be read and the audit chain cannot be verified after a restore: escrow the keys
separately from the backups, under the key custodian's control, never next to this file.
WARN
