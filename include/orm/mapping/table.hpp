#pragma once
// Table metadata: the run-time description of a mapped struct that dialects
// compile into DDL and statements. `orm::table_of<T>()` builds it once from
// reflection plus orm::model<T>, checking the declaration.
#include <array>
#include <memory>
#include <memory_resource>
#include <optional>
#include <cstddef>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "orm/mapping/model.hpp"
#include "orm/mapping/reflection.hpp"
#include "orm/mapping/types.hpp"
#include "orm/relationship.hpp"

namespace orm {

namespace detail {
struct state_deleter;
using state_ptr = std::unique_ptr<object_state, state_deleter>;
/// Makes the session state of a default T (defined in orm/detail/object_state.hpp).
template <class T>
state_ptr make_state(std::pmr::memory_resource& memory);
}  // namespace detail

/// One column of a mapped table.
struct column_info {
    std::string name;
    std::size_t field_index = 0;     ///< position among the struct's columns (its index in a row of values)
    sql_type type;
    bool nullable = false;           ///< std::optional field
    bool primary_key = false;
    bool auto_increment = false;
    bool unique = false;
    std::uint32_t length = 0;        ///< VARCHAR(n) / VARBINARY(n); 0 = TEXT / BLOB
    std::string server_default;      ///< SQL expression, or empty
    bool timestamp = false;          ///< TIMESTAMP rather than DATETIME
    std::uint8_t precision = 0;      ///< DECIMAL(precision, scale)
    std::uint8_t scale = 0;
    std::string mysql_collation;     ///< COLLATE on MySQL/MariaDB, or empty
    std::string sqlite_collation;    ///< COLLATE on SQLite, or empty
};

/// A named index (unique or not) over columns of one table.
struct index_info {
    std::string name;
    std::vector<std::size_t> columns;  ///< positions in table_info::columns
    bool unique = false;
};

/// A foreign key from columns of this table to columns of another (or the same) table.
struct foreign_key_info {
    std::string name;                       ///< constraint name: fk_<table>_<column>
    std::vector<std::size_t> columns;       ///< positions in this table
    const table_info& (*target)() = nullptr;  ///< the referenced table (resolved lazily)
    std::vector<std::size_t> target_columns;  ///< positions in the referenced table
    referential_action on_delete = referential_action::no_action;
    referential_action on_update = referential_action::no_action;
};

/// A relationship declared in model<T>::relationships, as the session uses it.
struct relationship_info {
    std::string name;  ///< "Book::author"
    relationship_kind kind = relationship_kind::many_to_one;
    relationship_options options;
    const table_info& (*target)() = nullptr;  ///< the related table (resolved lazily)
    /// many_to_one: the foreign-key columns of this table; one_to_many: this table's key columns they reference.
    std::vector<std::size_t> local_columns;
    /// many_to_one: the target's key columns; one_to_many: the foreign-key columns of the target's table.
    std::vector<std::size_t> remote_columns;
    /// The relationship member inside an object of this table (a to_one_base or collection_base).
    void* (*member_of)(void* object) = nullptr;
    std::string back_populates;  ///< name of the mirroring relationship on the target ("Author::books"), or empty
    /// Makes the session state of a default target object (for loading).
    detail::state_ptr (*make_target)(std::pmr::memory_resource&) = nullptr;
    /// The member pointer's type and a test for "this member pointer (of that type) is the relationship's member"
    /// (how a query's loading option finds the relationship it names).
    std::type_index member_pointer_type = typeid(void);
    bool (*is_member)(const void* member_pointer) = nullptr;
};

/// Everything orm knows about a mapped struct's table.
struct table_info {
    std::string name;
    std::type_index type = typeid(void);
    std::vector<column_info> columns;        ///< in field order
    std::vector<std::size_t> primary_key;    ///< positions of the key columns, in key order
    std::vector<index_info> indexes;
    std::vector<foreign_key_info> foreign_keys;
    std::optional<std::size_t> version_column;  ///< optimistic-concurrency counter (model<T>::version)
    std::vector<relationship_info> relationships;  ///< model<T>::relationships, in declaration order
    bool selectin_by_default = false;  ///< some relationship loads with orm::load::selectin by default
    bool cascades_removal = false;     ///< some relationship has orm::cascade::remove
    /// Backend options of the table (model<T>::options); each dialect reads its own.
    struct options_t {
        std::string mysql_engine, mysql_charset, mysql_collation, mysql_row_format;
        bool sqlite_without_rowid = false;
        bool sqlite_strict = false;
    } options;

