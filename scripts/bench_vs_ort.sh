#!/usr/bin/env bash
# Side-by-side latency of n2d2-flow and ONNX Runtime on the same models and inputs.
#
#   scripts/bench_vs_ort.sh [--zoo DIR] [--models "lenet5 resnet18 mobilenet_v2 squeezenet1_1"]
#                           [--batches "1 8"] [--threads "1 2"] [--rounds N] [--min-time S]
#                           [--csv FILE] [--json FILE]
#
# 1. Exports the models that DIR (default /tmp/n2d2_zoo) lacks with scripts/make_zoo_models.py
#    (torchvision exports, seeded weights, opset 13, folded) and installs onnxruntime-node when
#    scripts/node_modules lacks it (ONNXRUNTIME_NODE_INSTALL=skip npm ci: no download).
# 2. Measures the FMA peak per thread count (build/benchmarks/fma_peak).
# 3. Per model x batch x threads, N rounds (default 2), alternating: ONNX Runtime
#    (scripts/ort_run.js: graph optimization 'all', intra-op threads T, 3 warm-ups, >= 20 runs
#    and >= S seconds, default 3) then n2d2-flow run --bench --threads T (same protocol).
#    A round's figure is its median per batch; the reported median is the median of the rounds',
#    min the smallest min.
# Prints a table (model, batch, threads, ort_ms, n2d2_ms, ratio n2d2/ORT, n2d2 GFLOP/s, % of FMA
# peak), also written as CSV/JSON. Exits 0 when every run worked, 1 on a failed run, 2 on a
# set-up error. Environment: N2D2_FLOW (binary, default build/apps/n2d2-flow/n2d2-flow),
# FMA_PEAK (default build/benchmarks/fma_peak), PYTHON (default /usr/bin/python3).
set -uo pipefail
ORIG_PWD=$(pwd)
cd "$(dirname "$0")/.."
ROOT=$(pwd)
abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$ORIG_PWD" "$1" ;; esac; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

