#!/usr/bin/python3
"""Generates the small whole-model test cases committed under tests/models/.

    /usr/bin/python3 scripts/make_models.py [--out tests/models] [--only NAME ...] [--threads 2]

Every model goes to OUT/<name>/ with
  model.onnx              exported from PyTorch (torch.onnx.export)
  input_0.npy             seeded random input (real Fashion-MNIST test images for lenet_fmnist)
  expected_<output>.npy   the output(s) computed by ONNX Runtime (scripts/ort_run.js, 1 thread),
                          not by torch (torch is only used as a sanity cross-check)
  meta.json               input name/shape, output names/shapes, opset, source, op histogram
lenet_fmnist also gets labels.npy (int64 labels of its 8 input images) and its test accuracy in
meta.json. Needs: torch, onnx, numpy, node + scripts/node_modules (npm ci in scripts/), and for
lenet_fmnist the Fashion-MNIST IDX files (--fmnist DIR). Everything is seeded: running it twice
gives the same files.
"""
import argparse
import collections
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORT_RUN = os.path.join(HERE, "ort_run.js")
MAX_FILE_BYTES = 2 * 1024 * 1024
FMNIST_DIR = "/usr/share/datasets/fashion-mnist"


# ----------------------------------------------------------------------------- helpers
def op_histogram(model):
    """Op-type histogram of the main graph (and sub-graphs), as a sorted dict."""
    hist = collections.Counter()

    def walk(g):
        for n in g.node:
            key = n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"
            hist[key] += 1
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    walk(a.g)
                elif a.type == onnx.AttributeProto.GRAPHS:
                    for sg in a.graphs:
                        walk(sg)

    walk(model.graph)
    return dict(sorted(hist.items()))


def write_json(path, obj):
    """Indented JSON with lists of numbers kept on one line."""
    text = json.dumps(obj, indent=2)
    text = re.sub(r"\[\s*([-0-9.eE,\s]*?)\s*\]", lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]",
                  text)
    with open(path, "w") as f:
        f.write(text + "\n")


def run_ort(model_path, inputs, threads=1):
    """Runs model_path with ONNX Runtime through ort_run.js; returns ({name: array}, report)."""
    with tempfile.TemporaryDirectory(prefix="ort_run_") as tmp:
        args = ["node", ORT_RUN, model_path, os.path.join(tmp, "out"), "--threads", str(threads)]
        for i, (name, arr) in enumerate(inputs.items()):
            p = os.path.join(tmp, f"in{i}.npy")
            np.save(p, arr)
            args += ["--input", f"{name}={p}"]
        res = subprocess.run(args, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"ort_run.js failed on {model_path}:\n{res.stderr}")
        report = json.loads(res.stdout)
        outs = {name: np.load(o["file"]) for name, o in report["outputs"].items()}
    return outs, report


def top1_margin(y):
    """Smallest gap between the best and second-best score over the rows of a [N, C] output."""
    if y.ndim != 2 or y.shape[1] < 2:
        return None
    s = np.sort(y.astype(np.float64), axis=1)
    return float((s[:, -1] - s[:, -2]).min())


def export(model, example, path, opset, fold, input_names, output_names, preserve=False, shape_inference=True):
    """torch.onnx.export. preserve=True exports an eval-mode model with TrainingMode.PRESERVE so
    the eval peephole (which fuses BatchNorm into Conv) does not run and BatchNormalization stays.
    shape_inference=False turns off the exporter's ONNX shape inference, which otherwise replaces
    x.size(0) of a static shape by a constant: with it off, x.view(x.size(0), -1) keeps its
    Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain (torch 1.13 private API)."""
    model.eval()
    training = torch.onnx.TrainingMode.PRESERVE if preserve else torch.onnx.TrainingMode.EVAL
    with torch.no_grad():
        if shape_inference:
            torch.onnx.export(model, example, path, opset_version=opset, do_constant_folding=fold,
                              input_names=input_names, output_names=output_names, training=training)
        else:
            torch.onnx.utils._export(model, example if isinstance(example, tuple) else (example,), path,
                                     opset_version=opset, do_constant_folding=fold, input_names=input_names,
                                     output_names=output_names, training=training, onnx_shape_inference=False)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return m


