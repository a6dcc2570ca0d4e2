/// \file storage.c
/// \brief Linux storage anchor, run as /init inside QEMU: sequential read and write of a 16 MiB file on an ext2 IDE disk.
///
/// Built with `gcc -static` by tools/linux-storage/run.sh, which boots Debian's Linux 6.1 with
/// this program as the whole initramfs (plus the kernel modules listed in /modules.order).
/// Under QEMU's `-icount shift=0` the TSC advances one tick per guest instruction (1 ns of
/// guest time), so every figure is "guest instructions", comparable with Samsara's fsbench
/// measured the same way on the same kind of disk.
///
/// Steps: load the modules (finit_module, in the order run.sh resolved from their `depends=`),
/// mount devtmpfs and proc, wait for /dev/sda, mount it as ext2, then
///   - read /big.bin (16 MiB) cold: caches dropped just before; open, read in 64 KiB chunks, close;
///   - write /new.bin (16 MiB) in 64 KiB chunks, then fsync and close;
/// and check the bytes of both outside the timed regions. Lines printed:
///   BENCH linux storage_read_16MiB <instructions>
///   BENCH linux storage_write_16MiB+fsync <instructions>
///   BENCH linux storage_read_MiB_per_guest_s <MiB per guest second>   (and write_)
///   BENCH error <why>        when something fails (run.sh then reports the anchor unavailable)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum {
  kFileBytes = 16 << 20,  // The file both systems read and write.
  kChunk = 64 << 10,      // Bytes per read()/write() call.
};

static unsigned char buffer[kChunk];

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

/// `xchg %bx, %bx`: does nothing, but the QEMU plugin insncount.c prints its count of executed
/// instructions when it sees one (Samsara's fsbench marks the same places).
static inline void marker(void) { __asm__ volatile(".byte 0x66, 0x87, 0xdb" ::: "memory"); }

/// Byte `i` of /big.bin (tools/linux-storage/mkimage.sh writes the same formula): a 64 KiB
/// pattern shifted by 13 per 64 KiB, so a block read from the wrong place shows.
static inline unsigned char big_byte(uint64_t i) {
  return (unsigned char)(i * 7 + (i >> 8) + (i >> 16) * 13);
}

/// Byte `i` of /new.bin: every 512-byte sector starts with its own file offset (8 bytes, little
/// endian), then (j * 5 + 1) for byte j of the sector. A program refreshes only the stamps
/// between chunks, so making the data costs next to nothing inside the timed loop, and a block
/// written to the wrong place still shows.
static inline unsigned char new_byte(uint64_t i) {
  uint64_t j = i % 512;
  return j < 8 ? (unsigned char)((i - j) >> (8 * j)) : (unsigned char)(j * 5 + 1);
}

/// Fills `buffer` with new.bin's bytes from `offset` (a multiple of kChunk): the whole pattern
/// the first time, then only the offset stamps.
static void fill_new(uint64_t offset) {
  static int filled;
  if (!filled) {
    for (int i = 0; i < kChunk; i++) buffer[i] = new_byte(i);
    filled = 1;
  }
  for (int s = 0; s < kChunk; s += 512) {
    uint64_t stamp = offset + (uint64_t)s;
    memcpy(buffer + s, &stamp, 8);
  }
}

