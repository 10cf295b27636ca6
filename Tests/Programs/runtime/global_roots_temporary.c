/* Globals registered through keel_global_roots from a temporary array: the
 * runtime keeps its own copy of the addresses, so the caller's array may be
 * overwritten once the call returns (here: a stack array in a function that
 * has returned, then scribbled over by a deeper frame). */
#include "support.h"
#include <string.h>

static void *first_list, *second_list;

static void register_globals(void) {
    void *addresses[2] = {&first_list, &second_list};
    keel_global_roots(addresses, 2);
}

static void scribble(void) {
    volatile char junk[256];
    memset((char *)junk, 0x5a, sizeof junk);
}

int main(void) {
    register_globals();
    scribble();
    for (int i = 0; i < 20000; i++) {
        first_list = cons(NULL, first_list, i);
        if (i % 2 == 0) second_list = cons(NULL, second_list, i);
        cons(NULL, NULL, -1); /* garbage */
    }
    keel_collect(1);
    int64_t s1 = 0, s2 = 0;
    for (void *p = first_list; p != NULL; p = CDR(p)) s1 += VALUE(p);
    for (void *p = second_list; p != NULL; p = CDR(p)) s2 += VALUE(p);
    printf("sums %lld %lld\n", (long long)s1, (long long)s2);
    return 0;
}
