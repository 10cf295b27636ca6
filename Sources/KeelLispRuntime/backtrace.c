/* Backtraces of runtime errors: the KeelLisp functions active, innermost
 * first, found by walking the rbp chain (compiled code always keeps rbp
 * frames; the runtimes are compiled with frame pointers) and looking each
 * return address up in the table the compiler emits (kl_function_table: its
 * functions in text order, kl_text_end after the last). */
#include <stdio.h>
#include "KeelLisp.h"

typedef struct KlFunctionEntry {
    const char *start;
    const char *name; /* NULL for the compiler's helpers */
    const char *file;
    int64_t line;
} KlFunctionEntry;

typedef struct KlFunctionTable {
    int64_t count;
    KlFunctionEntry entries[];
} KlFunctionTable;

extern const KlFunctionTable kl_function_table;
extern const char kl_text_end[];

/* The table entry whose code contains `address`, or NULL. */
static const KlFunctionEntry *function_at(uintptr_t address) {
    const KlFunctionTable *t = &kl_function_table;
    for (int64_t i = 0; i < t->count; i++) {
        uintptr_t start = (uintptr_t)t->entries[i].start;
        uintptr_t end = i + 1 < t->count ? (uintptr_t)t->entries[i + 1].start : (uintptr_t)kl_text_end;
        if (address > start && address <= end) return &t->entries[i];
    }
    return NULL;
}

void kl_print_backtrace(void) {
    enum { shown = 24 };
    uintptr_t *frame = __builtin_frame_address(0);
    int64_t printed = 0, hidden = 0;
    /* Up to the top level (kl_program_main, line 0); a frame chain going
     * down or jumping far ends the walk instead of reading wild memory. */
    for (int steps = 0; frame != NULL && ((uintptr_t)frame & 7) == 0 && steps < 1000000; steps++) {
        uintptr_t ret = frame[1];
        uintptr_t *caller = (uintptr_t *)frame[0];
        const KlFunctionEntry *f = function_at(ret);
        if (f != NULL && f->name != NULL) {
            if (printed < shown) {
                if (f->line > 0) fprintf(stderr, "\tat %s (%s:%lld)\n", f->name, f->file, (long long)f->line);
                else fprintf(stderr, "\tat %s (%s)\n", f->name, f->file);
                printed++;
            } else {
                hidden++;
            }
            if (f->line == 0) break;
        }
        if (caller <= frame || (uintptr_t)caller - (uintptr_t)frame > ((uintptr_t)1 << 24)) break;
        frame = caller;
    }
    if (hidden > 0) fprintf(stderr, "\t... %lld more\n", (long long)hidden);
}
