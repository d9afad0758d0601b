#pragma once
// Typed queries, composable at run time, streaming:
//
//   for (const Book& b : conn.select<Book>()
//                            .where(col(&Book::price) > 5.0 && col(&Book::title).like("N%"))
//                            .order_by(orm::desc(&Book::price))
//                            .limit(10))
//       std::cout << b.title << '\n';
//
//   auto manager = orm::alias<Employee>("manager");       // a table twice: self-joins
//   auto pairs = conn.select<Employee>()
//                    .left_join(manager, col(&Employee::reports_to) == manager(&Employee::id))
//                    .columns(col(&Employee::name), manager(&Employee::name))
//                    .all();                      // std::vector<std::tuple<std::string, std::string>>
//
//   auto per_author = conn.select<Book>()
//                         .columns(col(&Book::author_id), orm::count(), orm::avg(col(&Book::price)))
//                         .group_by(col(&Book::author_id))
//                         .having(orm::count() > 1)
//                         .all();                   // std::vector<std::tuple<std::int64_t, std::int64_t, std::optional<double>>>
//
// A query run on a connection reads rows by value; one run on a session
// (session.query<T>()) returns the session's objects (T*) through its identity map.
// join() and left_join() only filter (the result stays as it was); add_entity()
// adds a joined table's objects to each row.
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

/// A table in a query's FROM or JOIN list: its metadata and what its columns are qualified with.
struct query_source {
    const table_info* table;
    std::string qualifier;
};
/// The tables a query reads, shared between the copies a builder makes.
using query_sources = std::shared_ptr<const std::vector<query_source>>;

/// The ON condition joining `joined` (qualified by `qualifier`) to one of `present`
/// through a declared foreign key: one from a present table to `joined` (the joined
/// row is the referenced one) if there is exactly one, else one from `joined` to a
/// present table; several, or none, is an orm::interface_error asking for a condition.
sql::expression foreign_key_join(const std::vector<query_source>& present, const table_info& joined, const std::string& qualifier);

/// The source type of a table list element: T for T, T for aliased<T, Tag>.
template <class S>
struct source_of {
    using type = S;
};
template <class T, class Tag>
struct source_of<aliased<T, Tag>> {
    using type = T;
};

/// Compiles and counts a query: SELECT COUNT(*) over it.
sql::select_statement count_statement(const sql::select_statement& s);

}  // namespace detail

namespace detail {
/// The sources of a query over T's table alone (made once per T).
template <class T>
const query_sources& sources_of() {
    static const query_sources sources = std::make_shared<const std::vector<query_source>>(
        std::vector<query_source>{query_source{&table_of<T>(), table_of<T>().name}});
    return sources;
}
}  // namespace detail

/// A SELECT under construction or ready to run. `Spec` says what a row reads
/// as; `Tables` are the tables it reads (mapped types, or orm::aliased<T, Tag>
/// for an alias), for compile-time checks. Every builder returns a new query
/// (sharing the unchanged parts), so a query can be kept and refined.
template <class Spec, class Tables>
class select_query {
public:
    using result_type = typename detail::reader<Spec>::output;

    select_query(sql::select_statement statement, detail::query_sources sources, query_executor* executor)
        : statement_(std::move(statement)), sources_(std::move(sources)), executor_(executor) {}

