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
#include <concepts>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "orm/dialect/dialect.hpp"
#include "orm/detail/object_state.hpp"
#include "orm/driver/driver.hpp"
#include "orm/error.hpp"
#include "orm/loading.hpp"
#include "orm/mapping/row.hpp"
#include "orm/mapping/table.hpp"
#include "orm/sql/expression.hpp"
#include "orm/transaction_options.hpp"

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
class query_executor;
class session;

namespace detail {
/// What a query bound to a connection or session holds: a pointer to it that
/// the executor nulls when it is destroyed or moved from.
using executor_anchor = std::shared_ptr<query_executor*>;
/// While alive, a streamed result is open on a connection (see query_executor::open_stream).
using stream_lease = std::shared_ptr<void>;
}  // namespace detail

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
    query_executor() : anchor_(std::make_shared<query_executor*>(this)) {}
    query_executor(const query_executor&) = delete;
    query_executor& operator=(const query_executor&) = delete;
    /// Queries made on this executor find it through its anchor; one that outlives it
    /// (or a move) finds null and throws instead of dangling.
    virtual ~query_executor() {
        if (anchor_) *anchor_ = nullptr;
    }
    /// The anchor bound queries hold: points to this executor while it lives.
    const detail::executor_anchor& anchor() const noexcept { return anchor_; }
    /// Marks a streamed result open until the lease is destroyed: the connection runs
    /// nothing else meanwhile (orm::interface_error instead of a broken cursor).
    virtual detail::stream_lease open_stream() = 0;
    /// Runs a SELECT; the cursor is valid until the next statement on the same connection.
    virtual std::unique_ptr<driver::cursor> run_select(const sql::select_statement& statement) = 0;
    /// Runs an UPDATE or DELETE; returns the rows it matched.
    virtual std::uint64_t run_write(const sql::statement& statement) = 0;
    /// The dialect statements are compiled with.
    virtual const orm::dialect& query_dialect() const = 0;
    /// Session only: the identity-mapped object for the row at `offset` (nullptr if its key is NULL).
    virtual void* merge_entity(const table_info& table, driver::cursor& rows, std::size_t offset, detail::state_factory make);
    /// Session only: loads the relationships of objects a query read, as `plan` (the
    /// query's loading options, or none) and their declared strategies say.
    virtual void load_related(std::span<const detail::loaded_object> objects, const detail::load_plan* plan);

protected:
    /// For a movable executor (orm::connection): takes over `other`'s anchor.
    query_executor(query_executor&& other) noexcept : anchor_(std::move(other.anchor_)) {
        if (anchor_) *anchor_ = this;
    }
    /// For a movable executor's move assignment: drops its own anchor (its queries
    /// find null) and takes over `other`'s.
    void take_anchor(query_executor& other) noexcept {
        if (anchor_) *anchor_ = nullptr;
        anchor_ = std::move(other.anchor_);
        if (anchor_) *anchor_ = this;
    }

private:
    detail::executor_anchor anchor_;
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

/// How a row reads on a session: mapped objects (and left-joined ones) through the
/// identity map, as T*; values as they are.
template <class Spec>
struct identity_spec {
    using type = Spec;
};
template <class T>
    requires reflectable<T>
struct identity_spec<T> {
    using type = T*;
};
template <class T>
    requires reflectable<T>
struct identity_spec<std::optional<T>> {
    using type = T*;
};
template <class... E>
struct identity_spec<std::tuple<E...>> {
    using type = std::tuple<typename identity_spec<E>::type...>;
};
/// The spec a query made with `Spec` reads with on an executor of type E.
template <class E, class Spec>
struct spec_on {
    static_assert(!by_identity_v<Spec>,
                  "orm: this query reads a session's objects (T*): run it on a session, or build it with orm::select<T>()");
    using type = Spec;
};
template <class Spec>
struct spec_on<session, Spec> {
    using type = typename identity_spec<Spec>::type;
};
template <class E, class Spec>
using spec_on_t = typename spec_on<E, Spec>::type;

