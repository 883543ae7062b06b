// The prepacked Gemm, MatMul and FusedGemm kernels (kernels/gemm/prepacked_kernels.cpp) of every
// ISA level this CPU has against the reference kernels: odd shapes (every row chunk of the cores,
// several row blocks, N and K tails), transA/transB, alpha/beta, every broadcast form of
// C, every activation; prepared (B packed by prepare()) and unprepared runs give the same bits,
// and so do 1 and 2 threads. Also the FusedGemm reference against hand-computed values and the
// dispatch order. Levels the CPU lacks are skipped; N2D2_MAX_ISA does not matter here (kernels
// are run directly).
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>

#include "kernels/cpu/isa.h"
#include "tests/test_util.h"

using namespace n2d2;
using namespace n2d2::kernels;

namespace {

const KernelImpl& find_impl(const std::string& op, const std::string& domain, const std::string& name) {
  for (const KernelImpl& k : KernelRegistry::builtin().implementations(op, domain))
    if (k.name == name) return k;
  throw Error("no " + op + " kernel " + name);
}

enum class Bias { None, Scalar, Row, Row2D, Column, Full };  // C absent, [], [N], [1,N], [M,1], [M,N]
const Bias kBiases[] = {Bias::None, Bias::Scalar, Bias::Row, Bias::Row2D, Bias::Column, Bias::Full};
const char* const kActs[] = {"", "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSwish"};

struct Problem {
  int64_t M, N, K;
  bool ta = false, tb = false;
  float alpha = 1.f, beta = 1.f;
  Bias bias = Bias::None;
  std::string act;
  std::string str() const {
    return "M=" + std::to_string(M) + " N=" + std::to_string(N) + " K=" + std::to_string(K) + " ta=" + std::to_string(ta) +
           " tb=" + std::to_string(tb) + " alpha=" + std::to_string(alpha) + " beta=" + std::to_string(beta) +
           " bias=" + std::to_string(static_cast<int>(bias)) + " act=" + act;
  }
};

struct Case {
  graph::Node node;
  std::vector<Tensor> in;
  std::vector<const Tensor*> ptrs;
};

Shape bias_shape(const Problem& p) {
  switch (p.bias) {
    case Bias::Scalar: return {};
    case Bias::Row: return {p.N};
    case Bias::Row2D: return {1, p.N};
    case Bias::Column: return {p.M, 1};
    case Bias::Full: return {p.M, p.N};
    case Bias::None: break;
  }
  return {};
}

// A FusedGemm node (op "FusedGemm") or a Gemm node (op "Gemm", act ignored) with its inputs.
Case make_case(const std::string& op, const Problem& p, uint64_t seed) {
  graph::Attributes a;
  a.set("transA", int64_t{p.ta});
  a.set("transB", int64_t{p.tb});
  a.set("alpha", p.alpha);
  a.set("beta", p.beta);
  if (op == "FusedGemm") {
    a.set("activation", p.act);
    a.set("activation_alpha", p.act == "Clip" ? -0.3f : 0.1f);
    a.set("activation_beta", 0.4f);
  }
  const bool c = p.bias != Bias::None;
  Case r{op == "FusedGemm" ? test::make_node(op, c ? 3 : 2, 1, a, 1, "ai.n2d2") : test::make_node(op, c ? 3 : 2, 1, a), {}, {}};
  r.in.push_back(test::random_tensor(p.ta ? Shape{p.K, p.M} : Shape{p.M, p.K}, seed));
  r.in.push_back(test::random_tensor(p.tb ? Shape{p.N, p.K} : Shape{p.K, p.N}, seed + 1));
  if (c) r.in.push_back(test::random_tensor(bias_shape(p), seed + 2));
  for (const Tensor& t : r.in) r.ptrs.push_back(&t);
  return r;
}

KernelQuery query_of(const Case& c, bool b_constant) {
  KernelQuery q{c.node, {}, {}, {}};
  for (const Tensor& t : c.in) q.input_types.push_back(t.type());
  q.constant_inputs = {false, b_constant, c.in.size() > 2};
  return q;
}

Isa isa_of(const std::string& name) { return name.find("avx512") != std::string::npos ? Isa::Avx512 : Isa::Avx2; }

// Runs `impl` unprepared and prepared on the case against `ref`; returns the unprepared result.
// The error is normalized by the scale of the result before the activation (act(v) is at most
// 1.5-Lipschitz: HardSwish; a Clip output's own scale would inflate it).
void check_case(const KernelImpl& impl, const KernelImpl& ref, Case& c, const Problem& p) {
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  SCOPED_TRACE(std::string(impl.name) + " " + p.str());
  Tensor want = kernels::run_node(c.node, c.ptrs, ref, ops)[0];
  graph::Node pre = c.node;
  if (pre.attrs.has("activation")) pre.attrs.set("activation", std::string());
  const double scale = std::max(1e-30, test::max_abs(kernels::run_node(pre, c.ptrs, ref, ops)[0]));
  Tensor got = kernels::run_node(c.node, c.ptrs, impl, ops)[0];
  ASSERT_EQ(got.shape(), want.shape());
  EXPECT_LE(test::max_abs_diff(got, want) / scale, 1e-5);
  std::vector<const Tensor*> constants = {nullptr, &c.in[1], c.in.size() > 2 ? &c.in[2] : nullptr};
  std::shared_ptr<const void> prepared = impl.prepare(query_of(c, true), constants);
  ASSERT_NE(prepared, nullptr);
  test::expect_equal(kernels::run_node(c.node, c.ptrs, impl, ops, prepared.get())[0], got);
}

const char* const kFusedImpls[] = {"fused_gemm_f32_prepacked_avx2", "fused_gemm_f32_prepacked_avx512"};
const char* const kGemmImpls[] = {"gemm_f32_prepacked_avx2", "gemm_f32_prepacked_avx512"};
const char* const kMatMulImpls[] = {"matmul_f32_prepacked_avx2", "matmul_f32_prepacked_avx512"};

// Shapes: M through the cores' row chunks (6 rows, tails of 1 to 5) and past one 48-row task, N
// across panel tails (16 / 32 columns, 4 panels per task).
void check_shapes(const char* name) {
  const KernelImpl& impl = find_impl("FusedGemm", "ai.n2d2", name);
  if (hardware_isa() < isa_of(name)) GTEST_SKIP() << "CPU lacks " << isa_name(isa_of(name));
  const KernelImpl& ref = find_impl("FusedGemm", "ai.n2d2", "fused_gemm_ref");
  uint64_t seed = 1;
  int i = 0;
  for (int64_t M : {1, 2, 3, 7, 17, 33, 61})
    for (int64_t N : {1, 5, 17, 100, 1000})
      for (int64_t K : {1, 5, 17, 100, 1000}) {
        ++i;
        Problem p{M, N, K, (i & 1) != 0, (i & 2) != 0, i % 3 ? 1.f : 0.75f, i % 5 ? 1.f : -1.5f, kBiases[i % 6], kActs[(i / 6) % 6]};
        Case c = make_case("FusedGemm", p, seed += 3);
        check_case(impl, ref, c, p);
        if (::testing::Test::HasFailure()) return;
      }
}

// Every transpose, bias form and activation, M over every row chunk of the cores.
void check_options(const char* name) {
  const KernelImpl& impl = find_impl("FusedGemm", "ai.n2d2", name);
  if (hardware_isa() < isa_of(name)) GTEST_SKIP() << "CPU lacks " << isa_name(isa_of(name));
  const KernelImpl& ref = find_impl("FusedGemm", "ai.n2d2", "fused_gemm_ref");
  uint64_t seed = 1000;
  for (int64_t M : {1, 2, 3, 4, 5, 13})
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (Bias bias : kBiases)
          for (const char* act : kActs) {
            Problem p{M, 37, 45, ta, tb, 0.5f, 2.f, bias, act};
            Case c = make_case("FusedGemm", p, seed += 3);
            check_case(impl, ref, c, p);
            if (::testing::Test::HasFailure()) return;
          }
}

void check_threads(const char* name) {
  const KernelImpl& k = find_impl("FusedGemm", "ai.n2d2", name);
  if (hardware_isa() < isa_of(name)) GTEST_SKIP() << "CPU lacks " << isa_name(isa_of(name));
  // A GEMV over several tasks, and several row blocks and column groups.
  for (Problem p : {Problem{1, 1000, 512, false, true, 1.f, 1.f, Bias::Row, "Relu"},
                    Problem{97, 601, 600, true, false, 0.5f, 2.f, Bias::Full, "Sigmoid"}}) {
    SCOPED_TRACE(p.str());
    Case c = make_case("FusedGemm", p, 7);
    std::vector<Tensor> y1, y2;
    tbb::task_arena(1).execute([&] { y1 = kernels::run_node(c.node, c.ptrs, k, graph::OpRegistry::builtin()); });
    tbb::task_arena(2).execute([&] { y2 = kernels::run_node(c.node, c.ptrs, k, graph::OpRegistry::builtin()); });
    test::expect_equal(y1[0], y2[0]);
  }
}

}  // namespace