    /// The auto-increment column, or nullptr.
    const column_info* auto_increment_column() const;
    /// The column called `name`, or nullptr.
    const column_info* find_column(std::string_view name) const;
    /// The relationship called `name` ("Book::author"), or nullptr.
    const relationship_info* find_relationship(std::string_view name) const;
};

/// "OrderLine" -> "order_line", "HTTPServer" -> "http_server".
std::string to_snake_case(std::string_view name);

namespace detail {

/// Applies defaults (id key, string lengths for keys) and checks the result;
/// throws orm::mapping_error naming the struct and the problem.
/// `auto_increment_choice[i]` is column i's explicit choice: -1 default, 0 off, 1 on.
void finalize_table(table_info& table, bool key_declared, const std::vector<signed char>& auto_increment_choice);

template <class T>
concept has_table_name = requires { std::string_view(model<T>::table); };
template <class T>
concept has_columns = requires { std::tuple_size<std::remove_cvref_t<decltype(model<T>::columns)>>::value; };
template <class T>
concept has_indexes = requires { std::tuple_size<std::remove_cvref_t<decltype(model<T>::indexes)>>::value; };
template <class T>
concept has_primary_key = requires { model<T>::primary_key.members; };
template <class T>
concept has_options = requires { table_options_spec(model<T>::options); };
template <class T>
concept has_relationships = requires { std::tuple_size<std::remove_cvref_t<decltype(model<T>::relationships)>>::value; };
template <class T>
concept has_version = requires { typename member_pointer_traits<std::remove_cvref_t<decltype(model<T>::version)>>::class_type; };

template <class S>
struct spec_traits;
template <class C, class M>
struct spec_traits<column_spec<C, M>> {
    using class_type = C;
    static constexpr bool is_foreign_key = false;
};
template <class C, class M, class Target, class TM>
struct spec_traits<foreign_key_spec<C, M, Target, TM>> {
    using class_type = C;
    using target_type = Target;
    static constexpr bool is_foreign_key = true;
};

template <class T, class Tuple>
consteval bool all_members_of() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return (std::is_same_v<typename spec_traits<std::tuple_element_t<I, Tuple>>::class_type, T> && ...);
    }(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}

template <class T>
consteval std::size_t column_key_count() {
    if constexpr (has_columns<T>) {
        return std::apply([](const auto&... spec) { return (std::size_t{0} + ... + (spec.options.primary_key ? 1 : 0)); },
                          model<T>::columns);
    } else {
        return 0;
    }
}

template <class T>
const table_info& table_of_impl();

/// Field indices of the member pointers in model<T>::columns, in declaration order.
template <class T>
consteval auto declared_fields() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::size_t, sizeof...(I)>{column_index(std::get<I>(model<T>::columns).member)...};
    }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::columns)>>>{});
}

template <class T>
consteval bool fields_declared_once() {
    if constexpr (has_columns<T>) {
        constexpr auto fields = declared_fields<T>();
        for (std::size_t i = 0; i < fields.size(); ++i)
            for (std::size_t j = i + 1; j < fields.size(); ++j)
                if (fields[i] == fields[j]) return false;
    }
    return true;
}

/// Field indices of a tuple of member pointers that is a constant expression.
template <class Tuple, std::size_t... I>
std::vector<std::size_t> fields_of(std::index_sequence<I...>) {
    return {Tuple::template field<I>()...};
}

/// The members of model<T>::primary_key as a compile-time list.
template <class T>
struct declared_key {
    template <std::size_t I>
    static constexpr std::size_t field() { return column_index(std::get<I>(model<T>::primary_key.members)); }
    static constexpr std::size_t size = std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::primary_key.members)>>;
};

