#pragma once
// orm::uuid: a 16-byte UUID, stored as BINARY(16) on MySQL and a 16-byte BLOB on SQLite.
//
//   orm::uuid id = orm::uuid::parse("123e4567-e89b-12d3-a456-426614174000");
//   std::string text = id.to_string();
//   orm::uuid fresh = orm::uuid::random();   // version 4
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "orm/mapping/types.hpp"

namespace orm {

/// A UUID (RFC 4122) held as its 16 bytes.
struct uuid {
    std::array<std::byte, 16> bytes{};

    /// Parses the 36-character form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (either case);
    /// throws orm::data_error otherwise.
    static uuid parse(std::string_view text);
    /// A random (version 4) UUID.
    static uuid random();
    /// The lower-case 36-character form.
    std::string to_string() const;
    friend bool operator==(const uuid&, const uuid&) = default;
    friend auto operator<=>(const uuid&, const uuid&) = default;
};

/// orm::uuid as a 16-byte binary column.
template <>
struct type_traits<uuid> {
    static constexpr sql_type sql = type_traits<std::array<std::byte, 16>>::sql;
    static value to_value(const uuid& u) { return type_traits<std::array<std::byte, 16>>::to_value(u.bytes); }
    static uuid from_value(const value& v) { return uuid{type_traits<std::array<std::byte, 16>>::from_value(v)}; }
};

}  // namespace orm
