/* The REPL's host: one persistent process that loads and runs each input.
 *
 * `keel repl` compiles each input to an object and writes one request per
 * line on this process's standard input:
 *     PATH <tab> ENTRY <tab> SHOW
 * The host loads PATH (loader.c) and calls ENTRY, a compiled function of no
 * arguments that runs the input and prints its value as prn does; a def
 * prints nothing itself, and the host prints SHOW for it (`#'user/x`).
 * A runtime error prints its message and backtrace and returns here
 * (kl_error_recovery); the session goes on.  After each request the host
 * writes "ok" or "error" on file descriptor 3, which keel waits for, so the
 * prompt never overtakes the output. */
#define _GNU_SOURCE /* getline, fdopen */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "KeelLisp.h"
#include "loader.h"

/* Runs one request; 1 when it completed. */
static int run(char *path, char *entry, char *show) {
    char error[512];
    const char *names[] = {entry, "kl_function_table", "kl_text_end"};
    uintptr_t found[3];
    if (!kl_load_object(path, names, found, 3, error, sizeof error)) {
        fprintf(stderr, "REPL error: %s\n", error);
        return 0;
    }
    if (found[0] == 0) {
        fprintf(stderr, "REPL error: %s defines no %s\n", path, entry);
        return 0;
    }
    if (found[1] != 0 && found[2] != 0) kl_register_functions((const void *)found[1], (const void *)found[2]);
    jmp_buf recovery;
    uintptr_t saved_rbp = keel_entry_rbp, saved_ret = keel_entry_ret;
    size_t mark = keel_roots_mark();
    volatile int completed = 0;
    if (setjmp(recovery) == 0) {
        kl_error_recovery = &recovery;
        kl_value (*input)(void) = (kl_value(*)(void))found[0];
        input();
        if (show[0] != '\0') printf("%s\n", show);
        completed = 1;
    }
    /* An error jumped out of compiled code and runtime functions: their
     * entry records and C roots are stale. */
    kl_error_recovery = NULL;
    keel_entry_rbp = saved_rbp;
    keel_entry_ret = saved_ret;
    keel_roots_release(mark);
    return completed;
}

int main(void) {
    keel_init();
    FILE *ack = fdopen(3, "w");
    if (ack == NULL) {
        fprintf(stderr, "the KeelLisp REPL host runs under `keel repl` (file descriptor 3 is its channel)\n");
        return 2;
    }
    char *line = NULL;
    size_t capacity = 0;
    while (getline(&line, &capacity, stdin) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *entry = strchr(line, '\t');
        char *show = entry ? strchr(entry + 1, '\t') : NULL;
        int ok = 0;
        if (show == NULL) {
            fprintf(stderr, "REPL error: malformed request\n");
        } else {
            *entry++ = '\0';
            *show++ = '\0';
            ok = run(line, entry, show);
        }
        fflush(stdout);
        fflush(stderr);
        fputs(ok ? "ok\n" : "error\n", ack);
        fflush(ack);
    }
    free(line);
    fflush(stdout);
    return 0;
}
