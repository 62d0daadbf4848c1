#!/usr/bin/env bash
# Installs a real VS Code server (code-server@4.100.3 = VS Code 1.100.3, the newest that runs on
# Node 20) into a git-ignored cache dir so extension tests run in a real extension host without
# internet access (@vscode/test-electron downloads a desktop build, which fails offline).
# Recipe: docs/testing.md (extension tests in a real VS Code server). Idempotent: every step is skipped when its
# result is already there, so a cached run costs a few stat calls.
#
# Usage: scripts/install-vscode-server.sh [DIR]   (default: .vscode-test/server)
set -euo pipefail

VERSION=4.100.3
DIR="${1:-$(cd "$(dirname "$0")/.." && pwd)/.vscode-test/server}"
VSCODE="$DIR/node_modules/code-server/lib/vscode"
DONE="$DIR/.installed-$VERSION"

if [[ -f "$DONE" ]]; then
  echo "vscode server $VERSION already installed in $DIR"
  exit 0
fi

# System packages: kerberos headers for a native module, ripgrep (search), chromium (the workbench).
packages=(libkrb5-dev ripgrep chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$DIR"
if [[ ! -f "$VSCODE/out/server-main.js" ]]; then
  echo "npm install code-server@$VERSION (no scripts: its postinstall downloads ripgrep from GitHub)"
  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$DIR" "code-server@$VERSION"
fi

cd "$VSCODE"
if [[ ! -d node_modules/@vscode/spdlog ]]; then
  echo "npm install (VS Code server dependencies)"
  npm install --omit=dev --no-audit --no-fund --ignore-scripts
fi
echo "rebuilding native modules"
npm_config_yes=true npm rebuild @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid

mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar

if [[ ! -d extensions/node_modules ]]; then
  echo "npm install (built-in extensions)"
  (cd extensions && npm install --omit=dev --no-audit --no-fund --ignore-scripts)
fi

touch "$DONE"
echo "vscode server $VERSION installed in $DIR"
