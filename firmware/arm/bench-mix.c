/* bench-mix.bin: branchy, memory-heavy integer workload for tsemu vs QEMU.
 *
 * Each of MIX_ROUNDS rounds runs, with data seeded from the round number:
 *   list   sorted insertion into a singly linked list whose nodes come from
 *          a shuffled pool (pointer chasing), then filtered deletion,
 *          in-place reversal and a traversal;
 *   matrix a 48x48 integer matrix multiply (C = A*B, then A = C ^ B);
 *   lexer  a byte-driven state machine (tokenizer) over generated C-like
 *          text: identifiers, decimal/hex numbers, strings with escapes,
 *          comments, operators;
 *   hash   an open-addressing hash table of 2 MiB (insert/lookup/update at
 *          random keys: a page-crossing access pattern);
 *   calls  a small stack VM whose opcodes are dispatched through a table of
 *          function pointers, and a recursive quicksort with a comparator
 *          passed as a function pointer.
 * Per-part sums and a final checksum are printed, then PSCI SYSTEM_OFF.
 * -DSMALL gives 1/20th of the rounds.  Output depends only on the constants.
 */
#include "types.h"
#include "uart.h"
#include "exc.h"

#ifdef SMALL
#define MIX_ROUNDS 17u
#else
#define MIX_ROUNDS 340u
#endif

/* Fixed RAM areas (above the 1 MiB .data/.bss/stack window, below 128 MiB).
 * The x86 build (firmware/x86/Makefile) passes its own -DHEAP_BASE. */
#ifndef HEAP_BASE
#define HEAP_BASE   0x40200000u
#endif
#define NODES_AT    (HEAP_BASE)                 /* 768 x 16 bytes       */
#define TEXT_AT     (HEAP_BASE + 0x00010000u)   /* lexer input, 64 KiB  */
#define SORT_AT     (HEAP_BASE + 0x00020000u)   /* 4096 words           */
#define HTAB_AT     (HEAP_BASE + 0x00100000u)   /* 256 Ki x 8 bytes     */

static inline u32 rotl(u32 x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static u32 rng_state;
static void rng_seed(u32 s) { rng_state = s ? s : 0x9e3779b9u; }
static u32 rng(void)
{
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}
static u32 rng_below(u32 n) { return rng() % n; }

/* ------------------------------------------------------------------ list */
#define NNODES 768u
struct node {
    struct node *next;
    u32 key;
    u32 val;
    u32 pad;
};

static u32 part_list(u32 seed)
{
    struct node *pool = (struct node *)NODES_AT;
    static struct node *order[NNODES];
    rng_seed(seed * 2654435761u + 1);

    /* Shuffle the allocation order so successive nodes are far apart. */
    for (u32 i = 0; i < NNODES; i++)
        order[i] = &pool[i];
    for (u32 i = NNODES - 1; i > 0; i--) {
        u32 j = rng_below(i + 1);
        struct node *t = order[i];
        order[i] = order[j];
        order[j] = t;
    }

    /* Sorted insertion (ascending key, stable for equal keys). */
    struct node head = { NULL, 0, 0, 0 };
    for (u32 i = 0; i < NNODES; i++) {
        struct node *n = order[i];
        n->key = rng() & 0xffff;
        n->val = i;
        struct node *p = &head;
        while (p->next && p->next->key <= n->key)
            p = p->next;
        n->next = p->next;
        p->next = n;
    }

    /* Delete nodes whose key has bit 3 set or whose val is a multiple of 7. */
    u32 removed = 0;
    for (struct node *p = &head; p->next;) {
        struct node *n = p->next;
        if ((n->key & 8) || n->val % 7 == 0) {
            p->next = n->next;
            removed++;
        } else {
            p = n;
        }
    }

    /* Reverse in place. */
    struct node *prev = NULL, *cur = head.next;
    while (cur) {
        struct node *nx = cur->next;
        cur->next = prev;
        prev = cur;
        cur = nx;
    }

    /* Traverse: must now be in descending order. */
    u32 h = removed, last = 0xffffffffu, bad = 0, pos = 0;
    for (struct node *n = prev; n; n = n->next, pos++) {
        if (n->key > last)
            bad++;
        last = n->key;
        h = rotl(h, 7) ^ (n->key * 31 + n->val + pos);
    }
    return h + bad * 0x10000000u;
}

/* ---------------------------------------------------------------- matrix */
#define MN 48
static s32 ma[MN][MN], mb[MN][MN], mc[MN][MN];

static u32 part_matrix(u32 seed)
{
    rng_seed(seed * 0x85ebca6bu + 7);
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = (s32)(rng() & 0x3ff) - 512;
            mb[i][j] = (s32)(rng() & 0x3ff) - 512;
        }
    u32 h = 0;
    for (int rep = 0; rep < 2; rep++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                s32 acc = 0;
                for (int k = 0; k < MN; k++)
                    acc += ma[i][k] * mb[k][j];
                mc[i][j] = acc;
            }
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                h = rotl(h, 3) ^ (u32)mc[i][j];
                ma[i][j] = (mc[i][j] >> 8) ^ (mb[j][i] & 0xff);
            }
    }
    return h;
}