/// The session objects with relationships in a row of a result read as `S`, for loading those.
template <class S>
struct related_objects {
    static constexpr bool any = false;
    static bool selectin_by_default() { return false; }
    template <class Row>
    static void collect(const Row&, std::vector<loaded_object>&) {}
};
template <class T>
    requires has_relationships<T>
struct related_objects<T*> {
    static constexpr bool any = true;
    static bool selectin_by_default() { return table_of<T>().selectin_by_default; }
    static void collect(T* object, std::vector<loaded_object>& out) {
        if (object) out.push_back({&table_of<T>(), object});
    }
};
template <class... E>
struct related_objects<std::tuple<E...>> {
    static constexpr bool any = (related_objects<E>::any || ...);
    static bool selectin_by_default() { return (related_objects<E>::selectin_by_default() || ...); }
    template <class Row>
    static void collect(const Row& row, std::vector<loaded_object>& out) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (related_objects<E>::collect(std::get<I>(row), out), ...);
        }(std::index_sequence_for<E...>{});
    }
};

/// True if a row read as `Spec` holds objects of C (by value, optional, or session pointer).
template <class Spec, class C>
inline constexpr bool reads_entity_v = std::is_same_v<Spec, C> || std::is_same_v<Spec, C*> || std::is_same_v<Spec, std::optional<C>>;
template <class... E, class C>
inline constexpr bool reads_entity_v<std::tuple<E...>, C> = (reads_entity_v<E, C> || ...);

/// A range-for's rows, read before the loop starts: the iterator owns them.
template <class R>
class buffered_rows {
public:
    using value_type = R;
    using difference_type = std::ptrdiff_t;
    buffered_rows() = default;
    explicit buffered_rows(std::vector<R> rows) : rows_(std::make_shared<std::vector<R>>(std::move(rows))) {}
    R& operator*() const { return (*rows_)[at_]; }
    R* operator->() const { return &(*rows_)[at_]; }
    buffered_rows& operator++() {
        ++at_;
        return *this;
    }
    void operator++(int) { ++at_; }
    friend bool operator==(const buffered_rows& it, std::default_sentinel_t) { return !it.rows_ || it.at_ == it.rows_->size(); }

private:
    std::shared_ptr<std::vector<R>> rows_;
    std::size_t at_ = 0;
};

/// An open streamed result: the cursor, the executor that reads rows, the lease that
/// keeps the connection from running anything else, and the current row.
template <class R>
struct stream_state_base {
    virtual ~stream_state_base() = default;
    /// Moves to the next row (false at the end, when the lease is given back).
    virtual bool advance() = 0;
    std::optional<R> current;  ///< the row read last
};
template <class S>
struct stream_state final : stream_state_base<typename reader<S>::output> {
    using output = typename reader<S>::output;
    using stream_state_base<output>::current;
    stream_state(query_executor& exec, std::shared_ptr<driver::cursor> rows, stream_lease lease)
        : exec(exec), rows(std::move(rows)), lease(std::move(lease)) {}
    bool advance() override {
        if (!rows || !rows->next()) {
            current.reset();
            rows.reset();
            lease.reset();  // the end of the rows ends the stream
            return false;
        }
        if constexpr (requires(output& out) { reader<S>::read_into(exec, *rows, 0, out); }) {
            if (current) {  // the next row goes into the same object
                try {
                    reader<S>::read_into(exec, *rows, 0, *current);
                } catch (...) {
                    current.reset();
                    throw;
                }
                return true;
            }
        }
        current.emplace(reader<S>::read(exec, *rows, 0));
        return true;
    }
    query_executor& exec;
    std::shared_ptr<driver::cursor> rows;
    stream_lease lease;
};
}  // namespace detail

