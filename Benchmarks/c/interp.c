/* A switch-based bytecode interpreter (a stack machine with local
   registers) running a small program: nested loops with arithmetic. */
#include <stdio.h>

enum {
	OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_MOD,
	OP_LT, OP_JZ, OP_JMP, OP_DUP, OP_POP, OP_XOR, OP_SHL, OP_INC
};

/* r0 = i, r1 = j, r2 = acc, r3 = outer limit, r4 = inner limit
   for (i = 0; i < r3; i++)
     for (j = 0; j < r4; j++)
       acc = (acc ^ (i * j + 7)) % 1000003 + (j << 1);  */
static const int program[] = {
	OP_PUSH, 0, OP_STORE, 2,           /* 0: acc = 0 */
	OP_PUSH, 0, OP_STORE, 0,           /* 4: i = 0 */
	OP_LOAD, 0, OP_LOAD, 3, OP_LT,     /* 8: i < r3 */
	OP_JZ, 59,                         /* 13 */
	OP_PUSH, 0, OP_STORE, 1,           /* 15: j = 0 */
	OP_LOAD, 1, OP_LOAD, 4, OP_LT,     /* 19: j < r4 */
	OP_JZ, 55,                         /* 24 */
	OP_LOAD, 2,                        /* 26: acc */
	OP_LOAD, 0, OP_LOAD, 1, OP_MUL,    /* 28: i * j */
	OP_PUSH, 7, OP_ADD,                /* 33 */
	OP_XOR,                            /* 36 */
	OP_PUSH, 1000003, OP_MOD,          /* 37 */
	OP_LOAD, 1, OP_PUSH, 1, OP_SHL,    /* 40: j << 1 */
	OP_ADD, OP_STORE, 2,               /* 45 */
	OP_INC, 1,                         /* 48: j++ */
	OP_JMP, 19,                        /* 50 */
	OP_HALT, OP_HALT, OP_HALT,         /* 52: padding */
	OP_INC, 0,                         /* 55: i++ */
	OP_JMP, 8,                         /* 57 */
	OP_HALT                            /* 59 */
};

static long run(const int *code, long *regs)
{
	long stack[64];
	int sp = 0, pc = 0;
	long steps = 0;

	for (;;) {
		int op = code[pc++];
		steps++;
		switch (op) {
		case OP_HALT:
			return steps;
		case OP_PUSH:
			stack[sp++] = code[pc++];
			break;
		case OP_LOAD:
			stack[sp++] = regs[code[pc++]];
			break;
		case OP_STORE:
			regs[code[pc++]] = stack[--sp];
			break;
		case OP_ADD:
			sp--;
			stack[sp - 1] += stack[sp];
			break;
		case OP_SUB:
			sp--;
			stack[sp - 1] -= stack[sp];
			break;
		case OP_MUL:
			sp--;
			stack[sp - 1] *= stack[sp];
			break;
		case OP_MOD:
			sp--;
			stack[sp - 1] %= stack[sp];
			break;
		case OP_LT:
			sp--;
			stack[sp - 1] = stack[sp - 1] < stack[sp];
			break;
		case OP_JZ:
			if (stack[--sp] == 0)
				pc = code[pc];
			else
				pc++;
			break;
		case OP_JMP:
			pc = code[pc];
			break;
		case OP_DUP:
			stack[sp] = stack[sp - 1];
			sp++;
			break;
		case OP_POP:
			sp--;
			break;
		case OP_XOR:
			sp--;
			stack[sp - 1] ^= stack[sp];
			break;
		case OP_SHL:
			sp--;
			stack[sp - 1] <<= stack[sp];
			break;
		case OP_INC:
			regs[code[pc++]]++;
			break;
		default:
			return -1;
		}
	}
}

int main(void)
{
	long regs[8] = {0};
	long steps;

	regs[3] = 3500;
	regs[4] = 3500;
	steps = run(program, regs);
	printf("interp %ld %ld\n", steps, regs[2]);
	return 0;
}