    /// Adds a condition (ANDed with earlier ones). It may only read tables in the query.
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
        q.statement_.having = q.statement_.having ? sql::expression::binary(sql::op::and_, *q.statement_.having, condition.node) : condition.node;
        return q;
    }

    /// INNER JOIN of U on the foreign key between U and a table already in the query
    /// (the result stays as it is: add_entity<U>() adds U to it).
    template <reflectable U>
    auto join() const {
        return join_with<U, U, false>(table_of<U>().name, nullptr);
    }
    /// INNER JOIN of U on an explicit condition.
    template <reflectable U, class L>
    auto join(const expr<bool, L>& on) const {
        static_assert(detail::subset_v<L, detail::union_t<Tables, tables<U>>>, "orm: the join condition reads a type that is not in this query");
        return join_with<U, U, false>(table_of<U>().name, &on.node);
    }
    /// INNER JOIN of an alias, on the foreign key or an explicit condition:
    /// `.join(manager, col(&Employee::reports_to) == manager(&Employee::id))`.
    template <class T, class Tag>
    auto join(const alias<T, Tag>& a) const {
        return join_with<aliased<T, Tag>, T, false>(a.name(), nullptr);
    }
    template <class T, class Tag, class L>
    auto join(const alias<T, Tag>& a, const expr<bool, L>& on) const {
        static_assert(detail::subset_v<L, detail::union_t<Tables, tables<aliased<T, Tag>>>>, "orm: the join condition reads a type that is not in this query");
        return join_with<aliased<T, Tag>, T, false>(a.name(), &on.node);
    }
    /// LEFT JOIN of U on the foreign key (filters nothing by itself; with
    /// `.where(col(&U::id).is_null())` it keeps the rows that have no U).
    template <reflectable U>
    auto left_join() const {
        return join_with<U, U, true>(table_of<U>().name, nullptr);
    }
    /// LEFT JOIN of U on an explicit condition.
    template <reflectable U, class L>
    auto left_join(const expr<bool, L>& on) const {
        static_assert(detail::subset_v<L, detail::union_t<Tables, tables<U>>>, "orm: the join condition reads a type that is not in this query");
        return join_with<U, U, true>(table_of<U>().name, &on.node);
    }
    /// LEFT JOIN of an alias, on the foreign key or an explicit condition.
    template <class T, class Tag>
    auto left_join(const alias<T, Tag>& a) const {
        return join_with<aliased<T, Tag>, T, true>(a.name(), nullptr);
    }
    template <class T, class Tag, class L>
    auto left_join(const alias<T, Tag>& a, const expr<bool, L>& on) const {
        static_assert(detail::subset_v<L, detail::union_t<Tables, tables<aliased<T, Tag>>>>, "orm: the join condition reads a type that is not in this query");
        return join_with<aliased<T, Tag>, T, true>(a.name(), &on.node);
    }

    /// Adds the objects of a joined table U to each row: rows read as a tuple
    /// (Book, Author), or (Book*, Author*) in a session. `add_entity<std::optional<U>>()`
    /// for a left-joined U: std::nullopt (nullptr in a session) where it found none.
    template <class U>
    auto add_entity() const {
        using mapped = detail::plain_t<U>;
        static_assert(detail::contains_v<mapped, Tables>, "orm: add_entity<U>(): join U first");
        return add_entity_of<mapped, is_optional_v<U>>(table_of<mapped>().name);
    }
    /// Adds the objects of a joined alias to each row (add_optional_entity: left-joined).
    template <class T, class Tag>
    auto add_entity(const alias<T, Tag>& a) const {
        static_assert(detail::contains_v<aliased<T, Tag>, Tables>, "orm: add_entity(alias): join the alias first");
        return add_entity_of<T, false>(a.name());
    }
    template <class T, class Tag>
    auto add_optional_entity(const alias<T, Tag>& a) const {
        static_assert(detail::contains_v<aliased<T, Tag>, Tables>, "orm: add_optional_entity(alias): join the alias first");
        return add_entity_of<T, true>(a.name());
    }

    /// Selects these expressions instead: rows read as a std::tuple of their types
    /// (one expression: as its type alone).
    template <class... V, class... L>
    auto columns(const expr<V, L>&... items) const {
        static_assert(sizeof...(V) > 0, "orm: columns() needs at least one expression");
        static_assert((detail::subset_v<L, Tables> && ...), "orm: columns() reads a type that is not in this query");
        using spec = std::conditional_t<sizeof...(V) == 1, std::tuple_element_t<0, std::tuple<V...>>, std::tuple<V...>>;
        select_query<spec, Tables> q(statement_, sources_, executor_);
        q.statement_.columns = {items.node...};
        return q;
    }
    /// Reads the selected columns into an aggregate, by position: `.columns(...).into<TitlePrice>()`.
    template <reflectable Agg>
    select_query<detail::as_struct<Agg>, Tables> into() const {
        if (statement_.columns.size() != field_count<Agg>)
            throw interface_error("orm: into<" + std::string(type_name<Agg>()) + ">() needs " + std::to_string(field_count<Agg>) +
                                  " columns, the query selects " + std::to_string(statement_.columns.size()));
        return {statement_, sources_, executor_};
    }
    /// Lets a subquery's conditions read columns of an enclosing query's tables
    /// (correlation). A table this query reads itself cannot be correlated: its
    /// columns would name this query's own rows. Alias one of the two.
    template <reflectable... Us>
    select_query<Spec, detail::union_t<Tables, tables<Us...>>> correlate() const {
        static_assert(!(detail::contains_v<Us, Tables> || ...),
                      "orm: correlate<T>(): T is this query's own table, so its columns would name the inner rows; "
                      "read the inner table through an orm::alias (or alias the outer one)");
        return {statement_, sources_, executor_};
    }
    /// Correlation to an alias of the enclosing query.
    template <class T, class Tag>
    select_query<Spec, detail::union_t<Tables, tables<aliased<T, Tag>>>> correlate(const alias<T, Tag>&) const {
        static_assert(!detail::contains_v<aliased<T, Tag>, Tables>, "orm: correlate(alias): the alias is this query's own table");
        return {statement_, sources_, executor_};
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
        const sql::value_type type = statement_.columns.empty() ? sql::value_type{} : statement_.columns.front().type();
        return expr<Spec, tables<>>{sql::expression::subquery(statement_, type)};
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
        q.statement_.where = q.statement_.where ? sql::expression::binary(sql::op::and_, *q.statement_.where, condition,
                                                                           sql::value_type::of(type_kind::boolean))
                                                : condition;
        return q;
    }
    // JOIN of `Source` (U, or an alias of it), qualified by `qualifier`, on `on` or the foreign key.
    template <class Source, class U, bool Left>
    auto join_with(const std::string& qualifier, const sql::expression* on) const {
        static_assert(!detail::contains_v<Source, Tables>,
                      "orm: this table is already in the query: join it a second time through an orm::alias");
        const table_info& joined = table_of<U>();
        select_query<Spec, detail::union_t<Tables, tables<Source>>> q(statement_, sources_, executor_);
        sql::table_ref table = qualifier == joined.name ? sql::table_ref(joined.name) : sql::table_ref(joined.name, qualifier);
        q.statement_.joins.push_back({std::move(table), on ? *on : detail::foreign_key_join(*sources_, joined, qualifier), Left});
        auto more = std::make_shared<std::vector<detail::query_source>>(*sources_);
        more->push_back({&joined, qualifier});
        q.sources_ = std::move(more);
        return q;
    }
    // Adds T's columns (qualified by `qualifier`) and T (or its optional / pointer) to the result.
    template <class T, bool Optional>
    auto add_entity_of(const std::string& qualifier) const {
        using element = std::conditional_t<detail::by_identity_v<Spec>, T*, std::conditional_t<Optional, std::optional<T>, T>>;
        using spec = typename detail::append_element<Spec, element>::type;
        select_query<spec, Tables> q(statement_, sources_, executor_);
        const auto more = sql::columns_of(table_of<T>(), qualifier);
        q.statement_.columns.insert(q.statement_.columns.end(), more.begin(), more.end());
        return q;
    }

    sql::select_statement statement_;
    detail::query_sources sources_;
    query_executor* executor_;
};

