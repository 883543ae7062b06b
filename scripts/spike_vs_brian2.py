#!/usr/bin/python3
"""The transcoded network of `n2d2-flow spike` replayed in Brian2, side by side.

    scripts/spike_vs_brian2.py MODEL --env ENV [--images N] [--data fashion-mnist]
                               [--target cython|numpy] [--dt-fs FS] [--work DIR] [--json FILE]

1. Runs `n2d2-flow spike MODEL --data DATA --env ENV --images N --threads 1 --curve-images 0
   --dump WORK/dump --json WORK/n2d2.json` (one thread: events per second per core) unless
   --reuse finds both already there. n2d2-flow's figure is the JSON's synaptic_events / wall_s
   (the simulation loop only: no transcoding, no formal evaluation).
2. Builds the same network in Brian2 from WORK/dump (network.json, L<i>_weights.npy /
   L<i>_bias.npy in the layouts of spike/network.h, input_spikes.npy): one NeuronGroup per
   Conv / Fc / Add layer (v : 1, threshold v >= Threshold, reset v -= Threshold, bias as
   `v += b` every rate period, leak as dv/dt = -v/tau), explicit Synapses (on_pre v_post += w)
   built from the kernel geometry, MaxPool as a group whose unit fires when the running maximum
   of its inputs' spike counts rises (the same rule as n2d2-flow's, checked once per step).
3. Runs all patterns in one Brian2 run: pattern p occupies [p P, (p+1) P), P = duration +
   rate period; at the start of each pattern every state variable is reset (after the bias
   tick of that step, so the ticks a pattern sees are rate_period .. duration as in
   n2d2-flow); input spikes rounded to the Brian2 step dt (a neuron's second spike in one step
   is dropped and counted). The timed wall is that run only (code generation and compilation
   are done by a warm-up run of one empty pattern first and reported apart).
4. Reports both simulators' synaptic events (accumulations: Conv/Fc/Add synapses; MaxPool
   updates are not counted, as in n2d2-flow), wall times and events/s, and the agreement:
   output class per pattern, accuracy of each, Pearson correlation of the output spike counts,
   per-layer spike totals.

Exact equality is not expected: Brian2 integrates per time step (all inputs of a step summed,
then at most one spike per neuron per step), so a neuron that n2d2-flow fires twice in one
instant (two events) fires once, and every layer adds one step of latency (spikes of step n
reach the next layer's threshold at step n + 1), where n2d2-flow propagates zero-delay events
through all layers at the same instant; input times are quantized to dt.

Writes the summary as JSON (temp + rename) to --json (default WORK/brian2.json) and prints a
Markdown table. Bad input (missing dump files, a layer kind or neuron option this script does
not model) is one line naming the file / layer, exit code 2.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

FS = 1e-15


def fail(msg):
    print("spike_vs_brian2: error: " + msg, file=sys.stderr)
    sys.exit(2)


def write_json_atomic(path, obj):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp_", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def load_npy(dump, name, what):
    path = os.path.join(dump, name)
    if not os.path.exists(path):
        fail(f"{path}: missing ({what})")
    return np.load(path)


# ---- connectivity from the layouts of spike/network.h (channels-last maps) ----

def conv_synapses(layer, w):
    """(pre, post, weight) of a Conv layer: weights [oc][ic/groups][kh][kw], maps HWC."""
    ic, ih, iw = layer["in"]
    oc, oh, ow = layer["out"]
    kh, kw = layer["kernel"]
    sh, sw = layer["stride"]
    pt, pl = layer["pad"]
    dh, dw = layer["dilation"]
    g = layer["groups"]
    icg, ocg = ic // g, oc // g
    w = w.reshape(oc, icg, kh, kw)
    o, c, ky, kx, oy, ox = np.meshgrid(np.arange(oc), np.arange(icg), np.arange(kh), np.arange(kw),
                                       np.arange(oh), np.arange(ow), indexing="ij")
    iy = oy * sh - pt + ky * dh
    ix = ox * sw - pl + kx * dw
    ok = (iy >= 0) & (iy < ih) & (ix >= 0) & (ix < iw)
    o, c, ky, kx, oy, ox, iy, ix = (a[ok] for a in (o, c, ky, kx, oy, ox, iy, ix))
    ci = (o // ocg) * icg + c
    pre = (iy * iw + ix) * ic + ci
    post = (oy * ow + ox) * oc + o
    return pre.astype(np.int64), post.astype(np.int64), w[o, c, ky, kx].astype(np.float64)


def fc_synapses(layer, w):
    n_in = int(np.prod(layer["in"]))
    n_out = int(np.prod(layer["out"]))
    w = w.reshape(n_out, n_in)
    post, pre = np.meshgrid(np.arange(n_out), np.arange(n_in), indexing="ij")
    return pre.ravel(), post.ravel(), w.ravel().astype(np.float64)


def pool_synapses(layer):
    c, ih, iw = layer["in"]
    _, oh, ow = layer["out"]
    kh, kw = layer["kernel"]
    sh, sw = layer["stride"]
    pt, pl = layer["pad"]
    dh, dw = layer["dilation"]
    ch, ky, kx, oy, ox = np.meshgrid(np.arange(c), np.arange(kh), np.arange(kw), np.arange(oh),
                                     np.arange(ow), indexing="ij")
    iy = oy * sh - pt + ky * dh
    ix = ox * sw - pl + kx * dw
    ok = (iy >= 0) & (iy < ih) & (ix >= 0) & (ix < iw)
    ch, oy, ox, iy, ix = (a[ok] for a in (ch, oy, ox, iy, ix))
    return ((iy * iw + ix) * c + ch).astype(np.int64), ((oy * ow + ox) * c + ch).astype(np.int64)


# ---- the Brian2 network ----

def build_brian2(net, dump, b2, dt_fs, rule):
    """Returns (objects, groups, accumulating synapses [(pre group index, Synapses)], pools)."""
    layers = net["layers"]
    rp = net["rate_period_fs"] * FS * b2.second
    n_in = int(np.prod(net["input"]))
    inp = b2.SpikeGeneratorGroup(n_in, np.zeros(0, dtype=int), np.zeros(0) * b2.second, name="input")
    groups = []  # index l -> group; -1 -> inp
    objects = [inp]
    acc = []  # (source layer index, Synapses, n_source)
    reset_code = []
    for li, L in enumerate(layers):
        where = f"{dump}/network.json layer {li} '{L['name']}' ({L['kind']})"
        kind = L["kind"]
        if kind == "Concat":
            fail(f"{where}: Concat is not modelled by this script")
        if kind != "MaxPool":
            if L["bipolar"]:
                fail(f"{where}: BipolarThreshold is not modelled by this script")
            if L["refractory_fs"] > 0:
                fail(f"{where}: Refractory is not modelled by this script")
        n = int(np.prod(L["out"]))
        name = f"L{li}"
        if kind == "MaxPool":
            g = b2.NeuronGroup(n, "mx : 1\nemitted : 1\ncount : 1", threshold="mx > emitted",
                               reset="emitted += 1\ncount += 1", name=name)
            g.namespace = {}
            reset = "mx = 0\nemitted = 0\ncount = 0"
        else:
            th = float(L["threshold"])
            v0 = float(L["initial_potential"])
            tau = L["leak_tau_fs"]
            # got: input (an event or a bias tick) reached the neuron since its last threshold
            # check (rule "event"); cleared right after the thresholder of each step.
            eq = ("dv/dt = -v / tau : 1" if tau > 0 else "v : 1") + "\ncount : 1\nb : 1 (constant)\ngot : 1"
            ns = {"th": th, "tau": tau * FS * b2.second}
            cond = "v >= th" if rule == "step" else "v >= th and got > 0.5"
            g = b2.NeuronGroup(n, eq, threshold=cond if L["spiking"] else None,
                               reset="v -= th\ncount += 1" if L["spiking"] else None,
                               method="exact" if tau > 0 else None, namespace=ns, name=name)
            g.v = v0
            if rule == "event" and L["spiking"]:
                objects.append(g.run_regularly("got = 0", dt=None, when="thresholds", order=1, name=f"{name}_got"))
            if L["bias"]:
                bias = load_npy(dump, L["bias"], f"bias of layer {li}").astype(np.float64)
                oc = L["out"][0]
                g.b = np.tile(bias, n // oc)
                # order 0: the tick of the pattern's first step is undone by the reset (order 1).
                objects.append(g.run_regularly("v += b\ngot = 1", dt=rp, when="start", order=0, name=f"{name}_bias"))
            reset = f"v = {v0!r}\ncount = 0\ngot = 0"
        reset_code.append((g, reset))
        groups.append(g)
        objects.append(g)
        delay = L.get("incoming_delay_fs", 0) * FS * b2.second
        for slot, src in enumerate(L["inputs"]):
            pre_g = inp if src < 0 else groups[src]
            if kind == "MaxPool":
                if src < 0:
                    fail(f"{where}: a MaxPool on the network input is not modelled by this script")
                pre, post = pool_synapses(L)
                # Synapses run before resets: count_pre + 1 is the source's count with this spike.
                s = b2.Synapses(pre_g, g, on_pre="mx_post = clip(count_pre + 1, mx_post, 1e30)",
                                name=f"{name}_s{slot}")
                s.connect(i=pre, j=post)
            else:
                if kind == "Conv":
                    pre, post, w = conv_synapses(L, load_npy(dump, L["weights"], f"weights of layer {li}"))
                elif kind == "Fc":
                    pre, post, w = fc_synapses(L, load_npy(dump, L["weights"], f"weights of layer {li}"))
                elif kind == "Add":
                    pre = post = np.arange(n)
                    w = np.full(n, float(L["input_scale"][slot]))
                else:
                    fail(f"{where}: unknown layer kind")
                s = b2.Synapses(pre_g, g, "w : 1", on_pre="v_post += w" + ("\ngot_post = 1" if rule == "event" else ""),
                                name=f"{name}_s{slot}")
                s.connect(i=pre, j=post)
                s.w = w
                acc.append((src, s, len(pre_g), li))
            if delay > 0:
                s.delay = delay
            objects.append(s)
    return inp, objects, groups, acc, reset_code


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--env", required=True)
    ap.add_argument("--data", default="fashion-mnist")
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--n2d2", default=os.environ.get("N2D2_FLOW", "build/apps/n2d2-flow/n2d2-flow"))
    ap.add_argument("--work", default="stats_brian2")
    ap.add_argument("--target", default="cython", choices=["cython", "numpy"])
    ap.add_argument("--dt-fs", type=float, default=1e6, help="Brian2 time step in fs (default 1 ns)")
    ap.add_argument("--rule", default="event", choices=["event", "step"],
                    help="event (default): a neuron checks its threshold only in a step where it received "
                         "input, as n2d2-flow checks only on an event; step: every step (plain Brian2 LIF)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--reuse", action="store_true", help="keep WORK/dump and WORK/n2d2.json if there")
    a = ap.parse_args()
    dump = os.path.join(a.work, "dump")
    n2d2_json = os.path.join(a.work, "n2d2.json")
    os.makedirs(a.work, exist_ok=True)

    # 1. n2d2-flow, one thread.
    if not (a.reuse and os.path.exists(n2d2_json) and os.path.exists(os.path.join(dump, "network.json"))):
        if not os.path.exists(a.n2d2):
            fail(f"{a.n2d2}: no n2d2-flow binary (build it, or pass --n2d2)")
        cmd = [a.n2d2, "spike", a.model, "--data", a.data, "--env", a.env, "--images", str(a.images),
               "--threads", "1", "--curve-images", "0", "--dump", dump, "--json", n2d2_json,
               "-o", os.path.join(a.work, "stats_spike")]
        print("+ " + " ".join(cmd), flush=True)
        load_before = os.getloadavg()[0]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        with open(os.path.join(a.work, "n2d2_load.json"), "w") as f:
            json.dump({"load_before": load_before, "load_after": os.getloadavg()[0]}, f)
        if r.returncode != 0:
            fail(f"n2d2-flow spike exited with {r.returncode}")
    with open(n2d2_json) as f:
        ours = json.load(f)
    lp = os.path.join(a.work, "n2d2_load.json")
    load_n2d2 = json.load(open(lp)) if os.path.exists(lp) else None
    netf = os.path.join(dump, "network.json")
    if not os.path.exists(netf):
        fail(f"{netf}: missing (run n2d2-flow spike --dump)")
    with open(netf) as f:
        net = json.load(f)
    if net.get("terminate_delta", 0):
        fail(f"{netf}: terminate_delta {net['terminate_delta']}: TerminateDelta is not modelled by this script")
    spikes_in = load_npy(dump, "input_spikes.npy", "input spike trains")
    counts_ours = load_npy(dump, "output_counts.npy", "n2d2-flow output counts")
    dec_ours = load_npy(dump, "decisions.npy", "n2d2-flow decisions")
    labels = load_npy(dump, "labels.npy", "labels")
    npat = len(labels)

    # 2. Brian2.
    import warnings
    warnings.filterwarnings("ignore", category=FutureWarning)  # numpy 2 vs Debian's pythran tables
    import brian2 as b2
    # max(mx_post, count_pre + 1) does not depend on the order of the synapses: not a concern.
    b2.BrianLogger.suppress_hierarchy("brian2.codegen.generators.base")
    b2.prefs.codegen.target = a.target
    b2.prefs.logging.console_log_level = "WARNING"
    b2.defaultclock.dt = a.dt_fs * FS * b2.second
    dt_fs = a.dt_fs
    D = net["duration_fs"]
    rp_fs = net["rate_period_fs"]
    P_fs = D + rp_fs
    if rp_fs % dt_fs or D % rp_fs:
        fail(f"{netf}: rate period {rp_fs} fs must be a multiple of dt {dt_fs} fs and divide the duration {D} fs")
    t_build = time.perf_counter()
    inp, objects, groups, acc, reset_code = build_brian2(net, dump, b2, dt_fs, a.rule)
    P = P_fs * FS * b2.second
    # Per-pattern reset (order 1: after the bias tick of the pattern's first step).
    for g, code in reset_code:
        objects.append(g.run_regularly(code, dt=P, when="start", order=1, name=f"{g.name}_reset"))
    out_l = net["output"]
    out_g = groups[out_l]
    mon_out = b2.SpikeMonitor(out_g, name="mon_out") if net["layers"][out_l]["spiking"] else None
    vmon = b2.StateMonitor(out_g, "v", record=True, dt=P, when="start", order=-1, name="mon_v")
    # Spike counters: index 0 the input, 1 + l layer l (non-spiking layers have none).
    counters = {0: b2.SpikeMonitor(inp, record=False, name="cnt_in")}
    for li, g in enumerate(groups):
        if net["layers"][li]["kind"] == "MaxPool" or net["layers"][li]["spiking"]:
            counters[li + 1] = b2.SpikeMonitor(g, record=False, name=f"cnt_{g.name}")
    objects += [m for m in (mon_out, vmon) if m is not None] + list(counters.values())
    bnet = b2.Network(*objects)
    build_s = time.perf_counter() - t_build

    # Warm-up: code generation / compilation, one pattern period on an empty input (so the
    # timed run starts at a pattern boundary, where the reset ticks), then the state reset.
    t0 = time.perf_counter()
    bnet.run(P)
    warm_s = time.perf_counter() - t0
    for g, code in reset_code:
        for line in code.split("\n"):
            var, val = line.split(" = ")
            setattr(g, var, float(val))
    start_fs = float(bnet.t / b2.second) / FS
    base_fs = round(start_fs / P_fs) * P_fs  # = P: the first pattern starts here
    pat, t_fs, src = spikes_in[:, 0], spikes_in[:, 1], spikes_in[:, 2]
    step = np.round((base_fs + pat * P_fs + t_fs) / dt_fs).astype(np.int64)
    key = step * (int(np.prod(net["input"])) + 1) + src
    _, first = np.unique(key, return_index=True)
    dropped = len(key) - len(first)
    first.sort()
    inp.set_spikes(src[first], step[first] * dt_fs * FS * b2.second)
    before = {k: np.array(c.count, dtype=np.int64) for k, c in counters.items()}
    load_b2 = [os.getloadavg()[0]]
    t0 = time.perf_counter()
    bnet.run((base_fs + npat * P_fs + dt_fs - start_fs) * FS * b2.second)
    b2_wall = time.perf_counter() - t0
    load_b2.append(os.getloadavg()[0])
    spikes_b2 = {k: np.array(c.count, dtype=np.int64) - before[k] for k, c in counters.items()}

    # 3. Events, counts, decisions.
    events_b2 = 0
    events_layer = {}
    for src, s, nsrc, li in acc:
        deg = np.bincount(np.array(s.i), minlength=nsrc)
        e = int(np.dot(spikes_b2[src + 1], deg))
        events_layer[li] = events_layer.get(li, 0) + e
        events_b2 += e
    nclass = len(out_g)
    counts_b2 = np.zeros((npat, nclass), dtype=np.int64)
    if mon_out is not None:
        ti = np.array(mon_out.t / b2.second) / FS
        ii = np.array(mon_out.i)
        pp = np.floor((ti - base_fs) / P_fs).astype(np.int64)
        ok = (pp >= 0) & (pp < npat)
        np.add.at(counts_b2, (pp[ok], ii[ok]), 1)
    vt = np.array(vmon.t / b2.second) / FS
    vv = np.array(vmon.v)  # [neuron, sample]
    pot = np.zeros((npat, nclass))
    for k, tk in enumerate(vt):
        p = int(round((tk - base_fs) / P_fs)) - 1  # the sample at a pattern's end (next start)
        if 0 <= p < npat:
            pot[p] = vv[:, k]
    readout = net["readout"]
    if readout == "potential" or mon_out is None:
        dec_b2 = pot.argmax(axis=1)
    else:  # count, ties by potential (spike/batch.cpp); first-spike is compared as count
        dec_b2 = np.array([max(range(nclass), key=lambda o: (counts_b2[p, o], pot[p, o], -o)) for p in range(npat)])
    agree = float(np.mean(dec_b2 == dec_ours)) * 100
    acc_b2 = float(np.mean(dec_b2 == labels)) * 100
    acc_ours = float(np.mean(dec_ours == labels)) * 100
    co, cb = counts_ours.ravel().astype(float), counts_b2.ravel().astype(float)
    corr = float(np.corrcoef(co, cb)[0, 1]) if co.std() > 0 and cb.std() > 0 else float("nan")
    ours_layers = {r["alias"]: r for r in ours.get("layers", [])}
    layer_rows = []
    for li, L in enumerate(net["layers"]):
        o = ours_layers.get(L["alias"], {})
        layer_rows.append({"layer": L["alias"], "kind": L["kind"], "spikes_n2d2": o.get("spikes"),
                           "spikes_brian2": int(spikes_b2[li + 1].sum()) if li + 1 in spikes_b2 else None,
                           "events_n2d2": o.get("events"), "events_brian2": events_layer.get(li, 0)})
    ev_ours, wall_ours = ours["synaptic_events"], ours["wall_s"]
    res = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "cpu": cpu_name(), "images": npat, "model": a.model, "env": a.env,
        "brian2_version": b2.__version__, "brian2_target": a.target, "brian2_dt_fs": dt_fs,
        "brian2_build_s": build_s, "brian2_warmup_compile_s": warm_s,
        "brian2_wall_s": b2_wall, "brian2_synaptic_events": events_b2,
        "brian2_events_per_s": events_b2 / b2_wall, "brian2_input_spikes_dropped": int(dropped),
        "n2d2_wall_s": wall_ours, "n2d2_synaptic_events": ev_ours, "n2d2_events_per_s": ev_ours / wall_ours,
        "n2d2_threads": ours.get("threads", 1), "speedup_wall": b2_wall / wall_ours,
        "decision_agreement_percent": agree, "accuracy_n2d2": acc_ours, "accuracy_brian2": acc_b2,
        "output_count_correlation": corr,
        "output_spikes_n2d2": int(counts_ours.sum()), "output_spikes_brian2": int(counts_b2.sum()),
        "brian2_threshold_rule": a.rule, "load_brian2": load_b2, "load_n2d2": load_n2d2,
        "layers": layer_rows,
    }
    write_json_atomic(a.json or os.path.join(a.work, "brian2.json"), res)
    print(f"\n{npat} patterns, {res['date_utc']} UTC, {res['cpu']}; Brian2 {b2.__version__} ({a.target} target, "
          f"dt {dt_fs / 1e6:g} ns, threshold rule {a.rule}; build {build_s:.1f} s, compile/warm-up {warm_s:.1f} s, "
          f"not timed); load average {load_n2d2} (n2d2-flow run), {load_b2} (Brian2 run)\n")
    print("| simulator | synaptic events | wall (s) | events/s | patterns/s | accuracy |")
    print("|---|---|---|---|---|---|")
    print(f"| n2d2-flow (event-driven, 1 thread) | {ev_ours:.4g} | {wall_ours:.2f} | {ev_ours / wall_ours:.3g} | "
          f"{npat / wall_ours:.1f} | {acc_ours:.2f} % |")
    print(f"| Brian2 ({a.target}, clock-driven, 1 process) | {events_b2:.4g} | {b2_wall:.2f} | {events_b2 / b2_wall:.3g} | "
          f"{npat / b2_wall:.2f} | {acc_b2:.2f} % |")
    print(f"\nsame output class: {agree:.1f} % of patterns; output spike-count correlation {corr:.4f}; "
          f"output spikes {int(counts_ours.sum())} (n2d2-flow) vs {int(counts_b2.sum())} (Brian2); "
          f"input spikes dropped (two in one step): {dropped}")
    print("\n| layer | kind | spikes n2d2-flow | spikes Brian2 | events n2d2-flow | events Brian2 |")
    print("|---|---|---|---|---|---|")
    for r in layer_rows:
        print(f"| {r['layer']} | {r['kind']} | {r['spikes_n2d2']} | {r['spikes_brian2']} | {r['events_n2d2']} | {r['events_brian2']} |")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
