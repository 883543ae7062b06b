#!/bin/bash
# Accuracy versus operations of the transcoded LeNet: for each rate-coded setting (readout, coder,
# initial potential, TerminateDelta, normalization percentile) one `n2d2-flow spike` run whose
# accuracy-vs-time curve (--curve-points simulated times over the same images) gives accuracy and
# read events per virtual synapse per pattern at each simulated time; for each time-to-first-spike
# setting (TtfsLevels, readout) one run per TtfsCutoff (the curve is over the cutoff, each run at
# the network's own simulated time; column `cutoff`). Writes OUT/tradeoff.csv,
# OUT/tradeoff.md (the best point at <= 0.5 and <= 1.0 events per synapse per setting) and
# OUT/tradeoff.png.
#   scripts/spike_tradeoff.sh [MODEL] [IMAGES] [OUT]     (defaults: samples/spike/lenet_fmnist.onnx 1000 stats_tradeoff)
# Environment: N2D2_FLOW (binary, default build/apps/n2d2-flow/n2d2-flow), THREADS (default 2),
# REUSE=1 (keep the runs whose OUT/<setting>.json exists), SETTINGS=REGEX (only the settings whose
# name matches).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-samples/spike/lenet_fmnist.onnx}
IMAGES=${2:-1000}
OUT=${3:-stats_tradeoff}
BIN=${N2D2_FLOW:-build/apps/n2d2-flow/n2d2-flow}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
echo "setting,readout,stimulus,initial_potential,terminate_delta,percentile,time_fs,accuracy,formal_accuracy,read_events_per_virtual_synapse,cutoff" > "$OUT/tradeoff.csv.tmp"

# name readout stimulus initial_potential terminate_delta percentile max_time_fs [output_threshold]
run() {
  local name=$1 readout=$2 stim=$3 v0=$4 td=$5 pct=$6 tmax=$7 oth=${8:-1.0}
  [[ $name =~ ${SETTINGS:-.} ]] || return 0
  local ini="$OUT/$name.ini"
  cat > "$ini" <<INI
[env.config]
StimulusType=$stim
PeriodMin=1,000,000
PeriodMeanMin=10,000,000
PeriodMeanMax=100,000,000,000
PeriodRelStdDev=0.0
SimulatedTime=$tmax
Readout=$readout
NormalizationPercentile=$pct
CalibrationImages=500
[common.config]
InitialPotential=$v0
INI
  printf '[fc2.config]\nThreshold=%s\n' "$oth" >> "$ini"
  if [ "$td" != 0 ]; then printf 'TerminateDelta=%s\n' "$td" >> "$ini"; fi
  if [ "${REUSE:-0}" != 1 ] || [ ! -s "$OUT/$name.json" ]; then
  "$BIN" spike "$MODEL" --data fashion-mnist --env "$ini" --images "$IMAGES" --threads "$THREADS" \
      --curve-images "$IMAGES" --curve-points 10 -o "$OUT/$name" --json "$OUT/$name.json" > "$OUT/$name.log" 2>&1
  fi
  /usr/bin/python3 - "$OUT/$name.json" "$name" "$readout" "$stim" "$v0" "$td" "$pct" >> "$OUT/tradeoff.csv.tmp" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for p in j["accuracy_vs_time"]:
    print(",".join(sys.argv[2:8] + ["%.0f" % p["time_fs"], "%.2f" % p["accuracy"], "%.2f" % j["formal_accuracy"],
                                    "%.4f" % p["read_events_per_virtual_synapse"], ""]))
PY
  echo "$name: done ($(grep -o '"spike_accuracy":[0-9.]*' "$OUT/$name.json"))"
}

# Time-to-first-spike: name readout levels percentile bias_correction(0/1) cutoff...  (one run per
# cutoff; [common.config] TtfsCutoff; a "c1:" prefix, e.g. c1:0.08/0.06, gives conv1 its own cutoff,
# the rest the second)
run_ttfs() {
  local name=$1 readout=$2 levels=$3 pct=$4 bc=$5
  [[ $name =~ ${SETTINGS:-.} ]] || return 0
  shift 5
  for cut in "$@"; do
    local common=$cut c1=""
    case $cut in c1:*) c1=${cut#c1:}; c1=${c1%/*}; common=${cut#*/} ;; esac
    local tag="${name}_${cut//[:\/]/_}"
    local ini="$OUT/$tag.ini"
    cat > "$ini" <<INI
[env.config]
StimulusType=TimeToFirstSpike
TtfsLevels=$levels
TtfsStep=1,000,000
Readout=$readout
NormalizationPercentile=$pct
CalibrationImages=500
TtfsBiasCorrection=$bc
[common.config]
TtfsCutoff=$common
INI
    if [ -n "$c1" ]; then printf '[conv1.config]\nTtfsCutoff=%s\n' "$c1" >> "$ini"; fi
    if [ "${REUSE:-0}" != 1 ] || [ ! -s "$OUT/$tag.json" ]; then
    "$BIN" spike "$MODEL" --data fashion-mnist --env "$ini" --images "$IMAGES" --threads "$THREADS" \
        --curve-images 0 -o "$OUT/$tag" --json "$OUT/$tag.json" > "$OUT/$tag.log" 2>&1
    fi
    /usr/bin/python3 - "$OUT/$tag.json" "$name" "$readout" TimeToFirstSpike 0 0 "$pct" "$cut" >> "$OUT/tradeoff.csv.tmp" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(",".join(sys.argv[2:8] + ["%.0f" % j["simulated_time_fs"], "%.2f" % j["spike_accuracy"], "%.2f" % j["formal_accuracy"],
                                "%.4f" % j["read_events_per_virtual_synapse"], sys.argv[8]]))
PY
  done
  echo "$name: done"
}

