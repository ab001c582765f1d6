#!/bin/sh
# Nightly backup of lotse_lms: the PostgreSQL database and the data folder, side by side.
# Usage: deploy/backup.sh /var/backups/lotse-lms   (reads LOTSE_DATABASE_URL, LOTSE_DATA_DIR)
# Restore: pg_restore --clean -d "$LOTSE_DATABASE_URL" db.dump; tar -xzf data.tar.gz -C /
set -eu
target="${1:?backup folder}"
stamp="$(date -u +%Y%m%d-%H%M%S)"
dir="$target/$stamp"
umask 077
mkdir -p "$dir"
# Database first: a file the database names may be newer than the dump, never missing.
pg_dump --format=custom --file="$dir/db.dump" "${LOTSE_DATABASE_URL:?}"
tar -czf "$dir/data.tar.gz" --exclude='.incoming' --exclude='*.part' -C / "${LOTSE_DATA_DIR#/}"
# Keep the signing keys too (CERT_KEY_DIR): without them no new credential can be signed.
if [ -n "${LOTSE_CERT_KEY_DIR:-}" ] && [ -d "$LOTSE_CERT_KEY_DIR" ]; then
  tar -czf "$dir/keys.tar.gz" -C "$LOTSE_CERT_KEY_DIR" .
fi
# Keep 14 days.
find "$target" -mindepth 1 -maxdepth 1 -type d -mtime +14 -exec rm -rf {} +
echo "$dir"
