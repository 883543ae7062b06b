#!/usr/bin/env bash
# int8 ResNet-18 batch 1: n2d2-flow's integer run against ONNX Runtime on the QDQ export of the
# same quantized model, and both against ORT's float run, in one run.
#
#   scripts/bench_int8_vs_ort.sh [--rounds N] [--threads T] [--dir CACHE] [--md FILE] [--rescaling R]
#                                [--wt-nbbits B]
#
# Models (made once into CACHE, default /tmp/n2d2_bench_int8):
#   float.onnx   torchvision ResNet-18 (scripts/make_zoo_models.py: seeded random weights, opset 13,
#                folded; without torch, the same graph built with onnx.helper), preceded by a Reshape [1,1,672,224] -> [1,3,224,224] so that
#                `n2d2-flow quantize` (which calibrates on one-channel IDX images) can calibrate it:
#                the three channels are stacked as rows. The network's arithmetic is unchanged.
#   calib/       8 synthetic IDX images 672x224 (seeded uniform pixels, random labels): enough for
#                latency, meaningless for accuracy (no ImageNet here).
#   q/model.onnx `n2d2-flow quantize float.onnx --calib-data calib --calib 8 --test-images 0`
#                (8 bits, MSE clipping, --rescaling R, default Floating-point): ai.n2d2 integer ops;
#                --wt-nbbits B (default 8) quantizes the weights to B bits (7: ORT's reduce_range,
#                the weight pairs that fit the AVX2 vpmaddubsw kernels), into q_R_wB/.
#   qdq/model.onnx `n2d2-flow export q/model.onnx --format onnx-int8` (QuantizeLinear /
#                DequantizeLinear; ORT's 'all' optimizations fuse it into QLinearConv/QLinearAdd/QGemm).
# Each round runs, alternately: ORT float, ORT QDQ (scripts/ort_run.js, optimization 'all', T
# intra-op threads, 3 warm-ups, >= 20 runs and >= 3 s) and n2d2-flow on q/model.onnx (run --repeat
# 20, the same protocol) on the same input; each side's best median (and best minimum) over N
# rounds (default 3) is kept. Prints the medians, the minima and the ratios; --md FILE writes
# them as a Markdown table, with the CPU time per inference of each (ORT: process.cpuUsage() over
# 40 runs of one session; n2d2-flow: rusage of a 45-run minus a 5-run process, / 40), which a
# host shared with other jobs inflates least.
# Exit 2 on a set-up error. Environment: N2D2_FLOW (binary), PYTHON (default /usr/bin/python3).
set -uo pipefail
ORIG_PWD=$(pwd)
cd "$(dirname "$0")/.."
ROOT=$(pwd)
abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$ORIG_PWD" "$1" ;; esac; }
die() { echo "bench_int8_vs_ort: $*" >&2; exit 2; }

ROUNDS=3; THREADS=1; CACHE=/tmp/n2d2_bench_int8; MD=""; RESCALING=Floating-point; WTBITS=8
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --dir) CACHE=$(abspath "$2"); shift ;;
    --md) MD=$(abspath "$2"); shift ;;
    --rescaling) RESCALING=$2; shift ;;
    --wt-nbbits) WTBITS=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

N2D2_FLOW=${N2D2_FLOW:-$ROOT/build/apps/n2d2-flow/n2d2-flow}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$N2D2_FLOW" ] || die "no n2d2-flow binary at $N2D2_FLOW (build with scripts/setup.sh)"
command -v node >/dev/null || die "node is not installed"
if [ ! -d scripts/node_modules/onnxruntime-node ]; then
  (cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund >/dev/null 2>&1) || die "npm ci failed in scripts/"
fi
mkdir -p "$CACHE" || die "cannot create $CACHE"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

