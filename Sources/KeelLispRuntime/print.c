/* Printing as Clojure 1.11 does: pr (readably) and print, for pr/prn/
 * print/println, str and pr-str.  Text is built in a malloc'd buffer (no
 * GC objects), so printing never collects. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "KeelLisp.h"

void kl_buffer_append(KlBuffer *b, const char *bytes, size_t n) {
    if (b->length + n > b->capacity) {
        size_t c = b->capacity ? b->capacity : 64;
        while (c < b->length + n) c *= 2;
        b->bytes = realloc(b->bytes, c);
        if (!b->bytes) kl_error("OutOfMemoryError", "cannot grow a string buffer");
        b->capacity = c;
    }
    memcpy(b->bytes + b->length, bytes, n);
    b->length += n;
}

void kl_buffer_appendc(KlBuffer *b, const char *text) { kl_buffer_append(b, text, strlen(text)); }

static void append_utf8(KlBuffer *b, uint32_t c) {
    char u[4];
    size_t n;
    if (c < 0x80) { u[0] = (char)c; n = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12); u[1] = (char)(0x80 | ((c >> 6) & 0x3F)); u[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | c >> 18); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    kl_buffer_append(b, u, n);
}

/* Java's Double.toString: the shortest digits that read back, in plain
 * notation for 1e-3 <= |d| < 1e7 and as d.dddE±n otherwise. */
static void append_double(KlBuffer *b, double d) {
    if (isnan(d)) { kl_buffer_appendc(b, "##NaN"); return; }
    if (isinf(d)) { kl_buffer_appendc(b, d > 0 ? "##Inf" : "##-Inf"); return; }
    if (d == 0) { kl_buffer_appendc(b, signbit(d) ? "-0.0" : "0.0"); return; }
    char text[40];
    int precision;
    for (precision = 1; precision <= 17; precision++) {
        snprintf(text, sizeof text, "%.*e", precision - 1, d);
        if (strtod(text, NULL) == d) break;
    }
    /* text is [-]D[.DDD]e±XX: collect the digits and the exponent. */
    char digits[20];
    int nd = 0, negative = text[0] == '-';
    const char *p = text + negative;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    int exponent = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    if (negative) kl_buffer_appendc(b, "-");
    double magnitude = fabs(d);
    if (magnitude >= 1e-3 && magnitude < 1e7) {
        if (exponent >= 0) {
            for (int i = 0; i <= exponent; i++) kl_buffer_append(b, i < nd ? &digits[i] : "0", 1);
            kl_buffer_appendc(b, ".");
            if (nd > exponent + 1) kl_buffer_append(b, digits + exponent + 1, (size_t)(nd - exponent - 1));
            else kl_buffer_appendc(b, "0");
        } else {
            kl_buffer_appendc(b, "0.");
            for (int i = 0; i < -exponent - 1; i++) kl_buffer_appendc(b, "0");
            kl_buffer_append(b, digits, (size_t)nd);
        }
    } else {
        kl_buffer_append(b, digits, 1);
        kl_buffer_appendc(b, ".");
        if (nd > 1) kl_buffer_append(b, digits + 1, (size_t)(nd - 1));
        else kl_buffer_appendc(b, "0");
        char e[16];
        snprintf(e, sizeof e, "E%d", exponent);
        kl_buffer_appendc(b, e);
    }
}

static void append_string(KlBuffer *b, kl_value s, int readably) {
    const char *bytes = kl_string_bytes(s);
    int64_t n = kl_string_length(s);
    if (!readably) { kl_buffer_append(b, bytes, (size_t)n); return; }
    kl_buffer_appendc(b, "\"");
    for (int64_t i = 0; i < n; i++) {
        char c = bytes[i];
        switch (c) {
        case '"': kl_buffer_appendc(b, "\\\""); break;
        case '\\': kl_buffer_appendc(b, "\\\\"); break;
        case '\n': kl_buffer_appendc(b, "\\n"); break;
        case '\t': kl_buffer_appendc(b, "\\t"); break;
        case '\r': kl_buffer_appendc(b, "\\r"); break;
        case '\f': kl_buffer_appendc(b, "\\f"); break;
        case '\b': kl_buffer_appendc(b, "\\b"); break;
        default: kl_buffer_append(b, &c, 1);
        }
    }
    kl_buffer_appendc(b, "\"");
}

static void append_char(KlBuffer *b, uint32_t c, int readably) {
    if (!readably) { append_utf8(b, c); return; }
    switch (c) {
    case '\n': kl_buffer_appendc(b, "\\newline"); return;
    case ' ': kl_buffer_appendc(b, "\\space"); return;
    case '\t': kl_buffer_appendc(b, "\\tab"); return;
    case '\r': kl_buffer_appendc(b, "\\return"); return;
    case '\b': kl_buffer_appendc(b, "\\backspace"); return;
    case '\f': kl_buffer_appendc(b, "\\formfeed"); return;
    default: kl_buffer_appendc(b, "\\"); append_utf8(b, c);
    }
}

static void append_vector(KlBuffer *b, kl_value v, int readably) {
    kl_buffer_appendc(b, "[");
    int64_t n = kl_vector_count(v);
    for (int64_t i = 0; i < n; i++) {
        if (i) kl_buffer_appendc(b, " ");
        kl_print_to(b, kl_vector_nth(v, i), readably);
    }
    kl_buffer_appendc(b, "]");
}

