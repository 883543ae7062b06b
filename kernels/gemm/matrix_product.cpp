// The reference matrix product and the x86 float cores that choose between packed and plain tiles. B row-major ([K,N]): i-k-j order,
// the inner loop a contiguous row update of C. B transposed ([N,K], Gemm's transB: fully
// connected layers): dot products of contiguous rows, summed over kLanes independent partial sums
// that the compiler can vectorize.
#include "kernels/cpu/isa.h"
#include "kernels/gemm/gemm.h"
#include "kernels/gemm/tile_cores.h"
#include "kernels/gemm/tiles.h"

namespace n2d2::kernels::detail {

namespace {

constexpr int kLanes = 8;

// sum_k a[k * a_stride] * b[k]: lane l sums the products k = l mod kLanes, the tail goes last.
template <class T>
T dot(const T* a, int64_t a_stride, const T* b, int64_t K) {
  T lane[kLanes] = {};
  int64_t k = 0;
  if (a_stride == 1) {
    for (; k + kLanes <= K; k += kLanes)
      for (int l = 0; l < kLanes; ++l) lane[l] += a[k + l] * b[k + l];
  } else {
    for (; k + kLanes <= K; k += kLanes)
      for (int l = 0; l < kLanes; ++l) lane[l] += a[(k + l) * a_stride] * b[k + l];
  }
  T sum = T(0);
  for (int l = 0; l < kLanes; ++l) sum += lane[l];
  for (; k < K; ++k) sum += a[k * a_stride] * b[k];
  return sum;
}

}  // namespace

template <class T>
void matmul(int64_t M, int64_t N, int64_t K, const T* A, bool trans_a, const T* B, bool trans_b, T* C) {
  // A(i, k) = A[i * a_row + k * a_col].
  int64_t a_row = trans_a ? 1 : K, a_col = trans_a ? M : 1;
  for_each_tile(M, N, [&](int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
    for (int64_t i = i0; i < i1; ++i) {
      T* c = C + i * N;
      if (trans_b) {
        for (int64_t j = j0; j < j1; ++j) c[j] = dot(A + i * a_row, a_col, B + j * K, K);
        continue;
      }
      for (int64_t j = j0; j < j1; ++j) c[j] = T(0);
      for (int64_t k = 0; k < K; ++k) {
        T a = A[i * a_row + k * a_col];
        const T* b = B + k * N;
        for (int64_t j = j0; j < j1; ++j) c[j] += a * b[j];
      }
    }
  });
}

void matmul_f32_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  for_each_tile(M, N, [&](int64_t i0, int64_t i1, int64_t j0, int64_t j1) { matmul_tile_f32_avx2(i0, i1, j0, j1, N, K, A, B, C); });
}

void matmul_f32_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  for_each_tile(M, N, [&](int64_t i0, int64_t i1, int64_t j0, int64_t j1) { matmul_tile_f32_avx512(i0, i1, j0, j1, N, K, A, B, C); });
}

namespace {

// Packing costs about (M + N) * K copies: worth it once each packed value feeds enough FMAs.
bool worth_packing(int64_t M, int64_t N, int64_t K) { return M >= 8 && N >= 32 && K >= 16 && M * N * K >= (int64_t{1} << 18); }

}  // namespace

void matmul_f32_best_avx512(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  (worth_packing(M, N, K) ? matmul_f32_packed_avx512 : matmul_f32_avx512)(M, N, K, A, B, C);
}
void matmul_f32_best_avx2(int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  (worth_packing(M, N, K) ? matmul_f32_packed_avx2 : matmul_f32_avx2)(M, N, K, A, B, C);
}

template void matmul<float>(int64_t, int64_t, int64_t, const float*, bool, const float*, bool, float*);
template void matmul<double>(int64_t, int64_t, int64_t, const double*, bool, const double*, bool, double*);
template void matmul<int32_t>(int64_t, int64_t, int64_t, const int32_t*, bool, const int32_t*, bool, int32_t*);
template void matmul<int64_t>(int64_t, int64_t, int64_t, const int64_t*, bool, const int64_t*, bool, int64_t*);
template void matmul<uint32_t>(int64_t, int64_t, int64_t, const uint32_t*, bool, const uint32_t*, bool, uint32_t*);
template void matmul<uint64_t>(int64_t, int64_t, int64_t, const uint64_t*, bool, const uint64_t*, bool, uint64_t*);

}  // namespace n2d2::kernels::detail
