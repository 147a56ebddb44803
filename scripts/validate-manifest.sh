#!/usr/bin/env bash
# Offline checks of the add-in manifest (no Microsoft validation service needed):
#   1. xmllint: manifest.xml is well-formed XML                 (Debian: libxml2-utils)
#   2. office-addin-manifest info: Office's own reader parses it and finds the add-in
#   3. the icons in assets/ are what scripts/make-icons.js draws
#   4. dist/manifest.xml, when a build left one, gets 1 and 2 too; a production build
#      must have no localhost URL left
# Optional: MANIFEST_XSD=/path/to/taskpane/OfficeAppManifestV1_1.xsd also validates
# manifest.xml against Microsoft's published XSDs (kept outside this repo).
# The structural checks (element order, resource ids, zh-CN strings) are in
# test/manifest/manifest.test.ts: `npx jest test/manifest`.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
step() { printf '\n== %s\n' "$*"; }

check_manifest() {
  local file=$1
  step "xmllint --noout $file"
  if xmllint --noout "$file"; then echo "well-formed"; else fail=1; fi
  step "office-addin-manifest info $file"
  # The CLI prints "Unable to parse the manifest file" and exits non-zero on a bad manifest.
  if ! npx --no-install office-addin-manifest info "$file"; then fail=1; fi
}

if ! command -v xmllint >/dev/null; then
  echo "xmllint not found: apt-get install libxml2-utils" >&2
  exit 2
fi

check_manifest manifest.xml

if [[ -n "${MANIFEST_XSD:-}" ]]; then
  step "xmllint --schema $MANIFEST_XSD manifest.xml"
  xmllint --noout --schema "$MANIFEST_XSD" manifest.xml || fail=1
fi

step "node scripts/make-icons.js --check"
node scripts/make-icons.js --check || fail=1

if [[ -f dist/manifest.xml ]]; then
  check_manifest dist/manifest.xml
  step "dist/manifest.xml URLs"
  if ls dist/taskpane.*.js >/dev/null 2>&1; then
    # Production build (content-hashed bundle): every localhost URL must have been rewritten.
    if grep -n "localhost" dist/manifest.xml; then
      echo "dist/manifest.xml still points at localhost" >&2
      fail=1
    else
      echo "no localhost URL left (production build)"
    fi
  else
    echo "development build: URLs stay on https://localhost:3000/"
  fi
fi

echo
if [[ $fail -ne 0 ]]; then
  echo "manifest validation FAILED" >&2
  exit 1
fi
echo "manifest validation passed"
