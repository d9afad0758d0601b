#include "orm/uuid.hpp"

#include <random>

namespace orm {

uuid uuid::parse(std::string_view text) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    uuid out;
    bool ok = text.size() == 36;
    std::size_t byte = 0;
    for (std::size_t i = 0; ok && i < text.size();) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            ok = text[i] == '-';
            ++i;
            continue;
        }
        const int hi = nibble(text[i]), lo = i + 1 < text.size() ? nibble(text[i + 1]) : -1;
        ok = hi >= 0 && lo >= 0 && byte < 16;
        if (ok) out.bytes[byte++] = static_cast<std::byte>(hi * 16 + lo);
        i += 2;
    }
    if (!ok || byte != 16) throw data_error("orm: '" + std::string(text.substr(0, 64)) + "' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    return out;
}

uuid uuid::random() {
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    uuid out;
    for (std::size_t i = 0; i < 16; i += 8) {
        const std::uint64_t r = generator();
        for (std::size_t k = 0; k < 8; ++k) out.bytes[i + k] = static_cast<std::byte>(r >> (8 * k));
    }
    out.bytes[6] = (out.bytes[6] & std::byte{0x0F}) | std::byte{0x40};  // version 4
    out.bytes[8] = (out.bytes[8] & std::byte{0x3F}) | std::byte{0x80};  // RFC 4122 variant
    return out;
}

std::string uuid::to_string() const {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        const auto b = std::to_integer<unsigned>(bytes[i]);
        out += hex[b >> 4];
        out += hex[b & 0xF];
    }
    return out;
}

}  // namespace orm
