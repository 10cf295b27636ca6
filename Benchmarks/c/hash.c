/* Hashing a buffer: CRC-32 (reflected, polynomial 0xEDB88320) through a
   256-entry table, and FNV-1a in 32 and 64 bits. */
#include <stdio.h>
#include <stdlib.h>

#define SIZE (1 << 20)
#define REPS 72

static unsigned crc_table[256];

static void make_table(void)
{
	unsigned n, c;
	int k;

	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static unsigned crc32(unsigned crc, const unsigned char *p, size_t len)
{
	size_t i;

	crc = ~crc;
	for (i = 0; i < len; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static unsigned fnv32(const unsigned char *p, size_t len)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static unsigned long long fnv64(const unsigned char *p, size_t len)
{
	unsigned long long h = 14695981039346656037ull;
	const unsigned char *end = p + len;

	while (p < end) {
		h ^= *p++;
		h *= 1099511628211ull;
	}
	return h;
}

int main(void)
{
	unsigned char *buf = malloc(SIZE);
	unsigned crc = 0, f32 = 0, x = 1;
	unsigned long long f64 = 0;
	size_t i;
	int r;

	if (!buf)
		return 1;
	make_table();
	for (i = 0; i < SIZE; i++) {
		x = x * 1664525u + 1013904223u;
		buf[i] = (unsigned char)(x >> 24);
	}
	for (r = 0; r < REPS; r++) {
		buf[r] ^= (unsigned char)r;
		crc = crc32(crc, buf, SIZE);
		f32 ^= fnv32(buf, SIZE);
		f64 += fnv64(buf, SIZE);
	}
	printf("hash %08x %08x %016llx\n", crc, f32, f64);
	free(buf);
	return 0;
}
