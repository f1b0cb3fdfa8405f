#!/usr/bin/env bash
# windows-resource.sh OUT.syso — vellum.exe's icon and version information
# (packaging/windows/vellum.rc) as a COFF object the Go linker takes in when OUT lies
# in the package's folder (make windows puts it in cmd/vellum/, ignored by git). The
# version is FyneApp.toml's, its fourth number the commit count, as the MSI's.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: windows-resource.sh OUT.syso}
command -v x86_64-w64-mingw32-windres >/dev/null || { echo "windows-resource: x86_64-w64-mingw32-windres is missing (binutils-mingw-w64)" >&2; exit 1; }
version=$(sed -n 's/^Version *= *"\([0-9]*\.[0-9]*\.[0-9]*\)".*/\1/p' "$top/FyneApp.toml")
[ -n "$version" ] || { echo "windows-resource: no major.minor.patch Version in FyneApp.toml" >&2; exit 1; }
build=$(git -C "$top" rev-list --count HEAD 2>/dev/null || echo 0)
IFS=. read -r major minor patch <<<"$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# An .ico holding the 256x256 PNG as it is (Windows Vista and later read PNG
# entries): the 6-byte header, one 16-byte entry (0 for 256 pixels), then the PNG.
png="$top/ui/icon.png"
size=$(stat -c %s "$png")
le() { # le VALUE BYTES: VALUE little-endian in BYTES bytes, as printf escapes
  local v=$1 n=$2 s=""
  for ((i = 0; i < n; i++)); do s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 255))); done
  printf '%s' "$s"
}
# shellcheck disable=SC2059 # the format is the bytes
printf "$(le 0 2)$(le 1 2)$(le 1 2)\x00\x00\x00\x00$(le 1 2)$(le 32 2)$(le "$size" 4)$(le 22 4)" >"$work/vellum.ico"
cat "$png" >>"$work/vellum.ico"

x86_64-w64-mingw32-windres --target=pe-x86-64 -O coff \
  -DICON_FILE="\\\"$work/vellum.ico\\\"" -DVER_MAJOR="$major" -DVER_MINOR="$minor" -DVER_PATCH="$patch" \
  -DVER_BUILD="$build" -DVER_STRING="\\\"$version.$build\\\"" \
  -i "$top/packaging/windows/vellum.rc" -o "$out"
