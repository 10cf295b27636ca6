/* The walker's checks (see stackmap_corrupt.s): a saved rbp that does not
 * lead up the stack is reported with exit status 70. */
#include "support.h"

void sc_outer(void);

int main(void) {
    printf("walking\n");
    fflush(stdout);
    sc_outer();
    printf("not reached\n");
    return 0;
}
