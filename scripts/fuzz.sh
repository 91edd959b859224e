#!/usr/bin/env bash
# Builds the libFuzzer harness (fuzz/Harness, AddressSanitizer on) in its own scratch path and runs
# its targets: scripts/fuzz.sh [TARGET...] [--runs N | --seconds S] [--release] [--no-build].
# --release builds optimised (-c release, -enable-testing for the targets' @testable imports), several
# times faster per input: the long campaign uses it; the default debug build also keeps Swift's
# debug-only checks (e.g. unsafe-pointer bounds preconditions).
#
# Each target starts from its seed corpus fuzz/corpus/NAME/ (never modified) plus the inputs earlier
# runs kept in fuzz/work/NAME/, with the dictionary fuzz/dict/NAME.dict when there is one. A crash,
# leak, sanitizer report, timeout or out-of-memory input is written to fuzz/crashes/NAME/ and the
# script exits 1 after running every target. One markdown table row per target is printed at the
# end (target, executions, coverage, crashes) — the table kept in fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/fuzz.sh [TARGET...] [--runs N | --seconds S] [--release] [--no-build]" >&2; exit 2; }

targets=()
limit=(-max_total_time=10)
build=1
configuration=debug
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || usage; limit=("-runs=$2"); shift 2 ;;
        --seconds) [ $# -ge 2 ] || usage; limit=("-max_total_time=$2"); shift 2 ;;
        --no-build) build=0; shift ;;
        --release) configuration=release; shift ;;
        -h | --help) usage ;;
        -*) echo "unknown option $1" >&2; usage ;;
        *) targets+=("$1"); shift ;;
    esac
done

scratch=.build-fuzz
binary="$scratch/$configuration/portwarden-fuzz"
build_flags=(-c "$configuration" -Xswiftc -sanitize=fuzzer,address)
[ "$configuration" = release ] && build_flags+=(-Xswiftc -enable-testing)
if [ "$build" = 1 ]; then
    echo "==> building portwarden-fuzz ($configuration, libFuzzer + AddressSanitizer, scratch path $scratch)"
    # The linker's notes on the sanitizer runtime's local symbols are noise.
    if ! PORTWARDEN_FUZZ=1 swift build --scratch-path "$scratch" --product portwarden-fuzz "${build_flags[@]}" 2>&1 \
        | { grep -v "Cannot export local symbol" || true; }; then
        echo "the fuzz build failed" >&2
        exit 1
    fi
fi

# The Swift runtime's own crash reporter waits on the crashed process; libFuzzer and ASan report.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"

if [ ${#targets[@]} = 0 ]; then
    # The binary lists its targets when started without one.
    read -r -a targets <<< "$("$binary" 2>&1 | sed -n 's/^targets: //p')"
fi

mkdir -p fuzz/logs
rows=()
failed=()
for target in "${targets[@]}"; do
    seeds="fuzz/corpus/$target"
    work="fuzz/work/$target"
    crashes="fuzz/crashes/$target"
    log="fuzz/logs/$target.log"
    mkdir -p "$seeds" "$work" "$crashes"
    flags=("${limit[@]}" -timeout=60 -report_slow_units=30 -print_final_stats=1 "-artifact_prefix=$crashes/")
    [ -f "fuzz/dict/$target.dict" ] && flags+=("-dict=fuzz/dict/$target.dict")
    [ -f "fuzz/options/$target.options" ] && read -r -a extra < "fuzz/options/$target.options" && flags+=("${extra[@]}")
    echo "==> fuzz $target (${flags[*]})"
    status=0
    "$binary" "$target" "${flags[@]}" "$work" "$seeds" > "$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    features=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    # slow-unit-* files are libFuzzer's notes on slow inputs, not failures.
    found=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    if [ "$status" != 0 ]; then
        failed+=("$target")
        echo "    FAILED (exit $status); the report:" >&2
        grep -E "ERROR|SUMMARY|Fatal error|fuzz property|Test unit written" "$log" | head -20 >&2 || true
    fi
    rows+=("| $target | ${runs:-?} | ${coverage:-?} | ${features:-?} | $found |")
    echo "    ${runs:-?} executions, coverage ${coverage:-?} edges, ${features:-?} features, $found crash files"
done

echo
echo "| target | executions | coverage (edges) | features | crash files |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs in fuzz/crashes/, logs in fuzz/logs/)" >&2
    exit 1
fi