/* ----------------------------------------------------------------- lexer */
#define TEXT_BYTES 0x10000u

enum { C_OTHER, C_SPACE, C_NL, C_ALPHA, C_DIGIT, C_QUOTE, C_SLASH, C_STAR,
       C_OP, C_BSLASH, C_X };
static u8 cclass[256];

static void lexer_init(void)
{
    for (int c = 0; c < 256; c++) {
        u8 k = C_OTHER;
        if (c == ' ' || c == '\t') k = C_SPACE;
        else if (c == '\n') k = C_NL;
        else if (c == 'x') k = C_X;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') k = C_ALPHA;
        else if (c >= '0' && c <= '9') k = C_DIGIT;
        else if (c == '"') k = C_QUOTE;
        else if (c == '/') k = C_SLASH;
        else if (c == '*') k = C_STAR;
        else if (c == '\\') k = C_BSLASH;
        else if (c == '+' || c == '-' || c == '=' || c == '<' || c == '>' || c == '!' ||
                 c == '&' || c == '|' || c == ';' || c == ',' || c == '(' || c == ')' ||
                 c == '{' || c == '}') k = C_OP;
        cclass[c] = k;
    }
}

static u32 gen_text(u8 *t, u32 n, u32 seed)
{
    static const char *const words[] = {
        "if", "else", "while", "return", "int", "u32", "struct", "node", "next",
        "tsemu", "qemu", "x", "xyzzy", "_tmp", "a1", "B52", "count", "for",
    };
    static const char *const ops[] = {
        "+", "-", "==", "!=", "<=", ">=", "&&", "||", ";", ",", "(", ")",
        "{", "}", "=", "<", ">", "->", "++", "!", "*",
    };
    rng_seed(seed * 0xc2b2ae35u + 3);
    u32 i = 0;
    while (i + 40 < n) {
        u32 r = rng();
        const char *s = NULL;
        switch (r & 15) {
        case 0: case 1: case 2: case 3: case 4:
            s = words[(r >> 4) % ARRAY_SIZE(words)];
            break;
        case 5: case 6: case 7: case 8:
            s = ops[(r >> 4) % ARRAY_SIZE(ops)];
            break;
        case 9: {           /* decimal number */
            u32 v = r >> 12, len = 1 + ((r >> 4) & 7);
            for (u32 k = 0; k < len; k++, v /= 10)
                t[i++] = (u8)('0' + v % 10);
            break;
        }
        case 10: {          /* hex number */
            static const char hx[] = "0123456789abcdefABCDEF";
            t[i++] = '0';
            t[i++] = 'x';
            u32 len = 1 + ((r >> 4) & 7);
            for (u32 k = 0; k < len; k++)
                t[i++] = (u8)hx[rng() % 22];
            break;
        }
        case 11: {          /* string with escapes */
            t[i++] = '"';
            u32 len = (r >> 4) & 15;
            for (u32 k = 0; k < len; k++) {
                u32 q = rng();
                if ((q & 7) == 0) { t[i++] = '\\'; t[i++] = (q & 8) ? '"' : 'n'; }
                else t[i++] = (u8)('a' + (q >> 8) % 26);
            }
            t[i++] = '"';
            break;
        }
        case 12:            /* comment */
            if (r & 0x10) { s = "/* note * here */"; }
            else { s = "// line comment\n"; }
            break;
        case 13:
            t[i++] = '\n';
            break;
        default:
            t[i++] = ' ';
            if (r & 0x100) t[i++] = '\t';
            break;
        }
        if (s)
            while (*s)
                t[i++] = (u8)*s++;
        if ((r >> 20) & 1)
            t[i++] = ' ';
    }
    while (i < n)
        t[i++] = ' ';
    return i;
}

