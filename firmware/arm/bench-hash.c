/* bench-hash.bin: SHA-256 throughput workload for tsemu vs QEMU.
 *
 * Hashes an 8 KiB buffer in RAM HASH_ITERS times.  After each pass the
 * digest is written back into the buffer (at a position that moves with the
 * iteration), so every pass hashes different data and nothing can be
 * hoisted out of the loop.  Prints the digest of a known test vector
 * ("abc", to check the implementation), the final digest and a 32-bit
 * checksum line, then powers off through PSCI.
 *
 * Build with -DSMALL for the 1/20th-size variant (bench-hash-small.bin).
 * The output depends only on HASH_ITERS, never on timing.
 */
#include "types.h"
#include "uart.h"
#include "exc.h"

#ifdef SMALL
#define HASH_ITERS 480u
#else
#define HASH_ITERS 9600u          /* x 8 KiB = 75 MiB hashed */
#endif
#define BUF_BYTES 8192u

static u8 buf[BUF_BYTES] __attribute__((aligned(8)));

struct sha256 {
    u32 h[8];
    u32 w[16];
    u32 nblk;                    /* blocks done */
    u32 fill;                    /* bytes in the partial block */
    u8 blk[64];
};

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 ror(u32 x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void sha256_init(struct sha256 *s)
{
    static const u32 iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    for (int i = 0; i < 8; i++)
        s->h[i] = iv[i];
    s->nblk = 0;
    s->fill = 0;
}

static void sha256_block(struct sha256 *s, const u8 *p)
{
    u32 *w = s->w;
    u32 a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    u32 e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];

    for (int i = 0; i < 64; i++) {
        u32 wi;
        if (i < 16) {
            wi = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
                 (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
        } else {
            u32 w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
            u32 s0 = ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3);
            u32 s1 = ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10);
            wi = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
        }
        w[i & 15] = wi;
        u32 S1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
        u32 ch = (e & f) ^ (~e & g);
        u32 t1 = h + S1 + ch + K[i] + wi;
        u32 S0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
        u32 maj = (a & b) ^ (a & c) ^ (b & c);
        u32 t2 = S0 + maj;
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
    s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
    s->nblk++;
}

static void sha256_update(struct sha256 *s, const u8 *p, u32 n)
{
    while (n) {
        if (s->fill == 0 && n >= 64) {
            sha256_block(s, p);
            p += 64;
            n -= 64;
            continue;
        }
        s->blk[s->fill++] = *p++;
        n--;
        if (s->fill == 64) {
            sha256_block(s, s->blk);
            s->fill = 0;
        }
    }
}

static void sha256_final(struct sha256 *s, u8 out[32])
{
    u32 bits_lo = (s->nblk << 9) + (s->fill << 3);
    u32 bits_hi = s->nblk >> 23;
    u8 pad = 0x80;
    sha256_update(s, &pad, 1);
    pad = 0;
    while (s->fill != 56)
        sha256_update(s, &pad, 1);
    u8 len[8] = {
        (u8)(bits_hi >> 24), (u8)(bits_hi >> 16), (u8)(bits_hi >> 8), (u8)bits_hi,
        (u8)(bits_lo >> 24), (u8)(bits_lo >> 16), (u8)(bits_lo >> 8), (u8)bits_lo,
    };
    sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (u8)(s->h[i] >> 24);
        out[4 * i + 1] = (u8)(s->h[i] >> 16);
        out[4 * i + 2] = (u8)(s->h[i] >> 8);
        out[4 * i + 3] = (u8)s->h[i];
    }
}

static void print_digest(const char *label, const u8 d[32])
{
    uart_puts(label);
    for (int i = 0; i < 32; i++)
        uart_hexn(d[i], 2);
    uart_puts("\n");
}

int main(void)
{
    struct sha256 s;
    u8 d[32];

    uart_puts("bench-hash: SHA-256, ");
    uart_dec(HASH_ITERS);
    uart_puts(" x ");
    uart_dec(BUF_BYTES);
    uart_puts(" bytes\n");

    /* Known answer: SHA-256("abc") = ba7816bf...f20015ad */
    sha256_init(&s);
    sha256_update(&s, (const u8 *)"abc", 3);
    sha256_final(&s, d);
    print_digest("sha256(abc): ", d);

    /* Fill the buffer from a xorshift32 generator. */
    u32 x = 0x2545f491u;
    for (u32 i = 0; i < BUF_BYTES; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (u8)x;
        buf[i + 1] = (u8)(x >> 8);
        buf[i + 2] = (u8)(x >> 16);
        buf[i + 3] = (u8)(x >> 24);
    }

    u32 sum = 0;
    for (u32 it = 0; it < HASH_ITERS; it++) {
        sha256_init(&s);
        sha256_update(&s, buf, BUF_BYTES);
        sha256_final(&s, d);
        /* Feed the digest back; the offset moves by 40 bytes (not a block
         * multiple) so the partial-block path runs too. */
        u32 off = (it * 40u) & (BUF_BYTES - 1);
        for (int i = 0; i < 32; i++)
            buf[(off + (u32)i) & (BUF_BYTES - 1)] ^= d[i];
        sum = ror(sum, 5) ^ ((u32)d[0] << 24 | (u32)d[1] << 16 | (u32)d[2] << 8 | d[3]);
    }

    /* One odd-length hash of the final buffer (partial-block path). */
    sha256_init(&s);
    sha256_update(&s, buf + 3, BUF_BYTES - 100);
    sha256_final(&s, d);
    print_digest("final digest: ", d);
    sum ^= (u32)d[28] << 24 | (u32)d[29] << 16 | (u32)d[30] << 8 | d[31];

    uart_puts("checksum: ");
    uart_hex32(sum);
    uart_puts("\nbench-hash done\n");
    psci_system_off();
}
