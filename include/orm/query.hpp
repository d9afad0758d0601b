#pragma once
// Typed queries, composable at run time, streaming:
//
//   for (const Book& b : conn.select<Book>()
//                            .where(col(&Book::price) > 5.0 && col(&Book::title).like("N%"))
//                            .order_by(orm::desc(&Book::price))
//                            .limit(10))
//       std::cout << b.title << '\n';
//
//   auto per_author = conn.select<Book>()
//                         .columns(col(&Book::author_id), orm::count(), orm::avg(col(&Book::price)))
//                         .group_by(col(&Book::author_id))
//                         .having(orm::count() > 1)
//                         .all();                   // std::vector<std::tuple<std::int64_t, std::int64_t, std::optional<double>>>
//
// A query run on a connection reads rows by value; one run on a session
// (session.query<T>()) returns the session's objects (T*) through its identity map.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "orm/dialect/dialect.hpp"
#include "orm/detail/object_state.hpp"
#include "orm/driver/driver.hpp"
#include "orm/error.hpp"
#include "orm/mapping/row.hpp"
#include "orm/mapping/table.hpp"
#include "orm/sql/expression.hpp"

namespace orm {

/// one() found no row.
class no_result_error : public interface_error {
public:
    using interface_error::interface_error;
};
/// one() or one_or_none() found more than one row.
class multiple_results_error : public interface_error {
public:
    using interface_error::interface_error;
};

template <reflectable T>
class update_query;
template <reflectable T>
class delete_query;

/// What runs queries: a connection (rows by value) or a session (rows merged
/// into its identity map). Implemented by orm::connection and orm::session.
class query_executor {
public:
    /// Runs a bulk UPDATE (orm::update<T>()); returns the rows it matched.
    template <reflectable T>
    std::uint64_t execute(const update_query<T>& q) {
        return run_write(q.statement());
    }
    /// Runs a bulk DELETE (orm::remove<T>()); returns the rows it deleted.
    template <reflectable T>
    std::uint64_t execute(const delete_query<T>& q) {
        return run_write(q.statement());
    }
    virtual ~query_executor() = default;
    /// Runs a SELECT; the cursor is valid until the next statement on the same connection.
    virtual std::unique_ptr<driver::cursor> run_select(const sql::select_statement& statement) = 0;
    /// Runs an UPDATE or DELETE; returns the rows it matched.
    virtual std::uint64_t run_write(const sql::statement& statement) = 0;
    /// The dialect statements are compiled with.
    virtual const orm::dialect& query_dialect() const = 0;
    /// Session only: the identity-mapped object for the row at `offset` (nullptr if its key is NULL).
    virtual void* merge_entity(const table_info& table, driver::cursor& rows, std::size_t offset, detail::state_factory make);
};

namespace detail {

/// Reads column `offset + i` of another cursor as column i.
class offset_cursor final : public driver::cursor {
public:
    offset_cursor(driver::cursor& base, std::size_t offset, std::size_t width) : base_(base), offset_(offset), width_(width) {}
    bool next() override { return false; }
    std::size_t column_count() const override { return width_; }
    std::string column_name(std::size_t i) const override { return base_.column_name(offset_ + i); }
    value get(std::size_t i) override { return base_.get(offset_ + i); }
    std::optional<std::string_view> get_text(std::size_t i) override { return base_.get_text(offset_ + i); }

private:
    driver::cursor& base_;
    std::size_t offset_;
    std::size_t width_;
};

/// Reads the columns of the cursor's current row from `offset` on into every field of `object` (columns in field order).
template <reflectable T>
void hydrate_into(T& object, driver::cursor& rows, const table_info& table, std::size_t offset = 0) {
    for (std::size_t i = 0; i < row_codec<T>::size; ++i) {
        try {
            row_codec<T>::readers[i](object, rows, offset + i);
        } catch (const data_error& e) {
            rethrow_with_column(e, table.name, table.columns[i].name);
        }
    }
}

/// Reads the columns of the cursor's current row from `offset` on into a new T.
template <reflectable T>
T hydrate(driver::cursor& rows, const table_info& table, std::size_t offset = 0) {
    T object{};
    hydrate_into(object, rows, table, offset);
    return object;
}
/// True if every key column of `table` at `offset` is NULL (a left join found no row).
bool key_is_null(driver::cursor& rows, const table_info& table, std::size_t offset);

template <class Agg>
struct as_struct {};

/// How one element of a result is read: its columns and its C++ value.
template <class E>
struct reader {  // a scalar column
    using output = E;
    static void add_columns(sql::select_statement&) {}
    static std::size_t width() { return 1; }
    static output read(query_executor&, driver::cursor& rows, std::size_t offset) { return from_value<E>(rows.get(offset)); }
};

template <class T>
    requires reflectable<T>
struct reader<T> {  // a mapped object, by value
    using output = T;
    static std::size_t width() { return row_codec<T>::size; }
    static output read(query_executor&, driver::cursor& rows, std::size_t offset) { return hydrate<T>(rows, table_of<T>(), offset); }
    /// Reads into an object read before (streaming reuses it: its strings keep their capacity).
    static void read_into(query_executor&, driver::cursor& rows, std::size_t offset, output& out) {
        hydrate_into(out, rows, table_of<T>(), offset);
    }
};

template <class T>
    requires reflectable<T>
struct reader<std::optional<T>> {  // a left-joined mapped object, by value
    using output = std::optional<T>;
    static std::size_t width() { return row_codec<T>::size; }
    static output read(query_executor& exec, driver::cursor& rows, std::size_t offset) {
        if (key_is_null(rows, table_of<T>(), offset)) return std::nullopt;
        return reader<T>::read(exec, rows, offset);
    }
};

template <class T>
    requires reflectable<T>
struct reader<T*> {  // a mapped object through a session's identity map (nullptr: left join found none)
    using output = T*;
    static std::size_t width() { return row_codec<T>::size; }
    static output read(query_executor& exec, driver::cursor& rows, std::size_t offset) {
        return static_cast<T*>(exec.merge_entity(table_of<T>(), rows, offset, &make_state<T>));
    }
};

template <class Agg>
struct reader<as_struct<Agg>> {  // projected columns into an aggregate, by position
    using output = Agg;
    static std::size_t width() { return field_count<Agg>; }
    static output read(query_executor&, driver::cursor& rows, std::size_t offset) {
        Agg out{};
        boost::pfr::for_each_field(out, [&](auto& field, std::size_t i) {
            field = from_value<std::remove_cvref_t<decltype(field)>>(rows.get(offset + i));
        });
        return out;
    }
};

template <class... E>
struct reader<std::tuple<E...>> {  // several elements side by side
    using output = std::tuple<typename reader<E>::output...>;
    static std::size_t width() { return (reader<E>::width() + ...); }
    static output read(query_executor& exec, driver::cursor& rows, std::size_t offset) {
        std::size_t at = offset;
        auto next = [&]<class R>(R*) {
            auto v = R::read(exec, rows, at);
            at += R::width();
            return v;
        };
        return output{next(static_cast<reader<E>*>(nullptr))...};  // braces: left-to-right
    }
};

template <class Spec, class U>
struct append_element {
    using type = std::tuple<Spec, U>;
};
template <class... E, class U>
struct append_element<std::tuple<E...>, U> {
    using type = std::tuple<E..., U>;
};

template <class Spec>
inline constexpr bool by_identity_v = false;
template <class T>
inline constexpr bool by_identity_v<T*> = true;
template <class T, class... E>
inline constexpr bool by_identity_v<std::tuple<T, E...>> = by_identity_v<T>;

/// The ON condition joining `joined` to one of `present` through a declared foreign key.
sql::expression foreign_key_join(const std::vector<const table_info*>& present, const table_info& joined);

template <class... Ts>
std::vector<const table_info*> tables_in(tables<Ts...>) {
    return {&table_of<Ts>()...};
}

/// Compiles and counts a query: SELECT COUNT(*) over it.
sql::select_statement count_statement(const sql::select_statement& s);

}  // namespace detail

/// A SELECT under construction or ready to run. `Spec` says what a row reads
/// as; `Tables` are the mapped types it reads from (for compile-time checks).
/// Every builder returns a new query, so a query can be kept and refined.
template <class Spec, class Tables>
class select_query {
public:
    using result_type = typename detail::reader<Spec>::output;

