#!/usr/bin/env bash
# Side-by-side scanning benchmark (reference/scanning.md §12): the shipped CLI
# (`.build/release/portwarden scan`, user-facing flags only: default profile and `--profile fast`),
# rows labelled "harness" from bench/scan/main.swift (the connect engine called directly, beside the
# CLI rows), `nmap -sT` (scenario F), `nmap -sT -T4`, `nmap -sS -T4` and masscan (veth scenarios
# only) on scenarios
#   A1  loopback, 1 host × 65 535 TCP ports
#   A2  loopback, 16 hosts × 65 535 TCP ports (the issue's anchor)
#   A2ref loopback, 64 hosts × Portwarden's top-1000 TCP ports (nmap gets the same list with -p)
#   B1  veth, 1 host × 65 535, 10 000 dropped, 1 000 ICMP admin-prohibited, 100 TCP reset, ICMP limits off
#   B2  veth, 64 hosts (10.99.0.10–73) × top-1000, netem 20 ms ± 5 ms + 1 % loss (or, without sch_netem,
#       1 % loss from an nft numgen rule and the delay skipped); 10 runs per tool, median / p95 / misses
#   B3  as B1 with the kernel's default ICMP rate limits (filtered vs closed scored, not the reason)
#   F   the issue's anchor: veth, 1 host (10.99.0.6) × 65 535, ports 10000–65535 silently dropped, 5 open
#   C   veth, a tarpit host (every port redirected to one listener) + 3 normal hosts, ports 1–20 000
#   D   UDP ground truth on 10.99.0.2: echo and silent listeners, a closed range, 32000–32099 ICMP
#       admin-prohibited, 32100 ICMP host-unreachable; `portwarden scan --udp` (the CLI) vs nmap -sU
#   D3  as D with the kernel's default ICMP rate limits
# and prints, per scenario × tool: wall time, ports/s, peak RSS, open recall, open precision,
# closed/filtered accuracy against the ground truth, and the time ratio to nmap -sT.
#
# SAFETY: every scanner runs inside a namespace this script creates. Loopback scenarios run on the
# loopback of their own namespace (listeners on 127.10.0.x inside it); veth scenarios run from a
# scanner namespace to a target namespace joined by a veth pair with no route out. Nothing is sent
# in or to the host's own namespace. Everything is removed on exit (trap).
#
# Run as root from the package root: bench/scan/run.sh [scenario…]
#   (default: A1 A2 A2ref B1 B2 B3 C D D3 F; B2_RUNS=10 sets B2's repetitions)
# Needs ip, nft, tc, python3, /usr/bin/time; nmap and masscan are optional ("not installed" rows).
set -euo pipefail

SCENARIOS=${*:-"A1 A2 A2ref B1 B2 B3 C D D3 F"}
B2_RUNS=${B2_RUNS:-10}
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
# HAVE_MASSCAN=0 leaves masscan out (its rows then say "not run").
HAVE_MASSCAN=${HAVE_MASSCAN:-$(command -v masscan >/dev/null && echo 1 || echo 0)}

# SCRATCH=DIR builds in another scratch path (e.g. while a debug build holds .build's lock).
BUILD=(swift build -c release ${SCRATCH:+--scratch-path "$SCRATCH"})
"${BUILD[@]}" --product portwarden-bench-scan >/dev/null
"${BUILD[@]}" --product portwarden >/dev/null
BENCH=$("${BUILD[@]}" --show-bin-path)/portwarden-bench-scan
PORTWARDEN=$("${BUILD[@]}" --show-bin-path)/portwarden
# Portwarden's own top-1000 TCP list, expanded, so nmap scans exactly the same set (not --top-ports).
TOP1000=$("$BENCH" --list-ports top-1000)

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

