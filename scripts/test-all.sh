#!/usr/bin/env bash
# Runs Portwarden's whole test suite on a fresh machine: installs what the tests need, checks the
# formatting, builds once with warnings as errors, runs every test, and removes any network
# namespace a crashed test left behind. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(iproute2 iputils-ping nftables socat nmap ndiff masscan procps python3 util-linux bsdutils libxml2-utils
    openssh-server openssl redis-server memcached dnsmasq snmpd time nginx-light vsftpd python3-jsonschema
    postgresql sqlite3 libsqlite3-dev zlib1g-dev dovecot-imapd dovecot-pop3d mosquitto etcd-server ntpsec bind9
    pptpd rabbitmq-server zookeeper cups-daemon lpr p910nd)
if [ "$(id -u)" = 0 ]; then
    missing=()
    for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing ${missing[*]}"
        apt-get update -qq
        # The tests start their own daemons inside network namespaces: keep the packages' system
        # services (sshd, redis, memcached, dnsmasq, snmpd, nginx, vsftpd, dovecot, mosquitto, etcd, ntpd, named, pptpd, rabbitmq, zookeeper, cupsd, lpd, p910nd) from starting on the host.
        policy_rc=/usr/sbin/policy-rc.d
        created_policy_rc=""
        if [ ! -e "$policy_rc" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy_rc"; chmod +x "$policy_rc"; created_policy_rc=1; fi
        status=0
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || status=$?
        if [ -n "$created_policy_rc" ]; then rm -f "$policy_rc"; fi
        if [ "$status" != 0 ]; then echo "apt-get install failed ($status)" >&2; exit "$status"; fi
    fi
else
    echo "==> not root: tests that need network namespaces will be skipped (they say so)"
fi

# Namespaces that existed before this run belong to someone else (another test run on the same
# machine): the cleanup leaves them alone.
namespaces_before=" $(ip netns list 2>/dev/null | awk '{print $1}' | tr '\n' ' ') "
cleanup() {
    # Namespaces are removed by the tests themselves; this catches the ones a crashed test left.
    if [ "$(id -u)" = 0 ]; then
        for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^pwt-' || true); do
            case "$namespaces_before" in *" $ns "*) continue ;; esac
            ip netns del "$ns" || true
        done
    fi
}
trap cleanup EXIT

# A throw-away PostgreSQL cluster for the evidence store's conformance suite: initdb as a non-root user
# into a temporary directory, listening only on a Unix socket there; removed at exit. The tests read its
# URL from PORTWARDEN_TEST_POSTGRES_URL and skip the PostgreSQL suite (visibly) without it.
pg_dir=""
stop_postgres() {
    if [ -n "$pg_dir" ]; then
        pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$pg_dir"
    fi
}
pg_run() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] && { [ "$(id -u)" != 0 ] || id postgres >/dev/null 2>&1; }; then
    pg_dir=$(mktemp -d /tmp/pwt-postgres.XXXXXX)
    chmod 755 "$pg_dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$pg_dir"; fi
    if pg_run "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U portwarden >"$pg_dir/initdb.log" 2>&1 \
        && pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
            -o "-k $pg_dir -c listen_addresses='' -c fsync=off" start >/dev/null; then
        export PORTWARDEN_TEST_POSTGRES_URL="postgres://portwarden@/postgres?host=$pg_dir"
        echo "==> PostgreSQL for the store tests: $pg_dir"
    else
        echo "PostgreSQL cluster did not start:" >&2
        cat "$pg_dir/initdb.log" "$pg_dir/server.log" >&2 2>/dev/null || true
    fi
fi
if [ -z "${PORTWARDEN_TEST_POSTGRES_URL:-}" ]; then
    if [ "${CI:-}" = true ]; then
        echo "CI: no PostgreSQL server for the evidence store suite; refusing to skip it" >&2
        exit 1
    fi
    echo "==> no PostgreSQL: the PostgreSQL conformance suite will be skipped (it says so)"
fi
trap 'stop_postgres; cleanup' EXIT

echo "==> swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests bench fuzz

echo "==> swift build --build-tests (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors

echo "==> swift test"
test_log=$(mktemp)
trap 'stop_postgres; cleanup; rm -f "$test_log"' EXIT
swift test --skip-build 2>&1 | tee "$test_log"

# Under CI every suite that needs root or network namespaces must have run: a machine where they
# are skipped (not root, iproute2 missing) proves nothing about the scanner.
if [ "${CI:-}" = true ]; then
    skipped=$(grep -E '(skipped|was cancelled)[^"]*: ".*(root|network namespace|PostgreSQL|PORTWARDEN_TEST_POSTGRES_URL)' "$test_log" || true)
    if [ -n "$skipped" ]; then
        echo "CI: tests that need root, network namespaces or PostgreSQL were skipped:" >&2
        echo "$skipped" >&2
        exit 1
    fi
fi

# SARIF logs must validate against the SARIF 2.1.0 schema (docs/schemas/README.md). The end-to-end
# suite validates a log written by `check`; this step validates the report golden file and fails
# the run when the validator cannot run at all (Python runs as a non-root user).
echo "==> SARIF 2.1.0 schema validation"
as_user=()
if [ "$(id -u)" = 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
"${as_user[@]}" /usr/bin/python3 scripts/validate-sarif.py Tests/PortwardenReportTests/Golden/findings.sarif

echo "==> short fuzz pass: every libFuzzer target for a few seconds (scripts/fuzz.sh, docs/fuzzing.md)"
# No target names: fuzz.sh runs every target the harness lists, so a new target is never left out.
scripts/fuzz.sh --seconds 5

# The unit and component tests again under AddressSanitizer, in their own build (scratch path
# .build-asan): a heap overflow that the normal build reads past silently fails the run here. Then
# the connect, SYN and UDP engines and service detection under ThreadSanitizer (.build-tsan): a data
# race between the engines' threads fails it. docs/fuzzing.md lists what each run covers.
echo "==> AddressSanitizer and ThreadSanitizer (scripts/sanitize.sh address thread)"
scripts/sanitize.sh address thread