    select_query(sql::select_statement statement, query_executor* executor)
        : statement_(std::move(statement)), executor_(executor) {}

    /// Adds a condition (ANDed with earlier ones). It may only read types in the query.
    template <class L>
    select_query where(const expr<bool, L>& condition) const {
        static_assert(detail::subset_v<L, Tables>, "orm: where() reads a column of a type that is not in this query (join it first)");
        return with_where(condition.node);
    }
    /// Adds a run-time built predicate (an empty one changes nothing).
    template <class... Ps>
    select_query where(const predicate<Ps...>& condition) const {
        static_assert(detail::subset_v<tables<Ps...>, Tables>, "orm: where() gets a predicate over a type that is not in this query");
        return condition.node() ? with_where(*condition.node()) : *this;
    }
    /// ORDER BY, in the order given: `.order_by(orm::desc(&Book::price), orm::asc(&Book::id))`.
    template <class... L>
    select_query order_by(const ordering<L>&... items) const {
        static_assert((detail::subset_v<L, Tables> && ...), "orm: order_by() names a column of a type that is not in this query");
        select_query q = *this;
        (q.statement_.order_by.push_back(items.item), ...);
        return q;
    }
    /// LIMIT n.
    select_query limit(std::uint64_t n) const {
        select_query q = *this;
        q.statement_.limit = n;
        return q;
    }
    /// OFFSET n.
    select_query offset(std::uint64_t n) const {
        select_query q = *this;
        q.statement_.offset = n;
        return q;
    }
    /// SELECT DISTINCT.
    select_query distinct() const {
        select_query q = *this;
        q.statement_.distinct = true;
        return q;
    }
    /// GROUP BY.
    template <class... V, class... L>
    select_query group_by(const expr<V, L>&... keys) const {
        static_assert((detail::subset_v<L, Tables> && ...), "orm: group_by() names a column of a type that is not in this query");
        select_query q = *this;
        (q.statement_.group_by.push_back(keys.node), ...);
        return q;
    }
    /// HAVING (ANDed with earlier ones).
    template <class L>
    select_query having(const expr<bool, L>& condition) const {
        static_assert(detail::subset_v<L, Tables>, "orm: having() reads a column of a type that is not in this query");
        select_query q = *this;
        q.statement_.having = q.statement_.having ? sql::expression::binary("AND", *q.statement_.having, condition.node) : condition.node;
        return q;
    }

