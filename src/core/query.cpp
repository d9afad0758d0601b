// Non-template parts of typed queries: foreign-key joins, COUNT wrapping,
// left-join NULL detection, and the executors' query entry points.
#include "orm/query.hpp"

#include "orm/connection.hpp"

namespace orm {

void* query_executor::merge_entity(const table_info& table, driver::cursor&, std::size_t, detail::state_factory) {
    throw interface_error("orm: " + table.name + " objects through an identity map need a session query (session.query<T>())");
}

void query_executor::load_related(std::span<const detail::loaded_object>, const detail::load_plan*) {
    throw interface_error("orm: loading relationships needs a session query (session.query<T>())");
}

namespace detail {

bool key_is_null(driver::cursor& rows, const table_info& table, std::size_t offset) {
    for (std::size_t k : table.primary_key)
        if (!is_null(rows.get(offset + k))) return false;
    return true;
}

sql::expression foreign_key_join(const std::vector<query_source>& present, const table_info& joined, const std::string& qualifier) {
    auto on = [](const std::string& from_q, const table_info& from, const foreign_key_info& fk, const std::string& to_q, const table_info& to) {
        std::vector<sql::expression> terms;
        for (std::size_t c = 0; c < fk.columns.size(); ++c)
            terms.push_back(sql::expression::binary(sql::op::eq, sql::expression::column(from_q, from.columns[fk.columns[c]]),
                                                    sql::expression::column(to_q, to.columns[fk.target_columns[c]]),
                                                    sql::value_type::of(type_kind::boolean)));
        return *sql::all_of(std::move(terms));
    };
    // First the foreign keys from a present table to the joined one (many-to-one:
    // `employee JOIN employee AS manager ON employee.reports_to = manager.id`), then the other way.
    std::vector<sql::expression> to_joined, from_joined;
    for (const query_source& p : present) {
        if (p.table == &joined && p.qualifier == qualifier) continue;
        for (const foreign_key_info& fk : p.table->foreign_keys)
            if (&fk.target() == &joined) to_joined.push_back(on(p.qualifier, *p.table, fk, qualifier, joined));
        for (const foreign_key_info& fk : joined.foreign_keys)
            if (&fk.target() == p.table) from_joined.push_back(on(qualifier, joined, fk, p.qualifier, *p.table));
    }
    const std::vector<sql::expression>& matches = to_joined.empty() ? from_joined : to_joined;
    if (matches.empty())
        throw interface_error("orm: no foreign key links " + joined.name + " to the query's tables: give join() a condition");
    if (matches.size() > 1)
        throw interface_error("orm: several foreign keys link " + joined.name + " to the query's tables: give join() a condition");
    return matches.front();
}

sql::select_statement locking_select_by_key(const table_info& table, std::span<const value> key, lock_request lock) {
    sql::select_statement select = sql::select_columns_of(table);
    select.where = sql::key_equals(table, key);
    select.lock = lock_clause_of(lock);
    return select;
}

sql::select_statement count_statement(const sql::select_statement& s) {
    if (s.distinct || s.limit || s.offset || !s.group_by.empty()) {
        sql::select_statement outer;
        outer.table = "orm_counted";
        outer.columns = {sql::expression::function(sql::func::count, {})};
        auto inner = s;
        inner.order_by.clear();
        // Only DISTINCT depends on the selected columns; otherwise select a constant,
        // which also avoids duplicate column names from joined tables in the derived table.
        if (!inner.distinct) inner.columns = {sql::expression::parameter(std::int64_t{1})};
        outer.from_query = std::make_shared<const sql::select_statement>(std::move(inner));
        return outer;
    }
    sql::select_statement counted = s;
    counted.columns = {sql::expression::function(sql::func::count, {})};
    counted.order_by.clear();
    return counted;
}

}  // namespace detail

std::unique_ptr<driver::cursor> connection::run_select(const sql::select_statement& statement) {
    const orm::dialect& d = sql_dialect();
    // SQLite locks the database, not rows: a locking read holds nothing unless its
    // transaction already has the write lock (a deferred one would fail later, at
    // its first write, when another writer came between).
    if (statement.lock && transaction_open_ && d.locking_read_needs_write_lock() && native().holds_write_lock() == false)
        throw interface_error("orm: on " + std::string(d.name()) + " a locking read needs a transaction that holds the write lock: "
                              "begin it with {.write = true} (BEGIN IMMEDIATE), or make the locking read its first statement in a session");
    return run(d.compile(statement));
}

std::uint64_t connection::run_write(const sql::statement& statement) {
    run(sql_dialect().compile(statement));
    return affected_rows();
}

void connection::upsert_row(const table_info& table, const std::vector<value>& values, const column_list& update,
                            const column_list& conflict) {
    detail::check_string_lengths(sql_dialect(), table, values);
    sql::insert_statement insert{table.name, {}, {{}}, {}, sql::upsert_clause{conflict.names, update.names}};
    const column_info* serial = table.auto_increment_column();
    for (const column_info& c : table.columns) {
        if (&c == serial && detail::is_unset_key(values[c.field_index])) continue;
        insert.columns.push_back(c.name);
        insert.rows[0].push_back(sql_dialect().stored_value(c, values[c.field_index]));
    }
    if (insert.on_conflict->conflict_columns.empty())
        for (std::size_t k : table.primary_key) insert.on_conflict->conflict_columns.push_back(table.columns[k].name);
    run(sql_dialect().compile(insert));
}

}  // namespace orm
