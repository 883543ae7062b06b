#!/usr/bin/python3
"""Calibration of the FPGA estimator's LUT / FF formula (hw/block.cpp) against yosys.

  hw_calibrate.py synth OUTDIR [--flow BUILD/apps/n2d2-flow/n2d2-flow] [--jobs N]
      builds the sweep networks below (seeded random 8-bit weights), maps each under the listed
      DSP budgets on xc7z020 and runs `n2d2-flow hw --synth-check` (ghdl --synth + yosys
      synth_xilinx, per layer). Writes OUTDIR/synth.csv: one row per layer with the layer's
      parallelism and yosys' DSP / BRAM18 / LUT / FF.
  hw_calibrate.py import OUTDIR NAME DSP REPORT.json
      writes OUTDIR/synth_NAME.csv from an earlier `n2d2-flow hw --synth-check --json` report of
      network NAME under DSP (e.g. lenet 220 docs/hw_synth_lenet.json: no second synthesis).
  hw_calibrate.py fit OUTDIR [--flow ...] [--check NAME ...] [--skip NET:DSP:LAYER ...] [--ridge R] [--power P] [--free-lutram] [--cv-rows]
      re-runs the estimator (fast) on the same networks and budgets, reads each layer's LUT / FF
      features (`lut_features`, `ff_features` in the JSON: the physical quantities hw/block.cpp
      counts), fits one coefficient per feature (non-negative least squares of the errors
      weighted by yosys^-P (--power, default 1: relative errors; 0: LUT / FF differences), on the sweep rows whose network is
      not a --check one) and prints the coefficients, and per layer yosys vs the
      estimate (current coefficients) and vs the fitted formula. --skip drops a row (e.g. one
      synthesized from an older version of its VHDL block).

Net d (dense only) was added after a, b and c, nets e, f, g (wider pools, one-lane dense layers
with logic-ROM weights, a 25-tap convolution) after d, h and i (block-RAM dense weights, three lanes
of 25 taps) after g, j (block-RAM weights for 10-25 output lanes) after i; the seeded weights of a network do not depend
on which networks are built. The sweep layers are small (synthesis in seconds to a minute each) and distinct from the
LeNet layers, which `--check lenet` keeps out of the fit to test the formula on.
"""
import csv, json, os, subprocess, sys
import numpy as np
from onnx import helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_hw_models import D, Net, build, lenet_layers  # noqa: E402

# name -> (builder, input shape, output shape, DSP budgets)
def quant(n):
    n.nodes.append(helper.make_node("Quantize", ["x"], ["xq"], name="quantize", domain=D, scale=1.0 / 255, nbbits=8, signed=0))
    return "xq"


def pool(n, x, k, s):
    name = n.name("pool")
    n.nodes.append(helper.make_node("MaxPool", [x], [name], name=name, kernel_shape=[k, k], strides=[s, s]))
    return name


def flat_deq(n, x, dense):
    n.nodes.append(helper.make_node("Flatten", [x], ["flat"], name="flatten", axis=1))
    y = n.gemm("flat", *dense)
    n.nodes.append(helper.make_node("Dequantize", [y], ["y"], name="dequantize", domain=D, scale=0.05))


def net_a(n):  # 2x8x8: conv3x3 pad1 (Single-shift) -> pool2 -> conv3x3 (Fixed-point) -> dense
    x = n.conv(quant(n), 2, 4, 3, 9, pad=1)
    x = pool(n, x, 2, 2)
    x = n.conv(x, 4, 6, 3, 9, mode="Fixed-point16")
    flat_deq(n, x, (24, 8, 9))


def net_b(n):  # 3x10x10: conv5x5 -> pool3 stride 2 -> dense
    x = n.conv(quant(n), 3, 4, 5, 11)
    x = pool(n, x, 3, 2)
    flat_deq(n, x, (16, 10, 8))


def net_c(n):  # 4x8x8: depthwise 3x3 pad1 -> 1x1 conv -> pool2 -> dense
    x = n.conv(quant(n), 4, 4, 3, 8, pad=1, group=4)
    x = n.conv(x, 4, 8, 1, 9)
    x = pool(n, x, 2, 2)
    flat_deq(n, x, (128, 6, 11))


def net_lenet(n):  # tests/golden/hw/lenet_q.onnx's structure (the check set; that file is used)
    lenet_layers(n, quant(n))


