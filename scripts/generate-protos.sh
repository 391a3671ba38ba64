#!/usr/bin/env bash
# Regenerates the committed Swift code in Sources/BanjianWire/Generated/ from proto/.
#
# Usage:
#   scripts/generate-protos.sh           regenerate (wipes Generated/*.swift, writes fresh)
#   scripts/generate-protos.sh --check   regenerate into a temp dir and diff against the
#                                        committed files; exit 1 on drift
#
# Needs protoc (Debian: apt-get install -y protobuf-compiler). The two protoc plugins are
# built from this package's own pinned dependencies (so they never outrun the linked
# SwiftProtobuf / GRPCProtobuf libraries) with
#   swift build -c release --scratch-path .build-protoc --product protoc-gen-swift
#   swift build -c release --scratch-path .build-protoc --product protoc-gen-grpc-swift-2
# which is a no-op when they are up to date. Set PROTOC_GEN_BIN to a directory holding
# both plugin binaries to skip that build.
#
# The script takes no lock; on a shared 2-core machine run it as
#   flock /tmp/swift.lock scripts/generate-protos.sh
set -euo pipefail

usage() {
  sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

mode=generate
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

proto_dir=proto
out_dir=Sources/BanjianWire/Generated

if ! command -v protoc >/dev/null 2>&1; then
  echo "error: protoc not found. Install it with: apt-get install -y protobuf-compiler" >&2
  exit 1
fi

if [[ -n "${PROTOC_GEN_BIN:-}" ]]; then
  bin="$PROTOC_GEN_BIN"
else
  scratch=.build-protoc
  for product in protoc-gen-swift protoc-gen-grpc-swift-2; do
    echo "Building $product (release)..." >&2
    swift build -c release --scratch-path "$scratch" --product "$product" >&2
  done
  bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
fi
for plugin in protoc-gen-swift protoc-gen-grpc-swift-2; do
  if [[ ! -x "$bin/$plugin" ]]; then
    echo "error: $bin/$plugin is missing or not executable" >&2
    exit 1
  fi
done

# Every .proto under proto/, in a stable order (banjian/v1/* and the vendored
# grpc/health/v1/health.proto).
protos=()
while IFS= read -r -d '' file; do
  protos+=("$file")
done < <(find "$proto_dir" -name '*.proto' -print0 | LC_ALL=C sort -z)
if [[ ${#protos[@]} -eq 0 ]]; then
  echo "error: no .proto files under $proto_dir/" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Package visibility keeps generated types inside the Banjian package; file names
# follow the proto path (banjian/v1/case.proto -> banjian_v1_case.pb.swift).
options="Visibility=Package,FileNaming=PathToUnderscores,UseAccessLevelOnImports=true"
protoc \
  --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  -I "$proto_dir" \
  --swift_opt="$options" --swift_out="$tmp" \
  "${protos[@]}"

# gRPC stubs only for the files that define a service (the plugin would otherwise write
# an empty file for every message-only proto).
services=()
for file in "${protos[@]}"; do
  if grep -q '^service ' "$file"; then
    services+=("$file")
  fi
done
protoc \
  --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  -I "$proto_dir" \
  --grpc-swift-2_opt="$options" --grpc-swift-2_out="$tmp" \
  "${services[@]}"

count=$(find "$tmp" -name '*.swift' | wc -l)

if [[ "$mode" == check ]]; then
  committed="$tmp/committed"
  mkdir "$committed"
  if compgen -G "$out_dir/*.swift" >/dev/null; then
    cp "$out_dir"/*.swift "$committed"/
  fi
  fresh="$tmp/fresh"
  mkdir "$fresh"
  find "$tmp" -maxdepth 1 -name '*.swift' -exec mv {} "$fresh"/ \;
  if diff -ru "$committed" "$fresh"; then
    echo "Generated code is up to date ($count files)."
  else
    echo "error: $out_dir/ is out of date with $proto_dir/; run scripts/generate-protos.sh" >&2
    exit 1
  fi
  exit 0
fi

mkdir -p "$out_dir"
find "$out_dir" -maxdepth 1 -name '*.swift' -delete
find "$tmp" -maxdepth 1 -name '*.swift' -exec cp {} "$out_dir"/ \;
echo "Wrote $count files to $out_dir/."
