#!/usr/bin/env bash
# bench/logs: the shipped release binary, `portwarden ingest`, on generated netfilter LOG lines and on a
# generated Suricata eve.json, without a store (--no-store: parse and judge) and with a SQLite store
# (alerts, usage and offsets committed), beside jq extracting the same fields from the same eve.json,
# all in one run. Prints a Markdown table for bench/README.md (wall seconds, lines/s, CPU seconds and
# peak RSS from GNU time, median of RUNS runs), and whether the counts portwarden reports agree with
# the generator's and with jq's.
#
#   bench/logs/run.sh [RUNS] [NETFILTER_LINES] [EVE_LINES]
#       (defaults 1, 10000000, 1000000; needs jq, GNU time, taskset and sqlite3; run as root, it writes
#        the inputs as the user nobody; NO_BUILD=1 skips building the release binary)
#
# Every measured command is pinned to one core (taskset -c 0). With more than 1,000,000 netfilter lines
# the first 1,000,000 are measured too, to show whether memory stays flat as the input grows.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-1}
nf_lines=${2:-10000000}
eve_lines=${3:-1000000}
# NO_BUILD=1 measures the release binary as it is (another build holds the package's lock).
if [ "${NO_BUILD:-}" != 1 ]; then swift build -c release --product portwarden >/dev/null; fi
binary=$PWD/.build/release/portwarden
policy=examples/multi-zone.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# Python runs as an unprivileged user, writing only into this directory.
generate() {
    if [ "$(id -u)" = 0 ]; then
        chown nobody "$work"
        runuser -u nobody -- /usr/bin/python3 bench/logs/generate.py "$@"
    else
        /usr/bin/python3 bench/logs/generate.py "$@"
    fi
}
generate netfilter "$work/nf.log" "$nf_lines" "$work/nf.counts"
generate suricata "$work/eve.json" "$eve_lines" "$work/eve.counts"
if [ "$nf_lines" -gt 1000000 ]; then head -n 1000000 "$work/nf.log" > "$work/nf-1m.log"; fi