/// The members of index J of model<T>::indexes as a compile-time list.
template <class T, std::size_t J>
struct declared_index {
    template <std::size_t I>
    static constexpr std::size_t field() { return column_index(std::get<I>(std::get<J>(model<T>::indexes).members)); }
    static constexpr std::size_t size = std::tuple_size_v<std::remove_cvref_t<decltype(std::get<J>(model<T>::indexes).members)>>;
};

/// A column as reflection alone describes it.
inline column_info reflected_column(std::string_view name, std::size_t field, sql_type type, bool nullable) {
    column_info column;
    column.name = std::string(name);
    column.field_index = field;
    column.type = type;
    column.nullable = nullable;
    if (type.kind == type_kind::text && type.fixed_size) column.length = type.fixed_size;  // e.g. enum names
    if (type.kind == type_kind::decimal) {
        column.precision = 38;
        column.scale = 10;
    }
    return column;
}

template <class T, std::size_t... C>
void add_reflected_columns(table_info& table, std::index_sequence<C...>) {
    (table.columns.push_back(reflected_column(field_name<T, column_fields<T>[C]>(), C,
                                              type_traits<std::remove_cvref_t<field_type<T, column_fields<T>[C]>>>::sql,
                                              is_optional_v<std::remove_cvref_t<field_type<T, column_fields<T>[C]>>>)),
     ...);
}

template <class T, std::size_t I>
void apply_column_spec(table_info& table, std::vector<signed char>& auto_increment_choice) {
    constexpr auto& spec = std::get<I>(model<T>::columns);
    constexpr std::size_t field = column_index(spec.member);
    column_info& column = table.columns[field];
    const column_options& o = spec.options;
    if (!o.name.empty()) column.name = std::string(o.name);
    if (o.length) column.length = o.length;
    column.primary_key = o.primary_key;
    column.unique = o.unique;
    column.server_default = std::string(o.server_default);
    column.timestamp = o.timestamp;
    column.mysql_collation = std::string(o.mysql_collation);
    column.sqlite_collation = std::string(o.sqlite_collation);
    if (o.precision) {
        column.precision = o.precision;
        column.scale = o.scale;
    }
    auto_increment_choice[field] = o.auto_increment;
    if (o.index) table.indexes.push_back(index_info{"", {field}, false});  // named in finalize_table
    if (o.primary_key) table.primary_key = {field};
    if constexpr (spec_traits<std::remove_cvref_t<decltype(spec)>>::is_foreign_key) {
        using target = typename spec_traits<std::remove_cvref_t<decltype(spec)>>::target_type;
        constexpr std::size_t target_field = column_index(spec.target);
        table.foreign_keys.push_back(foreign_key_info{"", {field}, &table_of_impl<target>, {target_field}, o.on_delete, o.on_update});
    }
}

template <class T, std::size_t I>
void add_declared_index(table_info& table) {
    constexpr auto& spec = std::get<I>(model<T>::indexes);
    using members_tuple = std::remove_cvref_t<decltype(spec.members)>;
    static_assert(std::is_same_v<typename member_pointer_traits<std::tuple_element_t<0, members_tuple>>::class_type, T>,
                  "orm::model<T>::indexes: an index names a member of another struct");
    table.indexes.push_back(index_info{std::string(spec.name), fields_of<declared_index<T, I>>(std::make_index_sequence<declared_index<T, I>::size>{}), spec.unique});
}

template <class M>
struct relationship_target;
template <class T>
struct relationship_target<to_one<T>> {
    using type = T;
};
template <class T>
struct relationship_target<collection<T>> {
    using type = T;
};

/// The column position of T's one-column primary key, from model<T> alone (no table is
/// built, so a table may relate to itself): model<T>::primary_key, a column marked
/// orm::primary_key, else the field `id`. column_count<T> when there is none.
template <class T>
consteval std::size_t single_key_column() {
    if constexpr (has_primary_key<T>) {
        if constexpr (declared_key<T>::size == 1) return declared_key<T>::template field<0>();
        else return column_count<T>;
    } else if constexpr (column_key_count<T>() == 1) {
        return []<std::size_t... I>(std::index_sequence<I...>) {
            std::size_t found = column_count<T>;
            ((std::get<I>(model<T>::columns).options.primary_key ? void(found = column_index(std::get<I>(model<T>::columns).member)) : void()), ...);
            return found;
        }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::columns)>>>{});
    } else {
        constexpr auto names = column_field_names<T>();
        for (std::size_t c = 0; c < names.size(); ++c)
            if (names[c] == "id") return c;
        return column_count<T>;
    }
}

