/* A loader of relocatable objects for the REPL.
 *
 * Each REPL input is compiled by keel and assembled by `cc -c` into an ELF
 * relocatable object; the REPL's host process loads it here, next to the
 * runtimes, and runs it.  Keel's code is position-dependent (rip-relative
 * references and direct calls to the runtime), so a shared object would not
 * link; an object placed within 2 GiB of this executable and relocated in
 * place needs nothing else.  Symbols resolve against earlier objects (the
 * latest definition wins: a redefinition in a later input shadows the old
 * one) and then against this executable's symbol table, read from
 * /proc/self/exe.  Only the relocation types an assembler produces for
 * keel's x86-64 output are accepted; any other is an error, never a
 * silently wrong program. */
#define _GNU_SOURCE /* strdup, MAP_FIXED_NOREPLACE */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "KeelLisp.h"
#include "loader.h"

typedef struct Symbol {
    char *name;
    uintptr_t address;
} Symbol;

/* Every global symbol known: this executable's, then each object's. */
static Symbol *symbols;
static size_t symbol_count, symbol_capacity;
static int host_symbols_read;

/* Where the next object goes: just past the previous one. */
static uintptr_t next_address;

static int fail(char *error, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(error, size, format, args);
    va_end(args);
    return 0;
}

static int add_symbol(const char *name, uintptr_t address) {
    if (symbol_count == symbol_capacity) {
        size_t capacity = symbol_capacity ? 2 * symbol_capacity : 1024;
        Symbol *grown = realloc(symbols, capacity * sizeof *symbols);
        if (grown == NULL) return 0;
        symbols = grown;
        symbol_capacity = capacity;
    }
    char *copy = strdup(name);
    if (copy == NULL) return 0;
    symbols[symbol_count++] = (Symbol){copy, address};
    return 1;
}

static int lookup(const char *name, uintptr_t *address) {
    for (size_t i = symbol_count; i-- > 0;)
        if (strcmp(symbols[i].name, name) == 0) {
            *address = symbols[i].address;
            return 1;
        }
    return 0;
}

/* The whole file at `path`, or NULL. */
static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    unsigned char *bytes = NULL;
    size_t length = 0, capacity = 0, n;
    do {
        if (length == capacity) {
            capacity = capacity ? 2 * capacity : 65536;
            unsigned char *grown = realloc(bytes, capacity);
            if (grown == NULL) { free(bytes); fclose(f); return NULL; }
            bytes = grown;
        }
        n = fread(bytes + length, 1, capacity - length, f);
        length += n;
    } while (n > 0);
    fclose(f);
    *size = length;
    return bytes;
}

/* An ELF image's section headers, checked to lie inside it. */
typedef struct Image {
    const unsigned char *bytes;
    size_t size;
    const Elf64_Ehdr *header;
    const Elf64_Shdr *sections;
} Image;

static int open_image(Image *m, const unsigned char *bytes, size_t size, int type, char *error, size_t error_size) {
    m->bytes = bytes;
    m->size = size;
    m->header = (const Elf64_Ehdr *)bytes;
    const Elf64_Ehdr *h = m->header;
    if (size < sizeof *h || memcmp(h->e_ident, ELFMAG, SELFMAG) != 0 || h->e_ident[EI_CLASS] != ELFCLASS64
        || h->e_ident[EI_DATA] != ELFDATA2LSB || h->e_machine != EM_X86_64 || h->e_type != type)
        return fail(error, error_size, "not an x86-64 ELF %s", type == ET_REL ? "relocatable object" : "executable");
    if (h->e_shentsize != sizeof(Elf64_Shdr) || h->e_shoff > size
        || (size - h->e_shoff) / sizeof(Elf64_Shdr) < h->e_shnum || h->e_shstrndx >= h->e_shnum)
        return fail(error, error_size, "bad section header table");
    m->sections = (const Elf64_Shdr *)(bytes + h->e_shoff);
    for (unsigned i = 0; i < h->e_shnum; i++) {
        const Elf64_Shdr *s = &m->sections[i];
        if (s->sh_type != SHT_NOBITS && (s->sh_offset > size || s->sh_size > size - s->sh_offset))
            return fail(error, error_size, "section %u lies outside the file", i);
    }
    return 1;
}