def insert_dropout(m, before_node, ratio=0.5):
    """Inserts an inference-mode Dropout node (an identity) in front of the node named before_node:
    the exporter drops nn.Dropout in eval mode, but many real ONNX files still carry one."""
    g = m.graph
    idx = next(i for i, n in enumerate(g.node) if n.name == before_node)
    node = g.node[idx]
    src = node.input[0]
    out = src + "_dropout"
    ratio_name = "dropout_ratio"
    g.initializer.append(onnx.numpy_helper.from_array(np.array(ratio, dtype=np.float32), ratio_name))
    drop = onnx.helper.make_node("Dropout", [src, ratio_name], [out], name="/drop/Dropout")
    node.input[0] = out
    g.node.insert(idx, drop)
    return m


def finish_case(out_root, name, model, example, opset, fold, source, preserve=False, extra_meta=None,
                input_names=("input",), output_names=("output",), check_margin=True, shape_inference=True,
                postprocess=None):
    """Exports, runs ORT for the expected outputs, cross-checks against torch, writes meta.json."""
    d = os.path.join(out_root, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    mpath = os.path.join(d, "model.onnx")
    examples = example if isinstance(example, tuple) else (example,)
    m = export(model, examples if len(examples) > 1 else examples[0], mpath, opset, fold,
               list(input_names), list(output_names), preserve, shape_inference)
    if postprocess is not None:
        m = postprocess(m)
        onnx.checker.check_model(m)
        onnx.save(m, mpath)
    inputs = collections.OrderedDict()
    for i, (iname, x) in enumerate(zip(input_names, examples)):
        arr = x.detach().cpu().numpy()
        np.save(os.path.join(d, f"input_{i}.npy"), arr)
        inputs[iname] = arr
    outs, _ = run_ort(mpath, inputs)
    with torch.no_grad():
        t_out = model(*examples)
    t_out = t_out if isinstance(t_out, (tuple, list)) else (t_out,)
    meta_outputs = []
    for oname, t in zip(output_names, t_out):
        y = outs[oname]
        assert y.dtype == np.float32, (name, oname, y.dtype)
        np.save(os.path.join(d, f"expected_{oname}.npy"), y)
        err = float(np.abs(y.astype(np.float64) - t.numpy().astype(np.float64)).max())
        ok = np.allclose(y, t.numpy(), atol=1e-4, rtol=1e-3)
        margin = top1_margin(y)
        print(f"  {name}: output {oname} {list(y.shape)} |ORT - torch| max {err:.2e}"
              + (f", top-1 margin {margin:.3g}" if margin is not None else ""))
        if not ok:
            raise RuntimeError(f"{name}: ORT and torch disagree on {oname} (max abs err {err})")
        if check_margin and margin is not None and margin < 1e-3:
            print(f"  WARNING {name}: top-1 margin {margin:.3g} is small; top-1 comparisons may flake")
        meta_outputs.append({"name": oname, "shape": list(y.shape), "dtype": "float32",
                             "top1_margin": None if margin is None else round(margin, 6)})
    meta = {
        "name": name,
        "source": source,
        "opset": opset,
        "do_constant_folding": fold,
        "batchnorm_kept": preserve,
        "producer": f"torch {torch.__version__.split('+')[0]}, onnx {onnx.__version__}",
        "inputs": [{"name": n, "file": f"input_{i}.npy", "shape": list(a.shape), "dtype": str(a.dtype)}
                   for i, (n, a) in enumerate(inputs.items())],
        "outputs": meta_outputs,
        "expected_by": "onnxruntime-node 1.30.0 (scripts/ort_run.js, 1 thread, graphOptimizationLevel all)",
        "ops": op_histogram(m),
    }
    if extra_meta:
        meta.update(extra_meta)
    write_json(os.path.join(d, "meta.json"), meta)
    for fn in sorted(os.listdir(d)):
        sz = os.path.getsize(os.path.join(d, fn))
        if sz >= MAX_FILE_BYTES:
            raise RuntimeError(f"{name}/{fn} is {sz} bytes (limit {MAX_FILE_BYTES})")
    print(f"  {name}: ops {meta['ops']}")
    return meta


def seeded_input(shape, seed):
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


def init_random_weights(model, seed, calib_shape=None, head=None, head_std=2.0):
    """Seeded random weights that keep the signal alive and input-dependent, so the expected outputs
    are a real test (plain default init gives near-constant, bias-dominated logits ~1e-2):
      - Conv/ConvTranspose/Linear weights: Kaiming normal (fan_in, ReLU gain); biases N(0, 0.05)
      - BatchNorm: affine U(0.75, 1.25) / N(0, 0.1); running statistics measured on a seeded random
        calibration batch (calib_shape), then perturbed (mean + N(0, 0.1) sd, var x U(0.7, 1.3)),
        so BN is neither an identity nor a no-op normalization
      - head (Linear/Conv modules, one or a list): weights rescaled so its output has std head_std on the
        calibration batch (well separated top-1 classes)."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                w = mod.weight
                if isinstance(mod, nn.ConvTranspose2d):
                    # weight [Cin, Cout/groups, kh, kw]: each output sums over Cin*k*k/stride^2 taps
                    fan_in = w.shape[0] * w[0, 0].numel() / (mod.stride[0] * mod.stride[1])
                else:
                    fan_in = w[0].numel()
                w.copy_(torch.randn(w.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                if mod.bias is not None:
                    mod.bias.copy_(torch.randn(mod.bias.shape, generator=g) * 0.05)
            elif isinstance(mod, nn.BatchNorm2d):
                c = mod.num_features
                mod.weight.copy_(torch.rand(c, generator=g) * 0.5 + 0.75)
                mod.bias.copy_(torch.randn(c, generator=g) * 0.1)
            elif isinstance(mod, nn.LayerNorm) and mod.elementwise_affine:
                mod.weight.copy_(torch.rand(mod.weight.shape, generator=g) * 0.5 + 0.75)
                mod.bias.copy_(torch.randn(mod.bias.shape, generator=g) * 0.1)
    if calib_shape is None:
        return model.eval()
    calib = torch.from_numpy(np.random.default_rng(10_000 + seed).standard_normal(calib_shape).astype(np.float32))
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    if bns:
        for bn in bns:
            bn.reset_running_stats()
            bn.momentum = None  # cumulative average: running stats = statistics of the batch
        model.train()
        with torch.no_grad():
            model(calib)
        with torch.no_grad():
            for bn in bns:
                bn.momentum = 0.1
                sd = bn.running_var.sqrt()
                bn.running_mean.add_(torch.randn(bn.num_features, generator=g) * 0.1 * sd)
                bn.running_var.mul_(torch.rand(bn.num_features, generator=g) * 0.6 + 0.7)
    model.eval()
    for h in ([] if head is None else head if isinstance(head, (list, tuple)) else [head]):
        got = []
        hook = h.register_forward_hook(lambda mod, inp, out: got.append(out))
        with torch.no_grad():
            model(calib)
        hook.remove()
        with torch.no_grad():
            out = got[0]
            bias = h.bias.view(1, -1, *([1] * (out.dim() - 2))) if h.bias is not None else 0.0
            std = float((out - bias).std())
            h.weight.mul_(head_std / max(std, 1e-12))
    return model


# ----------------------------------------------------------------------------- LeNet / Fashion-MNIST
def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    if (magic >> 8) != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def make_lenet(out_root, fmnist_dir, epochs=3):
    torch.manual_seed(0)
    xtr = read_idx(os.path.join(fmnist_dir, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(fmnist_dir, "train-labels-idx1-ubyte.gz"))
    xte = read_idx(os.path.join(fmnist_dir, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(fmnist_dir, "t10k-labels-idx1-ubyte.gz"))
    xtr = torch.from_numpy(xtr.astype(np.float32) / 255.0).unsqueeze(1)
    ytr = torch.from_numpy(ytr.astype(np.int64))
    xte_np = (xte.astype(np.float32) / 255.0)[:, None]
    xte = torch.from_numpy(xte_np)
    yte = torch.from_numpy(yte.astype(np.int64))
    model = LeNet5()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(0)
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(xtr.shape[0], generator=gen)
        total = 0.0
        for i in range(0, xtr.shape[0], 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += float(loss) * idx.numel()
        print(f"  lenet_fmnist: epoch {epoch + 1} loss {total / xtr.shape[0]:.4f} ({time.time() - t0:.1f}s)")
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + 1000]).argmax(1) for i in range(0, xte.shape[0], 1000)])
    acc = float((pred == yte).float().mean())
    print(f"  lenet_fmnist: test accuracy {acc * 100:.2f}% (10000 Fashion-MNIST test images), "
          f"training {time.time() - t0:.1f}s")
    if acc < 0.85:
        raise RuntimeError(f"lenet_fmnist: test accuracy {acc:.4f} < 0.85")
    x = torch.from_numpy(xte_np[:8].copy())
    labels = yte[:8].numpy().astype(np.int64)
    meta = finish_case(out_root, "lenet_fmnist", model, x, 13, True,
                       "LeNet-5 (conv5x5 pad 2 x6, maxpool, conv5x5 x16, maxpool, fc 120/84/10) trained "
                       f"{epochs} epochs on Fashion-MNIST (Adam lr 3e-3, batch 128, seed 0); input: the first 8 "
                       "test images scaled to [0,1]", output_names=("logits",), check_margin=False,
                       extra_meta={"test_accuracy": round(acc, 4), "epochs": epochs,
                                   "labels": labels.tolist()})
    np.save(os.path.join(out_root, "lenet_fmnist", "labels.npy"), labels)
    y = np.load(os.path.join(out_root, "lenet_fmnist", "expected_logits.npy"))
    correct = int((y.argmax(1) == labels).sum())
    print(f"  lenet_fmnist: ORT gets {correct}/8 of the stored images right")
    meta["ort_correct_of_8"] = correct
    write_json(os.path.join(out_root, "lenet_fmnist", "meta.json"), meta)


# ----------------------------------------------------------------------------- ResNet tiny
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + idt)


class ResNetTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        x = self.pool(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


def resnet_tiny():
    torch.manual_seed(0)
    m = ResNetTiny()
    return init_random_weights(m, 0, (4, 3, 32, 32), head=m.fc)


# ----------------------------------------------------------------------------- MobileNetV2 tiny
class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.body = nn.Sequential(
            nn.Conv2d(cin, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(inplace=True),
            nn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(inplace=True),
            nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.body(x)
        return x + y if self.use_res else y


class MobileNetTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU6(inplace=True))
        self.blocks = nn.Sequential(
            InvertedResidual(16, 16, 1, 4),
            InvertedResidual(16, 24, 2, 4),
            InvertedResidual(24, 24, 1, 4),
            InvertedResidual(24, 32, 2, 4))
        self.head = nn.Sequential(nn.Conv2d(32, 64, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU6(inplace=True))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


# ----------------------------------------------------------------------------- SqueezeNet tiny
class Fire(nn.Module):
    def __init__(self, cin, squeeze, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.e1 = nn.Conv2d(squeeze, e1, 1)
        self.e3 = nn.Conv2d(squeeze, e3, 3, padding=1)

    def forward(self, x):
        s = F.relu(self.squeeze(x))
        return torch.cat([F.relu(self.e1(s)), F.relu(self.e3(s))], 1)


class SqueezeTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, stride=2, padding=1)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.fire1 = Fire(32, 8, 16, 16)
        self.fire2 = Fire(32, 8, 24, 24)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.drop = nn.Dropout(0.5)
        self.final = nn.Conv2d(48, 10, 1)
        self.gap = nn.AdaptiveAvgPool2d((1, 1))

    def forward(self, x):                                   # [1, 3, 48, 48]
        x = self.pool1(F.relu(self.stem(x)))                # [1, 32, 12, 12] (11 without ceil_mode)
        x = self.pool2(self.fire2(self.fire1(x)))           # [1, 48, 6, 6] (5 without ceil_mode)
        x = F.relu(self.final(self.drop(x)))
        return torch.flatten(self.gap(x), 1)


# ----------------------------------------------------------------------------- op mixes
class OpsMixA(nn.Module):
    """Opset 13 mix: Conv, LeakyRelu, Split, Sigmoid, Tanh, Concat, Pad, Slice, AveragePool
    (count_include_pad=0), ConvTranspose, Resize (nearest x2), HardSwish (HardSigmoid*x at
    opset 13), ReduceMean, Transpose, Flatten, Reshape with a computed shape, MatMul/Gemm, Softmax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.deconv = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1)
        self.fc = nn.Linear(6 * 8 * 10, 10)
        self.fc2 = nn.Linear(6 * 16 * 20, 5)

    def forward(self, x):                                   # [2, 3, 16, 16]
        x = F.leaky_relu(self.conv(x), 0.1)                 # [2, 8, 16, 16]
        a, b = torch.split(x, [3, 5], dim=1)
        x = torch.cat([torch.sigmoid(a), torch.tanh(b)], 1)  # [2, 8, 16, 16]
        x = F.pad(x, (1, 2, 0, 1), value=0.5)               # [2, 8, 17, 19]
        x = x[:, :, 1:, 1:-2]                               # [2, 8, 16, 16]
        x = F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)  # [2, 8, 8, 8]
        x = self.deconv(x)                                  # [2, 6, 16, 16]
        x = F.interpolate(x, scale_factor=2, mode="nearest")  # [2, 6, 32, 32]
        x = F.hardswish(x)
        x = x - x.mean(dim=(2, 3), keepdim=True)
        x = x[:, :, ::2, 3:23]                              # [2, 6, 16, 20] (strided Slice)
        t = x.permute(0, 2, 3, 1)                           # [2, 16, 20, 6]
        feat = torch.flatten(t, 1)                          # Flatten -> [2, 1920]
        y = F.avg_pool2d(x, 2)                              # [2, 6, 8, 10]
        y = y.view(y.size(0), -1)                           # Shape/Gather/Unsqueeze/Concat/Reshape
        probs = F.softmax(self.fc(y), dim=1)
        return probs, self.fc2(feat)