# Scenario D's UDP listeners on 10.99.0.2: echo ports answer every datagram with itself, silent
# ports read and never answer; every other UDP port of the set is closed or firewalled (setup_veth).
UDP_ECHO="53 123 161 40000 40001 40002 40003 40004 40005 40006"
UDP_SILENT="69 137 500 41000 41001 41002 41003 41004 41005 41006"
UDP_PORTS="53,69,123,137,161,500,31880-32100,40000-40006,41000-41006"
udp_listen() {
    ip netns exec "$TGT_NS" python3 -c "
import socket, select
echo = [int(p) for p in '$UDP_ECHO'.split()]
socks = {}
for p in echo + [int(p) for p in '$UDP_SILENT'.split()]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('10.99.0.2', p)); socks[s] = p in echo
print('ready', flush=True)
while True:
    for s in select.select(list(socks), [], [])[0]:
        try:
            data, peer = s.recvfrom(65535)
            if socks[s]: s.sendto(data, peer)
        except OSError: pass
" > "$WORK/listen.udp" &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q ready "$WORK/listen.udp" 2>/dev/null && return; sleep 0.1; done
    echo "UDP listeners did not start" >&2; exit 3
}

# ---- the labs -------------------------------------------------------------------------------
LO_HOSTS=$(seq -f '127.10.0.%g' 1 16 | tr '\n' ' ')
LO_HOSTS64=$(seq -f '127.10.0.%g' 1 64 | tr '\n' ' ')
B2_HOSTS=$(seq -f '10.99.0.%g' 10 73 | tr '\n' ' ')
setup_loopback() {
    ip netns add "$LO_NS"
    ip -n "$LO_NS" link set lo up
    # 8 random open ports per host (fixed seed, recorded), on 127.10.0.1–16 inside the namespace,
    # plus (A2ref) 8 random ports of the top-1000 list on each of 127.10.0.1–64.
    python3 - "$TOP1000" > "$WORK/lo.open" <<'PY'
import random, sys
seen = set()
def emit(h, p):
    if (h, p) not in seen:
        seen.add((h, p)); print(f'127.10.0.{h} {p}')
r = random.Random(2026)
for h in range(1, 17):
    for p in sorted(r.sample(range(1, 65536), 8)): emit(h, p)
top = [int(p) for p in sys.argv[1].split(',')]
r = random.Random(2027)
for h in range(1, 65):
    for p in sorted(r.sample(top, 8)): emit(h, p)
PY
    listen "$LO_NS" "$WORK/lo.open"
}

setup_veth() {
    ip netns add "$SCN_NS"
    ip netns add "$TGT_NS"
    ip link add "$SCN_IF" netns "$SCN_NS" type veth peer name "$TGT_IF" netns "$TGT_NS"
    ip -n "$SCN_NS" addr add 10.99.0.1/24 dev "$SCN_IF"
    for h in 2 3 4 5 6 250 $(seq 10 73); do ip -n "$TGT_NS" addr add "10.99.0.$h/24" dev "$TGT_IF"; done
    for ns in "$SCN_NS" "$TGT_NS"; do ip -n "$ns" link set lo up; done
    ip -n "$SCN_NS" link set "$SCN_IF" up
    ip -n "$TGT_NS" link set "$TGT_IF" up
    local t="ip netns exec $TGT_NS nft"
    $t add table inet f
    $t add chain inet f input '{ type filter hook input priority 0 ; }'
    $t add rule inet f input tcp dport 20000-29999 drop
    $t add rule inet f input tcp dport 30000-30999 reject with icmpx admin-prohibited
    $t add rule inet f input tcp dport 31000-31099 reject with tcp reset
    # Scenario D (UDP).
    $t add rule inet f input udp dport 32000-32099 reject with icmpx admin-prohibited
    $t add rule inet f input udp dport 32100 reject with icmp type host-unreachable
    # Scenario F: host .6 drops ports 10000–65535 before any other rule sees them.
    $t insert rule inet f input ip daddr 10.99.0.6 tcp dport 10000-65535 drop
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
        for p in 22 443 5432 8080 9000; do echo "10.99.0.6 $p"; done
        # Scenario B2: 8 random top-1000 ports (outside the firewalled 20000–31099) on each of .10–.73.
        python3 - "$TOP1000" <<'PY'
import random, sys
top = [int(p) for p in sys.argv[1].split(',') if not 20000 <= int(p) <= 31099]
r = random.Random(2028)
for h in range(10, 74):
    for p in sorted(r.sample(top, 8)): print(f'10.99.0.{h} {p}')
PY
    } > "$WORK/veth.open"
    listen "$TGT_NS" "$WORK/veth.open"
    udp_listen
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
truth() {  # $1 = kind (lo|veth), $2 = hosts, $3 = ports ("1-65535" or "22,80,…"), $4 = open file
    python3 - "$@" > "$WORK/truth" <<'PY'
import sys
kind, hosts, spec, openfile = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4]
ports = []
for part in spec.split(','):
    a, _, b = part.partition('-')
    ports += range(int(a), int(b or a) + 1)