static const char *string_at(const Image *m, unsigned table, uint64_t offset) {
    const Elf64_Shdr *s = &m->sections[table];
    if (offset >= s->sh_size) return "";
    const char *p = (const char *)m->bytes + s->sh_offset + offset;
    return memchr(p, 0, s->sh_size - offset) ? p : "";
}

static const Elf64_Shdr *symbol_table(const Image *m) {
    for (unsigned i = 0; i < m->header->e_shnum; i++)
        if (m->sections[i].sh_type == SHT_SYMTAB && m->sections[i].sh_link < m->header->e_shnum
            && m->sections[i].sh_entsize == sizeof(Elf64_Sym))
            return &m->sections[i];
    return NULL;
}

/* This executable's global symbols, moved by its load bias (found from the
 * address of this very function). */
static int read_host_symbols(char *error, size_t error_size) {
    size_t size;
    unsigned char *bytes = read_file("/proc/self/exe", &size);
    if (bytes == NULL) return fail(error, error_size, "cannot read /proc/self/exe");
    Image m;
    int ok = open_image(&m, bytes, size, ET_DYN, error, error_size)
          || open_image(&m, bytes, size, ET_EXEC, error, error_size);
    const Elf64_Shdr *symtab = ok ? symbol_table(&m) : NULL;
    if (symtab == NULL) {
        free(bytes);
        return ok ? fail(error, error_size, "the REPL host has no symbol table (stripped?)") : 0;
    }
    const Elf64_Sym *syms = (const Elf64_Sym *)(bytes + symtab->sh_offset);
    size_t n = symtab->sh_size / sizeof *syms;
    uintptr_t bias = 0;
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(string_at(&m, symtab->sh_link, syms[i].st_name), "kl_load_object") == 0) {
            bias = (uintptr_t)&kl_load_object - syms[i].st_value;
            found = 1;
        }
    if (!found) { free(bytes); return fail(error, error_size, "kl_load_object missing from the host's symbols"); }
    for (size_t i = 0; i < n; i++) {
        int bind = ELF64_ST_BIND(syms[i].st_info);
        if ((bind == STB_GLOBAL || bind == STB_WEAK) && syms[i].st_shndx != SHN_UNDEF && syms[i].st_shndx != SHN_ABS)
            if (!add_symbol(string_at(&m, symtab->sh_link, syms[i].st_name), syms[i].st_value + bias)) {
                free(bytes);
                return fail(error, error_size, "out of memory");
            }
    }
    free(bytes);
    /* Objects go above the executable's image, within reach of rel32. */
    extern char _end[];
    next_address = ((uintptr_t)_end + (64u << 20)) & ~(uintptr_t)0xfffff;
    host_symbols_read = 1;
    return 1;
}

static int is_got_relocation(uint32_t type) {
    return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
}

static int fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

