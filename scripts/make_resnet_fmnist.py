#!/usr/bin/env python3
"""Trains the small residual CNN of docs/quantization.md on Fashion-MNIST and writes
samples/resnet_fmnist/{model.onnx,input_0.npy,labels.npy,meta.json}.

ResNet-fmnist: conv3x3 16 + BN + ReLU, maxpool 2, BasicBlock(16, 16), BasicBlock(16, 32, stride 2,
1x1 downsample + BN), global average pool, flatten, fc 10. BatchNormalization is kept in the
ONNX file (the quantizer folds it). Seeded (torch seed 0), Adam lr 3e-3, batch 128.

usage: /usr/bin/python3 scripts/make_resnet_fmnist.py [--fmnist DIR] [--epochs N] [--out DIR]
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResNetFmnist(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.block1 = Block(16, 16, 1)
        self.block2 = Block(16, 32, 2)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        x = self.block2(self.block1(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fmnist", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "samples", "resnet_fmnist"))
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    xtr = torch.from_numpy(read_idx(os.path.join(a.fmnist, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255)
    ytr = torch.from_numpy(read_idx(os.path.join(a.fmnist, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    xte = torch.from_numpy(read_idx(os.path.join(a.fmnist, "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255)
    yte = torch.from_numpy(read_idx(os.path.join(a.fmnist, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    xtr, xte = xtr.unsqueeze(1), xte.unsqueeze(1)
    model = ResNetFmnist()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(xtr.shape[0])
        t0, total = time.time(), 0.0
        for i in range(0, xtr.shape[0], 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += float(loss) * idx.numel()
        print(f"resnet_fmnist: epoch {epoch + 1} loss {total / xtr.shape[0]:.4f} ({time.time() - t0:.1f}s)", flush=True)
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + 500]).argmax(1) for i in range(0, xte.shape[0], 500)])
    acc = float((pred == yte).float().mean())
    print(f"resnet_fmnist: test accuracy {acc * 100:.2f}%")
    os.makedirs(a.out, exist_ok=True)
    x = xte[:8].clone()
    torch.onnx.export(model, x, os.path.join(a.out, "model.onnx"), input_names=["input"], output_names=["logits"],
                      opset_version=13, do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL)
    np.save(os.path.join(a.out, "input_0.npy"), x.numpy())
    np.save(os.path.join(a.out, "labels.npy"), yte[:8].numpy())
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump({"name": "resnet_fmnist", "source": __doc__.split("\n\n")[1].replace("\n", " "),
                   "epochs": a.epochs, "test_accuracy": acc, "producer": f"torch {torch.__version__}"}, f, indent=2)


if __name__ == "__main__":
    main()
