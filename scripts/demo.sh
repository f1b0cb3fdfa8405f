#!/usr/bin/env bash
# demo.sh BIN — what `make run` does until the desktop window lands: a short headless
# session against a demo profile (create the demo users the first time, sign in, store
# a sample note, search it, check the vault as admin), so a newcomer sees the encrypted
# vault and access control work. The profile lives in ~/.cache/vellum/demo.
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
# Fyne's locale lookup (github.com/jeandeaual/go-locale) reads LANG=C.UTF-8, the default
# of Debian's containers, as the language "C" and logs three lines of error from every
# command, before main runs. Messages in the C locale are C's whatever the encoding, so
# saying so in LC_MESSAGES changes nothing else and keeps the demo's output readable.
if [ -z "${LC_ALL:-}${LC_MESSAGES:-}" ]; then
  case ${LANG:-} in C.* | POSIX.*) export LC_MESSAGES=C ;; esac
fi
# Synthetic demo accounts; the password exists only in this demo profile.
pw="demo-password-only"
step() { printf '\n$ %s\n' "$*"; "$@"; }
echo "Vellum demo — profile $VELLUM_PROFILE (synthetic data only)"
printf '\n$ %s login dr.demo\n' "$bin"
if ! printf '%s\n' "$pw" | "$bin" login dr.demo 2>/dev/null; then
  echo "(no demo users yet: creating them)"
  printf '\n$ %s users add demo.admin --role admin   # the first admin: needs an OS administrator\n' "$bin"
  if ! printf '%s\n' "$pw" | "$bin" users add demo.admin --role admin; then
    echo "The first Vellum admin is created from an OS administrator account (root, or the sudo,"
    echo "wheel or admin group), or as /etc/vellum/policy.json's initial_admins say. Run"
    echo "  sudo $bin --profile $VELLUM_PROFILE users add demo.admin --role admin"
    exit 1
  fi
  printf '%s\n' "$pw" | "$bin" login demo.admin
  printf '\n$ %s users add dr.demo --role physician\n' "$bin"
  printf '%s\n' "$pw" | "$bin" users add dr.demo --role physician --display-name "Dr Demo"
  printf '\n$ %s login dr.demo\n' "$bin"
  printf '%s\n' "$pw" | "$bin" login dr.demo
fi
printf '\n$ %s notes add --file - <<EOF ...\n' "$bin"
"$bin" notes add --file - <<'NOTE'
Title: Demo progress note
Patient: DEMO-0001

S: Synthetic demo patient with a dry cough for three days.
O: Afebrile, lungs clear.
A/P: Viral bronchitis; fluids and rest, review in one week.
NOTE
step "$bin" notes search cough bronchitis

# The main job, headless: draft a note from a dictation with the local model — one from
# the managed folder, or else the project's test model, which writes children's stories,
# not clinical text (the command says so).
model_flag=()
if ! "$bin" models list 2>/dev/null | grep -q " allowed "; then
  test_model="${VELLUM_TEST_MODEL:-$(dirname "$0")/../../shared/models/stories260K.gguf}"
  if [ -f "$test_model" ]; then
    model_flag=(--model "$(realpath "$test_model")")
  else
    echo "(no model in the managed folder and no test model: skipping the draft)"
  fi
fi
if [ ${#model_flag[@]} -gt 0 ] || "$bin" models list 2>/dev/null | grep -q " allowed "; then
  printf '\n$ %s draft --template soap %s <<EOF ...\n' "$bin" "${model_flag[*]}"
  "$bin" draft --template soap --max-tokens 48 "${model_flag[@]}" <<'SOURCE'
Patient: DEMO-0001

Synthetic demo patient, 34 year old woman, three days of sore throat and fever, no cough.
Temp 38.1, tonsils swollen without exudate, no lymphadenopathy. Plan: fluids, paracetamol, review if worse.
SOURCE
fi
printf '\n$ %s login demo.admin\n' "$bin"
printf '%s\n' "$pw" | "$bin" login demo.admin
step "$bin" vault check
"$bin" logout
echo
echo "The note above is stored encrypted (SQLCipher v4) in $VELLUM_PROFILE/vault.db;"
echo "its key is in the keychain, never on disk. Try: $bin --help"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo
  echo "Opening the desktop window: sign in as dr.demo with the password $pw."
  exec "$bin" desktop "${model_flag[@]}"
fi
echo
echo "No display here (DISPLAY and WAYLAND_DISPLAY are unset), so this was the headless"
echo "session; on a desktop, make run ends by opening the window."
