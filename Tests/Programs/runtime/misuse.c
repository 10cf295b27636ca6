/* Misuse the runtime can detect ends with a message and status 70:
 * here a layout whose magic is wrong. */
#include "support.h"

static const KeelLayout bad = {0x1234, KEEL_LAYOUT_RECORD, 1, 0, NULL, "bad"};

int main(void) {
    printf("allocating\n");
    fflush(stdout);
    keel_alloc(&bad, 1);
    printf("not reached\n");
    return 0;
}
