#!/usr/bin/env bash
# Benchmark 8: event ingest, this crate against raw reqwest and Intercom's official SDKs
# (intercom-client 7.x for Node, python-intercom 5.x for Python), all four against one
# `intercom-dummy` (release). Run by hand, not in CI; see BENCHMARKS.md.
#
#   benches/official-sdks/run.sh [--events 5000] [--concurrency 16,64] [--rounds 3]
#                                [--warmup 1000] [--users 500] [--out DIR]
#
# Installs the SDKs into a scratch folder, ${CARGO_TARGET_DIR:-target}/official-sdks (never into
# the repository): npm `intercom-client@7` and, in a venv, PyPI `python-intercom>=5,<6`.
# Builds the `intercom-dummy` binary and the `ingest` bench (release) with cargo under nice.
# Each side of each round is a process of its own posting `--events` new events (after a warm-up
# of `--warmup` events) at concurrency C:
#   ours    benches/ingest.rs --only sdk  (events().create_many(..).concurrency(C), SDK defaults)
#   raw     benches/ingest.rs --only raw  (reqwest + buffer_unordered(C), same bodies and headers)
#   node    ingest.mjs  (IntercomClient, a pool of C promises awaiting client.events.create)
#   python  ingest.py   (AsyncIntercom, a task per event behind an asyncio.Semaphore(C))
# Each prints `RESULT side=.. events=.. concurrency=.. seconds=.. cpu_seconds=.. peak_rss_kib=..`
# (wall and CPU time, getrusage-style, of the measured events; VmHWM of the whole process);
# /usr/bin/time, where present, also records the whole process (start-up included). The order
# of the sides rotates from one round (and concurrency) to the next. Every event is new to the
# server: each run has its own event name; user (i mod users) + 1, created_at one second later
# every `users` events. Prints a Markdown table; the raw rows go to <out>/results.tsv.
set -euo pipefail

EVENTS=5000
LEVELS=16,64
ROUNDS=3
WARMUP=1000
USERS=500
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --events) EVENTS=$2; shift 2 ;;
        --concurrency) LEVELS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --users) USERS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SCRATCH=$TARGET/official-sdks
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-$SCRATCH/run-$STAMP}
mkdir -p "$SCRATCH" "$OUT"

need() { command -v "$1" >/dev/null || { echo "needs $1 on PATH" >&2; exit 1; }; }
need cargo; need node; need npm; need python3

# ------------------------------------------------------------------------------------------
# The official SDKs, in the scratch folder

NODE_DIR=$SCRATCH/node
if [ ! -f "$NODE_DIR/node_modules/intercom-client/package.json" ]; then
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm install --no-audit --no-fund intercom-client@7 >/dev/null)
fi
cp "$HERE/ingest.mjs" "$NODE_DIR/ingest.mjs"
NODE_SDK=$(node -p "require('$NODE_DIR/node_modules/intercom-client/package.json').version")

VENV=$SCRATCH/venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import intercom' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check 'python-intercom>=5,<6'
fi
PY_SDK=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("python-intercom"))')
HTTPX=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("httpx"))')

# ------------------------------------------------------------------------------------------
# Our side: the dummy server and the ingest bench, release

