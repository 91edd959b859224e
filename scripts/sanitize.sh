#!/usr/bin/env bash
# Runs the tests under the sanitizers, each build in its own scratch path so the normal build is
# never disturbed: scripts/sanitize.sh [address|thread]... (default: both).
#
# - address (AddressSanitizer, scratch path .build-asan): the unit and component tests, that is
#   every test target but PortwardenEndToEndTests (which runs the portwarden binary as a process).
# - thread (ThreadSanitizer, scratch path .build-tsan): the engine and detection tests of
#   PortwardenScanTests (connect, SYN and UDP engines, service detection), namespace tests included,
#   and the evaluator's parallel paths (EvaluatorParallelAgreementTests).
#
# A sanitizer report makes the test process exit non-zero, so the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."

kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(address thread)

# The Swift runtime's crash reporter would wait on a process a sanitizer stops; the sanitizers report.
export SWIFT_BACKTRACE=enable=no
# halt_on_error: the first report fails the run, with its stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

without_linker_notes() { grep -v "Cannot export local symbol" || true; }

for kind in "${kinds[@]}"; do
    case "$kind" in
        address)
            scratch=.build-asan
            selection=(--skip PortwardenEndToEndTests)
            ;;
        thread)
            scratch=.build-tsan
            selection=(--filter 'PortwardenScanTests\.(Connect|SYN|UDP|Detection|BinaryTranscript|TLSTranscript|TextReply)|PortwardenPolicyTests\.EvaluatorParallelAgreementTests')
            ;;
        *) echo "usage: scripts/sanitize.sh [address|thread]..." >&2; exit 2 ;;
    esac
    echo "==> swift build --build-tests --sanitize=$kind (scratch path $scratch)"
    start=$SECONDS
    # The linker's notes on the sanitizer runtime's local symbols are noise.
    if ! swift build --build-tests --sanitize="$kind" --scratch-path "$scratch" 2>&1 | without_linker_notes; then
        echo "the $kind sanitizer build failed" >&2
        exit 1
    fi
    echo "    built in $((SECONDS - start)) s"
    echo "==> swift test --sanitize=$kind ${selection[*]}"
    start=$SECONDS
    swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" "${selection[@]}"
    echo "    tested in $((SECONDS - start)) s"
done
