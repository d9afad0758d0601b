#pragma once
// Typed SQL expressions over member pointers:
//
//   using orm::col;
//   auto cheap = col(&Book::price) < 10.0 && col(&Book::title).like("N%");
//   auto mine  = col(&Book::author_id).in({1, 2, 3}) || col(&Book::isbn).is_null();
//
// An orm::expr<V, Tables> knows the C++ type V of its value and the mapped
// types it reads (Tables), so comparing a column with a value of the wrong
// type, or filtering a query on a type it does not select from, does not
// compile. Values are always bound as parameters.
#include <chrono>
#include <concepts>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "orm/error.hpp"
#include "orm/mapping/table.hpp"
#include "orm/sql/statement.hpp"

namespace orm {

/// Escapes LIKE's wildcards (% and _) and the escape character itself in `text`,
/// so user input matches literally: use with `like(pattern, escape)`.
inline std::string escape_like(std::string_view text, char escape = '!') {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '%' || c == '_' || c == escape) out += escape;
        out += c;
    }
    return out;
}

/// A compile-time list of mapped types.
template <class... Ts>
struct tables {};

namespace detail {

template <class T, class List>
inline constexpr bool contains_v = false;
template <class T, class... Ts>
inline constexpr bool contains_v<T, tables<Ts...>> = (std::is_same_v<T, Ts> || ...);

template <class Sub, class Super>
inline constexpr bool subset_v = false;
template <class... Ts, class Super>
inline constexpr bool subset_v<tables<Ts...>, Super> = (contains_v<Ts, Super> && ...);

template <class A, class B>
struct union_tables;
template <class... As>
struct union_tables<tables<As...>, tables<>> {
    using type = tables<As...>;
};
template <class... As, class B, class... Bs>
struct union_tables<tables<As...>, tables<B, Bs...>> {
    using type = typename union_tables<std::conditional_t<contains_v<B, tables<As...>>, tables<As...>, tables<As..., B>>,
                                       tables<Bs...>>::type;
};
template <class A, class B>
using union_t = typename union_tables<A, B>::type;

/// The value type a column compares as: the field type without std::optional.
template <class T>
using plain_t = typename strip_optional<std::remove_cvref_t<T>>::type;

template <class T>
concept number = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

/// Which C++ values may be compared with (or assigned to) a column of type A.
template <class A, class B>
concept comparable = (number<A> && number<B>) || (std::is_same_v<A, std::string> && std::is_convertible_v<B, std::string_view>) ||
                     std::is_same_v<A, B>;

/// Field index of a member pointer at run time (col() takes it as an argument):
/// compares addresses within one default-constructed probe object.
template <class T, class M>
std::size_t runtime_field_index(M T::*member) {
    static const T probe{};
    const void* target = &(probe.*member);
    std::size_t found = field_count<T>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((static_cast<const void*>(&boost::pfr::get<I>(probe)) == target ? void(found = I) : void()), ...);
    }(std::make_index_sequence<field_count<T>>{});
    if (found == field_count<T>) throw interface_error("orm: a member pointer names no reflected field of " + std::string(type_name<T>()));
    return found;
}

}  // namespace detail

/// A typed expression: V is the C++ type of its value, Tables the mapped types it reads.
template <class V, class Tables = tables<>>
struct expr {
    using value_type = V;
    using tables_type = Tables;
    sql::expression node;

    /// `column LIKE pattern` (strings only).
    expr<bool, Tables> like(std::string pattern) const
        requires std::is_same_v<detail::plain_t<V>, std::string>
    {
        return {sql::expression::binary("LIKE", node, sql::expression::parameter(std::move(pattern)))};
    }
    /// `column LIKE pattern ESCAPE escape`, for patterns built around user input:
    /// `col(&Book::title).like("%" + orm::escape_like(user_text) + "%", '!')`.
    expr<bool, Tables> like(std::string pattern, char escape) const
        requires std::is_same_v<detail::plain_t<V>, std::string>
    {
        return {sql::expression::like_escape(node, sql::expression::parameter(std::move(pattern)),
                                             sql::expression::parameter(std::string(1, escape)))};
    }
    /// `x IN (?, ?, ...)`: `col(&Book::id).in({1, 2, 3})`; an empty list is always false.
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> in(const std::vector<U>& values) const {
        if (values.empty()) return {sql::expression::binary("=", sql::expression::parameter(std::int64_t{1}), sql::expression::parameter(std::int64_t{0}))};
        std::vector<sql::expression> items;
        for (const U& v : values) items.push_back(sql::expression::parameter(to_value(v)));
        return {sql::expression::binary("IN", node, sql::expression::list(std::move(items)))};
    }
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> in(std::initializer_list<U> values) const {
        return in(std::vector<U>(values));
    }
    /// `x IN (SELECT ...)`: `col(&Book::author_id).in(orm::select<Author>().columns(col(&Author::id)))`.
    template <class Q>
        requires requires(const Q& q) {
            q.statement();
            typename Q::result_type;
        } && detail::comparable<detail::plain_t<V>, detail::plain_t<typename Q::result_type>>
    expr<bool, Tables> in(const Q& subquery) const {
        return {sql::expression::binary("IN", node, sql::expression::subquery(subquery.statement()))};
    }
    /// `x BETWEEN low AND high`.
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> between(const U& low, const U& high) const {
        return {sql::expression::between(node, sql::expression::parameter(to_value(low)), sql::expression::parameter(to_value(high)))};
    }
    /// `x IS NULL`.
    expr<bool, Tables> is_null() const { return {sql::expression::postfix("IS NULL", node)}; }
    /// `x IS NOT NULL`.
    expr<bool, Tables> is_not_null() const { return {sql::expression::postfix("IS NOT NULL", node)}; }
};

