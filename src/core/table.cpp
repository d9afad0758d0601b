#include "orm/mapping/table.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "orm/error.hpp"

namespace orm {

const column_info* table_info::auto_increment_column() const {
    for (const auto& c : columns)
        if (c.auto_increment) return &c;
    return nullptr;
}

const column_info* table_info::find_column(std::string_view wanted) const {
    for (const auto& c : columns)
        if (c.name == wanted) return &c;
    return nullptr;
}

const relationship_info* table_info::find_relationship(std::string_view wanted) const {
    for (const auto& r : relationships)
        if (r.name == wanted) return &r;
    return nullptr;
}

std::string to_snake_case(std::string_view name) {
    auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto is_lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (is_upper(c)) {
            const bool after_word = i > 0 && (is_lower_or_digit(name[i - 1]) ||
                                              (is_upper(name[i - 1]) && i + 1 < name.size() && is_lower_or_digit(name[i + 1])));
            if (after_word && out.back() != '_') out += '_';
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += c;
        }
    }
    return out;
}

namespace detail {

namespace {

[[noreturn]] void fail(const table_info& table, const std::string& problem) {
    throw mapping_error("orm: cannot map table '" + table.name + "': " + problem);
}

}  // namespace

void finalize_table(table_info& table, bool key_declared, const std::vector<signed char>& auto_increment_choice) {
    if (table.name.empty()) fail(table, "the table name is empty");

    // Default key: an integer field named `id`.
    if (!key_declared) {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            if (table.columns[i].name == "id" && table.columns[i].type.kind == type_kind::integer) {
                table.primary_key = {i};
                table.columns[i].primary_key = true;
                break;
            }
        }
    }
    if (table.primary_key.empty())
        fail(table, "it has no primary key: add an integer field `id`, mark a column with orm::primary_key, "
                    "or declare `static constexpr auto primary_key = orm::primary_key(&T::a, &T::b);`");

    // Auto-increment: on by default for a single integer key, off elsewhere unless asked.
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        column_info& c = table.columns[i];
        const signed char choice = auto_increment_choice[i];
        const bool single_integer_key = c.primary_key && table.primary_key.size() == 1 && c.type.kind == type_kind::integer;
        if (choice == 1 && !single_integer_key)
            fail(table, "column '" + c.name + "' is orm::auto_increment but is not a single-column integer primary key");
        c.auto_increment = choice == 1 || (choice == -1 && single_integer_key);
        if (c.nullable && c.primary_key) fail(table, "primary key column '" + c.name + "' cannot be std::optional");
    }

    // Option names are spliced into DDL: identifiers only.
    auto check_name = [&](const std::string& name, const char* what) {
        if (!std::all_of(name.begin(), name.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }))
            fail(table, std::string(what) + " '" + name + "' is not a name (letters, digits and '_')");
    };
    check_name(table.options.mysql_engine, "orm::mysql::engine");
    check_name(table.options.mysql_charset, "orm::mysql::charset");
    check_name(table.options.mysql_collation, "orm::mysql::collation");
    check_name(table.options.mysql_row_format, "orm::mysql::row_format");
    if (table.options.sqlite_without_rowid && table.auto_increment_column())
        fail(table, "orm::sqlite::without_rowid: a WITHOUT ROWID table has no auto-increment key (declare it orm::no_auto_increment)");

    std::set<std::string> names;
    for (column_info& c : table.columns) {
        check_name(c.mysql_collation, "orm::mysql::collation");
        check_name(c.sqlite_collation, "orm::sqlite::collation");
        if ((!c.mysql_collation.empty() || !c.sqlite_collation.empty()) && c.type.kind != type_kind::text && c.type.kind != type_kind::json)
            fail(table, "column '" + c.name + "' has a collation but is not text");
        if (c.name.empty()) fail(table, "a column name is empty");
        if (!names.insert(c.name).second) fail(table, "two columns are named '" + c.name + "'");
        if (c.length != 0 && c.type.kind != type_kind::text && c.type.kind != type_kind::blob)
            fail(table, "column '" + c.name + "' has orm::length but is neither a string nor bytes");
        if (c.type.kind == type_kind::decimal && (c.precision == 0 || c.precision > 65 || c.scale > 30 || c.scale > c.precision))
            fail(table, "column '" + c.name + "' needs orm::precision(p, s) with 1 <= p <= 65 and s <= min(p, 30)");
        if (c.timestamp && c.type.kind != type_kind::datetime)
            fail(table, "column '" + c.name + "' is orm::timestamp but not a time point");
        if (c.type.kind != type_kind::decimal && c.precision != 0)
            fail(table, "column '" + c.name + "' has orm::precision but is not an orm::decimal");
    }

    for (index_info& ix : table.indexes) {
        if (ix.columns.empty()) fail(table, "index '" + ix.name + "' has no columns");
        if (ix.name.empty()) ix.name = (ix.unique ? "uq_" : "ix_") + table.name + "_" + table.columns[ix.columns[0]].name;
    }
    std::set<std::string> index_names;
    for (const index_info& ix : table.indexes)
        if (!index_names.insert(ix.name).second) fail(table, "two indexes are named '" + ix.name + "'");
    for (foreign_key_info& fk : table.foreign_keys)
        if (fk.name.empty()) fk.name = "fk_" + table.name + "_" + table.columns[fk.columns[0]].name;

    // Keyed, unique or indexed strings need a bounded length (MySQL cannot index TEXT).
    auto needs_length = [&](std::size_t i) {
        if (table.columns[i].primary_key || table.columns[i].unique) return true;
        for (const index_info& ix : table.indexes)
            for (std::size_t c : ix.columns)
                if (c == i) return true;
        for (const foreign_key_info& fk : table.foreign_keys)
            for (std::size_t c : fk.columns)
                if (c == i) return true;
        return false;
    };
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        column_info& c = table.columns[i];
        if ((c.type.kind == type_kind::text || c.type.kind == type_kind::blob) && c.length == 0 && needs_length(i))
            c.length = 255;
    }
}

}  // namespace detail

}  // namespace orm
