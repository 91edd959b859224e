#!/usr/bin/env bash
# Side-by-side scanning benchmark (reference/scanning.md §12): Portwarden's connect engine
# (`default` and `fast` profiles), `nmap -sT -T4`, `nmap -sS -T4` and masscan (veth scenarios only)
# on scenarios
#   A1  loopback, 1 host × 65 535 TCP ports
#   A2  loopback, 16 hosts × 65 535 TCP ports (the issue's anchor)
#   B1  veth, 1 host × 65 535, 10 000 dropped, 1 000 ICMP admin-prohibited, 100 TCP reset, ICMP limits off
#   B3  as B1 with the kernel's default ICMP rate limits (filtered vs closed scored, not the reason)
#   F   the issue's anchor: veth, 1 host (10.99.0.6) × 65 535, 55 000 ports (10000–64999) silently dropped
#   C   veth, a tarpit host (every port redirected to one listener) + 3 normal hosts, ports 1–20 000
# and prints, per scenario × tool: wall time, ports/s, peak RSS, open recall, open precision,
# closed/filtered accuracy against the ground truth, and the time ratio to nmap -sT.
#
# SAFETY: every scanner runs inside a namespace this script creates. Loopback scenarios run on the
# loopback of their own namespace (listeners on 127.10.0.x inside it); veth scenarios run from a
# scanner namespace to a target namespace joined by a veth pair with no route out. Nothing is sent
# in or to the host's own namespace. Everything is removed on exit (trap).
#
# Run as root from the package root: bench/scan/run.sh [scenario…]   (default: A1 A2 B1 B3 C)
# Needs ip, nft, python3, /usr/bin/time; nmap and masscan are optional ("not installed" rows).
set -euo pipefail

SCENARIOS=${*:-"A1 A2 B1 B3 C"}
LO_NS=pwbench-lo
SCN_NS=pwbench-scn
TGT_NS=pwbench-tgt
SCN_IF=pwbscn0
TGT_IF=pwbtgt0
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$LO_NS" 2>/dev/null || true
    ip netns del "$SCN_NS" 2>/dev/null || true
    ip netns del "$TGT_NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
HAVE_NMAP=$(command -v nmap >/dev/null && echo 1 || echo 0)
HAVE_MASSCAN=$(command -v masscan >/dev/null && echo 1 || echo 0)

swift build -c release --product portwarden-bench-scan >/dev/null
BENCH=$(swift build -c release --show-bin-path)/portwarden-bench-scan

# Listeners: one python3 process per namespace, accepting and closing on every (address, port) of
# its ground-truth file (lines "address port").
listen() {  # $1 = namespace, $2 = file of "address port"
    ip netns exec "$1" python3 -c "
import socket, select, sys
ss = []
for line in open('$2'):
    a, p = line.split()
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a, int(p))); s.listen(4096); ss.append(s)
print('ready', flush=True)
while True:
    for s in select.select(ss, [], [])[0]:
        try: s.accept()[0].close()
        except OSError: pass
" > "$WORK/listen.$1" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q ready "$WORK/listen.$1" 2>/dev/null && return; sleep 0.1; done
    echo "listeners in $1 did not start" >&2; exit 3
}

# ---- the labs -------------------------------------------------------------------------------
LO_HOSTS=$(seq -f '127.10.0.%g' 1 16 | tr '\n' ' ')
setup_loopback() {
    ip netns add "$LO_NS"
    ip -n "$LO_NS" link set lo up
    # 8 random open ports per host (fixed seed, recorded), on 127.10.0.1–16 inside the namespace.
    python3 -c "
import random
r = random.Random(2026)
for h in range(1, 17):
    for p in sorted(r.sample(range(1, 65536), 8)): print(f'127.10.0.{h} {p}')
" > "$WORK/lo.open"
    listen "$LO_NS" "$WORK/lo.open"
}

