// Gemm, MatMul (constant 2-D B) and ai.n2d2 FusedGemm on the prepacked GEMM (prepacked.h), one
// implementation per ISA, registered before the x86 and reference kernels. prepare() packs the
// constant B once per Plan; run() packs it itself when called unprepared. supports() declines,
// naming why, for other types, a B that is not a constant (Gemm, MatMul: the x86 kernels take
// those) or an ISA the CPU or N2D2_MAX_ISA does not allow.
#include <string>

#include "kernels/gemm/prepacked.h"
#include "kernels/nn_family.h"

namespace n2d2::kernels {

namespace {

using detail::PrepackedB;

// K and N of a 2-D B (transposed when trans_b).
void b_dims(const Shape& b, bool trans_b, int64_t& K, int64_t& N) {
  K = b[trans_b ? 1 : 0];
  N = b[trans_b ? 0 : 1];
}

template <Isa isa>
std::shared_ptr<const void> prepare_b(const KernelQuery& q, std::span<const Tensor* const> constants, bool trans_b) {
  if (constants.size() < 2 || !constants[1]) return nullptr;
  const Tensor& b = *constants[1];
  if (b.dtype() != DType::F32 || b.rank() != 2)
    throw Error("node " + q.node.label() + ": B " + b.type().str() + " is not a 2-D float32 matrix");
  int64_t K = 0, N = 0;
  b_dims(b.shape(), trans_b, K, N);
  return detail::prepack_b(b.data<float>(), K, N, trans_b, detail::prepacked_nr(isa));
}

template <Isa isa>
std::shared_ptr<const void> prepare_gemm(const KernelQuery& q, std::span<const Tensor* const> constants) {
  return prepare_b<isa>(q, constants, q.node.attrs.i("transB") != 0);
}
template <Isa isa>
std::shared_ptr<const void> prepare_matmul(const KernelQuery& q, std::span<const Tensor* const> constants) {
  return prepare_b<isa>(q, constants, false);
}

// The prepared panels when set (checked against B's shape), else B packed now into `local`.
template <Isa isa>
const PrepackedB* panels_of(const KernelContext& c, int64_t K, int64_t N, bool trans_b,
                            std::shared_ptr<const PrepackedB>& local) {
  const auto* p = static_cast<const PrepackedB*>(c.prepared);
  if (!p) p = (local = detail::prepack_b(c.in(1).data<float>(), K, N, trans_b, detail::prepacked_nr(isa))).get();
  return p->K == K && p->N == N && p->nr == detail::prepacked_nr(isa) ? p : nullptr;
}

// Gemm (fused = false) and FusedGemm: Y = act(alpha * op(A) * op(B) + beta * C).
template <Isa isa, bool fused>
Status run_gemm(const KernelContext& c) {
  const Tensor &a = c.in(0), &b = c.in(1);
  Tensor& y = c.out(0);
  if (a.rank() != 2 || b.rank() != 2 || y.rank() != 2) return Status::error("A and B must be 2-D");
  const bool ta = c.attrs().i("transA") != 0, tb = c.attrs().i("transB") != 0;
  const int64_t M = y.shape()[0], N = y.shape()[1], K = a.shape()[ta ? 0 : 1];
  int64_t kb = 0, nb = 0;
  b_dims(b.shape(), tb, kb, nb);
  if (kb != K || nb != N || a.shape()[ta ? 1 : 0] != M)
    return Status::error("A [", shape_str(a.shape()), "] and B [", shape_str(b.shape()), "] do not give Y [",
                         shape_str(y.shape()), "]");
  detail::GemmEpilogue e;
  e.alpha = c.attrs().f("alpha");
  e.beta = c.attrs().f("beta");
  if (c.has_input(2)) {
    const Shape& cs = c.in(2).shape();
    if (cs.size() > 2) return Status::error("C [", shape_str(cs), "] has rank > 2");
    e.c = c.in(2).data<float>();
    e.c_cols = cs.empty() ? 1 : cs.back();
    e.c_rows = cs.size() == 2 ? cs[0] : 1;
    if ((e.c_cols != 1 && e.c_cols != N) || (e.c_rows != 1 && e.c_rows != M))
      return Status::error("C [", shape_str(cs), "] does not broadcast to [", M, "x", N, "]");
  }
  if constexpr (fused) {
    const std::string act = c.attrs().s("activation");
    if (!act.empty() && !detail::activation_from_name(act, e.act)) return Status::error("unknown activation '", act, "'");
    e.act_alpha = c.attrs().f("activation_alpha");
    e.act_beta = c.attrs().f("activation_beta");
  }
  std::shared_ptr<const PrepackedB> local;
  const PrepackedB* p = panels_of<isa>(c, K, N, tb, local);
  if (!p) return Status::error("packed B does not match B [", shape_str(b.shape()), "]");
  detail::prepacked_gemm(isa, M, N, K, a.data<float>(), ta, *p, y.data_mut<float>(), e);
  return Status::ok();
}

// MatMul of A [..., M, K] (or [K]) and a 2-D B [K, N]: A's leading dimensions stack into rows.
template <Isa isa>
Status run_matmul(const KernelContext& c) {
  const Tensor &a = c.in(0), &b = c.in(1);
  if (b.rank() != 2 || a.rank() < 1) return Status::error("B must be 2-D and A at least 1-D");
  const int64_t K = b.shape()[0], N = b.shape()[1];
  if (a.shape().back() != K)
    return Status::error("A [", shape_str(a.shape()), "] and B [", shape_str(b.shape()), "] differ in K");
  const Shape& as = a.shape();
  const int64_t M = shape_numel(Shape(as.begin(), as.end() - 1));
  if (c.out(0).numel() != M * N) return Status::error("Y [", shape_str(c.out(0).shape()), "] is not ", M, "x", N);
  std::shared_ptr<const PrepackedB> local;
  const PrepackedB* p = panels_of<isa>(c, K, N, false, local);
  if (!p) return Status::error("packed B does not match B [", shape_str(b.shape()), "]");
  detail::prepacked_gemm(isa, M, N, K, a.data<float>(), false, *p, c.out(0).data_mut<float>(), {});
  return Status::ok();
}

template <Isa isa>
std::string supports_gemm(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  if (!q.input_is_constant(1)) return "B is not a constant";
  return require_isa(isa);
}

template <Isa isa>
std::string supports_matmul(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  if (!r.empty()) return r;
  if (!q.input_is_constant(1)) return "B is not a constant";
  const TensorType& b = q.input_types[1];
  if (!b.rank_known || b.rank() != 2) return "B is not 2-D";
  return require_isa(isa);
}

// FusedGemm: any B (a B that is not a constant is packed on every run).
template <Isa isa>
std::string supports_fused(const KernelQuery& q) {
  std::string r = require_input_dtypes(q, {DType::F32});
  return r.empty() ? require_isa(isa) : r;
}

}  // namespace

void register_gemm_prepacked_kernels(KernelRegistry& r) {
  constexpr Isa k512 = Isa::Avx512, k2 = Isa::Avx2;
  r.add({"gemm_f32_prepacked_avx512", "Gemm", "", supports_gemm<k512>, run_gemm<k512, false>, prepare_gemm<k512>, true});
  r.add({"gemm_f32_prepacked_avx2", "Gemm", "", supports_gemm<k2>, run_gemm<k2, false>, prepare_gemm<k2>, true});
  r.add({"matmul_f32_prepacked_avx512", "MatMul", "", supports_matmul<k512>, run_matmul<k512>, prepare_matmul<k512>, true});
  r.add({"matmul_f32_prepacked_avx2", "MatMul", "", supports_matmul<k2>, run_matmul<k2>, prepare_matmul<k2>, true});
  const char* d = "ai.n2d2";
  r.add({"fused_gemm_f32_prepacked_avx512", "FusedGemm", d, supports_fused<k512>, run_gemm<k512, true>, prepare_gemm<k512>, true});
  r.add({"fused_gemm_f32_prepacked_avx2", "FusedGemm", d, supports_fused<k2>, run_gemm<k2, true>, prepare_gemm<k2>, true});
}

}  // namespace n2d2::kernels
