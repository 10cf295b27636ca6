/* The AArch64 entry stub (KEEL_ENTRY_STUB, include/KeelRuntime.h): all eight
 * argument registers x0-x7 and the indirect-result register x8 reach the
 * implementation untouched (a 32-byte result is returned through x8); the
 * record it makes is the caller's x29 and a return address inside the
 * caller; after the call the previous record (none: 0, 0) is back. */
#include "KeelRuntime.h"
#include <stdio.h>
#include <string.h>

typedef struct { uint64_t w[4]; } Big; /* returned through x8 (AAPCS64: larger than 16 bytes) */

KEEL_ENTRY_STUB(lib_big);
Big lib_big(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

int main(void);
static uintptr_t caller_frame;
static int record_ok;

Big lib_big_impl(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f, uint64_t g, uint64_t h) {
    uintptr_t main_at = (uintptr_t)&main;
    record_ok = keel_entry_rbp == caller_frame && keel_entry_ret > main_at && keel_entry_ret < main_at + 4096;
    Big r = {{a * 1 + b * 10, c * 100 + d * 1000, e * 10000 + f * 100000, g * 1000000 + h * 10000000}};
    return r;
}

int main(void) {
    caller_frame = (uintptr_t)__builtin_frame_address(0);
    Big r = lib_big(1, 2, 3, 4, 5, 6, 7, 8);
    printf("%llu %llu %llu %llu record %s restored %s\n", (unsigned long long)r.w[0], (unsigned long long)r.w[1],
           (unsigned long long)r.w[2], (unsigned long long)r.w[3], record_ok ? "ok" : "wrong",
           keel_entry_rbp == 0 && keel_entry_ret == 0 ? "yes" : "no");
    return 0;
}
