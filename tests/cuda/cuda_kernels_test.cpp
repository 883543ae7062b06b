// Every CUDA kernel against the CPU reference, over odd shapes (GTEST_SKIP without a GPU), and
// the CUDA registry's choices, which need no GPU.
#include <cmath>

#include "kernels/cuda/cuda_registry.h"
#include "kernels/run_node.h"
#include "tests/cuda/cuda_test_util.h"

using namespace n2d2;
using test::attrs;
using test::expect_cuda_matches_cpu;
using test::one_op;
using test::OpInput;
using test::random_tensor;
using test::runtime_inputs;

namespace {

void check(const std::string& op, const std::vector<OpInput>& ins, graph::Attributes a = {}, int64_t opset = 17,
           double atol = 1e-5, double rtol = 1e-5) {
  SCOPED_TRACE(op);
  expect_cuda_matches_cpu(one_op(op, ins, std::move(a), opset), runtime_inputs(ins), atol, rtol);
}

Tensor ints(std::vector<int64_t> v) { return Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v); }
Tensor floats(std::vector<float> v) { return Tensor::from_vector<float>({static_cast<int64_t>(v.size())}, v); }

// The CUDA kernel that would run the (single) node of `g`, or "" with the reason in `why`.
std::string cuda_choice(const graph::Graph& g, std::string& why) {
  const cuda::CudaKernelImpl* impl =
      cuda::CudaRegistry::builtin().select(kernels::make_query(g, g.node(0)), why);
  return impl ? impl->name : "";
}

}  // namespace

TEST(CudaRegistry, ChoosesKernelsAndNamesWhyNot) {
  std::string why;
  EXPECT_EQ(cuda_choice(one_op("Conv", {{random_tensor({1, 3, 9, 9}, 1)}, {random_tensor({4, 3, 3, 3}, 2), true}},
                               attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}})),
                        why),
            "conv2d_f32_cudnn");
  EXPECT_EQ(cuda_choice(one_op("Conv", {{random_tensor({1, 3, 9, 9}, 1)}, {random_tensor({4, 3, 3, 3}, 2), true}},
                               attrs({{"pads", std::vector<int64_t>{0, 0, 1, 1}}})),
                        why),
            "");
  EXPECT_NE(why.find("asymmetric padding"), std::string::npos) << why;
  EXPECT_EQ(cuda_choice(one_op("Relu", {{random_tensor({7}, 1)}}), why), "activation_f32_cudnn");
  EXPECT_EQ(cuda_choice(one_op("LeakyRelu", {{random_tensor({7}, 1)}}), why), "unary_f32_cuda");
  EXPECT_EQ(cuda_choice(one_op("Reshape", {{random_tensor({2, 6}, 1)}, {ints({3, 4}), true}}), why), "view_cuda");
  EXPECT_EQ(cuda_choice(one_op("Relu", {{Tensor::from_vector<double>({2}, {1.0, -1.0})}}), why), "");
  EXPECT_NE(why.find("not float32"), std::string::npos) << why;
  EXPECT_EQ(cuda_choice(one_op("TopK", {{random_tensor({7}, 1)}, {ints({2}), true}}, {}, 17, 2), why), "");
  EXPECT_NE(why.find("no CUDA kernel for TopK"), std::string::npos) << why;
}

TEST(CudaKernels, Conv) {
  N2D2_SKIP_WITHOUT_GPU();
  check("Conv", {{random_tensor({2, 3, 13, 11}, 1)}, {random_tensor({5, 3, 3, 3}, 2), true}, {random_tensor({5}, 3), true}},
        attrs({{"pads", std::vector<int64_t>{1, 1, 1, 1}}, {"strides", std::vector<int64_t>{2, 2}}}), 17, 1e-4, 1e-3);
  check("Conv", {{random_tensor({1, 4, 15, 17}, 4)}, {random_tensor({6, 4, 3, 3}, 5), true}},
        attrs({{"dilations", std::vector<int64_t>{2, 2}}, {"pads", std::vector<int64_t>{2, 1, 2, 1}}}), 17, 1e-4, 1e-3);
  check("Conv", {{random_tensor({1, 6, 9, 9}, 6)}, {random_tensor({6, 1, 3, 3}, 7), true}},
        attrs({{"group", int64_t{6}}, {"pads", std::vector<int64_t>{1, 1, 1, 1}}}), 17, 1e-4, 1e-3);
  check("Conv", {{random_tensor({2, 4, 17}, 8)}, {random_tensor({3, 4, 5}, 9), true}}, {}, 17, 1e-4, 1e-3);
  check("Conv", {{random_tensor({3, 7, 5, 6}, 10)}, {random_tensor({9, 7, 1, 1}, 11), true}}, {}, 17, 1e-4, 1e-3);
  // Asymmetric padding has no cuDNN kernel: the CPU runs it between two transfers.
  check("Conv", {{random_tensor({1, 3, 9, 9}, 12)}, {random_tensor({4, 3, 3, 3}, 13), true}},
        attrs({{"pads", std::vector<int64_t>{0, 0, 1, 1}}}), 17, 1e-4, 1e-3);
}

