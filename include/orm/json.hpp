#pragma once
// JSON columns: nlohmann::json values (Debian nlohmann-json3-dev), or raw JSON
// text in orm::json_text. MySQL/MariaDB store them in JSON columns, SQLite in
// TEXT with CHECK (json_valid(...)). Invalid JSON is an orm::data_error before
// anything is written.
//
//   struct Event { std::int64_t id = 0; nlohmann::json payload; };
#include <string>

#include <nlohmann/json.hpp>

#include "orm/mapping/types.hpp"

namespace orm {

/// Raw JSON text for a JSON column, validated on write: `orm::json_text{R"({"a": 1})"}`.
struct json_text {
    std::string text;
    friend bool operator==(const json_text&, const json_text&) = default;
};

/// nlohmann::json as a JSON column (written compactly, parsed on read).
template <>
struct type_traits<nlohmann::json> {
    static constexpr sql_type sql{type_kind::json};
    static value to_value(const nlohmann::json& j) { return j.dump(); }
    static nlohmann::json from_value(const value& v) {
        const std::string text = type_traits<std::string>::from_value(v);
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        if (parsed.is_discarded()) throw data_error("orm: the database returned text that is not JSON");
        return parsed;
    }
};

/// orm::json_text as a JSON column; its text must parse as JSON.
template <>
struct type_traits<json_text> {
    static constexpr sql_type sql{type_kind::json};
    static value to_value(const json_text& j) {
        if (!nlohmann::json::accept(j.text)) throw data_error("orm: invalid JSON cannot be stored in a JSON column");
        return type_traits<std::string>::to_value(j.text);
    }
    static json_text from_value(const value& v) { return {type_traits<std::string>::from_value(v)}; }
};

}  // namespace orm
