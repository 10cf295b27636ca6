/* Mandelbrot-like escape-time iteration over a grid of doubles. */
#include <stdio.h>

#define W 1200
#define H 900
#define MAXIT 300

static int escape(double cr, double ci)
{
	double zr = 0.0, zi = 0.0;
	int it;

	for (it = 0; it < MAXIT; it++) {
		double zr2 = zr * zr, zi2 = zi * zi;
		if (zr2 + zi2 > 4.0)
			break;
		zi = 2.0 * zr * zi + ci;
		zr = zr2 - zi2 + cr;
	}
	return it;
}

int main(void)
{
	unsigned long total = 0;
	unsigned hash = 0;
	int x, y;

	for (y = 0; y < H; y++) {
		double ci = -1.2 + 2.4 * y / H;
		for (x = 0; x < W; x++) {
			double cr = -2.1 + 3.0 * x / W;
			int it = escape(cr, ci);
			total += it;
			hash = hash * 31u + (unsigned)it;
		}
	}
	printf("mandel %lu %u\n", total, hash);
	return 0;
}
