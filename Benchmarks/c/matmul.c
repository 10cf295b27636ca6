/* Dense matrix multiply on doubles, row-major arrays indexed by hand. */
#include <stdio.h>
#include <stdlib.h>

#define N 160
#define REPS 40

static void matmul(int n, const double *a, const double *b, double *c)
{
	int i, j, k;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			double sum = 0.0;
			for (k = 0; k < n; k++)
				sum += a[i * n + k] * b[k * n + j];
			c[i * n + j] = sum;
		}
	}
}

int main(void)
{
	double *a = malloc(sizeof(double) * N * N);
	double *b = malloc(sizeof(double) * N * N);
	double *c = malloc(sizeof(double) * N * N);
	double check = 0.0;
	int i, r;

	if (!a || !b || !c)
		return 1;
	for (i = 0; i < N * N; i++) {
		a[i] = (double)(i % 17) - 8.0;
		b[i] = (double)(i % 13) * 0.5;
	}
	for (r = 0; r < REPS; r++) {
		matmul(N, a, b, c);
		/* feed the result back, scaled, so every repetition differs */
		for (i = 0; i < N * N; i++)
			a[i] = c[i] * (1.0 / 4096.0) + (double)(r & 3);
		check += c[r * (N + 1)];
	}
	for (i = 0; i < N * N; i++)
		check += c[i] * 1e-6;
	printf("matmul %.6f\n", check);
	free(a);
	free(b);
	free(c);
	return 0;
}
