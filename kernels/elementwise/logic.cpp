// Reference comparison and logic kernels (Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And,
// Or, Xor, Not) and Where, all with numpy broadcasting.
#include <functional>

#include "kernels/elementwise/elementwise_kernels.h"

namespace n2d2::kernels {

namespace {

using detail::binary_loop;

template <class T, class Compare>
void compare(const KernelContext& c, Compare cmp) {
  binary_loop<T, T, bool>(c.in(0), c.in(1), c.out(0), [cmp](T p, T q) -> bool { return cmp(p, q); });
}

// Comparisons of any computable type, and And/Or/Xor, whose inputs are bool.
Status compare_ref(const KernelContext& c) {
  const std::string& op = c.node.op_type;
  visit_dtype(c.in(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (op == "Equal") compare<T>(c, std::equal_to<>());
    else if (op == "Less") compare<T>(c, std::less<>());
    else if (op == "Greater") compare<T>(c, std::greater<>());
    else if (op == "LessOrEqual") compare<T>(c, std::less_equal<>());
    else if (op == "GreaterOrEqual") compare<T>(c, std::greater_equal<>());
    else if (op == "And") compare<T>(c, std::logical_and<>());
    else if (op == "Or") compare<T>(c, std::logical_or<>());
    else compare<T>(c, std::not_equal_to<>());  // Xor on bool
  });
  return Status::ok();
}

Status not_ref(const KernelContext& c) {
  detail::unary_loop<bool, bool>(c.in(0), c.out(0), [](bool x) { return !x; });
  return Status::ok();
}

// Where only moves elements: it runs on the unsigned type of the element's size.
template <class T>
void select(const Tensor& cond, const Tensor& x, const Tensor& y, Tensor& out) {
  detail::Broadcast bc(out.shape(), {&cond, &x, &y});
  const bool* pc = cond.data<bool>();
  const T* px = static_cast<const T*>(x.raw());
  const T* py = static_cast<const T*>(y.raw());
  T* po = static_cast<T*>(out.raw_mut());
  const int64_t sc = bc.inner[0], sx = bc.inner[1], sy = bc.inner[2];
  detail::for_each_row(bc, [&](const std::vector<int64_t>& offs, int64_t o, int64_t n) {
    const bool* rc = pc + offs[0];
    const T* rx = px + offs[1];
    const T* ry = py + offs[2];
    for (int64_t i = 0; i < n; ++i) po[o + i] = rc[i * sc] ? rx[i * sx] : ry[i * sy];
  });
}

Status where_ref(const KernelContext& c) {
  const Tensor &cond = c.in(0), &x = c.in(1), &y = c.in(2);
  switch (dtype_size(c.out(0).dtype())) {
    case 1: select<uint8_t>(cond, x, y, c.out(0)); break;
    case 2: select<uint16_t>(cond, x, y, c.out(0)); break;
    case 4: select<uint32_t>(cond, x, y, c.out(0)); break;
    case 8: select<uint64_t>(cond, x, y, c.out(0)); break;
    default: return Status::error("Where on ", dtype_name(c.out(0).dtype()));
  }
  return Status::ok();
}

// Inputs whose values have a C++ type (not float16/bfloat16).
std::string require_computable(const KernelQuery& q) {
  for (std::size_t i = 0; i < q.input_types.size(); ++i)
    if (q.input_types[i].dtype == DType::F16 || q.input_types[i].dtype == DType::BF16)
      return "input " + std::to_string(i) + " has unsupported type " + dtype_name(q.input_types[i].dtype);
  return "";
}
std::string require_bool(const KernelQuery& q) { return require_input_dtypes(q, {DType::Bool}); }

}  // namespace

void register_elementwise_logic(KernelRegistry& r) {
  for (const char* op : {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"})
    r.add({"compare_ref", op, "", require_computable, compare_ref});
  for (const char* op : {"And", "Or", "Xor"}) r.add({"logic_ref", op, "", require_bool, compare_ref});
  r.add({"not_ref", "Not", "", require_bool, not_ref});
  r.add({"where_ref", "Where", "", nullptr, where_ref});
}

}  // namespace n2d2::kernels
