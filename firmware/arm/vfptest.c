/* vfptest.bin: VFPv3/VFPv4 instructions, results printed as bits, compared
 * against qemu-system-arm -cpu cortex-a15 (vfptest.expected). Built with
 * -mfloat-abi=softfp so it links with the soft-float runtime. */
#include "types.h"
#include "uart.h"
#include "exc.h"

static volatile int undefs;

static void undef_hook(struct exc_frame *f, int type)
{
    (void)type;
    undefs++;
    u32 en = 0x40000000;
    asm volatile("vmsr fpexc, %0" :: "r"(en));
    (void)f; /* retry the instruction */
}

static u32 fb(float x) { union { float f; u32 u; } v; v.f = x; return v.u; }
static u32 dlo(double x) { union { double d; u32 u[2]; } v; v.d = x; return v.u[0]; }
static u32 dhi(double x) { union { double d; u32 u[2]; } v; v.d = x; return v.u[1]; }
static void pf(const char *n, float x) { uart_puts(n); uart_putc('='); uart_hex32(fb(x)); uart_putc(' '); }
static void pd(const char *n, double x) { uart_puts(n); uart_putc('='); uart_hex32(dhi(x)); uart_hex32(dlo(x)); uart_putc(' '); }
static void pw(const char *n, u32 x) { uart_puts(n); uart_putc('='); uart_hex32(x); uart_putc(' '); }
static u32 fpscr(void) { u32 v; asm volatile("vmrs %0, fpscr" : "=r"(v)); return v; }
static void set_fpscr(u32 v) { asm volatile("vmsr fpscr, %0" :: "r"(v)); }

static const float fv[] = { 1.5f, -2.25f, 0.0f, -0.0f, 3.0e38f, 1.0e-40f, 7.0f, 1.0f/3.0f, 1.0e10f, -1.0e10f, 2.5f, -3.5f, __builtin_inff(), 4294967296.0f, -0.5f };
static const double dv[] = { 1.5, -2.25, 0.0, -0.0, 1.0e308, 4.9e-324, 7.0, 1.0/3.0, 1.0e10, -1.0e10, 2.5, -3.5, __builtin_inf(), 4294967295.5, -0.5 };
#define N (sizeof fv / sizeof fv[0])

static void __attribute__((noinline)) run(void);

int main(void)
{
    exc_hooks[EXC_UNDEF] = undef_hook;
    u32 cpacr = 0xf00000;
    asm volatile("mcr p15, 0, %0, c1, c0, 2; isb" :: "r"(cpacr));
    run();
    uart_puts("\nVFPTEST DONE\n");
    psci_system_off();
}