opened = {tuple(l.split()) for l in open(openfile)}
for h in hosts:
    if h == '10.99.0.250': continue
    for p in ports:
        if h == '10.99.0.6': s = 'filtered' if 10000 <= p else ('open' if (h, str(p)) in opened else 'closed')
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
        state = port.find('state')
        print(addr, port.get('portid'), state.get('state'), state.get('reason', '-'))
    for extra in ports.iter('extraports'):
        for reasons in extra.iter('extrareasons'):
            for p in expand(reasons.get('ports', '')) if reasons.get('ports') else []:
                print(addr, p, extra.get('state'), reasons.get('reason', '-'))
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

# `portwarden scan --format json` (one observation per line) → "host port state reason".
json_listing() {  # $1 = json lines, $2 = out
    python3 - "$1" > "$2" <<'PY'
import sys, json
for line in open(sys.argv[1]):
    try: o = json.loads(line)
    except ValueError: continue
    if isinstance(o, dict) and 'port' in o:
        print(o.get('host'), o.get('port'), o.get('state'), o.get('reason') or '-')
PY
}

# `portwarden scan --format text` → "host port state reason" for the ports it lists (open ones
# always; closed/filtered only when a host has few, the rest summarised and scored as the default).
text_listing() {  # $1 = text table, $2 = out
    python3 - "$1" > "$2" <<'PY'
import sys
host = None
for line in open(sys.argv[1]):
    f = line.split()
    if not f: continue
    if not line.startswith(' ') and len(f) == 1:
        host = f[0]; continue
    if host and line.startswith('  ') and '/' in f[0] and f[0].split('/')[0].isdigit():
        print(host, f[0].split('/')[0], f[1], f[2] if len(f) > 2 else '-')
PY
}

# Scenario D's ground truth: "host port state reason" (reasons as nmap names them).
udp_truth() {
    python3 - "$UDP_PORTS" "$UDP_ECHO" "$UDP_SILENT" > "$WORK/truth" <<'PY'
import sys
ports = []
for part in sys.argv[1].split(','):
    a, _, b = part.partition('-')
    ports += range(int(a), int(b or a) + 1)
echo, silent = {int(p) for p in sys.argv[2].split()}, {int(p) for p in sys.argv[3].split()}
for p in ports:
    if p in echo: t = ('open', 'udp-response')
    elif p in silent: t = ('open|filtered', 'no-response')
    elif 32000 <= p <= 32099: t = ('filtered', 'admin-prohibited')
    elif p == 32100: t = ('filtered', 'host-unreach')
    else: t = ('closed', 'port-unreach')
    print('10.99.0.2', p, *t)
PY
}

