#include <stdio.h>
extern void test_body(void);
extern unsigned snap_buf[], *snap_ptr;
int main(void) {
  test_body();
  for (unsigned *p = snap_buf; p < snap_ptr; p++) printf("%08x\n", *p);
  return 0;
}
