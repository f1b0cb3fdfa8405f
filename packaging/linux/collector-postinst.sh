#!/bin/sh
# The collector runs as a system user of its own, with no shell and no home.
set -e
if ! getent passwd vellum-collector >/dev/null; then
  adduser --system --group --no-create-home --home /nonexistent --shell /usr/sbin/nologin vellum-collector >/dev/null
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null || true
fi