# Scores a UDP listing (state and reason per port; unlisted ports count as wrong) against the truth:
# "recall precision state-accuracy missed per-class-note".
score_udp() {  # $1 = listing
    python3 - "$WORK/truth" "$1" <<'PY'
import sys
found = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 3: found[(f[0], f[1])] = (f[2], f[3] if len(f) > 3 else '-')
classes = {}
tp = fn = fp = ok = other = reasons_ok = total = 0
for line in open(sys.argv[1]):
    h, p, s, r = line.split()
    g, gr = found.get((h, p), ('missing', '-'))
    c = classes.setdefault(f'{s} {r}', [0, 0, 0])
    c[0] += 1; c[1] += g == s; c[2] += g == s and gr == r
    total += 1; reasons_ok += g == s and gr == r
    if s == 'open': tp += g == 'open'; fn += g != 'open'
    else: other += 1; ok += g == s; fp += g == 'open'
recall = 100.0 * tp / (tp + fn) if tp + fn else 100.0
precision = 100.0 * tp / (tp + fp) if tp + fp else 100.0
accuracy = 100.0 * ok / other if other else 100.0
parts = [f'{k}: state {v[1]}/{v[0]}, +reason {v[2]}' for k, v in classes.items()]
print(f'{recall:.1f} {precision:.1f} {accuracy:.2f} {fn} states+reasons exact {reasons_ok}/{total}; ' + '; '.join(parts))
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
        printf '%s|%s|failed after %s s: %s\n' "$scenario" "$tool" "$(cut -d' ' -f1 "$base.time" 2>/dev/null)" \
            "$(tail -c 300 "$base.err" | tr '\r|' '\n/' | grep -v '^ *$' | tail -1)" >> "$ROWS"
        return
    fi
    case $kind in
        portwarden) cp "$base.out" "$base.list" ;;
        pwjson) json_listing "$base.out" "$base.list" ;;
        pwjsonfile) json_listing "$base.file" "$base.list" ;;
        pwxml) nmap_listing "$base.file" "$base.list" ;;
        pwtext) text_listing "$base.file" "$base.list" ;;
        nmap) nmap_listing "$base.xml" "$base.list" ;;
        masscan) masscan_listing "$base.json" "$base.list" ;;
    esac
    local wall rss recall precision accuracy missed note=""
    read -r wall rss < "$base.time"
    if [ "${scenario#D}" != "$scenario" ]; then
        read -r recall precision accuracy missed note <<< "$(score_udp "$base.list")"
    else
        read -r recall precision accuracy missed <<< "$(score "$base.list" "$default")"
    fi
    case $tool in "nmap -sT -T4" | "nmap -sU") NMAP_WALL[$scenario]=$wall ;; esac
    if [ "$scenario" = C ]; then
        if [ "$kind" = portwarden ]; then
            note="tarpit flagged: $(grep -o 'tarpits=[^ ]*' "$base.err" | cut -d= -f2 || true); "
            note+="tarpit ports answered before the flag: $(grep -c '^10.99.0.250 .* open ' "$base.list" || true)"
        else
            note="tarpit ports reported open: $(grep -c '^10\.99\.0\.250 [0-9]* open\( \|$\)' "$base.list" || true)"
        fi
    fi
    if [ "$kind" = portwarden ]; then
        note+=" $(grep -o 'probes=[0-9]* retries=[0-9]* requeued=[0-9]*' "$base.err" || true)"
    fi
    printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$scenario" "$tool" "$wall" \
        "$(awk -v c="$count" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? c / w : 0) }')" "$rss" \
        "$recall" "$precision" "$accuracy" "$missed" "$note" >> "$ROWS"
}

# Number of ports in a "1-100,443"-style list.
port_count() { python3 -c "import sys; print(sum(int(b or a) - int(a) + 1 for a, _, b in (p.partition('-') for p in sys.argv[1].split(','))))" "$1"; }

