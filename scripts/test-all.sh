#!/usr/bin/env bash
# Runs Portwarden's whole test suite on a fresh machine: installs what the tests need, checks the
# formatting, builds once with warnings as errors, runs every test, and removes any network
# namespace a crashed test left behind. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(iproute2 iputils-ping nftables socat nmap ndiff masscan procps python3 util-linux libxml2-utils
    openssh-server openssl redis-server memcached dnsmasq snmpd time nginx-light vsftpd python3-jsonschema)
if [ "$(id -u)" = 0 ]; then
    missing=()
    for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing ${missing[*]}"
        apt-get update -qq
        # The tests start their own daemons inside network namespaces: keep the packages' system
        # services (sshd, redis, memcached, dnsmasq, snmpd, nginx, vsftpd) from starting on the host.
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

echo "==> swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests bench fuzz

echo "==> swift build --build-tests (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors

echo "==> swift test"
test_log=$(mktemp)
trap 'cleanup; rm -f "$test_log"' EXIT
swift test --skip-build 2>&1 | tee "$test_log"

# Under CI every suite that needs root or network namespaces must have run: a machine where they
# are skipped (not root, iproute2 missing) proves nothing about the scanner.
if [ "${CI:-}" = true ]; then
    skipped=$(grep -E '(skipped|was cancelled)[^"]*: ".*(root|network namespace)' "$test_log" || true)
    if [ -n "$skipped" ]; then
        echo "CI: tests that need root or network namespaces were skipped:" >&2
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

echo "==> short fuzz pass: the libFuzzer targets for a few seconds each (scripts/fuzz.sh, docs/fuzzing.md)"
scripts/fuzz.sh --seconds 5 \
    policy yaml-preflight nmap-xml masscan-json masscan-list observation-lines osquery ss proc-net proc-text \
    target-spec port-spec detection-http detection-mysql detection-rdp detection-smb detection-tls \
    detection-vnc detection-text udp-reply udp-error-queue syn-reply log-netfilter log-zeek log-suricata \
    log-sshd
