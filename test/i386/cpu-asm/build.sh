#!/bin/sh
# Regenerates the committed guest images and native reference outputs (needs gcc-i686-linux-gnu).
# Each NAME.S becomes NAME.bin (flat image at 0x100000, entered in flat protected mode),
# NAME.syms (snap_buf / snap_ptr addresses) and, when it runs natively, NAME.expected.bin
# (the snapshot words produced on this x86 host).
set -e
cd "$(dirname "$0")"
CC=i686-linux-gnu-gcc
for t in alu fpu; do
  $CC -nostdlib -static -Wl,-Ttext=0x100000 -Wl,--build-id=none -o /tmp/$t.elf start.S $t.S
  i686-linux-gnu-objcopy -O binary /tmp/$t.elf $t.bin
  i686-linux-gnu-nm /tmp/$t.elf | awk '$3=="snap_buf"||$3=="snap_ptr"{print $3, $1}' > $t.syms
  $CC -static -O0 -o /tmp/$t-native native.c $t.S 2>/dev/null
  /tmp/$t-native | python3 -c 'import sys,struct; sys.stdout.buffer.write(b"".join(struct.pack("<I", int(l,16)) for l in sys.stdin))' > $t.expected.bin
done
for t in real; do
  [ -f $t.S ] || continue
  $CC -nostdlib -static -Wl,-Ttext=0 -Wl,--build-id=none -o /tmp/$t.elf $t.S
  i686-linux-gnu-objcopy -O binary /tmp/$t.elf $t.bin
done
for t in sys; do
  $CC -nostdlib -static -Wl,-Ttext=0x100000 -Wl,--build-id=none -o /tmp/$t.elf $t.S
  i686-linux-gnu-objcopy -O binary /tmp/$t.elf $t.bin
done
# linuxstub: a multiboot kernel that boots the bzImage module through Linux's 32-bit boot protocol
( cd linuxstub && $CC -m32 -O2 -ffreestanding -fno-pic -fno-stack-protector -nostdlib -static -T link.ld -Wl,--build-id=none -o stub.elf stub.S stub.c )
