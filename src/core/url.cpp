#include "orm/url.hpp"

#include <cctype>
#include <charconv>

#include "orm/error.hpp"

namespace orm {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes %XX escapes; `what` names the part for the error message (never its value).
std::string percent_decode(std::string_view text, const char* what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
        int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
        if (i + 2 >= text.size() || hi < 0 || lo < 0)
            throw url_error(std::string("malformed database URL: bad percent-escape in the ") + what);
        // A NUL would cut the text short wherever it meets a C API (a password
        // "pw%00rest" sent as "pw"): refused, naming the part, never its value.
        if (hi == 0 && lo == 0)
            throw url_error(std::string("malformed database URL: the ") + what + " contains %00, a NUL byte");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// True for an RFC 3986 scheme: a letter, then letters, digits, '+', '-' or '.'.
bool is_scheme(std::string_view text) {
    if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front()))) return false;
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    return true;
}

// True for a query option whose value may be a secret: its name mentions
// pass(word), pwd, secret, token, key, auth or credential, in any letter case.
bool looks_secret(std::string_view key) {
    std::string lower(key);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view word : {"pass", "pwd", "secret", "token", "key", "auth", "credential"})
        if (lower.find(word) != std::string::npos) return true;
    return false;
}

// `text` with every byte but letters, digits and "-._~/:,@" percent-encoded, so that
// '&', '=', '%' and '#' in an option read as data when the URL is parsed again.
std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || std::string_view("-._~/:,@").find(c) != std::string_view::npos) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out;
}

[[noreturn]] void fail(const std::string& why, std::string_view scheme) {
    throw url_error("malformed database URL (" + std::string(scheme.empty() ? "no scheme" : scheme) + "://...): " + why);
}

}  // namespace

url url::parse(std::string_view text) {
    url result;
    if (text.find('\0') != std::string_view::npos)
        throw url_error("malformed database URL: it contains a NUL byte (C APIs would read the text only up to it)");
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0)
        throw url_error("malformed database URL: expected scheme://..., e.g. sqlite:///app.db or mysql://user@host/db");
    result.scheme = std::string(text.substr(0, scheme_end));
    // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). Checked before the scheme
    // is ever echoed: "user:secret@host/db?x=file://..." has no scheme, and its
    // text before "://" holds the password.
    if (!is_scheme(result.scheme))
        throw url_error("malformed database URL: the text before \"://\" is not a scheme (letters, digits, '+', '-', '.')");
    for (char& c : result.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "mysql+libmariadb://": the client library after '+' (create_engine checks the name).
    if (auto plus = result.scheme.find('+'); plus != std::string::npos) {
        result.driver = result.scheme.substr(plus + 1);
        result.scheme.resize(plus);
        if (result.scheme.empty() || result.driver.empty() || result.driver.find('+') != std::string::npos)
            throw url_error("malformed database URL: expected scheme+driver://..., e.g. mysql+libmariadb://user@host/db");
    }
    std::string_view rest = text.substr(scheme_end + 3);

    if (auto q = rest.find('?'); q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        while (!query.empty()) {
            auto amp = query.find('&');
            std::string_view pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            if (eq == 0) fail("empty option name in the query string", result.scheme);
            std::string key = percent_decode(pair.substr(0, eq), "query string");
            std::string val = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), "query string");
            result.query[key] = val;
        }
    }

    if (result.scheme == "sqlite") {
        // sqlite://            -> in memory
        // sqlite:///rel.db     -> "rel.db";  sqlite:////abs.db -> "/abs.db"
        if (rest.empty()) return result;
        if (rest.front() != '/') fail("SQLite URLs have no host: use sqlite:///relative.db or sqlite:////absolute.db", result.scheme);
        result.database = percent_decode(rest.substr(1), "path");
        if (result.database == ":memory:") result.database.clear();
        return result;
    }

    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) result.database = percent_decode(rest.substr(slash + 1), "database name");
    if (result.database.find('/') != std::string::npos) fail("the database name contains '/'", result.scheme);

    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        auto colon = userinfo.find(':');
        result.user = percent_decode(userinfo.substr(0, colon), "user name");
        if (colon != std::string_view::npos) result.password = percent_decode(userinfo.substr(colon + 1), "password");
    }
    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {  // [::1]:3306
        auto close = host.find(']');
        if (close == std::string_view::npos) fail("unterminated '[' in the host", result.scheme);
        result.host = std::string(host.substr(1, close - 1));
        host = host.substr(close + 1);
        if (!host.empty() && host.front() != ':') fail("unexpected text after ']'", result.scheme);
    } else {
        auto colon = host.find(':');
        result.host = std::string(host.substr(0, colon));
        host = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
    }
    if (!host.empty()) {  // ":port"
        std::string_view digits = host.substr(1);
        unsigned port = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535)
            fail("the port must be a number from 1 to 65535", result.scheme);
        result.port = port;
    }
    return result;
}

std::string url::redacted() const {
    std::string out = scheme + (driver.empty() ? "" : "+" + driver) + "://";
    if (scheme == "sqlite") {
        if (!database.empty()) out += "/" + database;
    } else {
        if (!user.empty() || !password.empty()) {
            out += user;
            if (!password.empty()) out += ":***";
            out += "@";
        }
        out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
        // Appended: "x" + std::string&& trips g++ 12 -O3 -Wrestrict (a false positive, GCC PR 105651).
        if (port) {
            out += ':';
            out += std::to_string(*port);
        }
        if (!database.empty()) out += "/" + database;
    }
    char separator = '?';
    for (const auto& [key, value] : query) {
        out += separator;
        out += percent_encode(key) + "=" + (looks_secret(key) ? "***" : percent_encode(value));
        separator = '&';
    }
    return out;
}

std::string url::option(const std::string& key, std::string fallback) const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
}

}  // namespace orm
