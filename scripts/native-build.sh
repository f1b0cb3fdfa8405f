#!/usr/bin/env bash
# native-build.sh [--prefix-only] RECIPE — fetch a pinned native dependency from a package registry, verify its
# SHA-256, build it once into ~/.cache/vellum/<name>-<version>/ and print that prefix.
#
# A recipe (native/<recipe>.sh) sets NAME, VERSION, NPM_PACKAGE (name@version), SHA256
# (of the registry tarball) and defines build SRC PREFIX, where SRC is the unpacked
# tarball. The prefix is complete only when its .complete stamp exists, so an
# interrupted build is redone rather than half-used. Nothing lands in the source tree.
set -euo pipefail

here=$(cd "$(dirname "$0")/../native" && pwd)
prefix_only=false
if [ "${1:-}" = "--prefix-only" ]; then prefix_only=true; shift; fi
recipe=${1:?usage: scripts/native-build.sh [--prefix-only] RECIPE}
# shellcheck source=/dev/null
source "$here/$recipe.sh"

cache=${VELLUM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vellum}
# VELLUM_TARGET (say windows-amd64, with CC=x86_64-w64-mingw32-gcc) keeps cross builds apart.
prefix="$cache/$NAME-$VERSION${VELLUM_TARGET:+-$VELLUM_TARGET}"
if $prefix_only || [ -f "$prefix/.complete" ]; then
  echo "$prefix"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vellum-native-$NAME.XXXXXX")
trap 'rm -rf "$work"' EXIT

tarball="$cache/downloads/$(echo "$NPM_PACKAGE" | tr '@/' '--').tgz"
mkdir -p "$cache/downloads"
if [ ! -f "$tarball" ] || ! echo "$SHA256  $tarball" | sha256sum -c --status; then
  echo "native: fetching $NPM_PACKAGE" >&2
  (cd "$work" && npm pack --silent "$NPM_PACKAGE" >/dev/null 2>"$work/npm.log") || {
    cat "$work/npm.log" >&2
    echo "native: npm pack $NPM_PACKAGE failed" >&2
    exit 1
  }
  mv "$work"/*.tgz "$tarball.part"
  got=$(sha256sum "$tarball.part" | cut -d' ' -f1)
  if [ "$got" != "$SHA256" ]; then
    rm -f "$tarball.part"
    echo "native: $NPM_PACKAGE has SHA-256 $got, expected $SHA256; refusing to build it" >&2
    exit 1
  fi
  mv "$tarball.part" "$tarball"
fi

mkdir -p "$work/src"
tar -xzf "$tarball" -C "$work/src"
rm -rf "$prefix"
mkdir -p "$prefix"
echo "native: building $NAME $VERSION into $prefix" >&2
build "$work/src/package" "$prefix"
date -u +%FT%TZ >"$prefix/.complete"
echo "$prefix"
