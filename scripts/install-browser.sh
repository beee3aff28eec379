#!/bin/sh
# Debian's chromium for the browser tests and image exports (Playwright and kaleido drive it;
# neither may download a browser of its own here), fonts with Arabic-script and emoji coverage
# for screenshots, and poppler's pdftoppm to look at exported PDFs. Needs root or sudo.
set -e
if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic" && fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian chromium and fonts for the browser tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils fonts-noto-core fonts-noto-color-emoji fonts-dejavu-core >/dev/null
