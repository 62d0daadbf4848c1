#!/usr/bin/env bash
# Debian packages the tests and benchmarks run for real: prometheus (+promtool), victoria-metrics,
# ripgrep (the index's pre-filter, the bench:index baseline, VS Code search), chromium (drives the VS Code workbench in the
# extension tests), libkrb5-dev (a native module of the VS Code server), strace (the fresh-clone
# check: nothing outside the clone is touched). Idempotent: installs only
# what is missing. Needs root (CI and dev machines run as root).
set -euo pipefail
packages=(prometheus victoria-metrics ripgrep chromium libkrb5-dev strace)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all present: ${packages[*]}"
fi