setup_veth() {
    ip netns add "$SCN_NS"
    ip netns add "$TGT_NS"
    ip link add "$SCN_IF" netns "$SCN_NS" type veth peer name "$TGT_IF" netns "$TGT_NS"
    ip -n "$SCN_NS" addr add 10.99.0.1/24 dev "$SCN_IF"
    for h in 2 3 4 5 6 250; do ip -n "$TGT_NS" addr add "10.99.0.$h/24" dev "$TGT_IF"; done
    for ns in "$SCN_NS" "$TGT_NS"; do ip -n "$ns" link set lo up; done
    ip -n "$SCN_NS" link set "$SCN_IF" up
    ip -n "$TGT_NS" link set "$TGT_IF" up
    local t="ip netns exec $TGT_NS nft"
    $t add table inet f
    $t add chain inet f input '{ type filter hook input priority 0 ; }'
    $t add rule inet f input tcp dport 20000-29999 drop
    $t add rule inet f input tcp dport 30000-30999 reject with icmpx admin-prohibited
    $t add rule inet f input tcp dport 31000-31099 reject with tcp reset
    # Scenario F: host .6 drops 55 000 ports before any other rule sees them.
    $t insert rule inet f input ip daddr 10.99.0.6 tcp dport 10000-64999 drop
    # Scenario C: every port of 10.99.0.250 goes to port 9999 of the interface's primary address
    # (10.99.0.2), where a listener answers.
    $t add table ip tarpit
    $t add chain ip tarpit pre '{ type nat hook prerouting priority dstnat ; }'
    $t add rule ip tarpit pre ip daddr 10.99.0.250 tcp dport 1-65535 redirect to :9999
    {
        for p in 22 80 443 5432 8080 9999 40000 50000 65535 25000; do echo "10.99.0.2 $p"; done
        for p in 21 3306 6379 15000; do echo "10.99.0.3 $p"; done
        for p in 25 8443 11211; do echo "10.99.0.4 $p"; done
        for p in 1433 18080; do echo "10.99.0.5 $p"; done
        for p in 22 443 8080 9000 65000 65535 30000; do echo "10.99.0.6 $p"; done
    } > "$WORK/veth.open"
    listen "$TGT_NS" "$WORK/veth.open"
    for _ in $(seq 50); do ip netns exec "$SCN_NS" ping -c1 -W1 10.99.0.2 >/dev/null 2>&1 && break; done
}

icmp_limits() {  # off | default
    if [ "$1" = off ]; then
        ip netns exec "$TGT_NS" sysctl -q -w net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 \
            net.ipv4.icmp_msgs_burst=100000
    else
        ip netns exec "$TGT_NS" sysctl -q -w net.ipv4.icmp_ratelimit=1000 net.ipv4.icmp_msgs_per_sec=1000 \
            net.ipv4.icmp_msgs_burst=50
    fi
}

# ---- one scenario ---------------------------------------------------------------------------
# Ground truth: "host port state" for every scored (host, port); the tarpit host is not scored
# (its ports are open at the TCP level and meaningless), its flag and probe count are reported.
truth() {  # $1 = kind (lo|veth), $2 = hosts, $3 = first port, $4 = last port, $5 = open file
    python3 - "$@" > "$WORK/truth" <<'PY'
import sys
kind, hosts, first, last, openfile = sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
opened = {tuple(l.split()) for l in open(openfile)}
for h in hosts:
    if h == '10.99.0.250': continue
    for p in range(first, last + 1):
        if h == '10.99.0.6': s = 'filtered' if 10000 <= p <= 64999 else ('open' if (h, str(p)) in opened else 'closed')
        elif kind == 'veth' and 20000 <= p <= 30999: s = 'filtered'
        elif (h, str(p)) in opened: s = 'open'
        else: s = 'closed'
        print(h, p, s)
PY
}