def net_d(n):  # 4x3x3: three dense layers (input vectors of 1, PO and PO lanes)
    n.nodes.append(helper.make_node("Flatten", [quant(n)], ["flat"], name="flatten", axis=1))
    x = n.gemm("flat", 36, 12, 9)
    x = n.gemm(x, 12, 6, 8)
    x = n.gemm(x, 6, 4, 8)
    n.nodes.append(helper.make_node("Dequantize", [x], ["y"], name="dequantize", domain=D, scale=0.05))


def net_e(n):  # 10x20x20: two max pools with 10 channels on wider lines -> a 1-output-lane dense layer (logic ROM)
    x = pool(n, quant(n), 2, 2)
    x = pool(n, x, 2, 2)
    flat_deq(n, x, (250, 3, 10))


def net_f(n):  # 4x3x3: dense layers of one output lane with logic-ROM weights (words x 8 bits < 8,256)
    n.nodes.append(helper.make_node("Flatten", [quant(n)], ["flat"], name="flatten", axis=1))
    x = n.gemm("flat", 36, 20, 9)
    x = n.gemm(x, 20, 30, 8)
    x = n.gemm(x, 30, 12, 8)
    n.nodes.append(helper.make_node("Dequantize", [x], ["y"], name="dequantize", domain=D, scale=0.05))


def net_g(n):  # 1x12x12: a 5x5 convolution of one input channel (all 25 taps in parallel) -> pool -> dense
    x = n.conv(quant(n), 1, 2, 5, 12)
    x = pool(n, x, 2, 2)
    flat_deq(n, x, (32, 4, 9))


def net_h(n):  # 8x4x4: dense layers wide enough for block-RAM weights, several output lanes
    n.nodes.append(helper.make_node("Flatten", [quant(n)], ["flat"], name="flatten", axis=1))
    x = n.gemm("flat", 128, 48, 9)
    x = n.gemm(x, 48, 40, 8)
    n.nodes.append(helper.make_node("Dequantize", [x], ["y"], name="dequantize", domain=D, scale=0.05))


def net_i(n):  # 1x10x10: a 25-tap convolution with three output lanes -> dense
    x = n.conv(quant(n), 1, 3, 5, 12)
    flat_deq(n, x, (108, 2, 10))


def net_j(n):  # 8x3x3: a dense layer of many output lanes with block-RAM weights -> a one-lane one
    n.nodes.append(helper.make_node("Flatten", [quant(n)], ["flat"], name="flatten", axis=1))
    x = n.gemm("flat", 72, 100, 9)
    x = n.gemm(x, 100, 10, 9)
    n.nodes.append(helper.make_node("Dequantize", [x], ["y"], name="dequantize", domain=D, scale=0.05))


NETS = {
    "a": (net_a, [1, 2, 8, 8], [1, 8], [10, 40]),
    "b": (net_b, [1, 3, 10, 10], [1, 10], [12, 60]),
    "c": (net_c, [1, 4, 8, 8], [1, 6], [8, 30]),
    "lenet": (net_lenet, [1, 1, 28, 28], [1, 10], [220]),
    "d": (net_d, [1, 4, 3, 3], [1, 4], [6, 24]),
    "e": (net_e, [1, 10, 20, 20], [1, 3], [1, 3]),
    "f": (net_f, [1, 4, 3, 3], [1, 12], [3, 12]),
    "g": (net_g, [1, 1, 12, 12], [1, 4], [54]),
    "h": (net_h, [1, 8, 4, 4], [1, 40], [12, 30]),
    "i": (net_i, [1, 1, 10, 10], [1, 2], [90, 120]),
    "j": (net_j, [1, 8, 3, 3], [1, 10], [14, 22, 30]),
}


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def models(out, names):
    rng = np.random.default_rng(int(arg("--seed", "5")))
    paths = {}
    for name in NETS:
        fn, xs, ys, _ = NETS[name]
        n = Net(rng)
        fn(n)
        p = os.path.join(out, name + ".onnx")
        if name in names:
            build(name, n.nodes, n.inits, xs, ys, p)
            paths[name] = p
    if "lenet" in names:  # the check set is the committed LeNet of the docs and tests
        paths["lenet"] = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "golden", "hw", "lenet_q.onnx")
    return paths


def run_flow(flow, model, dsp, out, synth):
    d = os.path.join(out, f"{os.path.basename(model)[:-5]}_dsp{dsp}")
    js = d + ".json"
    cmd = [flow, "hw", model, "--device", "xc7z020", "--clock", "200", "--dsp", str(dsp), "-o", d, "--json", js]
    if synth:
        cmd.append("--synth-check")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    with open(js) as f:
        return json.load(f)


