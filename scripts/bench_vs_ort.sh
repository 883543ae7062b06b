#!/usr/bin/env bash
# Side-by-side latency of n2d2-flow and ONNX Runtime on the same models and inputs, in one run.
#
#   scripts/bench_vs_ort.sh [--quick] [--models "lenet resnet18 mobilenet_v2 squeezenet1_1"]
#                           [--batch "1 8"] [--threads "1 2"] [--rounds N] [--csv FILE] [--md FILE]
#                           [--dir CACHE] [--rss]
#
# Models: LeNet-5 (samples/lenet_fmnist, batch rewritten), torchvision ResNet-18, MobileNetV2 and
# SqueezeNet1.1 (scripts/make_zoo_models.py, opset 13, folded; exported once into CACHE, default
# /tmp/n2d2_bench). For every model x batch x threads, ORT (scripts/ort_run.js: graph optimization
# 'all', intra-op threads = T, 3 warm-ups, >= 20 runs and >= 3 s) and n2d2-flow (run --repeat 20,
# the same protocol) run alternately for N rounds (default 2); each side's best median is kept.
# Prints median latencies, the ratio n2d2/ORT (< 1: n2d2-flow is faster), GFLOP/s (2 x MACs from
# `n2d2-flow info`) and % of the FMA peak measured by build/benchmarks/fma_peak at T threads.
# --rss adds the max RSS (/usr/bin/time -v) of one run of each, for ResNet-18 batch 1.
# --quick: batch 1, 1 thread, 1 round. Exit 2 on a set-up error.
# Environment: N2D2_FLOW (binary), FMA_PEAK (binary), PYTHON (default /usr/bin/python3).
set -uo pipefail
ORIG_PWD=$(pwd)
cd "$(dirname "$0")/.."
ROOT=$(pwd)
abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$ORIG_PWD" "$1" ;; esac; }
die() { echo "bench_vs_ort: $*" >&2; exit 2; }

MODELS="lenet resnet18 mobilenet_v2 squeezenet1_1"; BATCHES="1 8"; THREADS="1 2"; ROUNDS=2
CSV=""; MD=""; CACHE=/tmp/n2d2_bench; RSS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) BATCHES="1"; THREADS="1"; ROUNDS=1 ;;
    --models) MODELS=$2; shift ;;
    --batch) BATCHES=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --csv) CSV=$(abspath "$2"); shift ;;
    --md) MD=$(abspath "$2"); shift ;;
    --dir) CACHE=$(abspath "$2"); shift ;;
    --rss) RSS=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

N2D2_FLOW=${N2D2_FLOW:-$ROOT/build/apps/n2d2-flow/n2d2-flow}
FMA_PEAK=${FMA_PEAK:-$ROOT/build/benchmarks/fma_peak}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$N2D2_FLOW" ] || die "no n2d2-flow binary at $N2D2_FLOW (build with scripts/setup.sh)"
[ -x "$FMA_PEAK" ] || die "no fma_peak binary at $FMA_PEAK (scripts/setup.sh builds the benchmarks)"
command -v node >/dev/null || die "node is not installed"
if [ ! -d scripts/node_modules/onnxruntime-node ]; then
  (cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund >/dev/null 2>&1) || die "npm ci failed in scripts/"
fi
mkdir -p "$CACHE"

# model files: CACHE/<model>_b<batch>.onnx and .input.npy
prepare() {
  local model=$1 b=$2 out="$CACHE/${1}_b${2}"
  [ -f "$out.onnx" ] && [ -f "$out.input.npy" ] && return 0
  if [ "$model" = lenet ]; then
    "$PYTHON" - "$ROOT/samples/lenet_fmnist/model.onnx" "$out" "$b" <<'PY' || return 1
import sys, numpy as np, onnx
src, out, b = sys.argv[1], sys.argv[2], int(sys.argv[3])
m = onnx.load(src)
for v in list(m.graph.input) + list(m.graph.output):
    v.type.tensor_type.shape.dim[0].dim_value = b
del m.graph.value_info[:]
onnx.save(m, out + ".onnx")
np.save(out + ".input.npy", np.random.default_rng(b).random((b, 1, 28, 28), dtype=np.float32))
PY
  else
    "$PYTHON" scripts/make_zoo_models.py "$CACHE/zoo" --batch "$b" --opset 13 --fold fold --models "$model" >/dev/null || return 1
    cp "$CACHE/zoo/${model}_b${b}_op13_fold.onnx" "$out.onnx" && cp "$CACHE/zoo/${model}_b${b}_op13_fold.input.npy" "$out.input.npy"
  fi
}

json_num() { "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$1" "$2"; }