int kl_load_object(const char *path, const char *const *names, uintptr_t *found, size_t count,
                   char *error, size_t error_size) {
    if (!host_symbols_read && !read_host_symbols(error, error_size)) return 0;
    size_t size;
    unsigned char *bytes = read_file(path, &size);
    if (bytes == NULL) return fail(error, error_size, "cannot read %s", path);
    int ok = 0;
    uintptr_t *base = NULL, *address = NULL;
    unsigned char *memory = MAP_FAILED;
    size_t mapped = 0;
    Image m;
    if (!open_image(&m, bytes, size, ET_REL, error, error_size)) goto done;
    unsigned nsec = m.header->e_shnum;
    const Elf64_Shdr *symtab = symbol_table(&m);
    if (symtab == NULL) { fail(error, error_size, "%s: no symbol table", path); goto done; }
    const Elf64_Sym *syms = (const Elf64_Sym *)(bytes + symtab->sh_offset);
    size_t nsym = symtab->sh_size / sizeof *syms;

    /* Layout: code first (made read-only and executable at the end), then
     * data, then one GOT entry per GOT-relative relocation. */
    base = calloc(nsec, sizeof *base);
    if (base == NULL) { fail(error, error_size, "out of memory"); goto done; }
    size_t code_size = 0, data_size = 0, got_count = 0;
    for (int pass = 0; pass < 2; pass++)
        for (unsigned i = 0; i < nsec; i++) {
            const Elf64_Shdr *s = &m.sections[i];
            if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0) continue;
            int code = (s->sh_flags & SHF_EXECINSTR) != 0;
            if (code != (pass == 0)) continue;
            size_t align = s->sh_addralign > 1 ? s->sh_addralign : 1;
            if (align > 4096) { fail(error, error_size, "%s: section %u aligned to %zu", path, i, align); goto done; }
            size_t *cursor = code ? &code_size : &data_size;
            *cursor = (*cursor + align - 1) & ~(align - 1);
            base[i] = *cursor; /* an offset until the memory exists */
            *cursor += s->sh_size;
        }
    for (unsigned i = 0; i < nsec; i++)
        if (m.sections[i].sh_type == SHT_RELA)
            for (size_t k = 0; k < m.sections[i].sh_size / sizeof(Elf64_Rela); k++)
                if (is_got_relocation(ELF64_R_TYPE(((const Elf64_Rela *)(bytes + m.sections[i].sh_offset))[k].r_info)))
                    got_count++;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t code_pages = (code_size + page - 1) & ~(page - 1);
    size_t data_start = code_pages, got_start = (data_start + data_size + 7) & ~(size_t)7;
    mapped = (got_start + 8 * got_count + page - 1) & ~(page - 1);
    if (mapped == 0) mapped = page;
    memory = mmap((void *)next_address, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (memory == MAP_FAILED)
        memory = mmap((void *)next_address, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) { fail(error, error_size, "cannot map %zu bytes for %s", mapped, path); goto done; }
    for (unsigned i = 0; i < nsec; i++) {
        const Elf64_Shdr *s = &m.sections[i];
        if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0) continue;
        base[i] += (uintptr_t)memory + ((s->sh_flags & SHF_EXECINSTR) ? 0 : data_start);
        if (s->sh_type != SHT_NOBITS) memcpy((void *)base[i], bytes + s->sh_offset, s->sh_size);
    }

    /* Every symbol's address: defined ones from their section; undefined
     * ones from earlier objects, then the executable. */
    address = calloc(nsym ? nsym : 1, sizeof *address);
    if (address == NULL) { fail(error, error_size, "out of memory"); goto done; }
    for (size_t k = 1; k < nsym; k++) {
        const Elf64_Sym *y = &syms[k];
        const char *name = string_at(&m, symtab->sh_link, y->st_name);
        if (y->st_shndx == SHN_UNDEF) {
            if (!lookup(name, &address[k])) { fail(error, error_size, "undefined symbol %s", name); goto done; }
        } else if (y->st_shndx == SHN_ABS) {
            address[k] = y->st_value;
        } else if (y->st_shndx < nsec && (m.sections[y->st_shndx].sh_flags & SHF_ALLOC)) {
            address[k] = base[y->st_shndx] + y->st_value;
        } else if (y->st_shndx >= SHN_LORESERVE) {
            fail(error, error_size, "symbol %s: unsupported section index %#x", name, y->st_shndx);
            goto done;
        }
    }

    uint64_t *got = (uint64_t *)(memory + got_start);
    size_t got_used = 0;
    for (unsigned i = 0; i < nsec; i++) {
        const Elf64_Shdr *r = &m.sections[i];
        if (r->sh_type == SHT_REL) { fail(error, error_size, "%s: REL relocations are not supported", path); goto done; }
        if (r->sh_type != SHT_RELA || r->sh_info >= nsec) continue;
        const Elf64_Shdr *target = &m.sections[r->sh_info];
        if (!(target->sh_flags & SHF_ALLOC)) continue; /* debug information */
        const Elf64_Rela *relocations = (const Elf64_Rela *)(bytes + r->sh_offset);
        for (size_t k = 0; k < r->sh_size / sizeof *relocations; k++) {
            const Elf64_Rela *x = &relocations[k];
            uint32_t type = ELF64_R_TYPE(x->r_info);
            size_t sym = ELF64_R_SYM(x->r_info);
            if (sym >= nsym || x->r_offset > target->sh_size || target->sh_size - x->r_offset < (type == R_X86_64_64 ? 8 : 4)) {
                fail(error, error_size, "%s: relocation %zu of section %u is out of bounds", path, k, r->sh_info);
                goto done;
            }
            uintptr_t place = base[r->sh_info] + x->r_offset;
            int64_t s = (int64_t)address[sym], a = x->r_addend, p = (int64_t)place, v;
            int32_t v32;
            switch (type) {
            case R_X86_64_NONE:
                continue;
            case R_X86_64_64:
                memcpy((void *)place, &(uint64_t){(uint64_t)(s + a)}, 8);
                continue;
            case R_X86_64_PC32:
            case R_X86_64_PLT32:
                v = s + a - p;
                break;
            case R_X86_64_32S:
                v = s + a;
                break;
            case R_X86_64_32:
                v = s + a;
                if (v < 0 || v > UINT32_MAX) goto overflow;
                memcpy((void *)place, &(uint32_t){(uint32_t)v}, 4);
                continue;
            case R_X86_64_GOTPCREL:
            case R_X86_64_GOTPCRELX:
            case R_X86_64_REX_GOTPCRELX:
                got[got_used] = (uint64_t)s;
                v = (int64_t)(uintptr_t)&got[got_used++] + a - p;
                break;
            default:
                fail(error, error_size, "%s: unsupported relocation type %u", path, type);
                goto done;
            }
            if (!fits32(v)) goto overflow;
            v32 = (int32_t)v;
            memcpy((void *)place, &v32, 4);
            continue;
        overflow:
            fail(error, error_size, "%s: relocation against %s does not fit in 32 bits", path,
                 string_at(&m, symtab->sh_link, syms[sym].st_name));
            goto done;
        }
    }

    if (code_pages > 0 && mprotect(memory, code_pages, PROT_READ | PROT_EXEC) != 0) {
        fail(error, error_size, "cannot make the code of %s executable", path);
        goto done;
    }
    /* The collector learns the new code's stack maps and global cells. */
    for (unsigned i = 0; i < nsec; i++) {
        const Elf64_Shdr *s = &m.sections[i];
        if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0) continue;
        const char *name = string_at(&m, m.header->e_shstrndx, s->sh_name);
        if (strcmp(name, "keel_stackmaps") == 0) keel_stackmaps_add((void *)base[i], (void *)(base[i] + s->sh_size));
        if (strcmp(name, "keel_globals") == 0) keel_global_roots((void **)base[i], s->sh_size / 8);
    }
    for (size_t i = 0; i < count; i++) found[i] = 0;
    for (size_t k = 1; k < nsym; k++) {
        const char *name = string_at(&m, symtab->sh_link, syms[k].st_name);
        int bind = ELF64_ST_BIND(syms[k].st_info);
        if (syms[k].st_shndx == SHN_UNDEF) continue;
        for (size_t i = 0; i < count; i++)
            if (strcmp(name, names[i]) == 0) found[i] = address[k];
        if ((bind == STB_GLOBAL || bind == STB_WEAK) && !add_symbol(name, address[k])) {
            fail(error, error_size, "out of memory");
            goto done;
        }
    }
    next_address = (uintptr_t)memory + mapped;
    memory = MAP_FAILED; /* it stays: the code may run at any later time */
    ok = 1;
done:
    if (memory != MAP_FAILED) munmap(memory, mapped);
    free(address);
    free(base);
    free(bytes);
    return ok;
}
