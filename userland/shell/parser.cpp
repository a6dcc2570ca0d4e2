/// \file parser.cpp
/// \brief The shell's parser: operators, words with quotes and escapes, `$` expansion, redirections, and the syntax errors.
#include "parser.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"

namespace shell {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
/// Characters that end a word (unless quoted): the operators.
bool is_operator(char c) { return c == '|' || c == '&' || c == ';' || c == '<' || c == '>'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

/// The longest variable name `$NAME` may use; longer ones are refused rather than cut.
constexpr size_t kMaxName = 63;

void clear(Command& c)
{
    c.argc = 0;
    c.argv[0] = nullptr;
    c.assignment_count = 0;
    c.redirection_count = 0;
}

} // namespace

bool Parser::fail(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vformat(m_error, sizeof(m_error), fmt, args);
    va_end(args);
    return false;
}

Parser::Outcome Parser::error(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vformat(m_error, sizeof(m_error), fmt, args);
    va_end(args);
    return Outcome::Error;
}

void Parser::skip_blanks()
{
    while (is_blank(m_line[m_pos])) ++m_pos;
}

bool Parser::at_word_end(size_t pos) const
{
    char c = m_line[pos];
    return c == '\0' || is_blank(c) || is_operator(c);
}

bool Parser::put(Pipeline& p, char c)
{
    if (p.used == kTextBytes) return fail("the command is too long after expansion (limit %zu bytes)", kTextBytes);
    p.text[p.used++] = c;
    return true;
}

bool Parser::put_text(Pipeline& p, const char* s)
{
    for (; *s; ++s)
        if (!put(p, *s)) return false;
    return true;
}

/// At the start of a word: the length of NAME if the word reads NAME=..., else 0. The name's
/// characters cannot be quoted or expanded, so the raw text decides.
size_t Parser::assignment_name_length() const
{
    size_t n = 0;
    if (!is_name_start(m_line[m_pos])) return 0;
    while (is_name_char(m_line[m_pos + n])) ++n;
    return m_line[m_pos + n] == '=' ? n : 0;
}

/// Expands the `$...` at m_pos into the word being built. A `$` that starts no expansion (at
/// the end, before a blank, a quote or a digit) is an ordinary character.
bool Parser::dollar(Pipeline& p, bool& expanded)
{
    const char* start = &m_line[m_pos + 1];
    char name[kMaxName + 1];
    size_t length = 0;
    size_t consumed = 0;  // Characters after the '$'.
    if (*start == '?') {
        // The last status, as a decimal number.
        m_pos += 2;
        expanded = true;
        char number[16];
        format(number, sizeof(number), "%d", m_expansion ? m_expansion->status : 0);
        return put_text(p, number);
    }
    if (*start == '{') {
        // ${NAME}: the braces let a name run into text ("${A}b").
        while (start[1 + length] && start[1 + length] != '}') ++length;
        if (!start[1 + length]) return fail("syntax error: missing '}' after '${'");
        if (length == 0 || !is_name_start(start[1])) return fail("syntax error: bad substitution '${%.*s}'", static_cast<int>(length), start + 1);
        for (size_t i = 1; i < length; ++i)
            if (!is_name_char(start[1 + i])) return fail("syntax error: bad substitution '${%.*s}'", static_cast<int>(length), start + 1);
        if (length > kMaxName) return fail("syntax error: variable name too long (limit %zu)", kMaxName);
        memcpy(name, start + 1, length);
        consumed = length + 2;
    } else if (is_name_start(*start)) {
        while (is_name_char(start[length])) ++length;
        if (length > kMaxName) return fail("syntax error: variable name too long (limit %zu)", kMaxName);
        memcpy(name, start, length);
        consumed = length;
    } else {
        ++m_pos;
        return put(p, '$');
    }
    name[length] = '\0';
    m_pos += 1 + consumed;
    expanded = true;
    const char* value = m_expansion ? m_expansion->variable(name) : nullptr;
    return put_text(p, value ? value : "");
}

/// Reads one word at m_pos (which is not a blank or an operator) into the pipeline's text.
/// `keep` is false for an unquoted word that expanded to nothing, which POSIX drops.
bool Parser::read_word(Pipeline& p, char*& word, bool& keep)
{
    size_t start = p.used;
    bool quoted = false;
    bool expanded = false;
    while (!at_word_end(m_pos)) {
        char c = m_line[m_pos];
        if (c == '\\') {
            // Unquoted, a backslash makes the next character ordinary, whatever it is.
            if (!m_line[m_pos + 1]) return fail("syntax error: '\\' at the end of the line");
            quoted = true;
            if (!put(p, m_line[m_pos + 1])) return false;
            m_pos += 2;
        } else if (c == '\'') {
            quoted = true;
            size_t end = m_pos + 1;
            while (m_line[end] && m_line[end] != '\'') ++end;
            if (!m_line[end]) return fail("syntax error: unterminated single quote");
            for (size_t i = m_pos + 1; i < end; ++i)
                if (!put(p, m_line[i])) return false;
            m_pos = end + 1;
        } else if (c == '"') {
            quoted = true;
            ++m_pos;
            for (;;) {
                c = m_line[m_pos];
                if (!c) return fail("syntax error: unterminated double quote");
                if (c == '"') {
                    ++m_pos;
                    break;
                }
                char after = m_line[m_pos + 1];
                if (c == '\\' && (after == '$' || after == '"' || after == '\\' || after == '`')) {
                    if (!put(p, after)) return false;
                    m_pos += 2;
                } else if (c == '$') {
                    if (!dollar(p, expanded)) return false;
                } else {
                    if (!put(p, c)) return false;
                    ++m_pos;
                }
            }
        } else if (c == '$') {
            if (!dollar(p, expanded)) return false;
        } else {
            if (!put(p, c)) return false;
            ++m_pos;
        }
    }
    if (!put(p, '\0')) return false;
    word = &p.text[start];
    // Checking only, nothing is expanded: keep every word so the syntax is judged as typed.
    keep = quoted || !expanded || word[0] != '\0' || !m_expansion;
    return true;
}

/// Reads a redirection at m_pos: an optional descriptor digit, the operator, the target.
bool Parser::redirection(Pipeline& p, Command& c)
{
    size_t op_start = m_pos;
    int fd = -1;
    if (is_digit(m_line[m_pos])) {
        long n = 0;
        while (is_digit(m_line[m_pos]) && n < 1000) n = n * 10 + (m_line[m_pos++] - '0');
        if (n > 2) return fail("syntax error: only descriptors 0, 1 and 2 can be redirected");
        fd = static_cast<int>(n);
    }
    Redirection r{};
    if (m_line[m_pos] == '<') {
        if (m_line[m_pos + 1] == '<' || m_line[m_pos + 1] == '&' || m_line[m_pos + 1] == '>')
            return fail("syntax error: '<%c' is not supported", m_line[m_pos + 1]);
        r.kind = RedirectKind::Input;
        r.fd = fd < 0 ? 0 : fd;
        m_pos += 1;
    } else if (m_line[m_pos + 1] == '>') {
        r.kind = RedirectKind::Append;
        r.fd = fd < 0 ? 1 : fd;
        m_pos += 2;
    } else if (m_line[m_pos + 1] == '&') {
        // N>&M: descriptor N becomes a copy of M.
        r.kind = RedirectKind::Duplicate;
        r.fd = fd < 0 ? 1 : fd;
        char d = m_line[m_pos + 2];
        if (d < '0' || d > '2' || !at_word_end(m_pos + 3))
            return fail("syntax error: '%.*s' needs a descriptor: 0, 1 or 2", static_cast<int>(m_pos + 2 - op_start),
                        &m_line[op_start]);
        r.from = d - '0';
        m_pos += 3;
    } else {
        r.kind = RedirectKind::Output;
        r.fd = fd < 0 ? 1 : fd;
        m_pos += m_line[m_pos + 1] == '|' ? 2 : 1;  // ">|" (override noclobber) is plain ">" here.
    }
    int op_length = static_cast<int>(m_pos - op_start);
    if (r.kind != RedirectKind::Duplicate) {
        skip_blanks();
        char t = m_line[m_pos];
        if (t == '\0' || is_operator(t) || t == '#')
            return fail("syntax error: missing file name after '%.*s'", op_length, &m_line[op_start]);
        bool keep = true;
        char* target = nullptr;
        if (!read_word(p, target, keep)) return false;
        r.target = target;  // A target that expanded to nothing stays "": opening it fails.
    }
    if (c.redirection_count == kMaxRedirections)
        return fail("too many redirections in one command (limit %d)", kMaxRedirections);
    c.redirections[c.redirection_count++] = r;
    return true;
}

Parser::Outcome Parser::next(Pipeline& p)
{
    p.count = 1;
    p.next = Connector::End;
    p.used = 0;
    clear(p.commands[0]);
    int tokens = 0;         // Words (even dropped ones), assignments and redirections of this command.
    bool named = false;     // A word that is not an assignment was seen: later NAME=x are arguments.
    for (;;) {
        skip_blanks();
        Command& c = p.commands[p.count - 1];
        char ch = m_line[m_pos];
        if (ch == '#') {
            // A comment runs to the end of the line.
            while (m_line[m_pos]) ++m_pos;
            ch = '\0';
        }
        if (ch == '\0') {
            if (tokens > 0) {
                m_pending = nullptr;
                return Outcome::Pipeline;
            }
            if (p.count > 1) return error("syntax error: '|' with no command after it");
            if (m_pending) return error("syntax error: '%s' with no command after it", m_pending);
            return Outcome::End;
        }
        char after = m_line[m_pos + 1];
        if (ch == '|' && after != '|') {
            if (tokens == 0) return error("syntax error: '|' with no command before it");
            if (p.count == kMaxStages) return error("too many commands in one pipeline (limit %d)", kMaxStages);
            ++m_pos;
            clear(p.commands[p.count++]);
            tokens = 0;
            named = false;
            continue;
        }
        if (ch == ';' || (ch == '&' && after == '&') || (ch == '|' && after == '|')) {
            const char* op = ch == ';' ? ";" : ch == '&' ? "&&" : "||";
            if (tokens == 0 && p.count > 1) return error("syntax error: '|' with no command after it");
            if (tokens == 0) return error("syntax error: '%s' with no command before it", op);
            m_pos += ch == ';' ? 1 : 2;
            p.next = ch == ';' ? Connector::Sequence : ch == '&' ? Connector::And : Connector::Or;
            m_pending = ch == ';' ? nullptr : op;
            return Outcome::Pipeline;
        }
        if (ch == '&') return error("syntax error: '&' (running in the background) is not supported");

        // A redirection: an operator, or digits directly followed by one ("2>").
        size_t digits = 0;
        while (is_digit(m_line[m_pos + digits])) ++digits;
        char op = m_line[m_pos + digits];
        if (ch == '<' || ch == '>' || (digits > 0 && (op == '<' || op == '>'))) {
            if (!redirection(p, c)) return Outcome::Error;
            ++tokens;
            continue;
        }

        // A word: an assignment while no command name has been seen, else an argument.
        bool assignment = !named && assignment_name_length() > 0;
        char* word = nullptr;
        bool keep = true;
        if (!read_word(p, word, keep)) return Outcome::Error;
        ++tokens;
        if (assignment) {
            if (c.assignment_count == kMaxAssignments)
                return error("too many assignments in one command (limit %d)", kMaxAssignments);
            c.assignments[c.assignment_count++] = word;
            continue;
        }
        named = true;
        if (!keep) continue;
        if (c.argc == kMaxWords) return error("too many words in one command (limit %d)", kMaxWords);
        c.argv[c.argc++] = word;
        c.argv[c.argc] = nullptr;
    }
}

} // namespace shell
