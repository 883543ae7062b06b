#!/usr/bin/python3
"""Integer (ai.n2d2) test networks for the hardware model, with seeded random 8-bit weights:
  lenet_q.onnx   Quantize -> QConv5x5(6)+Requantize -> MaxPool2 -> QConv5x5(16)+Requantize -> MaxPool2
                 -> Flatten -> QGemm(120) -> QGemm(84) -> QGemm(10, signed) -> Dequantize   (1x1x28x28)
  resnet_q.onnx  a small residual network (QAdd, Concat) on 1x8x12x12
  unsupported_q.onnx  an integer network with QGlobalSumPool (no hardware block)
  float_rescaling_q.onnx  Floating-point Requantize (no hardware rescaler)
  float.onnx     a float Conv network (the hardware refuses it)
Usage: make_hw_models.py OUTDIR [--seed N]"""
import os, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

D = "ai.n2d2"


def build(name, nodes, inits, x_shape, y_shape, out):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid(D, 1)])
    onnx.save(m, out)


class Net:
    def __init__(self, rng):
        self.rng, self.nodes, self.inits, self.k = rng, [], [], 0

    def name(self, p):
        self.k += 1
        return f"{p}{self.k}"

    def conv(self, x, cin, cout, k, shift, stride=1, pad=0, group=1, signed=0, mode="Single-shift"):
        n = self.name("conv")
        w = self.rng.integers(-127, 128, size=(cout, cin // group, k, k), dtype=np.int8)
        b = self.rng.integers(-2000, 2000, size=(cout,), dtype=np.int32)
        self.inits += [numpy_helper.from_array(w, n + "_w"), numpy_helper.from_array(b, n + "_b")]
        self.nodes.append(helper.make_node("QConv", [x, n + "_w", n + "_b"], [n + "_acc"], name=n, domain=D,
                                           kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4, group=group))
        return self.requant(n, cout, shift, signed, mode)

    def requant(self, n, c, shift, signed, mode):
        attrs = dict(mode=mode, nbbits=8, signed=signed)
        if mode == "Fixed-point16":
            attrs["multiplier"] = [int(v) for v in self.rng.integers(8000, 30000, size=c)]
            attrs["shift"] = [shift + 14] * c
        else:
            attrs["shift"] = [shift]
        self.nodes.append(helper.make_node("Requantize", [n + "_acc"], [n + "_q"], name=n + "_rq", domain=D, **attrs))
        return n + "_q"

    def gemm(self, x, k, nout, shift, signed=0):
        n = self.name("fc")
        w = self.rng.integers(-127, 128, size=(nout, k), dtype=np.int8)
        b = self.rng.integers(-2000, 2000, size=(nout,), dtype=np.int32)
        self.inits += [numpy_helper.from_array(w, n + "_w"), numpy_helper.from_array(b, n + "_b")]
        self.nodes.append(helper.make_node("QGemm", [x, n + "_w", n + "_b"], [n + "_acc"], name=n, domain=D))
        return self.requant(n, nout, shift, signed, "Single-shift")

    def pool(self, x):
        n = self.name("pool")
        self.nodes.append(helper.make_node("MaxPool", [x], [n], name=n, kernel_shape=[2, 2], strides=[2, 2]))
        return n

    def add(self, a, b, shift):
        n = self.name("add")
        self.nodes.append(helper.make_node("QAdd", [a, b], [n + "_acc"], name=n, domain=D, a_multiplier=3, b_multiplier=2))
        return self.requant(n, 0, shift, 0, "Single-shift")


def lenet_layers(n, x):
    """The LeNet-style layers after the input Quantize `x` (also scripts/hw_calibrate.py's check net)."""
    x = n.conv(x, 1, 6, 5, 13)
    x = n.pool(x)
    x = n.conv(x, 6, 16, 5, 8, mode="Fixed-point16")
    x = n.pool(x)
    n.nodes.append(helper.make_node("Flatten", [x], ["flat"], name="flatten", axis=1))
    x = n.gemm("flat", 256, 120, 10)
    x = n.gemm(x, 120, 84, 9)
    x = n.gemm(x, 84, 10, 9, signed=1)
    n.nodes.append(helper.make_node("Dequantize", [x], ["y"], name="dequantize", domain=D, scale=0.05))


def main():
    out = sys.argv[1]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = Net(rng)
    n.nodes.append(helper.make_node("Quantize", ["x"], ["xq"], name="quantize", domain=D, scale=1.0 / 255, nbbits=8, signed=0))
    lenet_layers(n, "xq")
    build("lenet_q", n.nodes, n.inits, [1, 1, 28, 28], [1, 10], os.path.join(out, "lenet_q.onnx"))

    n = Net(rng)
    n.nodes.append(helper.make_node("Quantize", ["x"], ["xq"], name="quantize", domain=D, scale=1.0 / 255, nbbits=8, signed=0))
    a = n.conv("xq", 8, 8, 3, 13, pad=1)
    b = n.conv(a, 8, 8, 3, 11, pad=1)
    b = n.conv(b, 8, 8, 3, 12, pad=1, group=8)
    s = n.add(a, b, 2)
    c = n.conv(s, 8, 4, 1, 10)
    n.nodes.append(helper.make_node("Concat", [s, c], ["cat"], name="concat", axis=1))
    p = n.pool("cat")
    n.nodes.append(helper.make_node("Dequantize", [p], ["y"], name="dequantize", domain=D, scale=0.05))
    build("resnet_q", n.nodes, n.inits, [1, 8, 12, 12], [1, 12, 6, 6], os.path.join(out, "resnet_q.onnx"))

    n = Net(rng)
    n.nodes.append(helper.make_node("Quantize", ["x"], ["xq"], name="quantize", domain=D, scale=1.0 / 255, nbbits=8, signed=0))
    a = n.conv("xq", 1, 4, 3, 10)
    n.nodes.append(helper.make_node("QGlobalSumPool", [a], ["gsum"], name="gap", domain=D))
    n.nodes.append(helper.make_node("Requantize", ["gsum"], ["gq"], name="gap_rq", domain=D, mode="Single-shift", nbbits=8, shift=[4]))
    n.nodes.append(helper.make_node("Dequantize", ["gq"], ["y"], name="dequantize", domain=D, scale=0.05))
    build("gap_q", n.nodes, n.inits, [1, 1, 8, 8], [1, 4, 1, 1], os.path.join(out, "unsupported_q.onnx"))

    n = Net(rng)
    n.nodes.append(helper.make_node("Quantize", ["x"], ["xq"], name="quantize", domain=D, scale=1.0 / 255, nbbits=8, signed=0))
    wq = rng.integers(-127, 128, size=(4, 1, 3, 3), dtype=np.int8)
    n.inits.append(numpy_helper.from_array(wq, "c_w"))
    n.nodes.append(helper.make_node("QConv", ["xq", "c_w"], ["c_acc"], name="conv", domain=D, kernel_shape=[3, 3]))
    n.nodes.append(helper.make_node("Requantize", ["c_acc"], ["c_q"], name="conv_rq", domain=D, mode="Floating-point",
                                    nbbits=8, signed=0, scale=[0.001]))
    n.nodes.append(helper.make_node("Dequantize", ["c_q"], ["y"], name="dequantize", domain=D, scale=0.05))
    build("floatrq_q", n.nodes, n.inits, [1, 1, 8, 8], [1, 4, 6, 6], os.path.join(out, "float_rescaling_q.onnx"))

    w = numpy_helper.from_array(rng.standard_normal((4, 1, 3, 3)).astype(np.float32), "w")
    conv = helper.make_node("Conv", ["x", "w"], ["y"], name="conv", kernel_shape=[3, 3])
    build("float_net", [conv], [w], [1, 1, 8, 8], [1, 4, 6, 6], os.path.join(out, "float.onnx"))


if __name__ == "__main__":
    main()
