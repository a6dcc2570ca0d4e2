/// \file boot.S
/// \brief Multiboot2 header and the 32-bit entry point: builds boot page tables, enters long mode, jumps to the higher half.
///
/// GRUB enters `_start` in 32-bit protected mode with paging off, EAX = the multiboot2 magic and
/// EBX = the physical address of the boot information. This file runs from the low (physical)
/// addresses the linker script gives `.boot`, and does the least needed to reach C++:
///   (1) check the CPU can run 64-bit code, (2) build page tables that map the first 4 GiB of
///   physical memory three times (identity, the physmap at 0xffff800000000000) and the first
///   1 GiB once more as the kernel image window at 0xffffffff80000000, (3) turn on PAE, long mode and paging,
///   (4) far-jump into 64-bit code, (5) jump to the higher half and call `kernel_main`.

#define KERNEL_VMA 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VMA)

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0

    .section .multiboot, "a"
    .balign 8
// [boot-multiboot-header]
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    // The end tag: we ask GRUB for nothing beyond the defaults (memory map, modules, command line).
    .balign 8
    .word 0, 0
    .long 8
mb2_header_end:
// [boot-multiboot-header]

    .section .boot.text, "ax"
    .code32
    .global _start
// [boot-start]
_start:
    cli
    cld
    movl $PHYS(boot_stack_top), %esp
    // Keep GRUB's magic and info pointer in callee-untouched registers for kernel_main.
    movl %eax, %edi
    movl %ebx, %esi
// [boot-start]

    // [boot-cpu-check]
    // (1) Long mode needs CPUID leaf 0x80000001 with the LM bit (29 of EDX).
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz no_long_mode
    // [boot-cpu-check]

    // [boot-page-tables]
    // (2) Boot page tables. boot_pd0..3 map 4 GiB with 2 MiB pages (PS bit); boot_pdpt points at
    // the four of them and is shared by the identity and physmap slots of the PML4;
    // boot_pdpt_high maps 0xffffffff80000000 (-2 GiB) onto physical 0..1 GiB for the kernel image.
    // LAB 1 BEGIN SOLUTION
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax                      // low 32 bits of (entry index * 2 MiB)
    orl $0x83, %eax                     // present | writable | 2 MiB page
    movl %ecx, %edx
    shrl $11, %edx                      // high bits of (entry index * 2 MiB)
    movl %eax, PHYS(boot_pd)(,%ecx,8)
    movl %edx, PHYS(boot_pd)+4(,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b

    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $12, %eax
    addl $(PHYS(boot_pd) + 3), %eax     // present | writable
    movl %eax, PHYS(boot_pdpt)(,%ecx,8)
    movl $0, PHYS(boot_pdpt)+4(,%ecx,8)
    incl %ecx
    cmpl $4, %ecx
    jne 2b

    movl $(PHYS(boot_pd) + 3), PHYS(boot_pdpt_high) + 510*8

    movl $(PHYS(boot_pdpt) + 3), PHYS(boot_pml4)              // identity, for this file only
    movl $(PHYS(boot_pdpt) + 3), PHYS(boot_pml4) + 256*8      // the physmap
    movl $(PHYS(boot_pdpt_high) + 3), PHYS(boot_pml4) + 511*8 // the kernel image
    // LAB 1 END SOLUTION
    // [boot-page-tables]

    // [boot-long-mode]
    // (3) PAE + global pages + SSE state, then CR3, then EFER.LME/NXE/SCE, then paging.
    // LAB 1 BEGIN SOLUTION
    movl %cr4, %eax
    orl $((1 << 5) | (1 << 7) | (1 << 9) | (1 << 10)), %eax   // PAE, PGE, OSFXSR, OSXMMEXCPT
    movl %eax, %cr4
    movl $PHYS(boot_pml4), %eax
    movl %eax, %cr3
    movl $0x80000001, %eax                // NX (EDX bit 20) is optional: use it when present
    cpuid
    xorl %ebp, %ebp
    testl $(1 << 20), %edx
    jz 3f
    movl $(1 << 11), %ebp                 // EFER.NXE
3:  movl $0xc0000080, %ecx                // EFER
    rdmsr
    orl $((1 << 0) | (1 << 8)), %eax      // SCE (syscall), LME (long mode)
    orl %ebp, %eax
    wrmsr
    movl %cr0, %eax
    andl $~(1 << 2), %eax                 // EM off: the FPU/SSE is real hardware
    orl $((1 << 31) | (1 << 16) | (1 << 1)), %eax  // PG, WP, MP
    movl %eax, %cr0
    // LAB 1 END SOLUTION

    // (4) A 64-bit code segment, then a far jump into it.
    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_low
    // [boot-long-mode]

no_long_mode:
    // No 64-bit CPU: say so on COM1 (polling the transmitter) and stop.
    movl $no_lm_message, %esi
4:  movb (%esi), %al
    testb %al, %al
    jz 6f
    movb %al, %bl
5:  movw $0x3fd, %dx
    inb %dx, %al
    testb $0x20, %al
    jz 5b
    movw $0x3f8, %dx
    movb %bl, %al
    outb %al, %dx
    incl %esi
    jmp 4b
6:  hlt
    jmp 6b

    .code64
// [boot-higher-half-jump]
long_mode_low:
    // (5) Still running at low addresses: jump to the higher-half copy of the kernel.
    movabsq $long_mode_high, %rax
    jmp *%rax
// [boot-higher-half-jump]

    .section .boot.data, "a"
    .balign 8
boot_gdt:
    .quad 0
    // The accessed bits are preset, so loading a selector never writes to this read-only page.
    .quad 0x00af9b000000ffff      // 0x08: 64-bit kernel code
    .quad 0x00cf93000000ffff      // 0x10: kernel data
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
no_lm_message:
    .asciz "samsara: this CPU has no 64-bit long mode; cannot boot\r\n"

    .text
// [boot-call-kernel-main]
long_mode_high:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp                       // the end of every backtrace
    // kernel_main(magic, info_phys): EDI and ESI were set in 32-bit mode (upper halves are zero).
    movl %edi, %edi
    movl %esi, %esi
    call kernel_main
// [boot-call-kernel-main]
7:  cli
    hlt
    jmp 7b

    .section .bss
    .balign 4096
    .global boot_pml4
boot_pml4:      .skip 4096
boot_pdpt:      .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096 * 4
    .global boot_stack_top
boot_stack:     .skip 16384
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