/// The rows of select_query::stream(): a single-pass range read from the cursor.
template <class R>
class result_stream {
public:
    /// Its iterator (single pass).
    class iterator {
    public:
        using value_type = R;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        R& operator*() const { return *state_->current; }
        R* operator->() const { return &*state_->current; }
        iterator& operator++() {
            state_->advance();
            return *this;
        }
        void operator++(int) { state_->advance(); }
        friend bool operator==(const iterator& it, std::default_sentinel_t) { return !it.state_ || !it.state_->current; }

    private:
        friend class result_stream;
        explicit iterator(std::shared_ptr<detail::stream_state_base<R>> state) : state_(std::move(state)) {}
        std::shared_ptr<detail::stream_state_base<R>> state_;
    };
    /// A stream over `state` (made by select_query::stream()).
    explicit result_stream(std::shared_ptr<detail::stream_state_base<R>> state) : state_(std::move(state)) {}
    /// The first row (reads it); a stream is read once.
    iterator begin() {
        if (started_) throw interface_error("orm: a stream is read once: run the query again for a second pass");
        started_ = true;
        state_->advance();
        return iterator(state_);
    }
    std::default_sentinel_t end() const { return {}; }

private:
    std::shared_ptr<detail::stream_state_base<R>> state_;
    bool started_ = false;
};

namespace detail {

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

/// The AST's lock clause of a lock request.
inline sql::lock_clause lock_clause_of(lock_request lock) {
    return {static_cast<sql::lock_clause::strength>(lock.mode), static_cast<sql::lock_clause::waiting>(lock.wait)};
}
/// SELECT <every column> FROM table WHERE <key> = ? ... with a row lock.
sql::select_statement locking_select_by_key(const table_info& table, std::span<const value> key, lock_request lock);

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

