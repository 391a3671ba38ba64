#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Banjian needs to build and run (GRDB links the system
# SQLite, grpc-swift-nio-transport links zlib), plus any named as arguments. Installs only what
# is missing; uses sudo only when not already root.
set -euo pipefail

packages=(libsqlite3-dev zlib1g-dev "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
((${#missing[@]})) || exit 0

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}"
