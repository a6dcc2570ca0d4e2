/// \file variables.cpp
/// \brief Shell variables in a fixed table, the environment through libc (getenv, setenv, unsetenv, environ).
#include "variables.hpp"
#include "console.hpp"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace shell::variables {

namespace {

constexpr size_t kNameBytes = 64;
constexpr size_t kValueBytes = 256;
constexpr int kMaxVariables = 32;

/// One shell variable (not exported).
struct Variable {
    bool used;
    char name[kNameBytes];
    char value[kValueBytes];
};

Variable g_variables[kMaxVariables];

Variable* find(const char* name)
{
    for (Variable& v : g_variables)
        if (v.used && strcmp(v.name, name) == 0) return &v;
    return nullptr;
}

void forget(const char* name)
{
    if (Variable* v = find(name)) v->used = false;
}

/// Splits "NAME=value" into `name` (NUL-terminated copy) and the value's start. \return false
/// (after saying why, as `who`) if NAME is not a valid name or too long.
bool split(const char* who, const char* assignment, char (&name)[kNameBytes], const char*& value)
{
    const char* equals = strchr(assignment, '=');
    size_t length = equals ? static_cast<size_t>(equals - assignment) : strlen(assignment);
    if (!valid_name(assignment, length)) {
        console::error("shell: %s: '%s': not a valid identifier\n", who, assignment);
        return false;
    }
    if (length >= kNameBytes) {
        console::error("shell: %s: name too long (limit %zu)\n", who, kNameBytes - 1);
        return false;
    }
    memcpy(name, assignment, length);
    name[length] = '\0';
    value = equals ? equals + 1 : nullptr;
    return true;
}

/// Puts name=value in the environment. \return false (after saying why) if libc refused.
bool set_environment(const char* who, const char* name, const char* value)
{
    if (setenv(name, value, 1) == 0) return true;
    console::error("shell: %s: %s: %s\n", who, name, strerror(errno));
    return false;
}

} // namespace

bool valid_name(const char* text, size_t length)
{
    if (length == 0) return false;
    for (size_t i = 0; i < length; ++i) {
        char c = text[i];
        bool letter = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!letter && (i == 0 || c < '0' || c > '9')) return false;
    }
    return true;
}

const char* lookup(const char* name)
{
    if (const Variable* v = find(name)) return v->value;
    return getenv(name);
}

bool assign(const char* assignment)
{
    char name[kNameBytes];
    const char* value = nullptr;
    if (!split("assignment", assignment, name, value) || !value) return false;
    // A name in the environment stays there: the assignment changes what commands will see.
    if (getenv(name)) return set_environment("assignment", name, value);
    if (strlen(value) >= kValueBytes) {
        console::error("shell: %s: value too long (limit %zu bytes)\n", name, kValueBytes - 1);
        return false;
    }
    Variable* v = find(name);
    for (int i = 0; !v && i < kMaxVariables; ++i)
        if (!g_variables[i].used) v = &g_variables[i];
    if (!v) {
        console::error("shell: %s: too many shell variables (limit %d; export or unset some)\n", name, kMaxVariables);
        return false;
    }
    v->used = true;
    strlcpy(v->name, name, sizeof(v->name));
    strlcpy(v->value, value, sizeof(v->value));
    return true;
}

int export_command(int argc, char** argv)
{
    if (argc == 1) return env_command(1, argv);
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        char name[kNameBytes];
        const char* value = nullptr;
        if (!split("export", argv[i], name, value)) {
            status = 1;
            continue;
        }
        // `export NAME` exports the shell variable's value; a name that is set nowhere is
        // left alone (POSIX would remember to export it once it is set; this shell does not).
        if (!value) {
            const Variable* v = find(name);
            if (!v) continue;
            value = v->value;
        }
        if (!set_environment("export", name, value)) {
            status = 1;
            continue;
        }
        forget(name);
    }
    return status;
}

int unset_command(int argc, char** argv)
{
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        if (!valid_name(argv[i], strlen(argv[i]))) {
            console::error("shell: unset: '%s': not a valid identifier\n", argv[i]);
            status = 1;
            continue;
        }
        forget(argv[i]);
        unsetenv(argv[i]);
    }
    return status;
}

int env_command(int argc, char**)
{
    if (argc > 1) {
        console::error("usage: env (prints the environment; use NAME=value COMMAND to add to a command's)\n");
        return 2;
    }
    for (char** e = environ; e && *e; ++e) console::print("%s\n", *e);
    return 0;
}

} // namespace shell::variables
