/* Runtime errors: one message on stderr in Clojure's spirit, then the
 * backtrace of the active KeelLisp functions (backtrace.c), exit status 1;
 * in the REPL, a jump back to its loop instead (kl_error_recovery). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "KeelLisp.h"

jmp_buf *kl_error_recovery;

_Noreturn void kl_error(const char *kind, const char *format, ...) {
    fflush(stdout);
    fprintf(stderr, "Execution error (%s): ", kind);
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    kl_print_backtrace();
    fflush(stderr);
    if (kl_error_recovery != NULL) longjmp(*kl_error_recovery, 1);
    _Exit(1);
}

_Noreturn void kl_not_fn_error(kl_value f) {
    kl_error("ClassCastException", "%s cannot be cast to clojure.lang.IFn", kl_type_name(f));
}

_Noreturn void kl_arity_error(kl_value f, int64_t n) {
    const KlFnInfo *info = (const KlFnInfo *)(uintptr_t)(kl_words(f)[0] - 1);
    kl_error("ArityException", "Wrong number of args (%lld) passed to: %s", (long long)n, info->name);
}

_Noreturn void kl_unbound_error(const char *name) {
    kl_error("IllegalStateException", "Attempting to call unbound fn: #'%s", name);
}

_Noreturn void kl_case_error(kl_value v) {
    KlBuffer b = {0};
    kl_print_to(&b, v, 1);
    kl_buffer_append(&b, "", 1);
    kl_error("IllegalArgumentException", "No matching clause: %s", b.bytes);
}

/* An error raised by the core library with a string message. */
_Noreturn void kl_fail(kl_value message) {
    KlBuffer b = {0};
    kl_print_to(&b, message, 0);
    kl_buffer_append(&b, "", 1);
    kl_error("IllegalArgumentException", "%s", b.bytes);
}

/* The value of keyword `name` in a map (no allocation: names compared). */
static kl_value keyword_entry(kl_value map, const char *name) {
    if (!kl_is_map(map)) return KL_NIL;
    size_t n = strlen(name);
    KlIter it;
    kl_value k, v;
    for (kl_iter_start(&it, map); kl_iter_next(&it, &k, &v);)
        if (kl_layout(k) == &kl_keyword_layout && kl_string_length(kl_words(k)[0]) == (int64_t)n
            && memcmp(kl_string_bytes(kl_words(k)[0]), name, n) == 0)
            return v;
    return KL_NIL;
}

/* (throw x) with no try (not supported yet): the exception ends the
 * program.  An ex-info map prints its message and data. */
_Noreturn void kl_throw(kl_value v) {
    KlBuffer b = {0};
    const char *kind = "Exception";
    if (keyword_entry(v, "keel/exception") != KL_NIL) {
        kind = "ExceptionInfo";
        kl_print_to(&b, keyword_entry(v, "message"), 0);
        kl_buffer_appendc(&b, " ");
        kl_print_to(&b, keyword_entry(v, "data"), 1);
    } else {
        kl_print_to(&b, v, 1);
    }
    kl_buffer_append(&b, "", 1);
    kl_error(kind, "%s", b.bytes);
}
