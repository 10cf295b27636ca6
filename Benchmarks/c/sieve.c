/* Sieve of Eratosthenes on a byte array, repeated; plus a prime-gap scan
   over an int array of the primes found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 4000000
#define REPS 30

int main(void)
{
	unsigned char *composite = malloc(LIMIT + 1);
	int *primes = malloc(sizeof(int) * (LIMIT / 2));
	unsigned long sum = 0;
	int count = 0, maxgap = 0, r;

	if (!composite || !primes)
		return 1;
	for (r = 0; r < REPS; r++) {
		int i, j;
		memset(composite, 0, LIMIT + 1);
		composite[0] = composite[1] = 1;
		for (i = 2; (long)i * i <= LIMIT; i++)
			if (!composite[i])
				for (j = i * i; j <= LIMIT; j += i)
					composite[j] = 1;
		count = 0;
		for (i = 2; i <= LIMIT; i++)
			if (!composite[i])
				primes[count++] = i;
		maxgap = 0;
		for (i = 1; i < count; i++) {
			int gap = primes[i] - primes[i - 1];
			if (gap > maxgap)
				maxgap = gap;
			sum += (unsigned long)(primes[i] % 1000);
		}
	}
	printf("sieve %d %d %lu\n", count, maxgap, sum);
	free(composite);
	free(primes);
	return 0;
}