# Scores a tool's "host port state" listing (ports not listed have state $2) against the truth.
score() {  # $1 = listing, $2 = default state
    python3 - "$WORK/truth" "$1" "$2" <<'PY'
import sys
found = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 3: found[(f[0], f[1])] = f[2]
default = sys.argv[3]
tp = fp = fn = ok = other = 0
truth_keys = set()
for line in open(sys.argv[1]):
    h, p, s = line.split()
    truth_keys.add((h, p))
    g = found.get((h, p), default)
    if s == 'open':
        tp += g == 'open'; fn += g != 'open'
    else:
        other += 1; ok += g == s; fp += g == 'open'
fp += sum(1 for k, v in found.items() if v == 'open' and k not in truth_keys and k[0] != '10.99.0.250')
recall = 100.0 * tp / (tp + fn) if tp + fn else 100.0
precision = 100.0 * tp / (tp + fp) if tp + fp else 100.0
accuracy = 100.0 * ok / other if other else 100.0
print(f'{recall:.1f} {precision:.1f} {accuracy:.2f} {fn}')
PY
}

# nmap XML → "host port state" for every port (extraports expanded from extrareasons/@ports).
nmap_listing() {  # $1 = xml, $2 = out
    python3 - "$1" > "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
def expand(text):
    for part in text.split(','):
        a, _, b = part.partition('-')
        yield from range(int(a), int(b or a) + 1)
for host in ET.parse(sys.argv[1]).getroot().iter('host'):
    addr = host.find('address').get('addr')
    ports = host.find('ports')
    if ports is None: continue
    for port in ports.iter('port'):
        print(addr, port.get('portid'), port.find('state').get('state'))
    for extra in ports.iter('extraports'):
        for reasons in extra.iter('extrareasons'):
            for p in expand(reasons.get('ports', '')) if reasons.get('ports') else []:
                print(addr, p, extra.get('state'))
PY
}

# masscan -oJ → "host port state" (open and closed answers; silence is filtered).
masscan_listing() {  # $1 = json, $2 = out
    python3 - "$1" > "$2" <<'PY'
import sys, json
text = open(sys.argv[1]).read().strip().rstrip(',')
if not text.startswith('['): text = '[' + text + ']'
text = text.replace(',\n]', '\n]')
try: records = json.loads(text)
except ValueError: records = []
for r in records:
    for p in r.get('ports', []):
        print(r['ip'], p['port'], 'open' if p.get('status') == 'open' else 'closed')
PY
}

declare -A NMAP_WALL
ROWS="$WORK/rows"
: > "$ROWS"

# Runs one tool under GNU time inside a namespace and appends its row.
measure() {  # $1 scenario, $2 tool, $3 namespace, $4 count, $5 default state, $6 listing-kind, rest = command
    local scenario=$1 tool=$2 ns=$3 count=$4 default=$5 kind=$6; shift 6
    local base="$WORK/$scenario.$tool"
    if ! /usr/bin/time -f '%e %M' -o "$base.time" ip netns exec "$ns" "$@" > "$base.out" 2> "$base.err"; then
        printf '%s|%s|failed: %s\n' "$scenario" "$tool" "$(tail -1 "$base.err")" >> "$ROWS"
        return
    fi
    case $kind in
        portwarden) cp "$base.out" "$base.list" ;;
        nmap) nmap_listing "$base.xml" "$base.list" ;;
        masscan) masscan_listing "$base.json" "$base.list" ;;
    esac
    local wall rss recall precision accuracy missed note=""
    read -r wall rss < "$base.time"
    read -r recall precision accuracy missed <<< "$(score "$base.list" "$default")"
    [ "$tool" = "nmap -sT -T4" ] && NMAP_WALL[$scenario]=$wall
    if [ "$scenario" = C ]; then
        if [ "$kind" = portwarden ]; then
            note="tarpit flagged: $(grep -o 'tarpits=[^ ]*' "$base.err" | cut -d= -f2 || true); "
            note+="tarpit ports answered before the flag: $(grep -c '^10.99.0.250 .* open ' "$base.list" || true)"
        else
            note="tarpit ports reported open: $(grep -c '^10.99.0.250 .* open$' "$base.list" || true)"
        fi
    fi
    if [ "$kind" = portwarden ]; then
        note+=" $(grep -o 'probes=[0-9]* retries=[0-9]* requeued=[0-9]*' "$base.err" || true)"
    fi
    printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$scenario" "$tool" "$wall" \
        "$(awk -v c="$count" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? c / w : 0) }')" "$rss" \
        "$recall" "$precision" "$accuracy" "$missed" "$note" >> "$ROWS"
}