/// Reports a failure in a line run.sh recognises, then powers off (init must not exit).
static void fail(const char* format, ...) {
  va_list args;
  va_start(args, format);
  printf("BENCH error ");
  vprintf(format, args);
  printf("\n");
  va_end(args);
  fflush(stdout);
  reboot(RB_POWER_OFF);
  _exit(1);
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/// Inserts every module named in /modules.order (one path per line, dependencies first).
static void load_modules(void) {
  FILE* order = fopen("/modules.order", "r");
  if (!order) return;  // Everything needed is built in.
  char path[256];
  while (fgets(path, sizeof path, order)) {
    path[strcspn(path, "\n")] = 0;
    if (!path[0]) continue;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("open %s: %s", path, strerror(errno));
    if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
      fail("finit_module %s: %s", path, strerror(errno));
    close(fd);
  }
  fclose(order);
}

/// Empties the page cache, dentries and inodes, so the next read goes to the disk.
static void drop_caches(void) {
  sync();
  int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
  if (fd < 0 || write(fd, "3\n", 2) != 2) fail("drop_caches: %s", strerror(errno));
  close(fd);
}

static void report(const char* what, uint64_t instructions) {
  // -icount shift=0: 1 instruction = 1 ns of guest time.
  double mib_per_s = (kFileBytes / (double)(1 << 20)) / (instructions / 1e9);
  printf("BENCH linux storage_%s_16MiB%s %llu\n", what, what[0] == 'w' ? "+fsync" : "",
         (unsigned long long)instructions);
  printf("BENCH linux storage_%s_MiB_per_guest_s %.2f\n", what, mib_per_s);
}

/// Reads `path` (kFileBytes long) in kChunk pieces; returns the instructions taken.
static uint64_t timed_read(const char* path) {
  marker();
  uint64_t t0 = rdtsc();
  int fd = open(path, O_RDONLY);
  if (fd < 0) fail("open %s: %s", path, strerror(errno));
  uint64_t total = 0;
  for (;;) {
    ssize_t n = read(fd, buffer, kChunk);
    if (n < 0) fail("read %s: %s", path, strerror(errno));
    if (n == 0) break;
    total += (uint64_t)n;
  }
  close(fd);
  uint64_t t1 = rdtsc();
  marker();
  if (total != kFileBytes) fail("%s: read %llu bytes, expected %d", path, (unsigned long long)total, kFileBytes);
  return t1 - t0;
}

/// Reads `path` again (untimed) and checks every byte against `expected`.
static void verify(const char* path, unsigned char (*expected)(uint64_t)) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) fail("open %s: %s", path, strerror(errno));
  uint64_t offset = 0;
  for (;;) {
    ssize_t n = read(fd, buffer, kChunk);
    if (n < 0) fail("read %s: %s", path, strerror(errno));
    if (n == 0) break;
    for (ssize_t i = 0; i < n; i++) {
      if (buffer[i] != expected(offset + i))
        fail("%s: byte %llu is %u, expected %u", path, (unsigned long long)(offset + i), buffer[i],
             expected(offset + i));
    }
    offset += (uint64_t)n;
  }
  close(fd);
  if (offset != kFileBytes) fail("%s: %llu bytes, expected %d", path, (unsigned long long)offset, kFileBytes);
}

int main(void) {
  mkdir("/dev", 0755);
  mkdir("/proc", 0755);
  mkdir("/mnt", 0755);
  if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY)
    fail("mount devtmpfs: %s", strerror(errno));
  if (mount("proc", "/proc", "proc", 0, NULL) != 0) fail("mount proc: %s", strerror(errno));
  load_modules();

  // libata and the SCSI disk driver probe asynchronously: wait (guest time) for the disk.
  struct stat st;
  for (int i = 0; stat("/dev/sda", &st) != 0; i++) {
    if (i == 1000) fail("no /dev/sda after 10 s (is the IDE disk attached?)");
    sleep_ms(10);
  }
  // Debian's kernel mounts ext2 with the ext4 driver (CONFIG_EXT4_USE_FOR_EXT2).
  if (mount("/dev/sda", "/mnt", "ext2", 0, NULL) != 0) fail("mount /dev/sda as ext2: %s", strerror(errno));

  drop_caches();
  uint64_t read_cost = timed_read("/mnt/big.bin");
  verify("/mnt/big.bin", big_byte);

  marker();
  uint64_t t0 = rdtsc();
  int fd = open("/mnt/new.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail("create /mnt/new.bin: %s", strerror(errno));
  for (uint64_t offset = 0; offset < kFileBytes; offset += kChunk) {
    fill_new(offset);  // Stamps only (inside the timed loop on both systems).
    if (write(fd, buffer, kChunk) != kChunk) fail("write /mnt/new.bin: %s", strerror(errno));
  }
  if (fsync(fd) != 0) fail("fsync /mnt/new.bin: %s", strerror(errno));
  close(fd);
  uint64_t write_cost = rdtsc() - t0;
  marker();
  drop_caches();
  verify("/mnt/new.bin", new_byte);

  report("read", read_cost);
  report("write", write_cost);
  if (umount("/mnt") != 0) fail("umount: %s", strerror(errno));
  printf("BENCH done\n");
  fflush(stdout);
  reboot(RB_POWER_OFF);
  return 0;
}
