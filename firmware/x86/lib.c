#include <stdarg.h>
#include "common.h"

static void puts_(const char *s) { while (*s) xputc(*s++); }

static void num(u32 v, int base, int width, int zero, int neg) {
  char buf[16];
  int n = 0;
  do { int d = v % base; buf[n++] = d < 10 ? '0' + d : 'a' + d - 10; v /= base; } while (v);
  if (neg) buf[n++] = '-';
  while (n < width) { xputc(zero ? '0' : ' '); width--; }
  while (n) xputc(buf[--n]);
}

void pr(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (; *fmt; fmt++) {
    if (*fmt != '%') { xputc(*fmt); continue; }
    fmt++;
    int zero = 0, width = 0;
    if (*fmt == '0') { zero = 1; fmt++; }
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    switch (*fmt) {
      case 'd': { s32 v = va_arg(ap, s32); num(v < 0 ? -(u32)v : (u32)v, 10, width, zero, v < 0); break; }
      case 'u': num(va_arg(ap, u32), 10, width, zero, 0); break;
      case 'x': num(va_arg(ap, u32), 16, width, zero, 0); break;
      case 's': puts_(va_arg(ap, const char *)); break;
      case 'c': xputc(va_arg(ap, int)); break;
      case '%': xputc('%'); break;
      default: xputc('%'); xputc(*fmt); break;
    }
  }
  va_end(ap);
}
