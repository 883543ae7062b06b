// Whole integer networks (tests/golden/hw, from scripts/make_hw_models.py) through the SystemC
// model: outputs bit-identical to the graph's reference kernels, measured throughput within 2%
// of the estimator, FIFOs within their depths.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "frontends/data/idx.h"
#include "frontends/onnx/onnx_loader.h"
#include "hw/allocator.h"
#include "hw/from_graph.h"
#include "hw/systemc/verify.h"
#include "tests/test_util.h"

namespace n2d2::hw {
namespace {

void expect_verified(const std::string& model, const std::string& device, const Tensor& images) {
  graph::Graph g = onnx::load_model(test::source_path("tests/golden/hw/" + model));
  Network net = network_from_graph(g);
  Mapping m = allocate(net, find_device(device), {200, {}, {}});
  Verification v = verify(g, net, m, images);
  EXPECT_TRUE(v.bit_exact()) << v.mismatched_images << " of " << v.images << " images differ; " << v.first_mismatch;
  double err = std::abs(v.sim.cycles_per_frame - static_cast<double>(m.cycles_per_frame)) / static_cast<double>(m.cycles_per_frame);
  EXPECT_LE(err, 0.02) << "systemc " << v.sim.cycles_per_frame << " cycles/frame, estimate " << m.cycles_per_frame;
  for (const FifoStats& f : v.sim.fifos) EXPECT_LE(f.max_occupancy, f.depth) << f.name;
  std::printf("%s on %s: %lld images bit-exact=%d, systemc %.1f cycles/frame (estimate %lld), latency %lld, %.3g stage-cycles/s\n",
              model.c_str(), device.c_str(), static_cast<long long>(v.images), v.bit_exact(), v.sim.cycles_per_frame,
              static_cast<long long>(m.cycles_per_frame), static_cast<long long>(v.sim.latency_cycles), v.sim.stage_cycles_per_s);
}

TEST(HwNetwork, LenetFashionMnist100ImagesBitExact) {
  std::string dir;
  try {
    dir = data::resolve_mnist_dir("fashion-mnist");
  } catch (const Error&) {
    GTEST_SKIP() << "Fashion-MNIST not installed (scripts/setup.sh installs it)";
  }
  data::LabelledImages set = data::read_mnist(dir, data::Split::Test, 100);
  expect_verified("lenet_q.onnx", "xc7z020", data::images_to_float(set, 0, 100));
}

TEST(HwNetwork, ResidualNetworkBitExact) {
  Tensor x = test::random_tensor({8, 8, 12, 12}, 99, 0.f, 1.f);
  expect_verified("resnet_q.onnx", "xczu9eg", x);
}

}  // namespace
}  // namespace n2d2::hw