/* Maps in their iteration order (array maps: insertion order; hash maps and
 * sets: hash order, hamt.c), entries separated by ", " as Clojure does. */
static void append_map_or_set(KlBuffer *b, kl_value v, int readably) {
    int set = kl_is_set(v);
    kl_buffer_appendc(b, set ? "#{" : "{");
    KlIter it;
    kl_value key, value;
    int first = 1;
    for (kl_iter_start(&it, v); kl_iter_next(&it, &key, &value); first = 0) {
        if (!first) kl_buffer_appendc(b, set ? " " : ", ");
        kl_print_to(b, key, readably);
        if (!set) {
            kl_buffer_appendc(b, " ");
            kl_print_to(b, value, readably);
        }
    }
    kl_buffer_appendc(b, "}");
}

void kl_print_to(KlBuffer *b, kl_value v, int readably) {
    char text[32];
    if (v == KL_NIL) { kl_buffer_appendc(b, "nil"); return; }
    if (v == KL_TRUE) { kl_buffer_appendc(b, "true"); return; }
    if (v == KL_FALSE) { kl_buffer_appendc(b, "false"); return; }
    if (v == KL_EMPTY_LIST) { kl_buffer_appendc(b, "()"); return; }
    if (kl_is_char(v)) { append_char(b, kl_char_value(v), readably); return; }
    int64_t n;
    if (kl_long_value(v, &n)) {
        snprintf(text, sizeof text, "%lld", (long long)n);
        kl_buffer_appendc(b, text);
        return;
    }
    const KeelLayout *l = kl_layout(v);
    if (l == &kl_double_layout) append_double(b, kl_double_value(v));
    else if (l == &kl_string_layout) append_string(b, v, readably);
    else if (l == &kl_keyword_layout) { kl_buffer_appendc(b, ":"); append_string(b, kl_words(v)[0], 0); }
    else if (l == &kl_symbol_layout) append_string(b, kl_words(v)[0], 0);
    else if (l == &kl_cons_layout) {
        kl_buffer_appendc(b, "(");
        for (kl_value p = v; p != KL_EMPTY_LIST; p = kl_words(p)[1]) {
            if (p != v) kl_buffer_appendc(b, " ");
            kl_print_to(b, kl_words(p)[0], readably);
        }
        kl_buffer_appendc(b, ")");
    } else if (kl_is_vector(v)) append_vector(b, v, readably);
    else if (kl_is_map(v) || kl_is_set(v)) append_map_or_set(b, v, readably);
    else if (l == &kl_fn_layout) {
        const KlFnInfo *info = (const KlFnInfo *)(uintptr_t)(kl_words(v)[0] - 1);
        kl_buffer_appendc(b, "#object[");
        kl_buffer_appendc(b, info->name);
        kl_buffer_appendc(b, "]");
    } else if (kl_is_array(v)) {
        /* Not the JVM's identity hash (objects move): the kind and length. */
        snprintf(text, sizeof text, "#object[\"%s\" %lld]", kl_type_name(v), (long long)kl_array_length(v));
        kl_buffer_appendc(b, text);
    } else kl_buffer_appendc(b, "#<unknown>");
}

/* The printing functions take their arguments as one vector (built by the
 * compiled caller) and print them separated by spaces. */
static void write_items(kl_value args, int readably, int newline) {
    KlBuffer b = {0};
    int64_t n = kl_vector_count(args);
    for (int64_t i = 0; i < n; i++) {
        if (i) kl_buffer_appendc(&b, " ");
        kl_print_to(&b, kl_vector_nth(args, i), readably);
    }
    if (newline) kl_buffer_appendc(&b, "\n");
    if (b.length) fwrite(b.bytes, 1, b.length, stdout);
    free(b.bytes);
}

void kl_pr(kl_value args) { write_items(args, 1, 0); }
void kl_prn(kl_value args) { write_items(args, 1, 1); }
void kl_print(kl_value args) { write_items(args, 0, 0); }
void kl_println(kl_value args) { write_items(args, 0, 1); }

static kl_value buffer_to_string(KlBuffer *b) {
    kl_value s = kl_string_from(b->bytes ? b->bytes : "", (int64_t)b->length);
    free(b->bytes);
    return s;
}

/* (str a b ...): nil is nothing, strings and characters their text, and
 * everything else its toString, which for collections is the readable form. */
kl_value kl_str_impl(kl_value args) {
    KlBuffer b = {0};
    int64_t n = kl_vector_count(args);
    for (int64_t i = 0; i < n; i++) {
        kl_value x = kl_vector_nth(args, i);
        if (x != KL_NIL) kl_print_to(&b, x, !(kl_is_string(x) || kl_is_char(x)));
    }
    return buffer_to_string(&b);
}

kl_value kl_pr_str_impl(kl_value args) {
    KlBuffer b = {0};
    int64_t n = kl_vector_count(args);
    for (int64_t i = 0; i < n; i++) {
        if (i) kl_buffer_appendc(&b, " ");
        kl_print_to(&b, kl_vector_nth(args, i), 1);
    }
    return buffer_to_string(&b);
}