# CACHE/float.onnx, CACHE/input.npy (the zoo input stacked as [1,1,672,224]), CACHE/calib/
if [ ! -f "$CACHE/float.onnx" ] || [ ! -f "$CACHE/input.npy" ] || [ ! -d "$CACHE/calib" ]; then
  if "$PYTHON" -c "import torch, torchvision" 2>/dev/null; then
    "$PYTHON" scripts/make_zoo_models.py "$CACHE/zoo" --batch 1 --opset 13 --fold fold --models resnet18 >/dev/null \
      || die "make_zoo_models.py failed"
  else
    echo "bench_int8_vs_ort: no torch/torchvision for $PYTHON: building ResNet-18 with onnx.helper instead" >&2
    "$PYTHON" - "$CACHE/zoo" <<'PY' || die "could not build ResNet-18 with onnx.helper"
# torchvision's ResNet-18 as its folded opset-13 export (Conv with bias, Relu, MaxPool, Add,
# GlobalAveragePool, Flatten, Gemm), seeded Kaiming-normal weights, small biases.
import os, sys
import numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
nodes, inits = [], []
def conv(x, cin, cout, k, s, name, relu):
    w = (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / (cin * k * k))).astype(np.float32)
    b = (rng.standard_normal(cout) * 0.05).astype(np.float32)
    inits.extend([numpy_helper.from_array(w, name + ".weight"), numpy_helper.from_array(b, name + ".bias")])
    y = name + ".out"
    nodes.append(helper.make_node("Conv", [x, name + ".weight", name + ".bias"], [y], name=name, kernel_shape=[k, k],
                                  strides=[s, s], pads=[k // 2] * 4, dilations=[1, 1], group=1))
    if relu:
        nodes.append(helper.make_node("Relu", [y], [y + ".relu"], name=name + ".relu"))
        y += ".relu"
    return y
x = conv("input", 3, 64, 7, 2, "conv1", True)
nodes.append(helper.make_node("MaxPool", [x], ["pool"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1] * 4))
x, cin = "pool", 64
for li, cout in enumerate([64, 128, 256, 512]):
    for bi in range(2):
        s = 2 if li > 0 and bi == 0 else 1
        p = f"layer{li + 1}.{bi}"
        h = conv(x, cin, cout, 3, s, p + ".conv1", True)
        h = conv(h, cout, cout, 3, 1, p + ".conv2", False)
        sc = conv(x, cin, cout, 1, s, p + ".downsample", False) if (s != 1 or cin != cout) else x
        nodes.append(helper.make_node("Add", [h, sc], [p + ".add"], name=p + ".add"))
        nodes.append(helper.make_node("Relu", [p + ".add"], [p + ".out"], name=p + ".relu"))
        x, cin = p + ".out", cout
nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"], name="avgpool"))
nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1))
fw = (rng.standard_normal((1000, 512)) * np.sqrt(1.0 / 512)).astype(np.float32)
inits.extend([numpy_helper.from_array(fw, "fc.weight"), numpy_helper.from_array(np.zeros(1000, np.float32), "fc.bias")])
nodes.append(helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["output"], name="fc", transB=1))
g = helper.make_graph(nodes, "resnet18", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 224, 224])],
                      [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1000])], inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(m)
onnx.save(m, os.path.join(out, "resnet18_b1_op13_fold.onnx"))
np.save(os.path.join(out, "resnet18_b1_op13_fold.input.npy"), rng.standard_normal((1, 3, 224, 224)).astype(np.float32))
PY
  fi
  "$PYTHON" - "$CACHE" <<'PY' || die "could not build the stacked-input model or the calibration set"
