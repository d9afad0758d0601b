// libFuzzer target: orm::url::parse on arbitrary bytes.
// Properties checked on every input:
//   - parse either succeeds or throws orm::url_error (anything else escapes and
//     is reported as a crash by libFuzzer);
//   - an error message echoes nothing of the URL's user information (no '@'
//     beyond the fixed example in the message), so never a password;
//   - redacted() does not depend on the password's value;
//   - a URL made of plain characters survives parse(redacted()) unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include <orm/error.hpp>
#include <orm/url.hpp>

namespace {

// Stops the run with a message; libFuzzer saves the input as a crash.
[[noreturn]] void property_failed(const char* what, std::string_view input) {
    std::fprintf(stderr, "fuzz_url: property failed: %s (input of %zu bytes)\n", what, input.size());
    std::abort();
}

// True if `s` holds none of the URL's delimiters or escapes.
bool plain(const std::string& s) { return s.find_first_of("%@:/?&[]#") == std::string::npos; }

void check_error_message(const orm::url_error& e, std::string_view input) {
    std::string message = e.what();
    // The only '@' orm's own text may contain is in the examples its errors give.
    for (const std::string example : {"mysql+libmariadb://user@host/db", "mysql://user@host/db"})
        for (auto at = message.find(example); at != std::string::npos; at = message.find(example)) message.erase(at, example.size());
    if (message.find('@') != std::string::npos) property_failed("a url_error echoes user information", input);
}

void check_parsed(const orm::url& u, std::string_view input) {
    const std::string shown = u.redacted();
    if (!u.password.empty()) {
        orm::url other = u;
        other.password = u.password == "x" ? "y" : "x";
        if (other.redacted() != shown) property_failed("redacted() depends on the password", input);
    }
    if (u.password.empty() && u.query.empty() && plain(u.user) && plain(u.host) && plain(u.database) &&
        u.database != ":memory:") {
        orm::url back;
        try {
            back = orm::url::parse(shown);
        } catch (const orm::url_error&) {
            property_failed("parse(redacted()) throws", input);
        }
        if (back.scheme != u.scheme || back.user != u.user || back.host != u.host || back.port != u.port ||
            back.database != u.database)
            property_failed("parse(redacted()) differs from the parsed URL", input);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    orm::url parsed;
    try {
        parsed = orm::url::parse(input);
    } catch (const orm::url_error& e) {
        check_error_message(e, input);
        return 0;
    }
    check_parsed(parsed, input);
    return 0;
}