# One run: "wall-seconds cpu-seconds peak-KiB exit-status"; output in $work/out, stderr in $work/err.
# GNU time puts a "Command exited with non-zero status N" line before the numbers when it is not 0.
measure() {
    local status=0
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" taskset -c 0 "$@" > "$work/out" 2> "$work/err" || status=$?
    tail -n 1 "$work/time" | awk -v s="$status" '{ printf "%s %.2f %s %s\n", $1, $2 + $3, $4, s }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The counts `ingest` reports on stderr: "flows security-events ignored broken lines".
summary() {
    sed -nE 's/^portwarden: ([0-9]+) lines? read: ([0-9]+) flows?, ([0-9]+) security events?, ([0-9]+) ignored, ([0-9]+) broken lines? skipped$/\2 \3 \4 \5 \1/p' "$1"
}

# The generator's counts in the same order, for the whole file or its first million lines.
expected() {
    jq -r ".$2 | \"\(.flows) \(.security_events) \(.ignored) \(.broken) \(.lines)\"" "$1"
}

rows=()
# run NAME INPUT-LINES EXPECTED KEEP-STORE COMMAND...: RUNS runs (a fresh store before each when
# KEEP-STORE is "store"), the median row appended to $rows; $work/out.NAME keeps the last run's output.
run() {
    local name=$1 lines=$2 want=$3 store=$4
    shift 4
    : > "$work/s"
    : > "$work/c"
    : > "$work/m"
    local status=0 s c m
    for _ in $(seq "$runs"); do
        if [ "$store" = store ]; then
            rm -rf "$work/store"
            "$binary" init --db "$work/store" > /dev/null
        fi
        read -r s c m status < <(measure "$@")
        if [ "$status" != 0 ] && [ "$status" != 1 ]; then
            echo "$name exited $status:" >&2
            tail -n 20 "$work/err" >&2
            exit 1
        fi
        echo "$s" >> "$work/s"
        echo "$c" >> "$work/c"
        echo "$m" >> "$work/m"
    done
    cp "$work/out" "$work/out.$name"
    cp "$work/err" "$work/err.$name"
    s=$(median < "$work/s")
    c=$(median < "$work/c")
    m=$(( $(median < "$work/m") / 1024 ))
    local rate
    rate=$(awk -v n="$lines" -v s="$s" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    local got agree
    if [ "$want" = jq ]; then
        got="$(wc -l < "$work/out") records"
        agree="-"
    else
        got=$(summary "$work/err")
        if [ "$got" = "$want" ]; then agree=yes; else agree="NO (expected $want)"; fi
        got="$got; $(wc -l < "$work/out") alerts"
    fi
    echo "$s" > "$work/seconds.$name"
    rows+=("| $name | $lines | $s | $rate | $c | $m | $got | $agree |")
}

at=(--at 2026-11-30T00:00:00Z)
ingest=("$binary" ingest --policy "$policy" --output json --fail-on critical)
nf_all=$(expected "$work/nf.counts" all)
eve_all=$(expected "$work/eve.counts" all)
if [ -f "$work/nf-1m.log" ]; then
    nf_1m=$(expected "$work/nf.counts" first_1000000)
    run "netfilter, --no-store, 1M" 1000000 "$nf_1m" none \
        "${ingest[@]}" --no-store "${at[@]}" --format netfilter "$work/nf-1m.log"
    run "netfilter, SQLite store, 1M" 1000000 "$nf_1m" store \
        "${ingest[@]}" --db "$work/store" "${at[@]}" --format netfilter "$work/nf-1m.log"
fi
run "netfilter, --no-store" "$nf_lines" "$nf_all" none \
    "${ingest[@]}" --no-store "${at[@]}" --format netfilter "$work/nf.log"
run "netfilter, SQLite store" "$nf_lines" "$nf_all" store \
    "${ingest[@]}" --db "$work/store" "${at[@]}" --format netfilter "$work/nf.log"
# The store now holds the file's offset: a second run must read nothing again.
"$binary" ingest --policy "$policy" --output json --fail-on critical --db "$work/store" "${at[@]}" \
    --format netfilter "$work/nf.log" > /dev/null 2> "$work/err.again" || true
again=$(summary "$work/err.again" | awk '{ print $5 }')
stored=$(sqlite3 "$work/store/portwarden.sqlite" \
    "SELECT flows || ' ' || security_events || ' ' || problems || ' ' || line FROM log_offsets" 2>/dev/null || echo "?")

run "eve.json, --no-store" "$eve_lines" "$eve_all" none \
    "${ingest[@]}" --no-store --format suricata "$work/eve.json"
run "eve.json, SQLite store" "$eve_lines" "$eve_all" store \
    "${ingest[@]}" --db "$work/store" --format suricata "$work/eve.json"
# The fields the Suricata parser reads, from the records it judges.
filter='select(.event_type == "flow" or .event_type == "netflow" or .event_type == "drop" or .event_type == "alert"
  or .event_type == "anomaly") | [.event_type, .timestamp, .src_ip, .src_port, .dest_ip, .dest_port, .proto, .host,
  .flow_id, .community_id, .icmp_type, .icmp_code, (.flow.state // .tcp.state), .flow.action,
  (.flow.pkts_toclient // .netflow.pkts), (.alert.signature // .anomaly.event), .alert.signature_id, .alert.severity,
  .alert.action]'
run "eve.json, jq" "$eve_lines" jq none jq -c "$filter" "$work/eve.json"
jq_flows=$(grep -cE '^\["(flow|netflow|drop)"' "$work/out.eve.json, jq" || true)
jq_security=$(grep -cE '^\["(alert|anomaly)"' "$work/out.eve.json, jq" || true)
read -r pw_flows pw_security _ < <(summary "$work/err.eve.json, --no-store")

ratio() {
    awk -v a="$(cat "$work/seconds.eve.json, jq")" -v b="$(cat "$work/seconds.$1")" \
        'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'
}

echo "inputs: $nf_lines netfilter lines ($(du -m "$work/nf.log" | cut -f1) MB), $eve_lines eve.json records" \
    "($(du -m "$work/eve.json" | cut -f1) MB); $runs run(s) each, median; every command on one core (taskset -c 0);" \
    "$(nproc) cores, load $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
    "portwarden $("$binary" --version 2>/dev/null || echo '?') (release), $(jq --version)"
echo
echo "| run | lines | seconds | lines/s | CPU s | peak RSS (MB) | flows, security events, ignored, broken, lines; output | agrees with the generator |"
echo "|---|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "eve.json: jq wall / portwarden wall = $(ratio "eve.json, --no-store")× without a store," \
    "$(ratio "eve.json, SQLite store")× with one (target ≥ 10×)"
echo "eve.json agreement: jq extracted $jq_flows flow records and $jq_security alert/anomaly records;" \
    "portwarden counted $pw_flows flows and $pw_security security events" \
    "($([ "$jq_flows $jq_security" = "$pw_flows $pw_security" ] && echo agree || echo DISAGREE))"
echo "store: log_offsets row for nf.log (flows security-events broken line): $stored;" \
    "a second run on the same store read $again lines"
echo
echo "commands (INPUT is the generated file):"
echo "- \`portwarden ingest --policy $policy --output json --fail-on critical --no-store --at 2026-11-30T00:00:00Z --format netfilter INPUT\`"
echo "- \`portwarden ingest --policy $policy --output json --fail-on critical --db STORE --at 2026-11-30T00:00:00Z --format netfilter INPUT\` (after \`portwarden init --db STORE\`, untimed)"
echo "- the same two with \`--format suricata\` (no --at), and \`jq -c '$(echo "$filter" | tr -s ' \n' ' ')' eve.json\`"
