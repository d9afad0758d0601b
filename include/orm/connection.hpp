#pragma once
// orm::connection: one pooled connection. Runs raw SQL with bound parameters,
// owns transactions and savepoints, and persists mapped structs directly.
//
//   orm::connection conn = engine.connect();
//   auto tx = conn.begin();
//   Author ada{.name = "Ada"};
//   conn.insert(ada);                       // ada.id is set
//   conn.execute("UPDATE author SET name = ? WHERE id = ?", "Ada L.", ada.id);
//   tx.commit();                            // without it, the destructor rolls back
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orm/dialect/dialect.hpp"
#include "orm/driver/driver.hpp"
#include "orm/mapping/row.hpp"
#include "orm/mapping/table.hpp"
#include "orm/query.hpp"
#include "orm/result.hpp"

namespace orm {

namespace detail {
struct engine_state;
}

class connection;
class engine;

/// A transaction or a savepoint; rolls back on destruction unless committed.
class transaction {
public:
    transaction(transaction&& other) noexcept;
    transaction& operator=(transaction&&) = delete;
    ~transaction();
    /// COMMIT (or RELEASE SAVEPOINT for a nested transaction). On a moved-from
    /// transaction: orm::interface_error (destroying one does nothing).
    void commit();
    /// ROLLBACK (or ROLLBACK TO SAVEPOINT); orm::interface_error on a moved-from transaction.
    void rollback();
    /// True until committed or rolled back.
    bool active() const noexcept { return active_; }

private:
    friend class connection;
    transaction(std::shared_ptr<connection*> owner, std::string savepoint, std::uint64_t generation);
    std::shared_ptr<connection*> owner_;  ///< follows the connection when it is moved; null once it closes
    std::string savepoint_;   ///< empty for the outermost transaction
    std::uint64_t generation_;
    bool active_ = true;
};

/// A connection checked out of an engine's pool; returned when destroyed.
/// Not thread-safe: one thread uses it at a time.
/// SQL text of your own (execute, execute_values, query, run_simple) may change the
/// session (`SET SESSION sql_mode = ''`, `PRAGMA foreign_keys = OFF`, temporary
/// tables): such a connection is reset when it goes back to the pool (libmariadb:
/// mysql_reset_connection, then orm's on-connect statements again), or closed
/// where the driver cannot reset it (Connector/C++, a SQLite file).
class connection : public query_executor {
public:
    connection(std::shared_ptr<detail::engine_state> engine, std::unique_ptr<driver::connection> native);
    connection(connection&& other) noexcept;
    connection& operator=(connection&& other) noexcept;
    ~connection() override;

    /// Runs raw SQL with `?` placeholders bound to `args` (never spliced):
    /// `conn.execute("SELECT name FROM author WHERE id = ?", 42)`.
    template <class... Args>
    result execute(std::string_view sql, const Args&... args) {
        return execute_values(sql, {orm::to_value(args)...});
    }
    /// Runs raw SQL with an already-built parameter list.
    result execute_values(std::string_view sql, std::vector<value> params);

    /// Runs a raw query and reads each row into T: a std::tuple (by position)
    /// or an aggregate struct (result columns matched to column names — the
    /// model's orm::name overrides — or field names; an unmatched column is an error).
    /// `conn.query<std::tuple<std::string, int>>("SELECT name, age FROM person")`.
    template <class T, class... Args>
    std::vector<T> query(std::string_view sql, const Args&... args);

