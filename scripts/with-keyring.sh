#!/usr/bin/env bash
# with-keyring.sh CMD... — run CMD inside a private D-Bus session with a real
# gnome-keyring Secret Service, unlocked with an empty password. The keyring files live
# in $VELLUM_KEYRING_DIR if set (the demo keeps its keyring between runs), else in a
# temporary directory removed afterwards, so tests never touch the user's own keyring.
set -euo pipefail
if [ "${VELLUM_IN_KEYRING_SESSION:-}" != 1 ]; then
  export VELLUM_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
if [ -n "${VELLUM_KEYRING_DIR:-}" ]; then
  keyring_home=$VELLUM_KEYRING_DIR
  mkdir -p "$keyring_home"
else
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/vellum-keyring.XXXXXX")
  trap 'rm -rf "$keyring_home"' EXIT
fi
export XDG_DATA_HOME="$keyring_home"
# --unlock reads the password from stdin (a bare newline: an empty stdin creates no
# login keyring at all and the daemon then asks a prompter that cannot run); without
# --daemonize the daemon races its own start-up.
eval "$(printf '\n' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# Wait until the daemon owns the Secret Service name: a request sent earlier would make
# D-Bus activate a second, locked daemon.
for _ in $(seq 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
    break
  fi
  sleep 0.05
done
"$@"
