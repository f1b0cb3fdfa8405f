#!/bin/sh
# The collector runs as a system user of its own, with no shell and no home:
# adduser on Debian, useradd on RPM systems.
set -e
if ! getent passwd vellum-collector >/dev/null; then
  if command -v adduser >/dev/null && adduser --help 2>&1 | grep -q -- --system; then
    adduser --system --group --no-create-home --home /nonexistent --shell /usr/sbin/nologin vellum-collector >/dev/null
  else
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /sbin/nologin vellum-collector
  fi
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null || true
fi
