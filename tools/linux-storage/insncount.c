/// \file insncount.c
/// \brief A QEMU TCG plugin for the storage benchmark: counts the guest instructions executed and prints the count at every marker instruction.
///
/// Under `-icount shift=0` the TSC gives guest *time*: one tick per instruction executed, plus
/// the time the CPU sat idle (halted, waiting for the emulated disk), which QEMU advances in
/// real time and so varies with the host's load. This plugin counts only what is executed, so
/// the benchmark can split a timed region into "instructions run" and "waiting".
///
/// The marker is `xchg %bx, %bx` (bytes 66 87 db), which changes nothing; fsbench
/// (userland/tests/fsbench) and storage.c execute one at the start and the end of each timed
/// region. Output, through QEMU's log (`-d plugin -D FILE`):
///   MARK <instructions executed so far>     at each marker
///   TOTAL <instructions executed>           when QEMU exits
/// Load with `-plugin build/insncount.so` (tools/bench.py and run.sh build it with
/// `gcc -shared -fPIC`). It needs no QEMU headers: the few API functions it calls are declared
/// below as QEMU 7.2's qemu-plugin.h declares them (plugin API version 1).
/// A translation block's instructions are counted when the block starts; a block cut short (an
/// interrupt, an exception, an I/O instruction under icount) is counted whole, so the figure
/// can run slightly high.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void* userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
const void* qemu_plugin_insn_data(const struct qemu_plugin_insn* insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb* tb, enum qemu_plugin_op op, void* ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void* userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);
void qemu_plugin_outs(const char* string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed;  // One vCPU (the benchmark runs TCG with a single CPU).
static const unsigned char kMarker[3] = {0x66, 0x87, 0xdb};

static void report(const char* what) {
  char line[64];
  snprintf(line, sizeof line, "%s %llu\n", what, (unsigned long long)executed);
  qemu_plugin_outs(line);
}

static void on_marker(unsigned int vcpu, void* unused) {
  (void)vcpu;
  (void)unused;
  report("MARK");
}

/// Every new translation block: add its length to the count each time it runs (inline, cheap),
/// and watch its marker instructions, if any.
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    if (qemu_plugin_insn_size(insn) == sizeof kMarker && memcmp(qemu_plugin_insn_data(insn), kMarker, sizeof kMarker) == 0)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS, NULL);
  }
}

static void on_exit(qemu_plugin_id_t id, void* unused) {
  (void)id;
  (void)unused;
  report("TOTAL");
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc,
                                                               char** argv) {
  (void)info;
  (void)argc;
  (void)argv;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit, NULL);
  return 0;
}
