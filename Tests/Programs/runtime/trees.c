/* Binary trees: a long-lived tree stays intact while many short-lived trees
 * are built and dropped (many minor and some major collections). */
#include "support.h"

/* A node is a cons: car = left, cdr = right, value = item. */
static void *build(int depth, int64_t item) {
    if (depth == 0) return cons(NULL, NULL, item);
    void *left = build(depth - 1, 2 * item - 1);
    size_t mark = keel_roots_mark();
    keel_root(&left);
    void *right = build(depth - 1, 2 * item);
    keel_roots_release(mark);
    return cons(left, right, item);
}

static int64_t check_tree(void *t) {
    if (t == NULL) return 0;
    return VALUE(t) + check_tree(CAR(t)) - check_tree(CDR(t));
}

static int64_t count(void *t) { return t ? 1 + count(CAR(t)) + count(CDR(t)) : 0; }

int main(void) {
    void *long_lived = build(9, 0);
    size_t mark = keel_roots_mark();
    keel_root(&long_lived);
    for (int depth = 2; depth <= 8; depth += 2) {
        int iterations = 1 << (11 - depth);
        int64_t c = 0;
        for (int i = 1; i <= iterations; i++) {
            c += check_tree(build(depth, i));
            c += check_tree(build(depth, -i));
        }
        printf("%d trees of depth %d check %lld\n", 2 * iterations, depth, (long long)c);
    }
    printf("long lived tree of depth 9: %lld nodes, check %lld\n", (long long)count(long_lived),
           (long long)check_tree(long_lived));
    keel_roots_release(mark);
    return 0;
}
