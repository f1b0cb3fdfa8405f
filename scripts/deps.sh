#!/usr/bin/env bash
# deps.sh — install what the build and the tests need on Debian/Ubuntu, then build the
# pinned native libraries into ~/.cache/vellum/ (scripts/native-build.sh). Idempotent:
# a second run installs nothing and builds nothing. Elsewhere it says what is missing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

# cgo + Fyne (X11/GL headers), the Secret Service for tests (gnome-keyring in a private
# D-Bus session), Xvfb and a window manager (openbox) for the real window's tests,
# Wine and MinGW to run the Windows clipboard code as a Windows program (and MinGW's
# POSIX-thread C++ compiler for llama.cpp in make windows), cmake for
# llama.cpp, PostgreSQL for the collector's production store, npm to fetch pinned
# native sources, espeak-ng and sox to make the dictation tests' speech, PulseAudio
# to stand in for a microphone, patchelf to point the binary at the speech libraries
# bundled beside it, strace to record every network call Vellum makes and iproute2 to
# raise loopback in the egress test's network namespace,
# systemd's analyzer, dpkg-deb, rpm and rpm2cpio to check the Linux packages,
# osslsigncode to sign and verify Windows programs, wixl and msitools to build and inspect the MSI,
# shellcheck to check the macOS installer's script (no Mac here to run it).
apt_packages=(
  gcc g++ make pkg-config git ca-certificates curl
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  dbus dbus-x11 gnome-keyring libsecret-tools
  xvfb xdotool openbox x11-utils
  wine64 gcc-mingw-w64-x86-64-win32 gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix
  cmake
  postgresql
  npm
  espeak-ng sox pulseaudio pulseaudio-utils
  patchelf strace iproute2
  systemd dpkg-dev rpm rpm2cpio cpio osslsigncode wixl msitools shellcheck
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm may come from NodeSource or nvm rather than Debian's package.
  if command -v npm >/dev/null 2>&1; then
    missing=("${missing[@]/npm}")
  fi
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sed '/^$/d')
  if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "deps: not a Debian/Ubuntu system; install by hand: a C compiler, npm, cmake, and (for tests) dbus + gnome-keyring; see README.md" >&2
fi

command -v go >/dev/null 2>&1 || { echo "deps: Go 1.26 or newer is required (https://go.dev/dl/)" >&2; exit 1; }

"$top/scripts/native-build.sh" sqlite3mc >/dev/null
"$top/scripts/native-build.sh" fhir-r4-schema >/dev/null
"$top/scripts/native-build.sh" silero-vad >/dev/null
# llama.cpp: about 7 minutes on 2 cores the first time; GPU=cuda|metal picks a variant.
VELLUM_GPU="${GPU:-}" VELLUM_CUDA_ARCHS="${CUDA_ARCHS:-}" "$top/scripts/native-build.sh" llama.cpp >/dev/null
# The same cross-built for Windows (about 2.5 minutes): the tests run it on Wine.
if command -v x86_64-w64-mingw32-g++-posix >/dev/null 2>&1; then
  VELLUM_TARGET=windows-amd64 "$top/scripts/native-build.sh" llama.cpp >/dev/null
fi