def synth(out, flow, names):
    paths = models(out, names)
    rows = []
    for name in names:
        for dsp in NETS[name][3]:
            print(f"synthesizing {name} under {dsp} DSP...", flush=True)
            for r in synth_rows(name, dsp, run_flow(flow, paths[name], dsp, out, True)):
                rows.append(r)
                print("  " + ", ".join(f"{k}={v}" for k, v in r.items()), flush=True)
    write_rows(os.path.join(out, f"synth_{'_'.join(names)}.csv"), rows)


def synth_rows(name, dsp, j):
    """One CSV row per layer of a `n2d2-flow hw --synth-check --json` report."""
    return [dict(net=name, dsp_budget=dsp, layer=lay["name"], block=lay["block"], po=lay["po"], pi=lay["pi"], pk=lay["pk"],
                 yosys_dsp=s["yosys_dsp"], yosys_bram18=s["yosys_bram"], yosys_lut=s["yosys_lut"], yosys_ff=s["yosys_ff"],
                 est_dsp=lay["dsp"], est_bram18=lay["bram18"], est_lut=lay["lut"], est_ff=lay["ff"], seconds=round(s["seconds"], 1))
            for lay, s in zip(j["layers"], j["synth_layers"])]


def write_rows(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)
    print("wrote", path)


def nnls(a, b):
    """Non-negative least squares by active-set elimination (small problems)."""
    keep = list(range(a.shape[1]))
    while True:
        x, *_ = np.linalg.lstsq(a[:, keep], b, rcond=None)
        if (x >= 0).all() or not keep:
            out = np.zeros(a.shape[1])
            out[keep] = x
            return out
        keep.pop(int(np.argmin(x)))


# Physical prior of each weight (1: the feature counts LUTs / FFs one for one; the per-block
# constant: none), which the fit is pulled towards with weight RIDGE: the sweep's few small layers
# leave most weights underdetermined, and the plain least-squares optimum trades one feature
# against another (e.g. LeNet's 25-tap convolutions are larger than any sweep layer).
PRIOR = {"block": 0.0, "lutram": 1.0, "mults": 0.0, "ports": 0.0, "bram_out": 0.0, "ctrl": 0.0}
RIDGE = float(arg("--ridge", "0.3"))
FREE_LUTRAM = "--free-lutram" in sys.argv  # the LUT RAM count fitted too (else weight 1)
POWER = float(arg("--power", "1"))  # rows weighted by yosys^-POWER: 1 relative errors, 0 absolute


def prior_nnls(a, b, prior):
    """argmin |a x - b|^2 + RIDGE * sum_j |a_j|^2 / n * (x_j - prior_j)^2 over x >= 0."""
    n = max(1, a.shape[0])
    w = np.sqrt(RIDGE * (a ** 2).sum(axis=0) / n)
    return nnls(np.vstack([a, np.diag(w)]), np.concatenate([b, w * prior]))