    /// A query over `statement`, reading `sources`, bound to the executor `bound` points to (or none),
    /// loading relationships as `plan` says (none: as declared).
    select_query(sql::select_statement statement, detail::query_sources sources, detail::executor_anchor bound,
                 std::shared_ptr<const detail::load_plan> plan = nullptr)
        : statement_(std::move(statement)), sources_(std::move(sources)), bound_(std::move(bound)), plan_(std::move(plan)) {}

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
    /// Locks the rows read until the transaction ends: `.lock(orm::for_update)`,
    /// `.lock(orm::for_share.nowait())`, `.lock(orm::for_update.skip_locked())`.
    /// In a session, the objects read are refreshed from the locked rows (an object
    /// with unflushed changes is an orm::interface_error: flush first).
    select_query lock(lock_request how) const {
        select_query q = *this;
        q.statement_.lock = detail::lock_clause_of(how);
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

    /// Loading options: how the objects this query reads load their relationships,
    /// over each relationship's declared strategy (later options win). Needs a session.
    /// `.options(orm::selectin_load(&Writer::novels, &Novel::reviews), orm::raise_load(&Writer::awards))`
    template <class... Roots>
    select_query options(const load_option<Roots>&... loading) const {
        static_assert(sizeof...(Roots) > 0, "orm: options() needs at least one loading option");
        static_assert((detail::reads_entity_v<Spec, Roots> && ...),
                      "orm: a loading option's path starts at a type whose objects this query does not read (add_entity<T>() it)");
        auto plan = plan_ ? std::make_shared<detail::load_plan>(*plan_) : std::make_shared<detail::load_plan>();
        (plan->add(loading.path(), loading.strategy()), ...);
        select_query q = *this;
        q.plan_ = std::move(plan);
        return q;
    }

    /// INNER JOIN of U on the foreign key between U and a table already in the query
    /// (the result stays as it is: add_entity<U>() adds U to it).
    template <reflectable U>
    auto join() const {
        return join_with<U, U, false>(table_of<U>().name, nullptr);
    }
    /// INNER JOIN along a relationship of a type in the query, on its keys:
    /// `s.query<Writer>().join(&Writer::novels).where(col(&Novel::title) == "Tides")`.
    template <class C, class M>
        requires std::is_base_of_v<relationship_member, M>
    auto join(M C::*relationship) const {
        return join_along<false>(relationship);
    }
    /// LEFT JOIN along a relationship (with `.where(col(&Novel::id).is_null())`: the rows with none).
    template <class C, class M>
        requires std::is_base_of_v<relationship_member, M>
    auto left_join(M C::*relationship) const {
        return join_along<true>(relationship);
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
        select_query<spec, Tables> q(statement_, sources_, bound_);
        q.statement_.columns = {items.node...};
        return q;
    }
    /// Reads the selected columns into an aggregate, by position: `.columns(...).into<TitlePrice>()`.
    template <reflectable Agg>
    select_query<detail::as_struct<Agg>, Tables> into() const {
        if (statement_.columns.size() != field_count<Agg>)
            throw interface_error("orm: into<" + std::string(type_name<Agg>()) + ">() needs " + std::to_string(field_count<Agg>) +
                                  " columns, the query selects " + std::to_string(statement_.columns.size()));
        return {statement_, sources_, bound_};
    }
    /// Lets a subquery's conditions read columns of an enclosing query's tables
    /// (correlation). A table this query reads itself cannot be correlated: its
    /// columns would name this query's own rows. Alias one of the two.
    template <reflectable... Us>
    select_query<Spec, detail::union_t<Tables, tables<Us...>>> correlate() const {
        static_assert(!(detail::contains_v<Us, Tables> || ...),
                      "orm: correlate<T>(): T is this query's own table, so its columns would name the inner rows; "
                      "read the inner table through an orm::alias (or alias the outer one)");
        return {statement_, sources_, bound_};
    }
    /// Correlation to an alias of the enclosing query.
    template <class T, class Tag>
    select_query<Spec, detail::union_t<Tables, tables<aliased<T, Tag>>>> correlate(const alias<T, Tag>&) const {
        static_assert(!detail::contains_v<aliased<T, Tag>, Tables>, "orm: correlate(alias): the alias is this query's own table");
        return {statement_, sources_, bound_};
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

    // ---- running: on the bound executor, or on any connection or session given ----------

    /// Every row, buffered: `q.all()` on the executor the query was made on, `q.all(conn)`
    /// or `q.all(session)` on any other (a session reads its identity-mapped objects, T*).
    std::vector<result_type> all() const { return all_on<Spec>(executor()); }
    template <class Executor>
        requires std::derived_from<Executor, query_executor>
    auto all(Executor& on) const {
        return all_on<detail::spec_on_t<Executor, Spec>>(on);
    }
    /// The first row (LIMIT 1), if any.
    std::optional<result_type> first() const { return first_on<Spec>(executor()); }
    template <class Executor>
        requires std::derived_from<Executor, query_executor>
    auto first(Executor& on) const {
        return first_on<detail::spec_on_t<Executor, Spec>>(on);
    }
    /// Exactly one row: orm::no_result_error if none, orm::multiple_results_error if more.
    result_type one() const { return one_on<Spec>(executor()); }
    template <class Executor>
        requires std::derived_from<Executor, query_executor>
    auto one(Executor& on) const {
        return one_on<detail::spec_on_t<Executor, Spec>>(on);
    }
    /// The row if there is exactly one, nullopt if none; orm::multiple_results_error if more.
    std::optional<result_type> one_or_none() const { return one_or_none_on<Spec>(executor()); }
    template <class Executor>
        requires std::derived_from<Executor, query_executor>
    auto one_or_none(Executor& on) const {
        return one_or_none_on<detail::spec_on_t<Executor, Spec>>(on);
    }
    /// How many rows the query returns.
    std::int64_t count() const { return count_on(executor()); }
    std::int64_t count(query_executor& on) const { return count_on(on); }
    /// True if the query returns at least one row.
    bool exists() const { return exists_on(executor()); }
    bool exists(query_executor& on) const { return exists_on(on); }

    /// Rows one at a time straight from the database cursor, in constant memory
    /// (SQLAlchemy's yield_per): `for (const Book& b : q.stream()) ...`. While the
    /// stream is open, its connection runs nothing else: a statement on it (a get()
    /// that misses the identity map, a flush, another query) is an orm::interface_error.
    /// The loop body may read and change the rows it gets, and add objects.
    /// \par Object lifetimes
    /// A row read by value is valid until the iterator advances (the next row may
    /// reuse it); session objects (T*) live as long as the session.
    result_stream<result_type> stream() const { return stream_on<Spec>(executor()); }
    template <class Executor>
        requires std::derived_from<Executor, query_executor>
    auto stream(Executor& on) const {
        return stream_on<detail::spec_on_t<Executor, Spec>>(on);
    }

    /// A range-for runs the query and buffers its rows first (as all()), so the
    /// loop body may run other statements on the same connection or session:
    /// `for (Book* b : s.query<Book>()) s.get<Author>(b->author_id);`.
    detail::buffered_rows<result_type> begin() const { return detail::buffered_rows<result_type>(all()); }
    std::default_sentinel_t end() const { return {}; }

private:
    template <class S, class L>
    friend class select_query;

    query_executor& executor() const {
        if (!bound_) throw interface_error("orm: this query is not bound to a connection or session: run it on one, q.all(conn) or q.all(session)");
        if (!*bound_) throw interface_error("orm: the connection or session this query was made on is gone (destroyed or moved from)");
        return **bound_;
    }
    /// Loading options need a session's objects: on rows by value they would do nothing.
    template <class S>
    void check_loading_options() const {
        if constexpr (!detail::related_objects<S>::any)
            if (plan_)
                throw interface_error("orm: this query has loading options (options()), but its rows are not a session's objects "
                                      "with relationships: run it on a session");
    }
    /// After the rows are read: loads the relationships of their objects (the plan, or the
    /// relationships declared orm::load::selectin).
    template <class S, class Row>
    void load_related(query_executor& on, std::span<const Row> rows) const {
        using related = detail::related_objects<S>;
        if constexpr (related::any) {
            if (rows.empty() || (!plan_ && !related::selectin_by_default())) return;
            std::vector<detail::loaded_object> objects;
            objects.reserve(rows.size());
            for (const Row& row : rows) related::collect(row, objects);
            on.load_related(objects, plan_.get());
        }
    }
    template <class S>
    std::vector<typename detail::reader<S>::output> all_on(query_executor& on) const {
        check_loading_options<S>();
        std::vector<typename detail::reader<S>::output> out;
        auto rows = on.run_select(statement_);
        if (rows)
            if (auto count = rows->buffer_rows()) out.reserve(*count);  // all of them are kept anyway
        while (rows && rows->next()) out.push_back(detail::reader<S>::read(on, *rows, 0));
        rows.reset();
        load_related<S>(on, std::span<const typename detail::reader<S>::output>(out));
        return out;
    }
    template <class S>
    std::optional<typename detail::reader<S>::output> first_on(query_executor& on) const {
        check_loading_options<S>();
        sql::select_statement s = statement_;
        s.limit = std::min<std::uint64_t>(s.limit.value_or(1), 1);
        auto rows = on.run_select(s);
        if (!rows || !rows->next()) return std::nullopt;
        std::optional<typename detail::reader<S>::output> row = detail::reader<S>::read(on, *rows, 0);
        rows.reset();
        load_related<S>(on, std::span<const typename detail::reader<S>::output>(&*row, 1));
        return row;
    }
    template <class S>
    typename detail::reader<S>::output one_on(query_executor& on) const {
        auto row = one_or_none_on<S>(on);
        if (!row) throw no_result_error("orm: one() found no row for: " + to_sql(on.query_dialect()).text);
        return std::move(*row);
    }
    template <class S>
    std::optional<typename detail::reader<S>::output> one_or_none_on(query_executor& on) const {
        check_loading_options<S>();
        sql::select_statement s = statement_;
        if (!s.limit || *s.limit > 2) s.limit = 2;
        auto rows = on.run_select(s);
        if (!rows || !rows->next()) return std::nullopt;
        auto first_row = detail::reader<S>::read(on, *rows, 0);
        if (rows->next()) throw multiple_results_error("orm: one() found more than one row for: " + to_sql(on.query_dialect()).text);
        rows.reset();
        load_related<S>(on, std::span<const typename detail::reader<S>::output>(&first_row, 1));
        return first_row;
    }
    std::int64_t count_on(query_executor& on) const {
        auto rows = on.run_select(detail::count_statement(statement_));
        if (!rows || !rows->next()) return 0;
        return from_value<std::int64_t>(rows->get(0));
    }
    bool exists_on(query_executor& on) const {
        sql::select_statement s = statement_;
        s.columns = {sql::expression::parameter(std::int64_t{1})};
        s.order_by.clear();
        s.limit = std::min<std::uint64_t>(s.limit.value_or(1), 1);
        auto rows = on.run_select(s);
        return rows && rows->next();
    }
    template <class S>
    result_stream<typename detail::reader<S>::output> stream_on(query_executor& on) const {
        if (plan_)
            throw interface_error("orm: loading options (options()) apply to buffered rows: read them with all() or a range-for, "
                                  "not stream() (while a stream is open its connection runs nothing else)");
        std::shared_ptr<driver::cursor> rows(on.run_select(statement_));
        detail::stream_lease lease = on.open_stream();  // from now on the connection runs nothing else
        return result_stream<typename detail::reader<S>::output>(
            std::make_shared<detail::stream_state<S>>(on, std::move(rows), std::move(lease)));
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
        select_query<Spec, detail::union_t<Tables, tables<Source>>> q(statement_, sources_, bound_, plan_);
        sql::table_ref table = qualifier == joined.name ? sql::table_ref(joined.name) : sql::table_ref(joined.name, qualifier);
        q.statement_.joins.push_back({std::move(table), on ? *on : detail::foreign_key_join(*sources_, joined, qualifier), Left});
        auto more = std::make_shared<std::vector<detail::query_source>>(*sources_);
        more->push_back({&joined, qualifier});
        q.sources_ = std::move(more);
        return q;
    }
    template <bool Left, class C, class M>
    auto join_along(M C::*relationship) const {
        using target = typename M::element_type;
        static_assert(detail::contains_v<C, Tables>, "orm: join(&T::relationship): T is not in this query");
        static_assert(!std::is_same_v<target, C>,
                      "orm: join along a self-referential relationship: join an orm::alias of the table with an explicit condition");
        const sql::expression on = detail::relationship_condition(table_of<C>(), *detail::relationship_of_member(relationship));
        return join_with<target, target, Left>(table_of<target>().name, &on);
    }
    // Adds T's columns (qualified by `qualifier`) and T (or its optional / pointer) to the result.
    template <class T, bool Optional>
    auto add_entity_of(const std::string& qualifier) const {
        using element = std::conditional_t<detail::by_identity_v<Spec>, T*, std::conditional_t<Optional, std::optional<T>, T>>;
        using spec = typename detail::append_element<Spec, element>::type;
        select_query<spec, Tables> q(statement_, sources_, bound_, plan_);
        const auto more = sql::columns_of(table_of<T>(), qualifier);
        q.statement_.columns.insert(q.statement_.columns.end(), more.begin(), more.end());
        return q;
    }

    sql::select_statement statement_;
    detail::query_sources sources_;
    detail::executor_anchor bound_;  ///< the connection or session it was made on (null when it is gone), or none
    std::shared_ptr<const detail::load_plan> plan_;  ///< loading options (shared by the queries refined from this one), or none
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
