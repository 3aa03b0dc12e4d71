#!/usr/bin/env bash
# System packages some tests use (a real browser). Best effort: tests that
# need what could not be installed skip with a clear reason.
set -u
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "test-deps: could not install chromium; browser tests will be skipped"
fi
exit 0