/// Adds relationship I of model<T>::relationships (and the foreign key a many-to-one implies).
template <class T, std::size_t I>
void add_relationship(table_info& table) {
    static constexpr auto spec = std::get<I>(model<T>::relationships);
    using member_type = std::remove_cvref_t<decltype(std::declval<T&>().*spec.member)>;
    static_assert(std::is_same_v<typename member_pointer_traits<decltype(spec.member)>::class_type, T>,
                  "orm::model<T>::relationships: a relationship names a member of another struct");
    using target = typename relationship_target<member_type>::type;
    using fk_owner = typename member_pointer_traits<decltype(spec.foreign)>::class_type;
    constexpr std::size_t field = field_index(spec.member);
    relationship_info r;
    r.name = std::string(type_name<T>()) + "::" + std::string(field_name<T, field>());
    r.kind = spec.kind;
    r.options = spec.options;
    r.target = &table_of_impl<target>;
    r.member_of = [](void* object) -> void* { return &(static_cast<T*>(object)->*spec.member); };
    r.make_target = &make_state<target>;
    using member_pointer = std::remove_cv_t<decltype(spec.member)>;
    r.member_pointer_type = typeid(member_pointer);
    r.is_member = [](const void* p) { return *static_cast<const member_pointer*>(p) == spec.member; };
    if (spec.options.strategy == load_strategy::selectin) table.selectin_by_default = true;
    if (spec.options.cascade_remove) table.cascades_removal = true;
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(spec.back)>, std::nullptr_t>) {
        using back_owner = typename member_pointer_traits<decltype(spec.back.member)>::class_type;
        static_assert(std::is_same_v<back_owner, target>, "orm::back_populates names a member of another struct than the relationship's target");
        r.back_populates = std::string(type_name<target>()) + "::" + std::string(field_name<target, field_index(spec.back.member)>());
    }
    using fk_type = typename strip_optional<typename member_pointer_traits<decltype(spec.foreign)>::member_type>::type;
    if constexpr (std::is_same_v<member_type, to_one<target>>) {
        static_assert(std::is_same_v<fk_owner, T>, "orm::many_to_one: the foreign-key column must be a member of the same struct");
        constexpr std::size_t key = single_key_column<target>();
        static_assert(key < column_count<target>, "orm::many_to_one: the target has no one-column primary key");
        static_assert(std::is_same_v<fk_type, typename strip_optional<field_type<target, column_fields<target>[key]>>::type>,
                      "orm::many_to_one: the foreign-key column and the target's primary key must have the same type");
        r.local_columns = {column_index(spec.foreign)};
        r.remote_columns = {key};
        // The foreign key constraint is implied unless model<T>::columns declares it.
        const bool declared = std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(),
                                          [&](const foreign_key_info& fk) { return fk.columns == r.local_columns; });
        if (!declared) table.foreign_keys.push_back(foreign_key_info{"", r.local_columns, &table_of_impl<target>, {key}, {}, {}});
    } else {
        static_assert(std::is_same_v<fk_owner, target>, "orm::one_to_many: the foreign-key column must be a member of the child struct");
        constexpr std::size_t key = single_key_column<T>();
        static_assert(key < column_count<T>, "orm::one_to_many: the parent has no one-column primary key");
        static_assert(std::is_same_v<fk_type, typename strip_optional<field_type<T, column_fields<T>[key]>>::type>,
                      "orm::one_to_many: the child's foreign-key column and the parent's primary key must have the same type");
        r.local_columns = {key};
        r.remote_columns = {column_index(spec.foreign)};
    }
    table.relationships.push_back(std::move(r));
}

template <class T>
consteval std::size_t declared_relationship_count() {
    if constexpr (has_relationships<T>) return std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::relationships)>>;
    else return 0;
}

