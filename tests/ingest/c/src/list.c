#include "list.h"
// <- reference.import list.h
#include <stdio.h>
// <- reference.import stdio.h

/** A node of the list.
 *  Holds one value. */
struct node {
//     ^ definition.struct node
//     ^ doc A node of the list.
  int value, weight;
//    ^ definition.field node.value
//           ^ definition.field node.weight
  struct node *next;
//             ^ definition.field node.next
  int (*cmp)(int a, int b);
//      ^ definition.field node.cmp
};

typedef struct {
  unsigned flags : 3;
//         ^ definition.field stats_t.flags
} stats_t;
//^ definition.struct stats_t

typedef enum { RED, GREEN } color;
//                          ^ definition.enum color

static int counter = 0;
//         ^ definition.variable counter
const char *names[] = {"a"};
//          ^ definition.variable names
extern int declared_elsewhere;
int prototype(int x);

// Sums the list.
static int sum(struct node *head, int limit) {
//         ^ definition.function sum
//         ^ doc Sums the list.
  int total = 0;
  printf("%d", head->value);
//^ reference.call printf
  return total + head->cmp(1, 2) + count(head->next, limit);
//               ^ reference.call head->cmp
//                                 ^ reference.call count
}

static _GL_ATTRIBUTE_PURE int peek(struct node *head) { return head->value; }
//                            ^ definition.function peek
