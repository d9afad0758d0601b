#include "orm/value.hpp"

#include <cstdio>

namespace orm {

std::string to_display_string(const value& v) {
    struct visitor {
        std::string operator()(null_t) const { return "NULL"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(std::uint64_t u) const { return std::to_string(u); }
        std::string operator()(double d) const {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.17g", d);
            return buffer;
        }
        std::string operator()(const std::string& s) const {
            constexpr std::size_t max_shown = 64;
            if (s.size() <= max_shown) return "'" + s + "'";
            return "'" + s.substr(0, max_shown) + "...' (" + std::to_string(s.size()) + " bytes)";
        }
        std::string operator()(const blob& b) const { return "<blob " + std::to_string(b.size()) + " bytes>"; }
    };
    return std::visit(visitor{}, v);
}

}  // namespace orm