declare -A PEAK
for t in $THREADS; do PEAK[$t]=$("$FMA_PEAK" --threads "$t" --seconds 1 | "$PYTHON" -c "import json,sys; print(json.load(sys.stdin)['gflops'])") || die "fma_peak failed"; done
CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
DATE=$(date -u +%Y-%m-%d)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

rows=()
printf '%-14s %5s %7s %11s %11s %7s %9s %7s %9s %7s\n' model batch threads ort_ms n2d2_ms ratio n2d2_GF/s n2d2_%pk ort_GF/s ort_%pk
for model in $MODELS; do
  for b in $BATCHES; do
    prepare "$model" "$b" || die "could not prepare $model batch $b"
    f="$CACHE/${model}_b${b}"
    "$N2D2_FLOW" info "$f.onnx" --json "$TMP/info.json" >/dev/null || die "n2d2-flow info failed on $f.onnx"
    macs=$(json_num "$TMP/info.json" "d['macs']")
    input=$("$PYTHON" -c "import onnx,sys; print(onnx.load(sys.argv[1]).graph.input[0].name)" "$f.onnx")
    for t in $THREADS; do
      best_ort=""; best_n2d2=""
      for r in $(seq "$ROUNDS"); do
        node scripts/ort_run.js "$f.onnx" "$TMP/ort" --input "$input=$f.input.npy" --threads "$t" --repeat 20 > "$TMP/ort.json" \
          || die "ORT failed on $f.onnx"
        o=$(json_num "$TMP/ort.json" "d['timing']['median_ms']")
        "$N2D2_FLOW" run "$f.onnx" --input "$input=$f.input.npy" --threads "$t" --repeat 20 --json "$TMP/n2d2.json" >/dev/null \
          || die "n2d2-flow failed on $f.onnx"
        n=$(json_num "$TMP/n2d2.json" "d['timing']['median_ms']")
        best_ort=$("$PYTHON" -c "print(min(float('$o'), float('${best_ort:-inf}')))")
        best_n2d2=$("$PYTHON" -c "print(min(float('$n'), float('${best_n2d2:-inf}')))")
      done
      row=$("$PYTHON" -c "
m,o,n,p=$macs,$best_ort,$best_n2d2,${PEAK[$t]}
gn=2*m/(n*1e-3)/1e9; go=2*m/(o*1e-3)/1e9
print(f'{o:.3f} {n:.3f} {n/o:.2f} {gn:.1f} {100*gn/p:.1f} {go:.1f} {100*go/p:.1f}')")
      read -r o n ratio gn pn go po <<<"$row"
      printf '%-14s %5s %7s %11s %11s %7s %9s %7s %9s %7s\n' "$model" "$b" "$t" "$o" "$n" "$ratio" "$gn" "$pn" "$go" "$po"
      rows+=("$model,$b,$t,$o,$n,$ratio,$gn,$pn,$go,$po,$macs")
    done
  done
done
echo "FMA peak (GFLOP/s):$(for t in $THREADS; do printf ' %s thread(s) %s;' "$t" "${PEAK[$t]}"; done) CPU: $CPU; $DATE"

if [ "$RSS" = 1 ]; then
  prepare resnet18 1 || die "could not prepare resnet18"
  f="$CACHE/resnet18_b1"
  input=$("$PYTHON" -c "import onnx,sys; print(onnx.load(sys.argv[1]).graph.input[0].name)" "$f.onnx")
  rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }'; }
  r_ort=$(rss node scripts/ort_run.js "$f.onnx" "$TMP/ort" --input "$input=$f.input.npy")
  r_n2d2=$(rss "$N2D2_FLOW" run "$f.onnx" --input "$input=$f.input.npy")
  echo "max RSS, ResNet-18 batch 1: ORT (node) ${r_ort} kB, n2d2-flow ${r_n2d2} kB"
fi

header="model,batch,threads,ort_median_ms,n2d2_median_ms,ratio,n2d2_gflops,n2d2_pct_peak,ort_gflops,ort_pct_peak,macs"
if [ -n "$CSV" ]; then
  { echo "$header"; printf '%s\n' "${rows[@]}"; } > "$CSV.tmp" && mv "$CSV.tmp" "$CSV"
fi
if [ -n "$MD" ]; then
  {
    echo "| model | batch | threads | ORT median ms | n2d2 median ms | n2d2/ORT | n2d2 GFLOP/s | n2d2 % peak | ORT GFLOP/s | ORT % peak |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for r in "${rows[@]}"; do IFS=, read -r a b c d e f g h i j k <<<"$r"; echo "| $a | $b | $c | $d | $e | $f | $g | $h | $i | $j |"; done
    echo
    echo "FMA peak:$(for t in $THREADS; do printf ' %s GFLOP/s at %s thread(s);' "${PEAK[$t]}" "$t"; done) $CPU, $DATE."
  } > "$MD.tmp" && mv "$MD.tmp" "$MD"
fi
