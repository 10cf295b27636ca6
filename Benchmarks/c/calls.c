/* Function-call heavy code: recursive Fibonacci, Ackermann and Takeuchi. */
#include <stdio.h>

static int fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int ack(int m, int n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static int tak(int x, int y, int z)
{
	if (y >= x)
		return z;
	return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

int main(void)
{
	int f = fib(37);
	int a = ack(2, 2000) + ack(3, 10);
	int t = tak(28, 18, 9);
	printf("calls %d %d %d\n", f, a, t);
	return 0;
}