enum { S_START, S_IDENT, S_NUM, S_ZERO, S_HEX, S_STR, S_STR_ESC, S_SLASH,
       S_LINE_COMMENT, S_BLOCK_COMMENT, S_BLOCK_STAR };
enum { T_IDENT, T_NUM, T_STR, T_OP, T_COMMENT, T_NL, T_ERR, T_NKINDS };

static u32 part_lexer(u32 seed)
{
    u8 *t = (u8 *)TEXT_AT;
    u32 n = gen_text(t, TEXT_BYTES, seed);
    u32 count[T_NKINDS] = { 0 };
    u32 idhash = 0x811c9dc5u, numsum = 0, num = 0, strlen_sum = 0, h = 0x811c9dc5u;
    int st = S_START;

    for (u32 i = 0; i <= n; i++) {
        u32 c = i < n ? t[i] : ' ';
        u32 k = cclass[c];
    again:
        switch (st) {
        case S_START:
            switch (k) {
            case C_ALPHA: case C_X:
                st = S_IDENT; h = (0x811c9dc5u ^ c) * 0x01000193u; break;
            case C_DIGIT:
                if (c == '0') { st = S_ZERO; num = 0; }
                else { st = S_NUM; num = c - '0'; }
                break;
            case C_QUOTE: st = S_STR; break;
            case C_SLASH: st = S_SLASH; break;
            case C_OP: case C_STAR: count[T_OP]++; break;
            case C_NL: count[T_NL]++; break;
            case C_SPACE: break;
            default: count[T_ERR]++; break;
            }
            break;
        case S_IDENT:
            if (k == C_ALPHA || k == C_DIGIT || k == C_X) {
                h = (h ^ c) * 0x01000193u;
            } else {
                count[T_IDENT]++;
                idhash = rotl(idhash, 5) ^ h;
                st = S_START;
                goto again;
            }
            break;
        case S_ZERO:
            if (k == C_X) { st = S_HEX; break; }
            st = S_NUM;
            goto again;
        case S_NUM:
            if (k == C_DIGIT) {
                num = num * 10 + (c - '0');
            } else {
                count[T_NUM]++;
                numsum += num;
                st = S_START;
                goto again;
            }
            break;
        case S_HEX:
            if (k == C_DIGIT) num = num << 4 | (c - '0');
            else if (c >= 'a' && c <= 'f') num = num << 4 | (c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') num = num << 4 | (c - 'A' + 10);
            else {
                count[T_NUM]++;
                numsum ^= num;
                st = S_START;
                goto again;
            }
            break;
        case S_STR:
            if (k == C_QUOTE) { count[T_STR]++; st = S_START; }
            else if (k == C_BSLASH) st = S_STR_ESC;
            else strlen_sum++;
            break;
        case S_STR_ESC:
            strlen_sum += 2;
            st = S_STR;
            break;
        case S_SLASH:
            if (c == '/') st = S_LINE_COMMENT;
            else if (k == C_STAR) st = S_BLOCK_COMMENT;
            else { count[T_OP]++; st = S_START; goto again; }
            break;
        case S_LINE_COMMENT:
            if (k == C_NL) { count[T_COMMENT]++; count[T_NL]++; st = S_START; }
            break;
        case S_BLOCK_COMMENT:
            if (k == C_STAR) st = S_BLOCK_STAR;
            break;
        case S_BLOCK_STAR:
            if (c == '/') { count[T_COMMENT]++; st = S_START; }
            else if (k != C_STAR) st = S_BLOCK_COMMENT;
            break;
        }
    }
    u32 r = idhash ^ rotl(numsum, 11) ^ rotl(strlen_sum, 22) ^ (u32)st;
    for (int i = 0; i < T_NKINDS; i++)
        r = rotl(r, 9) + count[i];
    return r;
}

/* ------------------------------------------------------------------ hash */
#define HT_BITS 18
#define HT_SIZE (1u << HT_BITS)
struct ht_ent { u32 key; u32 val; };

static u32 part_hash(u32 seed)
{
    struct ht_ent *ht = (struct ht_ent *)HTAB_AT;
    for (u32 i = 0; i < HT_SIZE; i++)
        ht[i].key = 0;
    rng_seed(seed * 0x27d4eb2fu + 11);
    u32 h = 0, probes = 0;
    for (u32 i = 0; i < 6000; i++) {
        u32 key = (rng() & 0x3fff) | 1;        /* duplicates happen */
        u32 slot = (key * 0x9e3779b1u) >> (32 - HT_BITS);
        for (;;) {
            probes++;
            if (ht[slot].key == key) { ht[slot].val += i; break; }
            if (ht[slot].key == 0) { ht[slot].key = key; ht[slot].val = i; break; }
            slot = (slot + 1) & (HT_SIZE - 1);
        }
    }
    for (u32 i = 0; i < 6000; i++) {
        u32 key = (rng() & 0x3fff) | 1;
        u32 slot = (key * 0x9e3779b1u) >> (32 - HT_BITS);
        while (ht[slot].key && ht[slot].key != key)
            slot = (slot + 1) & (HT_SIZE - 1);
        h = rotl(h, 1) ^ (ht[slot].key ? ht[slot].val : key);
    }
    return h ^ probes;
}

/* ----------------------------------------------------------------- calls */
struct vm { u32 sp; u32 st[64]; u32 acc; };
typedef void (*vm_op)(struct vm *, u32);

static void op_push(struct vm *v, u32 a) { v->st[v->sp++ & 63] = a; }
static void op_add(struct vm *v, u32 a) { (void)a; v->sp--; v->st[(v->sp - 1) & 63] += v->st[v->sp & 63]; }
static void op_xor(struct vm *v, u32 a) { v->st[(v->sp - 1) & 63] ^= a * 0x45d9f3bu; }
static void op_mul(struct vm *v, u32 a) { v->st[(v->sp - 1) & 63] *= (a | 1); }
static void op_rot(struct vm *v, u32 a) { u32 *p = &v->st[(v->sp - 1) & 63]; *p = rotl(*p, (a & 31) | 1); }
static void op_dup(struct vm *v, u32 a) { (void)a; v->st[v->sp & 63] = v->st[(v->sp - 1) & 63]; v->sp++; }
static void op_swap(struct vm *v, u32 a)
{
    (void)a;
    u32 *x = &v->st[(v->sp - 1) & 63], *y = &v->st[(v->sp - 2) & 63], t = *x;
    *x = *y;
    *y = t;
}
static void op_pop(struct vm *v, u32 a) { (void)a; v->acc = rotl(v->acc, 3) ^ v->st[--v->sp & 63]; }

static const vm_op vm_ops[8] = { op_push, op_add, op_xor, op_mul, op_rot, op_dup, op_swap, op_pop };

static int cmp_u32(u32 a, u32 b) { return a < b ? -1 : a > b; }
static int cmp_rev_low(u32 a, u32 b)
{
    a &= 0xfff; b &= 0xfff;
    return a > b ? -1 : a < b;
}

static void qsort_u32(u32 *a, int lo, int hi, int (*cmp)(u32, u32))
{
    while (lo < hi) {
        u32 pivot = a[lo + ((hi - lo) >> 1)];
        int i = lo, j = hi;
        while (i <= j) {
            while (cmp(a[i], pivot) < 0) i++;
            while (cmp(a[j], pivot) > 0) j--;
            if (i <= j) {
                u32 t = a[i]; a[i] = a[j]; a[j] = t;
                i++; j--;
            }
        }
        /* Recurse into the smaller half, loop on the larger. */
        if (j - lo < hi - i) { qsort_u32(a, lo, j, cmp); lo = i; }
        else { qsort_u32(a, i, hi, cmp); hi = j; }
    }
}

#define NSORT 1500
static u32 part_calls(u32 seed)
{
    struct vm v;
    v.sp = 0;
    v.acc = seed;
    for (int i = 0; i < 64; i++)
        v.st[i] = 0;
    rng_seed(seed * 0x165667b1u + 5);
    for (u32 i = 0; i < 12000; i++) {
        u32 r = rng();
        u32 op = r & 7;
        /* Keep the stack depth in [2, 60]: bias toward pushes when low. */
        if (v.sp < 2) op = 0;
        else if (v.sp > 60) op = 7;
        vm_ops[op](&v, r >> 8);
    }
    u32 h = v.acc ^ v.sp;

    u32 *a = (u32 *)SORT_AT;
    for (int i = 0; i < NSORT; i++)
        a[i] = rng();
    qsort_u32(a, 0, NSORT - 1, (seed & 1) ? cmp_rev_low : cmp_u32);
    for (int i = 0; i < NSORT; i++)
        h = rotl(h, 1) ^ a[i];
    int sorted = 1;
    for (int i = 1; i < NSORT; i++) {
        int (*cmp)(u32, u32) = (seed & 1) ? cmp_rev_low : cmp_u32;
        if (cmp(a[i - 1], a[i]) > 0)
            sorted = 0;
    }
    return h + (sorted ? 0 : 0x80000000u);
}

/* ------------------------------------------------------------------ main */
static void show(const char *name, u32 v)
{
    uart_puts(name);
    uart_hex32(v);
    uart_puts("\n");
}

int main(void)
{
    uart_puts("bench-mix: ");
    uart_dec(MIX_ROUNDS);
    uart_puts(" rounds of list/matrix/lexer/hash/calls\n");
    lexer_init();

    u32 s_list = 0, s_mat = 0, s_lex = 0, s_hash = 0, s_calls = 0;
    for (u32 r = 0; r < MIX_ROUNDS; r++) {
        s_list = rotl(s_list, 1) ^ part_list(r);
        s_mat = rotl(s_mat, 1) ^ part_matrix(r);
        s_lex = rotl(s_lex, 1) ^ part_lexer(r);
        s_hash = rotl(s_hash, 1) ^ part_hash(r);
        s_calls = rotl(s_calls, 1) ^ part_calls(r);
    }
    show("list:   ", s_list);
    show("matrix: ", s_mat);
    show("lexer:  ", s_lex);
    show("hash:   ", s_hash);
    show("calls:  ", s_calls);
    show("checksum: ", s_list ^ rotl(s_mat, 7) ^ rotl(s_lex, 13) ^ rotl(s_hash, 19) ^ rotl(s_calls, 25));
    uart_puts("bench-mix done\n");
    psci_system_off();
}
