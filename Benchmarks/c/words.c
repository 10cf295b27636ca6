/* String scanning over a generated text: word, line and character counts,
   a hand-written strlen over every line, letter frequencies and a naive
   substring search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_SIZE (3 << 20)
#define REPS 20

static const char *const vocab[] = {
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
	"backend", "register", "allocation", "spill", "value", "block",
	"phi", "loop", "a", "of", "in", "compiler", "instruction", "stack"
};

static size_t my_strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static long count_matches(const char *text, const char *pat)
{
	long n = 0;
	size_t m = my_strlen(pat);
	const char *p;

	for (p = text; *p; p++) {
		size_t k = 0;
		while (k < m && p[k] == pat[k])
			k++;
		if (k == m)
			n++;
	}
	return n;
}

int main(void)
{
	char *text = malloc(TEXT_SIZE + 64);
	long freq[26];
	long words = 0, lines = 0, total_len = 0, matches = 0, longest = 0;
	unsigned s = 7;
	size_t pos = 0;
	int nvocab = (int)(sizeof vocab / sizeof vocab[0]);
	int r, i;

	if (!text)
		return 1;
	while (pos < TEXT_SIZE) {
		const char *w;
		size_t len;
		s = s * 1103515245u + 12345u;
		w = vocab[(s >> 16) % (unsigned)nvocab];
		len = strlen(w);
		memcpy(text + pos, w, len);
		pos += len;
		s = s * 1103515245u + 12345u;
		switch ((s >> 16) % 16) {
		case 0: text[pos++] = '\n'; break;
		case 1: text[pos++] = ','; text[pos++] = ' '; break;
		case 2: text[pos++] = '.'; text[pos++] = ' '; break;
		default: text[pos++] = ' '; break;
		}
	}
	text[pos] = '\0';
	memset(freq, 0, sizeof freq);

	for (r = 0; r < REPS; r++) {
		const char *p = text;
		int in_word = 0;
		for (; *p; p++) {
			int c = (unsigned char)*p;
			if (is_alpha(c)) {
				if (!in_word)
					words++;
				in_word = 1;
				freq[(c | 32) - 'a']++;
			} else {
				in_word = 0;
				if (c == '\n')
					lines++;
			}
		}
		/* strlen over each line, by cutting the text at newlines */
		p = text;
		while (*p) {
			char *nl = strchr(p, '\n');
			size_t len;
			if (nl) {
				*nl = '\0';
				len = my_strlen(p);
				*nl = '\n';
				p = nl + 1;
			} else {
				len = my_strlen(p);
				p += len;
			}
			total_len += (long)len;
			if ((long)len > longest)
				longest = (long)len;
		}
		matches += count_matches(text, r & 1 ? "spill" : "the ");
	}
	printf("words %ld %ld %ld %ld %ld", words, lines, total_len, longest, matches);
	for (i = 0; i < 26; i += 5)
		printf(" %ld", freq[i]);
	printf("\n");
	free(text);
	return 0;
}
