#pragma once
// SQL functions over typed expressions, each a node kind the dialect spells:
//
//   orm::count(), orm::count_distinct(col(&Line::sku)), orm::sum(col(&Line::amount))
//   orm::coalesce(col(&Author::email), "none"), orm::nullif(col(&Book::isbn), "")
//   orm::round(col(&Line::amount), 1), orm::abs(col(&Line::delta))
//   orm::lower(col(&Author::name)), orm::char_length(col(&Book::title)), orm::substr(col(&Book::title), 1, 3)
//   orm::concat(col(&Author::name), " <", col(&Author::email), ">")
//   orm::year(col(&Invoice::issued)), orm::current_timestamp()
//   orm::case_when(col(&Book::price) > 20.0, "dear").when(col(&Book::price) > 10.0, "fair").otherwise("cheap")
//   orm::cast<double>(col(&Line::quantity)), orm::cast<orm::decimal>(col(&Book::price), orm::precision(10, 2))
//   orm::func<std::int64_t>("instr", col(&Book::title), "x")     // any function, by (checked) name
//   orm::raw_sql<bool>("MATCH(title) AGAINST (?)", text)         // the one way to write SQL text yourself
//
// Result types follow SQL: aggregates over no rows are NULL (std::optional);
// a function of a NULL-able value is NULL-able.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "orm/sql/expression.hpp"

