// QGemm on the integer dot-product cores (quant_cores.h) for uint8/int8 activations and int8
// weights (QConv runs on the panel engine of qconv_panel.cpp): operands are packed into rows of
// Kp bytes (K rounded up to 64, zero tail). int8 activations are
// offset to uint8 (x + 128, i.e. x ^ 0x80; padding becomes 128) and the offset is removed with
// the weight sums: sum (x + 128) w - 128 sum w. The epilogue adds the bias in int64 and saturates
// to int32 exactly as the reference. Registered before the reference kernels; declines when the
// CPU (or N2D2_MAX_ISA) lacks the ISA, the types are others, or K exceeds kCoreMaxK. Constant
// weights are packed once per Plan (prepare); run outside a Plan, they are packed per call.
#include <cpuid.h>

#include <cstring>
#include <memory>
#include <vector>

#include "graph/ops/quant_ops.h"
#include "kernels/cpu/isa.h"
#include "kernels/parallel.h"
#include "kernels/quant/quant_kernels.h"

namespace n2d2::kernels {

namespace detail {

std::string require_avx512_vnni() {
  std::string r = require_isa(Isa::Avx512);
  if (!r.empty()) return r;
  static const bool vnni = [] {
    unsigned a, b, c, d;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 11)) != 0;
  }();
  return vnni ? "" : "the CPU lacks avx512_vnni";
}

QDotCore best_qdot_core() {
  if (require_avx512_vnni().empty()) return qdot_u8s8_vnni;
  if (require_isa(Isa::Avx2).empty()) return qdot_u8s8_avx2;
  return qdot_u8s8_ref;
}

}  // namespace detail

namespace {

using detail::QDotCore;
namespace q = n2d2::quant;

int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// Weights rows [rows x K] -> [rows x Kp] zero-padded, and per-row sums (for the int8 offset).
void pack_weights(const int8_t* w, int64_t rows, int64_t K, int64_t Kp, std::vector<int8_t>& out,
                  std::vector<int64_t>& sums) {
  out.assign(static_cast<std::size_t>(rows * Kp), 0);
  sums.assign(static_cast<std::size_t>(rows), 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < K; ++k) {
      out[r * Kp + k] = w[r * K + k];
      sums[r] += w[r * K + k];
    }
}

// Weights packed once per Plan (KernelImpl::prepare) when they are constant.
struct PackedWeights {
  int64_t rows = 0, K = 0, Kp = 0;
  std::vector<int8_t> data;
  std::vector<int64_t> sums;
};

std::shared_ptr<const void> prepare_weights(const KernelQuery& q, std::span<const Tensor* const> constants) {
  if (constants.size() < 2 || !constants[1] || constants[1]->dtype() != DType::I8 || constants[1]->rank() < 2)
    return nullptr;
  const Tensor& w = *constants[1];
  auto p = std::make_shared<PackedWeights>();
  p->rows = w.dim(0);
  p->K = w.numel() / p->rows;
  p->Kp = round_up(p->K, detail::kCoreKStep);
  pack_weights(w.data<int8_t>(), p->rows, p->K, p->Kp, p->data, p->sums);
  (void)q;
  return p;
}

// The prepared packing when it fits `w`, else `local` packed now.
const PackedWeights& weights_for(const KernelContext& c, const Tensor& w, int64_t rows, int64_t K, int64_t Kp,
                                 PackedWeights& local) {
  const auto* p = static_cast<const PackedWeights*>(c.prepared);
  if (p && p->rows == rows && p->K == K && p->Kp == Kp) return *p;
  local.rows = rows;
  local.K = K;
  local.Kp = Kp;
  pack_weights(w.data<int8_t>(), rows, K, Kp, local.data, local.sums);
  return local;
}

// y[m * ldm + p * ldp] = sat_i32(y + bias[m] - offset * wsum[m]) for the tile's rows.
void epilogue(int32_t* y, int64_t M, int64_t P, int64_t ldm, int64_t ldp, const int32_t* bias, const int64_t* wsum,
              int64_t offset) {
  for (int64_t m = 0; m < M; ++m) {
    int64_t add = (bias ? bias[m] : 0) - offset * wsum[m];
    if (add == 0) continue;
    for (int64_t p = 0; p < P; ++p) {
      int32_t& v = y[m * ldm + p * ldp];
      v = q::saturate_i32(int64_t{v} + add);
    }
  }
}

template <class X>
Status qgemm_x86(const KernelContext& c, QDotCore core) {
  const Tensor &a = c.in(0), &w = c.in(1);
  int64_t M = a.dim(0), K = a.dim(1), N = w.dim(0), Kp = round_up(K, detail::kCoreKStep);
  constexpr int64_t kOffset = std::is_same_v<X, int8_t> ? 128 : 0;
  PackedWeights local;
  const PackedWeights& pw = weights_for(c, w, N, K, Kp, local);
  const std::vector<int8_t>& wpack = pw.data;
  const std::vector<int64_t>& wsum = pw.sums;
  std::vector<uint8_t> apack(static_cast<std::size_t>(M * Kp), 0);
  const X* ap = a.data<X>();
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k) apack[i * Kp + k] = static_cast<uint8_t>(static_cast<int>(ap[i * K + k]) + kOffset);
  const int32_t* bp = c.has_input(2) ? c.in(2).data<int32_t>() : nullptr;
  int32_t* y = c.out(0).data_mut<int32_t>();
  constexpr int64_t kNBlock = 16, kMBlock = 16;
  int64_t nb = (N + kNBlock - 1) / kNBlock, mb = (M + kMBlock - 1) / kMBlock;
  // Core rows are the outputs n (A = weights), core columns the batch rows i: C[n][i] = y[i * N + n].
  parallel_for(nb * mb, 1, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      int64_t n0 = (t / mb) * kNBlock, i0 = (t % mb) * kMBlock;
      int64_t nc = std::min(kNBlock, N - n0), ic = std::min(kMBlock, M - i0);
      int32_t* yt = y + i0 * N + n0;
      core(nc, ic, Kp, wpack.data() + n0 * Kp, apack.data() + i0 * Kp, yt, 1, N);
      epilogue(yt, nc, ic, 1, N, bp ? bp + n0 : nullptr, wsum.data() + n0, kOffset);
    }
  });
  return Status::ok();
}

