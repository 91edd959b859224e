#!/usr/bin/env bash
# bench/ingest: `portwarden check` on a 1,048,576-line observation file in the scan's line format,
# beside jq extracting the open ports from the same file, in the same run. Prints a Markdown table
# (wall seconds and peak RSS, median of RUNS runs each) for bench/README.md.
#
#   bench/ingest/run.sh [RUNS]        (default 3; needs jq and GNU time)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
swift build -c release --product portwarden >/dev/null
binary=.build/release/portwarden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/ingest/generate.py "$work/scan.jsonl"
lines=$(wc -l < "$work/scan.jsonl")
size=$(du -m "$work/scan.jsonl" | cut -f1)

# One run: "seconds peak-KiB", the command's own output discarded.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || true
    cat "$work/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A seconds rss
for tool in portwarden jq; do
    : > "$work/$tool.s"
    : > "$work/$tool.m"
    for _ in $(seq "$runs"); do
        if [ "$tool" = portwarden ]; then
            result=$(measure "$binary" check --policy examples/multi-zone.yaml --observations "$work/scan.jsonl" \
                --at 2026-11-29T12:00:00Z --format json --fail-on critical)
        else
            result=$(measure jq -c 'select(.state=="open") | [.host,.port]' "$work/scan.jsonl")
        fi
        echo "${result% *}" >> "$work/$tool.s"
        echo "${result#* }" >> "$work/$tool.m"
    done
    seconds[$tool]=$(median < "$work/$tool.s")
    rss[$tool]=$(( $(median < "$work/$tool.m") / 1024 ))
done
findings=$("$binary" check --policy examples/multi-zone.yaml --observations "$work/scan.jsonl" \
    --at 2026-11-29T12:00:00Z --format json --fail-on critical 2>/dev/null | wc -l)
speedup=$(awk -v a="${seconds[jq]}" -v b="${seconds[portwarden]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')

echo "input: $lines lines, $size MB ($(grep -c '"open"' "$work/scan.jsonl") open); $runs runs each, median"
echo
echo "| tool | command | seconds | peak RSS (MB) |"
echo "|---|---|---:|---:|"
echo "| portwarden | \`check --policy examples/multi-zone.yaml --observations scan.jsonl --format json\` ($findings findings) | ${seconds[portwarden]} | ${rss[portwarden]} |"
echo "| jq $(jq --version | sed 's/jq-//') | \`jq -c 'select(.state==\"open\") \\| [.host,.port]'\` | ${seconds[jq]} | ${rss[jq]} |"
echo
echo "portwarden is ${speedup}× faster than jq"