TEST(FusedGemm, ReferenceMatchesHandValues) {
  // 0.5 * [1 2; 3 4] * [5 6; 7 8] + [-10 -30] = 0.5 * [19 22; 43 50] + [-10 -30] = [-0.5 -19; 11.5 -5]
  const KernelImpl& ref = find_impl("FusedGemm", "ai.n2d2", "fused_gemm_ref");
  std::vector<Tensor> in = {Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4}), Tensor::from_vector<float>({2, 2}, {5, 6, 7, 8}),
                            Tensor::from_vector<float>({2}, {-10, -30})};
  std::vector<const Tensor*> ptrs = {&in[0], &in[1], &in[2]};
  struct Want {
    const char* act;
    float a, b;
    std::vector<float> y;
  };
  const Want wants[] = {
      {"", 0, 0, {-0.5f, -19, 11.5f, -5}},
      {"Relu", 0, 0, {0, 0, 11.5f, 0}},
      {"Clip", -1, 10, {-0.5f, -1, 10, -1}},
      {"LeakyRelu", 0.1f, 0, {-0.05f, -1.9f, 11.5f, -0.5f}},
      // 1 / (1 + e^0.5), 1 / (1 + e^19), 1 / (1 + e^-11.5), 1 / (1 + e^5)
      {"Sigmoid", 0, 0, {0.37754067f, 5.6027964e-9f, 0.99998987f, 0.0066928509f}},
      // v * clip(v / 6 + 0.5, 0, 1): -0.5 * 5/12, 0, 11.5 * 1, -5 * 0
      {"HardSwish", 0, 0, {-0.20833333f, 0, 11.5f, 0}},
  };
  for (const Want& w : wants) {
    SCOPED_TRACE(w.act);
    graph::Node n = test::make_node(
        "FusedGemm", 3, 1,
        test::attrs({{"alpha", 0.5f}, {"activation", std::string(w.act)}, {"activation_alpha", w.a}, {"activation_beta", w.b}}),
        1, "ai.n2d2");
    test::expect_near(kernels::run_node(n, ptrs, ref, graph::OpRegistry::builtin())[0],
                      Tensor::from_vector<float>({2, 2}, w.y), 1e-6, 1e-6);
  }
  // transB with beta: [1 2] * [[1 0], [0 1], [1 1]]^T * 2 + 3 * [1 -1 0] = 2 * [1 2 3] + [3 -3 0]
  graph::Node tb = test::make_node("FusedGemm", 3, 1, test::attrs({{"alpha", 2.f}, {"beta", 3.f}, {"transB", int64_t{1}}}), 1,
                                   "ai.n2d2");
  std::vector<Tensor> in2 = {Tensor::from_vector<float>({1, 2}, {1, 2}), Tensor::from_vector<float>({3, 2}, {1, 0, 0, 1, 1, 1}),
                             Tensor::from_vector<float>({3}, {1, -1, 0})};
  std::vector<const Tensor*> p2 = {&in2[0], &in2[1], &in2[2]};
  test::expect_near(kernels::run_node(tb, p2, ref, graph::OpRegistry::builtin())[0], Tensor::from_vector<float>({1, 3}, {5, 1, 6}));
}

