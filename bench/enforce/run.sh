#!/usr/bin/env bash
# The verify benchmark (bench/README.md, "Enforce"): 1,000 services → ~10,000 generated rules plus
# 100 hand-added ones, loaded into a network namespace, read back with nft -j, then timed:
#   portwarden enforce verify --policy policy.yaml --ruleset ruleset.json --router   (the shipped binary)
#   nft -c -f ruleset.nft                                                           (nftables' own check)
# Needs root (namespace) and hyperfine. Usage: sudo bench/enforce/run.sh [SERVICES]
set -euo pipefail
cd "$(dirname "$0")/../.."
services="${1:-1000}"
swift build -c release --product portwarden >/dev/null
swift build -c release --product portwarden-bench-enforce >/dev/null
bin=.build/release
work="$(mktemp -d)"
ns="pwt-benchenf-$$"
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$bin/portwarden-bench-enforce" "$work" "$services"
"$bin/portwarden" enforce nft --policy "$work/policy.yaml" --router --at 2026-12-01 -o "$work/ruleset.nft"
ip netns add "$ns"
ip netns exec "$ns" nft -f "$work/ruleset.nft"
for i in $(seq 1 100); do
    ip netns exec "$ns" nft add rule inet portwarden into_zone_$((i % 20)) tcp dport $((20000 + i)) accept
done
ip netns exec "$ns" nft -j list ruleset > "$work/ruleset.json"
rules=$(grep -o '"rule":' "$work/ruleset.json" | wc -l)
echo "ruleset: $rules rules, $(wc -c < "$work/ruleset.json") bytes of JSON"
"$bin/portwarden" enforce verify --policy "$work/policy.yaml" --ruleset "$work/ruleset.json" --router --at 2026-12-01 \
    --format json > "$work/findings.jsonl" 2> "$work/verify.err" || true
tail -1 "$work/verify.err"
echo "findings: $(grep -c PW-OVER-PERMISSIVE-RULE "$work/findings.jsonl") over-permissive, $(grep -c PW-CONFIG-DRIFT "$work/findings.jsonl") drift"
hyperfine --warmup 1 --runs 10 -N --ignore-failure \
    "$bin/portwarden enforce verify --policy $work/policy.yaml --ruleset $work/ruleset.json --router --at 2026-12-01 --format json" \
    "ip netns exec $ns nft -c -f $work/ruleset.nft"
