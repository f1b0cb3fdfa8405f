#!/usr/bin/env bash
# package-macos.sh [OUTDIR] — Vellum.pkg for Macs, on a macOS builder with Xcode's
# command line tools, Go, npm and cmake (Homebrew's). No Mac has been lent to this
# project: this script is checked here by shellcheck and its plists by a validator
# (packaging/macos), and has not run. packaging/README.md says what to expect.
#
# It builds bin/vellum for the builder's architecture with Metal (make build GPU=metal),
# makes Vellum.app with `fyne package` (Info.plist from FyneApp.toml, the microphone
# usage text included), puts sherpa-onnx's libraries in Contents/Frameworks and the
# voice activity model in Contents/Resources, points the binary's run path at
# Contents/Frameworks alone (not the Go module cache of this builder, which a user on
# a workstation could create), signs it all with the hardened runtime and
# packaging/macos/entitlements.plist, builds two component packages (the app, not
# relocatable; the launch agent for launch at login) and the product archive with
# packaging/macos/distribution.xml, then notarizes and staples it.
#
# Environment:
#   DEVELOPER_ID_APP        "Developer ID Application: <hospital> (<team>)": signs the app
#   DEVELOPER_ID_INSTALLER  "Developer ID Installer: <hospital> (<team>)": signs the pkg
#   NOTARY_PROFILE          a profile stored by `xcrun notarytool store-credentials`
#   UNSIGNED=1              build without signing or notarizing, to look at (Gatekeeper
#                           refuses the result)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${1:-bin}
FYNE=fyne.io/tools/cmd/fyne@v1.7.4
APP_ID=health.vellum.desktop

die() { echo "package-macos: $*" >&2; exit 1; }
[ "$(uname -s)" = Darwin ] || die "runs on macOS (codesign, pkgbuild and productbuild are Apple's)"
for tool in go xcrun codesign pkgbuild productbuild install_name_tool otool /usr/libexec/PlistBuddy; do
  command -v "$tool" >/dev/null || die "$tool is missing (Xcode's command line tools: xcode-select --install)"
done
if [ "${UNSIGNED:-}" != 1 ]; then
  [ -n "${DEVELOPER_ID_APP:-}" ] || die "set DEVELOPER_ID_APP (or UNSIGNED=1)"
  [ -n "${DEVELOPER_ID_INSTALLER:-}" ] || die "set DEVELOPER_ID_INSTALLER (or UNSIGNED=1)"
  [ -n "${NOTARY_PROFILE:-}" ] || die "set NOTARY_PROFILE (xcrun notarytool store-credentials; or UNSIGNED=1)"
fi

# Installer versions compare number by number: the app's major.minor, then the
# number of commits, as the MSI's.
base=$(sed -n 's/^Version *= *"\([0-9]*\.[0-9]*\)\..*"/\1/p' FyneApp.toml)
version="$base.$(git rev-list --count HEAD 2>/dev/null || echo 0)"
case "$(uname -m)" in
  arm64) triple=aarch64-apple-darwin ;;
  x86_64) triple=x86_64-apple-darwin ;;
  *) die "no sherpa-onnx libraries for $(uname -m)" ;;
esac

make build GPU=metal
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The bundle.
go run "$FYNE" package --os darwin --executable bin/vellum --name Vellum --app-id "$APP_ID" \
  --app-version "$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)" --icon ui/icon.png
mv Vellum.app "$work/"
app="$work/Vellum.app"
exe="$app/Contents/MacOS/vellum"
[ -x "$exe" ] || die "fyne package made no $exe"
mkdir -p "$app/Contents/Frameworks"
mod=$(go list -m -f '{{.Dir}}' github.com/k2-fsa/sherpa-onnx-go-macos)
for lib in libsherpa-onnx-c-api.dylib libonnxruntime.dylib; do
  install -m 0644 "$mod/lib/$triple/$lib" "$app/Contents/Frameworks/$lib"
done
install -m 0644 "$(scripts/native-build.sh --prefix-only silero-vad)/silero_vad_v5.onnx" "$app/Contents/Resources/"

# The run path: Contents/Frameworks alone.
otool -l "$exe" | awk '$1 == "cmd" && $2 == "LC_RPATH" { getline; getline; print $2 }' | while read -r rpath; do
  install_name_tool -delete_rpath "$rpath" "$exe"
done
install_name_tool -add_rpath @executable_path/../Frameworks "$exe"
rpaths=$(otool -l "$exe" | awk '$1 == "cmd" && $2 == "LC_RPATH" { getline; getline; print $2 }')
[ "$rpaths" = "@executable_path/../Frameworks" ] || die "the run path is not Contents/Frameworks alone: $rpaths"
# Every library the binary loads is the system's or the bundle's.
if otool -L "$exe" | tail -n +2 | awk '{print $1}' | grep -v -e '^/usr/lib/' -e '^/System/' -e '^@rpath/'; then
  die "the binary loads a library from outside the system and the bundle (above)"
fi

# Sign from the inside out: the libraries, then the app with its entitlements.
if [ "${UNSIGNED:-}" != 1 ]; then
  for lib in "$app"/Contents/Frameworks/*.dylib; do
    codesign --force --timestamp --options runtime --sign "$DEVELOPER_ID_APP" "$lib"
  done
  codesign --force --timestamp --options runtime --entitlements packaging/macos/entitlements.plist \
    --sign "$DEVELOPER_ID_APP" "$app"
  codesign --verify --strict --deep --verbose=2 "$app"
fi

# The component packages: the app (not relocatable, so an upgrade replaces
# /Applications/Vellum.app rather than a copy a user moved), and the launch agent.
mkdir -p "$work/root-app/Applications" "$work/root-agent/Library/LaunchAgents" "$work/pkgs"
mv "$app" "$work/root-app/Applications/"
install -m 0644 packaging/macos/$APP_ID.plist "$work/root-agent/Library/LaunchAgents/$APP_ID.plist"
pkgbuild --analyze --root "$work/root-app" "$work/components.plist"
/usr/libexec/PlistBuddy -c "Set :0:BundleIsRelocatable false" "$work/components.plist"
pkgbuild --root "$work/root-app" --component-plist "$work/components.plist" --identifier "$APP_ID.app" \
  --version "$version" --install-location / "$work/pkgs/vellum-app.pkg"
pkgbuild --root "$work/root-agent" --identifier "$APP_ID.launchagent" --version "$version" \
  --install-location / "$work/pkgs/vellum-launchagent.pkg"

# The product archive.
sed "s/@VERSION@/$version/g" packaging/macos/distribution.xml > "$work/distribution.xml"
mkdir -p "$out"
pkg="$out/Vellum-$version-$(uname -m).pkg"
sign=()
[ "${UNSIGNED:-}" = 1 ] || sign=(--sign "$DEVELOPER_ID_INSTALLER" --timestamp)
# (${sign[@]+...}: macOS's bash 3.2 calls an empty array unbound under set -u.)
productbuild --distribution "$work/distribution.xml" --package-path "$work/pkgs" ${sign[@]+"${sign[@]}"} "$pkg"

if [ "${UNSIGNED:-}" != 1 ]; then
  xcrun notarytool submit "$pkg" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$pkg"
  xcrun stapler validate "$pkg"
  spctl --assess --type install --verbose=2 "$pkg"
fi
echo "$pkg"