def fit(out, flow, csvs, checks, skips):
    rows = []
    for c in csvs:
        with open(c) as f:
            rows += list(csv.DictReader(f))
    rows = [r for r in rows if f"{r['net']}:{r['dsp_budget']}:{r['layer']}" not in skips]
    names = sorted({r["net"] for r in rows})
    paths = models(out, names)
    feats = {}
    for name in names:
        for dsp in NETS[name][3]:
            j = run_flow(flow, paths[name], dsp, out, False)
            for lay in j["layers"]:
                feats[(name, str(dsp), lay["name"])] = lay
    for what in ("lut", "ff"):
        keys = [k for k in next(iter(feats.values()))[what + "_features"]]
        # counted exactly, not fitted: LUT RAM LUTs (4 per RAM32M / RAM64M), register bits (only
        # the per-block constant of the FF count is fitted)
        fixed = ({} if FREE_LUTRAM else {"lutram": 1.0}) if what == "lut" else {"acc": 1.0, "weight_reg": 1.0, "requant": 1.0, "buffer": 1.0}
        free = [k for k in keys if k not in fixed]
        by_block = {}
        for r in rows:
            by_block.setdefault(r["block"], []).append(r)
        print(f"\n{what.upper()}: features {keys}")
        fv = lambda r, ks: [feats[(r["net"], r["dsp_budget"], r["layer"])][what + "_features"].get(k, 0) for k in ks]

        def solve(fit_rs):
            """The coefficients (all features) fitted on fit_rs."""
            if not fit_rs:
                return np.array([fixed.get(k, 0.0) for k in keys])
            a = np.array([fv(r, free) for r in fit_rs], float)
            b = np.array([float(r["yosys_" + what]) - sum(fixed[k] * v for k, v in zip(fixed, fv(r, list(fixed)))) for r in fit_rs])
            # weighted least squares: with --power 1 each layer's error counts in percent of its
            # yosys count, with 0 in LUTs (the few large layers then set every weight)
            rel = np.array([max(1.0, float(r["yosys_" + what])) ** -POWER for r in fit_rs])
            sub = prior_nnls(a * rel[:, None], b * rel, np.array([PRIOR.get(k, 1.0) for k in free]))
            return np.array([fixed[k] if k in fixed else sub[free.index(k)] for k in keys])

        for block, rs in sorted(by_block.items()):
            fit_rs = [r for r in rs if r["net"] not in checks]
            coef = solve(fit_rs)
            print(f"  {block}: fitted on {len(fit_rs)} layers: " + ", ".join(f"{k}={c:.3f}" for k, c in zip(keys, coef)))
            # leave one sweep network out: its layers estimated by the formula fitted on the others
            cv = []
            for net in sorted({r["net"] for r in fit_rs}):
                c = solve([r for r in fit_rs if r["net"] != net])
                for r in fit_rs:
                    if r["net"] == net:
                        y = float(r["yosys_" + what])
                        est = np.array(fv(r, keys), float) @ c
                        cv.append(abs(est - y) / max(y, 1))
                        if "--cv-rows" in sys.argv:
                            print(f"      cv {net:6s} dsp{r['dsp_budget']:>4s} {r['layer']:10s} po{r['po']} pi{r['pi']} pk{r['pk']}: "
                                  f"yosys {y:7.0f}  left-out fit {est:7.0f} ({100 * (est - y) / max(y, 1):+6.1f} %)")
            if cv:
                print(f"    leave-one-network-out error: mean {100 * np.mean(cv):.1f} %, median {100 * np.median(cv):.1f} %, "
                      f"max {100 * np.max(cv):.1f} %, within 15 %: {sum(e <= 0.15 for e in cv)} / {len(cv)}")
            for r in rs:
                lay = feats[(r["net"], r["dsp_budget"], r["layer"])]
                if [str(lay[k]) for k in ("po", "pi", "pk")] != [r["po"], r["pi"], r["pk"]]:
                    sys.exit(f"{r['net']} dsp{r['dsp_budget']} {r['layer']}: mapped differently now than when synthesized")
                f = np.array([lay[what + "_features"].get(k, 0) for k in keys], float)
                y, e = float(r["yosys_" + what]), float(lay[what])
                tag = "check" if r["net"] in checks else "fit  "
                print(f"    {tag} {r['net']:6s} dsp{r['dsp_budget']:>4s} {r['layer']:10s} po{r['po']} pi{r['pi']} pk{r['pk']}: "
                      f"yosys {y:7.0f}  estimate {e:7.0f} ({100 * (e - y) / max(y, 1):+6.1f} %)  refit {f @ coef:7.0f}")


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("synth", "fit", "import"):
        sys.exit(__doc__)
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    if sys.argv[1] == "import":
        if len(sys.argv) < 6 or sys.argv[3] not in NETS:
            sys.exit(__doc__)
        with open(sys.argv[5]) as f:
            write_rows(os.path.join(out, f"synth_{sys.argv[3]}.csv"), synth_rows(sys.argv[3], int(sys.argv[4]), json.load(f)))
        return
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    flow = arg("--flow", os.path.join(here, "build", "apps", "n2d2-flow", "n2d2-flow"))
    names = arg("--nets", "a,b,c").split(",")
    if sys.argv[1] == "synth":
        synth(out, flow, names)
    else:
        checks = [sys.argv[i + 1] for i, v in enumerate(sys.argv) if v == "--check"]
        csvs = [os.path.join(out, f) for f in sorted(os.listdir(out)) if f.startswith("synth_") and f.endswith(".csv")]
        skips = {sys.argv[i + 1] for i, v in enumerate(sys.argv) if v == "--skip"}
        fit(out, flow, csvs, checks, skips)


if __name__ == "__main__":
    main()