static void __attribute__((noinline)) run(void)
{
    u32 v;
    asm volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(v)); pw("cpacr", v);
    asm volatile("vmrs %0, fpexc" : "=r"(v)); pw("fpexc", v);
    asm volatile("vmrs %0, fpsid" : "=r"(v)); pw("fpsid", v);
    asm volatile("vmrs %0, mvfr0" : "=r"(v)); pw("mvfr0", v);
    volatile float a = 1.0f, b = 2.0f;
    float c = a + b; /* undefined, enabled by the hook, retried */
    pf("c", c); pw("undefs", undefs);
    asm volatile("vmrs %0, fpexc" : "=r"(v)); pw("fpexc", v);
    uart_putc('\n');

    for (unsigned i = 0; i < N; i++) {
        for (unsigned j = 0; j < N; j += 3) {
            volatile float x = fv[i], y = fv[(i + j) % N];
            float r;
            uart_dec(i); uart_putc(','); uart_dec(j); uart_putc(' ');
            pf("add", x + y); pf("sub", x - y); pf("mul", x * y); pf("div", x / y);
            r = x; asm("vmla.f32 %0, %1, %2" : "+t"(r) : "t"((float)x), "t"((float)y)); pf("mla", r);
            r = x; asm("vmls.f32 %0, %1, %2" : "+t"(r) : "t"((float)y), "t"((float)y)); pf("mls", r);
            r = y; asm("vnmla.f32 %0, %1, %2" : "+t"(r) : "t"((float)x), "t"((float)x)); pf("nmla", r);
            r = y; asm("vnmls.f32 %0, %1, %2" : "+t"(r) : "t"((float)x), "t"((float)y)); pf("nmls", r);
            asm("vnmul.f32 %0, %1, %2" : "=t"(r) : "t"((float)x), "t"((float)y)); pf("nmul", r);
            r = y; asm("vfma.f32 %0, %1, %2" : "+t"(r) : "t"((float)x), "t"((float)x)); pf("fma", r);
            set_fpscr(0);
            asm volatile("vcmpe.f32 %0, %1" :: "t"((float)x), "t"((float)y)); pw("cmp", fpscr() >> 28);
            uart_putc('\n');
            volatile double dx = dv[i], dy = dv[(i + j) % N];
            double dr;
            pd("dadd", dx + dy); pd("dsub", dx - dy); pd("dmul", dx * dy); pd("ddiv", dx / dy);
            dr = dx; asm("vmla.f64 %P0, %P1, %P2" : "+w"(dr) : "w"((double)dx), "w"((double)dy)); pd("dmla", dr);
            asm("vnmul.f64 %P0, %P1, %P2" : "=w"(dr) : "w"((double)dx), "w"((double)dy)); pd("dnmul", dr);
            set_fpscr(0);
            asm volatile("vcmp.f64 %P0, %P1" :: "w"((double)dx), "w"((double)dy)); pw("dcmp", fpscr() >> 28);
            uart_putc('\n');
        }
        volatile float x = fv[i];
        volatile double dx = dv[i];
        float r; double dr;
        asm("vsqrt.f32 %0, %1" : "=t"(r) : "t"((float)x)); pf("sqrt", r);
        asm("vsqrt.f64 %P0, %P1" : "=w"(dr) : "w"((double)dx)); pd("dsqrt", dr);
        asm("vneg.f32 %0, %1" : "=t"(r) : "t"((float)x)); pf("neg", r);
        asm("vabs.f64 %P0, %P1" : "=w"(dr) : "w"((double)dx)); pd("dabs", dr);
        pd("f2d", (double)x); pf("d2f", (float)dx);
        pw("f2s", (u32)(s32)x); pw("f2u", (u32)x); pw("d2s", (u32)(s32)dx); pw("d2u", (u32)dx);
        for (u32 rm = 0; rm < 4; rm++) {
            set_fpscr(rm << 22);
            asm volatile("vcvtr.s32.f32 %0, %1" : "=t"(r) : "t"((float)x)); pw("rs", fb(r));
            asm volatile("vcvtr.u32.f64 %0, %P1" : "=t"(r) : "w"((double)dx)); pw("ru", fb(r));
        }
        set_fpscr(0);
        r = x; asm("vcvt.s32.f32 %0, %0, #16" : "+t"(r)); pw("fix", fb(r));
        asm("vcvt.f32.s32 %0, %0, #16" : "+t"(r)); pf("unfix", r);
        dr = dx; asm("vcvt.u16.f64 %P0, %P0, #4" : "+w"(dr)); pd("dfix", dr);
        asm("vcvt.f64.u16 %P0, %P0, #4" : "+w"(dr)); pd("dunfix", dr);
        volatile s32 k = (s32)(i * 123457u - 500000u);
        pf("s2f", (float)k); pd("u2d", (double)(u32)k);
        uart_putc('\n');
    }
    float im; double dim;
    asm("vmov.f32 %0, #-1.25" : "=t"(im)); pf("imm", im);
    asm("vmov.f64 %P0, #31.0" : "=w"(dim)); pd("dimm", dim);
    asm("vmov.f32 %0, #0.125" : "=t"(im)); pf("imm", im);
    set_fpscr(0x03c0009f); pw("fpscr", fpscr());
    asm volatile("vmrs APSR_nzcv, fpscr" ::: "cc");
    set_fpscr(0);
}
