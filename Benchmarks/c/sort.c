/* Sorting ints: a recursive quicksort (median of three, insertion sort for
   short ranges) and a top-down mergesort with a scratch buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 600000
#define REPS 4

static void insertion(int *a, int lo, int hi)
{
	int i, j;

	for (i = lo + 1; i <= hi; i++) {
		int v = a[i];
		for (j = i - 1; j >= lo && a[j] > v; j--)
			a[j + 1] = a[j];
		a[j + 1] = v;
	}
}

static void swap(int *a, int i, int j)
{
	int t = a[i];
	a[i] = a[j];
	a[j] = t;
}

static void quicksort(int *a, int lo, int hi)
{
	while (hi - lo > 16) {
		int mid = lo + (hi - lo) / 2;
		int pivot, i, j;
		if (a[mid] < a[lo])
			swap(a, mid, lo);
		if (a[hi] < a[lo])
			swap(a, hi, lo);
		if (a[hi] < a[mid])
			swap(a, hi, mid);
		pivot = a[mid];
		i = lo;
		j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				swap(a, i, j);
				i++;
				j--;
			}
		}
		if (j - lo < hi - i) {
			quicksort(a, lo, j);
			lo = i;
		} else {
			quicksort(a, i, hi);
			hi = j;
		}
	}
	insertion(a, lo, hi);
}

static void mergesort_rec(int *a, int *tmp, int lo, int hi)
{
	int mid, i, j, k;

	if (hi - lo < 1)
		return;
	mid = lo + (hi - lo) / 2;
	mergesort_rec(a, tmp, lo, mid);
	mergesort_rec(a, tmp, mid + 1, hi);
	i = lo;
	j = mid + 1;
	k = lo;
	while (i <= mid && j <= hi)
		tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
	while (i <= mid)
		tmp[k++] = a[i++];
	while (j <= hi)
		tmp[k++] = a[j++];
	for (k = lo; k <= hi; k++)
		a[k] = tmp[k];
}

static unsigned long checksum(const int *a, int n)
{
	unsigned long h = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0 && a[i - 1] > a[i])
			return 0;  /* not sorted */
		h = h * 1000003ul + (unsigned long)a[i];
	}
	return h;
}

int main(void)
{
	int *a = malloc(sizeof(int) * COUNT);
	int *b = malloc(sizeof(int) * COUNT);
	int *tmp = malloc(sizeof(int) * COUNT);
	unsigned long h1 = 0, h2 = 0;
	unsigned long long s = 88172645463325252ull;
	int i, r;

	if (!a || !b || !tmp)
		return 1;
	for (r = 0; r < REPS; r++) {
		for (i = 0; i < COUNT; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			a[i] = (int)(s % 1000000007ull) - 500000000;
		}
		memcpy(b, a, sizeof(int) * COUNT);
		quicksort(a, 0, COUNT - 1);
		mergesort_rec(b, tmp, 0, COUNT - 1);
		h1 += checksum(a, COUNT);
		h2 += checksum(b, COUNT);
	}
	printf("sort %lu %lu %d %d\n", h1, h2, a[0], a[COUNT - 1]);
	free(a);
	free(b);
	free(tmp);
	return 0;
}
