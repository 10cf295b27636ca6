/* N-body-like simulation on doubles: pairwise forces with a softened
   1/r^4 law (no sqrt, so only libc is needed), leapfrog-style updates. */
#include <stdio.h>

#define NBODY 32
#define STEPS 100000

struct body {
	double x, y, z;
	double vx, vy, vz;
	double m;
};

static struct body bodies[NBODY];

static void init(void)
{
	unsigned s = 12345;
	int i;

	for (i = 0; i < NBODY; i++) {
		s = s * 1103515245u + 12345u;
		bodies[i].x = (double)(s >> 16 & 1023) / 64.0;
		s = s * 1103515245u + 12345u;
		bodies[i].y = (double)(s >> 16 & 1023) / 64.0;
		s = s * 1103515245u + 12345u;
		bodies[i].z = (double)(s >> 16 & 1023) / 64.0;
		bodies[i].vx = bodies[i].vy = bodies[i].vz = 0.0;
		bodies[i].m = 1.0 + (double)(i % 5) * 0.25;
	}
}

static void advance(double dt)
{
	int i, j;

	for (i = 0; i < NBODY; i++) {
		struct body *a = &bodies[i];
		for (j = i + 1; j < NBODY; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x;
			double dy = a->y - b->y;
			double dz = a->z - b->z;
			double d2 = dx * dx + dy * dy + dz * dz + 0.5;
			double mag = dt / (d2 * d2);
			a->vx -= dx * b->m * mag;
			a->vy -= dy * b->m * mag;
			a->vz -= dz * b->m * mag;
			b->vx += dx * a->m * mag;
			b->vy += dy * a->m * mag;
			b->vz += dz * a->m * mag;
		}
	}
	for (i = 0; i < NBODY; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

static double energy(void)
{
	double e = 0.0;
	int i;

	for (i = 0; i < NBODY; i++) {
		struct body *b = &bodies[i];
		e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
		e += b->x + b->y + b->z;
	}
	return e;
}

int main(void)
{
	int step;

	init();
	for (step = 0; step < STEPS; step++)
		advance(0.01);
	printf("nbody %.9f\n", energy());
	return 0;
}
