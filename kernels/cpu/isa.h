// The CPU's vector ISA level, read once: CPUID (with OS support for the registers) capped by
// N2D2_MAX_ISA=scalar|avx2|avx512, so that every kernel path can be tested on one machine.
#pragma once

#include <string>

namespace n2d2::kernels {

enum class Isa { Scalar = 0, Avx2 = 1, Avx512 = 2 };

const char* isa_name(Isa i);
Isa isa_from_name(const std::string& s);  // throws n2d2::Error for an unknown name

// What the hardware offers (AVX2+FMA, AVX-512F+BW+VL), ignoring N2D2_MAX_ISA.
Isa hardware_isa();
// The level kernels may use: hardware_isa() capped by N2D2_MAX_ISA (read on first call).
Isa max_isa();

// supports() helper: "" when `need` is allowed, else the reason (hardware or cap).
std::string require_isa(Isa need);

}  // namespace n2d2::kernels
