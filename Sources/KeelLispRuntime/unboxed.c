/* A helper of the compiler's unboxed long arithmetic (StaticTypes.swift):
 * whether x * y overflows 64 bits, for a product of two variables (a
 * constant factor is checked inline). Never collects. */
#include "KeelLisp.h"

int32_t kl_mul_overflows(int64_t x, int64_t y) {
    int64_t r;
    return __builtin_mul_overflow(x, y, &r);
}