TEST(FusedGemm, SchemaRejectsUnknownActivation) {
  std::vector<Tensor> in = {test::random_tensor({2, 3}, 1), test::random_tensor({3, 4}, 2)};
  std::vector<const Tensor*> ptrs = {&in[0], &in[1]};
  graph::Node n = test::make_node("FusedGemm", 2, 1, test::attrs({{"activation", std::string("Tanh")}}), 1, "ai.n2d2");
  EXPECT_THROW(kernels::evaluate_node(n, ptrs), Error);
}

TEST(GemmPrepacked, FusedAvx2MatchesReferenceOverShapes) { check_shapes(kFusedImpls[0]); }
TEST(GemmPrepacked, FusedAvx512MatchesReferenceOverShapes) { check_shapes(kFusedImpls[1]); }
TEST(GemmPrepacked, FusedAvx2MatchesReferenceOverOptions) { check_options(kFusedImpls[0]); }
TEST(GemmPrepacked, FusedAvx512MatchesReferenceOverOptions) { check_options(kFusedImpls[1]); }
TEST(GemmPrepacked, FusedAvx2IsThreadIndependent) { check_threads(kFusedImpls[0]); }
TEST(GemmPrepacked, FusedAvx512IsThreadIndependent) { check_threads(kFusedImpls[1]); }

