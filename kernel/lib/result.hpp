/// \file result.hpp
/// \brief `Result<T>`: a value or an `abi::Error`, and the `TRY` macro that propagates errors.
///
/// Errors are values in Samsara (SerenityOS `ErrorOr`, C++23 `std::expected`). A function that can
/// fail returns `Result<T>`; the caller must look at it (`[[nodiscard]]`). `TRY(expr)` evaluates
/// `expr` and returns its error from the enclosing function, or yields the value.
#pragma once

#include "abi/errors.hpp"
#include <new>
#include <utility>

using abi::Error;

/// A T, or the Error that stopped us from producing one.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(const T& value) : m_error(Error::None) { new (&m_storage) T(value); }
    Result(T&& value) : m_error(Error::None) { new (&m_storage) T(std::move(value)); }
    Result(Error error) : m_error(error) {}
    Result(const Result& other) : m_error(other.m_error)
    {
        if (!is_error()) new (&m_storage) T(other.value());
    }
    Result& operator=(const Result&) = delete;
    ~Result()
    {
        if (!is_error()) value().~T();
    }

    bool is_error() const { return m_error != Error::None; }
    Error error() const { return m_error; }
    T& value() { return *reinterpret_cast<T*>(&m_storage); }
    const T& value() const { return *reinterpret_cast<const T*>(&m_storage); }
    T release_value() { return std::move(value()); }

private:
    Error m_error;
    alignas(T) unsigned char m_storage[sizeof(T)];
};

/// Success with no value, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() : m_error(Error::None) {}
    Result(Error error) : m_error(error) {}
    bool is_error() const { return m_error != Error::None; }
    Error error() const { return m_error; }
    void release_value() {}

private:
    Error m_error;
};

/// Evaluates `expr` (a Result); on error returns the error from the current function, otherwise
/// the expression's value is the result's value.
#define TRY(expr)                                            \
    ({                                                       \
        auto _try_result = (expr);                           \
        if (_try_result.is_error()) return _try_result.error(); \
        _try_result.release_value();                         \
    })