run_scenario() {  # $1 scenario
    local s=$1 ns hosts ports first last kind openfile
    case $s in
        A1) ns=$LO_NS; hosts=127.10.0.1; first=1; last=65535; kind=lo; openfile=$WORK/lo.open ;;
        A2) ns=$LO_NS; hosts=$LO_HOSTS; first=1; last=65535; kind=lo; openfile=$WORK/lo.open ;;
        B1 | B3) ns=$SCN_NS; hosts=10.99.0.2; first=1; last=65535; kind=veth; openfile=$WORK/veth.open ;;
        F) ns=$SCN_NS; hosts=10.99.0.6; first=1; last=65535; kind=veth; openfile=$WORK/veth.open ;;
        C) ns=$SCN_NS; hosts="10.99.0.2 10.99.0.3 10.99.0.4 10.99.0.250"; first=1; last=20000; kind=veth
           openfile=$WORK/veth.open ;;
    esac
    [ "$s" = B3 ] && icmp_limits default || { [ "$kind" = veth ] && icmp_limits off; } || true
    ports="$first-$last"
    truth "$kind" "$hosts" "$first" "$last" "$openfile"
    local count=$(( $(echo $hosts | wc -w) * (last - first + 1) ))
    # shellcheck disable=SC2086
    {
        measure "$s" "portwarden default" "$ns" "$count" closed portwarden "$BENCH" $hosts -p "$ports" --profile default
        measure "$s" "portwarden fast" "$ns" "$count" closed portwarden "$BENCH" $hosts -p "$ports" --profile fast
        if [ "$HAVE_NMAP" = 1 ]; then
            measure "$s" "nmap -sT -T4" "$ns" "$count" closed nmap \
                nmap -sT -T4 -Pn -n -p "$ports" --reason -oX "$WORK/$s.nmap -sT -T4.xml" $hosts
            measure "$s" "nmap -sS -T4" "$ns" "$count" closed nmap \
                nmap -sS -T4 -Pn -n -p "$ports" --reason -oX "$WORK/$s.nmap -sS -T4.xml" $hosts
        else
            printf '%s|nmap -sT -T4|not installed\n%s|nmap -sS -T4|not installed\n' "$s" "$s" >> "$ROWS"
        fi
        if [ "$kind" = lo ]; then
            printf '%s|masscan|does not apply (no loopback support, masscan#129)\n' "$s" >> "$ROWS"
        elif [ "$HAVE_MASSCAN" = 1 ]; then
            local mac
            mac=$(ip -n "$TGT_NS" -br link show "$TGT_IF" | awk '{print $3}')
            measure "$s" "masscan" "$ns" "$count" filtered masscan masscan -p "$ports" $hosts -e "$SCN_IF" \
                --router-mac "$mac" --rate 100000 --wait 2 --retries 1 --show closed -oJ "$WORK/$s.masscan.json"
        else
            printf '%s|masscan|not installed\n' "$s" >> "$ROWS"
        fi
    }
}

setup_loopback
setup_veth
for s in $SCENARIOS; do run_scenario "$s"; done

echo "Machine: $(nproc) cores, $(uname -sr), load before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
[ "$HAVE_NMAP" = 1 ] && echo "$(nmap --version | head -1)"
[ "$HAVE_MASSCAN" = 1 ] && echo "$(masscan --version 2>/dev/null | grep -i 'masscan version' | head -1)"
printf '| scenario | tool | wall (s) | ports/s | peak RSS (KiB) | open recall %% | open precision %% | closed/filtered acc. %% | missed opens | vs nmap -sT | notes |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
while IFS='|' read -r s tool wall rate rss recall precision accuracy missed note; do
    if [ -z "$rate" ]; then printf '| %s | %s | %s | | | | | | | | |\n' "$s" "$tool" "$wall"; continue; fi
    ratio=$(awk -v a="$wall" -v b="${NMAP_WALL[$s]:-0}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "–" }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "$tool" "$wall" "$rate" "$rss" \
        "$recall" "$precision" "$accuracy" "$missed" "$ratio" "$note"
done < "$ROWS"
