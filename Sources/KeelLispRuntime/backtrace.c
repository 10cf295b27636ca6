/* Backtraces of runtime errors: the KeelLisp functions active, innermost
 * first, found by walking the rbp chain (compiled code always keeps rbp
 * frames; the runtimes are compiled with frame pointers) and looking each
 * return address up in the table the compiler emits (kl_function_table: its
 * functions in text order, kl_text_end after the last).  A program has one
 * table; the REPL registers one per loaded input (kl_register_functions). */
#include <stdio.h>
#include <stdlib.h>
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

/* Weak: the REPL's host has no compiled program linked in. */
extern const KlFunctionTable kl_function_table __attribute__((weak));
extern const char kl_text_end[] __attribute__((weak));

typedef struct KlLoadedTable {
    const KlFunctionTable *table;
    const char *text_end;
} KlLoadedTable;

static KlLoadedTable *loaded;
static size_t loaded_count;

void kl_register_functions(const void *table, const void *text_end) {
    KlLoadedTable *grown = realloc(loaded, (loaded_count + 1) * sizeof *loaded);
    if (grown == NULL) return; /* backtraces of this input will be shorter */
    loaded = grown;
    loaded[loaded_count++] = (KlLoadedTable){table, text_end};
}

/* The entry of table `t` whose code contains `address`, or NULL. */
static const KlFunctionEntry *entry_in(const KlFunctionTable *t, const char *text_end, uintptr_t address) {
    for (int64_t i = 0; i < t->count; i++) {
        uintptr_t start = (uintptr_t)t->entries[i].start;
        uintptr_t end = i + 1 < t->count ? (uintptr_t)t->entries[i + 1].start : (uintptr_t)text_end;
        if (address > start && address <= end) return &t->entries[i];
    }
    return NULL;
}

static const KlFunctionEntry *function_at(uintptr_t address) {
    if (&kl_function_table != NULL) {
        const KlFunctionEntry *e = entry_in(&kl_function_table, kl_text_end, address);
        if (e != NULL) return e;
    }
    for (size_t i = 0; i < loaded_count; i++) {
        const KlFunctionEntry *e = entry_in(loaded[i].table, loaded[i].text_end, address);
        if (e != NULL) return e;
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