import gzip, os, struct, sys
import numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
d = sys.argv[1]
m = onnx.load(os.path.join(d, "zoo", "resnet18_b1_op13_fold.onnx"))
g = m.graph
old = g.input[0].name
g.input[0].name = "stacked"
g.input[0].type.tensor_type.shape.dim[2].dim_value = 672
g.input[0].type.tensor_type.shape.dim[1].dim_value = 1
g.initializer.append(numpy_helper.from_array(np.array([1, 3, 224, 224], dtype=np.int64), "stacked_shape"))
g.node.insert(0, helper.make_node("Reshape", ["stacked", "stacked_shape"], [old], name="unstack"))
onnx.checker.check_model(m)
tmp = os.path.join(d, "float.onnx.tmp")
onnx.save(m, tmp)
os.replace(tmp, os.path.join(d, "float.onnx"))
x = np.load(os.path.join(d, "zoo", "resnet18_b1_op13_fold.input.npy")).astype(np.float32)
np.save(os.path.join(d, "input.npy"), x.reshape(1, 1, 672, 224))
rng = np.random.default_rng(0)
n, rows, cols = 8, 672, 224
os.makedirs(os.path.join(d, "calib"), exist_ok=True)
img = rng.integers(0, 256, size=(n, rows, cols), dtype=np.uint8)
lab = rng.integers(0, 10, size=n, dtype=np.uint8)
for split in ("train", "t10k"):
    with open(os.path.join(d, "calib", f"{split}-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, rows, cols) + img.tobytes())
    with open(os.path.join(d, "calib", f"{split}-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 0x801, n) + lab.tobytes())
PY
fi
Q="$CACHE/q_$RESCALING"
[ "$WTBITS" = 8 ] || Q="${Q}_w$WTBITS"
if [ ! -f "$Q/model.onnx" ]; then
  "$N2D2_FLOW" quantize "$CACHE/float.onnx" --calib-data "$CACHE/calib" --calib 8 --test-images 0 \
    --act-rescaling "$RESCALING" --wt-nbbits "$WTBITS" --force -o "$Q" >/dev/null || die "n2d2-flow quantize failed"
fi
if [ ! -f "$Q/qdq/model.onnx" ]; then
  "$N2D2_FLOW" export "$Q/model.onnx" --format onnx-int8 --force -o "$Q/qdq" >/dev/null || die "n2d2-flow export failed"
fi

json_num() { "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$1" "$2"; }
# "median min" of one ORT run
ort_ms() {
  node scripts/ort_run.js "$1" "$TMP/ort" --input "stacked=$CACHE/input.npy" --threads "$THREADS" --repeat 20 > "$TMP/ort.json" \
    || die "ORT failed on $1"
  json_num "$TMP/ort.json" "'%s %s' % (d['timing']['median_ms'], d['timing']['min_ms'])"
}
min() { "$PYTHON" -c "print(min(float('$1'), float('${2:-inf}')))"; }

declare -A BEST
keep() { BEST[$1]=$(min "$2" "${BEST[$1]:-}"); }
for r in $(seq "$ROUNDS"); do
  read -r f fmin <<<"$(ort_ms "$CACHE/float.onnx")"
  read -r q qmin <<<"$(ort_ms "$Q/qdq/model.onnx")"
  "$N2D2_FLOW" run "$Q/model.onnx" --input "stacked=$CACHE/input.npy" --threads "$THREADS" --repeat 20 --json "$TMP/n2d2.json" \
    >/dev/null || die "n2d2-flow run failed on $Q/model.onnx"
  read -r n nmin <<<"$(json_num "$TMP/n2d2.json" "'%s %s' % (d['timing']['median_ms'], d['timing']['min_ms'])")"
  echo "round $r (median / min ms): ORT float $f / $fmin, ORT QDQ $q / $qmin, n2d2-flow int8 $n / $nmin"
  keep f "$f"; keep q "$q"; keep n "$n"; keep fmin "$fmin"; keep qmin "$qmin"; keep nmin "$nmin"
done
# CPU time per inference (what a shared host inflates least): ORT from process.cpuUsage() around
# 40 runs of one session (same options as ort_run.js), n2d2-flow from the children's rusage of a
# 45-run and a 5-run process (the difference / 40).
cat > "$TMP/ort_cpu.js" <<'JS'
const ort = require(process.argv[2]);
const fs = require('fs');
function npy(f) {
  const b = fs.readFileSync(f), off = 10 + b.readUInt16LE(8);
  return new Float32Array(b.buffer.slice(b.byteOffset + off, b.byteOffset + b.length));
}
(async () => {
  const s = await ort.InferenceSession.create(process.argv[3], {graphOptimizationLevel: 'all', intraOpNumThreads: +process.argv[5],
                                                                 interOpNumThreads: 1, executionMode: 'sequential'});
  const feeds = {[s.inputNames[0]]: new ort.Tensor('float32', npy(process.argv[4]), [1, 1, 672, 224])};
  for (let i = 0; i < 3; ++i) await s.run(feeds);
  const n = 40, c0 = process.cpuUsage();
  for (let i = 0; i < n; ++i) await s.run(feeds);
  const c = process.cpuUsage(c0);
  console.log(((c.user + c.system) / 1000 / n).toFixed(2));
})();
JS
ort_cpu() { node "$TMP/ort_cpu.js" "$ROOT/scripts/node_modules/onnxruntime-node" "$1" "$CACHE/input.npy" "$THREADS" || die "ORT failed on $1"; }
n2d2_cpu() {
  "$PYTHON" - "$N2D2_FLOW" "$Q/model.onnx" "$CACHE/input.npy" "$THREADS" <<'PY' || die "n2d2-flow run failed"
import resource, subprocess, sys
b, m, x, t = sys.argv[1:5]
def cpu(r):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([b, "run", m, "--input", "stacked=" + x, "--threads", t, "--repeat", str(r), "--min-time", "0", "--warmup", "0"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(f"{(min(cpu(45) for _ in range(2)) - min(cpu(5) for _ in range(2))) * 1000 / 40:.2f}")
PY
}
cf=$(ort_cpu "$CACHE/float.onnx"); cq=$(ort_cpu "$Q/qdq/model.onnx"); cn=$(n2d2_cpu)

CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
DATE=$(date -u +%Y-%m-%d)
row=$("$PYTHON" -c "
f,q,n,fm,qm,nm=${BEST[f]},${BEST[q]},${BEST[n]},${BEST[fmin]},${BEST[qmin]},${BEST[nmin]}
print(f'{f:.2f} {q:.2f} {n:.2f} {q/f:.2f} {n/q:.2f} {n/f:.2f} {fm:.2f} {qm:.2f} {nm:.2f} {nm/qm:.2f}')")
read -r f q n qf nq nf fm qm nm nqm <<<"$row"
echo "ResNet-18 batch 1, $THREADS thread(s), $RESCALING, $WTBITS-bit weights, best of $ROUNDS rounds:"
echo "  median: ORT float $f ms | ORT QDQ int8 $q ms ($qf x float) | n2d2-flow int8 $n ms"
echo "  n2d2-flow int8 / ORT int8 = $nq (< 1: n2d2-flow is faster); n2d2-flow int8 / ORT float = $nf"
echo "  minimum: ORT float $fm ms | ORT QDQ int8 $qm ms | n2d2-flow int8 $nm ms (ratio $nqm)"
cr=$("$PYTHON" -c "print(f'{$cn / $cq:.2f}')")
echo "  CPU time per inference: ORT float $cf ms | ORT QDQ int8 $cq ms | n2d2-flow int8 $cn ms (ratio $cr)"
echo "  CPU: $CPU; $DATE"
if [ -n "$MD" ]; then
  {
    echo "| threads | rescaling | ORT float ms | ORT QDQ int8 ms | ORT int8/float | n2d2-flow int8 ms | n2d2 int8 / ORT int8 | min ms: ORT int8 / n2d2 | CPU ms: ORT int8 / n2d2 (ratio) |"
    echo "|---|---|---|---|---|---|---|---|---|"
    echo "| $THREADS | $RESCALING, $WTBITS-bit weights | $f | $q | $qf | $n | $nq | $qm / $nm | $cq / $cn ($cr) |"
    echo
    echo "$CPU, $DATE, best of $ROUNDS alternated rounds (medians; minima in the last column)."
  } > "$MD.tmp" && mv "$MD.tmp" "$MD"
fi
