#!/usr/bin/env bash
# bench/ingest: the shipped release binary, `portwarden check`, on a 1,048,560-line observation file in
# the scan's line format, beside jq extracting the open ports from the same file, in the same run.
# Prints a Markdown table (wall seconds and peak RSS, median of RUNS runs each, GNU time) for
# bench/README.md, and whether the two agree on the open ports.
#
#   bench/ingest/run.sh [RUNS]        (default 3; needs jq and GNU time; run as root, it writes the
#                                      input as the user nobody)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
swift build -c release --product portwarden >/dev/null
binary=.build/release/portwarden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input="$work/scan.jsonl"
# Python runs as an unprivileged user, writing only into this directory.
if [ "$(id -u)" = 0 ]; then
    chown nobody "$work"
    runuser -u nobody -- /usr/bin/python3 bench/ingest/generate.py "$input"
else
    /usr/bin/python3 bench/ingest/generate.py "$input"
fi
lines=$(wc -l < "$input")
size=$(du -m "$input" | cut -f1)
check=("$binary" check --no-store --policy examples/multi-zone.yaml --observations "$input"
    --at 2026-11-29T12:00:00Z --format json --fail-on critical)
extract=(jq -c 'select(.state=="open") | [.host,.port]' "$input")

# One run: "seconds peak-KiB exit-status", the command's output kept in $work/out.TOOL. GNU time puts a
# "Command exited with non-zero status N" line before the numbers when the status is not 0.
measure() {
    local tool=$1
    shift
    local status=0
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out.$tool" 2> "$work/err.$tool" || status=$?
    echo "$(tail -n 1 "$work/time") $status"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A seconds rss
for tool in portwarden jq; do
    : > "$work/$tool.s"
    : > "$work/$tool.m"
    for _ in $(seq "$runs"); do
        if [ "$tool" = portwarden ]; then
            read -r s m status < <(measure portwarden "${check[@]}")
            # check exits 1 when a finding is at or above --fail-on (this input has critical ones).
            if [ "$status" != 1 ]; then
                echo "portwarden check exited $status:" >&2
                cat "$work/err.portwarden" >&2
                exit 1
            fi
        else
            read -r s m status < <(measure jq "${extract[@]}")
            if [ "$status" != 0 ]; then
                echo "jq exited $status:" >&2
                cat "$work/err.jq" >&2
                exit 1
            fi
        fi
        echo "$s" >> "$work/$tool.s"
        echo "$m" >> "$work/$tool.m"
    done
    seconds[$tool]=$(median < "$work/$tool.s")
    rss[$tool]=$(( $(median < "$work/$tool.m") / 1024 ))
done
speedup=$(awk -v a="${seconds[jq]}" -v b="${seconds[portwarden]}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')

# Agreement: the open (host, port) pairs jq lists, against the pairs check's findings name (every
# finding about a port must be about an open one; authorized open ports are no finding).
sort -u "$work/out.jq" > "$work/open.pairs"
findings=$(wc -l < "$work/out.portwarden")
jq -c 'select(.port != null) | [.host,.port]' "$work/out.portwarden" | sort -u > "$work/finding.pairs"
open=$(wc -l < "$work/open.pairs")
named=$(wc -l < "$work/finding.pairs")
outside=$(comm -13 "$work/open.pairs" "$work/finding.pairs" | wc -l)
clean=$(comm -23 "$work/open.pairs" "$work/finding.pairs" | tr '\n' ' ')
warnings=$(wc -l < "$work/err.portwarden")

echo "input: $lines lines, $size MB ($(grep -c '"state":"open"' "$input") open); $runs runs each, median;" \
    "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool | command | seconds | peak RSS (MB) | output |"
echo "|---|---|---:|---:|---|"
echo "| portwarden $("$binary" --version 2>/dev/null || echo '?') (release) | \`portwarden check --no-store --policy examples/multi-zone.yaml --observations scan.jsonl --at 2026-11-29T12:00:00Z --format json --fail-on critical\` | ${seconds[portwarden]} | ${rss[portwarden]} | $findings findings on $named (host, port) pairs; stderr $warnings lines |"
echo "| jq $(jq --version | sed 's/jq-//') | \`jq -c 'select(.state==\"open\") \\| [.host,.port]' scan.jsonl\` | ${seconds[jq]} | ${rss[jq]} | $open open (host, port) pairs |"
echo
echo "ratio: jq wall / portwarden wall = ${speedup}× (target ≥ 10×; all runs: portwarden $(tr '\n' ' ' < "$work/portwarden.s")s, jq $(tr '\n' ' ' < "$work/jq.s")s)"
echo "agreement: findings name $named of jq's $open open pairs, $outside pairs that jq does not list as open;" \
    "open pairs without a finding (authorized by the policy): ${clean:-none}"
