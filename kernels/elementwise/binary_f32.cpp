// Vectorized float Add / Sub / Mul / Div (binary_f32.h), registered before the broadcasting
// reference: both operands of the output's shape, or one of them a single element; chunks of a
// fixed size (results do not depend on the thread count). Anything else (general broadcasting,
// other types, opset-1 `broadcast`/`axis` with different shapes) is left to arith_ref.
#include <string>

#include "kernels/cpu/isa.h"
#include "kernels/elementwise/binary_f32.h"
#include "kernels/elementwise/elementwise_kernels.h"
#include "kernels/parallel.h"

namespace n2d2::kernels {

namespace {

using detail::BinaryF32;

bool op_of(const std::string& t, BinaryF32& op) {
  if (t == "Add") op = BinaryF32::Add;
  else if (t == "Sub") op = BinaryF32::Sub;
  else if (t == "Mul") op = BinaryF32::Mul;
  else if (t == "Div") op = BinaryF32::Div;
  else return false;
  return true;
}

int64_t numel(const TensorType& t) {
  int64_t n = 1;
  for (int64_t d : t.dims) n *= d;
  return n;
}

template <Isa isa>
std::string supports(const KernelQuery& q) {
  std::string r = require_isa(isa);
  if (!r.empty()) return r;
  BinaryF32 op;
  if (!op_of(q.node.op_type, op)) return "not Add/Sub/Mul/Div";
  if (q.input_types.size() != 2 || q.output_types.size() != 1) return "not two inputs";
  const TensorType &a = q.input_types[0], &b = q.input_types[1], &y = q.output_types[0];
  if (a.dtype != DType::F32 || b.dtype != DType::F32) return "inputs are not float32";
  if (!a.fully_known() || !b.fully_known() || !y.fully_known()) return "shapes not known";
  const bool a_full = a.dims == y.dims, b_full = b.dims == y.dims;
  if (!((a_full && b_full) || (a_full && numel(b) == 1) || (b_full && numel(a) == 1)))
    return "broadcast other than same shape or a single element";
  return "";
}

template <detail::BinaryF32Fn fn>
Status run(const KernelContext& c) {
  BinaryF32 op;
  if (!op_of(c.node.op_type, op)) return Status::error("not Add/Sub/Mul/Div");
  const Tensor &a = c.in(0), &b = c.in(1);
  Tensor& y = c.out(0);
  const int64_t n = y.numel();
  const int64_t as = a.numel() == n ? 1 : 0, bs = b.numel() == n ? 1 : 0;
  if ((as == 0 && a.numel() != 1) || (bs == 0 && b.numel() != 1)) return Status::error("operand shapes do not match");
  const float *pa = a.data<float>(), *pb = b.data<float>();
  float* py = y.data_mut<float>();
  constexpr int64_t kChunk = 1 << 14;
  parallel_for((n + kChunk - 1) / kChunk, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t k = lo; k < hi; ++k) {
      const int64_t i0 = k * kChunk, len = std::min(kChunk, n - i0);
      fn(op, pa + i0 * as, as, pb + i0 * bs, bs, py + i0, len);
    }
  });
  return Status::ok();
}

}  // namespace

void register_elementwise_binary_f32(KernelRegistry& r) {
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    r.add({"binary_f32_avx512", op, "", supports<Isa::Avx512>, run<detail::binary_f32_avx512>, nullptr, true});
    r.add({"binary_f32_avx2", op, "", supports<Isa::Avx2>, run<detail::binary_f32_avx2>, nullptr, true});
  }
}

}  // namespace n2d2::kernels
