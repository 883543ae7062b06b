#!/usr/bin/python3
"""Generates the ONNX twins of the native-layer INI samples (samples/ini/), for the tests that
check an INI network against the same network exported from PyTorch:

    /usr/bin/python3 scripts/make_ini_models.py [--out samples/ini] [--epochs 1] [--threads 2]

  lenet_fmnist_twin.onnx   samples/ini/lenet_fmnist.ini: conv1 (6 5x5) - pool - conv2 (16 5x5, the
                           manual's 6x16 Mapping: weights outside it are zero and kept zero by
                           training) - pool - conv3 (120 5x5) - fc1 (84) - fc2 (10) - softmax, on
                           32x32 inputs, batch 8; trained for --epochs on Fashion-MNIST (28x28
                           images resized to 32x32 bilinearly, pixels / 255) when the IDX files
                           exist, else seeded random weights
  inception_twin.onnx      samples/ini/inception.ini (and inception_block.ini.tpl): seeded random
                           weights, batch 1, 3x32x32

Modules are laid out in the INI files' section order, so the ONNX node order is the INI layer
order (the tests copy the twin's weights layer by layer, then write them as N2D2 text weights).
Seeded: running it twice gives the same files.
"""
import argparse
import gzip
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FMNIST_DIR = "/usr/share/datasets/fashion-mnist"

# conv2's connections in the manual: rows = the 6 inputs, columns = the 16 outputs.
LENET_MAPPING = np.array([
    [1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1],
    [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1],
    [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1],
    [0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1],
    [0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1],
    [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1]], dtype=np.float32)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.conv3 = nn.Conv2d(16, 120, 5)
        self.fc1 = nn.Linear(120, 84)
        self.fc2 = nn.Linear(84, 10)
        # [out, in, 1, 1] mask of conv2's weights
        self.register_buffer("mask", torch.from_numpy(LENET_MAPPING.T.copy())[:, :, None, None])
        with torch.no_grad():
            self.conv2.weight.mul_(self.mask)

    def forward(self, x, logits=False):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(F.conv2d(x, self.conv2.weight * self.mask, self.conv2.bias)), 2, 2)
        x = F.relu(self.conv3(x))
        x = torch.flatten(x, 1)
        x = self.fc2(F.relu(self.fc1(x)))
        return x if logits else torch.softmax(x, dim=1)


class Inception(nn.Module):
    """samples/ini/inception.ini: stem, two Inception blocks (concat -> 1x1 conv), GAP, fc."""

    def __init__(self):
        super().__init__()
        c = lambda i, o, k, p=0: nn.Conv2d(i, o, k, padding=p, bias=False)
        self.stem = c(3, 16, 3, 1)
        self.inc1 = nn.ModuleList([c(16, 8, 1), c(16, 16, 3, 1), c(16, 8, 5, 2)])
        self.inc1_concat = c(8 + 16 + 8 + 16, 32, 1)
        self.inc2 = nn.ModuleList([c(32, 16, 1), c(32, 16, 3, 1)])
        self.inc2_concat = c(32, 32, 1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        b = [F.relu(m(x)) for m in self.inc1] + [F.max_pool2d(x, 3, 1, 1)]
        x = F.relu(self.inc1_concat(torch.cat(b, 1)))
        b = [F.relu(m(x)) for m in self.inc2]
        x = F.relu(self.inc2_concat(torch.cat(b, 1)))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def train_lenet(model, epochs, fmnist):
    x = torch.from_numpy(read_idx(os.path.join(fmnist, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0)[:, None]
    y = torch.from_numpy(read_idx(os.path.join(fmnist, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    g = torch.Generator().manual_seed(0)
    for epoch in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            loss = F.cross_entropy(model(x[idx], logits=True), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"lenet epoch {epoch + 1}: loss {loss.item():.3f}")
    with torch.no_grad():
        model.conv2.weight.mul_(model.mask)


def export(model, shape, path):
    model.eval()

    class Frozen(nn.Module):  # exports conv2 with its masked weights as a plain Conv
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m(x)

    torch.onnx.export(Frozen(model), torch.zeros(shape), path, input_names=["input"], output_names=["output"],
                      opset_version=13, do_constant_folding=True)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "samples", "ini"))
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--fmnist", default=os.environ.get("N2D2_DATA", FMNIST_DIR))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    lenet = LeNet()
    if a.epochs > 0 and os.path.exists(os.path.join(a.fmnist, "train-images-idx3-ubyte.gz")):
        train_lenet(lenet, a.epochs, a.fmnist)
    else:
        print("lenet: no Fashion-MNIST training set, random weights")
    export(lenet, (8, 1, 32, 32), os.path.join(a.out, "lenet_fmnist_twin.onnx"))
    torch.manual_seed(2)
    export(Inception(), (1, 3, 32, 32), os.path.join(a.out, "inception_twin.onnx"))


if __name__ == "__main__":
    main()
