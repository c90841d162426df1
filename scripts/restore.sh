#!/usr/bin/env bash
# Restore a `make backup` directory into an EMPTY database (create it first: createdb …) and, when
# MEDIA_ROOT is given, unpack the uploads there. Then: DATABASE_URL=<target> manage.py verify_audit.
#   scripts/restore.sh var/backups/<time> postgres://…/kjfz_restored [MEDIA_ROOT]
set -euo pipefail
dir="${1:?backup directory}"
target="${2:?target database URL (an empty database)}"
media="${3:-}"
(cd "$dir" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target" "$dir/db.dump"
if [ -n "$media" ] && [ -f "$dir/media.tar.gz" ]; then
  mkdir -p "$media"
  tar -C "$media" -xzf "$dir/media.tar.gz"
fi
echo "restored $dir into the target database"
