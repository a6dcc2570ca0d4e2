/// \file service_table.cpp
/// \brief Line-by-line parsing of the service table, with a reason for every rejected line.
#include "service_table.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"

namespace rs {

namespace {

/// A view of part of the text: not NUL-terminated.
struct Token {
    const char* start = nullptr;
    size_t length = 0;
    bool equals(const char* s) const { return strlen(s) == length && memcmp(start, s, length) == 0; }
};

/// Splits the next whitespace-separated word off `line`.
Token next_word(const char*& p, const char* end)
{
    while (p < end && (*p == ' ' || *p == '\t')) ++p;
    Token t{p, 0};
    while (p < end && *p != ' ' && *p != '\t') ++p, ++t.length;
    return t;
}

bool copy_name(Token t, char* out, size_t size)
{
    if (t.length == 0 || t.length >= size) return false;
    for (size_t i = 0; i < t.length; ++i) {
        char c = t.start[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
        out[i] = c;
    }
    out[t.length] = '\0';
    return true;
}

/// Decimal or 0x-prefixed hexadecimal, the whole token, no overflow.
bool parse_number(Token t, uint64_t& out)
{
    size_t i = 0;
    unsigned base = 10;
    if (t.length > 2 && t.start[0] == '0' && (t.start[1] == 'x' || t.start[1] == 'X')) base = 16, i = 2;
    if (i >= t.length) return false;
    uint64_t value = 0;
    for (; i < t.length; ++i) {
        char c = t.start[i];
        unsigned digit;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        else return false;
        if (value > (UINT64_MAX - digit) / base) return false;
        value = value * base + digit;
    }
    out = value;
    return true;
}

/// "A:B" into two numbers.
bool parse_pair(Token t, uint64_t& a, uint64_t& b)
{
    for (size_t i = 0; i < t.length; ++i) {
        if (t.start[i] != ':') continue;
        return parse_number({t.start, i}, a) && parse_number({t.start + i + 1, t.length - i - 1}, b);
    }
    return false;
}

/// "A:B" with A and B hexadecimal of 1..`digits` digits each, without 0x (PCI IDs: `8086:100e`).
bool parse_hex_pair(Token t, unsigned digits, uint64_t& a, uint64_t& b)
{
    uint64_t* out = &a;
    size_t run = 0;
    a = b = 0;
    for (size_t i = 0; i < t.length; ++i) {
        char c = t.start[i];
        if (c == ':' && out == &a && run > 0) {
            out = &b;
            run = 0;
            continue;
        }
        unsigned digit;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        else return false;
        if (++run > digits) return false;
        *out = *out * 16 + digit;
    }
    return out == &b && run > 0;
}

/// Fills `cfg` from one line's fields; on error writes the reason and returns false.
bool parse_fields(const char*& p, const char* end, ServiceConfig& cfg, char* why, size_t why_size)
{
    for (;;) {
        Token field = next_word(p, end);
        if (field.length == 0) break;
        size_t eq = 0;
        while (eq < field.length && field.start[eq] != '=') ++eq;
        if (eq == field.length) {
            format(why, why_size, "field '%.*s' has no '='", static_cast<int>(field.length), field.start);
            return false;
        }
        Token key{field.start, eq}, value{field.start + eq + 1, field.length - eq - 1};
        uint64_t n = 0, m = 0;
        auto add = [&](ResourceKind kind, uint64_t base, uint64_t size) {
            if (cfg.resource_count == kMaxResources) return false;
            cfg.resources[cfg.resource_count++] = Resource{kind, base, size, {}};
            return true;
        };
        bool ok = true;
        if (key.equals("binary")) ok = copy_name(value, cfg.binary, sizeof(cfg.binary));
        else if (key.equals("args")) {
            ok = value.length < sizeof(cfg.args);
            for (size_t i = 0; ok && i < value.length; ++i) cfg.args[i] = value.start[i] == ',' ? ' ' : value.start[i];
            if (ok) cfg.args[value.length] = '\0';
        } else if (key.equals("irq")) ok = parse_number(value, n) && n < 16 && add(ResourceKind::Irq, n, 0);
        else if (key.equals("ports")) ok = parse_pair(value, n, m) && m > 0 && n + m <= 0x10000 && add(ResourceKind::Ports, n, m);
        else if (key.equals("mmio")) ok = parse_pair(value, n, m) && m > 0 && n % 4096 == 0 && m % 4096 == 0 && add(ResourceKind::Mmio, n, m);
        else if (key.equals("memory")) ok = parse_number(value, n) && n > 0 && n % 4096 == 0 && n <= (64ull << 20) && add(ResourceKind::Memory, 0, n);
        else if (key.equals("pci")) ok = parse_hex_pair(value, 4, n, m) && n != 0xffff && add(ResourceKind::Pci, n, m);
        else if (key.equals("pci_class")) ok = parse_hex_pair(value, 2, n, m) && add(ResourceKind::PciClass, n, m);
        else if (key.equals("uses")) {
            ok = cfg.resource_count < kMaxResources;
            if (ok) {
                Resource& r = cfg.resources[cfg.resource_count];
                r = Resource{ResourceKind::Uses, 0, 0, {}};
                ok = copy_name(value, r.label, sizeof(r.label));
                if (ok) ++cfg.resource_count;
            }
        } else if (key.equals("heartbeat")) ok = parse_number(value, n) && n <= 60000 && (cfg.heartbeat_ms = static_cast<uint32_t>(n), true);
        else if (key.equals("mode")) {
            ok = value.equals("restart") || value.equals("fresh");
            cfg.restart_mode = value.equals("restart");
        } else if (key.equals("budget")) ok = parse_number(value, n) && n <= 1000000 && (cfg.budget = static_cast<uint32_t>(n), true);
        else if (key.equals("backoff")) ok = parse_number(value, n) && n <= 600000 && (cfg.backoff_ms = static_cast<uint32_t>(n), true);
        else if (key.equals("init_timeout")) ok = parse_number(value, n) && n > 0 && n <= 600000 && (cfg.init_timeout_ms = static_cast<uint32_t>(n), true);
        else if (key.equals("core")) {
            ok = value.equals("yes") || value.equals("no");
            cfg.core = value.equals("yes");
        } else {
            format(why, why_size, "unknown field '%.*s'", static_cast<int>(key.length), key.start);
            return false;
        }
        if (!ok) {
            format(why, why_size, "bad value for '%.*s': '%.*s'", static_cast<int>(key.length), key.start,
                   static_cast<int>(value.length), value.start);
            return false;
        }
    }
    unsigned slots = 0, pci = 0;
    for (unsigned i = 0; i < cfg.resource_count; ++i) {
        bool is_pci = cfg.resources[i].kind == ResourceKind::Pci || cfg.resources[i].kind == ResourceKind::PciClass;
        pci += is_pci;
        slots += is_pci ? kPciSlots : 1;
    }
    if (pci > 1) {
        format(why, why_size, "more than one pci= or pci_class=");
        return false;
    }
    if (slots > kMaxResourceSlots) {
        format(why, why_size, "resources need %u capability slots, at most %u", slots, kMaxResourceSlots);
        return false;
    }
    if (cfg.binary[0] == '\0') {
        format(why, why_size, "no binary= for service '%s'", cfg.label);
        return false;
    }
    return true;
}

} // namespace

void parse_service_table(const char* text, size_t length, ServiceTable& table)
{
    table.count = 0;
    table.error_count = 0;
    const char* end = text + length;
    unsigned number = 0;
    for (const char* line = text; line < end;) {
        ++number;
        const char* eol = line;
        while (eol < end && *eol != '\n') ++eol;
        const char* stop = line;
        while (stop < eol && *stop != '#' && *stop != '\r') ++stop;  // Comments end the line.

        auto reject = [&](const char* why) {
            if (table.error_count == kMaxServices) return;
            ParseError& e = table.errors[table.error_count++];
            e.line = number;
            size_t n = strnlen_bounded(why, sizeof(e.reason) - 1);
            memcpy(e.reason, why, n);
            e.reason[n] = '\0';
        };

        const char* p = line;
        Token first = next_word(p, stop);
        if (first.length != 0) {
            ServiceConfig cfg{};
            cfg.heartbeat_ms = 500;
            cfg.restart_mode = true;
            cfg.budget = 10;
            cfg.backoff_ms = 2000;
            cfg.init_timeout_ms = 2000;
            cfg.line = number;
            char why[72] = "";
            if (!first.equals("service")) {
                format(why, sizeof(why), "expected 'service', found '%.*s'", static_cast<int>(first.length), first.start);
                reject(why);
            } else if (!copy_name(next_word(p, stop), cfg.label, sizeof(cfg.label))) {
                reject("missing or invalid service label");
            } else if (!parse_fields(p, stop, cfg, why, sizeof(why))) {
                reject(why);
            } else {
                bool duplicate = false;
                for (unsigned i = 0; i < table.count; ++i)
                    duplicate |= strcmp(table.services[i].label, cfg.label) == 0;
                if (duplicate) reject("duplicate service label");
                else if (table.count == kMaxServices) reject("too many services");
                else table.services[table.count++] = cfg;
            }
        }
        line = eol < end ? eol + 1 : end;
    }
}

} // namespace rs
