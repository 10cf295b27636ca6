/* Small structs passed and returned by value: complex numbers (two
   doubles), integer points (two ints in one register), a mixed
   integer/double pair and a 24-byte struct passed in memory. */
#include <stdio.h>

#define ITERS 15000000

struct cplx { double re, im; };
struct point { int x, y; };
struct pair { long n; double w; };
struct box { long a, b, c; };

static struct cplx cmul(struct cplx a, struct cplx b)
{
	struct cplx r;
	r.re = a.re * b.re - a.im * b.im;
	r.im = a.re * b.im + a.im * b.re;
	return r;
}

static struct cplx cadd(struct cplx a, struct cplx b)
{
	struct cplx r;
	r.re = a.re + b.re;
	r.im = a.im + b.im;
	return r;
}

static struct point padd(struct point a, struct point b)
{
	struct point r;
	r.x = a.x + b.x;
	r.y = a.y + b.y;
	return r;
}

static struct point protate(struct point p)
{
	struct point r;
	r.x = -p.y;
	r.y = p.x;
	return r;
}

static struct pair pstep(struct pair p, int k)
{
	p.n = p.n * 3 + k;
	if (p.n > 1000000)
		p.n %= 1000;
	p.w = p.w * 0.5 + (double)k;
	return p;
}

static struct box bmix(struct box b, long k)
{
	struct box r;
	r.a = b.b + k;
	r.b = b.c ^ k;
	r.c = (b.a + b.b) & 0xffff;
	return r;
}

int main(void)
{
	struct cplx z = {0.0, 0.0}, c = {0.3, -0.2}, acc = {0.0, 0.0};
	struct point p = {1, 2}, d = {3, -1};
	struct pair q = {1, 1.0};
	struct box b = {1, 2, 3};
	long psum = 0;
	int i;

	for (i = 0; i < ITERS; i++) {
		c.re = -0.8 + (double)(i & 63) * 0.02;
		z = cadd(cmul(z, z), c);
		if (z.re * z.re + z.im * z.im > 4.0) {
			acc = cadd(acc, z);
			z.re = (double)(i % 7) * 0.01;
			z.im = 0.0;
		}
		p = padd(protate(p), d);
		if (i % 5 == 0)
			p = padd(p, d);
		psum += p.x - p.y;
		q = pstep(q, i & 15);
		b = bmix(b, i);
	}
	printf("structs %.9f %.9f %ld %d %d %ld %.6f %ld %ld %ld\n",
	       acc.re, acc.im, psum, p.x, p.y, q.n, q.w, b.a, b.b, b.c);
	return 0;
}
