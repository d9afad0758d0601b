#pragma once
// orm::model<T>: the small declaration that says what a struct's names and
// types cannot — table name, column names, keys, lengths, indexes, foreign keys.
//
//   template <> struct orm::model<Book> {
//       static constexpr auto table = "books";
//       static constexpr auto columns = orm::columns(
//           orm::column(&Book::title, orm::length(200), orm::index),
//           orm::foreign_key(&Book::author_id, &Author::id, orm::on_delete::cascade));
//       static constexpr auto indexes = orm::indexes(orm::unique("uq_books_isbn", &Book::isbn));
//       static constexpr auto version = &Book::version;   // optimistic concurrency counter
//   };
//
// Every member is optional; a struct without a model<T> is mapped by its
// defaults (table = snake_case of the type name, `id` = auto-increment key).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "orm/mapping/reflection.hpp"
#include "orm/mapping/types.hpp"

namespace orm {

/// Specialise for a mapped struct to override its defaults (see the file comment).
template <class T>
struct model {};

struct table_info;

/// What ON DELETE / ON UPDATE does to referencing rows.
enum class referential_action { no_action, restrict, cascade, set_null, set_default };

/// The options gathered for one column (built at compile time from the option objects).
struct column_options {
    std::string_view name{};            ///< column name override
    std::uint32_t length = 0;           ///< VARCHAR(n) / VARBINARY(n); 0 = TEXT / BLOB
    bool primary_key = false;
    signed char auto_increment = -1;    ///< -1: default (single integer key), 0: off, 1: on
    bool unique = false;
    bool index = false;
    std::string_view server_default{};  ///< SQL expression, emitted verbatim in DDL
    bool timestamp = false;             ///< TIMESTAMP instead of DATETIME (MySQL)
    std::uint8_t precision = 0;         ///< DECIMAL(precision, scale); 0 = the default (38, 10)
    std::uint8_t scale = 0;
    referential_action on_delete = referential_action::no_action;
    referential_action on_update = referential_action::no_action;
    std::string_view mysql_collation{};   ///< COLLATE on MySQL/MariaDB (orm::mysql::collation)
    std::string_view sqlite_collation{};  ///< COLLATE on SQLite (orm::sqlite::collation)
};

/// The options of a table, gathered from `model<T>::options` (orm::table_options(...)).
/// Each backend reads its own and ignores the others'.
struct table_options_spec {
    std::string_view mysql_engine{};      ///< ENGINE= (default InnoDB)
    std::string_view mysql_charset{};     ///< DEFAULT CHARSET= (default utf8mb4)
    std::string_view mysql_collation{};   ///< COLLATE= of the table (default: the charset's)
    std::string_view mysql_row_format{};  ///< ROW_FORMAT=
    bool sqlite_without_rowid = false;    ///< WITHOUT ROWID
    bool sqlite_strict = false;           ///< STRICT (SQLite >= 3.37)
};

/// A table option object: anything with `apply(table_options_spec&)`.
template <class O>
concept table_option = requires(const O& o, table_options_spec& spec) { o.apply(spec); };

/// A model's table options: `static constexpr auto options = orm::table_options(orm::mysql::engine("InnoDB"), orm::sqlite::strict);`.
/// Options of another backend than the one a table is created on are ignored.
template <table_option... O>
constexpr table_options_spec table_options(const O&... options) {
    table_options_spec spec;
    (options.apply(spec), ...);
    return spec;
}

/// Options MySQL and MariaDB read (ignored by other backends). Names are checked
/// as identifiers (letters, digits, '_') when the model is first used.
namespace mysql {
/// ENGINE=name: `orm::mysql::engine("InnoDB")`.
struct engine {
    std::string_view name;
    constexpr explicit engine(std::string_view n) : name(n) {}
    constexpr void apply(table_options_spec& o) const { o.mysql_engine = name; }
};
/// DEFAULT CHARSET=name: `orm::mysql::charset("utf8mb4")`.
struct charset {
    std::string_view name;
    constexpr explicit charset(std::string_view n) : name(n) {}
    constexpr void apply(table_options_spec& o) const { o.mysql_charset = name; }
};
/// COLLATE name, of the table (in orm::table_options) or of a column (in orm::column):
/// `orm::mysql::collation("utf8mb4_nopad_bin")` compares strings byte for byte, trailing spaces included.
struct collation {
    std::string_view name;
    constexpr explicit collation(std::string_view n) : name(n) {}
    constexpr void apply(table_options_spec& o) const { o.mysql_collation = name; }
    constexpr void apply(column_options& o) const { o.mysql_collation = name; }
};
/// ROW_FORMAT=name: `orm::mysql::row_format("DYNAMIC")`.
struct row_format {
    std::string_view name;
    constexpr explicit row_format(std::string_view n) : name(n) {}
    constexpr void apply(table_options_spec& o) const { o.mysql_row_format = name; }
};
}  // namespace mysql

/// Options SQLite reads (ignored by other backends).
namespace sqlite {
/// WITHOUT ROWID: the table is stored by its primary key (no auto-increment key then).
inline constexpr struct without_rowid_t {
    constexpr void apply(table_options_spec& o) const { o.sqlite_without_rowid = true; }
} without_rowid{};
/// STRICT: SQLite refuses a value of the wrong type in a column (columns are
/// declared INTEGER, REAL, TEXT or BLOB).
inline constexpr struct strict_t {
    constexpr void apply(table_options_spec& o) const { o.sqlite_strict = true; }
} strict{};
/// COLLATE name of a column: BINARY (the default), NOCASE (ASCII case folded) or RTRIM.
struct collation {
    std::string_view name;
    constexpr explicit collation(std::string_view n) : name(n) {}
    constexpr void apply(column_options& o) const { o.sqlite_collation = name; }
};
}  // namespace sqlite

/// Column name override: `orm::column(&Book::title, orm::name("book_title"))`.
struct name {
    std::string_view value;
    constexpr explicit name(std::string_view v) : value(v) {}
    constexpr void apply(column_options& o) const { o.name = value; }
};

/// VARCHAR length in characters: `orm::length(200)`. Without it a string is TEXT
/// (or VARCHAR(255) when it is a key, unique or indexed).
struct length {
    std::uint32_t value;
    constexpr explicit length(std::uint32_t n) : value(n) {}
    constexpr void apply(column_options& o) const { o.length = value; }
};

/// DECIMAL precision and scale: `orm::precision(12, 2)` holds up to 9999999999.99.
struct precision {
    std::uint8_t digits;
    std::uint8_t fraction;
    constexpr precision(std::uint8_t p, std::uint8_t s) : digits(p), fraction(s) {}
    constexpr void apply(column_options& o) const {
        o.precision = digits;
        o.scale = fraction;
    }
};

/// A server-side default, as SQL text written by the programmer (never user input):
/// `orm::server_default("CURRENT_TIMESTAMP")`, `orm::server_default("0")`.
struct server_default {
    std::string_view sql;
    constexpr explicit server_default(std::string_view s) : sql(s) {}
    constexpr void apply(column_options& o) const { o.server_default = sql; }
};

/// A declared index or unique constraint over one or more columns of C.
template <class C, class... M>
struct index_spec {
    std::string_view name;
    bool unique;
    std::tuple<M C::*...> members;
};

/// A composite primary key declaration.
template <class C, class... M>
struct key_spec {
    std::tuple<M C::*...> members;
};

namespace detail {
template <class C, class M1, class... M>
consteval auto make_index_spec(std::string_view name, bool unique, M1 C::*first, M C::*... rest) {
    return index_spec<C, M1, M...>{name, unique, {first, rest...}};
}
}  // namespace detail

/// As a column option, makes that column the primary key: `orm::column(&T::code, orm::primary_key)`.
/// Called, declares a composite key:
/// `static constexpr auto primary_key = orm::primary_key(&Line::order_id, &Line::number);`
inline constexpr struct primary_key_t {
    constexpr void apply(column_options& o) const { o.primary_key = true; }
    template <class C, class M1, class... M>
    consteval auto operator()(M1 C::*first, M C::*... rest) const {
        return key_spec<C, M1, M...>{{first, rest...}};
    }
} primary_key{};

/// As a column option, indexes that column (named ix_<table>_<column>).
/// Called, declares a named multi-column index: `orm::index("ix_books_title_price", &Book::title, &Book::price)`.
inline constexpr struct index_t {
    constexpr void apply(column_options& o) const { o.index = true; }
    template <class C, class... M>
    consteval auto operator()(std::string_view name, M C::*... members) const {
        return detail::make_index_spec(name, false, members...);
    }
} index{};

/// As a column option, a UNIQUE column. Called, a named multi-column unique index:
/// `orm::unique("uq_lines_sku", &Line::order_id, &Line::sku)`.
inline constexpr struct unique_t {
    constexpr void apply(column_options& o) const { o.unique = true; }
    template <class C, class... M>
    consteval auto operator()(std::string_view name, M C::*... members) const {
        return detail::make_index_spec(name, true, members...);
    }
} unique{};

/// Stores a time point column as MySQL TIMESTAMP (1970-01-01 00:00:01 to
/// 2038-01-19 03:14:07 UTC) instead of DATETIME: `orm::column(&Row::seen, orm::timestamp)`.
inline constexpr struct timestamp_t {
    constexpr void apply(column_options& o) const { o.timestamp = true; }
} timestamp{};

/// Forces AUTO_INCREMENT on an integer primary key column.
inline constexpr struct auto_increment_t {
    constexpr void apply(column_options& o) const { o.auto_increment = 1; }
} auto_increment{};

/// Turns off the default AUTO_INCREMENT of a single-column integer primary key
/// (`id` or a declared key): the program supplies the values.
inline constexpr struct no_auto_increment_t {
    constexpr void apply(column_options& o) const { o.auto_increment = 0; }
} no_auto_increment{};

/// ON DELETE actions of a foreign key: `orm::on_delete::cascade`.
namespace on_delete {
struct action {
    referential_action value;
    constexpr void apply(column_options& o) const { o.on_delete = value; }
};
inline constexpr action no_action{referential_action::no_action};
inline constexpr action restrict{referential_action::restrict};
inline constexpr action cascade{referential_action::cascade};
inline constexpr action set_null{referential_action::set_null};
inline constexpr action set_default{referential_action::set_default};
}  // namespace on_delete

/// ON UPDATE actions of a foreign key: `orm::on_update::cascade`.
namespace on_update {
struct action {
    referential_action value;
    constexpr void apply(column_options& o) const { o.on_update = value; }
};
inline constexpr action no_action{referential_action::no_action};
inline constexpr action restrict{referential_action::restrict};
inline constexpr action cascade{referential_action::cascade};
inline constexpr action set_null{referential_action::set_null};
inline constexpr action set_default{referential_action::set_default};
}  // namespace on_update

/// An option object: anything with `apply(column_options&)`.
template <class O>
concept column_option = requires(const O& o, column_options& opts) { o.apply(opts); };

/// Options for one field of C.
template <class C, class M>
struct column_spec {
    M C::*member;
    column_options options;
};

/// A column that references another table's column.
template <class C, class M, class Target, class TargetMember>
struct foreign_key_spec {
    M C::*member;
    TargetMember Target::*target;
    column_options options;
};

/// Options for one column: `orm::column(&Book::title, orm::length(200), orm::index)`.
template <class C, class M, column_option... O>
constexpr column_spec<C, M> column(M C::*member, const O&... options) {
    column_spec<C, M> spec{member, {}};
    (options.apply(spec.options), ...);
    return spec;
}

/// A foreign key column: `orm::foreign_key(&Book::author_id, &Author::id, orm::on_delete::cascade)`.
/// The two members must have the same type (either may be std::optional).
template <class C, class M, class Target, class TargetMember, column_option... O>
constexpr foreign_key_spec<C, M, Target, TargetMember> foreign_key(M C::*member, TargetMember Target::*target,
                                                                    const O&... options) {
    static_assert(std::is_same_v<typename detail::strip_optional<M>::type, typename detail::strip_optional<TargetMember>::type>,
                  "orm::foreign_key: the column and the column it references must have the same type");
    foreign_key_spec<C, M, Target, TargetMember> spec{member, target, {}};
    (options.apply(spec.options), ...);
    return spec;
}

/// The column declarations of a model: `static constexpr auto columns = orm::columns(...)`.
template <class... S>
constexpr std::tuple<S...> columns(const S&... specs) {
    return {specs...};
}

/// The index declarations of a model: `static constexpr auto indexes = orm::indexes(...)`.
template <class... S>
constexpr std::tuple<S...> indexes(const S&... specs) {
    return {specs...};
}

}  // namespace orm