    /// A typed query of T's rows, bound to this connection:
    /// `conn.select<Book>().where(col(&Book::price) > 5.0).all()`. The query may
    /// outlive the connection: run then, it throws instead of dangling. (The same
    /// query unbound, for any connection or session: `orm::select<Book>()`.)
    template <reflectable T>
    select_query<T, tables<T>> select() & {
        return {sql::select_columns_of(table_of<T>()), detail::sources_of<T>(), anchor()};
    }
    /// A query bound to a temporary connection would dangle: it does not compile.
    template <reflectable T>
    select_query<T, tables<T>> select() && {
        static_assert(!sizeof(T*), "orm: select<T>() of a temporary connection would outlive it: keep the connection "
                                   "(auto conn = engine.connect();) or build an unbound query with orm::select<T>() and run it on one");
        return {sql::select_columns_of(table_of<T>()), detail::sources_of<T>(), nullptr};
    }
    /// Bulk UPDATE / DELETE: `conn.execute(orm::update<Book>().set(...).where(...))`.
    using query_executor::execute;
    /// INSERTs every object of a range in multi-row statements (chunked under the
    /// servers' parameter limits) and writes generated keys back into each.
    template <class Range>
    void insert_many(Range& objects);
    /// INSERT, or on a duplicate key UPDATE `update` from the new row (nothing if empty).
    /// `conflict` names the unique key (default: the primary key; SQLite needs it, MySQL uses any).
    /// `conn.upsert(book, orm::columns_of(&Book::price))`.
    template <reflectable T>
    void upsert(const T& object, const column_list& update, const column_list& conflict = {});

    /// Begins a transaction: `auto tx = conn.begin(); ...; tx.commit();`, with an
    /// isolation level or write intent if given: `conn.begin({.isolation = orm::isolation::serializable})`.
    transaction begin(const begin_options& options = {});
    /// Opens a savepoint inside the current transaction; its rollback undoes only its part.
    transaction begin_nested();
    /// True while a transaction begun with begin() is open.
    bool in_transaction() const noexcept { return transaction_open_; }

    /// INSERTs `object`; a generated key is written back into it.
    template <reflectable T>
    void insert(T& object);
    /// Loads the row with this primary key (composite keys: all parts in order).
    template <reflectable T, class... Key>
    std::optional<T> get(const Key&... key);
    /// Loads and locks the row until the transaction ends: `conn.get<Account>(orm::for_update, 1)`.
    template <reflectable T, class... Key>
    std::optional<T> get(lock_request lock, const Key&... key);
    /// UPDATEs every non-key column of the row with `object`'s key; returns rows matched (0 or 1).
    template <reflectable T>
    std::uint64_t update(const T& object);
    /// UPDATEs only `columns` of the row with `object`'s key; returns rows matched (0 or 1).
    /// `conn.update(book, orm::columns_of(&Book::price))`.
    template <reflectable T>
    std::uint64_t update(const T& object, const column_list& columns);
    /// DELETEs the row with `object`'s key; returns rows deleted (0 or 1).
    template <reflectable T>
    std::uint64_t remove(const T& object);
    /// Every row of T's table, in primary-key order.
    template <reflectable T>
    std::vector<T> all();

    /// INSERTs rows of `table` (values in field order), in as few statements as
    /// the dialect allows (multi-row VALUES, chunked). Where a row's
    /// auto-increment column is 0 the key is generated and returned at that
    /// row's position (consecutive keys from the last insert id where that is
    /// safe, else RETURNING or one row per statement). The rows' values are moved
    /// into the statements. Several rows outside a transaction go in inside one
    /// transaction of their own (all or none), where the driver can tell.
    std::vector<std::optional<std::int64_t>> insert_rows(const table_info& table, std::vector<std::vector<value>> rows);
    /// How many rows of `table` one multi-row INSERT of insert_rows() holds at most
    /// (every column counted: a generated key only makes room).
    std::size_t insert_rows_per_statement(const table_info& table) const;