class OpsMixB(nn.Module):
    """Opset 17 mix: Conv, Transpose, LayerNormalization, HardSwish, reflect Pad, Resize,
    AveragePool (count_include_pad=1), ReduceMean, Split, Slice, Concat, Softmax (axis -1), Reshape with a computed shape, MatMul."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 16, 3, padding=1)
        self.ln = nn.LayerNorm(16)
        self.conv2 = nn.Conv2d(16, 8, 3, stride=2)
        self.proj = nn.Linear(8, 8)
        self.ln2 = nn.LayerNorm([8])
        self.fc = nn.Linear(8 * 16, 10)

    def forward(self, x):                                   # [2, 4, 12, 12]
        x = self.conv(x)                                    # [2, 16, 12, 12]
        x = self.ln(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        x = F.hardswish(x)
        x = F.pad(x, (1, 1, 1, 1), mode="reflect")          # [2, 16, 14, 14]
        x = F.interpolate(x, scale_factor=2, mode="nearest")  # [2, 16, 28, 28]
        x = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=True)
        x = torch.sigmoid(self.conv2(x))                    # [2, 8, 13, 13]
        x = x[:, :, 1:-1:3, 0:12:3]                         # [2, 8, 4, 4]
        s = x.flatten(2).transpose(1, 2)                    # [2, 16, 8] tokens
        s = self.ln2(self.proj(s)) + s
        a, b = s.split(4, dim=2)
        s = torch.cat([torch.tanh(a), F.leaky_relu(b, 0.2)], 2)
        att = F.softmax(s @ s.transpose(1, 2) / 8 ** 0.5, dim=-1)  # [2, 16, 16]
        s = att @ s                                         # [2, 16, 8]
        s = s - s.mean(dim=-1, keepdim=True)
        y = s.reshape(s.size(0), -1)                        # computed-shape Reshape
        return self.fc(y)


# ----------------------------------------------------------------------------- main
CASES = ["lenet_fmnist", "resnet_tiny", "resnet_tiny_folded", "mobilenet_tiny", "squeeze_tiny",
         "ops_mix_a", "ops_mix_b"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=os.path.join(ROOT, "tests", "models"))
    p.add_argument("--only", nargs="+", choices=CASES, help="generate only these models")
    p.add_argument("--fmnist", default=FMNIST_DIR, help="folder with the Fashion-MNIST IDX .gz files")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2, help="torch threads (training)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    if shutil.which("node") is None:
        sys.exit("make_models: node not found")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "onnxruntime-node")):
        sys.exit("make_models: run `cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci` first")
    os.makedirs(args.out, exist_ok=True)
    todo = args.only or CASES
    for name in CASES:
        if name not in todo:
            continue
        print(f"[{name}]")
        t0 = time.time()
        if name == "lenet_fmnist":
            make_lenet(args.out, args.fmnist, args.epochs)
        elif name == "resnet_tiny":
            finish_case(args.out, name, resnet_tiny(), seeded_input((2, 3, 32, 32), 1), 13, False,
                        "ResNet-tiny: conv3x3 16 + BN + ReLU, BasicBlock(16,16,s1), BasicBlock(16,32,s2, 1x1 "
                        "downsample), global avg pool, view(N,-1), fc 10; random weights (seed 0), BN "
                        "statistics calibrated then perturbed; exported without constant folding, without BN fusion and without the "
                        "exporter's shape inference (so view(x.size(0), -1) stays a Shape/Gather chain)",
                        preserve=True, output_names=("logits",), shape_inference=False)
        elif name == "resnet_tiny_folded":
            finish_case(args.out, name, resnet_tiny(), seeded_input((2, 3, 32, 32), 1), 11, True,
                        "ResNet-tiny (same weights as resnet_tiny), exported with constant folding "
                        "(BN fused into Conv by the exporter)", output_names=("logits",))
        elif name == "mobilenet_tiny":
            torch.manual_seed(0)
            m = MobileNetTiny()
            init_random_weights(m, 0, (4, 3, 32, 32), head=m.fc)
            finish_case(args.out, name, m, seeded_input((1, 3, 32, 32), 2), 13, False,
                        "MobileNetV2-tiny: stem conv s2, 4 inverted-residual blocks (1x1 expand x4, depthwise "
                        "3x3 + ReLU6, 1x1 project, residual when shapes match), 1x1 head, avg pool, fc 10; "
                        "random weights (seed 0); BatchNormalization kept", preserve=True,
                        output_names=("logits",))
        elif name == "squeeze_tiny":
            torch.manual_seed(0)
            m = SqueezeTiny()
            init_random_weights(m, 0, (4, 3, 48, 48), head=m.final)
            finish_case(args.out, name, m, seeded_input((1, 3, 48, 48), 3), 12, True,
                        "SqueezeNet-tiny: conv3x3 s2, MaxPool 3/2 ceil_mode, Fire(8,16,16), Fire(8,24,24), "
                        "MaxPool ceil_mode, Dropout (inference-mode ONNX Dropout node inserted after export, "
                        "since the exporter drops it), conv1x1 10 + ReLU, AdaptiveAvgPool 1, flatten; "
                        "random weights (seed 0)", preserve=True, output_names=("logits",),
                        postprocess=lambda m: insert_dropout(m, "/final/Conv", 0.5))
        elif name == "ops_mix_a":
            torch.manual_seed(0)
            m = OpsMixA()
            init_random_weights(m, 0, (4, 3, 16, 16), head=[m.fc, m.fc2])
            finish_case(args.out, name, m, seeded_input((2, 3, 16, 16), 4), 13, False,
                        OpsMixA.__doc__.replace("\n    ", " "), output_names=("probs", "feat_fc"))
        elif name == "ops_mix_b":
            torch.manual_seed(0)
            m = OpsMixB()
            init_random_weights(m, 0, (4, 4, 12, 12), head=m.fc)
            finish_case(args.out, name, m, seeded_input((2, 4, 12, 12), 5), 17, False,
                        OpsMixB.__doc__.replace("\n    ", " "), output_names=("logits",))
        print(f"  {name}: done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
