#!/usr/bin/env bash
# The Debian packages the tests and the documents need (issue 18 item 10), for `make test` and `.ci/run`:
# CJK fonts (Noto Serif/Sans CJK) and HarfBuzz subsetting for WeasyPrint's documents, Pango for WeasyPrint,
# gettext for the catalogues, Chromium for the browser tests, poppler-utils (pdftotext) for the document tests.
#
# Run as root, it installs whatever is missing. Otherwise it stops at once with one line naming the missing
# packages and the command that installs them: the tests never run half-equipped.
# `scripts/system-packages.sh --list` prints the list.
set -euo pipefail

PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext chromium poppler-utils)

if [ "${1:-}" = "--list" ]; then
  echo "${PACKAGES[*]}"
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ -z "${KJFZ_NO_APT:-}" ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "missing Debian packages: ${missing[*]} — install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
