#!/usr/bin/python3
"""ONNX Runtime against n2d2-flow's integer run on an exported int8 model.

    scripts/compare_int8_ort.py QUANT_DIR INPUT.npy [--bin build/apps/n2d2-flow/n2d2-flow] [--ort scripts/ort_run.js]

QUANT_DIR is an `n2d2-flow quantize -o` folder (model.onnx, report.json). Exports it with
`n2d2-flow export --format onnx-int8` (QDQ) and with `--integer-ops` (ConvInteger/MatMulInteger),
runs both with ONNX Runtime (scripts/ort_run.js, onnxruntime-node) and the integer model with
`n2d2-flow run -o`, and checks every output within one quantization step of the output
(the last Dequantize scale, from report.json) and the same top-1 per row. Prints one line per
export; exit 0 when both hold, 1 on a mismatch, 77 when node or onnxruntime-node is missing.

On a CPU without VNNI (no avx512_vnni / avx_vnni flag), ONNX Runtime's fused QLinearConv/QGemm
kernels multiply uint8 x int8 with AVX2's vpmaddubsw, whose int16 pair sums saturate (a known
limitation of u8s8 on such CPUs), so the fused QDQ run can be off by many steps. There the QDQ
model is also run with graph optimizations disabled (DequantizeLinear -> float op ->
QuantizeLinear, the QDQ semantics); that run must be within one step, the fused one must keep
the same top-1, and the line says SATURATED instead of MISMATCH.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np


def has_vnni():
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read().split()
    except OSError:
        return True
    return "avx512_vnni" in flags or "avx_vnni" in flags


def compare(name, ref, out_dir, step):
    """(within one step, top-1 equal, message) for every output file of ref."""
    ok_all, top_all, lines = True, True, []
    for f, want in ref.items():
        got = np.load(os.path.join(out_dir, f))
        err = float(np.abs(got.astype(np.float64) - want).max())
        top1 = bool((got.reshape(got.shape[0], -1).argmax(1) == want.reshape(want.shape[0], -1).argmax(1)).all())
        ok_all = ok_all and err <= step * 1.0001
        top_all = top_all and top1
        lines.append((f, err, top1))
    return ok_all, top_all, lines


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("quant_dir")
    ap.add_argument("input")
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "apps", "n2d2-flow", "n2d2-flow"))
    ap.add_argument("--ort", default=os.path.join(here, "ort_run.js"))
    a = ap.parse_args()
    if shutil.which("node") is None:
        print("SKIP: node not found")
        return 77
    probe = subprocess.run(["node", "-e", "require('onnxruntime-node')"], cwd=os.path.dirname(a.ort),
                           capture_output=True, text=True)
    if probe.returncode != 0:
        print("SKIP: onnxruntime-node not installed (cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci)")
        return 77
    report = json.load(open(os.path.join(a.quant_dir, "report.json")))
    step = report["layers"][-1]["out_scale"]
    model = os.path.join(a.quant_dir, "model.onnx")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        import onnx
        in_name = onnx.load(model).graph.input[0].name
        subprocess.run([a.bin, "run", model, "--input", f"{in_name}={a.input}", "-o", os.path.join(tmp, "n2d2")], check=True,
                       capture_output=True)
        ref = {os.path.basename(f): np.load(f) for f in glob.glob(os.path.join(tmp, "n2d2", "*.npy"))}
        for name, extra in (("qdq", []), ("integer-ops", ["--integer-ops"])):
            out = os.path.join(tmp, name)
            subprocess.run([a.bin, "export", model, "--format", "onnx-int8", "-o", out] + extra, check=True,
                           capture_output=True)
            def ort(opt):
                d = os.path.join(tmp, f"{name}_ort_{opt}")
                r = subprocess.run(["node", a.ort, os.path.join(out, "model.onnx"), d, "--input", a.input,
                                    "--opt", opt], capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"{name}: ONNX Runtime ({opt}) failed: {r.stderr.strip()}")
                    return None
                return compare(name, ref, d, step)
            res = ort("all")
            if res is None:
                ok = False
                continue
            within, top1, lines = res
            verdict = "OK" if within and top1 else "MISMATCH"
            if not within and top1 and name == "qdq" and not has_vnni():
                unfused = ort("disabled")
                if unfused is not None and unfused[0] and unfused[1]:
                    verdict = "SATURATED (no VNNI: ORT's fused u8s8 kernels saturate; unfused QDQ run within one step)"
            ok = ok and verdict != "MISMATCH"
            for f, err, t in lines:
                print(f"{name}: {f} max_abs_err={err:.6g} step={step:.6g} ({err / step:.2f} steps) "
                      f"top1_match={t} {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
