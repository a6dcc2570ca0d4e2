/// \file main.cpp
/// \brief `badptr`: hands the kernel bad pointers, lengths and numbers, and checks each exact error code.
///
/// Every check prints one line "badptr: <what>: <got> (expected <want>) ok|FAIL"; the program
/// exits 0 only if all of them pass. The kernel must log nothing alarming and keep running.
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace {

int g_passed = 0, g_failed = 0;

void expect(const char* what, int64_t ret, abi::Error want)
{
    abi::Error got = sys::error_of(ret);
    bool ok = got == want;
    print("badptr: %s: %s (expected %s) %s\n", what, abi::error_name(got), abi::error_name(want), ok ? "ok" : "FAIL");
    (ok ? g_passed : g_failed)++;
}

int64_t syscall_number(uint64_t n) { return sys::raw::syscall(n); }

const char kMessage[] = "this text is in read-only memory";

} // namespace

int main(int, char**)
{
    using abi::Error;
    auto kernel = reinterpret_cast<const void*>(0xffffffff80100000ull);
    auto unmapped = reinterpret_cast<const void*>(0x10000000ull);
    auto last_user = reinterpret_cast<const void*>(0x00007ffffffffff0ull);
    char on_stack[16] = "stack bytes";

    expect("debug_write(null, 10)", sys::debug_write(nullptr, 10), Error::BadAddress);
    expect("debug_write(kernel address, 16)", sys::debug_write(kernel, 16), Error::BadAddress);
    expect("debug_write(unmapped, 8)", sys::debug_write(unmapped, 8), Error::BadAddress);
    expect("debug_write(end of user space, 64)", sys::debug_write(last_user, 64), Error::BadAddress);
    expect("debug_write(stack, running past its top)", sys::debug_write(on_stack, 1 << 19), Error::BadAddress);
    expect("debug_write(stack, 2^63 bytes)", sys::debug_write(on_stack, 1ull << 63), Error::InvalidArgument);
    expect("debug_write(stack, 0 bytes)", sys::debug_write(on_stack, 0), Error::None);
    expect("system_info(null)", sys::system_info(nullptr), Error::BadAddress);
    expect("system_info(read-only data)", sys::system_info((abi::SystemInfo*)kMessage), Error::BadAddress);
    expect("system_info(kernel address)", sys::system_info((abi::SystemInfo*)kernel), Error::BadAddress);
    expect("syscall 9999", syscall_number(9999), Error::NoSuchSyscall);
    expect("syscall -1", syscall_number(~0ull), Error::NoSuchSyscall);
    abi::ExitInfo info;
    expect("wait(12345)", sys::wait(12345, &info), Error::NoChild);
    expect("wait(any, null)", sys::wait(0, nullptr), Error::BadAddress);
    abi::SpawnRequest req{};
    req.image = 7;  // badptr was given one capability, in slot 3: slot 7 is empty.
    req.name = "x";
    req.name_len = 1;
    expect("spawn(image slot never given)", sys::spawn(req), Error::InvalidCapability);
    req.image = abi::kSlotSelfThread;
    expect("spawn(image is a thread capability)", sys::spawn(req), Error::WrongType);
    expect("spawn(request at a bad pointer)", sys::raw::syscall(sys::number(abi::Syscall::spawn), 0x10000000),
           Error::BadAddress);
    req.image = 3;  // init gives badptr the malformed "badelf" image in slot 3.
    req.name = "badelf";
    req.name_len = 6;
    expect("spawn(malformed ELF)", sys::spawn(req), Error::BadFormat);
    req.name = "a-name-that-is-much-longer-than-thirty-two-bytes";
    req.name_len = strlen(req.name);
    expect("spawn(name too long)", sys::spawn(req), Error::InvalidArgument);
    expect("poweroff(without the port capability)", sys::raw::syscall(sys::number(abi::Syscall::poweroff), 0),
           Error::InsufficientRights);

    print("badptr: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