nice -n 19 cargo build --release -p intercom-dummy --bin intercom-dummy
DUMMY=$TARGET/release/intercom-dummy
INGEST=$(nice -n 19 cargo bench -p intercom-api --bench ingest --no-run \
    --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "ingest" and m.get("executable"):
        print(m["executable"])')
[ -x "$DUMMY" ] && [ -x "$INGEST" ] || { echo "build did not produce $DUMMY / $INGEST" >&2; exit 1; }

# ------------------------------------------------------------------------------------------
# The server

"$DUMMY" --port 0 --quiet --request-log 0 --seed-users "$USERS" >"$OUT/dummy.out" 2>"$OUT/dummy.err" &
DUMMY_PID=$!
trap 'kill "$DUMMY_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'listening on' "$OUT/dummy.out" && break
    sleep 0.1
done
BASE_URL=$(sed -n 's/^intercom-dummy listening on //p' "$OUT/dummy.out" | head -1)
[ -n "$BASE_URL" ] || { echo "intercom-dummy did not start" >&2; cat "$OUT/dummy.err" >&2; exit 1; }

CLK_TCK=$(getconf CLK_TCK)
server_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$DUMMY_PID/stat"; }
TIME=""
[ -x /usr/bin/time ] && TIME=/usr/bin/time

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
{
    echo "## 8. Event ingest: this crate, raw reqwest and the official SDKs"
    echo
    echo "Machine: $CPU_MODEL, $(nproc) cores, $MEM memory, load average $LOAD_BEFORE (1/5/15 min) before; $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Sides: ours = intercom-api (release, SDK defaults), raw = reqwest + serde_json, node = intercom-client $NODE_SDK (Node $(node --version)), python = python-intercom $PY_SDK (httpx $HTTPX, Python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())'))"
    echo "$EVENTS events per side, round and concurrency (after a $WARMUP-event warm-up in the same process), concurrency $LEVELS, $ROUNDS rounds, sides in a rotated order; server: intercom-dummy --seed-users $USERS (one process for the whole run)"
    echo
} | tee "$OUT/header.md"

# ------------------------------------------------------------------------------------------
# The runs

SIDES=(ours raw node python)
printf 'round\tconcurrency\tside\twarmup\tevents\tseconds\tcpu_seconds\tpeak_rss_kib\tserver_cpu_seconds\tprocess_wall\tprocess_user\tprocess_sys\tprocess_max_rss_kib\tload1\n' >"$OUT/results.tsv"
IFS=, read -r -a LEVEL_LIST <<<"$LEVELS"
for round in $(seq 1 "$ROUNDS"); do
    for k in "${!LEVEL_LIST[@]}"; do
        c=${LEVEL_LIST[$k]}
        shift_by=$(( (round - 1 + k) % ${#SIDES[@]} ))
        order=("${SIDES[@]:$shift_by}" "${SIDES[@]:0:$shift_by}")
        for side in "${order[@]}"; do
            name="sdkcmp-$STAMP-r$round-c$c-$side"
            common=(--base-url "$BASE_URL" --events "$EVENTS" --concurrency "$c" --users "$USERS" --name "$name" --warmup "$WARMUP")
            case $side in
                # --settle 0: the bench's own wait for a quiet machine is the driver's business.
                ours) cmd=("$INGEST" --only sdk --settle 0 "${common[@]}") ;;
                raw) cmd=("$INGEST" --only raw --settle 0 "${common[@]}") ;;
                node) cmd=(node "$NODE_DIR/ingest.mjs" "${common[@]}") ;;
                python) cmd=("$VENV/bin/python" "$HERE/ingest.py" "${common[@]}") ;;
            esac
            before=$(server_ticks)
            log=$OUT/$name.log
            if [ -n "$TIME" ]; then
                "$TIME" -f '%e %U %S %M' -o "$OUT/$name.time" "${cmd[@]}" >"$log" 2>&1 ||
                    { echo "$side failed:" >&2; tail -20 "$log" >&2; exit 1; }
                read -r pw pu ps pm <"$OUT/$name.time"
            else
                "${cmd[@]}" >"$log" 2>&1 || { echo "$side failed:" >&2; tail -20 "$log" >&2; exit 1; }
                pw=; pu=; ps=; pm=
            fi
            after=$(server_ticks)
            result=$(grep '^RESULT ' "$log" | tail -1)
            [ -n "$result" ] || { echo "$side printed no RESULT line:" >&2; tail -20 "$log" >&2; exit 1; }
            value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
            server=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$c" "$side" \
                "$WARMUP" "$(value events)" "$(value seconds)" "$(value cpu_seconds)" "$(value peak_rss_kib)" \
                "$server" "$pw" "$pu" "$ps" "$pm" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/results.tsv"
            echo "round $round, concurrency $c, $side: $(grep -v '^RESULT' "$log" | tail -1)" >&2
        done
    done
done

# ------------------------------------------------------------------------------------------
# The table: per concurrency and side, medians over the rounds; ratios to ours per round, then
# their median (and range), so drift of the shared machine between rounds cancels.

python3 "$HERE/table.py" "$OUT/results.tsv" | tee "$OUT/table.md"
echo
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg); raw rows: $OUT/results.tsv" | tee -a "$OUT/table.md"