TEST(GemmPrepacked, GemmMatchesReference) {
  const KernelImpl& ref = find_impl("Gemm", "", "gemm_ref");
  int checked = 0;
  for (const char* name : kGemmImpls) {
    if (hardware_isa() < isa_of(name)) continue;
    const KernelImpl& k = find_impl("Gemm", "", name);
    uint64_t seed = 500;
    for (Problem p : {Problem{1, 1000, 512, false, true, 1.f, 1.f, Bias::Row}, Problem{8, 500, 800, false, true, 1.f, 1.f, Bias::Row},
                      Problem{1, 10, 500, false, true, 1.f, 1.f, Bias::Row2D}, Problem{5, 33, 70, true, false, -1.f, 0.5f, Bias::Column},
                      Problem{19, 65, 300, true, true, 2.f, 1.f, Bias::Scalar}, Problem{3, 7, 9, false, false, 1.f, 1.f, Bias::None},
                      Problem{12, 64, 257, false, false, 1.f, -2.f, Bias::Full}}) {
      Case c = make_case("Gemm", p, seed += 3);
      check_case(k, ref, c, p);
      ++checked;
    }
  }
  if (checked == 0) GTEST_SKIP() << "CPU lacks avx2";
}

TEST(GemmPrepacked, MatMulMatchesReference) {
  // A 1-D, 2-D and batched against a constant 2-D B.
  const KernelImpl& ref = find_impl("MatMul", "", "matmul_ref");
  const graph::OpRegistry& ops = graph::OpRegistry::builtin();
  int checked = 0;
  for (const char* name : kMatMulImpls) {
    if (hardware_isa() < isa_of(name)) continue;
    const KernelImpl& k = find_impl("MatMul", "", name);
    uint64_t seed = 900;
    for (Shape as : {Shape{300}, Shape{1, 300}, Shape{7, 300}, Shape{2, 3, 300}, Shape{4, 1, 5, 300}}) {
      SCOPED_TRACE(std::string(name) + " A [" + shape_str(as) + "]");
      std::vector<Tensor> in = {test::random_tensor(as, seed += 2), test::random_tensor({300, 45}, seed + 1)};
      std::vector<const Tensor*> ptrs = {&in[0], &in[1]};
      graph::Node n = test::make_node("MatMul", 2, 1);
      Tensor want = kernels::run_node(n, ptrs, ref, ops)[0];
      Tensor got = kernels::run_node(n, ptrs, k, ops)[0];
      ASSERT_EQ(got.shape(), want.shape());
      EXPECT_LE(test::max_abs_diff(got, want), 1e-5 * test::max_abs(want));
      KernelQuery q{n, {in[0].type(), in[1].type()}, {}, {false, true}};
      std::vector<const Tensor*> constants = {nullptr, &in[1]};
      std::shared_ptr<const void> prepared = k.prepare(q, constants);
      test::expect_equal(kernels::run_node(n, ptrs, k, ops, prepared.get())[0], got);
      ++checked;
    }
  }
  if (checked == 0) GTEST_SKIP() << "CPU lacks avx2";
}