/// An unbound SELECT of T's rows, for subqueries and to_sql(): `orm::select<Book>().where(...)`.
template <reflectable T>
select_query<T, tables<T>> select() {
    return {sql::select_columns_of(table_of<T>()), detail::sources_of<T>(), nullptr};
}
/// An unbound SELECT of T's rows under an alias (FROM t AS alias), e.g. for a
/// correlated subquery over the outer query's own table.
template <class T, class Tag>
select_query<T, tables<aliased<T, Tag>>> select(const alias<T, Tag>& a) {
    return {sql::select_columns_of(table_of<T>(), a.name()),
            std::make_shared<const std::vector<detail::query_source>>(std::vector<detail::query_source>{{&table_of<T>(), a.name()}}), nullptr};
}

/// `EXISTS (subquery)`.
template <class Spec, class Tables>
expr<bool, tables<>> exists(const select_query<Spec, Tables>& subquery) {
    return {sql::expression::unary(sql::op::exists, sql::expression::subquery(subquery.statement()), sql::value_type::of(type_kind::boolean))};
}
/// `NOT EXISTS (subquery)`.
template <class Spec, class Tables>
expr<bool, tables<>> not_exists(const select_query<Spec, Tables>& subquery) {
    return {sql::expression::unary(sql::op::not_exists, sql::expression::subquery(subquery.statement()), sql::value_type::of(type_kind::boolean))};
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
        const expr<M, tables<T>> column = col(member);
        q.statement_.assignments.emplace_back(column.node.name(), sql::expression::parameter(type_traits<M>::to_value(M(v)), column.node.type()));
        return q;
    }
    /// SET member = expression over T: `.set(&Book::price, col(&Book::price) * 1.1)`.
    template <class M, class V, class L>
    update_query set(M T::*member, const expr<V, L>& e) const {
        static_assert(detail::subset_v<L, tables<T>>, "orm::update<T>().set(): the expression reads another type");
        static_assert(detail::comparable<detail::plain_t<M>, detail::plain_t<V>>, "orm::update<T>().set(): the expression's type does not fit the column");
        update_query q = *this;
        const expr<M, tables<T>> column = col(member);
        // A decimal is brought to the column's scale (SQLite computes with scaled integers).
        q.statement_.assignments.emplace_back(column.node.name(), column.node.type().is(type_kind::decimal) && e.node.type() != column.node.type()
                                                                      ? sql::expression::cast(e.node, column.node.type())
                                                                      : e.node);
        return q;
    }
    /// WHERE (ANDed with earlier ones).
    template <class L>
    update_query where(const expr<bool, L>& condition) const {
        static_assert(detail::subset_v<L, tables<T>>, "orm::update<T>().where(): the condition reads another type");
        update_query q = *this;
        q.statement_.where = q.statement_.where ? sql::expression::binary(sql::op::and_, *q.statement_.where, condition.node) : condition.node;
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
        q.statement_.where = q.statement_.where ? sql::expression::binary(sql::op::and_, *q.statement_.where, condition.node) : condition.node;
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
