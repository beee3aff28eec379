#!/bin/sh
# Debian's chromium for the browser tests (Playwright drives it; it cannot download its own
# browser here) and fonts with Arabic-script coverage for screenshots. Needs root or sudo.
set -e
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic" && fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian chromium and fonts for the browser tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-core fonts-noto-color-emoji fonts-dejavu-core >/dev/null