run_scenario() {  # $1 scenario
    local s=$1 ns hosts ports pwports kind openfile
    case $s in
        B2) run_b2; return ;;
        D | D3) run_d "$s"; return ;;
        A1) ns=$LO_NS; hosts=127.10.0.1; ports=1-65535; kind=lo; openfile=$WORK/lo.open ;;
        A2) ns=$LO_NS; hosts=$LO_HOSTS; ports=1-65535; kind=lo; openfile=$WORK/lo.open ;;
        A2ref) ns=$LO_NS; hosts=$LO_HOSTS64; ports=$TOP1000; kind=lo; openfile=$WORK/lo.open ;;
        B1 | B3) ns=$SCN_NS; hosts=10.99.0.2; ports=1-65535; kind=veth; openfile=$WORK/veth.open ;;
        F) ns=$SCN_NS; hosts=10.99.0.6; ports=1-65535; kind=veth; openfile=$WORK/veth.open ;;
        C) ns=$SCN_NS; hosts="10.99.0.2 10.99.0.3 10.99.0.4 10.99.0.250"; ports=1-20000; kind=veth
           openfile=$WORK/veth.open ;;
        *) echo "unknown scenario $s (A1 A2 A2ref B1 B2 B3 C D D3 F)" >&2; return ;;
    esac
    [ "$s" = B3 ] && icmp_limits default || { [ "$kind" = veth ] && icmp_limits off; } || true
    # Portwarden is given "top-1000" by name (its own list) and "all" for 1-65535; every other tool
    # the expanded list.
    pwports=$ports
    [ "$s" = A2ref ] && pwports=top-1000
    [ "$ports" = 1-65535 ] && pwports=all
    truth "$kind" "$hosts" "$ports" "$openfile"
    local count=$(( $(echo $hosts | wc -w) * $(port_count "$ports") ))
    # shellcheck disable=SC2086
    {
        # The shipped CLI, user-facing flags only, every port's state from its JSON lines.
        measure "$s" "portwarden scan (CLI, default)" "$ns" "$count" closed pwjson \
            "$PORTWARDEN" scan $hosts -p "$pwports" --format json
        measure "$s" "portwarden scan --profile fast (CLI)" "$ns" "$count" closed pwjson \
            "$PORTWARDEN" scan $hosts -p "$pwports" --profile fast --format json
        # A2, issue #7's memory anchor: every output format written to a file with -o, each scored
        # from that file (peak RSS must not grow with the closed ports).
        if [ "$s" = A2 ]; then
            local f
            for f in json xml text; do
                measure "$s" "portwarden scan --format $f -o FILE (CLI)" "$ns" "$count" closed \
                    "pw${f/json/jsonfile}" "$PORTWARDEN" scan $hosts -p "$pwports" --format "$f" \
                    -o "$WORK/$s.portwarden scan --format $f -o FILE (CLI).file"
            done
        fi
        # The harness (the connect engine called directly, no CLI output path): beside the CLI rows.
        measure "$s" "harness: engine, default profile" "$ns" "$count" closed portwarden "$BENCH" $hosts \
            -p "${pwports/#all/1-65535}" --profile default
        measure "$s" "harness: engine, fast profile" "$ns" "$count" closed portwarden "$BENCH" $hosts \
            -p "${pwports/#all/1-65535}" --profile fast
        if [ "$HAVE_NMAP" = 1 ] && [ "$s" = F ]; then
            measure "$s" "nmap -sT" "$ns" "$count" closed nmap \
                nmap -sT -Pn -n -p "$ports" --reason -oX "$WORK/$s.nmap -sT.xml" $hosts
        fi
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
            # masscan sometimes hangs at "100.00% done, waiting -N secs": bounded by timeout.
            measure "$s" "masscan" "$ns" "$count" filtered masscan timeout 300 masscan -p "$ports" $hosts -e "$SCN_IF" \
                --router-mac "$mac" --rate 100000 --wait 2 --retries 1 --show closed -oJ "$WORK/$s.masscan.json"
        else
            printf '%s|masscan|not run (not installed, or HAVE_MASSCAN=0)\n' "$s" >> "$ROWS"
        fi
    }
}

# ---- B2: delay and loss, repeated runs ------------------------------------------------------
# Turns on netem (20 ms ± 5 ms, 1 % loss) on the target's side of the veth; without sch_netem, 1 %
# loss from an nft rule inserted FIRST in the target's input chain, and the delay is skipped (said
# so in the notes, never silently).
B2_IMPAIR=none
B2_NOTE=""
B2_WRONG=""
b2_impairment_on() {
    local err
    if err=$(tc -n "$TGT_NS" qdisc add dev "$TGT_IF" root netem delay 20ms 5ms loss 1% 2>&1) ||
        { grep -q "Specified qdisc kind is unknown" <<< "$err" && command -v modprobe >/dev/null &&
            modprobe sch_netem 2>/dev/null &&
            err=$(tc -n "$TGT_NS" qdisc add dev "$TGT_IF" root netem delay 20ms 5ms loss 1% 2>&1); }; then
        B2_IMPAIR=netem
        B2_NOTE="netem delay 20 ms ± 5 ms + loss 1 % on the target's egress"
        return
    fi
    ip netns exec "$TGT_NS" nft insert rule inet f input numgen random mod 100 lt 1 counter drop comment '"b2loss"'
    B2_IMPAIR=nft
    B2_NOTE="delay SKIPPED (tc netem: ${err//|/}); 1 % loss via nft numgen, first input rule"
}
b2_impairment_off() {
    case $B2_IMPAIR in
        netem) tc -n "$TGT_NS" qdisc del dev "$TGT_IF" root ;;
        nft) ip netns exec "$TGT_NS" nft delete rule inet f input handle "$(ip netns exec "$TGT_NS" nft -a list \
            chain inet f input | awk '/b2loss/ { print $NF }')" ;;
    esac
    B2_IMPAIR=none
}
b2_drops() {  # packets dropped so far by the impairment
    case $B2_IMPAIR in
        netem) tc -s -n "$TGT_NS" qdisc show dev "$TGT_IF" | grep -o 'dropped [0-9]*' | head -1 | cut -d' ' -f2 ;;
        nft) ip netns exec "$TGT_NS" nft list chain inet f input |
            awk '/b2loss/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }' ;;
        *) echo 0 ;;
    esac
}

