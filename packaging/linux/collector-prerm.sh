#!/bin/sh
# Removed (not upgraded): stop the service first.
set -e
case "$1" in
  remove|0)
    if [ -d /run/systemd/system ]; then
      systemctl stop vellum-collector.service >/dev/null 2>&1 || true
    fi
    ;;
esac
