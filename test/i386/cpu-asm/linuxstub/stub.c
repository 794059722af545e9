typedef unsigned int u32; typedef unsigned short u16; typedef unsigned char u8;
/* A test tool, not a boot loader: a multiboot kernel that takes a bzImage (module 1, with its command line after the
   file name) and an initramfs (module 2) and enters Linux through the 32-bit boot protocol (Documentation/x86/boot.rst). */
struct mbi { u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr, syms[4], mmap_length, mmap_addr; };
struct mod { u32 start, end, string, reserved; };
static u8 bp[4096] __attribute__((aligned(4096)));
static char cmdline[256] = "console=ttyS0";
extern void enter_linux(u8 *bp);
static void outb(u16 port, u8 v) { __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(port)); }
static void puts(const char *s) { while (*s) outb(0x3f8, *s++); }
void stub_main(u32 magic, struct mbi *mbi) {
  puts("stub: booting Linux\n");
  struct mod *m = (struct mod *)mbi->mods_addr;
  u8 *bz = (u8 *)m[0].start;
  u32 bzlen = m[0].end - m[0].start;
  u32 setup_sects = bz[0x1f1] ? bz[0x1f1] : 4;
  for (int i = 0; i < 4096; i++) bp[i] = 0;
  u32 hdr_end = 0x202 + bz[0x201];
  for (u32 i = 0x1f1; i < hdr_end; i++) bp[i] = bz[i];
  bp[0x210] = 0xff;
  bp[0x211] |= 0x80;
  *(u16 *)(bp + 0x224) = 0xfe00;
  if (m[0].string) { char *a = (char *)m[0].string; while (*a && *a != ' ') a++; if (*a) { a++; int k = 0; while (a[k] && k < 255) { cmdline[k] = a[k]; k++; } cmdline[k] = 0; } }
  *(u32 *)(bp + 0x228) = (u32)cmdline;
  if (mbi->mods_count > 1) { *(u32 *)(bp + 0x218) = m[1].start; *(u32 *)(bp + 0x21c) = m[1].end - m[1].start; }
  u32 n = 0;
  for (u32 p = mbi->mmap_addr; p < mbi->mmap_addr + mbi->mmap_length && n < 32; ) {
    u32 size = *(u32 *)p;
    u8 *e = bp + 0x2d0 + n * 20;
    for (int k = 0; k < 20; k++) e[k] = ((u8 *)p)[4 + k];
    n++; p += size + 4;
  }
  bp[0x1e8] = n;
  u8 *pm = bz + (setup_sects + 1) * 512;
  u32 len = bzlen - (setup_sects + 1) * 512;
  u8 *dst = (u8 *)0x100000;
  for (u32 i = 0; i < len; i++) dst[i] = pm[i];
  enter_linux(bp);
}