# The (at most 5) ports a listing got wrong, as "host port truth→found", for B2's notes.
mismatches() {  # $1 = listing, $2 = default state
    python3 - "$WORK/truth" "$1" "$2" <<'PY'
import sys
found = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 3: found[(f[0], f[1])] = f[2]
wrong = []
for line in open(sys.argv[1]):
    h, p, s = line.split()
    g = found.get((h, p), sys.argv[3])
    if g != s: wrong.append(f'{h}:{p} {s}→{g}')
print(', '.join(wrong[:5]) + (f' (+{len(wrong) - 5} more)' if len(wrong) > 5 else ''))
PY
}

# One summary row from a tool's repeated rows: median wall, p95 (nearest rank), worst recall,
# precision and accuracy over the runs, runs with missed opens.
b2_summary() {  # $1 = rows file, $2 = ports per run, $3 = packets dropped
    python3 - "$@" <<'PY'
import sys, math, re, statistics
rows = [l.rstrip('\n').split('|') for l in open(sys.argv[1]) if l.strip()]
ok = [r for r in rows if len(r) >= 10]
failed = len(rows) - len(ok)
scenario, tool = rows[0][0], rows[0][1]
if not ok:
    print(f'{scenario}|{tool}|failed in all {len(rows)} runs: {rows[0][2]}'); sys.exit()
walls = sorted(float(r[2]) for r in ok)
median = statistics.median(walls)
p95 = walls[math.ceil(0.95 * len(walls)) - 1]
missed_runs = sum(1 for r in ok if int(r[8]) > 0)
retries = [int(m.group(1)) for r in ok for m in [re.search(r'retries=(\d+)', r[9])] if m]
note = (f'median of {len(ok)} runs; p95 {p95:.2f} s; min–max {walls[0]:.2f}–{walls[-1]:.2f} s; '
        f'runs with missed opens: {missed_runs}/{len(ok)}; impairment dropped {sys.argv[3]} packets over the runs')
if retries: note += f'; retries median {statistics.median(retries):.0f} (min {min(retries)}, max {max(retries)})'
if failed: note += f'; {failed} runs FAILED'
print('|'.join([scenario, tool, f'{median:.2f}', f'{int(sys.argv[2]) / median:.0f}' if median > 0 else '0',
                str(max(int(r[4]) for r in ok)), f'{min(float(r[5]) for r in ok):.1f}',
                f'{min(float(r[6]) for r in ok):.1f}', f'{min(float(r[7]) for r in ok):.2f}',
                str(sum(int(r[8]) for r in ok)), note]))
PY
}