ZOO=/tmp/n2d2_zoo; MODELS="lenet5 resnet18 mobilenet_v2 squeezenet1_1"; BATCHES="1 8"; THREADS="1 2"
ROUNDS=2; MIN_TIME=3; CSV=""; JSON=""
while [ $# -gt 0 ]; do
  need() { [ $# -ge 2 ] || { echo "bench_vs_ort: $1 needs a value" >&2; exit 2; }; }
  case "$1" in
    --zoo) need "$@"; ZOO=$(abspath "$2"); shift ;;
    --models) need "$@"; MODELS=$2; shift ;;
    --batches) need "$@"; BATCHES=$2; shift ;;
    --threads) need "$@"; THREADS=$2; shift ;;
    --rounds) need "$@"; ROUNDS=$2; shift ;;
    --min-time) need "$@"; MIN_TIME=$2; shift ;;
    --csv) need "$@"; CSV=$(abspath "$2"); shift ;;
    --json) need "$@"; JSON=$(abspath "$2"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_vs_ort: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$ROUNDS" in ''|*[!0-9]*|0) echo "bench_vs_ort: --rounds must be a positive integer" >&2; exit 2 ;; esac

N2D2=${N2D2_FLOW:-$ROOT/build/apps/n2d2-flow/n2d2-flow}
PEAK=${FMA_PEAK:-$ROOT/build/benchmarks/fma_peak}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3
for f in "$N2D2" "$PEAK"; do
  [ -x "$f" ] || { echo "bench_vs_ort: $f not found: build it (cmake --build build --target n2d2-flow fma_peak)" >&2; exit 2; }
done
command -v node >/dev/null || { echo "bench_vs_ort: node not found" >&2; exit 2; }
if [ ! -d scripts/node_modules/onnxruntime-node ]; then
  echo "installing onnxruntime-node (scripts/node_modules) ..."
  (cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund >/dev/null) ||
    { echo "bench_vs_ort: npm ci failed" >&2; exit 2; }
fi

mkdir -p "$ZOO" || exit 2
for m in $MODELS; do
  for b in $BATCHES; do
    if [ ! -f "$ZOO/${m}_b${b}_op13_fold.onnx" ]; then
      echo "exporting $m batch $b into $ZOO ..."
      "$PY" scripts/make_zoo_models.py "$ZOO" --models "$m" --batch "$b" --opset 13 --fold fold >/dev/null ||
        { echo "bench_vs_ort: export of $m failed" >&2; exit 2; }
    fi
  done
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
declare -A PEAKS
for t in $THREADS; do
  PEAKS[$t]=$("$PEAK" --threads "$t" --seconds 1 | "$PY" -c 'import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])["gflops"])')
  echo "FMA peak with $t thread(s): ${PEAKS[$t]} GFLOP/s"
done

RESULTS=$WORK/results.jsonl
: > "$RESULTS"
STATUS=0
for m in $MODELS; do
  for b in $BATCHES; do
    model=$ZOO/${m}_b${b}_op13_fold.onnx
    input=$ZOO/${m}_b${b}_op13_fold.input.npy
    macs=$("$N2D2" info "$model" --json "$WORK/info.json" >/dev/null 2>&1 &&
           "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["macs"])' "$WORK/info.json") || macs=0
    for t in $THREADS; do
      ort_meds=""; n2d2_meds=""; ort_min=""; n2d2_min=""
      for r in $(seq "$ROUNDS"); do
        echo "  $m b$b t$t round $r/$ROUNDS: ORT ..." >&2
        if ! node scripts/ort_run.js "$model" "$WORK/ort" --input "input=$input" --threads "$t" \
             --repeat 20 --warmup 3 > "$WORK/ort.json" 2> "$WORK/ort.err"; then
          echo "bench_vs_ort: ORT failed on $model: $(tail -1 "$WORK/ort.err")" >&2; STATUS=1; continue
        fi
        echo "  $m b$b t$t round $r/$ROUNDS: n2d2-flow ..." >&2
        if ! "$N2D2" run "$model" --input "input=$input" --threads "$t" --bench --min-time "$MIN_TIME" \
             --json "$WORK/n2d2.json" > "$WORK/n2d2.out" 2>&1; then
          echo "bench_vs_ort: n2d2-flow failed on $model: $(tail -1 "$WORK/n2d2.out")" >&2; STATUS=1; continue
        fi
        "$PY" - "$WORK/ort.json" "$WORK/n2d2.json" >> "$WORK/rounds_${m}_${b}_${t}" <<'PYEOF'
import json, sys
o = json.load(open(sys.argv[1]))["timing"]; n = json.load(open(sys.argv[2]))["timing"]
print(o["median_ms"], o["min_ms"], n["median_ms"], n["min_ms"])
PYEOF
      done
      [ -s "$WORK/rounds_${m}_${b}_${t}" ] || continue
      "$PY" - "$WORK/rounds_${m}_${b}_${t}" "$m" "$b" "$t" "$macs" "${PEAKS[$t]}" >> "$RESULTS" <<'PYEOF'
import json, statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
m, b, t, macs, peak = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
ort = statistics.median(r[0] for r in rows); n2d2 = statistics.median(r[2] for r in rows)
gflops = 2 * macs / (n2d2 * 1e-3) * 1e-9 if n2d2 > 0 else 0
print(json.dumps({"model": m, "batch": b, "threads": t, "rounds": len(rows), "ort_median_ms": round(ort, 3),
                  "ort_min_ms": round(min(r[1] for r in rows), 3), "n2d2_median_ms": round(n2d2, 3),
                  "n2d2_min_ms": round(min(r[3] for r in rows), 3), "ratio": round(n2d2 / ort, 3),
                  "gmacs": round(macs * 1e-9, 4), "n2d2_gflops": round(gflops, 1),
                  "ort_gflops": round(2 * macs / (ort * 1e-3) * 1e-9, 1),
                  "fma_peak_gflops": peak, "n2d2_pct_peak": round(100 * gflops / peak, 1)}))
PYEOF
    done
  done
done

"$PY" - "$RESULTS" "$CSV" "$JSON" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)" <<'PYEOF'
import csv, json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
csv_path, json_path, date, cpu, cores = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
print(f"date {date}, CPU {cpu}, {cores} cores")
hdr = f"{'model':<14} {'batch':>5} {'thr':>3} {'ORT ms':>9} {'n2d2 ms':>9} {'ratio':>6} {'n2d2 GF/s':>9} {'ORT GF/s':>8} {'% peak':>6}"
print(hdr)
for r in rows:
    print(f"{r['model']:<14} {r['batch']:>5} {r['threads']:>3} {r['ort_median_ms']:>9.3f} {r['n2d2_median_ms']:>9.3f} "
          f"{r['ratio']:>6.2f} {r['n2d2_gflops']:>9.1f} {r['ort_gflops']:>8.1f} {r['n2d2_pct_peak']:>6.1f}")
def atomic(path, write):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        write(f)
    os.replace(tmp, path)
if csv_path and rows:
    def w(f):
        cw = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        cw.writeheader()
        cw.writerows(rows)
    atomic(csv_path, w)
if json_path:
    atomic(json_path, lambda f: json.dump({"date": date, "cpu": cpu, "cores": int(cores), "results": rows}, f, indent=1))
PYEOF
exit $STATUS
