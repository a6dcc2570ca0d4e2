/// \file hello.hpp
/// \brief The `hello` demo driver's protocol: one request that returns how many requests were served.
#pragma once

#include "ipc.hpp"
#include <stdint.h>

namespace protocol::hello {

enum Label : uint32_t {
    kHello = 1,  ///< (nothing) -> word 0: requests served so far, including this one
};

class Client {
public:
    explicit Client(abi::CapSlot endpoint) : m_endpoint(endpoint) {}
    /// The count after this request, or a negated error.
    int64_t hello() const
    {
        ipc::Result r = ipc::call(m_endpoint, ipc::make(kHello));
        if (!r.ok()) return -static_cast<int64_t>(r.error);
        return static_cast<int64_t>(r.message.words[0]);
    }

private:
    abi::CapSlot m_endpoint;
};

} // namespace protocol::hello