    /// Runs a compiled statement; returns its cursor (nullptr if it has no rows).
    /// The cursor is valid until the next call on this connection. For orm's own
    /// statements: unlike execute(), it does not mark the connection for a session reset.
    std::unique_ptr<driver::cursor> run(const compiled_sql& statement);
    /// Runs `text` with `params` bound in order; `returns_rows` as in driver::connection::execute.
    std::unique_ptr<driver::cursor> run(const std::string& text, std::span<const value> params, bool returns_rows);
    /// Runs SQL without parameters or rows (DDL, session settings). Except for the
    /// dialect's own transaction statements, the connection is reset when returned.
    void run_simple(const std::string& sql);
    /// Rows changed by the last statement.
    std::uint64_t affected_rows() const;
    /// Throws orm::interface_error while a streamed result (select_query::stream())
    /// is open on this connection: it runs no other statement until the stream ends.
    void check_no_stream() const;
    /// The most parameters one statement may bind on this connection (the driver's
    /// limit: 32,766 on SQLite, 65,535 on MariaDB); a statement with more is refused.
    std::size_t max_parameters() const;
    /// The key generated by the last INSERT on this connection.
    std::int64_t last_insert_id();
    /// The dialect of this connection's engine.
    const orm::dialect& sql_dialect() const;

    // query_executor
    detail::stream_lease open_stream() override;
    std::unique_ptr<driver::cursor> run_select(const sql::select_statement& statement) override;
    std::uint64_t run_write(const sql::statement& statement) override;
    const orm::dialect& query_dialect() const override { return sql_dialect(); }
    /// Returns the connection to the pool now (rolling back an open transaction).
    void close();
    /// Runs `SELECT <every column> FROM table WHERE <key> = ?` for one primary-key
    /// value (key parts in key order); the text is compiled once per table.
    std::unique_ptr<driver::cursor> select_by_key(const table_info& table, std::span<const value> key);

private:
    friend class transaction;
    friend void create_tables(const engine& db, const std::vector<const table_info*>& tables);
    friend void drop_tables(const engine& db, const std::vector<const table_info*>& tables);
    void end_transaction(transaction& tx, bool commit);
    /// run_simple() for orm's own statements (transactions, DDL): no session reset.
    void run_own_simple(const std::string& sql);
    driver::connection& native();
    std::vector<std::size_t> map_columns_to_fields(const driver::cursor& rows, std::span<const std::string_view> columns,
                                                   std::span<const std::string_view> fields, std::string_view type) const;
    // Non-template cores of the persistence templates.
    std::unique_ptr<driver::cursor> select_rows(const table_info& table, const std::vector<value>* key);
    /// insert_rows() once a transaction is open (or not needed).
    std::vector<std::optional<std::int64_t>> insert_row_groups(const table_info& table, std::vector<std::vector<value>> rows);
    std::uint64_t update_row(const table_info& table, std::vector<value> values, const column_list* only = nullptr);
    struct update_plan;
    /// Runs the UPDATE `plan` describes with `params`: the assigned columns' values
    /// in the plan's order, then the key; returns the rows matched.
    std::uint64_t update_with_plan(const table_info& table, const update_plan& plan, std::vector<value> params);
    std::uint64_t delete_row(const table_info& table, std::vector<value> values);
    void upsert_row(const table_info& table, const std::vector<value>& values, const column_list& update, const column_list& conflict);
    void check_key_arity(const table_info& table, std::size_t given) const;
    /// What an UPDATE of some columns of a table needs, worked out from the
    /// column names once and kept for the next UPDATE of the same columns.
    struct update_plan {
        const table_info* table = nullptr;
        bool every_column = true;                ///< no column list: every non-key column
        std::vector<std::string> names;          ///< the column list it was made for
        std::vector<const column_info*> assigned;  ///< columns SET, in column order
        std::uint64_t column_bits = 0;           ///< `assigned` as a bit set (tables of up to 64 columns)
    };
    /// The plan for an UPDATE of `only` (nullptr: every non-key column) of `table`.
    const update_plan& plan_update(const table_info& table, const column_list* only);

