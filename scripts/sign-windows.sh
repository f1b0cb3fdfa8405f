#!/usr/bin/env bash
# sign-windows.sh FILE... — Authenticode-sign Windows binaries and installers (exe,
# dll, msi) in place with osslsigncode, SHA-256, then verify each signature.
# The certificate and key come from the environment, never from the tree:
#   VELLUM_SIGN_CERT   the signing certificate (PEM; its chain may follow)
#   VELLUM_SIGN_KEY    its private key (PEM)
#   VELLUM_SIGN_CA     the CA to verify against (PEM); default: VELLUM_SIGN_CERT
#   VELLUM_SIGN_TSA    an RFC 3161 timestamp server URL (optional; none is reached here)
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: sign-windows.sh FILE..." >&2; exit 2; }
: "${VELLUM_SIGN_CERT:?set VELLUM_SIGN_CERT to the signing certificate (PEM)}"
: "${VELLUM_SIGN_KEY:?set VELLUM_SIGN_KEY to its private key (PEM)}"
ca=${VELLUM_SIGN_CA:-$VELLUM_SIGN_CERT}
command -v osslsigncode >/dev/null || { echo "sign-windows: osslsigncode is missing (make deps installs it)" >&2; exit 1; }
for f in "$@"; do
  tmp="$f.signing.$$"
  rm -f "$tmp"
  trap 'rm -f "$tmp"' EXIT
  ts=()
  [ -n "${VELLUM_SIGN_TSA:-}" ] && ts=(-ts "$VELLUM_SIGN_TSA")
  osslsigncode sign -h sha256 -certs "$VELLUM_SIGN_CERT" -key "$VELLUM_SIGN_KEY" \
    -n Vellum -i https://github.com/vellumhealth/vellum "${ts[@]}" -in "$f" -out "$tmp" >/dev/null
  mv "$tmp" "$f"
  osslsigncode verify -CAfile "$ca" -in "$f" >/dev/null
  echo "signed and verified: $f"
done