TEST(GemmPrepacked, EmptyInnerDimensionGivesTheEpilogueOfZeros) {
  // K = 0: Y = act(beta * C) = Relu(2 * [1 -1 3]) on both rows.
  for (const char* name : kFusedImpls) {
    if (hardware_isa() < isa_of(name)) continue;
    SCOPED_TRACE(name);
    std::vector<Tensor> in = {Tensor(DType::F32, {2, 0}), Tensor(DType::F32, {0, 3}), Tensor::from_vector<float>({3}, {1, -1, 3})};
    std::vector<const Tensor*> ptrs = {&in[0], &in[1], &in[2]};
    graph::Node n = test::make_node("FusedGemm", 3, 1, test::attrs({{"beta", 2.f}, {"activation", std::string("Relu")}}), 1, "ai.n2d2");
    test::expect_equal(kernels::run_node(n, ptrs, find_impl("FusedGemm", "ai.n2d2", name), graph::OpRegistry::builtin())[0],
                       Tensor::from_vector<float>({2, 3}, {2, 0, 6, 2, 0, 6}));
  }
}

TEST(GemmPrepacked, PreparedBMustMatchTheNode) {
  const char* name = kGemmImpls[0];
  if (hardware_isa() < isa_of(name)) GTEST_SKIP() << "CPU lacks avx2";
  const KernelImpl& k = find_impl("Gemm", "", name);
  Problem p{2, 8, 6, false, true};
  Case c = make_case("Gemm", p, 3), other = make_case("Gemm", Problem{2, 9, 6, false, true}, 4);
  std::vector<const Tensor*> constants = {nullptr, &other.in[1]};
  std::shared_ptr<const void> prepared = k.prepare(query_of(other, true), constants);
  EXPECT_THROW(kernels::run_node(c.node, c.ptrs, k, graph::OpRegistry::builtin(), prepared.get()), Error);
}

TEST(GemmPrepacked, DispatchOrderAndReasons) {
  // The prepacked kernels come first, the reference last.
  for (const char* op : {"Gemm", "MatMul"}) {
    std::vector<std::string> names;
    for (const KernelImpl& k : KernelRegistry::builtin().implementations(op)) names.push_back(k.name);
    const std::string lower = op == std::string("Gemm") ? "gemm" : "matmul";
    ASSERT_GE(names.size(), 5u);
    EXPECT_EQ(names[0], lower + "_f32_prepacked_avx512");
    EXPECT_EQ(names[1], lower + "_f32_prepacked_avx2");
    EXPECT_EQ(names[2], lower + "_f32_avx512");
    EXPECT_EQ(names.back(), lower + "_ref");
  }
  std::vector<std::string> fused;
  for (const KernelImpl& k : KernelRegistry::builtin().implementations("FusedGemm", "ai.n2d2")) fused.push_back(k.name);
  EXPECT_EQ(fused, (std::vector<std::string>{kFusedImpls[1], kFusedImpls[0], "fused_gemm_ref"}));
  // A B that is not a constant goes to the x86 kernels; the ISA decides the rest.
  Case c = make_case("Gemm", Problem{1, 10, 20, false, true}, 1);
  const KernelImpl& avx2 = find_impl("Gemm", "", kGemmImpls[0]);
  const KernelImpl& avx512 = find_impl("Gemm", "", kGemmImpls[1]);
  EXPECT_EQ(avx2.supports(query_of(c, false)), "B is not a constant");
  EXPECT_EQ(avx2.supports(query_of(c, true)), require_isa(Isa::Avx2));
  EXPECT_EQ(avx512.supports(query_of(c, true)), require_isa(Isa::Avx512));
  if (max_isa() < Isa::Avx512) EXPECT_NE(avx512.supports(query_of(c, true)), "");
  // MatMul needs a 2-D B.
  graph::Node mm = test::make_node("MatMul", 2, 1);
  KernelQuery q{mm, {TensorType(DType::F32, {2, 3, 4}), TensorType(DType::F32, {2, 4, 5})}, {}, {false, true}};
  EXPECT_EQ(find_impl("MatMul", "", kMatMulImpls[0]).supports(q), "B is not 2-D");
}