template <class T>
inline constexpr bool is_expr_v = false;
template <class V, class L>
inline constexpr bool is_expr_v<expr<V, L>> = true;

/// The column of a member pointer: `orm::col(&Book::price)` is an expr<double, tables<Book>>.
template <reflectable T, class M>
expr<M, tables<T>> col(M T::*member) {
    const table_info& table = table_of<T>();
    return {sql::expression::column(table.name, table.columns[detail::runtime_field_index(member)].name)};
}

/// A bound value as an expression, for the rare case it must come first: `orm::val(5) < col(&Book::price)`.
template <class V>
expr<detail::plain_t<V>> val(const V& v) {
    return {sql::expression::parameter(to_value(v))};
}

namespace detail {
template <class T>
sql::expression operand(const T& v) {
    if constexpr (is_expr_v<T>) return v.node;
    else return sql::expression::parameter(to_value(v));
}
template <class T>
struct operand_traits {
    using value_type = plain_t<T>;
    using tables_type = tables<>;
};
template <class V, class L>
struct operand_traits<expr<V, L>> {
    using value_type = plain_t<V>;
    using tables_type = L;
};
template <class A, class B>
using tables_of_t = union_t<typename operand_traits<A>::tables_type, typename operand_traits<B>::tables_type>;

template <class A, class B>
concept comparison_operands = (is_expr_v<A> || is_expr_v<B>) &&
                              comparable<typename operand_traits<A>::value_type, typename operand_traits<B>::value_type>;

template <class A, class B>
expr<bool, tables_of_t<A, B>> compare(const char* op, const A& a, const B& b) {
    // An empty std::optional compared with = or <> means IS [NOT] NULL (SQL's = NULL is never true).
    if constexpr (is_optional_v<B>) {
        if (!b && (op == std::string_view("=") || op == std::string_view("<>")))
            return {sql::expression::postfix(op == std::string_view("=") ? "IS NULL" : "IS NOT NULL", operand(a))};
    }
    return {sql::expression::binary(op, operand(a), operand(b))};
}
}  // namespace detail