TEST(CudaKernels, Pooling) {
  N2D2_SKIP_WITHOUT_GPU();
  Tensor x = random_tensor({2, 3, 11, 13}, 20);
  check("MaxPool", {{x}}, attrs({{"kernel_shape", std::vector<int64_t>{3, 3}}, {"strides", std::vector<int64_t>{2, 2}},
                                 {"pads", std::vector<int64_t>{1, 1, 1, 1}}}));
  for (int64_t include : {0, 1})
    check("AveragePool", {{x}}, attrs({{"kernel_shape", std::vector<int64_t>{3, 2}}, {"pads", std::vector<int64_t>{1, 1, 1, 1}},
                                       {"count_include_pad", include}}));
  check("GlobalAveragePool", {{x}});
  check("GlobalMaxPool", {{x}});
  check("MaxPool", {{x}}, attrs({{"kernel_shape", std::vector<int64_t>{2, 2}}, {"strides", std::vector<int64_t>{2, 2}},
                                 {"ceil_mode", int64_t{1}}}));  // CPU fallback
}

TEST(CudaKernels, BatchNormSoftmax) {
  N2D2_SKIP_WITHOUT_GPU();
  Tensor var = random_tensor({5}, 33, 0.5f, 2.f);
  check("BatchNormalization", {{random_tensor({3, 5, 7, 6}, 30)}, {random_tensor({5}, 31), true}, {random_tensor({5}, 32), true},
                               {random_tensor({5}, 34), true}, {var, true}}, {}, 15, 1e-5, 1e-4);
  check("BatchNormalization", {{random_tensor({4, 5}, 35)}, {random_tensor({5}, 31), true}, {random_tensor({5}, 32), true},
                               {random_tensor({5}, 34), true}, {var, true}}, {}, 15, 1e-5, 1e-4);
  for (int64_t axis : {-1, 1, 0}) {
    check("Softmax", {{random_tensor({3, 7, 5}, 36)}}, attrs({{"axis", axis}}), 13, 1e-6, 1e-5);
    check("LogSoftmax", {{random_tensor({3, 7, 5}, 37)}}, attrs({{"axis", axis}}), 13, 1e-5, 1e-5);
    if (axis >= 0) check("Softmax", {{random_tensor({3, 7, 5}, 38)}}, attrs({{"axis", axis}}), 11, 1e-6, 1e-5);
  }
}

TEST(CudaKernels, GemmMatMul) {
  N2D2_SKIP_WITHOUT_GPU();
  check("Gemm", {{random_tensor({5, 7}, 40)}, {random_tensor({9, 7}, 41), true}, {random_tensor({9}, 42), true}},
        attrs({{"transB", int64_t{1}}}), 17, 1e-5, 1e-4);
  check("Gemm", {{random_tensor({7, 5}, 43)}, {random_tensor({7, 9}, 44)}, {random_tensor({5, 1}, 45)}},
        attrs({{"transA", int64_t{1}}, {"alpha", 0.5f}, {"beta", 2.f}}), 17, 1e-5, 1e-4);
  check("Gemm", {{random_tensor({3, 4}, 46)}, {random_tensor({4, 6}, 47)}}, {}, 17, 1e-5, 1e-4);
  check("MatMul", {{random_tensor({3, 5, 7}, 48)}, {random_tensor({7, 4}, 49), true}}, {}, 17, 1e-5, 1e-4);
  check("MatMul", {{random_tensor({2, 3, 5, 7}, 50)}, {random_tensor({2, 3, 7, 6}, 51)}}, {}, 17, 1e-5, 1e-4);
  check("MatMul", {{random_tensor({5, 7}, 52)}, {random_tensor({3, 7, 2}, 53)}}, {}, 17, 1e-5, 1e-4);
  check("MatMul", {{random_tensor({2, 1, 5, 7}, 54)}, {random_tensor({3, 7, 2}, 55)}}, {}, 17, 1e-5, 1e-4);  // CPU
}

