/* Pointer chasing: a binary search tree built from pseudo-random keys and
   searched many times, and a singly linked list whose nodes are linked in a
   shuffled order, walked repeatedly. */
#include <stdio.h>
#include <stdlib.h>

#define TREE_NODES 200000
#define LOOKUPS 1500000
#define LIST_NODES 300000
#define WALKS 12

struct tnode {
	unsigned key;
	int count;
	struct tnode *left, *right;
};

struct lnode {
	struct lnode *next;
	long value;
};

static unsigned rng = 2463534242u;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static struct tnode *pool;
static int pool_used;

static struct tnode *insert(struct tnode *root, unsigned key)
{
	struct tnode **link = &root;

	while (*link) {
		struct tnode *n = *link;
		if (key == n->key) {
			n->count++;
			return root;
		}
		link = key < n->key ? &n->left : &n->right;
	}
	*link = &pool[pool_used++];
	(*link)->key = key;
	(*link)->count = 1;
	(*link)->left = (*link)->right = NULL;
	return root;
}

static int lookup(const struct tnode *n, unsigned key)
{
	while (n) {
		if (key == n->key)
			return n->count;
		n = key < n->key ? n->left : n->right;
	}
	return 0;
}

static int depth(const struct tnode *n)
{
	int l, r;

	if (!n)
		return 0;
	l = depth(n->left);
	r = depth(n->right);
	return 1 + (l > r ? l : r);
}

int main(void)
{
	struct tnode *root = NULL;
	struct lnode *nodes, *head, *p;
	int *order;
	long found = 0, walk_sum = 0;
	int i, w;

	pool = malloc(sizeof(struct tnode) * TREE_NODES);
	nodes = malloc(sizeof(struct lnode) * LIST_NODES);
	order = malloc(sizeof(int) * LIST_NODES);
	if (!pool || !nodes || !order)
		return 1;
	for (i = 0; i < TREE_NODES; i++)
		root = insert(root, next_rand() % (TREE_NODES * 4u));
	for (i = 0; i < LOOKUPS; i++)
		found += lookup(root, next_rand() % (TREE_NODES * 4u));

	for (i = 0; i < LIST_NODES; i++)
		order[i] = i;
	for (i = LIST_NODES - 1; i > 0; i--) {
		int j = (int)(next_rand() % (unsigned)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < LIST_NODES; i++) {
		nodes[order[i]].value = i;
		nodes[order[i]].next = i + 1 < LIST_NODES ? &nodes[order[i + 1]] : NULL;
	}
	head = &nodes[order[0]];
	for (w = 0; w < WALKS; w++)
		for (p = head; p; p = p->next)
			walk_sum += p->value ^ w;

	printf("tree %d %ld %d %ld\n", pool_used, found, depth(root), walk_sum);
	free(pool);
	free(nodes);
	free(order);
	return 0;
}
