#include "orm/value.hpp"

#include <cstdio>
#include <string_view>

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
        // Quoted SQL style ('it''s'), so a logged value cannot be read as two; a long
        // text is cut before its quotes are doubled, never inside a pair.
        std::string operator()(const std::string& s) const {
            constexpr std::size_t max_shown = 64;
            const std::string_view shown = std::string_view(s).substr(0, max_shown);
            std::string out = "'";
            for (char c : shown) {
                if (c == '\'') out += '\'';
                out += c;
            }
            out += s.size() <= max_shown ? "'" : "...' (" + std::to_string(s.size()) + " bytes)";
            return out;
        }
        std::string operator()(const blob& b) const { return "<blob " + std::to_string(b.size()) + " bytes>"; }
    };
    return std::visit(visitor{}, v);
}

}  // namespace orm