    /// INNER JOIN of U on the foreign key between U and a type already in the query.
    template <reflectable U>
    auto join() const {
        return join_with<U, false>(detail::foreign_key_join(detail::tables_in(Tables{}), table_of<U>()));
    }
    /// INNER JOIN of U on an explicit condition.
    template <reflectable U, class L>
    auto join(const expr<bool, L>& on) const {
        static_assert(detail::subset_v<L, detail::union_t<Tables, tables<U>>>, "orm: the join condition reads a type that is not in this query");
        return join_with<U, false>(on.node);
    }
    /// LEFT JOIN of U on the foreign key: rows without a match give std::optional<U>{} (nullptr in a session).
    template <reflectable U>
    auto left_join() const {
        return join_with<U, true>(detail::foreign_key_join(detail::tables_in(Tables{}), table_of<U>()));
    }
    /// LEFT JOIN of U on an explicit condition.
    template <reflectable U, class L>
    auto left_join(const expr<bool, L>& on) const {
        static_assert(detail::subset_v<L, detail::union_t<Tables, tables<U>>>, "orm: the join condition reads a type that is not in this query");
        return join_with<U, true>(on.node);
    }

    /// Selects these expressions instead: rows read as a std::tuple of their types
    /// (one expression: as its type alone).
    template <class... V, class... L>
    auto columns(const expr<V, L>&... items) const {
        static_assert(sizeof...(V) > 0, "orm: columns() needs at least one expression");
        static_assert((detail::subset_v<L, Tables> && ...), "orm: columns() reads a type that is not in this query");
        using spec = std::conditional_t<sizeof...(V) == 1, std::tuple_element_t<0, std::tuple<V...>>, std::tuple<V...>>;
        select_query<spec, Tables> q(statement_, executor_);
        q.statement_.columns = {items.node...};
        return q;
    }
    /// Reads the selected columns into an aggregate, by position: `.columns(...).into<TitlePrice>()`.
    template <reflectable Agg>
    select_query<detail::as_struct<Agg>, Tables> into() const {
        if (statement_.columns.size() != field_count<Agg>)
            throw interface_error("orm: into<" + std::string(type_name<Agg>()) + ">() needs " + std::to_string(field_count<Agg>) +
                                  " columns, the query selects " + std::to_string(statement_.columns.size()));
        return {statement_, executor_};
    }
    /// Lets a subquery's conditions read columns of an enclosing query's types (correlation).
    template <reflectable... Us>
    select_query<Spec, detail::union_t<Tables, tables<Us...>>> correlate() const {
        return {statement_, executor_};
    }

    /// The SQL and parameters this query runs, for logging and debugging.
    compiled_sql to_sql(const orm::dialect& d) const { return d.compile(statement_); }
    /// The SQL with the executor's dialect (a bound query).
    compiled_sql to_sql() const { return to_sql(executor().query_dialect()); }
    /// The statement AST (for subqueries and custom compilation).
    const sql::select_statement& statement() const { return statement_; }

