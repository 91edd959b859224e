#!/usr/bin/env bash
# Listener inventory benchmark: a network namespace with PROCS processes holding PER sockets each
# (half TCP LISTEN, half unconnected UDP, on 127.0.0.1 inside the namespace), then
# `portwarden-bench-inventory` timed next to `ss -H -ltunp`, both through `ip netns exec`.
# Needs root. Usage: bench/inventory/run.sh [PROCS=1000] [PER=10]
set -euo pipefail
PROCS=${1:-1000}
PER=${2:-10}
RUNS=${RUNS:-10}
cd "$(dirname "$0")/../.."
[[ $EUID -eq 0 ]] || { echo "run as root (network namespaces)" >&2; exit 2; }

NS="pwt-bench-inv-$$"
WORK=$(mktemp -d)
PARENT_PID=""
cleanup() {
    if [[ -n "$PARENT_PID" ]]; then
        pkill -KILL -P "$PARENT_PID" 2>/dev/null || true   # the forked children of our own parent only
        kill -KILL "$PARENT_PID" 2>/dev/null || true
    fi
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

swift build -c release --product portwarden-bench-inventory >/dev/null
BIN="$(swift build -c release --show-bin-path)/portwarden-bench-inventory"

ip netns add "$NS"
ip -n "$NS" link set lo up

cat >"$WORK/listeners.py" <<'PY'
import os, signal, socket, sys
procs, per = int(sys.argv[1]), int(sys.argv[2])
port = 10000
for p in range(procs):
    base = port + p * per
    if os.fork() == 0:
        keep = []
        for i in range(per):
            kind = socket.SOCK_STREAM if i % 2 == 0 else socket.SOCK_DGRAM
            s = socket.socket(socket.AF_INET, kind)
            s.bind(("127.0.0.1", base + i))
            if kind == socket.SOCK_STREAM:
                s.listen(8)
            keep.append(s)
        signal.pause()
        os._exit(0)
signal.pause()
PY
PY_BIN=$(readlink -f /usr/bin/python3 2>/dev/null || command -v python3)
ip netns exec "$NS" "$PY_BIN" "$WORK/listeners.py" "$PROCS" "$PER" &
PARENT_PID=$!

WANT=$((PROCS * PER))
for _ in $(seq 1 600); do
    HAVE=$(ip netns exec "$NS" ss -H -ltun | wc -l)
    [[ $HAVE -ge $WANT ]] && break
    sleep 0.2
done
echo "namespace $NS: $HAVE listening sockets in $PROCS processes (wanted $WANT)"
echo "portwarden: $(ip netns exec "$NS" "$BIN")"
echo "ss:         $(ip netns exec "$NS" ss -H -ltunp | wc -l) lines"

if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$WORK/h.json" \
        "ip netns exec $NS ss -H -ltunp" "ip netns exec $NS $BIN" >&2
    python3 - "$WORK/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ss, pw = r[0]["mean"], r[1]["mean"]
print(f"ss -ltunp: {ss*1000:.1f} ms   portwarden inventory: {pw*1000:.1f} ms   ratio: {pw/ss:.2f}x")
PY
else
    t() { local s e; s=$(date +%s%N); for _ in $(seq 1 "$RUNS"); do "$@" >/dev/null; done; e=$(date +%s%N); echo $(((e - s) / RUNS / 1000000)); }
    SS=$(t ip netns exec "$NS" ss -H -ltunp)
    PW=$(t ip netns exec "$NS" "$BIN")
    echo "ss -ltunp: ${SS} ms   portwarden inventory: ${PW} ms   ratio: $(python3 -c "print(f'{$PW/max($SS,1):.2f}x')")"
fi
