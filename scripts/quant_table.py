#!/usr/bin/env python3
"""Accuracy table of post-training quantization (docs/quantization.md): runs `n2d2-flow quantize`
for every rescaling mode x clipping method at 8 bits, and every rescaling mode at 4 and 6 bits
(MSE clipping), on the given models, over the Fashion-MNIST test split; prints a markdown table
and writes CSV.

usage: /usr/bin/python3 scripts/quant_table.py [--bin build/apps/n2d2-flow/n2d2-flow]
           [--models samples/lenet_fmnist/model.onnx samples/resnet_fmnist/model.onnx]
           [--calib 1000] [--test-images 10000] [--csv quant_table.csv]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

MODES = ["Floating-point", "Fixed-point16", "Fixed-point32", "Single-shift", "Double-shift"]
CLIPS = ["None", "MSE", "KL-Divergence", "Quantile"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/apps/n2d2-flow/n2d2-flow")
    ap.add_argument("--models", nargs="+",
                    default=["samples/lenet_fmnist/model.onnx", "samples/resnet_fmnist/model.onnx"])
    ap.add_argument("--calib", type=int, default=1000)
    ap.add_argument("--test-images", type=int, default=10000)
    ap.add_argument("--csv", default="quant_table.csv")
    ap.add_argument("--per-output", action="store_true", help="also every mode with --act-rescale-per-output")
    a = ap.parse_args()
    runs = [(8, m, c, False) for m in MODES for c in CLIPS]
    runs += [(b, m, "MSE", False) for b in (6, 4) for m in MODES]
    if a.per_output:
        runs += [(8, m, "MSE", True) for m in MODES]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in a.models:
            for i, (bits, mode, clip, per) in enumerate(runs):
                out = os.path.join(tmp, f"q{i}")
                js = os.path.join(tmp, f"q{i}.json")
                cmd = [a.bin, "quantize", model, "--calib-data", "fashion-mnist", "--calib", str(a.calib),
                       "--test-images", str(a.test_images), "--nbbits", str(bits), "--act-clipping", clip,
                       "--act-rescaling", mode, "-o", out, "--json", js, "--force"]
                if per:
                    cmd.append("--act-rescale-per-output")
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"failed: {' '.join(cmd)}\n{r.stdout}{r.stderr}", file=sys.stderr)
                    sys.exit(1)
                j = json.load(open(js))
                fb = sum(1 for l in j["layers"] if "fallback" in l["rescaling"])
                rows.append({"model": os.path.basename(os.path.dirname(model)), "nbbits": bits, "act_rescaling": mode,
                             "act_clipping": clip, "per_output": per, "float": j["float_accuracy"],
                             "quantized": j["quantized_accuracy"],
                             "delta": round(j["quantized_accuracy"] - j["float_accuracy"], 2),
                             "fallback_layers": fb})
                print(f"{rows[-1]['model']:14s} {bits:2d} {mode:15s} {clip:14s} {'per-out' if per else '':7s} "
                      f"{j['float_accuracy']:.2f} -> {j['quantized_accuracy']:.2f}", file=sys.stderr, flush=True)
    with open(a.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print("| model | bits | rescaling | clipping | per output | float % | quantized % | delta | fallback layers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['nbbits']} | {r['act_rescaling']} | {r['act_clipping']} | "
              f"{'yes' if r['per_output'] else 'no'} | {r['float']:.2f} | {r['quantized']:.2f} | {r['delta']:+.2f} | "
              f"{r['fallback_layers']} |")


if __name__ == "__main__":
    main()