run count_periodic          count     Periodic   0   0 99.99 200,000,000
run potential_periodic      potential Periodic   0   0 99.99 200,000,000
run potential_periodic_v05  potential Periodic   0.5 0 99.99 200,000,000
run potential_v05_p999      potential Periodic   0.5 0 99.9  200,000,000
run first_periodic          first     Periodic   0   0 99.99 200,000,000
run potential_poisson       potential Poissonian 0   0 99.99 200,000,000
run count_periodic_td3      count     Periodic   0   3 99.99 1,000,000,000
run count_periodic_td2      count     Periodic   0   2 99.99 1,000,000,000
run count_periodic_td1      count     Periodic   0   1 99.99 1,000,000,000
run count_td3_out05         count     Periodic   0   3 99.99 1,000,000,000 0.5
run count_td4_out025        count     Periodic   0   4 99.99 1,000,000,000 0.25
run count_td3_out025        count     Periodic   0   3 99.99 1,000,000,000 0.25
run count_td6_out0125       count     Periodic   0   6 99.99 1,000,000,000 0.125
run_ttfs ttfs_k255_potential potential 255 99.99 0 0 0.03 0.05 0.06 0.07 0.08 0.1 0.15 0.2 c1:0.08/0.06
run_ttfs ttfs_k64_potential  potential 64  99.99 0 0 0.05 0.07 0.1 0.15
run_ttfs ttfs_k16_potential  potential 16  99.99 0 0 0.07 0.1 0.15
run_ttfs ttfs_k255_first     first     255 99.99 0 0 0.05 0.07 0.1
run_ttfs ttfs_k255_p999      potential 255 99.9  0 0 0.05 0.07 0.1
run_ttfs ttfs_k255_biascorr  potential 255 99.99 1 0 0.05 0.07 0.08 0.1 0.12 0.15 0.2 0.25
run_ttfs ttfs_k64_biascorr   potential 64  99.99 1 0.07 0.1 0.12 0.15
mv "$OUT/tradeoff.csv.tmp" "$OUT/tradeoff.csv"

/usr/bin/python3 - "$OUT" <<'PY'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
out = sys.argv[1]
rows = list(csv.DictReader(open(out + "/tradeoff.csv")))
by = {}
for r in rows:
    by.setdefault(r["setting"], []).append(r)
lines = ["| setting | formal % | best % at <= 0.5 ev/syn (ev/syn, time) | best % at <= 1.0 ev/syn (ev/syn, time) |", "|---|---|---|---|"]
fig, ax = plt.subplots(figsize=(8, 5))
for name, rs in by.items():
    pts = sorted((float(r["read_events_per_virtual_synapse"]), float(r["accuracy"])) for r in rs)
    x = [p[0] for p in pts]
    y = [p[1] for p in pts]
    ttfs = name.startswith("ttfs")
    ax.plot(x, y, marker="s" if ttfs else "o", ls="-" if ttfs else "--", lw=2 if ttfs else 1, label=name)
    cells = []
    for lim in (0.5, 1.0):
        ok = [r for r in rs if float(r["read_events_per_virtual_synapse"]) <= lim]
        if ok:
            b = max(ok, key=lambda r: float(r["accuracy"]))
            at = "cutoff " + b["cutoff"] if b["cutoff"] else "%.0f ns" % (float(b["time_fs"]) / 1e6)
            cells.append("%s (%.3f, %s)" % (b["accuracy"], float(b["read_events_per_virtual_synapse"]), at))
        else:
            cells.append("-")
    lines.append("| %s | %s | %s | %s |" % (name, rs[0]["formal_accuracy"], cells[0], cells[1]))
formal = float(rows[0]["formal_accuracy"])
ax.axhline(formal, color="k", ls="--", lw=1, label="formal")
ax.axhline(formal - 1, color="gray", ls=":", lw=1, label="formal - 1")
ax.axvline(0.5, color="gray", ls=":", lw=1)
ax.set_xlabel("read events per virtual synapse per pattern")
ax.set_ylabel("accuracy (%)")
ax.set_xlim(0, 2.5)
ax.set_ylim(max(0, formal - 25), min(100, formal + 3))
ax.legend(fontsize=7, ncol=2, loc="lower right")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out + "/tradeoff.png.tmp.png", dpi=100)
import os
os.replace(out + "/tradeoff.png.tmp.png", out + "/tradeoff.png")
open(out + "/tradeoff.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
