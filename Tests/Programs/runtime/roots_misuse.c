/* Misuse of the root scope: releasing a mark twice (after the scope was
 * already released below it) ends the program with a message, status 70. */
#include "support.h"

int main(void) {
    void *a = NULL, *b = NULL;
    size_t outer = keel_roots_mark();
    keel_root(&a);
    size_t inner = keel_roots_mark();
    keel_root(&b);
    keel_roots_release(outer);
    printf("released\n");
    fflush(stdout);
    keel_roots_release(inner);
    printf("not reached\n");
    return 0;
}