TEST(CudaKernels, Unary) {
  N2D2_SKIP_WITHOUT_GPU();
  Tensor x = random_tensor({3, 17}, 60, -3.f, 3.f);
  Tensor pos = random_tensor({3, 17}, 61, 0.1f, 4.f);
  for (const char* op : {"Relu", "Sigmoid", "Tanh", "Exp", "Neg", "Abs", "Floor", "Ceil", "Erf", "LeakyRelu", "Elu",
                         "Selu", "HardSigmoid", "HardSwish", "Softplus", "Softsign"})
    check(op, {{x}}, {}, 17, 1e-5, 1e-5);
  for (const char* op : {"Log", "Sqrt", "Reciprocal"}) check(op, {{pos}}, {}, 17, 1e-5, 1e-5);
  check("LeakyRelu", {{x}}, attrs({{"alpha", 0.3f}}));
  check("Clip", {{x}, {Tensor::scalar<float>(-0.5f), true}, {Tensor::scalar<float>(1.25f), true}}, {}, 13);
  check("Clip", {{x}, {}, {Tensor::scalar<float>(0.f), true}}, {}, 13);
  check("Clip", {{x}}, attrs({{"min", 0.f}, {"max", 6.f}}), 6);
}

TEST(CudaKernels, BinaryBroadcast) {
  N2D2_SKIP_WITHOUT_GPU();
  Tensor a = random_tensor({2, 3, 4, 5}, 70);
  for (const char* op : {"Add", "Sub", "Mul", "Max", "Min"}) check(op, {{a}, {random_tensor({3, 1, 5}, 71)}});
  check("Div", {{a}, {random_tensor({5}, 72, 0.5f, 2.f), true}});
  check("Pow", {{random_tensor({2, 3}, 73, 0.1f, 2.f)}, {random_tensor({2, 1}, 74)}});
  check("PRelu", {{a}, {random_tensor({3, 1, 1}, 75), true}});
  check("Sum", {{a}, {random_tensor({1, 3, 4, 1}, 76)}});
}

TEST(CudaKernels, DataMovement) {
  N2D2_SKIP_WITHOUT_GPU();
  check("Concat", {{random_tensor({2, 3, 5}, 80)}, {random_tensor({2, 1, 5}, 81)}, {random_tensor({2, 4, 5}, 82), true}},
        attrs({{"axis", int64_t{1}}}));
  check("Concat", {{random_tensor({2, 3, 5}, 83)}, {random_tensor({2, 3, 2}, 84)}}, attrs({{"axis", int64_t{-1}}}));
  check("Transpose", {{random_tensor({2, 3, 4, 5}, 85)}}, attrs({{"perm", std::vector<int64_t>{0, 2, 3, 1}}}));
  check("Transpose", {{random_tensor({3, 7}, 86)}});
  check("Expand", {{random_tensor({3, 1}, 87)}, {ints({2, 3, 4}), true}});
  for (const char* mode : {"constant", "edge", "reflect"})
    check("Pad", {{random_tensor({2, 3, 5, 4}, 88)}, {ints({0, 0, 2, 1, 0, 0, 1, 3}), true}, {Tensor::scalar<float>(0.5f), true}},
          attrs({{"mode", std::string(mode)}}), 13);
  Tensor img = random_tensor({1, 2, 5, 7}, 89);
  for (const char* mode : {"nearest", "linear"})
    for (const char* coord : {"half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"})
      check("Resize", {{img}, {}, {floats({1, 1, 2, 1.5f}), true}},
            attrs({{"mode", std::string(mode)}, {"coordinate_transformation_mode", std::string(coord)}}), 13, 1e-5, 1e-5);
  check("Reshape", {{random_tensor({2, 6}, 90)}, {ints({3, 4}), true}});
  check("Flatten", {{random_tensor({2, 3, 4}, 91)}}, attrs({{"axis", int64_t{1}}}));
}