    /// This single-column query as a scalar subquery: `col(&Book::price) > q.as_scalar()`.
    auto as_scalar() const
        requires(!std::is_same_v<Spec, std::tuple<>> && !reflectable<Spec>)
    {
        return expr<Spec, tables<>>{sql::expression::subquery(statement_)};
    }

    /// Every row.
    std::vector<result_type> all() const {
        std::vector<result_type> out;
        auto rows = executor().run_select(statement_);
        if (rows)
            if (auto count = rows->buffer_rows()) out.reserve(*count);  // all of them are kept anyway
        while (rows && rows->next()) out.push_back(detail::reader<Spec>::read(executor(), *rows, 0));
        return out;
    }
    /// The first row (LIMIT 1), if any.
    std::optional<result_type> first() const {
        select_query q = *this;
        q.statement_.limit = std::min<std::uint64_t>(q.statement_.limit.value_or(1), 1);
        auto rows = executor().run_select(q.statement_);
        if (!rows || !rows->next()) return std::nullopt;
        return detail::reader<Spec>::read(executor(), *rows, 0);
    }
    /// Exactly one row: orm::no_result_error if none, orm::multiple_results_error if more.
    result_type one() const {
        auto row = one_or_none();
        if (!row) throw no_result_error("orm: one() found no row for: " + to_sql().text);
        return std::move(*row);
    }
    /// The row if there is exactly one, nullopt if none; orm::multiple_results_error if more.
    std::optional<result_type> one_or_none() const {
        select_query q = *this;
        if (!q.statement_.limit || *q.statement_.limit > 2) q.statement_.limit = 2;
        auto rows = executor().run_select(q.statement_);
        if (!rows || !rows->next()) return std::nullopt;
        result_type first_row = detail::reader<Spec>::read(executor(), *rows, 0);
        if (rows->next()) throw multiple_results_error("orm: one() found more than one row for: " + to_sql().text);
        return first_row;
    }
    /// How many rows the query returns.
    std::int64_t count() const {
        auto rows = executor().run_select(detail::count_statement(statement_));
        if (!rows || !rows->next()) return 0;
        return from_value<std::int64_t>(rows->get(0));
    }
    /// True if the query returns at least one row.
    bool exists() const {
        select_query q = *this;
        q.statement_.columns = {sql::expression::parameter(std::int64_t{1})};
        q.statement_.order_by.clear();
        q.statement_.limit = std::min<std::uint64_t>(q.statement_.limit.value_or(1), 1);
        auto rows = executor().run_select(q.statement_);
        return rows && rows->next();
    }

    /// Rows one at a time, straight from the database cursor (constant memory).
    /// Valid until the next statement on the same connection.
    class iterator {
    public:
        using value_type = result_type;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        iterator(query_executor* exec, std::shared_ptr<driver::cursor> rows) : exec_(exec), rows_(std::move(rows)) { advance(); }
        result_type& operator*() { return *current_; }
        result_type* operator->() { return &*current_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        void operator++(int) { advance(); }
        friend bool operator==(const iterator& it, std::default_sentinel_t) { return !it.current_; }

    private:
        void advance() {
            if (!rows_ || !rows_->next()) {
                current_.reset();
                return;
            }
            if constexpr (requires(result_type& out) { detail::reader<Spec>::read_into(*exec_, *rows_, 0, out); }) {
                if (current_) {  // the next row goes into the same object
                    try {
                        detail::reader<Spec>::read_into(*exec_, *rows_, 0, *current_);
                    } catch (...) {
                        current_.reset();
                        throw;
                    }
                    return;
                }
            }
            current_.emplace(detail::reader<Spec>::read(*exec_, *rows_, 0));
        }
        query_executor* exec_ = nullptr;
        std::shared_ptr<driver::cursor> rows_;
        std::optional<result_type> current_;
    };
    /// Runs the query and returns an iterator over its rows.
    iterator begin() const { return iterator(executor_, std::shared_ptr<driver::cursor>(executor().run_select(statement_))); }
    std::default_sentinel_t end() const { return {}; }

private:
    template <class S, class L>
    friend class select_query;