std::string operand_supports(const KernelQuery& q, bool conv) {
  DType xt = q.input_types[0].dtype, wt = q.input_types[1].dtype;
  if (xt != DType::U8 && xt != DType::I8) return std::string("activations are ") + dtype_name(xt) + ", not uint8/int8";
  if (wt != DType::I8) return std::string("weights are ") + dtype_name(wt) + ", not int8";
  const TensorType& w = q.input_types[1];
  if (!w.fully_known()) return "weight shape unknown";
  if (conv && q.input_types[0].rank_known && q.input_types[0].rank() > 5) return "more than 3 spatial axes";
  int64_t k = 1;
  for (std::size_t i = 1; i < w.rank(); ++i) k *= w.dims[i];
  if (k > detail::kCoreMaxK) return "K = " + std::to_string(k) + " could overflow int32 partial sums";
  return "";
}

template <bool Conv>
std::string vnni_supports(const KernelQuery& q) {
  std::string r = detail::require_avx512_vnni();
  return r.empty() ? operand_supports(q, Conv) : r;
}
template <bool Conv>
std::string avx2_supports(const KernelQuery& q) {
  std::string r = require_isa(Isa::Avx2);
  return r.empty() ? operand_supports(q, Conv) : r;
}

template <bool Conv, QDotCore Core>
Status run_x86(const KernelContext& c) {
  static_assert(!Conv, "QConv runs on the panel engine (qconv_panel.cpp)");
  return c.in(0).dtype() == DType::I8 ? qgemm_x86<int8_t>(c, Core) : qgemm_x86<uint8_t>(c, Core);
}

}  // namespace

void register_quant_x86_kernels(KernelRegistry& r) {
  const char* d = graph::kN2D2Domain;
  r.add({"qgemm_u8s8_vnni", "QGemm", d, vnni_supports<false>, run_x86<false, detail::qdot_u8s8_vnni>, prepare_weights});
  r.add({"qgemm_u8s8_avx2", "QGemm", d, avx2_supports<false>, run_x86<false, detail::qdot_u8s8_avx2>, prepare_weights});
}

}  // namespace n2d2::kernels
