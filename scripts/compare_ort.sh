#!/usr/bin/env bash
# Acceptance check of n2d2-flow against ONNX Runtime.
#
#   scripts/compare_ort.sh [--quick] [--csv FILE] [--ort-only] [--keep DIR] [--no-zoo] [--no-committed]
#
# 1. Exports the torchvision zoo (scripts/make_zoo_models.py: resnet18, mobilenet_v2, squeezenet1_1;
#    batch 1 and 8, opset 11 and 13, folded and unfolded; --quick: batch 1, opset 13, folded) into
#    a temporary directory, and takes every committed tests/models/<name>/ model.
# 2. Runs each model with ONNX Runtime (scripts/ort_run.js, 1 thread) and with
#    ${N2D2_FLOW:-build/apps/n2d2-flow/n2d2-flow} run MODEL --input NAME=FILE -o DIR --threads T --engine E
#    for T in 1 2 and E in seq tbb.
# 3. Compares (scripts/compare_npy.py): n2d2 (seq, 1 thread) against ORT with allclose(atol 1e-4,
#    rtol 1e-3) and the same top-1 class per batch row; the other three n2d2 runs bit-identical to
#    it. For the committed models, the fresh ORT outputs are also checked against the stored
#    expected_<output>.npy.
# Prints a table (model, max_abs_err, allclose, top1_match, bit_identical, status), writes it as CSV
# with --csv FILE, exits 0 when every model passes, 1 on any mismatch or failed run, 2 on a usage
# or set-up error (no node/ORT, no Python, or no n2d2-flow binary: build it with scripts/setup.sh or
# point N2D2_FLOW at it; --ort-only skips the n2d2 runs and only checks the ORT side).
# Environment: N2D2_FLOW (binary), PYTHON (default /usr/bin/python3 when present), ATOL, RTOL.
set -uo pipefail
ORIG_PWD=$(pwd)
cd "$(dirname "$0")/.."
ROOT=$(pwd)
abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$ORIG_PWD" "$1" ;; esac; }

QUICK=0; CSV=""; ORT_ONLY=0; KEEP=""; ZOO=1; COMMITTED=1
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --csv) [ $# -ge 2 ] || { echo "compare_ort: --csv needs a file" >&2; exit 2; }; CSV=$2; shift ;;
    --csv=*) CSV=${1#--csv=} ;;
    --ort-only) ORT_ONLY=1 ;;
    --keep) [ $# -ge 2 ] || { echo "compare_ort: --keep needs a directory" >&2; exit 2; }; KEEP=$2; shift ;;
    --no-zoo) ZOO=0 ;;
    --no-committed) COMMITTED=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare_ort: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

[ -n "$CSV" ] && CSV=$(abspath "$CSV")
[ -n "$KEEP" ] && KEEP=$(abspath "$KEEP")
ATOL=${ATOL:-1e-4}
RTOL=${RTOL:-1e-3}
if [ -z "${PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
N2D2=${N2D2_FLOW:-$ROOT/build/apps/n2d2-flow/n2d2-flow}
case "$N2D2" in /*) ;; */*) N2D2=$(abspath "$N2D2") ;; *) N2D2=$(command -v "$N2D2" || echo "$N2D2") ;; esac
COMPARE=("$PYTHON" "$ROOT/scripts/compare_npy.py")

die() { echo "compare_ort: $*" >&2; exit 2; }
command -v node >/dev/null || die "node not found (Node.js 20 is needed for scripts/ort_run.js)"
[ -d scripts/node_modules/onnxruntime-node ] ||
  die "scripts/node_modules/onnxruntime-node is missing: run  cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci"
"$PYTHON" -c "import numpy" 2>/dev/null || die "$PYTHON cannot import numpy"
if [ "$ORT_ONLY" = 0 ]; then
  if [ ! -x "$N2D2" ]; then
    die "n2d2-flow binary not found or not executable at '$N2D2'.
  Build it with scripts/setup.sh (or cmake --build build), or set N2D2_FLOW=/path/to/n2d2-flow.
  Use --ort-only to run only the ONNX Runtime side."
  fi
fi

if [ -n "$KEEP" ]; then
  WORK=$KEEP; mkdir -p "$WORK" || die "cannot create $WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/compare_ort.XXXXXX") || die "mktemp failed"
  trap 'rm -rf "$WORK"' EXIT
fi
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# ---------------------------------------------------------------- case list: name<TAB>model<TAB>inputs<TAB>expected_dir
CASES="$WORK/cases.tsv"
: > "$CASES"
if [ "$ZOO" = 1 ]; then
  ZOO_DIR="$WORK/zoo"
  if [ "$QUICK" = 1 ]; then zoo_args=(--batch 1 --opset 13 --fold fold); else zoo_args=(); fi
  echo "== exporting torchvision models to $ZOO_DIR ${zoo_args[*]}" >&2
  "$PYTHON" scripts/make_zoo_models.py "$ZOO_DIR" "${zoo_args[@]}" 2> "$WORK/zoo_export.log" >&2 || {
    cat "$WORK/zoo_export.log" >&2; die "scripts/make_zoo_models.py failed"; }
  "$PYTHON" - "$ZOO_DIR" >> "$CASES" <<'EOF' || die "cannot read the zoo manifest"