    query_executor& executor() const {
        if (!executor_) throw interface_error("orm: this query is not bound to a connection or session (use conn.select<T>() or session.query<T>())");
        return *executor_;
    }
    select_query with_where(const sql::expression& condition) const {
        select_query q = *this;
        q.statement_.where = q.statement_.where ? sql::expression::binary("AND", *q.statement_.where, condition) : condition;
        return q;
    }
    template <class U, bool Left>
    auto join_with(sql::expression on) const {
        const table_info& joined = table_of<U>();
        using element = std::conditional_t<detail::by_identity_v<Spec>, U*, std::conditional_t<Left, std::optional<U>, U>>;
        using spec = typename detail::append_element<Spec, element>::type;
        select_query<spec, detail::union_t<Tables, tables<U>>> q(statement_, executor_);
        q.statement_.joins.push_back({joined.name, std::move(on), Left});
        const auto more = sql::select_columns_of(joined).columns;
        q.statement_.columns.insert(q.statement_.columns.end(), more.begin(), more.end());
        return q;
    }

    sql::select_statement statement_;
    query_executor* executor_;
};

/// An unbound SELECT of T's rows, for subqueries and to_sql(): `orm::select<Book>().where(...)`.
template <reflectable T>
select_query<T, tables<T>> select() {
    return {sql::select_columns_of(table_of<T>()), nullptr};
}

/// `EXISTS (subquery)`.
template <class Spec, class Tables>
expr<bool, tables<>> exists(const select_query<Spec, Tables>& subquery) {
    return {sql::expression::prefix("EXISTS", sql::expression::subquery(subquery.statement()))};
}

/// A bulk UPDATE of T's rows, without loading them:
/// `conn.execute(orm::update<Book>().set(&Book::price, 0.0).where(col(&Book::title).like("Old%")))`.
template <reflectable T>
class update_query {
public:
    /// SET member = value (a value of the member's type, or one that converts to it).
    template <class M, class U>
        requires(!is_expr_v<U> && std::is_convertible_v<const U&, M>)
    update_query set(M T::*member, const U& v) const {
        update_query q = *this;
        q.statement_.assignments.emplace_back(col(member).node.name, sql::expression::parameter(type_traits<M>::to_value(M(v))));
        return q;
    }
    /// SET member = expression over T: `.set(&Book::price, col(&Book::price) * 1.1)`.
    template <class M, class V, class L>
    update_query set(M T::*member, const expr<V, L>& e) const {
        static_assert(detail::subset_v<L, tables<T>>, "orm::update<T>().set(): the expression reads another type");
        static_assert(detail::comparable<detail::plain_t<M>, detail::plain_t<V>>, "orm::update<T>().set(): the expression's type does not fit the column");
        update_query q = *this;
        q.statement_.assignments.emplace_back(col(member).node.name, e.node);
        return q;
    }
    /// WHERE (ANDed with earlier ones).
    template <class L>
    update_query where(const expr<bool, L>& condition) const {
        static_assert(detail::subset_v<L, tables<T>>, "orm::update<T>().where(): the condition reads another type");
        update_query q = *this;
        q.statement_.where = q.statement_.where ? sql::expression::binary("AND", *q.statement_.where, condition.node) : condition.node;
        return q;
    }
    /// The statement AST.
    const sql::update_statement& statement() const { return statement_; }
    /// The SQL and parameters.
    compiled_sql to_sql(const orm::dialect& d) const { return d.compile(statement_); }

private:
    sql::update_statement statement_{table_of<T>().name, {}, {}};
};

/// A bulk DELETE of T's rows: `conn.execute(orm::remove<Book>().where(col(&Book::price) == 0.0))`.
template <reflectable T>
class delete_query {
public:
    /// WHERE (ANDed with earlier ones). Without one, every row goes.
    template <class L>
    delete_query where(const expr<bool, L>& condition) const {
        static_assert(detail::subset_v<L, tables<T>>, "orm::remove<T>().where(): the condition reads another type");
        delete_query q = *this;
        q.statement_.where = q.statement_.where ? sql::expression::binary("AND", *q.statement_.where, condition.node) : condition.node;
        return q;
    }
    /// The statement AST.
    const sql::delete_statement& statement() const { return statement_; }
    /// The SQL and parameters.
    compiled_sql to_sql(const orm::dialect& d) const { return d.compile(statement_); }

private:
    sql::delete_statement statement_{table_of<T>().name, {}};
};

/// Starts a bulk UPDATE of T.
template <reflectable T>
update_query<T> update() {
    return {};
}
/// Starts a bulk DELETE of T.
template <reflectable T>
delete_query<T> remove() {
    return {};
}

/// Column names for upserts: `orm::columns_of(&Book::price, &Book::title)`.
struct column_list {
    std::vector<std::string> names;
};
template <reflectable T, class... M>
column_list columns_of(M T::*... members) {
    const table_info& table = table_of<T>();
    return {{table.columns[detail::runtime_field_index(members)].name...}};
}

}  // namespace orm
