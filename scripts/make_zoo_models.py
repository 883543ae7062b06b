#!/usr/bin/python3
"""Exports torchvision models (random, seeded weights) to ONNX for the ORT comparison.

    /usr/bin/python3 scripts/make_zoo_models.py OUTDIR [--batch 1 8] [--opset 11 13]
                     [--fold fold nofold] [--models resnet18 mobilenet_v2 squeezenet1_1]

For every model x batch x opset x folding it writes
  OUTDIR/<model>_b<batch>_op<opset>_<fold|nofold>.onnx
  OUTDIR/<model>_b<batch>_op<opset>_<fold|nofold>.input.npy   (seeded N(0,1) input, float32)
and OUTDIR/manifest.json (one entry per file: model, input name/shape, output name, op histogram).
  fold:   do_constant_folding=True, TrainingMode.EVAL (the exporter fuses BatchNorm into Conv)
  nofold: do_constant_folding=False, TrainingMode.PRESERVE on the eval-mode model, so
          BatchNormalization nodes and shape sub-graphs stay as separate nodes
Weights: weights=None (no download), then seeded random weights (make_models.init_random_weights,
seed 0): Kaiming-normal convolutions, BatchNorm statistics measured on a seeded random batch and then
perturbed (so BN is not an identity), classifier rescaled to logits of std 2; eval mode.
These files are large (resnet18 ~45 MB each) and are NOT committed.
"""
import argparse
import collections
import json
import os
import sys
import time
import warnings

import numpy as np
import onnx
import torch

sys.dont_write_bytecode = True  # no scripts/__pycache__ from importing make_models
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import init_random_weights  # noqa: E402

MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_1"]
# Opt-in (--models lenet5): make_models.LeNet5 on 1x28x28 inputs, seeded random weights.
EXTRA_MODELS = ["lenet5"]


def input_chw(name, size):
    return (1, 28, 28) if name == "lenet5" else (3, size, size)


def op_histogram(model):
    return dict(sorted(collections.Counter(n.op_type for n in model.graph.node).items()))


def build(name, seed=0, size=224):
    import torchvision

    torch.manual_seed(seed)
    if name == "lenet5":
        from make_models import LeNet5
        m = LeNet5()
        return init_random_weights(m, seed, (4,) + input_chw(name, size), head=m.fc3, head_std=2.0)
    m = getattr(torchvision.models, name)(weights=None)
    head = m.fc if name.startswith("resnet") else m.classifier[1]
    # Kaiming weights, BN statistics calibrated on a seeded batch then perturbed, head rescaled to
    # logits of std 2 (see make_models.init_random_weights): input-dependent, well separated logits.
    return init_random_weights(m, seed, (4, 3, size, size), head=head, head_std=2.0)


def export(m, x, path, opset, fold):
    training = torch.onnx.TrainingMode.EVAL if fold else torch.onnx.TrainingMode.PRESERVE
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(m, x, path, opset_version=opset, do_constant_folding=fold, training=training,
                          input_names=["input"], output_names=["logits"])
    model = onnx.load(path)
    onnx.checker.check_model(path)
    return model


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("outdir")
    p.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    p.add_argument("--opset", type=int, nargs="+", default=[11, 13])
    p.add_argument("--fold", nargs="+", choices=["fold", "nofold"], default=["fold", "nofold"])
    p.add_argument("--models", nargs="+", choices=MODELS + EXTRA_MODELS, default=MODELS)
    p.add_argument("--size", type=int, default=224, help="input height/width")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.outdir, exist_ok=True)
    manifest_path = os.path.join(args.outdir, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    for name in args.models:
        m = build(name, 0, args.size)
        for b in args.batch:
            x = torch.from_numpy(np.random.default_rng(1000 + b).standard_normal((b,) + input_chw(name, args.size))
                                 .astype(np.float32))
            with torch.no_grad():
                y = m(x).numpy()
            s = np.sort(y, axis=1)
            margin = float((s[:, -1] - s[:, -2]).min())
            for opset in args.opset:
                for fold in args.fold:
                    stem = f"{name}_b{b}_op{opset}_{fold}"
                    path = os.path.join(args.outdir, stem + ".onnx")
                    t0 = time.time()
                    model = export(m, x, path, opset, fold == "fold")
                    np.save(os.path.join(args.outdir, stem + ".input.npy"), x.numpy())
                    ops = op_histogram(model)
                    manifest[stem] = {"model": name, "file": stem + ".onnx", "input_file": stem + ".input.npy",
                                      "input": "input", "input_shape": list(x.shape), "output": "logits",
                                      "batch": b, "opset": opset, "fold": fold == "fold",
                                      "torch_top1_margin": round(margin, 6), "ops": ops}
                    print(f"{stem}: {os.path.getsize(path) / 1e6:.1f} MB, {sum(ops.values())} nodes, "
                          f"top-1 margin {margin:.3g}, {time.time() - t0:.1f}s", flush=True)
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
