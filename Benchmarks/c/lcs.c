/* Dynamic programming on int arrays: longest common subsequence of two
   generated strings (two rolling rows) and a 0/1 knapsack table. */
#include <stdio.h>
#include <stdlib.h>

#define LEN 9000
#define ITEMS 2000
#define CAP 20000

static int lcs(const char *a, int n, const char *b, int m, int *prev, int *cur)
{
	int i, j;

	for (j = 0; j <= m; j++)
		prev[j] = 0;
	for (i = 1; i <= n; i++) {
		int *t;
		cur[0] = 0;
		for (j = 1; j <= m; j++) {
			if (a[i - 1] == b[j - 1])
				cur[j] = prev[j - 1] + 1;
			else
				cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

static int knapsack(const int *weight, const int *value, int items, int cap, int *best)
{
	int i, c;

	for (c = 0; c <= cap; c++)
		best[c] = 0;
	for (i = 0; i < items; i++)
		for (c = cap; c >= weight[i]; c--) {
			int with = best[c - weight[i]] + value[i];
			if (with > best[c])
				best[c] = with;
		}
	return best[cap];
}

int main(void)
{
	char *a = malloc(LEN), *b = malloc(LEN);
	int *prev = malloc(sizeof(int) * (LEN + 1));
	int *cur = malloc(sizeof(int) * (LEN + 1));
	int *weight = malloc(sizeof(int) * ITEMS);
	int *value = malloc(sizeof(int) * ITEMS);
	int *best = malloc(sizeof(int) * (CAP + 1));
	unsigned s = 99;
	int i, l, k;

	if (!a || !b || !prev || !cur || !weight || !value || !best)
		return 1;
	for (i = 0; i < LEN; i++) {
		s = s * 1103515245u + 12345u;
		a[i] = (char)('a' + (s >> 16) % 4);
		s = s * 1103515245u + 12345u;
		b[i] = (char)('a' + (s >> 16) % 4);
	}
	for (i = 0; i < ITEMS; i++) {
		s = s * 1103515245u + 12345u;
		weight[i] = 1 + (int)((s >> 16) % 100);
		s = s * 1103515245u + 12345u;
		value[i] = 1 + (int)((s >> 16) % 500);
	}
	l = lcs(a, LEN, b, LEN, prev, cur);
	k = knapsack(weight, value, ITEMS, CAP, best);
	printf("lcs %d %d\n", l, k);
	return 0;
}