import json, os, sys
d = sys.argv[1]
for stem, e in sorted(json.load(open(os.path.join(d, "manifest.json"))).items()):
    print(f"{stem}\t{os.path.join(d, e['file'])}\t{e['input']}={os.path.join(d, e['input_file'])}\t")
EOF
fi
if [ "$COMMITTED" = 1 ]; then
  "$PYTHON" - "$ROOT/tests/models" >> "$CASES" <<'EOF' || die "cannot list tests/models"
import json, os, sys
root = sys.argv[1]
for name in sorted(os.listdir(root)):
    d = os.path.join(root, name)
    if not os.path.isfile(os.path.join(d, "model.onnx")):
        continue
    meta = json.load(open(os.path.join(d, "meta.json")))
    ins = ";".join(f"{i['name']}={os.path.join(d, i['file'])}" for i in meta["inputs"])
    print(f"{name}\t{os.path.join(d, 'model.onnx')}\t{ins}\t{d}")
EOF
fi
ncases=$(wc -l < "$CASES")
[ "$ncases" -gt 0 ] || die "no models to compare"

# ---------------------------------------------------------------- runs
field() { # field KEY LINE -> value of KEY=value in LINE
  printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1
}
fail_total=0
i=0
while IFS=$'\t' read -r name model inputs expected; do
  i=$((i + 1))
  cdir="$WORK/runs/$name"
  mkdir -p "$cdir"
  in_args=()
  IFS=';' read -r -a pairs <<< "$inputs"
  for p in "${pairs[@]}"; do in_args+=(--input "$p"); done
  echo "== [$i/$ncases] $name" >&2
  status=ok; note=""; max_abs=""; allclose=""; top1=""; bitid=""

  # ONNX Runtime reference
  if ! node scripts/ort_run.js "$model" "$cdir/ort" "${in_args[@]}" --threads 1 > "$cdir/ort.json" 2> "$cdir/ort.err"; then
    status=FAIL; note="ort_run failed: $(head -c 300 "$cdir/ort.err" | tr '\n\t' '  ')"
  elif [ -n "$expected" ]; then
    # fresh ORT vs the committed expected_<output>.npy
    mkdir -p "$cdir/expected"
    for f in "$expected"/expected_*.npy; do cp "$f" "$cdir/expected/$(basename "${f#"$expected"/expected_}")"; done
    line=$("${COMPARE[@]}" "$cdir/ort" "$cdir/expected" --atol "$ATOL" --rtol "$RTOL" --top1 2>&1)
    if [ $? -ne 0 ]; then status=FAIL; note="ORT differs from the committed expected outputs: $line"; fi
  fi

  if [ "$status" = ok ] && [ "$ORT_ONLY" = 0 ]; then
    for engine in seq tbb; do
      for threads in 1 2; do
        out="$cdir/n2d2_${engine}_t${threads}"
        if ! "$N2D2" run "$model" "${in_args[@]}" --threads "$threads" --engine "$engine" -o "$out" \
             > "$out.log" 2>&1; then
          status=FAIL; note="${note:+$note; }n2d2 $engine/$threads failed: $(tail -n 3 "$out.log" | tr '\n\t' '  ' | head -c 300)"
        fi
      done
    done
    if [ "$status" = ok ]; then
      line=$("${COMPARE[@]}" "$cdir/n2d2_seq_t1" "$cdir/ort" --atol "$ATOL" --rtol "$RTOL" --top1 2>&1)
      rc=$?
      max_abs=$(field max_abs_err "$line"); allclose=$(field allclose "$line"); top1=$(field top1_match "$line")
      if [ $rc -ne 0 ]; then status=FAIL; note="vs ORT: $line"; fi
      bitid=True
      for other in seq_t2 tbb_t1 tbb_t2; do
        line=$("${COMPARE[@]}" "$cdir/n2d2_$other" "$cdir/n2d2_seq_t1" --bitexact 2>&1)
        if [ $? -ne 0 ]; then
          bitid=False; status=FAIL; note="${note:+$note; }$other vs seq_t1: $line"
        fi
      done
    fi
  elif [ "$status" = ok ]; then
    status=ort-only
  fi
  [ "$status" = FAIL ] && fail_total=$((fail_total + 1))
  [ -n "$note" ] && echo "   $note" >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${max_abs:--}" "${allclose:--}" "${top1:--}" "${bitid:--}" \
    "$status" "$note" >> "$RESULTS"
done < "$CASES"

# ---------------------------------------------------------------- table + CSV
"$PYTHON" - "$RESULTS" "$CSV" <<'EOF'
import csv, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
head = ["model", "max_abs_err", "allclose", "top1_match", "bit_identical", "status"]
w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)))
print("  ".join("-" * x for x in w))
for r in rows:
    print("  ".join(r[i].ljust(w[i]) for i in range(len(head))))
if sys.argv[2]:
    with open(sys.argv[2], "w", newline="") as f:
        c = csv.writer(f)
        c.writerow(head + ["note"])
        c.writerows(rows)
EOF
if [ "$fail_total" -gt 0 ]; then
  echo "compare_ort: $fail_total of $ncases models FAILED" >&2
  exit 1
fi
if [ "$ORT_ONLY" = 1 ]; then
  echo "compare_ort: ORT side only (--ort-only): $ncases models ran" >&2
else
  echo "compare_ort: all $ncases models match ONNX Runtime and are bit-identical across engines/threads" >&2
fi
exit 0