template <class T>
table_info build_table() {
    static_assert(reflectable<T>, "orm: a mapped type must be a plain aggregate struct (no base classes, constructors, or C arrays)");
    table_info table;
    table.type = typeid(T);
    if constexpr (has_table_name<T>) table.name = std::string(std::string_view(model<T>::table));
    else table.name = to_snake_case(type_name<T>());
    add_reflected_columns<T>(table, std::make_index_sequence<column_count<T>>{});

    bool key_declared = false;
    std::vector<signed char> auto_increment_choice(table.columns.size(), -1);
    if constexpr (has_columns<T>) {
        using columns_tuple = std::remove_cvref_t<decltype(model<T>::columns)>;
        static_assert(all_members_of<T, columns_tuple>(),
                      "orm::model<T>::columns: a column(...) or foreign_key(...) names a member of another struct");
        static_assert(fields_declared_once<T>(),
                      "orm::model<T>::columns: the same field is declared twice; put all its options in one orm::column(...)");
        static_assert(column_key_count<T>() <= 1,
                      "orm::model<T>::columns: two columns are marked orm::primary_key; declare a composite key with "
                      "`static constexpr auto primary_key = orm::primary_key(&T::a, &T::b);`");
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (apply_column_spec<T, I>(table, auto_increment_choice), ...);
        }(std::make_index_sequence<std::tuple_size_v<columns_tuple>>{});
        key_declared = column_key_count<T>() == 1;
    }
    if constexpr (has_primary_key<T>) {
        static_assert(column_key_count<T>() == 0,
                      "orm::model<T>: the primary key is declared twice (orm::primary_key as a column option and as "
                      "`primary_key = orm::primary_key(...)`); keep one");
        static_assert(std::is_same_v<typename member_pointer_traits<std::tuple_element_t<0, std::remove_cvref_t<decltype(model<T>::primary_key.members)>>>::class_type, T>,
                      "orm::model<T>::primary_key names a member of another struct");
        table.primary_key = fields_of<declared_key<T>>(std::make_index_sequence<declared_key<T>::size>{});
        for (std::size_t field : table.primary_key) table.columns[field].primary_key = true;
        key_declared = true;
    }
    if constexpr (has_indexes<T>) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (add_declared_index<T, I>(table), ...);
        }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::indexes)>>>{});
    }
    if constexpr (has_version<T>) {
        using traits = member_pointer_traits<std::remove_cvref_t<decltype(model<T>::version)>>;
        static_assert(std::is_same_v<typename traits::class_type, T>, "orm::model<T>::version names a member of another struct");
        static_assert(std::is_integral_v<typename traits::member_type> && !std::is_same_v<typename traits::member_type, bool>,
                      "orm::model<T>::version must name an integer field (the row's version counter)");
        constexpr std::size_t field = column_index(model<T>::version);
        table.version_column = field;
    }
    if constexpr (has_options<T>) {
        constexpr table_options_spec o = model<T>::options;
        table.options = {std::string(o.mysql_engine), std::string(o.mysql_charset), std::string(o.mysql_collation),
                         std::string(o.mysql_row_format), o.sqlite_without_rowid, o.sqlite_strict};
    }
    static_assert(field_count<T> - column_count<T> == declared_relationship_count<T>(),
                  "orm::model<T>: every orm::to_one / orm::collection member must be declared once in model<T>::relationships");
    if constexpr (has_relationships<T>) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (add_relationship<T, I>(table), ...);
        }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::relationships)>>>{});
    }
    finalize_table(table, key_declared, auto_increment_choice);
    return table;
}

/// Column names of T's fields: the model's orm::name overrides, else the field names
/// (needs no primary key, so it serves raw-query result structs too).
template <class T>
constexpr std::array<std::string_view, column_count<T>> column_names() {
    auto names = column_field_names<T>();
    if constexpr (has_columns<T>) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((std::get<I>(model<T>::columns).options.name.empty()
                  ? void()
                  : void(names[column_index(std::get<I>(model<T>::columns).member)] = std::get<I>(model<T>::columns).options.name)),
             ...);
        }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(model<T>::columns)>>>{});
    }
    return names;
}

template <class T>
const table_info& table_of_impl() {
    static const table_info table = build_table<T>();
    return table;
}

}  // namespace detail

/// The table metadata of T, built (and checked) on first use.
template <reflectable T>
const table_info& table_of() {
    return detail::table_of_impl<T>();
}

}  // namespace orm
