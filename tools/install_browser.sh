#!/usr/bin/env bash
# Install Debian's headless browser for the site's browser test (tests/test_site.py): chromium + chromium-driver.
# Idempotent and quiet: does nothing when both are on PATH. Needs root (CI runs as root) and Debian's package index.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
if have chromium && have chromedriver; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "tools/install_browser.sh: chromium/chromedriver missing and not root; run: sudo apt-get install chromium chromium-driver" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
have chromium && have chromedriver || { echo "tools/install_browser.sh: chromium or chromedriver still missing after apt-get" >&2; exit 1; }
