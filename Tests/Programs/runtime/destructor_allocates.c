/* A handle destructor that allocates is reported (exit status 70): the
 * collector may be in the middle of its work when destructors run. */
#include "support.h"

static void destroy(void *resource) {
    (void)resource;
    printf("destructor runs\n");
    fflush(stdout);
    keel_alloc(&cons_layout, 3);
}

int main(void) {
    keel_handle_new(NULL, destroy);
    keel_collect(0);
    printf("not reached\n");
    return 0;
}