    std::shared_ptr<detail::engine_state> engine_;
    std::unique_ptr<driver::connection> native_;
    std::shared_ptr<connection*> anchor_;  ///< where transactions find this connection after a move
    bool transaction_open_ = false;
    bool ran_user_sql_ = false;         ///< SQL text of the user's ran: reset the session when returned
    std::uint64_t generation_ = 0;      ///< bumped when the outer transaction ends (invalidates savepoints)
    std::uint64_t savepoint_counter_ = 0;
    std::size_t open_streams_ = 0;  ///< streamed results being read (see open_stream)
    /// What a remembered statement text was compiled for: a table, a kind of
    /// statement and its variant (INSERT: rows and key handling; UPDATE: its columns).
    struct text_key {
        const table_info* table = nullptr;
        int kind = 0;
        std::uint64_t variant = 0;
        friend bool operator==(const text_key&, const text_key&) = default;
    };
    struct text_key_hash {
        std::size_t operator()(const text_key& k) const noexcept;
    };
    /// Runs the text remembered under `key` with `params`, or runs what `compile`
    /// makes and remembers its text when its parameters are `params` in order.
    /// (Defined and used in connection.cpp only.)
    template <class Compile>
    std::unique_ptr<driver::cursor> run_remembered(const text_key& key, std::span<const value> params, bool returns_rows,
                                                   const Compile& compile);
    /// Texts of the statements persistence builds over and over (get by key,
    /// one-row and full-chunk INSERT, UPDATE of a column set, DELETE by key):
    /// compiled once per connection, then only values are bound.
    std::unordered_map<text_key, std::string, text_key_hash> statement_text_;
    update_plan last_update_plan_;  ///< see plan_update()
};

// ---- templates ---------------------------------------------------------------

namespace detail {
/// Where the database would store an over-long string silently (SQLite), refuses it
/// with orm::data_error before anything is written. `values` are in field order.
void check_string_lengths(const orm::dialect& d, const table_info& table, const std::vector<value>& values);
/// check_string_lengths() for one column's value (also DECIMAL digits and the TIMESTAMP range).
void check_column_value(const orm::dialect& d, const table_info& table, const column_info& column, const value& v);
/// Throws orm::interface_error naming the column and the table when a name in
/// `columns` is not a column of `table`; `list` says which list it was ("update").
void check_column_names(const table_info& table, const column_list& columns, std::string_view list);
/// True if `v` is the "no key yet" value of an auto-increment column (0 or NULL).
bool is_unset_key(const value& v);

template <class T>
inline constexpr bool is_tuple_v = false;
template <class... Ts>
inline constexpr bool is_tuple_v<std::tuple<Ts...>> = true;

}  // namespace detail

template <class T, class... Args>
std::vector<T> connection::query(std::string_view sql, const Args&... args) {
    const std::vector<value> params{orm::to_value(args)...};
    ran_user_sql_ = true;
    auto rows = run(compiled_sql{std::string(sql), params, true});
    std::vector<T> out;
    if (!rows) return out;
    if constexpr (detail::is_tuple_v<T>) {
        while (rows->next()) {
            if (rows->column_count() != std::tuple_size_v<T>)
                throw interface_error("orm: query<tuple> has " + std::to_string(std::tuple_size_v<T>) +
                                      " elements but the result has " + std::to_string(rows->column_count()) + " columns");
            out.push_back([&]<std::size_t... I>(std::index_sequence<I...>) {
                return T{from_value<std::tuple_element_t<I, T>>(rows->get(I))...};
            }(std::make_index_sequence<std::tuple_size_v<T>>{}));
        }
    } else {
        static constexpr auto names = detail::column_names<T>();
        static constexpr auto fields_by_name = column_field_names<T>();
        const std::vector<std::size_t> fields = map_columns_to_fields(*rows, names, fields_by_name, type_name<T>());
        while (rows->next()) {
            T object{};
            for (std::size_t c = 0; c < fields.size(); ++c) {
                try {
                    detail::row_codec<T>::readers[fields[c]](object, *rows, c);
                } catch (const data_error& e) {
                    detail::rethrow_with_column(e, "", names[fields[c]]);
                }
            }
            out.push_back(std::move(object));
        }
    }
    return out;
}

template <reflectable T>
void connection::insert(T& object) {
    const table_info& table = table_of<T>();
    std::vector<std::vector<value>> rows;
    rows.push_back(detail::row_codec<T>::values(object));
    if (auto generated = insert_rows(table, std::move(rows)).front()) {
        const column_info* serial = table.auto_increment_column();
        detail::row_codec<T>::setters[serial->field_index](object, value{*generated});
    }
}

template <reflectable T, class... Key>
std::optional<T> connection::get(lock_request lock, const Key&... key) {
    const table_info& table = table_of<T>();
    check_key_arity(table, sizeof...(Key));
    std::vector<value> key_values;
    (key_values.push_back(orm::to_value(key)), ...);
    auto rows = run_select(detail::locking_select_by_key(table, key_values, lock));
    if (!rows || !rows->next()) return std::nullopt;
    return detail::hydrate<T>(*rows, table);
}

template <reflectable T, class... Key>
std::optional<T> connection::get(const Key&... key) {
    const table_info& table = table_of<T>();
    check_key_arity(table, sizeof...(Key));
    const std::vector<value> key_values{orm::to_value(key)...};
    auto rows = select_rows(table, &key_values);
    if (!rows || !rows->next()) return std::nullopt;
    return detail::hydrate<T>(*rows, table);
}

template <class Range>
void connection::insert_many(Range& objects) {
    using T = std::remove_cvref_t<decltype(*std::begin(objects))>;
    const table_info& table = table_of<T>();
    // One statement's worth of objects at a time: their values are built just
    // before they are sent, never all at once.
    const std::size_t slice = insert_rows_per_statement(table);
    std::vector<std::vector<value>> rows;
    std::vector<T*> targets;
    auto object = std::begin(objects);
    const auto end = std::end(objects);
    while (object != end) {
        rows.clear();
        targets.clear();
        rows.reserve(slice);
        for (; object != end && rows.size() < slice; ++object) {
            rows.push_back(detail::row_codec<T>::values(*object));
            targets.push_back(&*object);
        }
        const auto generated = insert_rows(table, std::move(rows));
        for (std::size_t i = 0; i < targets.size(); ++i)
            if (generated[i]) detail::row_codec<T>::setters[table.auto_increment_column()->field_index](*targets[i], value{*generated[i]});
    }
}

template <reflectable T>
void connection::upsert(const T& object, const column_list& update, const column_list& conflict) {
    const table_info& table = table_of<T>();
    detail::check_column_names(table, update, "upsert update");
    detail::check_column_names(table, conflict, "upsert conflict");
    upsert_row(table, detail::row_codec<T>::values(object), update, conflict);
}

template <reflectable T>
std::uint64_t connection::update(const T& object) {
    return update_row(table_of<T>(), detail::row_codec<T>::values(object));
}

template <reflectable T>
std::uint64_t connection::update(const T& object, const column_list& columns) {
    // Only the named columns and the key are read from the object, straight into the parameters.
    const table_info& table = table_of<T>();
    const update_plan& plan = plan_update(table, &columns);
    std::vector<value> params;
    params.reserve(plan.assigned.size() + table.primary_key.size());
    for (const column_info* c : plan.assigned) params.push_back(detail::row_codec<T>::getters[c->field_index](object));
    for (std::size_t k : table.primary_key) params.push_back(detail::row_codec<T>::getters[table.columns[k].field_index](object));
    return update_with_plan(table, plan, std::move(params));
}

template <reflectable T>
std::uint64_t connection::remove(const T& object) {
    return delete_row(table_of<T>(), detail::row_codec<T>::values(object));
}

template <reflectable T>
std::vector<T> connection::all() {
    const table_info& table = table_of<T>();
    auto rows = select_rows(table, nullptr);
    std::vector<T> out;
    if (rows)
        if (auto count = rows->buffer_rows()) out.reserve(*count);
    while (rows && rows->next()) out.push_back(detail::hydrate<T>(*rows, table));
    return out;
}

}  // namespace orm
