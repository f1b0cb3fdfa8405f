#!/usr/bin/env bash
# package-linux.sh — the deb and rpm packages of Vellum and of its collector, into
# bin/, from what `make build` left there. Each carries a CycloneDX bill of materials
# (packaging/sbom): the Go modules linked into its binary and the native parts pinned
# in native/, with their SHA-256. nfpm is the pinned github.com/goreleaser/nfpm/v2,
# built from the Go module proxy into the Go cache the first time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
for f in bin/vellum bin/vellum-collector bin/libsherpa-onnx-c-api.so bin/libonnxruntime.so bin/silero_vad_v5.onnx; do
  [ -f "$f" ] || { echo "package-linux: $f is missing: run make build first" >&2; exit 1; }
done
# A version that sorts: the app's, the number of commits (later builds are newer to
# apt and rpm), then the commit it was built from.
base=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
count=$(git rev-list --count HEAD 2>/dev/null || echo 0)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
dirty=$(git diff --quiet HEAD 2>/dev/null || echo .dirty)
export VELLUM_VERSION="${base}+git${count}.${commit}${dirty}"

# The deb's Depends, versioned as the binaries' symbols need (the rpms name theirs in
# packaging/linux/*.yaml, unversioned).
shlibs() {
  local dir
  dir=$(mktemp -d)
  mkdir "$dir/debian"
  printf 'Source: vellum\n\nPackage: vellum\nArchitecture: any\n' >"$dir/debian/control"
  (cd "$dir" && dpkg-shlibdeps -O -l"$top/bin" "${@/#/-e$top/}" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
  rm -rf "$dir"
}
command -v dpkg-shlibdeps >/dev/null || { echo "package-linux: dpkg-shlibdeps is missing (dpkg-dev; make deps installs it)" >&2; exit 1; }
VELLUM_SHLIBS_DEPENDS=$(shlibs bin/vellum bin/libsherpa-onnx-c-api.so bin/libonnxruntime.so)
VELLUM_COLLECTOR_SHLIBS_DEPENDS=$(shlibs bin/vellum-collector)
if [ -z "$VELLUM_SHLIBS_DEPENDS" ] || [ -z "$VELLUM_COLLECTOR_SHLIBS_DEPENDS" ]; then
  echo "package-linux: dpkg-shlibdeps found no dependencies" >&2
  exit 1
fi
export VELLUM_SHLIBS_DEPENDS VELLUM_COLLECTOR_SHLIBS_DEPENDS

go run ./packaging/sbom -binary bin/vellum -native native/sqlite3mc.sh,native/llama.cpp.sh,native/silero-vad.sh \
  -file bin/libsherpa-onnx-c-api.so -file bin/libonnxruntime.so -file bin/silero_vad_v5.onnx > bin/sbom-vellum.cdx.json
go run ./packaging/sbom -binary bin/vellum-collector -native native/sqlite3mc.sh > bin/sbom-vellum-collector.cdx.json
rm -f bin/vellum*.deb bin/vellum*.rpm # one version in bin/ at a time
for pkg in vellum vellum-collector; do
  for fmt in deb rpm; do
    go run "$NFPM" package --config "packaging/linux/$pkg.yaml" --packager "$fmt" --target bin/ >/dev/null
  done
done
ls bin/*.deb bin/*.rpm
