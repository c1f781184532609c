#!/usr/bin/env bash
# Benchmark 6, build: a clean `cargo build` of the crate, a no-op build, and the rebuild after a
# real one-line edit of openapi/intercom.yaml (a description, as in README's "Changing the
# spec"), with and without the dummy server crate (`-p intercom-dummy`). The description is restored afterwards, also on
# failure or Ctrl-C.
#
#   benches/build-time.sh              # dev profile, in a fresh target directory under /tmp
#   benches/build-time.sh --release    # also the clean release build (several minutes more)
#
# Uses its own CARGO_TARGET_DIR (kept for inspection; removed with --cleanup), so the work
# tree's target/ is not touched. Prints a Markdown table; per rebuild, cargo's --timings split
# into the build script (progenitor generating the client) and rustc on the crate.
set -euo pipefail
cd "$(dirname "$0")/.."

release=false
cleanup=false
for arg in "$@"; do
    case "$arg" in
        --release) release=true ;;
        --cleanup) cleanup=true ;;
        -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

spec=openapi/intercom.yaml
original="The tag's name."
edited="The tag's name, unique in the workspace."
if ! git diff --quiet -- "$spec"; then
    echo "$spec has uncommitted changes; commit or stash them first" >&2
    exit 2
fi
backup=$(mktemp)
cp "$spec" "$backup"
restore() { cp "$backup" "$spec"; rm -f "$backup"; }
trap restore EXIT

target=$(mktemp -d /tmp/intercom-build-bench.XXXXXX)
export CARGO_TARGET_DIR="$target"

cores=$(nproc)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1024/1024}' /proc/meminfo)
model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo "## 6. Build time"
echo
echo "Machine: $model, $cores cores, $mem memory, load average $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min); $(cargo --version); target dir $target"
echo

rows=()
# Times `cargo build <args>`; adds a row. The rebuilds also get cargo's per-unit timings.
measure() {
    local label=$1; shift
    local load start end seconds split=""
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    cargo build --locked --quiet --timings "$@" 2>/dev/null
    end=$(date +%s.%N)
    seconds=$(echo "$end - $start" | bc)
    split=$(timings)
    rows+=("| $label | \`cargo build${*:+ $*}\` | $(printf '%.1f' "$seconds") | $split | $load |")
}

# From the newest cargo timings report: seconds spent in intercom-api's build script run and in
# rustc on the library.
timings() {
    local report
    report=$(ls -t "$target"/cargo-timings/cargo-timing-*.html 2>/dev/null | head -1)
    [ -n "$report" ] || { echo "– | – | –"; return; }
    python3 - "$report" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
match = re.search(r"const UNIT_DATA = (\[.*?\]);\n", text, re.S)
units = [u for u in (json.loads(match.group(1)) if match else []) if u.get("name") == "intercom-api"]
run = [u["duration"] for u in units if u.get("mode") == "run-custom-build"]
# The library's unit has an empty target name; binaries say "bin".
lib = [u["duration"] for u in units if u.get("mode") == "todo" and u.get("target", "").strip() == ""]
bins = [u["duration"] for u in units if u.get("mode") == "todo" and "bin" in u.get("target", "")]
show = lambda xs: f"{sum(xs):.1f}" if xs else "–"
print(f"{show(run)} | {show(lib)} | {show(bins)}")
PY
}

edit() {
    # The first occurrence: the `name` property of the Tag schema.
    sed -i "0,/description: $original/s//description: $edited/" "$spec"
    if ! grep -q "description: $edited" "$spec"; then
        echo "the edit did not apply; has $spec changed?" >&2
        exit 1
    fi
}

measure "clean build (all dependencies)"
measure "no-op build"
edit
measure "rebuild after a one-line spec edit"
cp "$backup" "$spec"
measure "rebuild after restoring the spec"
measure "clean build of the dummy server crate on top" -p intercom-dummy
edit
measure "rebuild after a one-line spec edit" -p intercom-dummy
cp "$backup" "$spec"
measure "rebuild after restoring the spec" -p intercom-dummy
if $release; then
    measure "clean release build" --release
    edit
    measure "release rebuild after a one-line spec edit" --release
    cp "$backup" "$spec"
fi

echo "| step | command | wall s | build script run s | rustc intercom-api lib s | rustc intercom-dummy bin s | load before |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Target: rebuild after a one-line spec edit <= 5 s. Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if $cleanup; then
    rm -rf "$target"
fi
