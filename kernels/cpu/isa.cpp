#include "kernels/cpu/isa.h"

#include <cpuid.h>
#include <cstdlib>

#include "graph/error.h"

namespace n2d2::kernels {

const char* isa_name(Isa i) {
  switch (i) {
    case Isa::Scalar: return "scalar";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
  }
  return "?";
}

Isa isa_from_name(const std::string& s) {
  if (s == "scalar") return Isa::Scalar;
  if (s == "avx2") return Isa::Avx2;
  if (s == "avx512") return Isa::Avx512;
  fail("N2D2_MAX_ISA: unknown ISA '", s, "' (expected scalar, avx2 or avx512)");
}

namespace {
uint64_t xgetbv0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}
}  // namespace

Isa hardware_isa() {
  static const Isa isa = [] {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return Isa::Scalar;
    bool osxsave = c & bit_OSXSAVE, fma = c & bit_FMA, avx = c & bit_AVX;
    if (!osxsave || !avx || !fma) return Isa::Scalar;
    uint64_t xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return Isa::Scalar;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return Isa::Scalar;
    if (!(b & bit_AVX2)) return Isa::Scalar;
    bool avx512 = (b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512VL) && (xcr0 & 0xe0) == 0xe0;
    return avx512 ? Isa::Avx512 : Isa::Avx2;
  }();
  return isa;
}

Isa max_isa() {
  static const Isa isa = [] {
    Isa hw = hardware_isa();
    const char* cap = std::getenv("N2D2_MAX_ISA");
    if (!cap || !*cap) return hw;
    Isa c = isa_from_name(cap);
    return c < hw ? c : hw;
  }();
  return isa;
}

std::string require_isa(Isa need) {
  if (hardware_isa() < need) return std::string("the CPU lacks ") + isa_name(need);
  if (max_isa() < need) return std::string("N2D2_MAX_ISA caps dispatch at ") + isa_name(max_isa());
  return "";
}

}  // namespace n2d2::kernels
