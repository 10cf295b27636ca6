/* The REPL's loader of relocatable objects (loader.c). */
#ifndef KEEL_LISP_REPL_LOADER_H
#define KEEL_LISP_REPL_LOADER_H
#include <stddef.h>
#include <stdint.h>

/* Loads the x86-64 ELF relocatable object at `path` into this process,
 * resolving its undefined symbols against the objects loaded before it (the
 * latest definition wins) and then this executable's own symbols; registers
 * its keel_stackmaps and keel_globals sections with the collector.  On
 * success, found[i] is the address of the object's symbol names[i] (local
 * or global; 0 when absent) and the result is 1; on failure the object is
 * not run, `error` says why and the result is 0. */
int kl_load_object(const char *path, const char *const *names, uintptr_t *found, size_t count,
                   char *error, size_t error_size);

#endif