// Comparisons: an expr with a value of a comparable type, or with another expr.
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator==(const A& a, const B& b) { return detail::compare("=", a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator!=(const A& a, const B& b) { return detail::compare("<>", a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator<(const A& a, const B& b) { return detail::compare("<", a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator<=(const A& a, const B& b) { return detail::compare("<=", a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator>(const A& a, const B& b) { return detail::compare(">", a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator>=(const A& a, const B& b) { return detail::compare(">=", a, b); }

/// `col == std::nullopt` is `IS NULL`, `!= std::nullopt` is `IS NOT NULL` (SQL's `= NULL` is never true).
template <class V, class L>
expr<bool, L> operator==(const expr<V, L>& a, std::nullopt_t) { return a.is_null(); }
template <class V, class L>
expr<bool, L> operator!=(const expr<V, L>& a, std::nullopt_t) { return a.is_not_null(); }

// Boolean connectives.
template <class L1, class L2>
expr<bool, detail::union_t<L1, L2>> operator&&(const expr<bool, L1>& a, const expr<bool, L2>& b) {
    return {sql::expression::binary("AND", a.node, b.node)};
}
template <class L1, class L2>
expr<bool, detail::union_t<L1, L2>> operator||(const expr<bool, L1>& a, const expr<bool, L2>& b) {
    return {sql::expression::binary("OR", a.node, b.node)};
}
template <class L>
expr<bool, L> operator!(const expr<bool, L>& a) { return {sql::expression::prefix("NOT", a.node)}; }

// Arithmetic on numeric expressions: `col(&Line::price) * col(&Line::quantity)`.
namespace detail {
template <class A, class B>
concept arithmetic_operands = (is_expr_v<A> || is_expr_v<B>) && number<typename operand_traits<A>::value_type> &&
                              number<typename operand_traits<B>::value_type>;
template <class A, class B>
using arithmetic_result_t = std::common_type_t<typename operand_traits<A>::value_type, typename operand_traits<B>::value_type>;
template <class A, class B>
expr<arithmetic_result_t<A, B>, tables_of_t<A, B>> arithmetic(const char* op, const A& a, const B& b) {
    return {sql::expression::binary(op, operand(a), operand(b))};
}
}  // namespace detail
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator+(const A& a, const B& b) { return detail::arithmetic("+", a, b); }
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator-(const A& a, const B& b) { return detail::arithmetic("-", a, b); }
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator*(const A& a, const B& b) { return detail::arithmetic("*", a, b); }
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator/(const A& a, const B& b) { return detail::arithmetic("/", a, b); }

// Aggregates.
/// COUNT(*).
inline expr<std::int64_t> count() { return {sql::expression::function("COUNT", {})}; }
/// COUNT(x): rows where x is not NULL.
template <class V, class L>
expr<std::int64_t, L> count(const expr<V, L>& e) { return {sql::expression::function("COUNT", {e.node})}; }
// SUM, AVG, MIN and MAX of no rows are NULL, so they read as std::optional.
/// SUM(x): an integer sum for integer columns, a double for floating ones.
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
auto sum(const expr<V, L>& e) {
    using result = std::conditional_t<std::is_integral_v<detail::plain_t<V>>, std::int64_t, double>;
    return expr<std::optional<result>, L>{sql::expression::function("SUM", {e.node})};
}
/// AVG(x) as a double.
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
expr<std::optional<double>, L> avg(const expr<V, L>& e) { return {sql::expression::function("AVG", {e.node})}; }
/// MIN(x).
template <class V, class L>
expr<std::optional<detail::plain_t<V>>, L> min(const expr<V, L>& e) { return {sql::expression::function("MIN", {e.node})}; }
/// MAX(x).
template <class V, class L>
expr<std::optional<detail::plain_t<V>>, L> max(const expr<V, L>& e) { return {sql::expression::function("MAX", {e.node})}; }

/// A filter over the mapped types Ts, built up at run time and still typed:
///
///   orm::predicate<Book> filter;                          // empty: matches every row
///   if (max_price) filter = filter && col(&Book::price) <= *max_price;
///   if (!title.empty()) filter = filter && col(&Book::title).like(title + "%");
template <class... Ts>
class predicate {
public:
    predicate() = default;
    /// From a boolean expression over (a subset of) Ts.
    template <class L>
    predicate(const expr<bool, L>& e) : node_(e.node) {  // NOLINT: implicit by design
        static_assert(detail::subset_v<L, tables<Ts...>>, "orm::predicate: the condition reads a type the predicate is not over");
    }
    /// True if no condition was added (matches everything).
    bool empty() const { return !node_.has_value(); }
    /// The condition, if any.
    const std::optional<sql::expression>& node() const { return node_; }

    friend predicate operator&&(const predicate& a, const predicate& b) { return combine("AND", a, b); }
    friend predicate operator||(const predicate& a, const predicate& b) { return combine("OR", a, b); }
    friend predicate operator!(const predicate& a) {
        predicate out;
        if (a.node_) out.node_ = sql::expression::prefix("NOT", *a.node_);
        return out;
    }

private:
    static predicate combine(const char* op, const predicate& a, const predicate& b) {
        if (!a.node_) return b;
        if (!b.node_) return a;
        predicate out;
        out.node_ = sql::expression::binary(op, *a.node_, *b.node_);
        return out;
    }
    std::optional<sql::expression> node_;
};

/// An ORDER BY item: `orm::asc(&Book::title)`, `orm::desc(col(&Book::price) * 2)`.
template <class Tables>
struct ordering {
    sql::order_item item;
};
template <reflectable T, class M>
ordering<tables<T>> asc(M T::*member) { return {{col(member).node, false}}; }
template <reflectable T, class M>
ordering<tables<T>> desc(M T::*member) { return {{col(member).node, true}}; }
template <class V, class L>
ordering<L> asc(const expr<V, L>& e) { return {{e.node, false}}; }
template <class V, class L>
ordering<L> desc(const expr<V, L>& e) { return {{e.node, true}}; }

}  // namespace orm
