#!/usr/bin/env bash
# Scanning benchmark B1 (reference/scanning.md §12): 1 host × 65 535 TCP ports behind nftables,
# 10 000 dropped, 1 000 rejected with ICMP admin-prohibited, 100 reset, ICMP rate limits off, a few
# listeners (one behind the drop range). Runs Portwarden's connect engine and
# `nmap -sT -T4 -Pn -n -p- --reason` from the host namespace over a veth pair, measures wall time
# and peak RSS with GNU time, and scores open ports against the ground truth.
#
# Run as root from the package root: bench/scan/run.sh   (needs ip, nft, python3, nmap, /usr/bin/time)
# Traffic goes only to 10.99.0.2 inside the namespace this script creates; it is removed on exit.
set -euo pipefail

NS=pwbench-scan-tgt
HOST_IF=pwbsh0
TGT_IF=pwbst0
TARGET=10.99.0.2
OPEN_PORTS="22 80 443 5432 8080 40000 50000 65535"
HIDDEN_PORT=25000            # listening, but behind the drop range: must be filtered
WORK=$(mktemp -d)
LISTENER_PID=""

cleanup() {
    [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    ip link del "$HOST_IF" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
if ip route | grep -q '10\.99\.0\.'; then echo "10.99.0.0/24 is in use on this host; edit TARGET" >&2; exit 2; fi
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

ip netns add "$NS"
ip link add "$HOST_IF" type veth peer name "$TGT_IF"
ip link set "$TGT_IF" netns "$NS"
ip addr add 10.99.0.1/24 dev "$HOST_IF" && ip link set "$HOST_IF" up
ip -n "$NS" addr add "$TARGET/24" dev "$TGT_IF" && ip -n "$NS" link set "$TGT_IF" up && ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -q -w net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 \
    net.ipv4.icmp_msgs_burst=100000 net.ipv6.icmp.ratelimit=0
ip netns exec "$NS" nft add table inet f
ip netns exec "$NS" nft add chain inet f input '{ type filter hook input priority 0 ; }'
ip netns exec "$NS" nft add rule inet f input tcp dport 20000-29999 drop
ip netns exec "$NS" nft add rule inet f input tcp dport 30000-30999 reject with icmpx admin-prohibited
ip netns exec "$NS" nft add rule inet f input tcp dport 31000-31099 reject with tcp reset

PORT_LIST=$(echo $OPEN_PORTS $HIDDEN_PORT | tr ' ' ',')
ip netns exec "$NS" python3 -c "
import socket, select
ss = []
for p in [$PORT_LIST]:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('$TARGET', p)); s.listen(4096); ss.append(s)
while True:
    for s in select.select(ss, [], [])[0]:
        try: s.accept()[0].close()
        except OSError: pass
" &
LISTENER_PID=$!
for _ in $(seq 50); do
    [ "$(ip netns exec "$NS" ss -ltnH | wc -l)" -ge 9 ] && break
    sleep 0.1
done
printf '%s\n' $OPEN_PORTS | sort -n > "$WORK/truth"

swift build -c release --product portwarden-bench-scan >/dev/null
BENCH=$(swift build -c release --show-bin-path)/portwarden-bench-scan

score() {  # $1 = file of open ports found
    local found missed extra
    found=$(wc -l < "$1")
    missed=$(comm -23 "$WORK/truth" "$1" | wc -l)
    extra=$(comm -13 "$WORK/truth" "$1" | wc -l)
    echo "$found $missed $extra"
}

run() {  # $1 = label, rest = command; open ports must end up in $WORK/$1.open
    local label=$1; shift
    /usr/bin/time -f '%e %M' -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" || {
        echo "$label failed:"; cat "$WORK/$label.err"; exit 3; }
}

run portwarden "$BENCH" "$TARGET" -p 1-65535 --profile default
awk '{print $2}' "$WORK/portwarden.out" | sort -n > "$WORK/portwarden.open"
run portwarden-fast "$BENCH" "$TARGET" -p 1-65535 --profile fast
awk '{print $2}' "$WORK/portwarden-fast.out" | sort -n > "$WORK/portwarden-fast.open"
run nmap nmap -sT -T4 -Pn -n -p- --reason -oG - "$TARGET"
grep -o '[0-9]*/open/tcp' "$WORK/nmap.out" | cut -d/ -f1 | sort -n > "$WORK/nmap.open" || true

NMAP_TIME=$(cut -d' ' -f1 "$WORK/nmap.time")
echo "B1: 1 host x 65535 TCP, 10000 dropped, 1000 admin-prohibited, 100 reset, $(wc -l < "$WORK/truth") open"
echo "nmap: $(nmap --version | head -1)"
printf '%-16s %9s %12s %8s %7s %7s %7s\n' scanner "wall (s)" "peak RSS KiB" "vs nmap" open missed extra
for label in portwarden portwarden-fast nmap; do
    read -r wall rss < "$WORK/$label.time"
    read -r found missed extra <<< "$(score "$WORK/$label.open")"
    ratio=$(awk -v a="$wall" -v b="$NMAP_TIME" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
    printf '%-16s %9s %12s %8s %7s %7s %7s\n' "$label" "$wall" "$rss" "$ratio" "$found" "$missed" "$extra"
done
echo
echo "portwarden (default) counters:"; cat "$WORK/portwarden.err"
echo "portwarden (fast) counters:"; cat "$WORK/portwarden-fast.err"
