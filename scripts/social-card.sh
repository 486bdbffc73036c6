#!/usr/bin/env bash
# Renders scripts/social-card.svg into docs/assets/images/social-card.png
# (1200x630), the image link previews show for a page of this site. Run it by
# hand after changing the SVG; it needs Chromium (Debian package `chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1200,630 \
  --screenshot="$PWD/docs/assets/images/social-card.png" "file://$PWD/scripts/social-card.svg"
