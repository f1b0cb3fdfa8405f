#!/usr/bin/env bash
# demo.sh BIN — what `make run` does until the desktop window lands: a short headless
# session against a demo profile (store a sample note, search it, check the vault), so
# a newcomer sees the encrypted vault work. The profile lives in ~/.cache/vellum/demo.
#
# Vellum keeps its key in the OS keychain. Where this session has no Secret Service
# (a server, a container, CI), this script — never the app — starts a private D-Bus
# session with gnome-keyring whose keyring is kept beside the demo profile, and says so.
set -euo pipefail
bin=$(realpath "${1:?usage: scripts/demo.sh BIN}")
demo=${VELLUM_DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vellum/demo}
mkdir -p "$demo"

have_secret_service() {
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] &&
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true
}

if [ "${VELLUM_IN_KEYRING_SESSION:-}" != 1 ] && ! have_secret_service; then
  echo "make run: this session has no Secret Service; starting a private D-Bus session with"
  echo "gnome-keyring for the demo profile (keyring kept in $demo/keyring)."
  VELLUM_KEYRING_DIR="$demo/keyring" exec "$(dirname "$0")/with-keyring.sh" "$0" "$bin"
fi

export VELLUM_PROFILE="$demo/profile"
step() { printf '\n$ %s\n' "$*"; "$@"; }
echo "Vellum demo — profile $VELLUM_PROFILE (synthetic data only)"
printf '\n$ %s notes add --file - <<EOF ...\n' "$bin"
"$bin" notes add --file - <<'NOTE'
Title: Demo progress note
Patient: DEMO-0001

S: Synthetic demo patient with a dry cough for three days.
O: Afebrile, lungs clear.
A/P: Viral bronchitis; fluids and rest, review in one week.
NOTE
step "$bin" notes search cough bronchitis
step "$bin" vault check
echo
echo "The note above is stored encrypted (SQLCipher v4) in $VELLUM_PROFILE/vault.db;"
echo "its key is in the keychain, never on disk. Try: $bin --help"