run_b2() {
    local hosts=$B2_HOSTS ns=$SCN_NS saved=$ROWS tool before i
    local count=$(( $(echo $hosts | wc -w) * $(port_count "$TOP1000") ))
    icmp_limits off
    truth veth "$hosts" "$TOP1000" "$WORK/veth.open"
    b2_impairment_on
    for tool in "harness: engine, default profile" "harness: engine, fast profile" "nmap -sT -T4"; do
        if [ "$tool" = "nmap -sT -T4" ] && [ "$HAVE_NMAP" = 0 ]; then
            printf 'B2|nmap -sT -T4|not installed\n' >> "$ROWS"; continue
        fi
        ROWS=$WORK/B2.rows
        : > "$ROWS"
        before=$(b2_drops)
        # shellcheck disable=SC2086
        for i in $(seq "$B2_RUNS"); do
            case $tool in
                "harness: engine, default profile") measure B2 "$tool" "$ns" "$count" closed portwarden "$BENCH" $hosts -p top-1000 \
                    --profile default ;;
                "harness: engine, fast profile") measure B2 "$tool" "$ns" "$count" closed portwarden "$BENCH" $hosts -p top-1000 \
                    --profile fast ;;
                *) measure B2 "$tool" "$ns" "$count" closed nmap nmap -sT -T4 -Pn -n -p "$TOP1000" --reason \
                    -oX "$WORK/B2.nmap -sT -T4.xml" $hosts ;;
            esac
            local wrong
            wrong=$(mismatches "$WORK/B2.$tool.list" closed 2>/dev/null || true)
            [ -n "$wrong" ] && B2_WRONG+="$tool run $i: $wrong; "
        done
        ROWS=$saved
        b2_summary "$WORK/B2.rows" "$count" "$(( $(b2_drops) - before ))" >> "$ROWS"
        [ "$tool" = "nmap -sT -T4" ] && NMAP_WALL[B2]=$(tail -1 "$ROWS" | cut -d'|' -f3)
    done
    printf 'B2|impairment|%s\n' "$B2_NOTE" >> "$ROWS"
    [ -n "$B2_WRONG" ] && printf 'B2|wrong states|%s\n' "$B2_WRONG" >> "$ROWS"
    b2_impairment_off
}

# ---- D: UDP ground truth --------------------------------------------------------------------
# D: ICMP rate limits off (exact ground truth); D3: the kernel's defaults, scored against the same
# truth (rate-limited port unreachables make closed ports look open|filtered).
run_d() {  # $1 = D | D3
    local s=$1 count
    count=$(port_count "$UDP_PORTS")
    [ "$s" = D3 ] && icmp_limits default || icmp_limits off
    udp_truth
    measure "$s" "portwarden scan --udp" "$SCN_NS" "$count" missing pwjson \
        "$PORTWARDEN" scan --udp -p "$UDP_PORTS" --format json 10.99.0.2
    # Paced at the kernel's default ICMP rate (1 per second per destination), as nmap -sU slows down to.
    [ "$s" = D3 ] && measure "$s" "portwarden scan --udp --udp-per-host-rate 1" "$SCN_NS" "$count" missing pwjson \
        "$PORTWARDEN" scan --udp --udp-per-host-rate 1 -p "$UDP_PORTS" --format json 10.99.0.2
    if [ "$HAVE_NMAP" = 1 ]; then
        measure "$s" "nmap -sU" "$SCN_NS" "$count" missing nmap \
            nmap -sU -Pn -n --reason -p "$UDP_PORTS" -oX "$WORK/$s.nmap -sU.xml" 10.99.0.2
    else
        printf '%s|nmap -sU|not installed\n' "$s" >> "$ROWS"
    fi
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +%FT%TZ)
setup_loopback
setup_veth
for s in $SCENARIOS; do run_scenario "$s"; done

echo "Machine: $(nproc) cores, $(uname -sr), load before: $LOAD_START, after: $(cut -d' ' -f1-3 /proc/loadavg)," \
    "started $STARTED, finished $(date -u +%FT%TZ)"
[ "$HAVE_NMAP" = 1 ] && echo "$(nmap --version | head -1)"
[ "$HAVE_MASSCAN" = 1 ] && echo "$(masscan --version 2>/dev/null | grep -i 'masscan version' | head -1)"
printf '| scenario | tool | wall (s) | ports/s | peak RSS (KiB) | open recall %% | open precision %% | closed/filtered acc. %% | missed opens | vs nmap | notes |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
while IFS='|' read -r s tool wall rate rss recall precision accuracy missed note; do
    if [ -z "$rate" ]; then printf '| %s | %s | %s | | | | | | | | |\n' "$s" "$tool" "$wall"; continue; fi
    ratio=$(awk -v a="$wall" -v b="${NMAP_WALL[$s]:-0}" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else printf "–" }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "$tool" "$wall" "$rate" "$rss" \
        "$recall" "$precision" "$accuracy" "$missed" "$ratio" "${note//|/\\|}"
done < "$ROWS"