namespace orm {

namespace detail {
template <class... A>
struct tables_of_all {
    using type = tables<>;
};
template <class A, class... Rest>
struct tables_of_all<A, Rest...> {
    using type = union_t<typename operand_traits<A>::tables_type, typename tables_of_all<Rest...>::type>;
};
template <class... A>
using tables_of_all_t = typename tables_of_all<A...>::type;

/// True if any operand may be NULL.
template <class... A>
inline constexpr bool any_nullable_v = (operand_traits<A>::nullable || ...);

/// A function node over the operands (expressions or values).
template <class... A>
sql::expression call_node(sql::func f, sql::value_type type, const A&... args) {
    return sql::expression::function(f, {operand(args)...}, type);
}

template <class T>
inline constexpr bool is_text_v = std::is_same_v<T, std::string>;
template <class T>
concept date_like = requires { type_traits<T>::sql; } && (type_traits<T>::sql.kind == type_kind::date || type_traits<T>::sql.kind == type_kind::datetime);
template <class T>
concept time_like = requires { type_traits<T>::sql; } && (type_traits<T>::sql.kind == type_kind::time || type_traits<T>::sql.kind == type_kind::datetime);

inline sql::value_type int64_type() { return sql::value_type::of(type_kind::integer); }
}  // namespace detail

// ---- aggregates ----------------------------------------------------------------------

/// COUNT(*).
inline expr<std::int64_t> count() { return {sql::expression::function(sql::func::count, {}, detail::int64_type())}; }
/// COUNT(x): rows where x is not NULL.
template <class V, class L>
expr<std::int64_t, L> count(const expr<V, L>& e) { return {detail::call_node(sql::func::count, detail::int64_type(), e)}; }
/// COUNT(DISTINCT x): distinct values of x that are not NULL.
template <class V, class L>
expr<std::int64_t, L> count_distinct(const expr<V, L>& e) {
    return {detail::call_node(sql::func::count_distinct, detail::int64_type(), e)};
}
/// SUM(x): an int64 sum of integers, a double of floating point, an exact decimal of decimals.
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
auto sum(const expr<V, L>& e) {
    using P = detail::plain_t<V>;
    using result = std::conditional_t<std::is_integral_v<P>, std::int64_t, std::conditional_t<std::is_floating_point_v<P>, double, decimal>>;
    return expr<std::optional<result>, L>{detail::call_node(sql::func::sum, sql::aggregate_type(sql::func::sum, e.node.type()), e)};
}
/// AVG(x): a double of floating point; of integers and decimals an exact decimal with
/// 4 more fraction digits than x, rounded half away from zero (as MariaDB computes it).
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
auto avg(const expr<V, L>& e) {
    using result = std::conditional_t<std::is_floating_point_v<detail::plain_t<V>>, double, decimal>;
    return expr<std::optional<result>, L>{detail::call_node(sql::func::avg, sql::aggregate_type(sql::func::avg, e.node.type()), e)};
}
/// MIN(x).
template <class V, class L>
expr<std::optional<detail::plain_t<V>>, L> min(const expr<V, L>& e) { return {detail::call_node(sql::func::min, e.node.type(), e)}; }
/// MAX(x).
template <class V, class L>
expr<std::optional<detail::plain_t<V>>, L> max(const expr<V, L>& e) { return {detail::call_node(sql::func::max, e.node.type(), e)}; }

// ---- NULL handling ---------------------------------------------------------------------

/// COALESCE(a, b, ...): the first that is not NULL; NULL-able only if the last one is.
template <class A, class B, class... Rest>
    requires(is_expr_v<A> || is_expr_v<B> || (is_expr_v<Rest> || ...))
auto coalesce(const A& a, const B& b, const Rest&... rest) {
    using V = typename detail::operand_traits<A>::value_type;
    static_assert(detail::comparable<V, typename detail::operand_traits<B>::value_type> &&
                      (detail::comparable<V, typename detail::operand_traits<Rest>::value_type> && ...),
                  "orm::coalesce: the arguments must have one type");
    using last = std::tuple_element_t<sizeof...(Rest), std::tuple<B, Rest...>>;
    using result = detail::maybe_optional_t<V, detail::operand_traits<last>::nullable>;
    sql::expression first = detail::operand(a);
    const sql::value_type type = first.type();
    return expr<result, detail::tables_of_all_t<A, B, Rest...>>{
        sql::expression::function(sql::func::coalesce, {std::move(first), detail::operand(b), detail::operand(rest)...}, type)};
}
/// NULLIF(a, b): NULL where a equals b, else a.
template <class V, class L, class B>
    requires detail::comparable<detail::plain_t<V>, typename detail::operand_traits<B>::value_type>
auto nullif(const expr<V, L>& a, const B& b) {
    return expr<std::optional<detail::plain_t<V>>, detail::tables_of_t<expr<V, L>, B>>{detail::call_node(sql::func::nullif, a.node.type(), a, b)};
}

/// The same expression, read as NULL-able: for the columns of a left-joined
/// table, which are NULL where the join found no row: `orm::nullable(manager(&Employee::name))`.
template <class V, class L>
expr<std::optional<detail::plain_t<V>>, L> nullable(const expr<V, L>& e) {
    return {e.node};
}

// ---- numbers -----------------------------------------------------------------------------

/// ROUND(x, digits): half away from zero for integers and decimals (a decimal
/// result has `digits` fraction digits); floating point as the backend rounds it.
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
expr<V, L> round(const expr<V, L>& e, int digits = 0) {
    sql::value_type type = e.node.type();
    if (type.is(type_kind::decimal)) type.scale = static_cast<std::uint8_t>(std::clamp(digits, 0, static_cast<int>(type.scale)));
    return {sql::expression::function(sql::func::round, {e.node, sql::expression::parameter(std::int64_t{digits}, detail::int64_type())}, type)};
}
/// ABS(x).
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
expr<V, L> abs(const expr<V, L>& e) { return {detail::call_node(sql::func::abs, e.node.type(), e)}; }
/// a DIV b: integer division truncated toward zero, the same on every backend.
template <class A, class B>
    requires detail::arithmetic_operands<A, B> && std::is_integral_v<typename detail::operand_traits<A>::value_type> &&
             std::is_integral_v<typename detail::operand_traits<B>::value_type>
auto int_div(const A& a, const B& b) { return detail::arithmetic(sql::op::int_div, a, b); }

// ---- text ----------------------------------------------------------------------------------

/// LOWER(x) / UPPER(x) (SQLite changes ASCII letters only; MariaDB follows the collation).
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> lower(const expr<V, L>& e) { return {detail::call_node(sql::func::lower, e.node.type(), e)}; }
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> upper(const expr<V, L>& e) { return {detail::call_node(sql::func::upper, e.node.type(), e)}; }
/// TRIM / LTRIM / RTRIM of spaces.
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> trim(const expr<V, L>& e) { return {detail::call_node(sql::func::trim, e.node.type(), e)}; }
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> ltrim(const expr<V, L>& e) { return {detail::call_node(sql::func::ltrim, e.node.type(), e)}; }
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> rtrim(const expr<V, L>& e) { return {detail::call_node(sql::func::rtrim, e.node.type(), e)}; }
/// The length of a text in characters (CHAR_LENGTH; orm::length is the column option).
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<detail::maybe_optional_t<std::int64_t, is_optional_v<V>>, L> char_length(const expr<V, L>& e) {
    return {detail::call_node(sql::func::length, detail::int64_type(), e)};
}
/// SUBSTR(x, from, count): `count` characters from the 1-based position `from`.
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> substr(const expr<V, L>& e, std::int64_t from, std::int64_t count) {
    return {detail::call_node(sql::func::substr, e.node.type(), e, from, count)};
}
/// SUBSTR(x, from): the rest from the 1-based position `from`.
template <class V, class L>
    requires detail::is_text_v<detail::plain_t<V>>
expr<V, L> substr(const expr<V, L>& e, std::int64_t from) {
    return {detail::call_node(sql::func::substr, e.node.type(), e, from)};
}
/// a || b || ...: texts joined; NULL if any part is NULL.
template <class A, class B, class... Rest>
    requires(is_expr_v<A> || is_expr_v<B> || (is_expr_v<Rest> || ...))
auto concat(const A& a, const B& b, const Rest&... rest) {
    static_assert(std::is_same_v<typename detail::operand_traits<A>::value_type, std::string> &&
                      std::is_same_v<typename detail::operand_traits<B>::value_type, std::string> &&
                      (std::is_same_v<typename detail::operand_traits<Rest>::value_type, std::string> && ...),
                  "orm::concat joins texts (orm::cast<std::string> a number first)");
    using result = detail::maybe_optional_t<std::string, detail::any_nullable_v<A, B, Rest...>>;
    const auto text = sql::value_type::of(type_kind::text);
    sql::expression joined = sql::expression::binary(sql::op::concat, detail::operand(a), detail::operand(b), text);
    ((joined = sql::expression::binary(sql::op::concat, std::move(joined), detail::operand(rest), text)), ...);
    return expr<result, detail::tables_of_all_t<A, B, Rest...>>{std::move(joined)};
}

// ---- dates and times -------------------------------------------------------------------------

namespace detail {
template <class V, class L>
auto date_part(sql::func part, const expr<V, L>& e) {
    return expr<maybe_optional_t<std::int64_t, is_optional_v<V>>, L>{call_node(part, int64_type(), e)};
}
}  // namespace detail
/// The year, month or day of a date or date-time, as an integer.
template <class V, class L>
    requires detail::date_like<detail::plain_t<V>>
auto year(const expr<V, L>& e) { return detail::date_part(sql::func::year, e); }
template <class V, class L>
    requires detail::date_like<detail::plain_t<V>>
auto month(const expr<V, L>& e) { return detail::date_part(sql::func::month, e); }
template <class V, class L>
    requires detail::date_like<detail::plain_t<V>>
auto day(const expr<V, L>& e) { return detail::date_part(sql::func::day, e); }
/// The hour, minute or (whole) second of a date-time or time of day, as an integer.
template <class V, class L>
    requires detail::time_like<detail::plain_t<V>>
auto hour(const expr<V, L>& e) { return detail::date_part(sql::func::hour, e); }
template <class V, class L>
    requires detail::time_like<detail::plain_t<V>>
auto minute(const expr<V, L>& e) { return detail::date_part(sql::func::minute, e); }
template <class V, class L>
    requires detail::time_like<detail::plain_t<V>>
auto second(const expr<V, L>& e) { return detail::date_part(sql::func::second, e); }
/// The current date-time, UTC, in whole seconds (CURRENT_TIMESTAMP).
inline expr<std::chrono::sys_seconds> current_timestamp() {
    return {sql::expression::function(sql::func::current_timestamp, {}, detail::value_type_of<std::chrono::sys_seconds>())};
}
/// Today's date, UTC (CURRENT_DATE).
inline expr<std::chrono::year_month_day> current_date() {
    return {sql::expression::function(sql::func::current_date, {}, detail::value_type_of<std::chrono::year_month_day>())};
}

// ---- CASE -------------------------------------------------------------------------------------

/// CASE WHEN ... THEN ... [WHEN ...] being built: finish with otherwise(v) or end() (ELSE NULL).
template <class V, class Tables>
class case_expr {
public:
    case_expr(std::vector<std::pair<sql::expression, sql::expression>> branches, sql::value_type type)
        : branches_(std::move(branches)), type_(type) {}
    /// One more WHEN condition THEN value.
    template <class L, class U>
        requires detail::comparable<V, typename detail::operand_traits<U>::value_type>
    case_expr<V, detail::union_t<Tables, detail::union_t<L, typename detail::operand_traits<U>::tables_type>>> when(const expr<bool, L>& condition,
                                                                                                                 const U& value) const {
        auto branches = branches_;
        branches.emplace_back(condition.node, detail::operand(value));
        return {std::move(branches), type_};
    }
    /// ELSE value.
    template <class U>
        requires detail::comparable<V, typename detail::operand_traits<U>::value_type>
    auto otherwise(const U& value) const {
        return expr<V, detail::union_t<Tables, typename detail::operand_traits<U>::tables_type>>{
            sql::expression::case_when(branches_, detail::operand(value), type_)};
    }
    /// ELSE NULL.
    expr<std::optional<V>, Tables> end() const { return {sql::expression::case_when(branches_, sql::expression::parameter(null), type_)}; }

private:
    std::vector<std::pair<sql::expression, sql::expression>> branches_;
    sql::value_type type_;
};
/// CASE WHEN condition THEN value ...: `orm::case_when(c1, v1).when(c2, v2).otherwise(v3)`.
template <class L, class U>
auto case_when(const expr<bool, L>& condition, const U& value) {
    using V = typename detail::operand_traits<U>::value_type;
    sql::expression then = detail::operand(value);
    const sql::value_type type = then.type();
    return case_expr<V, detail::union_t<L, typename detail::operand_traits<U>::tables_type>>({{condition.node, std::move(then)}}, type);
}

// ---- CAST, functions by name, raw SQL -------------------------------------------------------------

/// CAST(x AS <To's SQL type>): `orm::cast<double>(col(&Line::quantity))`, `orm::cast<std::string>(...)`.
template <class To, class V, class L>
    requires(!std::is_same_v<To, decimal>)
expr<detail::maybe_optional_t<To, is_optional_v<V>>, L> cast(const expr<V, L>& e) {
    return {sql::expression::cast(e.node, detail::value_type_of<To>())};
}
/// CAST(x AS DECIMAL(p, s)): `orm::cast<orm::decimal>(col(&Line::quantity), orm::precision(10, 2))`.
template <class To, class V, class L>
    requires std::is_same_v<To, decimal>
expr<detail::maybe_optional_t<decimal, is_optional_v<V>>, L> cast(const expr<V, L>& e, precision p) {
    return {sql::expression::cast(e.node, sql::value_type::decimal(p.digits, p.fraction))};
}

/// A function called by name, for what orm has no node of: `orm::func<std::int64_t>("instr", col(&Book::title), "x")`.
/// The name must be an identifier (orm::interface_error otherwise); arguments are expressions or bound values.
template <class R, class... A>
auto func(std::string name, const A&... args) {
    return expr<R, detail::tables_of_all_t<A...>>{sql::expression::call(std::move(name), {detail::operand(args)...}, detail::value_type_of<R>())};
}

/// SQL written by hand, as an expression of type R, with a `?` for each value
/// (bound as parameters, in order): `orm::raw_sql<bool>("MATCH(title) AGAINST (?)", text)`.
/// The one place orm puts caller-written text into a statement: never build the
/// text from user input. The tables it reads are not checked.
template <class R, class... A>
expr<R> raw_sql(std::string text, const A&... values) {
    return {sql::expression::raw(std::move(text), {detail::operand(values)...}, detail::value_type_of<R>())};
}

}  // namespace orm
