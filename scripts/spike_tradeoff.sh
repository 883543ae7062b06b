#!/bin/bash
# Accuracy versus operations of the transcoded LeNet: for each setting (readout, coder, initial
# potential, TerminateDelta, normalization percentile) one `n2d2-flow spike` run whose
# accuracy-vs-time curve (--curve-points simulated times over the same images) gives accuracy and
# read events per virtual synapse per pattern at each simulated time. Writes OUT/tradeoff.csv,
# OUT/tradeoff.md (the best point at <= 0.5 and <= 1.0 events per synapse per setting) and
# OUT/tradeoff.png.
#   scripts/spike_tradeoff.sh [MODEL] [IMAGES] [OUT]     (defaults: samples/spike/lenet_fmnist.onnx 1000 stats_tradeoff)
# Environment: N2D2_FLOW (binary, default build/apps/n2d2-flow/n2d2-flow), THREADS (default 2),
# REUSE=1 (keep the runs whose OUT/<setting>.json exists).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-samples/spike/lenet_fmnist.onnx}
IMAGES=${2:-1000}
OUT=${3:-stats_tradeoff}
BIN=${N2D2_FLOW:-build/apps/n2d2-flow/n2d2-flow}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
echo "setting,readout,stimulus,initial_potential,terminate_delta,percentile,time_fs,accuracy,formal_accuracy,read_events_per_virtual_synapse" > "$OUT/tradeoff.csv.tmp"

# name readout stimulus initial_potential terminate_delta percentile max_time_fs
run() {
  local name=$1 readout=$2 stim=$3 v0=$4 td=$5 pct=$6 tmax=$7
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
  if [ "$td" != 0 ]; then printf '[fc2.config]\nTerminateDelta=%s\n' "$td" >> "$ini"; fi
  if [ "${REUSE:-0}" != 1 ] || [ ! -s "$OUT/$name.json" ]; then
  "$BIN" spike "$MODEL" --data fashion-mnist --env "$ini" --images "$IMAGES" --threads "$THREADS" \
      --curve-images "$IMAGES" --curve-points 10 -o "$OUT/$name" --json "$OUT/$name.json" > "$OUT/$name.log" 2>&1
  fi
  /usr/bin/python3 - "$OUT/$name.json" "$name" "$readout" "$stim" "$v0" "$td" "$pct" >> "$OUT/tradeoff.csv.tmp" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for p in j["accuracy_vs_time"]:
    print(",".join(sys.argv[2:8] + ["%.0f" % p["time_fs"], "%.2f" % p["accuracy"], "%.2f" % j["formal_accuracy"],
                                    "%.4f" % p["read_events_per_virtual_synapse"]]))
PY
  echo "$name: done ($(grep -o '"spike_accuracy":[0-9.]*' "$OUT/$name.json"))"
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
    x = [float(r["read_events_per_virtual_synapse"]) for r in rs]
    y = [float(r["accuracy"]) for r in rs]
    ax.plot(x, y, marker="o", label=name)
    cells = []
    for lim in (0.5, 1.0):
        ok = [r for r in rs if float(r["read_events_per_virtual_synapse"]) <= lim]
        if ok:
            b = max(ok, key=lambda r: float(r["accuracy"]))
            cells.append("%s (%.3f, %.0f ns)" % (b["accuracy"], float(b["read_events_per_virtual_synapse"]), float(b["time_fs"]) / 1e6))
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
ax.legend(fontsize=8)
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out + "/tradeoff.png.tmp.png", dpi=100)
import os
os.replace(out + "/tradeoff.png.tmp.png", out + "/tradeoff.png")
open(out + "/tradeoff.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
